"""Reuse a session as a template: copy its structure, or write it out as a plan file.

The structure is the programme (agenda items with their questions, speakers and
durations), the tables with their chairs, and the session's descriptive fields;
never the notes. Participants (and any seating rows that point at them) are
copied only when asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Any

import sqlite_utils
import tomli_w

from dialoog import __version__
from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.models import Session, SessionPlan, Table
from dialoog.storage.connection import write
from dialoog.storage.store import Store


class ReuseError(DialoogError):
    """A session that cannot be reused or written as a plan."""


def session_plan(db: sqlite_utils.Database, session_id: str) -> SessionPlan:
    """The session's structure as a plan, with its tables as they are now in the database."""
    row = db.execute("SELECT plan_json FROM sessions WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFoundError(_("no session {id!r} (see: dialoog sessions)").format(id=session_id))
    plan = SessionPlan.model_validate_json(row[0])
    tables = [
        Table(number=r[0], name=r[1], chair=r[2])
        for r in db.execute(
            "SELECT number, name, chair FROM session_tables WHERE session_id = ? ORDER BY number",
            [session_id],
        )
    ]
    if tables:
        plan = plan.model_copy(update={"tables": tables})
    return plan


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info([{table}])")]


def _copy_participants(db: sqlite_utils.Database, source: str, target: str) -> int:
    """Copy participants, any rows that seat them (tables with participant_id), settings."""
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


def new_from_session(
    store: Store,
    source_id: str,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    with_participants: bool = False,
) -> Session:
    """Create a new session with the structure of ``source_id`` and no notes.

    The new session has no date unless ``date`` is given (it is a new meeting);
    with ``with_participants`` its participants and their seating are copied too.
    """
    plan = session_plan(store.db, source_id)
    plan = plan.model_copy(update={"date": date})
    with write(store.db):
        session = store.create_session(plan, title=title)
        if with_participants:
            _copy_participants(store.db, source_id, session.id)
    return store.get_session(session.id)


def _plain(value: Any) -> Any:
    """Enums to their values, recursively, for the TOML writer."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def plan_to_toml(plan: SessionPlan, comment: str | None = None) -> str:
    """A plan as TOML that :func:`dialoog.plans.load_plan` reads back to an equal plan."""
    data = _plain(plan.model_dump(mode="python", exclude_none=True))
    # Scalars first, then tables, so the file reads like the bundled plans.
    ordered = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    ordered |= {k: v for k, v in data.items() if isinstance(v, dict)}
    ordered |= {k: v for k, v in data.items() if isinstance(v, list)}
    header = "".join(f"# {line}\n" for line in (comment or "").splitlines())
    return header + tomli_w.dumps(ordered)


def export_plan(db: sqlite_utils.Database, session_id: str, path: Path) -> SessionPlan:
    """Write a session's structure to ``path`` as a plan file; returns the plan."""
    plan = session_plan(db, session_id)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    comment = f"Plan of session {session_id}, exported by dialoog {__version__} on {stamp}."
    text = plan_to_toml(plan, comment)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReuseError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return plan


def plan_summary(plan: SessionPlan) -> dict[str, Any]:
    """The structure that reuse promises to keep, as plain data (for comparisons)."""
    return json.loads(plan.model_dump_json(exclude={"date"}))
