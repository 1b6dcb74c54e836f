"""Backups through SQLite's online backup API, restore after checks, the last backup's time.

A backup is a consistent snapshot taken while dialoog may keep writing elsewhere;
the copy holds every note committed before the backup began and is a single
self-contained file (see :mod:`dialoog.storage.backup`, which does the copying).

A restore first checks the file (SQLite, ``PRAGMA integrity_check`` clean, a
dialoog database not made by a newer dialoog), saves the current database as a
``before-restore`` backup, then copies the file into the live database, again
through the backup API so other open connections see the change at once and
safely. Every backup is recorded in the ``backups`` table, which ``dialoog
doctor`` reads.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import StoreError
from dialoog.i18n import _
from dialoog.storage.backup import (
    BackupError,
    check_backup_file,
    copy_to,
    latest_backup,
    record_backup,
    restore_into,
)
from dialoog.storage.store import Store
from dialoog.times import now, stamp

__all__ = [
    "BackupError",
    "BackupInfo",
    "backups_dir",
    "check_backup_file",
    "default_backup_path",
    "doctor_row",
    "last_backup",
    "make_backup",
    "restore_backup",
]


@dataclass(frozen=True)
class BackupInfo:
    """A backup that was made: where, when (when it began), how big."""

    path: Path
    made_at: dt.datetime
    size_bytes: int
    note_count: int
    kind: str = "backup"


def backups_dir(db_path: Path) -> Path:
    """Where backups go by default: a ``backups`` folder beside the database."""
    return Path(db_path).expanduser().resolve().parent / "backups"


def default_backup_path(db_path: Path, at: dt.datetime, kind: str = "backup") -> Path:
    """``backups/<name>-YYYYmmdd-HHMMSS.db`` (``-before-restore`` for safety copies)."""
    stem = Path(db_path).stem
    label = "" if kind == "backup" else f"-{kind}"
    return backups_dir(db_path) / f"{stem}{label}-{at.strftime('%Y%m%d-%H%M%S-%f')}.db"


def _record(store: Store, info: BackupInfo) -> None:
    record_backup(
        store, info.path, stamp(info.made_at), info.kind, info.size_bytes, info.note_count
    )


def make_backup(db_path: Path, dest: Path | None = None, *, kind: str = "backup") -> BackupInfo:
    """Back up the database at ``db_path`` to ``dest`` (default: see :func:`default_backup_path`).

    Safe while other processes read and write the database. Refuses to overwrite
    an existing file.
    """
    db_path = Path(db_path).expanduser()
    if not db_path.exists():
        raise BackupError(_("{path}: no database to back up").format(path=db_path))
    store = Store.open(db_path)
    try:
        began = now()
        dest = Path(dest).expanduser() if dest else default_backup_path(db_path, began, kind)
        if dest.exists():
            raise BackupError(
                _("{path}: already exists; choose another file name").format(path=dest)
            )
        if dest.resolve() == db_path.resolve():
            raise BackupError(_("{path}: that is the database itself").format(path=dest))
        try:
            size, notes = copy_to(store, dest)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(
                _("{path}: cannot write the backup: {error}").format(path=dest, error=exc)
            ) from None
        info = BackupInfo(dest, began, size, notes, kind)
        _record(store, info)
    finally:
        store.close()
    return info


def restore_backup(db_path: Path, backup_file: Path) -> BackupInfo | None:
    """Replace the database's contents with ``backup_file``'s, after checking it.

    The current database is first saved as a ``before-restore`` backup (returned,
    or None when there was no database yet). Other dialoog processes with the
    database open see the restored contents on their next read.
    """
    db_path = Path(db_path).expanduser()
    backup_file = Path(backup_file).expanduser()
    check_backup_file(backup_file)
    if db_path.exists() and db_path.resolve() == backup_file.resolve():
        raise BackupError(_("{path}: that is the database itself").format(path=backup_file))
    safety = make_backup(db_path, kind="before-restore") if db_path.exists() else None
    restore_into(db_path, backup_file)
    store = Store.open(db_path)  # brings an older backup's schema up to date
    try:
        if safety is not None:
            _record(store, safety)
    finally:
        store.close()
    return safety


def last_backup(db_path: Path) -> BackupInfo | None:
    """The most recent backup recorded in the database, or None."""
    store = Store.open(db_path)
    try:
        row = latest_backup(store)
    finally:
        store.close()
    if row is None:
        return None
    return BackupInfo(
        Path(row[0]), dt.datetime.fromisoformat(row[1]), row[2] or 0, row[3] or 0, row[4]
    )


def doctor_row(db_path: Path) -> tuple[str, str, str]:
    """The doctor's "last backup" line: (label, value, ok|warn)."""
    label = _("last backup")
    try:
        info = last_backup(db_path)
    except StoreError as exc:
        return label, str(exc), "warn"
    if info is None:
        return label, _("never (make one with: dialoog backup)"), "warn"
    age = now() - info.made_at
    days = age.days
    when = info.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
    value = _("{when} ({days} days ago), {path}").format(when=when, days=days, path=info.path)
    return label, value, "ok" if days < 7 else "warn"
