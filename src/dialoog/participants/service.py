"""Participants in the store: import, list in appendix order, edit, roles, seating, forget.

Every function takes an open :class:`dialoog.storage.Store` and a session id;
the rows are read and written through the store (:mod:`dialoog.storage.participants`
and :mod:`dialoog.storage.seating`), where every write is one IMMEDIATE transaction.

Choices made where the issue is silent:

* A person is the same person on a second import when the e-mail address
  matches or, without one, the name (case and diacritics ignored) and the
  organisation do. People already present are left as they are, so a name
  split corrected by hand, a role changed or a seat moved survive re-imports.
* Seated are people with the role participant, table chair or committee
  member; the chair of the day, speakers, panel members, presenters and
  secretaries are seated only when they have one of those roles too.
* A table chair keeps their table in every round (a World Café host). The
  chair named for a table in the session plan gets that table.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.models import ItemKind, Role, Session
from dialoog.participants.csv_import import ParticipantFileError, read_participants
from dialoog.participants.names import NameParts, split_name
from dialoog.participants.seating import Progress, Quality, RoundPlan, Seat, plan_seating, quality
from dialoog.participants.sorting import Convention, fold, join_appendix, sort_people
from dialoog.storage import Store

# Person and SEATED_ROLES are defined where participants are stored; re-exported here.
from dialoog.storage.participants import SEATED_ROLES as SEATED_ROLES
from dialoog.storage.participants import NewPerson, Person


class DuplicateParticipantError(DialoogError):
    """The person is already on the session's list."""


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    present: int = 0
    """Rows for people already on the list (or repeated in the file)."""
    skipped: list[str] = field(default_factory=list)
    """One line per bad row left out (only with ``skip_bad``)."""
    ignored: list[str] = field(default_factory=list)
    """One warning per column left out (unknown, or a job title)."""
    encoding: str = "utf-8"
    delimiter: str = ","


@dataclass(frozen=True)
class SeatingReport:
    """A seating plan as stored, with its quality."""

    items: list[int]
    plans: list[RoundPlan]
    quality: Quality
    unseated_tables: list[int]
    """Tables without a table chair."""


def match_key(name: NameParts | Person, organisation: str | None, email: str | None) -> str:
    """The key by which a second import recognises a person already on the list."""
    if email:
        return "email:" + email.strip().casefold()
    full = " ".join(p for p in (name.given_name, name.tussenvoegsel, name.surname) if p)
    return f"name:{fold(full)}|{fold(organisation or '')}"


# -- reading ---------------------------------------------------------------


def get_convention(store: Store, session_id: str) -> Convention:
    """The appendix order chosen for the session (Dutch unless set to Belgian)."""
    value = store.participant_convention(session_id)
    return Convention(value) if value else Convention.DUTCH


def set_convention(store: Store, session_id: str, convention: Convention | str) -> None:
    """Choose the appendix order for the session."""
    store.get_session(session_id)
    store.set_participant_convention(session_id, Convention(convention).value)


def list_people(
    store: Store,
    session_id: str,
    *,
    convention: Convention | str | None = None,
    include_hidden: bool = True,
) -> list[Person]:
    """The session's participants in appendix order."""
    store.get_session(session_id)
    people = store.list_participants(session_id)
    if not include_hidden:
        people = [p for p in people if p.in_appendix]
    return sort_people(people, convention or get_convention(store, session_id))


def get_person(store: Store, session_id: str, person_id: int) -> Person:
    """One participant by id; :class:`NotFoundError` if not in this session."""
    person = store.find_participant(session_id, person_id)
    if person is None:
        raise NotFoundError(
            _("session {session!r} has no participant {id}").format(
                session=session_id, id=person_id
            )
        )
    return person


