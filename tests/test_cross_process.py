"""A saved note survives other processes opening and closing the database.

POSIX advisory locks belong to a process and a file, not to a descriptor:
closing *any* descriptor a process holds on the database file drops every
lock SQLite holds on it in that process. The next process to close then
believes it is the last user, checkpoints and deletes the WAL, and what the
first process writes afterwards goes into a deleted file, shown as saved and
lost at the next crash.

This guard opens the store the way the capture app does (its reader's and its
writer's gate, ``tests/cross_process_child.py``), lets other processes open and
close the database (the ``sqlite3`` shell, ``dialoog notes list``, a plain
Python reader), has the first process write, checks that it still holds its
locks (``/proc/locks``) and that its WAL is not a deleted file, kills it with
SIGKILL and counts the notes from a fresh process.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.plans import find_plan
from dialoog.storage import Store

CHILD = Path(__file__).with_name("cross_process_child.py")
SESSION_ID = "2015-02-19-skills"

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")


def held_locks(pid: int, path: Path) -> int:
    """How many POSIX locks process ``pid`` holds on the file at ``path``."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return 0  # deleted under the process, which then holds nothing on the new file
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    count = 0
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  READ 1234 08:01:5678 1073741826 1073742335"
        if "POSIX" in fields and str(pid) in fields:
            dev_ino = fields[fields.index(str(pid)) + 1]
            major, minor, ino = dev_ino.split(":")
            if f"{int(major, 16):02x}:{int(minor, 16):02x}:{ino}" == wanted:
                count += 1
    return count


def deleted_open_files(pid: int, db: Path) -> list[str]:
    """The database files (db, -wal, -shm) process ``pid`` holds open that no longer have a name.

    SQLite's own temporary files are unlinked on purpose as they are opened; they
    are not the database's and do not count.
    """
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(db)) and target.endswith(" (deleted)"):
            out.append(target)
    return out


class Holder:
    """The child that holds the store open and writes when told."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(db), SESSION_ID],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.ask(None) == "ready"

    def ask(self, command: str | None) -> str:
        assert self.proc.stdin and self.proc.stdout
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the child died (exit {self.proc.poll()})"
        return line.strip()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def count_from_fresh_process(db: Path) -> int:
    """Count the live notes from a new Python process, not from any writer's connection."""
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        "print(c.execute('select count(*) from notes where deleted_at is null').fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


def _sqlite3_shell(db: Path) -> None:
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        pytest.skip("no sqlite3 shell")
    subprocess.run([sqlite, str(db), ".tables"], check=True, capture_output=True)


def _dialoog_notes_list(db: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dialoog",
            "--db",
            str(db),
            "notes",
            "list",
            "--session",
            SESSION_ID,
            "--table",
            "1",
        ],
        check=True,
        capture_output=True,
    )


def _python_reader(db: Path) -> None:
    code = (
        "import sqlite3, sys; "
        "sqlite3.connect(sys.argv[1]).execute('select count(*) from notes').fetchone()"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, capture_output=True)


OTHERS = {"sqlite3": _sqlite3_shell, "notes-list": _dialoog_notes_list, "python": _python_reader}


@pytest.fixture
def session_db(db_path: Path) -> Path:
    with Store.open(db_path) as store:
        store.create_session(find_plan("skills"), session_id=SESSION_ID)
    return db_path


@pytest.mark.parametrize("other", sorted(OTHERS))
def test_note_written_after_another_process_closed_the_database_survives_sigkill(
    session_db: Path, other: str
) -> None:
    holder = Holder(session_db)
    try:
        first = holder.ask("write before the other process")
        locks_before = held_locks(holder.proc.pid, session_db)
        OTHERS[other](session_db)
        ids = [holder.ask(f"write after {other} number {n}") for n in range(3)]
        # Both gates are still usable and see the writes.
        seen = holder.ask("read")
        locks_after = held_locks(holder.proc.pid, session_db)
        shm_locks = held_locks(holder.proc.pid, Path(f"{session_db}-shm"))
        deleted = deleted_open_files(holder.proc.pid, session_db)
    finally:
        holder.kill()
    assert seen == "4"
    # The promise: every note the child reported saved is there after SIGKILL.
    assert count_from_fresh_process(session_db) == 4, (first, ids)
    # And why it holds: the child kept its locks and never wrote to a deleted WAL.
    assert locks_before >= 1, "the child held no lock on the database once both gates were open"
    assert locks_after >= locks_before, "the child lost its lock on the database file"
    assert shm_locks >= 1, "the child lost its lock on the -shm file"
    assert deleted == [], "the child wrote to deleted files"
    conn = sqlite3.connect(session_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_the_suite_refuses_a_python_open_of_a_database_this_process_holds(tmp_path: Path) -> None:
    """The conftest guard: the very mistake of issue 9 fails the test that makes it."""
    import db_guard

    db = tmp_path / "held.db"
    conn = sqlite3.connect(db)
    try:
        conn.execute("CREATE TABLE t (a)")
        conn.commit()
        with pytest.raises(PermissionError, match=r"held\.db was opened with Python"):
            db.read_bytes()
        assert db_guard.unsafe_opens, "the guard recorded the open"
    finally:
        db_guard.unsafe_opens.clear()  # this test made the mistake on purpose
        conn.close()
    # Once SQLite has let go, reading the bytes is harmless and allowed.
    assert db.read_bytes().startswith(b"SQLite format 3\x00")
