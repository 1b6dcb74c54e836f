"""Damaged databases and the file-safety items of issue 14 (items 1 and 6).

A zeroed page of the notes table, random bytes in less central pages: every
command says so in one line (exit code 2), ``backup`` refuses to call a damaged
copy a backup, ``doctor`` lists what ``integrity_check`` found. Then the
smaller ones: what a killed backup leaves, a backup that cannot be recorded,
backups still holding a forgotten participant, bundle and database modes.

The damage is done with plain file writes, always while no connection of this
process has the file open (see ``tests/db_guard.py``).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dialoog.demo import create_demo
from dialoog.doctor import run_checks
from dialoog.history.backup import (
    BackupDamaged,
    BackupError,
    last_backup,
    make_backup,
    restore_backup,
)
from dialoog.storage import Store

PAGE = 4096


def dialoog(*args: str, db: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real ``dialoog`` as a user would, on the database ``db``."""
    return subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def rootpage(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[
            0
        ]
    finally:
        conn.close()


def leaf_pages(path: Path, name: str) -> list[int]:
    """The pages of a table's b-tree below its root (through SQLite's dbstat, if built in)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", [name]
        ).fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        conn.close()
    return [r[0] for r in rows]


def overwrite(path: Path, page: int, data: bytes, offset: int = 0) -> None:
    """Write ``data`` into page ``page`` (1-based) of the closed database file ``path``."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, (page - 1) * PAGE + offset)
    finally:
        os.close(fd)


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A closed database with the demo session (86 notes), checkpointed into one file."""
    path = tmp_path / "dialoog.db"
    with Store.open(path) as store:
        create_demo(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def zeroed(demo_db: Path) -> Path:
    """The demo database with the root page of the notes table zeroed (issue 14's ``dd``)."""
    overwrite(demo_db, rootpage(demo_db, "notes"), bytes(PAGE))
    return demo_db


@pytest.fixture
def scribbled(demo_db: Path) -> Path:
    """Random bytes in the cell area of a leaf of note_revisions and of an index.

    Less central pages: listing sessions and notes still works.
    """
    rnd = random.Random(14)
    pages = leaf_pages(demo_db, "note_revisions")[-1:] or [rootpage(demo_db, "note_revisions")]
    pages.append(rootpage(demo_db, "notes_by_place"))
    for page in pages:
        overwrite(demo_db, page, bytes(rnd.randrange(256) for _ in range(1000)), offset=3000)
    return demo_db


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# -- every command: one line, exit code 2 --------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("sessions",),
        ("notes", "list", "--session", "demo"),
        ("notes", "add", "--session", "demo", "--table", "1", "--item", "4", "Nieuw"),
        ("search", "zorg"),
        ("report", "demo"),
        ("export", "demo", "-o", "{tmp}/bundle.json"),
        ("participants", "list", "demo"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_command_says_the_database_is_damaged(
    zeroed: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = dialoog(*(a.format(tmp=tmp_path) for a in args), db=zeroed)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "damaged" in lines[0] and str(zeroed) in lines[0]
    assert "dialoog doctor" in lines[0] and "restore" in lines[0]
    assert not (tmp_path / "bundle.json").exists()


def test_backup_refuses_a_damaged_database_and_leaves_nothing(zeroed: Path) -> None:
    result = dialoog("backup", db=zeroed)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Backed up" not in result.stdout
    assert "damaged" in result.stderr and "--even-if-damaged" in result.stderr
    assert files_in(zeroed.parent / "backups") == []
    assert [p.name for p in zeroed.parent.iterdir() if "part" in p.name] == []


def test_backup_even_if_damaged_keeps_a_clearly_named_copy(zeroed: Path) -> None:
    result = dialoog("backup", "--even-if-damaged", db=zeroed)
    assert result.returncode == 2
    kept = Path(result.stdout.strip().splitlines()[-1])
    assert kept.exists() and kept.stem.endswith("-DAMAGED")
    assert "not a backup" in result.stderr
    assert files_in(zeroed.parent / "backups") == [kept.name]
    assert oct(kept.stat().st_mode & 0o777) == oct(0o600)
    assert last_backup(zeroed) is None  # never recorded as a backup


def test_doctor_lists_the_damage_instead_of_crashing(zeroed: Path) -> None:
    result = dialoog("doctor", db=zeroed)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("fail")]
    assert any("integrity_check" in line and "malformed" in line for line in failed)
    assert any("dialoog restore" in line for line in failed)


def test_random_bytes_in_less_central_pages_are_noticed(scribbled: Path) -> None:
    # Reading goes on: the damage is where ordinary commands do not look ...
    assert dialoog("sessions", db=scribbled).returncode == 0
    # ... but backup and doctor check the whole file.
    with pytest.raises(BackupDamaged) as refused:
        make_backup(scribbled)
    assert refused.value.problems and "\n" not in str(refused.value)
    assert files_in(scribbled.parent / "backups") == []
    rows = list(run_checks(scribbled))
    integrity = [(value, level) for label, value, level in rows if label == "integrity_check"]
    assert integrity and all(level == "fail" for _value, level in integrity)
    assert len(integrity) >= 2  # one row per line integrity_check gave


def test_restore_over_a_damaged_database_keeps_it_as_it_was(demo_db: Path, tmp_path: Path) -> None:
    good = make_backup(demo_db, tmp_path / "good.db")
    overwrite(demo_db, rootpage(demo_db, "notes"), bytes(PAGE))
    safety = restore_backup(demo_db, good.path)
    assert safety is not None and safety.path.stem.endswith("-DAMAGED")
    with Store.open(demo_db) as store:
        assert len(store.list_notes("demo")) == 86
    assert dialoog("doctor", db=demo_db).returncode == 0


# -- the write queue of the capture screen ------------------------------------


async def test_the_write_queue_treats_a_damaged_database_as_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).with_name("tui")))
    from tui_pilot import SESSION, ready, type_text

    from dialoog.plans import find_plan
    from dialoog.tui.app import create_app

    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.create_session(find_plan("skills"))
    app = create_app(path, session_id=SESSION, table=2)
    state = {"on": False}
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        gate = app.writer.gate
        real = gate.run

        def broken(_store):
            raise sqlite3.DatabaseError("database disk image is malformed")

        gate.run = lambda fn: real(broken if state["on"] else fn)
        app.writer.retry_delay = 0.05
        state["on"] = True
        await type_text(pilot, "blijft staan")
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert [text for _item, text in screen.pending.values()] == ["blijft staan"]
        assert app.writer.failing and "damaged" in app.writer.failing
        assert str(path) in app.writer.failing
        titles = [n.title for n in app._notifications]
        assert "Not saved yet" in titles and "Saved" not in titles
        state["on"] = False
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.writer.pending:
                break
        assert not screen.pending
    with Store.open(path) as store:
        assert [n.text for n in store.list_notes(SESSION, table=2)] == ["blijft staan"]


