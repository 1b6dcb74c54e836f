"""The standard-library road of `notes add` and `notes list` acts as the store does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.errors import DialoogError, NotFoundError
from dialoog.storage import Store
from dialoog.storage.quick import open_quick


def test_missing_empty_or_foreign_files_go_to_the_store(tmp_path: Path) -> None:
    assert open_quick(tmp_path / "none.db") is None
    (tmp_path / "empty.db").touch()
    assert open_quick(tmp_path / "empty.db") is None
    import sqlite3

    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.close()
    assert open_quick(tmp_path / "other.db") is None


@pytest.mark.parametrize(
    "ref", ["1", "4", "ronde-1", "Ronde-2", "round 1", "gespreksronde 2", "ronde 2", "opening"]
)
def test_items_resolve_as_the_store_resolves_them(store: Store, session, db_path, ref) -> None:
    quick = open_quick(db_path)
    assert quick is not None
    try:
        assert quick.get_session(session.id).resolve_item(ref) == store.resolve_item(session, ref)
    finally:
        quick.close()


@pytest.mark.parametrize("ref", ["0", "99", "ronde 9", "zz"])
def test_unknown_items_get_the_store_message(store: Store, session, db_path, ref) -> None:
    quick = open_quick(db_path)
    assert quick is not None
    with pytest.raises(NotFoundError) as theirs:
        store.resolve_item(session, ref)
    with pytest.raises(NotFoundError) as ours:
        quick.get_session(session.id).resolve_item(ref)
    quick.close()
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "raw",
    ["plain note", '"a quote', "! do this #tag1 #tag2", "?? open question #a #a", "  spaced  "],
)
def test_a_quick_note_is_the_note_the_store_would_save(store: Store, session, db_path, raw):
    quick = open_quick(db_path)
    assert quick is not None
    note_id = quick.add_typed_note(session.id, table=2, item=4, raw=raw, question=2)
    quick.close()
    ours = store.get_note(note_id)
    theirs = store.add_typed_note(session.id, table=2, item=4, raw=raw, question=2)
    assert (ours.kind, ours.text, ours.tags, ours.question, ours.rev) == (
        theirs.kind, theirs.text, theirs.tags, theirs.question, theirs.rev,
    )  # fmt: skip
    assert [(r.action, r.text, r.kind) for r in ours.revisions] == [
        (r.action, r.text, r.kind) for r in theirs.revisions
    ]
    word = re.findall(r"\w+", ours.text)[-1]
    assert note_id in {str(n.id) for n in store.search_notes(word, session.id)}  # indexed


@pytest.mark.parametrize("raw", ["", "   ", "! #only", "x" * 20_001])
def test_empty_or_too_long_notes_are_refused(store: Store, session, db_path, raw) -> None:
    quick = open_quick(db_path)
    assert quick is not None
    with pytest.raises(DialoogError):
        store.add_typed_note(session.id, table=1, item=1, raw=raw)
    with pytest.raises(DialoogError):
        quick.add_typed_note(session.id, table=1, item=1, raw=raw)
    quick.close()
    assert store.list_notes(session.id) == []


def test_list_json_is_the_store_json(store: Store, session, db_path) -> None:
    """``notes list --format json`` prints what the pydantic models printed."""
    for raw in ("one", "! two #t", '"three'):
        store.add_typed_note(session.id, table=1, item=4, raw=raw)
    gone = store.add_typed_note(session.id, table=1, item=4, raw="four")
    store.delete_note(gone.id)
    expected = [
        n.model_dump(mode="json", exclude={"revisions"})
        for n in store.list_notes(session.id, include_deleted=True)
    ]
    quick = open_quick(db_path)
    assert quick is not None
    got = [n.as_json() for n in quick.list_notes(session.id, include_deleted=True)]
    quick.close()
    assert got == expected
    result = subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(db_path), "notes", "list",
         "--session", session.id, "--deleted", "--format", "json"],
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_a_removed_database_file_is_not_written(store: Store, session, db_path) -> None:
    """The path check of the store: a note into a deleted file is refused, not 'saved'."""
    quick = open_quick(db_path)
    assert quick is not None
    moved = db_path.with_name("moved.db")
    db_path.rename(moved)
    with pytest.raises(DialoogError, match="removed"):
        quick.add_typed_note(session.id, table=1, item=1, raw="lost?")
    quick.close()


def test_note_ids_are_version_4_uuids() -> None:
    import uuid

    from dialoog.storage.quick import new_note_id

    ids = {new_note_id() for _ in range(1000)}
    assert len(ids) == 1000
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