def find_person(store: Store, session_id: str, ref: str | int) -> Person:
    """A participant by id, full name or a unique part of it (case, accents ignored)."""
    text = str(ref).strip()
    if text.isdigit():
        return get_person(store, session_id, int(text))
    people = list_people(store, session_id)
    wanted = fold(text)
    exact = [p for p in people if fold(p.full_name) == wanted]
    found = exact or [p for p in people if wanted and wanted in fold(p.full_name)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            _("session {session!r} has no participant matching {ref!r}").format(
                session=session_id, ref=text
            )
        )
    names = "; ".join(f"{p.id} {p.full_name}" for p in found[:6])
    raise NotFoundError(
        _("{ref!r} matches {count} participants ({names}); use the number").format(
            ref=text, count=len(found), names=names
        )
    )


def appendix(
    store: Store, session_id: str, convention: Convention | str | None = None
) -> list[dict[str, str | None]]:
    """The participant appendix as plain data for report templates, in order.

    Each entry has ``name``, ``given_name``, ``tussenvoegsel``, ``surname``,
    ``organisation`` and ``line`` ("Name (Organisation)"). People kept out of
    the appendix are left out.
    """
    return [
        {
            "name": p.full_name,
            "given_name": p.given_name,
            "tussenvoegsel": p.tussenvoegsel,
            "surname": p.surname,
            "organisation": p.organisation,
            "line": p.line,
        }
        for p in list_people(store, session_id, convention=convention, include_hidden=False)
    ]


def appendix_text(store: Store, session_id: str, convention: Convention | str | None = None) -> str:
    """The appendix as one paragraph joined with " – ", as in the SER report."""
    return join_appendix([e["line"] or "" for e in appendix(store, session_id, convention)])


# -- writing ---------------------------------------------------------------


def add_person(
    store: Store,
    session_id: str,
    name: NameParts | str,
    *,
    organisation: str | None = None,
    roles: Sequence[Role] = (Role.PARTICIPANT,),
    email: str | None = None,
    in_appendix: bool = True,
) -> Person:
    """Add one participant (a string name is split the Dutch way)."""
    store.get_session(session_id)
    parts = split_name(name) if isinstance(name, str) else name
    if not parts.surname.strip():
        raise DialoogError(_("a participant needs a surname"))
    person_id = store.insert_participant(
        session_id,
        NewPerson(
            given_name=parts.given_name,
            tussenvoegsel=parts.tussenvoegsel,
            surname=parts.surname,
            match_key=match_key(parts, organisation, email),
            organisation=organisation or None,
            roles=tuple(roles),
            email=email or None,
            in_appendix=in_appendix,
            name_locked=not isinstance(name, str),
        ),
    )
    if person_id is None:
        raise DuplicateParticipantError(
            _("{name} is already a participant of {session!r}").format(
                name=parts.full_name, session=session_id
            )
        )
    return get_person(store, session_id, person_id)


def import_file(
    store: Store,
    session_id: str,
    path: Path | str,
    *,
    skip_bad: bool = False,
    display: str | None = None,
) -> ImportReport:
    """Import a participant CSV: all rows or none, or with ``skip_bad`` the good rows.

    Raises:
        ParticipantFileError: the file cannot be read, or (without
            ``skip_bad``) has a bad row; the message names file, line and column.
    """
    store.get_session(session_id)
    result = read_participants(path, display)
    if result.problems and not skip_bad:
        first, *rest = result.problems
        more = [*rest[:19]]
        if len(rest) > 19:
            more.append(_("… and {count} more problems").format(count=len(rest) - 19))
        raise ParticipantFileError([first + _("; nothing imported"), *more])
    report = ImportReport(
        skipped=list(result.problems),
        ignored=list(result.ignored),
        encoding=result.encoding,
        delimiter=result.delimiter,
    )
    report.added, report.present = store.insert_participants(
        session_id,
        (
            NewPerson(
                given_name=row.name.given_name,
                tussenvoegsel=row.name.tussenvoegsel,
                surname=row.name.surname,
                match_key=match_key(row.name, row.organisation, row.email),
                organisation=row.organisation,
                roles=tuple(row.roles),
                email=row.email,
                in_appendix=row.in_appendix,
            )
            for row in result.rows
        ),
    )
    return report


