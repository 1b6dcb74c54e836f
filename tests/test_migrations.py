"""Migrations: the schema they make, and upgrades that keep data."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from dialoog.storage import Store
from dialoog.storage.connection import configure
from dialoog.storage.migrations import MIGRATIONS, migration_names

EXPECTED = Path(__file__).parent / "expected_schema.sql"


def schema_of(db_path: Path) -> str:
    """A stable description of the schema: every CREATE statement, sorted by name."""
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    conn.close()
    return "\n".join(f"-- {t} {n}\n{' '.join(sql.split())};" for t, n, sql in rows) + "\n"


def test_schema_matches_expected(db_path: Path) -> None:
    Store.open(db_path).close()
    actual = schema_of(db_path)
    if os.environ.get("DIALOOG_UPDATE_GOLDEN"):  # after adding a migration, then review the diff
        EXPECTED.write_text(actual, encoding="utf-8")
    assert actual == EXPECTED.read_text(encoding="utf-8")


def test_upgrade_from_first_migration_keeps_data(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    configure(conn)
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before=migration_names()[1])
    db.execute("PRAGMA application_id = 1145651532")
    db["sessions"].insert(
        {
            "id": "s1",
            "slug": "skills",
            "title": "Oud",
            "plan_json": "{}",
            "created_at": "2015-02-19",
        }
    )
    db["notes"].insert(
        {
            "id": "n1",
            "session_id": "s1",
            "table_no": 1,
            "item": 4,
            "kind": "quote",
            "text": "Een oude notitie over verkeersveiligheid",
            "tags_json": "[]",
            "created_at": "2015-02-19T10:00:00+00:00",
            "updated_at": "2015-02-19T10:00:00+00:00",
        }
    )
    conn.close()

    store = Store.open(db_path)
    applied = [m.name for m in MIGRATIONS.applied(store.db)]
    assert applied == migration_names()
    row = store.db.execute("SELECT text, kind FROM notes WHERE id = 'n1'").fetchone()
    assert row == ("Een oude notitie over verkeersveiligheid", "quote")
    # The search index built by a later migration covers the old note.
    hits = store.db.execute(
        "SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'verkeersveiligheid'"
    ).fetchall()
    assert len(hits) == 1
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(migration_names())
    store.close()
    assert schema_of(db_path) == EXPECTED.read_text(encoding="utf-8")


def test_upgrade_from_m006_defers_the_trigram_index(db_path: Path) -> None:
    """m007 on a database with notes: the watermark starts at the last note, all indexed."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    configure(conn)
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="m007_trigram_deferred")
    db.execute("PRAGMA application_id = 1145651532")
    db["sessions"].insert(
        {"id": "s1", "slug": "skills", "title": "Oud", "plan_json": "{}", "created_at": "2015"}
    )
    for n, (text, deleted) in enumerate(
        [
            ("Een oude notitie over verkeersveiligheid", None),
            ("Weggehaald: levenlanglerenbeleid", "2015-02-19T11:00:00+00:00"),
            ("Werkgeversbetrokkenheid in de regio", None),
        ]
    ):
        db["notes"].insert(
            {
                "id": f"00000000-0000-4000-8000-00000000000{n}",
                "session_id": "s1",
                "table_no": 1,
                "item": 4,
                "kind": "quote",
                "text": text,
                "tags_json": "[]",
                "created_at": "2015-02-19T10:00:00+00:00",
                "updated_at": "2015-02-19T10:00:00+00:00",
                "deleted_at": deleted,
            }
        )
    conn.close()

    store = Store.open(db_path)
    assert [m.name for m in MIGRATIONS.applied(store.db)] == migration_names()
    assert store.db.execute("SELECT id, indexed_to FROM trigram_watermark").fetchall() == [(1, 3)]

    def part(term: str) -> list[int]:
        return [
            int(r[0][-1])
            for r in store.db.execute(
                "SELECT n.id FROM notes_trigram t JOIN notes n ON n.rowid = t.rowid"
                " WHERE notes_trigram MATCH ? ORDER BY n.id",
                [f'"{term}"'],
            )
        ]

    assert part("veiligheid") == [0]
    assert part("betrokken") == [2]
    assert part("lerenbeleid") == []  # soft-deleted notes stay out
    # Old notes are still kept by the triggers: an edit and a restore.
    store.edit_note("00000000-0000-4000-8000-000000000000", text="Nu over fietsveiligheid")
    store.restore_note("00000000-0000-4000-8000-000000000001")
    assert part("veiligheid") == [0]
    assert part("lerenbeleid") == [1]
    # No note is deleted now: FTS5 can hold the index to the whole notes table.
    store.db.execute(
        "INSERT INTO notes_trigram (notes_trigram, rank) VALUES ('integrity-check', 1)"
    )
    store.close()
    assert schema_of(db_path) == EXPECTED.read_text(encoding="utf-8")


def test_a_draft_kept_per_table_moves_to_the_programmes_item(db_path: Path) -> None:
    """m008: a draft from before drafts had an item goes to the item the clock is at."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    configure(conn)
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="m008_drafts_per_item")
    db.execute("PRAGMA application_id = 1145651532")
    for sid, item in (("s1", 4), ("s2", None)):
        db["sessions"].insert(
            {"id": sid, "slug": "x", "title": "Oud", "plan_json": "{}", "created_at": "2015"}
        )
        db["session_clock"].insert(
            {"session_id": sid, "current_item": item, "state": "idle", "updated_at": "2015"}
        )
        db["typing_drafts"].insert(
            {"session_id": sid, "table_no": 3, "text": f"half in {sid}", "updated_at": "2015"}
        )
    conn.close()
    with Store.open(db_path) as store:
        assert store.load_drafts("s1", 3) == {4: "half in s1"}
        assert store.load_drafts("s2", 3) == {1: "half in s2"}  # the clock never ran
