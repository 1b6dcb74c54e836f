"""The stdlib look at a session that ``dialoog capture`` starts with (dialoog.storage.peek)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialoog.errors import NotFoundError
from dialoog.models import Session
from dialoog.storage import connection
from dialoog.storage.migrations import migration_names
from dialoog.storage.peek import APPLICATION_ID, SCHEMA_VERSION, peek_session
from dialoog.storage.store import Store


def test_constants_match_the_store() -> None:
    assert len(migration_names()) == SCHEMA_VERSION
    assert APPLICATION_ID == connection.APPLICATION_ID


def test_preview_has_title_agenda_and_current_item(
    db_path: Path, store: Store, session: Session
) -> None:
    preview = peek_session(db_path, session.id, 3)
    assert preview is not None
    assert preview.title == session.title
    assert [(i.kind, i.title, list(i.questions)) for i in preview.agenda] == [
        (i.kind.value, i.title, i.questions) for i in session.plan.agenda
    ]
    assert preview.current_item is None
    store.set_clock(session.id, current_item=4, state="idle")
    assert peek_session(db_path, session.id, 3).current_item == 4  # type: ignore[union-attr]


def test_unknown_session_and_table_give_the_stores_messages(
    db_path: Path, store: Store, session: Session
) -> None:
    with pytest.raises(NotFoundError) as peeked:
        peek_session(db_path, "nope", 3)
    with pytest.raises(NotFoundError) as stored:
        store.get_session("nope")
    assert str(peeked.value) == str(stored.value)
    with pytest.raises(NotFoundError) as peeked:
        peek_session(db_path, session.id, 99)
    with pytest.raises(NotFoundError) as stored:
        store.check_table(session, 99)
    assert str(peeked.value) == str(stored.value)


def test_databases_it_cannot_read_are_left_to_the_store(tmp_path: Path, db_path: Path) -> None:
    assert peek_session(db_path, "x", 1) is None  # no file yet
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    assert peek_session(junk, "x", 1) is None
    with Store.open(db_path) as store:
        store.db.execute("PRAGMA user_version = 1")  # an older schema: the store migrates
    assert peek_session(db_path, "x", 1) is None
