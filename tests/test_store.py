"""The store: notes are saved, revised, softly deleted and searchable; files are guarded."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from dialoog.errors import NotFoundError, StoreError
from dialoog.models import NoteKind
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.connection import APPLICATION_ID
from dialoog.storage.store import EmptyNoteError, NewNote, NoteTooLongError


def test_connection_rules(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_database_file_is_private(store: Store, db_path: Path) -> None:
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600


def test_session_ids_are_readable_and_unique(store: Store) -> None:
    plan = find_plan("skills")
    first = store.create_session(plan)
    second = store.create_session(plan)
    assert (first.id, second.id) == ("2015-02-19-skills", "2015-02-19-skills-2")
    assert [s.id for s in store.list_sessions()] == [second.id, first.id]


def test_resolve_item(store: Store, session) -> None:
    assert store.resolve_item(session, "4") == 4
    assert store.resolve_item(session, "ronde-1") == 4
    assert store.resolve_item(session, "round 2") == 5
    assert store.resolve_item(session, "gespreksronde 1") == 4
    with pytest.raises(NotFoundError, match="no agenda item"):
        store.resolve_item(session, "ronde-9")


def test_edit_keeps_every_text(store: Store, session) -> None:
    note = store.add_typed_note(session.id, table=3, item=4, raw="Eerste versie met één fout")
    store.edit_typed_note(note.id, "!Tweede versie #mbo")
    store.edit_note(note.id, text="Derde versie")
    store.delete_note(note.id)
    store.restore_note(note.id)
    final = store.get_note(note.id)
    assert final.text == "Derde versie"
    assert final.kind is NoteKind.RECOMMENDATION
    assert final.tags == ["mbo"]
    assert [(r.rev, r.action, r.text) for r in final.revisions] == [
        (1, "create", "Eerste versie met één fout"),
        (2, "edit", "Tweede versie"),
        (3, "edit", "Derde versie"),
        (4, "delete", "Derde versie"),
        (5, "restore", "Derde versie"),
    ]


def test_soft_delete_and_undo(store: Store, session) -> None:
    keep = store.add_typed_note(session.id, table=1, item=4, raw="blijft")
    gone = store.add_typed_note(session.id, table=1, item=4, raw="gaat weg")
    store.delete_note(gone.id)
    assert [n.text for n in store.list_notes(session.id, table=1)] == ["blijft"]
    assert len(store.list_notes(session.id, include_deleted=True)) == 2
    assert store.get_note(gone.id).deleted
    store.restore_note(gone.id)
    assert [n.id for n in store.list_notes(session.id, table=1)] == [keep.id, gone.id]


def test_fts_follows_inserts_edits_and_deletes(store: Store, session) -> None:
    note = store.add_typed_note(session.id, table=2, item=4, raw="Verkeersveiligheid rond scholen")
    assert [n.id for n in store.search_notes("verkeersveiligheid")] == [note.id]
    store.edit_note(note.id, text="Fietsroutes naar school")
    assert store.search_notes("verkeersveiligheid") == []
    assert [n.id for n in store.search_notes("fietsroutes")] == [note.id]
    store.delete_note(note.id)
    assert store.search_notes("fietsroutes") == []
    store.restore_note(note.id)
    assert [n.id for n in store.search_notes("fietsroutes")] == [note.id]
    store.db.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")


def test_search_ignores_diacritics(store: Store, session) -> None:
    note = store.add_typed_note(session.id, table=2, item=4, raw="Een geïnteresseerde werkgever")
    assert [n.id for n in store.search_notes("geinteresseerde")] == [note.id]


def test_bad_notes_are_refused(store: Store, session) -> None:
    with pytest.raises(EmptyNoteError):
        store.add_typed_note(session.id, table=1, item=4, raw="   #knelpunt  ")
    with pytest.raises(NoteTooLongError):
        store.add_typed_note(session.id, table=1, item=4, raw="x" * 20_001)
    assert store.list_notes(session.id) == []


def test_add_notes_is_all_or_nothing(store: Store, session) -> None:
    with pytest.raises(EmptyNoteError):
        store.add_notes(session.id, [NewNote(1, 4, "goed"), NewNote(1, 4, "  ")])
    assert store.list_notes(session.id) == []
    ids = store.add_notes(session.id, [NewNote(1, 4, f"nr {i}") for i in range(50)])
    assert [n.id.hex for n in store.list_notes(session.id)] == [i.replace("-", "") for i in ids]


def test_unknown_session_and_table(store: Store, session) -> None:
    with pytest.raises(NotFoundError, match="no session 'nope'"):
        store.get_session("nope")
    with pytest.raises(NotFoundError, match="no table 12"):
        store.check_table(session, 12)


def test_typing_draft(store: Store, session) -> None:
    assert store.load_draft(session.id, 3, item=4) == ""
    store.save_draft(session.id, 3, "half getypt…", item=4)
    assert store.load_draft(session.id, 3, item=4) == "half getypt…"
    store.save_draft(session.id, 3, "", item=4)
    assert store.load_draft(session.id, 3, item=4) == ""


def test_clock_is_shared_between_connections(store: Store, session, db_path: Path) -> None:
    with Store.open(db_path) as other:
        other.set_clock(session.id, current_item=5, state="paused", remaining_s=120.0)
    clock = store.clock(session.id)
    assert (clock.current_item, clock.state, clock.seconds_left()) == (5, "paused", 120.0)


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"dit is geen database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a dialoog database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('dialoog', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer dialoog"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_domain_never_attributes_table_notes(store: Store, session) -> None:
    """Notes carry a table, never a person (Chatham House)."""
    columns = {c.name for c in store.db["notes"].columns}
    assert not columns & {"participant_id", "author", "person"}


def test_saving_a_typed_note_takes_it_out_of_the_draft(store: Store, session) -> None:
    store.save_draft(session.id, 3, "eerste notitie\ntweede, nog bezig", item=4)
    store.add_typed_note(session.id, table=3, item=4, raw="eerste notitie", consume_draft=True)
    assert store.load_draft(session.id, 3, item=4) == "tweede, nog bezig"
    # A note whose text is not (or no longer) in the draft leaves the draft alone.
    store.add_typed_note(session.id, table=3, item=4, raw="iets anders", consume_draft=True)
    assert store.load_draft(session.id, 3, item=4) == "tweede, nog bezig"
    store.add_typed_note(session.id, table=3, item=4, raw="tweede, nog bezig", consume_draft=True)
    assert store.load_draft(session.id, 3, item=4) == ""


def test_consuming_keeps_multiline_neighbours_intact(store: Store, session) -> None:
    store.save_draft(session.id, 2, "a\n\nregel\nmidden\nb", item=4)
    store.add_typed_note(session.id, table=2, item=4, raw="midden", consume_draft=True)
    assert store.load_draft(session.id, 2, item=4) == "a\n\nregel\nb"
    store.add_typed_note(session.id, table=2, item=4, raw="b", consume_draft=True)
    assert store.load_draft(session.id, 2, item=4) == "a\n\nregel"
    store.save_draft(session.id, 2, "middenstand\nmidden", item=4)
    store.add_typed_note(session.id, table=2, item=4, raw="midden", consume_draft=True)
    assert store.load_draft(session.id, 2, item=4) == "middenstand"


def test_a_draft_is_stored_cleaned_and_still_consumed_by_its_raw_note(
    store: Store, session
) -> None:
    """A draft is cleaned like a note (NFC, no escapes), so a bundle carries it unchanged.

    U+F9FD is a CJK compatibility ideograph that NFC turns into U+4EC0: stored raw,
    a laptop's draft and the same draft merged from its bundle differed (found by
    the merge property test).
    """
    raw = "\uf9fd eerste\x1b[2J\nnog bezig"
    store.save_draft(session.id, 5, raw, item=4)
    assert store.load_draft(session.id, 5, item=4) == "\u4ec0 eerste[2J\nnog bezig"
    store.add_typed_note(
        session.id, table=5, item=4, raw="\uf9fd eerste\x1b[2J", consume_draft=True
    )
    assert store.load_draft(session.id, 5, item=4) == "nog bezig"


def test_refusal_leaves_no_files_beside_the_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for extra in tmp_path.glob("other.db-*"):
        extra.unlink()
    before = path.read_bytes()
    with pytest.raises(StoreError):
        Store.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_our_id_without_a_schema_record_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE notes (id)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged dialoog database"):
        Store.open(path)
    assert path.read_bytes() == before
