"""The demo session: the SER meeting of 19 February 2015 with sample notes.

``dialoog demo`` creates it once, so a newcomer opens dialoog on a filled
session. The notes live in ``demo_notes.toml`` beside this module, written as
table chairs type them (with marks such as ``!`` and ``#knelpunt``).
"""

from __future__ import annotations

import tomllib
from importlib.resources import files

from dialoog.errors import NotFoundError
from dialoog.markers import parse_note
from dialoog.models import Session
from dialoog.plans import find_plan
from dialoog.storage.store import NewNote, Store

DEMO_ID = "demo"
DEMO_PLAN = "skills"


def demo_notes() -> list[dict]:
    """The sample notes: dicts with item (key), table, text and an optional question."""
    data = tomllib.loads(files("dialoog").joinpath("demo_notes.toml").read_text("utf-8"))
    return data["notes"]


def create_demo(store: Store) -> tuple[Session, bool]:
    """Create the demo session unless it exists; return it and whether it is new."""
    try:
        return store.get_session(DEMO_ID), False
    except NotFoundError:
        pass
    plan = find_plan(DEMO_PLAN)
    plan = plan.model_copy(update={"title": f"{plan.title} (demo)"})
    session = store.create_session(plan, session_id=DEMO_ID)
    pending = []
    for raw in demo_notes():
        parsed = parse_note(raw["text"])
        position = store.resolve_item(session, raw["item"])
        pending.append(
            NewNote(
                raw["table"],
                position,
                parsed.text,
                parsed.kind,
                tuple(parsed.tags),
                raw.get("question"),
            )
        )
    store.add_notes(session.id, pending)
    first_round = store.resolve_item(session, "ronde-1")
    store.set_clock(session.id, current_item=first_round, state="idle")
    return store.get_session(session.id), True
