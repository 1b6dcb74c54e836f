"""The standard-library road for ``dialoog notes add`` and ``dialoog notes list``.

Importing pydantic and sqlite-utils costs a command more than the work itself
(about 0.3 s against a few milliseconds to save a note), so these two commands
first try this module, which imports nothing beyond the standard library and
dialoog's plain modules (markers, kinds, text, times, errors, i18n).
``tests/test_import_hygiene.py`` checks that, and ``tests/test_quick_store.py``
that it saves and lists exactly what :class:`dialoog.storage.Store` does.

It keeps the store's rules (see :mod:`dialoog.storage.connection`): SQLite alone
opens the file, WAL with ``synchronous=FULL``, a busy timeout, a write that
begins IMMEDIATE, and a check before and after ``COMMIT`` that the path still
names the file opened. It works only on an existing, up-to-date dialoog
database: :func:`open_quick` returns None for anything else (no file yet, an
older or newer schema, not dialoog's, unreadable), and the caller opens the
store, which creates, migrates or refuses the file with its usual message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.markers import parse_note
from dialoog.storage.note_rows import check_tags, check_text, insert_new_note
from dialoog.storage.opened_file import OpenedFile
from dialoog.storage.peek import APPLICATION_ID, SCHEMA_VERSION
from dialoog.times import now, stamp

BUSY_TIMEOUT_MS = 10_000

#: The columns of a listed note, in the store's taken order (created_at, rowid).
_COLUMNS = (
    "id, session_id, table_no, item, question, kind, text, tags_json,"
    " created_at, updated_at, deleted_at, rev"
)


def new_note_id() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` makes it.

    Written out because :mod:`uuid` imports :mod:`platform` and more, which
    costs this road a few of its milliseconds.
    """
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class QuickNote:
    """A stored note as plain values (times as stored text)."""

    id: str
    session_id: str
    table: int
    item: int
    question: int | None
    kind: str
    text: str
    tags: list[str]
    created_at: str
    updated_at: str
    deleted_at: str | None
    rev: int

    def as_json(self) -> dict:
        """The note as ``dialoog notes list --format json`` prints it (as pydantic would)."""
        return {
            "id": self.id,
            "session_id": self.session_id,
            "table": self.table,
            "item": self.item,
            "question": self.question,
            "kind": self.kind,
            "text": self.text,
            "tags": self.tags,
            "created_at": _json_time(self.created_at),
            "updated_at": _json_time(self.updated_at),
            "deleted_at": _json_time(self.deleted_at),
            "rev": self.rev,
        }


