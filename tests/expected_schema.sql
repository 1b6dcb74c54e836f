-- index idx__sqlite_migrations_migration_set_name
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name" ON "_sqlite_migrations" ("migration_set", "name");
-- index notes_by_place
CREATE INDEX notes_by_place ON notes (session_id, item, table_no, created_at);
-- index participants_match
CREATE UNIQUE INDEX participants_match ON participants (session_id, match_key);
-- index report_drafts_by_subject
CREATE INDEX report_drafts_by_subject ON report_drafts (session_id, series, created_at);
-- index seating_by_participant
CREATE INDEX seating_by_participant ON seating (participant_id);
-- index serve_tokens_by_session
CREATE INDEX serve_tokens_by_session ON serve_tokens (session_id, role, table_no);
-- index theme_notes_by_note
CREATE INDEX theme_notes_by_note ON theme_notes (note_id);
-- index themes_by_item
CREATE INDEX themes_by_item ON themes (session_id, item, position);
-- table _sqlite_migrations
CREATE TABLE "_sqlite_migrations" ( "id" INTEGER PRIMARY KEY, "migration_set" TEXT, "name" TEXT, "applied_at" TEXT );
-- table agenda_items
CREATE TABLE agenda_items ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL, key TEXT, kind TEXT NOT NULL, title TEXT NOT NULL, questions_json TEXT NOT NULL DEFAULT '[]', duration_minutes INTEGER, PRIMARY KEY (session_id, position) );
-- table backups
CREATE TABLE backups ( id INTEGER PRIMARY KEY, path TEXT NOT NULL, made_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'backup', size_bytes INTEGER, note_count INTEGER );
-- table example_initiatives
CREATE TABLE example_initiatives ( id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, title TEXT NOT NULL, author TEXT, organisation TEXT, text TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0 );
-- table item_summaries
CREATE TABLE item_summaries ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, item INTEGER NOT NULL, text TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL, PRIMARY KEY (session_id, item) );
-- table note_revisions
CREATE TABLE note_revisions ( note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE, rev INTEGER NOT NULL, action TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, tags_json TEXT NOT NULL DEFAULT '[]', question INTEGER, created_at TEXT NOT NULL, PRIMARY KEY (note_id, rev) );
-- table note_words
CREATE TABLE note_words ( id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE );
-- table note_words_pending
CREATE TABLE note_words_pending ( note_rowid INTEGER PRIMARY KEY );
-- table note_words_trigram
CREATE VIRTUAL TABLE note_words_trigram USING fts5( word, content='note_words', content_rowid='id', tokenize='trigram' );
-- table note_words_trigram_config
CREATE TABLE 'note_words_trigram_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table note_words_trigram_data
CREATE TABLE 'note_words_trigram_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table note_words_trigram_docsize
CREATE TABLE 'note_words_trigram_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table note_words_trigram_idx
CREATE TABLE 'note_words_trigram_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table note_words_watermark
CREATE TABLE note_words_watermark ( id INTEGER PRIMARY KEY CHECK (id = 1), indexed_to INTEGER NOT NULL );
-- table notes
CREATE TABLE notes ( id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, table_no INTEGER NOT NULL, item INTEGER NOT NULL, question INTEGER, kind TEXT NOT NULL, text TEXT NOT NULL, tags_json TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, rev INTEGER NOT NULL DEFAULT 1 );
-- table notes_fts
CREATE VIRTUAL TABLE notes_fts USING fts5( text, content='notes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2' );
-- table notes_fts_config
CREATE TABLE 'notes_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table notes_fts_data
CREATE TABLE 'notes_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table notes_fts_docsize
CREATE TABLE 'notes_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table notes_fts_idx
CREATE TABLE 'notes_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table notes_trigram
CREATE VIRTUAL TABLE notes_trigram USING fts5( text, content='notes', content_rowid='rowid', tokenize='trigram' );
-- table notes_trigram_config
CREATE TABLE 'notes_trigram_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table notes_trigram_data
CREATE TABLE 'notes_trigram_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table notes_trigram_docsize
CREATE TABLE 'notes_trigram_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table notes_trigram_idx
CREATE TABLE 'notes_trigram_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table participant_settings
CREATE TABLE participant_settings ( session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE, convention TEXT NOT NULL DEFAULT 'dutch' CHECK (convention IN ('dutch', 'belgian')) );
-- table participants
CREATE TABLE participants ( id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, given_name TEXT NOT NULL DEFAULT '', tussenvoegsel TEXT NOT NULL DEFAULT '', surname TEXT NOT NULL, organisation TEXT, roles_json TEXT NOT NULL DEFAULT '["participant"]', email TEXT, in_appendix INTEGER NOT NULL DEFAULT 1 , name_locked INTEGER NOT NULL DEFAULT 0, match_key TEXT);
-- table report_drafts
CREATE TABLE report_drafts ( id INTEGER PRIMARY KEY, session_id TEXT, series TEXT, template TEXT NOT NULL, format TEXT NOT NULL, created_at TEXT NOT NULL, context_hash TEXT NOT NULL, size INTEGER NOT NULL, output BLOB NOT NULL );
-- table seating
CREATE TABLE seating ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, item INTEGER NOT NULL, participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE, table_no INTEGER NOT NULL, manual INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (session_id, item, participant_id) );
-- table series
CREATE TABLE series ( slug TEXT PRIMARY KEY, title TEXT NOT NULL, organiser TEXT, description TEXT, language TEXT NOT NULL DEFAULT 'nl' );
-- table serve_tokens
CREATE TABLE serve_tokens ( id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, role TEXT NOT NULL CHECK (role IN ('table', 'chair', 'secretary')), table_no INTEGER, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT, CHECK ((role = 'table') = (table_no IS NOT NULL)) );
-- table session_clock
CREATE TABLE session_clock ( session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE, current_item INTEGER, state TEXT NOT NULL DEFAULT 'idle', ends_at TEXT, remaining_s REAL, updated_at TEXT NOT NULL );
-- table session_tables
CREATE TABLE session_tables ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, number INTEGER NOT NULL, name TEXT, chair TEXT, PRIMARY KEY (session_id, number) );
-- table sessions
CREATE TABLE sessions ( id TEXT PRIMARY KEY, slug TEXT NOT NULL, title TEXT NOT NULL, theme TEXT, date TEXT, venue TEXT, language TEXT NOT NULL DEFAULT 'nl', series TEXT REFERENCES series(slug), plan_json TEXT NOT NULL, created_at TEXT NOT NULL );
-- table theme_notes
CREATE TABLE theme_notes ( theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE, note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE, PRIMARY KEY (theme_id, note_id) );
-- table themes
CREATE TABLE themes ( id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, item INTEGER NOT NULL, title TEXT NOT NULL, synthesis TEXT NOT NULL DEFAULT '', contested INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL );
-- table trigram_watermark
CREATE TABLE trigram_watermark ( id INTEGER PRIMARY KEY CHECK (id = 1), indexed_to INTEGER NOT NULL );
-- table typing_drafts
CREATE TABLE "typing_drafts" ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, table_no INTEGER NOT NULL, item INTEGER NOT NULL, text TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (session_id, table_no, item) );
-- trigger note_words_below_insert
CREATE TRIGGER note_words_below_insert AFTER INSERT ON notes WHEN new.rowid <= (SELECT indexed_to FROM note_words_watermark WHERE id = 1) BEGIN INSERT OR IGNORE INTO note_words_pending (note_rowid) VALUES (new.rowid); END;
-- trigger note_words_below_update
CREATE TRIGGER note_words_below_update AFTER UPDATE OF text ON notes WHEN new.rowid <= (SELECT indexed_to FROM note_words_watermark WHERE id = 1) BEGIN INSERT OR IGNORE INTO note_words_pending (note_rowid) VALUES (new.rowid); END;
-- trigger note_words_insert
CREATE TRIGGER note_words_insert AFTER INSERT ON note_words BEGIN INSERT INTO note_words_trigram (rowid, word) VALUES (new.id, new.word); END;
-- trigger notes_fts_delete
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes WHEN old.deleted_at IS NULL BEGIN INSERT INTO notes_fts (notes_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END;
-- trigger notes_fts_insert
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN INSERT INTO notes_fts (rowid, text) VALUES (new.rowid, new.text); END;
-- trigger notes_fts_update
CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, deleted_at ON notes BEGIN INSERT INTO notes_fts (notes_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.deleted_at IS NULL; INSERT INTO notes_fts (rowid, text) SELECT new.rowid, new.text WHERE new.deleted_at IS NULL; END;
-- trigger notes_trigram_delete
CREATE TRIGGER notes_trigram_delete AFTER DELETE ON notes WHEN old.deleted_at IS NULL AND old.rowid <= (SELECT indexed_to FROM trigram_watermark WHERE id = 1) BEGIN INSERT INTO notes_trigram (notes_trigram, rowid, text) VALUES ('delete', old.rowid, old.text); END;
-- trigger notes_trigram_insert
CREATE TRIGGER notes_trigram_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL AND new.rowid <= (SELECT indexed_to FROM trigram_watermark WHERE id = 1) BEGIN INSERT INTO notes_trigram (rowid, text) VALUES (new.rowid, new.text); END;
-- trigger notes_trigram_update
CREATE TRIGGER notes_trigram_update AFTER UPDATE OF text, deleted_at ON notes WHEN old.rowid <= (SELECT indexed_to FROM trigram_watermark WHERE id = 1) BEGIN INSERT INTO notes_trigram (notes_trigram, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.deleted_at IS NULL; INSERT INTO notes_trigram (rowid, text) SELECT new.rowid, new.text WHERE new.deleted_at IS NULL; END;
