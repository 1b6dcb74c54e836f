"""The database schema, as ordered migrations (``sqlite_utils.Migrations``).

Each migration runs in its own transaction. Never edit a migration that has
shipped: add a new one. ``tests/test_migrations.py`` compares the resulting
schema with ``tests/expected_schema.sql``.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("dialoog")


@MIGRATIONS(name="m001_initial")
def m001_initial(db: sqlite_utils.Database) -> None:
    """Series, sessions with their programme and tables, participants, notes, revisions."""
    db.executescript(
        """
        CREATE TABLE series (
            slug TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            organiser TEXT,
            description TEXT,
            language TEXT NOT NULL DEFAULT 'nl'
        );
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            slug TEXT NOT NULL,
            title TEXT NOT NULL,
            theme TEXT,
            date TEXT,
            venue TEXT,
            language TEXT NOT NULL DEFAULT 'nl',
            series TEXT REFERENCES series(slug),
            plan_json TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE agenda_items (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            key TEXT,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            questions_json TEXT NOT NULL DEFAULT '[]',
            duration_minutes INTEGER,
            PRIMARY KEY (session_id, position)
        );
        CREATE TABLE session_tables (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            name TEXT,
            chair TEXT,
            PRIMARY KEY (session_id, number)
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            given_name TEXT NOT NULL DEFAULT '',
            tussenvoegsel TEXT NOT NULL DEFAULT '',
            surname TEXT NOT NULL,
            organisation TEXT,
            roles_json TEXT NOT NULL DEFAULT '["participant"]',
            email TEXT,
            in_appendix INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            table_no INTEGER NOT NULL,
            item INTEGER NOT NULL,
            question INTEGER,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            tags_json TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            rev INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX notes_by_place ON notes (session_id, item, table_no, created_at);
        CREATE TABLE note_revisions (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            rev INTEGER NOT NULL,
            action TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            tags_json TEXT NOT NULL DEFAULT '[]',
            question INTEGER,
            created_at TEXT NOT NULL,
            PRIMARY KEY (note_id, rev)
        );
        """
    )


@MIGRATIONS(name="m002_note_search")
def m002_note_search(db: sqlite_utils.Database) -> None:
    """A full-text index over the text of live (not deleted) notes, kept by triggers."""
    db.executescript(
        """
        CREATE VIRTUAL TABLE notes_fts USING fts5(
            text, content='notes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO notes_fts (rowid, text) SELECT rowid, text FROM notes WHERE deleted_at IS NULL;
        CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO notes_fts (rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes WHEN old.deleted_at IS NULL BEGIN
            INSERT INTO notes_fts (notes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, deleted_at ON notes BEGIN
            INSERT INTO notes_fts (notes_fts, rowid, text)
                SELECT 'delete', old.rowid, old.text WHERE old.deleted_at IS NULL;
            INSERT INTO notes_fts (rowid, text)
                SELECT new.rowid, new.text WHERE new.deleted_at IS NULL;
        END;
        """
    )


@MIGRATIONS(name="m003_live_state")
def m003_live_state(db: sqlite_utils.Database) -> None:
    """What a running meeting needs: the clock per session and unsaved typing per table."""
    db.executescript(
        """
        CREATE TABLE session_clock (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            current_item INTEGER,
            state TEXT NOT NULL DEFAULT 'idle',
            ends_at TEXT,
            remaining_s REAL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE typing_drafts (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            table_no INTEGER NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, table_no)
        );
        """
    )


# Migrations of later features go here, in this order (the order in this file is
# the order they run in):
# -- m004: participants and seating (issue 5) --


@MIGRATIONS(name="m004_participants_seating")
def m004_participants_seating(db: sqlite_utils.Database) -> None:
    """Hand-corrected name splits, import de-duplication, seating per round, appendix order."""
    db.executescript(
        """
        ALTER TABLE participants ADD COLUMN name_locked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE participants ADD COLUMN match_key TEXT;
        CREATE UNIQUE INDEX participants_match ON participants (session_id, match_key);
        CREATE TABLE seating (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            table_no INTEGER NOT NULL,
            manual INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, item, participant_id)
        );
        CREATE INDEX seating_by_participant ON seating (participant_id);
        CREATE TABLE participant_settings (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            convention TEXT NOT NULL DEFAULT 'dutch' CHECK (convention IN ('dutch', 'belgian'))
        );
        """
    )


# -- m005: history: search index, bundles, backups (issue 6) --


@MIGRATIONS(name="m005_history")
def m005_history(db: sqlite_utils.Database) -> None:
    """A trigram index beside the word index (finds parts of compounds) and backup records.

    ``notes_trigram`` indexes every three-character sequence of live notes, so
    "veiligheid" finds "verkeersveiligheid"; its triggers follow ``notes_fts``
    (soft-deleted notes leave the index, restored ones come back).
    """
    db.executescript(
        """
        CREATE VIRTUAL TABLE notes_trigram USING fts5(
            text, content='notes', content_rowid='rowid', tokenize='trigram'
        );
        INSERT INTO notes_trigram (rowid, text)
            SELECT rowid, text FROM notes WHERE deleted_at IS NULL;
        CREATE TRIGGER notes_trigram_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL
        BEGIN
            INSERT INTO notes_trigram (rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER notes_trigram_delete AFTER DELETE ON notes WHEN old.deleted_at IS NULL
        BEGIN
            INSERT INTO notes_trigram (notes_trigram, rowid, text)
                VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER notes_trigram_update AFTER UPDATE OF text, deleted_at ON notes BEGIN
            INSERT INTO notes_trigram (notes_trigram, rowid, text)
                SELECT 'delete', old.rowid, old.text WHERE old.deleted_at IS NULL;
            INSERT INTO notes_trigram (rowid, text)
                SELECT new.rowid, new.text WHERE new.deleted_at IS NULL;
        END;
        CREATE TABLE backups (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            made_at TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'backup',
            size_bytes INTEGER,
            note_count INTEGER
        );
        """
    )


# -- m006: synthesis: themes, initiatives, report drafts (issue 4) --


@MIGRATIONS(name="m006_synthesis")
def m006_synthesis(db: sqlite_utils.Database) -> None:
    """Themes per agenda item with their notes, item summaries, example initiatives, drafts.

    ``report_drafts`` keeps every rendered report: for a session (``session_id``) or
    a whole series (``series``), with the template, format, time, a hash of the
    report context and the output itself.
    """
    db.executescript(
        """
        CREATE TABLE themes (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            title TEXT NOT NULL,
            synthesis TEXT NOT NULL DEFAULT '',
            contested INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX themes_by_item ON themes (session_id, item, position);
        CREATE TABLE theme_notes (
            theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            PRIMARY KEY (theme_id, note_id)
        );
        CREATE INDEX theme_notes_by_note ON theme_notes (note_id);
        CREATE TABLE item_summaries (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, item)
        );
        CREATE TABLE example_initiatives (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            author TEXT,
            organisation TEXT,
            text TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE report_drafts (
            id INTEGER PRIMARY KEY,
            session_id TEXT,
            series TEXT,
            template TEXT NOT NULL,
            format TEXT NOT NULL,
            created_at TEXT NOT NULL,
            context_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            output BLOB NOT NULL
        );
        CREATE INDEX report_drafts_by_subject ON report_drafts (session_id, series, created_at);
        """
    )


# -- m007: the trigram index catches up after saves instead of during them (issue 2) --


@MIGRATIONS(name="m007_trigram_deferred")
def m007_trigram_deferred(db: sqlite_utils.Database) -> None:
    """New notes reach ``notes_trigram`` in batches, not in their own save.

    Indexing a note's trigrams costs about a third of the pages a save writes.
    ``trigram_watermark`` holds the highest ``notes.rowid`` the trigram index has
    caught up to; :func:`dialoog.storage.trigram.catch_up_trigram` indexes the
    live notes above it in one statement (before a trigram search, after an
    import). The invariant: a live note at or below the watermark is in the
    index, a note above it is not. So edits, soft deletes and deletes touch the
    index only at or below the watermark, and a note inserted at or below it
    (a rowid used again after the highest note was deleted, or given
    explicitly) is indexed at once, as before.
    """
    db.executescript(
        """
        CREATE TABLE trigram_watermark (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            indexed_to INTEGER NOT NULL
        );
        INSERT INTO trigram_watermark (id, indexed_to)
            SELECT 1, coalesce(max(rowid), 0) FROM notes;
        DROP TRIGGER notes_trigram_insert;
        DROP TRIGGER notes_trigram_delete;
        DROP TRIGGER notes_trigram_update;
        CREATE TRIGGER notes_trigram_insert AFTER INSERT ON notes
        WHEN new.deleted_at IS NULL
            AND new.rowid <= (SELECT indexed_to FROM trigram_watermark WHERE id = 1)
        BEGIN
            INSERT INTO notes_trigram (rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER notes_trigram_delete AFTER DELETE ON notes
        WHEN old.deleted_at IS NULL
            AND old.rowid <= (SELECT indexed_to FROM trigram_watermark WHERE id = 1)
        BEGIN
            INSERT INTO notes_trigram (notes_trigram, rowid, text)
                VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER notes_trigram_update AFTER UPDATE OF text, deleted_at ON notes
        WHEN old.rowid <= (SELECT indexed_to FROM trigram_watermark WHERE id = 1)
        BEGIN
            INSERT INTO notes_trigram (notes_trigram, rowid, text)
                SELECT 'delete', old.rowid, old.text WHERE old.deleted_at IS NULL;
            INSERT INTO notes_trigram (rowid, text)
                SELECT new.rowid, new.text WHERE new.deleted_at IS NULL;
        END;
        """
    )


# -- m008: a typing draft belongs to its agenda item as well as its table (issue 9) --


@MIGRATIONS(name="m008_drafts_per_item")
def m008_drafts_per_item(db: sqlite_utils.Database) -> None:
    """Half-typed text is kept per table *and agenda item*.

    Before, one draft per table followed the chair to another item, where Enter
    saved it in the wrong round. A draft kept before this migration goes to the
    item the programme is at (the item the chair was most likely typing at), or
    the first item when the clock never ran.
    """
    db.executescript(
        """
        CREATE TABLE typing_drafts_new (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            table_no INTEGER NOT NULL,
            item INTEGER NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, table_no, item)
        );
        INSERT INTO typing_drafts_new (session_id, table_no, item, text, updated_at)
            SELECT d.session_id, d.table_no, coalesce(c.current_item, 1), d.text, d.updated_at
            FROM typing_drafts d LEFT JOIN session_clock c ON c.session_id = d.session_id;
        DROP TABLE typing_drafts;
        ALTER TABLE typing_drafts_new RENAME TO typing_drafts;
        """
    )


# -- m009: the links of `dialoog serve`, their tokens kept hashed (issue 10) --


@MIGRATIONS(name="m009_serve_tokens")
def m009_serve_tokens(db: sqlite_utils.Database) -> None:
    """The access tokens of ``dialoog serve``: one live token per table, chair and secretary.

    Only the SHA-256 of a token is kept, so a copy of the database (a backup, a
    bundle) opens no table. ``table_no`` is set for the ``table`` role only. A
    token is live while ``revoked_at`` is empty and ``expires_at`` is ahead.
    """
    db.executescript(
        """
        CREATE TABLE serve_tokens (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('table', 'chair', 'secretary')),
            table_no INTEGER,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            CHECK ((role = 'table') = (table_no IS NOT NULL))
        );
        CREATE INDEX serve_tokens_by_session ON serve_tokens (session_id, role, table_no);
        """
    )


# -- m010: the word index's vocabulary, found by parts of words (issue 13) --


@MIGRATIONS(name="m010_note_words")
def m010_note_words(db: sqlite_utils.Database) -> None:
    """The distinct words of ``notes_fts`` with a trigram index over them.

    A part of a word is then found among the words (tens of thousands) and
    looked up as whole words, instead of among the trigrams of every note (see
    :mod:`dialoog.storage.word_parts`). The words of the live notes come from the
    word index's own vocabulary (``fts5vocab``, no note is read again); those of
    deleted notes from the same tokenizer in a temporary table. All in this
    migration's one transaction.
    """
    db.executescript(
        """
        CREATE TABLE note_words (
            id INTEGER PRIMARY KEY,
            word TEXT NOT NULL UNIQUE
        );
        CREATE VIRTUAL TABLE note_words_trigram USING fts5(
            word, content='note_words', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER note_words_insert AFTER INSERT ON note_words BEGIN
            INSERT INTO note_words_trigram (rowid, word) VALUES (new.id, new.word);
        END;
        CREATE TABLE note_words_watermark (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            indexed_to INTEGER NOT NULL
        );
        CREATE TABLE note_words_pending (
            note_rowid INTEGER PRIMARY KEY
        );
        INSERT INTO note_words_watermark (id, indexed_to)
            SELECT 1, coalesce(max(rowid), 0) FROM notes;
        CREATE TRIGGER note_words_below_insert AFTER INSERT ON notes
        WHEN new.rowid <= (SELECT indexed_to FROM note_words_watermark WHERE id = 1)
        BEGIN
            INSERT OR IGNORE INTO note_words_pending (note_rowid) VALUES (new.rowid);
        END;
        CREATE TRIGGER note_words_below_update AFTER UPDATE OF text ON notes
        WHEN new.rowid <= (SELECT indexed_to FROM note_words_watermark WHERE id = 1)
        BEGIN
            INSERT OR IGNORE INTO note_words_pending (note_rowid) VALUES (new.rowid);
        END;
        CREATE VIRTUAL TABLE temp.m010_words USING fts5vocab(main, notes_fts, row);
        INSERT INTO note_words (word) SELECT term FROM temp.m010_words;
        DROP TABLE temp.m010_words;
        CREATE VIRTUAL TABLE temp.m010_probe USING fts5(
            text, content='', detail=none, tokenize='unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE temp.m010_probe_words USING fts5vocab(temp, m010_probe, row);
        INSERT INTO temp.m010_probe (rowid, text)
            SELECT rowid, text FROM notes WHERE deleted_at IS NOT NULL;
        INSERT OR IGNORE INTO note_words (word) SELECT term FROM temp.m010_probe_words;
        DROP TABLE temp.m010_probe_words;
        DROP TABLE temp.m010_probe;
        """
    )


def migration_names() -> list[str]:
    """Names of every migration this version of dialoog knows, in order."""
    return [m.name for m in MIGRATIONS._migrations]
