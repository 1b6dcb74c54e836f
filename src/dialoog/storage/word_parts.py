"""The words of the word index, found by a part of them (m010).

A part of a compound ("veiligheid" in "verkeersveiligheid") used to be looked
up in ``notes_trigram`` alone: one FTS5 trigram phrase per term. A long rare
term made of common trigrams ("vaardigheidshbo": 13 of them) then read the
doclists of all its trigrams over a million notes (30-100 ms) only to find
nothing. This module keeps the *vocabulary* of ``notes_fts`` instead:

* ``note_words``: every distinct token the word index holds, folded as it folds
  them (lower case, accents removed), one row each; a word is never removed (a
  word no live note has any more finds nothing in ``notes_fts``, which is
  harmless);
* ``note_words_trigram``: a trigram index over those words (tens of thousands
  of rows, not a million notes), so the words that contain a part are found
  at once, and then looked up as whole words in ``notes_fts``.

The words are exactly the tokens of ``notes_fts`` because SQLite's own tokenizer
makes them: new notes' texts go into a temporary, contentless FTS5 table with the
same tokenizer, and its ``fts5vocab`` lists their words. Like the trigram index
(m007) this happens in batches, not in each save: ``note_words_watermark`` is the
highest ``notes.rowid`` whose words are in; a note inserted or edited at or
below it is queued in ``note_words_pending`` by trigger. :func:`catch_up_words`
takes in both.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from dialoog.storage.connection import write

#: The tokenizer of ``notes_fts`` (m002); the probe must fold exactly as it does.
WORD_TOKENIZER = "unicode61 remove_diacritics 2"


#: The temporary tokenizer tables: one for catching up, one for folding a query's
#: term, so a search folding its terms never meets a catch-up's half-filled table.
PROBE = "note_words_probe"
FOLD = "note_words_fold"


def _ensure_probe(db: sqlite_utils.Database, name: str = PROBE) -> None:
    """The connection's temporary tokenizer table ``name`` and its vocabulary (made once)."""
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5"
        f"(text, content='', detail=none, tokenize='{WORD_TOKENIZER}')"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name}_vocab USING fts5vocab(temp, {name}, row)"
    )


def _clear_probe(db: sqlite_utils.Database, name: str = PROBE) -> None:
    db.execute(f"INSERT INTO temp.{name} ({name}) VALUES ('delete-all')")


def words_pending(db: sqlite_utils.Database) -> bool:
    """Whether notes wait to have their words taken in (a read: three index look-ups)."""
    row = db.execute(
        "SELECT (SELECT max(rowid) FROM notes) > (SELECT indexed_to FROM note_words_watermark)"
        " OR EXISTS (SELECT 1 FROM note_words_pending)"
    ).fetchone()
    return bool(row[0])


def catch_up_words(db: sqlite_utils.Database) -> int:
    """Take in the words of the notes above the watermark and of the queued ones.

    Returns how many notes were read. Deleted notes are read too (their words
    cost nothing and a restored note is then found). When nothing is pending this
    only reads; inside a write transaction it joins it.
    """
    if not db.conn.in_transaction and not words_pending(db):
        return 0
    _ensure_probe(db)
    with write(db):
        mark = db.execute("SELECT indexed_to FROM note_words_watermark WHERE id = 1").fetchone()[0]
        top = db.execute("SELECT coalesce(max(rowid), 0) FROM notes").fetchone()[0]
        _clear_probe(db)
        read = db.execute(
            "INSERT INTO temp.note_words_probe (rowid, text) SELECT rowid, text FROM notes"
            " WHERE (rowid > ? AND rowid <= ?)"
            " OR rowid IN (SELECT note_rowid FROM note_words_pending)",
            [mark, top],
        ).rowcount
        db.execute(
            "INSERT OR IGNORE INTO note_words (word) SELECT term FROM temp.note_words_probe_vocab"
        )
        _clear_probe(db)
        db.execute("DELETE FROM note_words_pending")
        if top > mark:
            db.execute("UPDATE note_words_watermark SET indexed_to = ? WHERE id = 1", [top])
        return read


def fold_word(db: sqlite_utils.Database, term: str) -> str | None:
    """``term`` folded as the word index folds it, or None when it is not one word.

    The temporary tokenizer table is written, not the database: this works on a
    read-only connection too.
    """
    _ensure_probe(db, FOLD)
    try:
        db.execute(f"INSERT INTO temp.{FOLD} (rowid, text) VALUES (1, ?)", [term])
        words = [r[0] for r in db.execute(f"SELECT term FROM temp.{FOLD}_vocab")]
    finally:
        _clear_probe(db, FOLD)
    return words[0] if len(words) == 1 else None


def words_containing(db: sqlite_utils.Database, part: str, cap: int) -> list[str] | None:
    """The words of the index that contain ``part`` (folded, 3+ characters).

    None when more than ``cap`` do (the caller then asks the trigram index of
    the notes, which is faster for a common part) or when the vocabulary is not
    there (an older database opened read-only).
    """
    quoted = '"' + part.replace('"', '""') + '"'
    try:
        rows = db.execute(
            "SELECT word FROM note_words WHERE id IN (SELECT rowid FROM note_words_trigram"
            " WHERE note_words_trigram MATCH ? LIMIT ?)",
            [quoted, cap + 1],
        ).fetchall()
    except sqlite3.OperationalError:
        return None
    if len(rows) > cap:
        return None
    return [r[0] for r in rows]
