"""Shared fixtures: every test gets its own dialoog home and database.

It also installs the guard of issue 9 (:mod:`db_guard`): any ``open()`` /
``os.open()`` in a test process of a file this process already holds open (a
database, its ``-wal`` or ``-shm`` held by SQLite) fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from db_guard import unsafe_opens
from dialoog.i18n import set_language
from dialoog.plans import find_plan
from dialoog.storage import Store


@pytest.fixture(autouse=True)
def _no_unsafe_database_opens():
    """Fail a test in which Python opened a database file SQLite holds (even if caught)."""
    unsafe_opens.clear()
    yield
    if unsafe_opens:
        found = list(unsafe_opens)
        unsafe_opens.clear()
        pytest.fail("\n".join(found), pytrace=False)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder; speak English unless a test says otherwise."""
    monkeypatch.setenv("DIALOOG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DIALOOG_LANG", "en")
    set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file (not yet created)."""
    return tmp_path / "dialoog.db"


@pytest.fixture
def store(db_path: Path):
    """An open store on a fresh database."""
    with Store.open(db_path) as s:
        yield s


@pytest.fixture
def session(store: Store):
    """The 19 February 2015 SER session, created from its bundled plan."""
    return store.create_session(find_plan("skills"))