def correct_name(
    store: Store,
    session_id: str,
    person_id: int,
    *,
    given_name: str | None = None,
    tussenvoegsel: str | None = None,
    surname: str | None = None,
) -> Person:
    """Correct a name split by hand; the correction sticks (re-imports leave it alone)."""
    person = get_person(store, session_id, person_id)
    parts = NameParts(
        " ".join((person.given_name if given_name is None else given_name).split()),
        " ".join((person.tussenvoegsel if tussenvoegsel is None else tussenvoegsel).split()),
        " ".join((person.surname if surname is None else surname).split()),
    )
    if not parts.surname:
        raise DialoogError(_("a participant needs a surname"))
    store.change_participant(
        person_id,
        {
            "given_name": parts.given_name,
            "tussenvoegsel": parts.tussenvoegsel,
            "surname": parts.surname,
            "name_locked": True,
        },
    )
    return get_person(store, session_id, person_id)


_UNSET = object()


def update_person(
    store: Store,
    session_id: str,
    person_id: int,
    *,
    organisation: str | object | None = _UNSET,
    email: str | object | None = _UNSET,
    in_appendix: bool | None = None,
) -> Person:
    """Change a participant's organisation, e-mail or whether they are in the appendix."""
    get_person(store, session_id, person_id)
    changes: dict[str, object] = {}
    if organisation is not _UNSET:
        changes["organisation"] = organisation or None
    if email is not _UNSET:
        changes["email"] = email or None
    if in_appendix is not None:
        changes["in_appendix"] = in_appendix
    store.change_participant(person_id, changes)
    return get_person(store, session_id, person_id)


def set_roles(
    store: Store,
    session_id: str,
    person_id: int,
    *,
    add: Iterable[Role] = (),
    remove: Iterable[Role] = (),
    replace: Iterable[Role] | None = None,
) -> Person:
    """Give a participant roles, take roles away, or replace them all."""
    person = get_person(store, session_id, person_id)
    roles = set(person.roles if replace is None else replace)
    roles |= set(add)
    roles -= set(remove)
    store.change_participant(person_id, {"roles": roles})
    return get_person(store, session_id, person_id)


@dataclass(frozen=True)
class ForgetReport:
    """What ``forget`` removed."""

    name: str
    seats: int
    drafts: int = 0
    initiatives: int = 0


