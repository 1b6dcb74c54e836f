-- index idx__sqlite_migrations_migration_set_name
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name" ON "_sqlite_migrations" ("migration_set", "name");
-- index notes_by_place
CREATE INDEX notes_by_place ON notes (session_id, item, table_no, created_at);
-- table _sqlite_migrations
CREATE TABLE "_sqlite_migrations" ( "id" INTEGER PRIMARY KEY, "migration_set" TEXT, "name" TEXT, "applied_at" TEXT );
-- table agenda_items
CREATE TABLE agenda_items ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL, key TEXT, kind TEXT NOT NULL, title TEXT NOT NULL, questions_json TEXT NOT NULL DEFAULT '[]', duration_minutes INTEGER, PRIMARY KEY (session_id, position) );
-- table note_revisions
CREATE TABLE note_revisions ( note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE, rev INTEGER NOT NULL, action TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, tags_json TEXT NOT NULL DEFAULT '[]', question INTEGER, created_at TEXT NOT NULL, PRIMARY KEY (note_id, rev) );
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
-- table participants
CREATE TABLE participants ( id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, given_name TEXT NOT NULL DEFAULT '', tussenvoegsel TEXT NOT NULL DEFAULT '', surname TEXT NOT NULL, organisation TEXT, roles_json TEXT NOT NULL DEFAULT '["participant"]', email TEXT, in_appendix INTEGER NOT NULL DEFAULT 1 );
-- table series
CREATE TABLE series ( slug TEXT PRIMARY KEY, title TEXT NOT NULL, organiser TEXT, description TEXT, language TEXT NOT NULL DEFAULT 'nl' );
-- table session_clock
CREATE TABLE session_clock ( session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE, current_item INTEGER, state TEXT NOT NULL DEFAULT 'idle', ends_at TEXT, remaining_s REAL, updated_at TEXT NOT NULL );
-- table session_tables
CREATE TABLE session_tables ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, number INTEGER NOT NULL, name TEXT, chair TEXT, PRIMARY KEY (session_id, number) );
-- table sessions
CREATE TABLE sessions ( id TEXT PRIMARY KEY, slug TEXT NOT NULL, title TEXT NOT NULL, theme TEXT, date TEXT, venue TEXT, language TEXT NOT NULL DEFAULT 'nl', series TEXT REFERENCES series(slug), plan_json TEXT NOT NULL, created_at TEXT NOT NULL );
-- table typing_drafts
CREATE TABLE typing_drafts ( session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, table_no INTEGER NOT NULL, text TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (session_id, table_no) );
-- trigger notes_fts_delete
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes WHEN old.deleted_at IS NULL BEGIN INSERT INTO notes_fts (notes_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END;
-- trigger notes_fts_insert
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN INSERT INTO notes_fts (rowid, text) VALUES (new.rowid, new.text); END;
-- trigger notes_fts_update
CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, deleted_at ON notes BEGIN INSERT INTO notes_fts (notes_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.deleted_at IS NULL; INSERT INTO notes_fts (rowid, text) SELECT new.rowid, new.text WHERE new.deleted_at IS NULL; END;