# -- item 6: the smaller ones ---------------------------------------------------


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    """A database of some 40 MB: a backup of it takes long enough to be killed mid-copy."""
    from dialoog.plans import find_plan
    from dialoog.storage.store import NewNote

    path = tmp_path / "big.db"
    with Store.open(path) as store:
        sid = store.create_session(find_plan("skills")).id
        store.add_notes(
            sid, [NewNote(1 + n % 8, 4, f"Notitie {n} " + "woord " * 330) for n in range(20_000)]
        )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _leftovers(folder: Path) -> list[str]:
    return [name for name in files_in(folder) if ".part" in name]


def test_a_killed_backup_leaves_nothing_after_the_next_one(big_db: Path) -> None:
    backups = big_db.parent / "backups"
    killed = 0
    for _attempt in range(5):
        child = subprocess.Popen(
            [sys.executable, "-m", "dialoog", "--db", str(big_db), "backup"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            if _leftovers(backups):
                child.send_signal(signal.SIGKILL)
                killed += 1
                break
            time.sleep(0.001)
        child.wait(timeout=60)
        if killed:
            break
        for name in files_in(backups):  # it finished first: try again
            (backups / name).unlink()
    assert killed, "the backup was never caught mid-copy"
    assert _leftovers(backups), "a SIGKILL mid-copy leaves its unfinished file"
    done = dialoog("backup", db=big_db, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _leftovers(backups) == []
    assert files_in(backups) == [Path(done.stdout.strip().splitlines()[-1]).name]


def test_doctor_removes_what_a_killed_backup_left(demo_db: Path) -> None:
    backups = demo_db.parent / "backups"
    backups.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = [
        backups / f".dialoog-20260101-000000-000000.db.{dead.pid}.part",
        backups / f".dialoog-20260101-000000-000000.db.{dead.pid}.part-journal",
        backups / "dialoog-20250101-000000-000000.db.part",  # older dialoog versions
        backups / "dialoog-20250101-000000-000000.db.part-journal",
    ]
    alive = backups / f".dialoog-20260101-000000-000001.db.{os.getpid()}.part"
    for path in [*left, alive]:
        path.write_bytes(b"half")
    rows = {label: (value, level) for label, value, level in run_checks(demo_db)}
    assert "unfinished backups" in rows and "4" in rows["unfinished backups"][0]
    assert files_in(backups) == [alive.name]  # a backup still under way is left alone


def test_a_backup_that_cannot_be_recorded_leaves_no_file(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only database: the copy could be made, the record cannot; no file then."""
    import dialoog.storage.backup as storage_backup

    @contextlib.contextmanager
    def read_only(_db):
        raise sqlite3.OperationalError("attempt to write a readonly database")
        yield  # pragma: no cover

    monkeypatch.setattr(storage_backup, "write", read_only)
    with pytest.raises(BackupError) as refused:
        make_backup(demo_db)
    assert "readonly" in str(refused.value) and "no backup was written" in str(refused.value)
    assert files_in(demo_db.parent / "backups") == []
    monkeypatch.undo()
    assert last_backup(demo_db) is None
    rows = {label: value for label, value, _level in run_checks(demo_db)}
    assert "never" in rows["last backup"]


def _add_person(db: Path, name: str) -> None:
    added = dialoog("participants", "add", "demo", name, "--org", "SER", db=db)
    assert added.returncode == 0, added.stderr


def test_forget_lists_the_backups_that_still_hold_the_person(demo_db: Path, tmp_path: Path) -> None:
    _add_person(demo_db, "Jan de Vries")
    before = make_backup(demo_db).path
    elsewhere = make_backup(demo_db, tmp_path / "elders.db").path
    _add_person(demo_db, "Piet Jansen")
    forgot = dialoog("participants", "forget", "demo", "Jan de Vries", "--yes", db=demo_db)
    assert forgot.returncode == 0, forgot.stderr
    assert "Forgot Jan de Vries" in forgot.stdout
    assert "still in 2 earlier backups" in forgot.stderr and "--purge-backups" in forgot.stderr
    assert str(before) in forgot.stderr and str(elsewhere) in forgot.stderr
    # Piet came after those backups: nothing to say about them.
    purged = dialoog(
        "participants", "forget", "demo", "Piet Jansen", "--yes", "--purge-backups", db=demo_db
    )
    assert purged.returncode == 0, purged.stderr
    assert "earlier backups" not in purged.stderr and "Deleted" not in purged.stdout


def test_forget_purge_backups_deletes_them_and_makes_a_fresh_one(
    demo_db: Path, tmp_path: Path
) -> None:
    _add_person(demo_db, "Jan de Vries")
    before = make_backup(demo_db).path
    forgot = dialoog(
        "participants", "forget", "demo", "Jan de Vries", "--yes", "--purge-backups", db=demo_db
    )
    assert forgot.returncode == 0, forgot.stderr
    assert "Deleted 1 earlier backup that" in forgot.stdout and str(before) in forgot.stdout
    assert not before.exists()
    fresh = last_backup(demo_db)
    assert fresh is not None and fresh.path.exists() and fresh.path != before
    conn = sqlite3.connect(fresh.path)
    try:
        assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    finally:
        conn.close()


def test_bundles_are_written_for_their_owner_only(demo_db: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "demo.json"
        result = dialoog("export", "demo", "-o", str(out), db=demo_db)
        assert result.returncode == 0, result.stderr
        assert oct(out.stat().st_mode & 0o777) == oct(0o600)
        out.chmod(0o644)  # written again over a looser file: 0600 again
        assert dialoog("export", "demo", "-o", str(out), db=demo_db).returncode == 0
        assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir() if "part" in p.name] == []


def test_an_empty_file_taken_over_as_the_database_becomes_private(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    with Store.open(path):
        pass
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_a_backup_elsewhere_leaves_other_programs_part_files_alone(
    demo_db: Path, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    download = downloads / "report.db.part"  # a browser's download under way
    download.write_bytes(b"half")
    make_backup(demo_db, downloads / "b.db")
    assert files_in(downloads) == ["b.db", "report.db.part"]
