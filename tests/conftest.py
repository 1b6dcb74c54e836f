"""Shared fixtures: every test gets its own dialoog home and database.

It also installs the guard of issue 9: any ``open()`` / ``os.open()`` in a test
process of a file this process already holds open (a database, its ``-wal`` or
``-shm`` held by SQLite) fails the test. Closing such a second descriptor drops
every POSIX lock SQLite holds on the file (see ``storage/connection.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dialoog.i18n import set_language
from dialoog.plans import find_plan
from dialoog.storage import Store

_DB_SUFFIXES = (".db", "-wal", "-shm", "-journal", ".sqlite", ".sqlite3")
_unsafe_opens: list[str] = []


def _held_by_this_process(path: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False  # a new file: nobody holds it
    fd_dir = "/proc/self/fd"
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return False  # not Linux: the guard cannot look
    for fd in fds:
        try:
            other = os.stat(f"{fd_dir}/{fd}")
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            return True
    return False


def _guard_database_opens(event: str, args: tuple) -> None:
    if event != "open" or not args:
        return
    target = args[0]
    if isinstance(target, int):
        return
    try:
        name = os.fsdecode(os.fspath(target))
    except TypeError:
        return
    if not name.endswith(_DB_SUFFIXES) or not _held_by_this_process(name):
        return
    message = (
        f"{name} was opened with Python while this process holds it open (through SQLite); "
        "closing that descriptor drops SQLite's locks. Read it through SQLite instead "
        "(dialoog.storage.connection.copy_database, or a subprocess)."
    )
    _unsafe_opens.append(message)
    raise PermissionError(message)


sys.addaudithook(_guard_database_opens)


@pytest.fixture(autouse=True)
def _no_unsafe_database_opens():
    """Fail a test in which Python opened a database file SQLite holds (even if caught)."""
    _unsafe_opens.clear()
    yield
    if _unsafe_opens:
        found = list(_unsafe_opens)
        _unsafe_opens.clear()
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
