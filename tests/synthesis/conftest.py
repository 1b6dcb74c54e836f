"""Fixtures for the synthesis tests: the demo session with themes, fixed in time."""

from __future__ import annotations

import datetime as dt

import pytest

from dialoog.demo import create_demo
from dialoog.models import ExampleInitiative
from dialoog.storage.connection import write
from dialoog.storage.store import Store
from dialoog.synthesis import themes

#: The generation time printed in golden files.
FIXED_TIME = dt.datetime(2015, 3, 1, 12, 0, tzinfo=dt.UTC)


def add_participants(store: Store, session_id: str) -> None:
    """A few participants, one with a tussenvoegsel and one left out of the appendix."""
    rows = [
        ("Ria", "van den", "Bergh", "ROC Midden"),
        ("Jan", "", "Aalders", "Gemeente Utrecht"),
        ("Kees", "", "Zwart", None),
        ("Anna", "de", "Vries", "Universiteit Leiden"),
    ]
    with write(store.db):
        for given, tv, surname, org in rows:
            store.db["participants"].insert(
                {
                    "session_id": session_id,
                    "given_name": given,
                    "tussenvoegsel": tv,
                    "surname": surname,
                    "organisation": org,
                }
            )
        store.db["participants"].insert(
            {"session_id": session_id, "surname": "Geheim", "in_appendix": 0}
        )


@pytest.fixture
def demo(store: Store) -> Store:
    """The demo session with two themes, a synthesis, an initiative, people.

    The two themes are what the first suggestions were before issue 11, written out
    so that the golden files do not change with the suggestion algorithm.
    """
    session, _ = create_demo(store)
    ronde1 = store.resolve_item(session, "ronde-1")
    notes = [(n.text, n.id) for n in store.list_notes(session.id, item=ronde1)]

    def ids(*starts: str) -> list:
        return [i for text, i in notes if text.startswith(starts)]

    first = themes.create_theme(
        store,
        session.id,
        ronde1,
        "Kritisch denken",
        note_ids=ids("Kritisch denken nodig", "Kennis blijft de basis"),
    )
    second = themes.create_theme(
        store,
        session.id,
        ronde1,
        "Programmeren, nieuwe, snappen",
        note_ids=ids("Moet iedereen kunnen programmeren", "Programmeren is het nieuwe"),
    )
    themes.update_theme(
        store,
        first.id,
        synthesis="Aan verschillende tafels wordt kritisch denken genoemd, met kennis als basis.",
    )
    themes.set_contested(store, second.id)
    themes.set_summary(
        store, session.id, store.resolve_item(session, "inleiding"), "Borghans schetst acht vragen."
    )
    themes.add_initiative(
        store,
        session.id,
        ExampleInitiative(
            title="Fablab in de wijk",
            author="A. Maker",
            organisation="Fablab",
            text="Leerlingen maken.",
        ),
    )
    add_participants(store, session.id)
    return store
