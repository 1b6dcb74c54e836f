"""The guard of issue 9: Python must never open a file SQLite holds in this process.

Installed for the whole test run by ``tests/conftest.py``. Any ``open()`` or
``os.open()`` of a database, ``-wal`` or ``-shm`` file that this process already
holds open (through SQLite) raises :class:`PermissionError` and is recorded in
:data:`unsafe_opens`, which fails the test even when the error was caught.
Closing such a second descriptor drops every POSIX lock SQLite holds on the file
(see ``storage/connection.py``).
"""

from __future__ import annotations

import os
import sys

_DB_SUFFIXES = (".db", "-wal", "-shm", "-journal", ".sqlite", ".sqlite3")
unsafe_opens: list[str] = []


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
    unsafe_opens.append(message)
    raise PermissionError(message)


sys.addaudithook(_guard_database_opens)
