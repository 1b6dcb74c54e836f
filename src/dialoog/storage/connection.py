"""Opening the database with the rules that make a saved note survive anything.

Every connection runs in WAL mode with ``synchronous=FULL`` (a commit is on disk
before it returns) and a busy timeout; every write transaction begins
IMMEDIATE, because a plain (deferred) BEGIN that later needs the write lock can
fail at once with "database is locked" when two writers meet. Before anything
is changed, the file is checked: a file that is not SQLite, an SQLite file that
is not dialoog's, or a database from a newer dialoog is refused and left as it
was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from dialoog.errors import StoreError

#: ``PRAGMA application_id`` of a dialoog database ("DIAL" in ASCII).
APPLICATION_ID = 0x4449414C
BUSY_TIMEOUT_MS = 10_000
_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> bool:
    """Refuse a file that is not SQLite; return whether it already holds data."""
    if not path.exists():
        return False
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not header:
        return False
    if header != _SQLITE_HEADER:
        raise StoreError(f"{path}: not a dialoog database (not an SQLite file); left untouched")
    return True


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create: {exc.strerror or exc}") from None
    os.close(fd)


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    # isolation_level=None: Python never opens a transaction behind our back;
    # every write transaction is opened explicitly by write() as IMMEDIATE.
    target = str(path)
    if readonly:
        target = f"{path.resolve().as_uri()}?mode=ro"
        if not Path(f"{path}-wal").exists():
            # Nothing in a log to read: immutable, so not even -wal/-shm files are made
            # beside a file that may be refused.
            target += "&immutable=1"
    conn = sqlite3.connect(
        target,
        uri=readonly,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _inspect(conn: sqlite3.Connection, path: Path, known: list[str]) -> None:
    """Refuse foreign or newer databases, reading only."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite database ({exc}); left untouched") from None
    if not tables and app_id == 0:
        return  # a new, empty database: ours to set up
    if app_id != APPLICATION_ID:
        raise StoreError(
            f"{path}: not a dialoog database (an SQLite file of another program); left untouched"
        )
    if "_sqlite_migrations" not in tables:
        raise StoreError(
            f"{path}: a damaged dialoog database (no record of its schema); left untouched"
        )
    if "_sqlite_migrations" in tables:
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'dialoog'"
            )
        ]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{path}: made by a newer dialoog (schema step {unknown[-1]!r} is unknown to this "
                "version); upgrade dialoog to open it. Left untouched"
            )


def configure(conn: sqlite3.Connection) -> None:
    """The pragmas every dialoog connection runs with."""
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise StoreError(f"cannot switch the database to WAL mode (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) a dialoog database and bring its schema up to date.

    Raises:
        StoreError: the file is not a dialoog database, is from a newer dialoog,
            or cannot be created or written. The file is then left untouched.
    """
    from dialoog.storage.migrations import MIGRATIONS, migration_names

    path = Path(path).expanduser()
    if _check_file(path):
        probe = _connect(path, readonly=True)
        try:
            _inspect(probe, path, migration_names())
        finally:
            probe.close()
    else:
        _create_private_file(path)
    try:
        conn = _connect(path)
        configure(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from None
    db = sqlite_utils.Database(conn)
    try:
        if MIGRATIONS.pending(db):
            with write(db):
                MIGRATIONS.apply(db)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {len(migration_names())}")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise StoreError(f"{path}: cannot set up the database: {exc}") from None
    return db


@contextlib.contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that begins IMMEDIATE and is committed on exit.

    Nested use joins the outer transaction (through sqlite-utils savepoints).
    When this returns without an exception, the data is committed and, with
    ``synchronous=FULL`` in WAL mode, on disk.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
