"""Backups through SQLite's online backup API, restore after checks, the last backup's time.

A backup is a consistent snapshot: :meth:`sqlite3.Connection.backup` copies the
pages as one read transaction sees them, so dialoog may keep writing elsewhere
(WAL mode lets writers go on) and the copy holds every note committed before the
backup began. The copy is a single self-contained file (rollback journal mode).

A restore first checks the file (SQLite, ``PRAGMA integrity_check`` clean, a
dialoog database not made by a newer dialoog), saves the current database as a
``before-restore`` backup, then copies the file into the live database, again
through the backup API so other open connections see the change at once and
safely. Every backup is recorded in the ``backups`` table, which ``dialoog
doctor`` reads.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import DialoogError, StoreError
from dialoog.i18n import _
from dialoog.storage.connection import (
    APPLICATION_ID,
    _check_file,
    _connect,
    _inspect,
    configure,
    copy_database,
    open_database,
    write,
)
from dialoog.times import now, stamp


class BackupError(DialoogError):
    """A backup or restore that cannot be done; nothing was changed."""


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


def _copy(source: sqlite3.Connection, dest: Path) -> tuple[int, int]:
    """Online-backup ``source`` into a new file ``dest``; returns (size, live notes)."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(target)
            # A single self-contained file: no -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
            notes = target.execute("SELECT count(*) FROM notes").fetchone()[0]
        finally:
            target.close()
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest.stat().st_size, notes


def make_backup(db_path: Path, dest: Path | None = None, *, kind: str = "backup") -> BackupInfo:
    """Back up the database at ``db_path`` to ``dest`` (default: see :func:`default_backup_path`).

    Safe while other processes read and write the database. Refuses to overwrite
    an existing file.
    """
    db_path = Path(db_path).expanduser()
    if not db_path.exists():
        raise BackupError(_("{path}: no database to back up").format(path=db_path))
    db = open_database(db_path)
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
            size, notes = _copy(db.conn, dest)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(
                _("{path}: cannot write the backup: {error}").format(path=dest, error=exc)
            ) from None
        with write(db):
            db["backups"].insert(
                {
                    "path": str(dest.resolve()),
                    "made_at": stamp(began),
                    "kind": kind,
                    "size_bytes": size,
                    "note_count": notes,
                }
            )
    finally:
        db.close()
    return BackupInfo(dest, began, size, notes, kind)


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not a healthy dialoog database; reads a private copy only.

    Raises:
        BackupError: missing, not SQLite, damaged (``integrity_check``), not
            dialoog's, or made by a newer dialoog. The message names the file.
    """
    from dialoog.storage.migrations import migration_names

    path = Path(path).expanduser()
    if not path.is_file():
        raise BackupError(_("{path}: no such backup file").format(path=path))
    try:
        if not _check_file(path):
            raise BackupError(_("{path}: not a dialoog database (an empty file)").format(path=path))
    except StoreError as exc:
        raise BackupError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="dialoog-restore-") as tmpdir:
        copy = Path(tmpdir) / "check.db"
        try:
            copy_database(path, copy)
        except StoreError as exc:
            raise BackupError(str(exc)) from None
        conn = _connect(copy)
        try:
            try:
                result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise BackupError(
                    _("{path}: damaged database ({error})").format(
                        path=path, error=" ".join(str(exc).split())
                    )
                ) from None
            if result != ["ok"]:
                raise BackupError(
                    _("{path}: damaged database (integrity_check: {result})").format(
                        path=path, result=" ".join("; ".join(result).split())[:200]
                    )
                )
            if app_id != APPLICATION_ID:
                raise BackupError(
                    _("{path}: not a dialoog database (an SQLite file of another program)").format(
                        path=path
                    )
                )
            try:
                _inspect(conn, path, migration_names())
            except StoreError as exc:
                raise BackupError(str(exc)) from None
        finally:
            conn.close()


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
    with tempfile.TemporaryDirectory(prefix="dialoog-restore-") as tmpdir:
        copy = Path(tmpdir) / "restore.db"
        try:
            copy_database(backup_file, copy)
        except StoreError as exc:
            raise BackupError(str(exc)) from None
        source = sqlite3.connect(copy, isolation_level=None)
        if not db_path.exists():
            db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        target = _connect(db_path)
        try:
            configure(target)
            source.execute("PRAGMA journal_mode = DELETE")
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise BackupError(
                _("{path}: cannot restore into {db}: {error}").format(
                    path=backup_file, db=db_path, error=exc
                )
            ) from None
        finally:
            target.close()
            source.close()
    db = open_database(db_path)  # brings an older backup's schema up to date
    try:
        if safety is not None:
            with write(db):
                db["backups"].insert(
                    {
                        "path": str(safety.path.resolve()),
                        "made_at": stamp(safety.made_at),
                        "kind": safety.kind,
                        "size_bytes": safety.size_bytes,
                        "note_count": safety.note_count,
                    }
                )
    finally:
        db.close()
    return safety


def last_backup(db_path: Path) -> BackupInfo | None:
    """The most recent backup recorded in the database, or None."""
    db = open_database(db_path)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "backups" not in tables:
            return None
        row = db.execute(
            "SELECT path, made_at, size_bytes, note_count, kind FROM backups"
            " ORDER BY made_at DESC, id DESC LIMIT 1"
        ).fetchone()
    finally:
        db.close()
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
