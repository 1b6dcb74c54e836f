"""Fixtures for the Pilot tests: a temporary database holding the 'skills' session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_pilot import SESSION

from dialoog import i18n
from dialoog.plans import find_plan
from dialoog.storage.store import Store


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English and leaves the language as it found it."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A temporary database with the 'skills' session (agenda of 6 items, 8 tables)."""
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        session = store.create_session(find_plan("skills"))
        assert session.id == SESSION
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A second connection to the test database, as another process would have."""
    with Store.open(db_path) as s:
        yield s


@pytest.fixture
def demo(store: Store) -> Store:
    """The test database with the demo session (86 notes) beside the empty one."""
    from dialoog.demo import create_demo

    create_demo(store)
    return store
