"""Backups and restores through SQLite's online backup API, and the ``backups`` table.

:mod:`dialoog.history.backup` decides where backups go and when; this module does
the copying and checking, always through SQLite (see
:func:`dialoog.storage.connection._check_file` for why a database file is never
opened as plain bytes), and is the only place that names the ``backups`` table.

A backup is a consistent snapshot: :meth:`sqlite3.Connection.backup` copies the
pages as one read transaction sees them, so dialoog may keep writing elsewhere
(WAL mode lets writers go on) and the copy holds every note committed before the
backup began. The copy is a single self-contained file (rollback journal mode).
A restore copies into the live database through the backup API too, so other
open connections see the change at once and safely.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from dialoog.errors import DialoogError, StoreError
from dialoog.i18n import _
from dialoog.storage.connection import (
    APPLICATION_ID,
    _check_file,
    _connect,
    _inspect,
    configure,
    copy_database,
    write,
)

if TYPE_CHECKING:
    from dialoog.storage.store import Store


class BackupError(DialoogError):
    """A backup or restore that cannot be done; nothing was changed."""


def copy_to(store: Store, dest: Path) -> tuple[int, int]:
    """Online-backup the store's database into a new file ``dest``; returns (size, live notes).

    ``dest`` is written beside itself first (``.part``, mode 0600) and renamed
    when complete.
    """
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            store.db.conn.backup(target)
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


def record_backup(
    store: Store, path: Path, made_at: str, kind: str, size_bytes: int, note_count: int
) -> None:
    """Record a backup that was made in the ``backups`` table (``dialoog doctor`` reads it)."""
    with write(store.db):
        store.db["backups"].insert(
            {
                "path": str(path.resolve()),
                "made_at": made_at,
                "kind": kind,
                "size_bytes": size_bytes,
                "note_count": note_count,
            }
        )


def latest_backup(store: Store) -> tuple[str, str, int | None, int | None, str] | None:
    """The newest recorded backup: (path, made_at, size_bytes, note_count, kind), or None."""
    db = store.db
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "backups" not in tables:
        return None
    return db.execute(
        "SELECT path, made_at, size_bytes, note_count, kind FROM backups"
        " ORDER BY made_at DESC, id DESC LIMIT 1"
    ).fetchone()


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


def restore_into(db_path: Path, backup_file: Path) -> None:
    """Copy a checked backup's contents into the database at ``db_path`` (made if missing).

    Goes through a private copy of the backup and the backup API, so processes
    with the database open see the restored contents on their next read. The
    schema is brought up to date by the next
    :func:`~dialoog.storage.connection.open_database`.
    """
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
