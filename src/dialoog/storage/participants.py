"""Participants of a session and the appendix order chosen for it.

The only module that names ``participants`` and ``participant_settings``.
:func:`person_from_row` is the one converter from a ``participants`` row to a
:class:`Person`. Name splitting, matching, sorting and seating rules are the
service's, in :mod:`dialoog.participants`; this module stores what it decides.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import sqlite_utils

from dialoog.models import Participant, Role, Session, SessionPlan
from dialoog.storage.connection import write
from dialoog.storage.drafts import delete_drafts_naming
from dialoog.storage.seating import delete_seats_of
from dialoog.storage.sessions import session_series
from dialoog.storage.themes import delete_initiatives_by
from dialoog.text import clean_line

#: Roles of people who sit at a dialogue table.
SEATED_ROLES = frozenset({Role.PARTICIPANT, Role.TABLE_CHAIR, Role.COMMITTEE_MEMBER})


@dataclass(frozen=True)
class Person:
    """A participant as stored: the domain model plus its id and correction flag."""

    id: int
    session_id: str
    given_name: str
    tussenvoegsel: str
    surname: str
    organisation: str | None = None
    roles: tuple[Role, ...] = (Role.PARTICIPANT,)
    email: str | None = None
    in_appendix: bool = True
    name_locked: bool = False
    """The name split was corrected by hand."""

    @property
    def full_name(self) -> str:
        """The name as written in running text."""
        return " ".join(p for p in (self.given_name, self.tussenvoegsel, self.surname) if p)

    @property
    def line(self) -> str:
        """The appendix entry: "Name (Organisation)"."""
        name = self.full_name
        return f"{name} ({self.organisation})" if self.organisation else name

    @property
    def seated(self) -> bool:
        """Whether this person sits at a dialogue table."""
        return any(r in SEATED_ROLES for r in self.roles)

    def to_model(self) -> Participant:
        """The domain model of this participant."""
        return Participant(
            given_name=self.given_name,
            tussenvoegsel=self.tussenvoegsel,
            surname=self.surname,
            organisation=self.organisation,
            roles=list(self.roles),
            email=self.email,
            in_appendix=self.in_appendix,
        )


@dataclass(frozen=True)
class NewPerson:
    """A participant to be stored; ``match_key`` recognises them on a later import."""

    given_name: str
    tussenvoegsel: str
    surname: str
    match_key: str
    organisation: str | None = None
    roles: tuple[Role, ...] = (Role.PARTICIPANT,)
    email: str | None = None
    in_appendix: bool = True
    name_locked: bool = False


def person_from_row(row: dict) -> Person:
    """The one converter from a ``participants`` row to a :class:`Person`."""
    return Person(
        id=row["id"],
        session_id=row["session_id"],
        given_name=row["given_name"],
        tussenvoegsel=row["tussenvoegsel"],
        surname=row["surname"],
        organisation=row["organisation"],
        roles=tuple(Role(r) for r in json.loads(row["roles_json"])),
        email=row["email"],
        in_appendix=bool(row["in_appendix"]),
        name_locked=bool(row["name_locked"]),
    )


def roles_json(roles: Iterable[Role]) -> str:
    """Roles as stored: in the order of :class:`Role`, participant when there are none."""
    wanted = set(roles)
    ordered = [r for r in Role if r in wanted] or [Role.PARTICIPANT]
    return json.dumps([r.value for r in ordered])


_INSERT = (
    "INSERT INTO participants (session_id, given_name, tussenvoegsel, surname,"
    " organisation, roles_json, email, in_appendix, match_key, name_locked)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


#: Text fields of a participant, cleaned to one line as they are stored (see dialoog.text).
_TEXT_FIELDS = ("given_name", "tussenvoegsel", "surname", "organisation", "email")


def _clean(value: str | None) -> str | None:
    return clean_line(value) if isinstance(value, str) else value


def _values(session_id: str, person: NewPerson) -> list[object]:
    return [
        session_id,
        _clean(person.given_name),
        _clean(person.tussenvoegsel),
        _clean(person.surname),
        _clean(person.organisation),
        roles_json(person.roles),
        _clean(person.email),
        int(person.in_appendix),
        person.match_key,
        int(person.name_locked),
    ]


class ParticipantsMixin:
    """The :class:`dialoog.storage.Store` methods for participants and their settings."""

    db: sqlite_utils.Database

    def participant_convention(self, session_id: str) -> str | None:
        """The appendix order set for the session (``dutch``/``belgian``), or None if unset."""
        row = self.db.execute(
            "SELECT convention FROM participant_settings WHERE session_id = ?", [session_id]
        ).fetchone()
        return row[0] if row else None

    def set_participant_convention(self, session_id: str, convention: str) -> None:
        """Set the appendix order of the session (``dutch`` or ``belgian``)."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO participant_settings (session_id, convention) VALUES (?, ?)"
                " ON CONFLICT (session_id) DO UPDATE SET convention = excluded.convention",
                [session_id, convention],
            )

    def list_participants(self, session_id: str) -> list[Person]:
        """The session's participants as stored, in no particular order."""
        return [
            person_from_row(r)
            for r in self.db.query("SELECT * FROM participants WHERE session_id = ?", [session_id])
        ]

    def find_participant(self, session_id: str, person_id: int) -> Person | None:
        """One participant of the session by id, or None."""
        rows = list(
            self.db.query(
                "SELECT * FROM participants WHERE session_id = ? AND id = ?",
                [session_id, person_id],
            )
        )
        return person_from_row(rows[0]) if rows else None

    def insert_participant(self, session_id: str, person: NewPerson) -> int | None:
        """Store one participant; their id, or None (nothing stored) if the key is taken."""
        with write(self.db):
            if self.db.execute(
                "SELECT 1 FROM participants WHERE session_id = ? AND match_key = ?",
                [session_id, person.match_key],
            ).fetchone():
                return None
            return int(self.db.execute(_INSERT, _values(session_id, person)).lastrowid)

    def insert_participants(self, session_id: str, people: Iterable[NewPerson]) -> tuple[int, int]:
        """Store many participants at once, all or none; (added, already present).

        A person whose match key is taken (on the list, or earlier in ``people``)
        is left as stored: a corrected name split or a changed role survives.
        """
        added = present = 0
        with write(self.db):
            for person in people:
                cursor = self.db.execute(
                    _INSERT + " ON CONFLICT (session_id, match_key) DO NOTHING",
                    _values(session_id, person),
                )
                if cursor.rowcount:
                    added += 1
                else:
                    present += 1
        return added, present

    def change_participant(self, person_id: int, fields: Mapping[str, object]) -> None:
        """Change stored fields of a participant.

        Takes ``given_name``, ``tussenvoegsel``, ``surname``, ``organisation``,
        ``email``, ``in_appendix``, ``name_locked`` and ``roles`` (a set of :class:`Role`).
        """
        changes = {k: _clean(v) if k in _TEXT_FIELDS else v for k, v in fields.items()}
        if "roles" in changes:
            changes["roles_json"] = roles_json(changes.pop("roles"))
        for flag in ("in_appendix", "name_locked"):
            if flag in changes:
                changes[flag] = int(bool(changes[flag]))
        if changes:
            with write(self.db):
                self.db["participants"].update(person_id, changes)

    def forget_participant(
        self, session_id: str, person: Person, names: Callable[[bytes, str], bool]
    ) -> tuple[int, int, int]:
        """Remove a person and what derives from them; (seats, drafts, initiatives) removed.

        In one transaction: their seats, their row, the example initiatives they
        sent in and the drafts of the session (or its series) that ``names``
        says name them. The pages are overwritten (``secure_delete``) and the
        write-ahead log checkpointed, so the name does not linger in the file.
        """
        conn = self.db.conn
        previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with write(self.db):
                seats = delete_seats_of(self.db, session_id, person.id)
                self.db.execute("DELETE FROM participants WHERE id = ?", [person.id])
                initiatives = delete_initiatives_by(self.db, session_id, person.full_name)
                drafts = delete_drafts_naming(
                    self.db, session_id, session_series(self.db, session_id), names
                )
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.execute(f"PRAGMA secure_delete = {int(previous)}")
        return seats, drafts, initiatives

    def create_session_copy(
        self, plan: SessionPlan, *, title: str | None = None, participants_of: str | None = None
    ) -> Session:
        """Create a session from ``plan`` and, in the same transaction, copy participants.

        With ``participants_of`` (a session id), that session's participants and every
        row that seats them are copied into the new session; either all of it is
        written or none. Returns the new session as created (before the copy).
        """
        with write(self.db):
            session = self.create_session(plan, title=title)
            if participants_of is not None:
                copy_participants(self.db, participants_of, session.id)
        return session


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info([{table}])")]


def copy_participants(db: sqlite_utils.Database, source: str, target: str) -> int:
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
