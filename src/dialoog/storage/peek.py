"""A quick, read-only look at one session, with the standard library only.

``dialoog capture`` uses it to check the session and the table, and to put the
session's title and agenda item on the first screen, without waiting for the
store (pydantic and sqlite-utils take longer to import than Textual takes to
draw). The app then opens the store in a thread worker and fills in the rest.

When the database cannot be read this way (no file yet, not dialoog's, a
schema older or newer than this dialoog's, locked), :func:`peek_session`
returns None and the caller opens the store, which creates, migrates or
refuses it with its usual message.

It lives in :mod:`dialoog.storage` because it reads tables; unlike its
neighbours it imports nothing beyond the standard library (and dialoog's
errors and i18n), which ``tests/test_import_hygiene.py`` checks.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import NotFoundError
from dialoog.i18n import _

#: ``PRAGMA application_id`` of a dialoog database (see dialoog.storage.connection).
APPLICATION_ID = 0x4449414C
#: ``PRAGMA user_version`` of an up-to-date database: the number of schema steps
#: (a test checks it against dialoog.storage.migrations).
SCHEMA_VERSION = 10


@dataclass(frozen=True)
class ItemPreview:
    """What the capture screen shows of an agenda item."""

    kind: str
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class SessionPreview:
    """What the capture screen shows before the session is loaded."""

    id: str
    title: str
    agenda: tuple[ItemPreview, ...]
    current_item: int | None
    """The item the chair of the day has made current, if any."""


def peek_session(path: Path, session_id: str, table: int) -> SessionPreview | None:
    """The session's title and agenda, once its id and table are checked.

    Raises:
        NotFoundError: no such session, or the session has no such table (the
            same messages as the store's).

    Returns:
        None when the database cannot be read this way; open the store instead.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        return _read(conn, session_id, table)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, session_id: str, table: int) -> SessionPreview | None:
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return None
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return None
    row = conn.execute("SELECT plan_json FROM sessions WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFoundError(_("no session {id!r} (see: dialoog sessions)").format(id=session_id))
    plan = json.loads(row[0])
    numbers = [int(t["number"]) for t in plan["tables"]]
    if table not in numbers:
        raise NotFoundError(
            _("session {id!r} has no table {table} (its tables: {numbers})").format(
                id=session_id, table=table, numbers=", ".join(str(n) for n in numbers)
            )
        )
    agenda = tuple(
        ItemPreview(str(i["kind"]), str(i["title"]), tuple(i.get("questions") or ()))
        for i in plan["agenda"]
    )
    clock = conn.execute(
        "SELECT current_item FROM session_clock WHERE session_id = ?", [session_id]
    ).fetchone()
    current = clock[0] if clock else None
    return SessionPreview(session_id, str(plan["title"]), agenda, current)
