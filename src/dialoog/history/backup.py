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
    BackupDamaged,
    BackupError,
    check_backup_file,
    clean_unfinished,
    copy_to,
    file_holds_participant,
    forget_backup_records,
    latest_backup,
    record_backup,
    recorded_backup_paths,
    restore_into,
)
from dialoog.storage.store import Store
from dialoog.times import now, stamp

__all__ = [
    "BackupDamaged",
    "BackupError",
    "BackupInfo",
    "backups_dir",
    "backups_holding_participant",
    "check_backup_file",
    "clean_unfinished_backups",
    "damaged_copy_path",
    "default_backup_path",
    "doctor_row",
    "last_backup",
    "make_backup",
    "purge_backups",
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
    problems: tuple[str, ...] = ()
    """What ``integrity_check`` found in a damaged copy (``kind`` is then ``"damaged"``)."""


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


def damaged_copy_path(dest: Path) -> Path:
    """Where ``--even-if-damaged`` keeps a damaged copy: ``NAME-DAMAGED.db`` beside ``dest``."""
    return dest.with_name(f"{dest.stem}-DAMAGED{dest.suffix or '.db'}")


def make_backup(
    db_path: Path,
    dest: Path | None = None,
    *,
    kind: str = "backup",
    even_if_damaged: bool = False,
) -> BackupInfo:
    """Back up the database at ``db_path`` to ``dest`` (default: see :func:`default_backup_path`).

    Safe while other processes read and write the database. Refuses to overwrite
    an existing file. The database and the copy are checked through SQLite; a
    damaged one is refused (:class:`BackupDamaged`) and nothing is left, unless
    ``even_if_damaged``: then the copy is kept as ``NAME-DAMAGED.db`` (see
    :func:`damaged_copy_path`), not recorded, and returned with ``kind``
    ``"damaged"`` and its ``problems``. What killed backups left in the folder
    is removed first (:func:`~dialoog.storage.backup.clean_unfinished`).
    """
    db_path = Path(db_path).expanduser()
    if not db_path.exists():
        raise BackupError(_("{path}: no database to back up").format(path=db_path))
    store = Store.open(db_path)
    try:
        began = now()
        dest = Path(dest).expanduser() if dest else default_backup_path(db_path, began, kind)
        rescue = damaged_copy_path(dest) if even_if_damaged else None
        for path in (dest, rescue):
            if path is not None and path.exists():
                raise BackupError(
                    _("{path}: already exists; choose another file name").format(path=path)
                )
            if path is not None and path.resolve() == db_path.resolve():
                raise BackupError(_("{path}: that is the database itself").format(path=path))
        folder = (rescue if rescue is not None else dest).parent
        clean_unfinished(folder, legacy=folder.resolve() == backups_dir(db_path))
        size, notes, problems = copy_to(
            store, dest, made_at=stamp(began), kind=kind, even_if_damaged=rescue
        )
    finally:
        store.close()
    if problems:
        assert rescue is not None
        return BackupInfo(rescue, began, size, notes or 0, "damaged", tuple(problems))
    return BackupInfo(dest, began, size, notes or 0, kind)


def restore_backup(db_path: Path, backup_file: Path) -> BackupInfo | None:
    """Replace the database's contents with ``backup_file``'s, after checking it.

    The current database is first saved as a ``before-restore`` backup (returned,
    or None when there was no database yet); a damaged one is kept as it is, as
    ``...-DAMAGED.db``, and not recorded as a backup. Other dialoog processes with the
    database open see the restored contents on their next read.
    """
    db_path = Path(db_path).expanduser()
    backup_file = Path(backup_file).expanduser()
    check_backup_file(backup_file)
    if db_path.exists() and db_path.resolve() == backup_file.resolve():
        raise BackupError(_("{path}: that is the database itself").format(path=backup_file))
    safety = None
    if db_path.exists():
        # A damaged database is the usual reason to restore: keep it as it is.
        safety = make_backup(db_path, kind="before-restore", even_if_damaged=True)
    restore_into(db_path, backup_file)
    store = Store.open(db_path)  # brings an older backup's schema up to date
    try:
        if safety is not None and not safety.problems:
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


def clean_unfinished_backups(db_path: Path) -> list[Path]:
    """Remove what killed backups left in the database's backups folder; the files removed."""
    folder = backups_dir(db_path)
    return clean_unfinished(folder, legacy=True) if folder.is_dir() else []


def doctor_row(db_path: Path) -> tuple[str, str, str]:
    """The doctor's "last backup" line: (label, value, ok|warn)."""
    label = _("last backup")
    try:
        info = last_backup(db_path)
    except StoreError as exc:
        return label, str(exc), "warn"
    except sqlite3.DatabaseError as exc:
        return label, " ".join(str(exc).split()), "warn"
    if info is None:
        return label, _("never (make one with: dialoog backup)"), "warn"
    age = now() - info.made_at
    days = age.days
    when = info.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
    value = _("{when} ({days} days ago), {path}").format(when=when, days=days, path=info.path)
    return label, value, "ok" if days < 7 else "warn"


def _backup_files(store: Store, db_path: Path) -> list[Path]:
    """Backup files that exist: the recorded ones and the ``.db`` files in the backups folder."""
    folder = backups_dir(db_path)
    found = [p for p in recorded_backup_paths(store) if p.is_file()]
    if folder.is_dir():
        found += sorted(p for p in folder.glob("*.db") if p.is_file())
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    db = db_path.resolve()
    return [p for key, p in unique.items() if key != db]


def backups_holding_participant(
    store: Store, db_path: Path, session_id: str, person_id: int, surname: str
) -> list[Path]:
    """The backup files that hold this participant (for ``participants forget``).

    Forgetting someone removes them from the database only; every backup made
    before still holds them. Each candidate file (see :func:`_backup_files`) is
    read through SQLite, never as plain bytes.
    """
    return [
        path
        for path in _backup_files(store, Path(db_path).expanduser())
        if file_holds_participant(path, session_id, person_id, surname)
    ]


def purge_backups(store: Store, paths: list[Path]) -> list[Path]:
    """Delete these backup files and their records; returns the files deleted."""
    deleted: list[Path] = []
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise BackupError(
                _("{path}: cannot delete: {error}").format(path=path, error=exc.strerror or exc)
            ) from None
        deleted.append(path)
    forget_backup_records(store, [p.resolve() for p in deleted] + deleted)
    return deleted
