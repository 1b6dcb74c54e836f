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
import stat
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from dialoog.errors import DatabaseDamaged, DatabaseFileChanged, StoreError
from dialoog.storage.opened_file import OpenedFile

#: ``PRAGMA application_id`` of a dialoog database ("DIAL" in ASCII).
APPLICATION_ID = 0x4449414C
BUSY_TIMEOUT_MS = 10_000
#: SQLite's primary result codes for a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB.
DAMAGE_CODES = frozenset({11, 26})


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying the database file itself is damaged.

    Only "malformed" (SQLITE_CORRUPT) and "not a database" (SQLITE_NOTADB) count:
    a locked database, a full disk or a constraint are other problems.
    """
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in DAMAGE_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


def damaged(path: Path | str, exc: BaseException | str) -> DatabaseDamaged:
    """The one-line error for a damaged database at ``path``, with what to do about it."""
    from dialoog.i18n import _

    detail = " ".join(str(exc).split())[:200]
    return DatabaseDamaged(
        _(
            "{path}: the database is damaged ({detail}); see what is wrong with: dialoog doctor, "
            "and restore a backup with: dialoog restore FILE"
        ).format(path=path, detail=detail)
    )


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What ``PRAGMA integrity_check`` (or ``quick_check``) finds wrong; empty when healthy.

    A check that cannot even read the file (SQLite then raises instead of
    listing) gives that error as its one line.
    """
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [" ".join(str(exc).split())]
    if rows == ["ok"]:
        return []
    # One row may hold several lines, under a "*** in database main ***" heading.
    lines = [" ".join(line.split()) for row in rows for line in row.splitlines()]
    return [line for line in lines if line and not line.startswith("***")]


def health(db: sqlite_utils.Database) -> tuple[int | None, str | None, list[str]]:
    """Schema version, journal mode and ``integrity_check`` problems of an open database.

    Damage never raises: a database too broken to say its version gives
    ``None`` for both and SQLite's error as its one problem.
    """
    try:
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return None, None, [" ".join(str(exc).split())]
    return user_version, mode, integrity_problems(db.conn)


def read_only_problems(path: Path) -> list[str]:
    """``integrity_check`` of a database that will not open normally, reading only."""
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.DatabaseError as exc:
        return [" ".join(str(exc).split())]
    try:
        return integrity_problems(conn)
    finally:
        conn.close()


class Database(sqlite_utils.Database):
    """A dialoog database connection; ``opened`` is the file it was opened on."""

    opened: OpenedFile | None = None


def _check_file(path: Path) -> bool:
    """Return whether the file at ``path`` already holds data (it is then checked by SQLite).

    Only the file's size is looked at here, never its bytes: whether it is SQLite at
    all is for the read-only probe in :func:`_inspect` to say.

    Why dialoog never opens the database, its ``-wal`` or its ``-shm`` with anything
    but SQLite: POSIX advisory locks belong to a process and a file, not to a file
    descriptor. Closing *any* descriptor on the file (a Python ``open()`` to read the
    header, a ``shutil.copyfile``) silently drops every lock SQLite holds on it in
    this process. The next process to close the database then believes it is the
    last user, checkpoints and deletes the WAL, and what this process writes after
    that goes into a deleted file: shown as saved, lost at the next crash (SQLite's
    "How To Corrupt An SQLite Database File", section 2.2). SQLite's own connections
    in one process share their descriptors and locks, so they are safe. Copies of a
    database go through :func:`copy_database`; ``tests/conftest.py`` fails any test
    in which Python opens a file this process holds open as a database.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path}: is a folder, not a database file")
    return st.st_size > 0


def _refusal(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """The message for a file SQLite will not read."""
    if "file is not a database" in str(exc):
        return StoreError(f"{path}: not a dialoog database (not an SQLite file); left untouched")
    if is_damage(exc):
        return damaged(path, exc)
    return StoreError(f"{path}: not a usable SQLite database ({exc}); left untouched")


def copy_database(source: Path, dest: Path) -> None:
    """Copy the database at ``source`` into the new file ``dest``, through SQLite only.

    ``source`` may be a database this or another process has open (see
    :func:`_check_file` for why it is never read as plain bytes). The copy is one
    consistent snapshot in rollback-journal mode: a single self-contained file.

    Raises:
        StoreError: ``source`` is not an SQLite file or cannot be read.
    """
    try:
        reader = _connect(source, readonly=True)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source}: cannot read: {exc}") from None
    try:
        target = sqlite3.connect(dest, isolation_level=None)
        try:
            reader.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.DatabaseError as exc:
            raise _refusal(source, exc) from None
        finally:
            target.close()
    finally:
        reader.close()


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (mode 0600).

    An empty file already at ``path`` (made by ``touch``, or by a program with a
    looser umask) becomes the database too, so it is made 0600 as well: the
    database holds every note and participant. If its mode cannot be changed
    (someone else's file), it is refused rather than filled.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        _make_private(path)
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create: {exc.strerror or exc}") from None
    os.close(fd)


def _make_private(path: Path) -> None:
    """Take away group and other access from the existing file at ``path`` (by path, no open)."""
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & 0o700)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(
            f"{path}: an empty file others can read is there, and its access cannot be limited "
            f"to you ({exc.strerror or exc}); not using it as the database"
        ) from None


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
        raise _refusal(path, exc) from None
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


def open_database(path: Path | str, *, create: bool = True) -> Database:
    """Open (creating if needed) a dialoog database and bring its schema up to date.

    Args:
        path: the database file.
        create: when False, a missing or empty file is refused instead of
            becoming a new database (for a reopen, where one was just in use).

    Raises:
        StoreError: the file is not a dialoog database, is from a newer dialoog,
            or cannot be created or written, or (``create=False``) is missing.
            The file is then left untouched.
    """
    from dialoog.storage.migrations import MIGRATIONS, migration_names

    path = Path(path).expanduser()
    if _check_file(path):
        try:
            probe = _connect(path, readonly=True)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot read: {exc}") from None
        try:
            _inspect(probe, path, migration_names())
        finally:
            probe.close()
    elif not create:
        raise DatabaseFileChanged(
            f"{path}: the database file is gone (removed or moved); "
            "not starting a new, empty one in its place"
        )
    else:
        _create_private_file(path)
    try:
        conn = _connect(path)
        configure(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from None
    db = Database(conn)
    try:
        db.opened = OpenedFile(path)
    except OSError as exc:
        conn.close()
        raise StoreError(f"{path}: cannot open database: {exc.strerror or exc}") from None
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
    opened = db.opened if isinstance(db, Database) else None
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        if opened is not None:
            opened.check()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if opened is not None:
        opened.check(committed=True)
