"""``dialoog doctor``: what is installed and whether the database is healthy."""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

from dialoog import __version__
from dialoog.errors import StoreError
from dialoog.i18n import _

#: SQLite lines with the fix for the WAL-reset corruption bug (which needs
#: several writers, as dialoog has): 3.51.3 and later, and the backports.
PATCHED_BACKPORTS = ((3, 44, 6), (3, 50, 7))
FIXED_IN = (3, 51, 3)


def sqlite_is_patched(version_info: tuple[int, int, int]) -> bool:
    """Whether this SQLite library has the WAL-reset fix."""
    if version_info >= FIXED_IN:
        return True
    return any(
        version_info[:2] == fixed[:2] and version_info >= fixed for fixed in PATCHED_BACKPORTS
    )


OK, WARN, FAIL = "ok", "warn", "fail"


def run_checks(db_path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield (label, value, level) rows for the doctor's report; level is ok, warn or fail."""
    yield "dialoog", __version__, OK
    yield "Python", platform.python_version(), OK
    lib = tuple(int(p) for p in sqlite3.sqlite_version.split("."))
    patched = sqlite_is_patched(lib)  # type: ignore[arg-type]
    note = (
        ""
        if patched
        else "  "
        + _(
            "warning: older than 3.51.3 (WAL-reset corruption bug with several writers); "
            "upgrade Python's SQLite library"
        )
    )
    yield "SQLite", sqlite3.sqlite_version + note, OK if patched else WARN
    yield "textual", version("textual"), OK
    yield "sqlite-utils", version("sqlite-utils"), OK
    yield _("database"), str(db_path), OK
    if not db_path.exists():
        yield _("status"), _("not created yet (it is made at first use)"), OK
        return
    yield from _database_checks(db_path)
    from dialoog.history.backup import clean_unfinished_backups, doctor_row

    removed = clean_unfinished_backups(db_path)
    if removed:
        yield (
            _("unfinished backups"),
            _("removed {n} files left by a backup that was stopped: {files}").format(
                n=len(removed), files=", ".join(p.name for p in removed)
            ),
            WARN,
        )
    yield doctor_row(db_path)


#: How many lines of ``integrity_check`` the doctor shows.
INTEGRITY_LINES = 20


def _database_checks(db_path: Path) -> Iterator[tuple[str, str, str]]:
    """The database's rows: schema, journal mode, integrity, file mode; damage never raises."""
    from dialoog.errors import DatabaseDamaged
    from dialoog.storage import open_database
    from dialoog.storage.connection import health, read_only_problems
    from dialoog.storage.migrations import migration_names

    try:
        db = open_database(db_path)
    except DatabaseDamaged as exc:
        yield _("status"), str(exc), FAIL
        yield from _damage_rows(db_path, read_only_problems(db_path))
        return
    except StoreError as exc:
        yield _("status"), str(exc), FAIL
        return
    try:
        user_version, mode, problems = health(db)
        if user_version is not None:
            yield _("schema version"), f"{user_version} ({migration_names()[-1]})", OK
            yield _("journal mode"), str(mode), OK if mode == "wal" else FAIL
        if problems:
            yield from _damage_rows(db_path, problems)
        else:
            yield "integrity_check", "ok", OK
        mode_bits = db_path.stat().st_mode & 0o777
        yield _("file mode"), oct(mode_bits), OK if mode_bits & 0o077 == 0 else WARN
    finally:
        db.close()


def _damage_rows(db_path: Path, problems: list[str]) -> Iterator[tuple[str, str, str]]:
    """One row per ``integrity_check`` line (the first few), then what to do."""
    for line in problems[:INTEGRITY_LINES]:
        yield "integrity_check", " ".join(line.split())[:200], FAIL
    if len(problems) > INTEGRITY_LINES:
        yield (
            "integrity_check",
            _("... and {n} more problems").format(n=len(problems) - INTEGRITY_LINES),
            FAIL,
        )
    yield (
        _("what to do"),
        _(
            "the database is damaged: restore a backup with: dialoog restore FILE "
            "(backups are in {folder}); or rescue what is readable with: sqlite3 {db} .recover"
        ).format(folder=_backups_folder(db_path), db=db_path),
        FAIL,
    )


def _backups_folder(db_path: Path) -> Path:
    from dialoog.history.backup import backups_dir

    return backups_dir(db_path)