def _json_time(value: str | None) -> str | None:
    """A stored UTC stamp in pydantic's JSON form (``Z``, no ``.000000``)."""
    if not value:
        return None
    text = dt.datetime.fromisoformat(value).astimezone(dt.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


@dataclass(frozen=True)
class QuickSession:
    """A session's id and plan (the validated plan as stored, a dict)."""

    id: str
    plan: dict

    def check_table(self, table: int) -> None:
        """Raise :class:`NotFoundError` unless the session has this table (the store's words)."""
        numbers = [int(t["number"]) for t in self.plan["tables"]]
        if table not in numbers:
            raise NotFoundError(
                _("session {id!r} has no table {table} (its tables: {numbers})").format(
                    id=self.id, table=table, numbers=", ".join(str(n) for n in numbers)
                )
            )

    def resolve_item(self, ref: str | int) -> int:
        """An agenda item's position from its number, key or a round's name, as the store does."""
        agenda = self.plan["agenda"]
        text = str(ref).strip().lower()
        if text.isdigit():
            pos = int(text)
            if 1 <= pos <= len(agenda):
                return pos
        for pos, item in enumerate(agenda, start=1):
            if text in ((item.get("key") or "").lower(), str(item["title"]).lower()):
                return pos
        match = re.fullmatch(r"(?:gespreks)?(?:ronde|round)[\s-]*(\d+)", text)
        if match:
            rounds = [p for p, i in enumerate(agenda, start=1) if i["kind"] == "round"]
            n = int(match.group(1))
            if 1 <= n <= len(rounds):
                return rounds[n - 1]
        keys = ", ".join(i.get("key") or str(p) for p, i in enumerate(agenda, start=1))
        raise NotFoundError(
            _("session {id!r} has no agenda item {ref!r} (items: {keys})").format(
                id=self.id, ref=str(ref), keys=keys
            )
        )

    def item_key(self, position: int) -> str:
        """The key of the agenda item at ``position`` (its number when it has none)."""
        agenda = self.plan["agenda"]
        if 1 <= position <= len(agenda):
            return agenda[position - 1].get("key") or str(position)
        return str(position)


class QuickStore:
    """An up-to-date dialoog database opened with :mod:`sqlite3` alone."""

    def __init__(self, conn: sqlite3.Connection, path: Path, identity: tuple[int, int]) -> None:
        self.conn = conn
        self.path = path
        self._opened = OpenedFile(path, identity)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def get_session(self, session_id: str) -> QuickSession:
        """The session with this id; :class:`NotFoundError` (the store's words) if none."""
        row = self.conn.execute(
            "SELECT plan_json FROM sessions WHERE id = ?", [session_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(
                _("no session {id!r} (see: dialoog sessions)").format(id=session_id)
            )
        return QuickSession(session_id, json.loads(row[0]))

    def add_typed_note(
        self, session_id: str, *, table: int, item: int, raw: str, question: int | None = None
    ) -> str:
        """Save a note as typed (its marks read) in one IMMEDIATE transaction; returns its id.

        What :meth:`dialoog.storage.Store.add_typed_note` writes: the note and
        its first revision (the word indexes follow by trigger).
        """
        parsed = parse_note(raw)
        text = check_text(parsed.text)
        tags_json = json.dumps(check_tags(parsed.tags), ensure_ascii=False)
        note_id = new_note_id()
        kind = parsed.kind.value
        conn = self.conn
        self._check()
        conn.execute("BEGIN IMMEDIATE")
        try:
            when = stamp(now())
            insert_new_note(
                conn, note_id, session_id, table=table, item=item, question=question,
                kind=kind, text=text, tags_json=tags_json, when=when,
            )  # fmt: skip
            self._check()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._check(committed=True)
        return note_id

    def list_notes(
        self,
        session_id: str,
        *,
        table: int | None = None,
        item: int | None = None,
        include_deleted: bool = False,
    ) -> list[QuickNote]:
        """Notes of a session in the order they were taken (the store's filters and order)."""
        where = ["session_id = ?"]
        params: list[object] = [session_id]
        if table is not None:
            where.append("table_no = ?")
            params.append(table)
        if item is not None:
            where.append("item = ?")
            params.append(item)
        if not include_deleted:
            where.append("deleted_at IS NULL")
        sql = f"SELECT {_COLUMNS} FROM notes WHERE {' AND '.join(where)} ORDER BY created_at, rowid"
        return [
            QuickNote(*row[:7], json.loads(row[7]), *row[8:])
            for row in self.conn.execute(sql, params)
        ]

    def _check(self, *, committed: bool = False) -> None:
        """Raise :class:`DatabaseFileChanged` unless the path still names the file opened."""
        self._opened.check(committed=committed)


def open_quick(path: Path | str) -> QuickStore | None:
    """The database at ``path`` opened for a quick command, or None to use the store instead.

    None when the file is missing or empty, not a dialoog database, of another
    schema version, not in WAL mode, or cannot be read: the store then gives
    its own message or does its own set-up.
    """
    path = Path(path).expanduser()
    try:
        st = path.stat()
    except OSError:
        return None
    if not path.is_file() or st.st_size == 0:
        return None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            conn.close()
            return None
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.close()
            return None
        # A dialoog database is always in WAL mode already; asking keeps it so.
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.close()
            return None
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        st = path.stat()
    except (sqlite3.Error, OSError):
        conn.close()
        return None
    return QuickStore(conn, path, (st.st_dev, st.st_ino))
