"""Backups: online while another process writes, restore after checks, the doctor's line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dialoog.doctor import run_checks
from dialoog.history.backup import BackupError, last_backup, make_backup, restore_backup
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote

CHILD = Path(__file__).with_name("history_writer_child.py")


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, str]:
    """A closed database with a session and 2,000 notes (a few MB to copy)."""
    path = tmp_path / "live.db"
    with Store.open(path) as s:
        sid = s.create_session(find_plan("skills")).id
        s.add_notes(sid, [NewNote(1 + n % 8, 4, f"Vooraf {n} " + "x" * 900) for n in range(2000)])
    return path, sid


def note_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM notes")}
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def test_backup_while_another_process_writes(filled, tmp_path: Path) -> None:
    path, sid = filled
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(path), sid, "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        for _ in range(30):  # the writer is under way
            assert child.stdout.readline()
        committed = note_ids(path)  # every note committed before the backup begins
        info = make_backup(path, tmp_path / "during.db")
        for _ in range(30):  # and it went on writing during and after the backup
            assert child.stdout.readline()
    finally:
        child.terminate()
        child.wait(timeout=30)
    restored = tmp_path / "restored.db"
    restore_backup(restored, info.path)
    assert integrity(restored) == ["ok"]
    assert committed <= note_ids(restored)
    assert info.note_count >= len(committed)
    assert note_ids(path) > note_ids(restored) or note_ids(path) == note_ids(restored)


def test_restore_round_trip_keeps_a_safety_copy(filled, tmp_path: Path) -> None:
    path, sid = filled
    info = make_backup(path)
    assert info.path.parent == path.parent / "backups"
    with Store.open(path) as s:
        late = s.add_note(sid, NewNote(1, 4, "Na de backup"))
    safety = restore_backup(path, info.path)
    assert safety is not None and str(late.id) in note_ids(safety.path)
    assert str(late.id) not in note_ids(path)
    with Store.open(path) as s:
        assert len(s.list_notes(sid)) == 2000
    assert last_backup(path).kind == "before-restore"


def test_restore_while_another_connection_is_open(filled, tmp_path: Path) -> None:
    path, sid = filled
    info = make_backup(path, tmp_path / "b.db")
    with Store.open(path) as other:
        other.add_note(sid, NewNote(1, 4, "Verdwijnt bij restore"))
        restore_backup(path, info.path)
        assert len(other.list_notes(sid)) == 2000  # the open connection sees the restore
        other.add_note(sid, NewNote(1, 4, "Daarna gewoon verder"))
    assert integrity(path) == ["ok"]


def test_backup_refuses_to_overwrite(filled, tmp_path: Path) -> None:
    path, _sid = filled
    dest = tmp_path / "exists.db"
    dest.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="already exists"):
        make_backup(path, dest)
    assert dest.read_bytes() == b"keep me"


def _bad_files(tmp_path: Path, good: Path) -> dict[str, Path]:
    files = {}
    files["text"] = tmp_path / "notes.txt"
    files["text"].write_text("geen database", encoding="utf-8")
    files["empty"] = tmp_path / "empty.db"
    files["empty"].write_bytes(b"")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    files["other program"] = other
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 20_000, 7):
        data[offset] = (data[offset] + 101) % 256
    damaged.write_bytes(bytes(data))
    files["damaged"] = damaged
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('dialoog', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    files["newer"] = newer
    files["missing"] = tmp_path / "nope.db"
    return files


@pytest.mark.parametrize("kind", ["text", "empty", "other program", "damaged", "newer", "missing"])
def test_restore_refuses_bad_files_and_changes_nothing(filled, tmp_path: Path, kind: str) -> None:
    path, _sid = filled
    good = make_backup(path, tmp_path / "good.db").path
    bad = _bad_files(tmp_path, good)[kind]
    before = path.read_bytes()
    backups_before = sorted((path.parent / "backups").glob("*")) if kind else []
    with pytest.raises(BackupError) as info:
        restore_backup(path, bad)
    assert "\n" not in str(info.value) and str(bad) in str(info.value)
    assert path.read_bytes() == before
    assert sorted((path.parent / "backups").glob("*")) == backups_before


def test_cli_backup_restore_and_doctor(filled, tmp_path: Path) -> None:
    path, _sid = filled
    run = [sys.executable, "-m", "dialoog", "--db", str(path)]
    doctor = subprocess.run([*run, "doctor"], capture_output=True, text=True)
    assert "last backup" in doctor.stdout and "never" in doctor.stdout
    made = subprocess.run([*run, "backup"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    backup_file = Path(made.stdout.strip().splitlines()[-1])
    assert backup_file.exists()
    doctor = subprocess.run([*run, "doctor"], capture_output=True, text=True)
    line = next(x for x in doctor.stdout.splitlines() if "last backup" in x)
    assert line.startswith("ok") and str(backup_file) in line and time.strftime("%Y") in line
    restored = subprocess.run([*run, "restore", str(backup_file)], capture_output=True, text=True)
    assert restored.returncode == 0, restored.stderr
    refused = subprocess.run([*run, "restore", str(tmp_path)], capture_output=True, text=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr


def test_doctor_row_without_backups(store: Store, db_path: Path) -> None:
    rows = {label: (value, level) for label, value, level in run_checks(db_path)}
    assert rows["last backup"][1] == "warn"
