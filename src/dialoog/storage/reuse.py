"""The reads and writes of reusing a session as a template (see :mod:`dialoog.history.reuse`).

The session itself is read and created through :class:`~dialoog.storage.store.Store`;
this module adds what the store has no method for: a session's tables as they
are now (a chair may have changed since the plan was made) and a copy of a
session's participants with every row that seats them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from dialoog.models import Session, SessionPlan, Table
from dialoog.storage.connection import write

if TYPE_CHECKING:
    from dialoog.storage.store import Store


def session_tables(store: Store, session_id: str) -> list[Table]:
    """The session's tables as they are in the database, by number."""
    return [
        Table(number=r[0], name=r[1], chair=r[2])
        for r in store.db.execute(
            "SELECT number, name, chair FROM session_tables WHERE session_id = ? ORDER BY number",
            [session_id],
        )
    ]


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info([{table}])")]


def _copy_participants(db: sqlite_utils.Database, source: str, target: str) -> int:
    """Copy participants, any rows that seat them (tables with participant_id), settings.

    Every table with a ``session_id`` and a ``participant_id`` column is copied,
    so seating tables added by later migrations come along without a change here.
    """
    cols = [c for c in _columns(db, "participants") if c not in ("id", "session_id")]
    mapping: dict[int, int] = {}
    col_list = ", ".join(cols)
    for row in db.execute(
        f"SELECT id, {col_list} FROM participants WHERE session_id = ? ORDER BY id", [source]
    ).fetchall():
        cur = db.execute(
            f"INSERT INTO participants (session_id, {col_list})"
            f" VALUES (?, {', '.join('?' * len(cols))})",
            [target, *row[1:]],
        )
        mapping[row[0]] = cur.lastrowid
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'participants'"
        )
    ]
    for name in names:
        table_cols = _columns(db, name)
        if "session_id" not in table_cols or "participant_id" not in table_cols:
            continue
        keep = [c for c in table_cols if c not in ("id", "session_id", "participant_id")]
        select = ", ".join(["participant_id", *keep])
        for row in db.execute(
            f"SELECT {select} FROM [{name}] WHERE session_id = ?", [source]
        ).fetchall():
            if row[0] not in mapping:
                continue
            db.execute(
                f"INSERT INTO [{name}] (session_id, {select})"
                f" VALUES (?, {', '.join('?' * (len(keep) + 1))})",
                [target, mapping[row[0]], *row[1:]],
            )
    if "participant_settings" in names:
        db.execute(
            "INSERT OR IGNORE INTO participant_settings (session_id, convention)"
            " SELECT ?, convention FROM participant_settings WHERE session_id = ?",
            [target, source],
        )
    return len(mapping)


def create_copy(
    store: Store,
    plan: SessionPlan,
    *,
    title: str | None = None,
    participants_of: str | None = None,
) -> Session:
    """Create a session from ``plan`` and, in the same transaction, copy participants.

    With ``participants_of`` (a session id), that session's participants and every
    row that seats them are copied into the new session; either all of it is
    written or none. Returns the new session as created (before the copy).
    """
    with write(store.db):
        session = store.create_session(plan, title=title)
        if participants_of is not None:
            _copy_participants(store.db, participants_of, session.id)
    return session
