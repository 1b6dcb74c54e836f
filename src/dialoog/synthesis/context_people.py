"""People in the report context: the programme's speakers and the participant appendix.

Bijlage 1 of the SER report lists everyone who took part: the imported
participants, and the chair of the day, speakers, panel members and presenters
of the programme. :func:`appendix_entries` merges the two, without doubles (a
speaker who is also on the participant list appears once, as the list has them;
someone kept out of the appendix there stays out), in the order chosen for the
session (Dutch or Belgian), read through :mod:`dialoog.participants.service`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from dialoog.models import Session
from dialoog.participants.names import split_name
from dialoog.participants.service import Person, get_convention, list_people
from dialoog.participants.sorting import Convention, fold, sort_key
from dialoog.storage.store import Store
from dialoog.synthesis.phrases import clean


class PersonContext(BaseModel):
    """A named person of the programme (speaker, panel member, presenter, chair)."""

    name: str
    organisation: str = ""
    function: str = ""
    text: str
    """``Name (Organisation)``, or the name alone."""
    description: str = ""
    """``Name, function (Organisation)``; the organisation left out when the function names it."""


class AppendixEntry(BaseModel):
    """A participant in the appendix: "Name (Organisation)"."""

    name: str
    organisation: str
    text: str
    sort_key: str


def with_organisation(name: str, organisation: str | None) -> str:
    """``Name (Organisation)``, as the SER's appendix writes it.

    An organisation that carries its own brackets ("Sociaal-Economische Raad (SER)")
    has them turned into a comma, so the text never ends in "(SER))".
    """
    if not organisation:
        return name
    flat = re.sub(r"\s*\(([^()]*)\)", r", \1", organisation).strip(" ,")
    return f"{name} ({flat})"


def person(
    name: str, organisation: str | None = None, function: str | None = None
) -> PersonContext:
    """A programme person with the phrases templates print."""
    organisation = clean(organisation)
    name = clean(name)
    function = clean(function)
    description = f"{name}, {function}" if function else name
    # "drijvende kracht achter United4Education (United4Education)" says it twice.
    if organisation and fold(organisation) not in fold(function):
        description = with_organisation(description, organisation)
    return PersonContext(
        name=name,
        organisation=organisation,
        function=function,
        text=with_organisation(name, organisation),
        description=description,
    )


def appendix_order(
    participants: list[dict], convention: Convention | str = Convention.DUTCH
) -> list[dict]:
    """Order participant rows (dicts with the three name parts) for the appendix.

    Under the Dutch convention (the default) the tussenvoegsel is stored apart,
    so "van den Bergh" sorts under B; under the Belgian one it sorts under V.
    See :func:`dialoog.participants.sorting.sort_key`, which also ignores
    accents, titles and suffixes.
    """

    def key(row: dict) -> tuple:
        return sort_key(
            Person(
                id=0,
                session_id="",
                given_name=row.get("given_name") or "",
                tussenvoegsel=row.get("tussenvoegsel") or "",
                surname=row.get("surname") or "",
            ),
            convention,
        )

    return sorted(participants, key=key)


def _programme_people(session: Session) -> list[tuple[str, str]]:
    """(name, organisation) of the chair of the day and every speaker, in programme order."""
    plan = session.plan
    found = []
    if plan.chair_of_day is not None:
        found.append((plan.chair_of_day.name, plan.chair_of_day.organisation))
    for item in plan.agenda:
        found.extend((p.name, p.organisation) for p in item.speakers)
        if item.moderator:
            found.append((item.moderator, None))
    return [(clean(n).strip(), clean(o).strip()) for n, o in found if clean(n).strip()]


def appendix_entries(store: Store, session: Session) -> list[AppendixEntry]:
    """Everyone who took part, in the session's order, each once (see the module docstring)."""
    convention = get_convention(store, session.id)
    people = list_people(store, session.id, convention=convention)
    known = {fold(p.full_name) for p in people}
    ranked: list[tuple[tuple, AppendixEntry]] = []
    for p in people:
        if p.in_appendix:
            ranked.append((sort_key(p, convention), _entry(p.full_name, p.organisation)))
    for name, organisation in _programme_people(session):
        if fold(name) in known:  # on the list already, or kept out of the appendix there
            continue
        known.add(fold(name))
        ranked.append((sort_key(split_name(name), convention), _entry(name, organisation)))
    ranked.sort(key=lambda pair: pair[0])
    return [
        entry.model_copy(update={"sort_key": "\x01".join(map(str, key))}) for key, entry in ranked
    ]


def _entry(name: str, organisation: str | None) -> AppendixEntry:
    name = clean(name)
    organisation = clean(organisation)
    return AppendixEntry(
        name=name,
        organisation=organisation,
        text=with_organisation(name, organisation),
        sort_key="",
    )
