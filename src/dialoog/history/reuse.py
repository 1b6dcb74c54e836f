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

import tomli_w

from dialoog import __version__
from dialoog.errors import DialoogError
from dialoog.models import Session, SessionPlan
from dialoog.storage.store import Store


class ReuseError(DialoogError):
    """A session that cannot be reused or written as a plan."""


def session_plan(store: Store, session_id: str) -> SessionPlan:
    """The session's structure as a plan, with its tables as they are now in the database."""
    plan = store.get_session(session_id).plan
    tables = store.session_tables(session_id)
    if tables:
        plan = plan.model_copy(update={"tables": tables})
    return plan


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
    plan = session_plan(store, source_id)
    plan = plan.model_copy(update={"date": date})
    session = store.create_session_copy(
        plan, title=title, participants_of=source_id if with_participants else None
    )
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


def export_plan(store: Store, session_id: str, path: Path) -> SessionPlan:
    """Write a session's structure to ``path`` as a plan file; returns the plan."""
    plan = session_plan(store, session_id)
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