def _mentions(output: bytes, fmt: str, names: list[str]) -> bool:
    """Whether a stored report draft contains one of ``names`` (Markdown, HTML or .docx)."""
    if fmt == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(output)) as docx:
                text = "".join(
                    docx.read(n).decode("utf-8", "replace")
                    for n in docx.namelist()
                    if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            text = output.decode("utf-8", "replace")
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    else:
        text = html.unescape(output.decode("utf-8", "replace"))
    return any(name in text for name in names)


def forget(store: Store, session_id: str, ref: str | int) -> ForgetReport:
    """Remove a person and every record derived from them in this session.

    Removed: the participant row, every seat of theirs, the example initiatives
    they sent in, and every stored report draft of this session (or of its
    series) that names them, such as drafts with the participant appendix. The
    pages they were on are overwritten (``secure_delete``) and the write-ahead
    log is checkpointed, so the name does not linger in the database file.
    """
    person = find_person(store, session_id, ref)
    names = [person.full_name]
    seats, drafts, initiatives = store.forget_participant(
        session_id, person, lambda output, fmt: _mentions(output, fmt, names)
    )
    return ForgetReport(person.full_name, seats, drafts, initiatives)


# -- seating ---------------------------------------------------------------


def round_items(session: Session) -> list[int]:
    """Positions of the session's conversation rounds, in programme order."""
    return [p for p, i in enumerate(session.plan.agenda, start=1) if i.kind is ItemKind.ROUND]


def _seats(
    store: Store, session: Session, people: Sequence[Person]
) -> tuple[list[Seat], dict[int, int]]:
    """People as seating sees them, and the pinned table of each table chair."""
    tables = [t.number for t in session.plan.tables]
    chairs = [p for p in people if Role.TABLE_CHAIR in p.roles]
    named = {fold(t.chair): t.number for t in session.plan.tables if t.chair}
    pinned: dict[int, int] = {}
    for chair in chairs:
        table = named.get(fold(chair.full_name))
        if table is not None and table not in pinned.values():
            pinned[chair.id] = table
    free = [t for t in tables if t not in pinned.values()]
    for chair in chairs:
        if chair.id not in pinned and free:
            pinned[chair.id] = free.pop(0)
    seats = [
        Seat(
            id=p.id,
            organisation=fold(p.organisation) if p.organisation else None,
            chair=p.id in pinned,
            spread=Role.COMMITTEE_MEMBER in p.roles,
        )
        for p in people
    ]
    return seats, pinned


def seat(
    store: Store,
    session_id: str,
    items: Sequence[int] | None = None,
    *,
    rotate: bool = False,
    seed: int = 0,
    progress: Progress | None = None,
) -> SeatingReport:
    """Plan the seating for the given rounds (default: every round) and store it.

    Manual moves already stored for these rounds stay where they are; every
    other seat of these rounds is planned anew.
    ``progress(done, total)``, when given, is called while the plan is made.
    """
    session = store.get_session(session_id)
    items = list(items) if items else round_items(session)
    if not items:
        raise DialoogError(
            _("session {id!r} has no conversation rounds to seat").format(id=session_id)
        )
    people = [p for p in list_people(store, session_id) if p.seated]
    if not people:
        raise DialoogError(
            _("session {id!r} has no participants to seat; import them first").format(id=session_id)
        )
    tables = [t.number for t in session.plan.tables]
    seats, pinned = _seats(store, session, people)
    fixed: dict[tuple[int, int], int] = {}
    manual: set[tuple[int, int]] = set()
    for r, item in enumerate(items):
        for pid, table in pinned.items():
            fixed[(r, pid)] = table
        for pid, table in store.manual_seats(session_id, item).items():
            fixed[(r, pid)] = table
            manual.add((r, pid))
    plans = plan_seating(
        seats, tables, len(items), rotate=rotate, seed=seed, fixed=fixed, progress=progress
    )
    store.replace_seating(
        session_id,
        {item: plans[r] for r, item in enumerate(items)},
        {item: {pid for (rr, pid) in manual if rr == r} for r, item in enumerate(items)},
    )
    without = sorted(set(tables) - set(pinned.values()))
    return SeatingReport(items, plans, quality(seats, plans), without)


def move(store: Store, session_id: str, item: int, person_id: int, table: int) -> None:
    """Seat a person at a table for one round by hand; later plans keep it."""
    session = store.get_session(session_id)
    store.check_table(session, table)
    get_person(store, session_id, person_id)
    store.place_seat(session_id, item, person_id, table)


def seating(store: Store, session_id: str, item: int) -> dict[int, list[tuple[Person, bool]]]:
    """Who sits where in one round: table → [(person, placed by hand)], chair first.

    Every table of the session is present, empty ones with an empty list.
    """
    session = store.get_session(session_id)
    people = {p.id: p for p in list_people(store, session_id)}
    out: dict[int, list[tuple[Person, bool]]] = {t.number: [] for t in session.plan.tables}
    for pid, table, manual in store.seats(session_id, item):
        if pid in people:
            out.setdefault(table, []).append((people[pid], manual))
    order = {pid: i for i, pid in enumerate(people)}
    for members in out.values():
        members.sort(key=lambda pm: (Role.TABLE_CHAIR not in pm[0].roles, order[pm[0].id]))
    return out


def seating_quality(store: Store, session_id: str, items: Sequence[int]) -> Quality:
    """The quality of the stored seating over ``items``."""
    session = store.get_session(session_id)
    people = [p for p in list_people(store, session_id) if p.seated]
    seats, _pinned = _seats(store, session, people)
    plans: list[RoundPlan] = [
        {pid: table for pid, table, _manual in store.seats(session_id, item)} for item in items
    ]
    known = {s.id for s in seats}
    plans = [{k: v for k, v in plan.items() if k in known} for plan in plans]
    return quality(seats, plans)
