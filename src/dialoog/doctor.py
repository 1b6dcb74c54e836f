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
    from dialoog.storage import open_database
    from dialoog.storage.migrations import migration_names

    try:
        db = open_database(db_path)
    except StoreError as exc:
        yield _("status"), str(exc), FAIL
        return
    try:
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
        yield _("schema version"), f"{user_version} ({migration_names()[-1]})", OK
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        yield _("journal mode"), mode, OK if mode == "wal" else FAIL
        result = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
        yield "integrity_check", "; ".join(result)[:200], OK if result == ["ok"] else FAIL
        mode_bits = db_path.stat().st_mode & 0o777
        yield _("file mode"), oct(mode_bits), OK if mode_bits & 0o077 == 0 else WARN
    finally:
        db.close()
    from dialoog.history.backup import doctor_row  # issue 6: when the last backup was made

    yield doctor_row(db_path)
