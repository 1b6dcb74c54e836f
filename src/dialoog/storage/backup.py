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
    integrity_problems,
    write,
)

if TYPE_CHECKING:
    from dialoog.storage.store import Store


class BackupError(DialoogError):
    """A backup or restore that cannot be done; nothing was changed."""


#: How an unfinished backup file is named: hidden, beside the backup, with the
#: id of the process writing it, so a later backup or ``dialoog doctor`` can
#: tell a killed backup's leftovers from one still being written.
PART_SUFFIX = ".part"


def part_path(dest: Path) -> Path:
    """Where the backup ``dest`` is written before it is complete (``.NAME.PID.part``)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}{PART_SUFFIX}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    except OSError:
        return False
    return True


def clean_unfinished(folder: Path, *, legacy: bool = False) -> list[Path]:
    """Remove what killed backups left in ``folder``; returns the files removed.

    A backup killed while copying leaves its hidden ``.NAME.PID.part`` (and
    perhaps ``-journal``) file; it is removed once process PID is gone. With
    ``legacy`` (for the backups folder only: elsewhere a ``.part`` may be a
    browser's download), what older dialoog versions left (``NAME.db.part``)
    is removed too. Only names are looked at and files unlinked: none is opened.
    """
    removed: list[Path] = []
    try:
        candidates = list(Path(folder).iterdir())
    except OSError:
        return removed
    for path in candidates:
        name = path.name
        base = name.removesuffix("-journal")
        if not base.endswith(PART_SUFFIX):
            continue
        stem = base.removesuffix(PART_SUFFIX)
        if base.startswith("."):
            pid_text = stem.rpartition(".")[2]
            if not pid_text.isdigit() or _pid_alive(int(pid_text)):
                continue
        elif not legacy or not stem.endswith(".db"):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue
        removed.append(path)
    return removed


class BackupDamaged(BackupError):
    """The database (or the copy of it) is damaged: what was copied is not a backup."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a folder, never a database, is opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def copy_to(
    store: Store,
    dest: Path,
    *,
    made_at: str,
    kind: str = "backup",
    even_if_damaged: Path | None = None,
) -> tuple[int, int | None, list[str]]:
    """Online-backup the store's database into a new file ``dest``, checked and recorded.

    Returns (size in bytes, live notes, integrity problems). The database is
    checked first (``PRAGMA quick_check``, through SQLite) and the copy after
    (``PRAGMA integrity_check``): a damaged database or copy is refused with
    :class:`BackupDamaged` and no file is left, unless ``even_if_damaged`` names
    where to keep the damaged copy anyway (then it is not recorded as a backup).

    The copy is written to a hidden ``.NAME.PID.part`` file (mode 0600, no
    journal: it is thrown away on any failure) and renamed inside the write
    transaction that records it in the ``backups`` table: a backup that cannot
    be recorded (a read-only database) leaves no file, and a recorded backup
    always exists. What a killed backup leaves is for :func:`clean_unfinished`.

    Raises:
        BackupDamaged: the database or the copy is damaged.
        BackupError: the copy cannot be written or recorded; nothing was left.
    """
    db_path = store.path
    problems = integrity_problems(store.db.conn, quick=True)
    if problems and even_if_damaged is None:
        raise BackupDamaged(_damage_message(db_path, problems), problems)
    final = even_if_damaged if problems else dest
    assert final is not None
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = part_path(final)
    tmp.unlink(missing_ok=True)
    moved = False
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            # A throwaway file until renamed: a journal would only be one more leftover.
            target.execute("PRAGMA journal_mode = OFF")
            store.db.conn.backup(target)
            # A single self-contained file: no -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
            copy_problems = integrity_problems(target)
            try:
                notes = target.execute("SELECT count(*) FROM notes").fetchone()[0]
            except sqlite3.DatabaseError:
                notes = None
        finally:
            target.close()
        if copy_problems and not problems:
            problems = copy_problems
            if even_if_damaged is None:
                raise BackupDamaged(
                    _(
                        "{path}: the copy came out damaged ({problems}); no backup was written"
                    ).format(path=dest, problems=_short(copy_problems)),
                    copy_problems,
                )
            final = even_if_damaged
        size = tmp.stat().st_size
        if problems:
            os.replace(tmp, final)
            moved = True
        else:
            with write(store.db):  # recorded and renamed in one transaction
                record_backup(store, final, made_at, kind, size, notes)
                os.replace(tmp, final)
                moved = True
        _fsync_folder(final.parent)
    except BackupError:
        tmp.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        if moved:
            final.unlink(missing_ok=True)
        if not moved and isinstance(exc, sqlite3.Error) and "readonly" in str(exc):
            raise BackupError(
                _(
                    "{db}: cannot record the backup in the database ({error}); "
                    "no backup was written"
                ).format(db=db_path, error=exc)
            ) from None
        raise BackupError(
            _("{path}: cannot write the backup: {error}").format(path=final, error=exc)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        if moved:
            final.unlink(missing_ok=True)
        raise
    return size, notes, problems


def _short(problems: list[str]) -> str:
    return " ".join("; ".join(problems).split())[:200]


def _damage_message(db_path: Path, problems: list[str]) -> str:
    return _(
        "{path}: the database is damaged ({problems}); no backup was written. "
        "See: dialoog doctor; keep a damaged copy anyway with: dialoog backup --even-if-damaged"
    ).format(path=db_path, problems=_short(problems))


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


def recorded_backup_paths(store: Store) -> list[Path]:
    """Every backup file recorded in the ``backups`` table, oldest first, each once."""
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "backups" not in tables:
        return []
    rows = store.db.execute("SELECT path FROM backups ORDER BY made_at, id").fetchall()
    return list(dict.fromkeys(Path(r[0]) for r in rows))


def forget_backup_records(store: Store, paths: list[Path]) -> None:
    """Remove the records of backup files that were deleted."""
    with write(store.db):
        for path in paths:
            store.db.execute("DELETE FROM backups WHERE path = ?", [str(path)])


def file_holds_participant(path: Path, session_id: str, person_id: int, surname: str) -> bool:
    """Whether the backup file ``path`` holds this participant (read through SQLite only).

    A file that cannot be read as a dialoog database counts as holding them: it
    is not known not to.
    """
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.Error:
        return True
    try:
        row = conn.execute(
            "SELECT 1 FROM participants WHERE session_id = ? AND id = ? AND surname = ?",
            [session_id, person_id, surname],
        ).fetchone()
    except sqlite3.Error:
        return True
    finally:
        conn.close()
    return row is not None
