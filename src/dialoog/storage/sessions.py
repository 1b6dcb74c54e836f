"""Sessions, their series, programme, tables and clock.

The only module that names ``sessions``, ``series``, ``agenda_items``,
``session_tables`` and ``session_clock``. :func:`session_from_row` is the one
converter from a ``sessions`` row to a :class:`dialoog.models.Session`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import sqlite_utils

from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.models import ItemKind, Session, SessionPlan, Table
from dialoog.storage.connection import write
from dialoog.storage.notes import live_note_counts
from dialoog.text import clean_line
from dialoog.times import now, parse_stamp, stamp


@dataclass(frozen=True)
class ClockState:
    """Where the programme is: the current item and, for a running round, its end."""

    current_item: int | None
    state: str
    """``idle``, ``running``, ``paused`` or ``ended``."""
    ends_at: dt.datetime | None
    remaining_s: float | None
    updated_at: dt.datetime | None

    def seconds_left(self, at: dt.datetime | None = None) -> float | None:
        """Seconds left on the clock (negative when over time), or None."""
        if self.state == "running" and self.ends_at is not None:
            return (self.ends_at - (at or now())).total_seconds()
        if self.state == "paused":
            return self.remaining_s
        return None


@dataclass(frozen=True)
class SeriesRecord:
    """A series (*verkenning*) as stored: its slug and what is known of it."""

    slug: str
    title: str
    organiser: str | None
    description: str | None
    language: str


_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def _slugify(text: str) -> str:
    return _SLUG_CHARS.sub("-", text.lower()).strip("-")[:40] or "sessie"


def insert_session_rows(
    db: sqlite_utils.Database, session_id: str, plan: SessionPlan, created_at: str
) -> None:
    """Write a session's rows (session, programme, tables, clock) inside an open transaction.

    Used by :meth:`Store.create_session` and by bundle imports that bring a
    session this database has not seen yet.
    """
    if plan.series:
        db["series"].insert(
            {"slug": plan.series, "title": plan.series, "language": plan.language}, ignore=True
        )
    db["sessions"].insert(
        {
            "id": session_id,
            "slug": plan.slug,
            "title": plan.title,
            "theme": plan.theme,
            "date": plan.date.isoformat() if plan.date else None,
            "venue": plan.venue,
            "language": plan.language,
            "series": plan.series,
            "plan_json": plan.model_dump_json(),
            "created_at": created_at,
        }
    )
    db["agenda_items"].insert_all(
        {
            "session_id": session_id,
            "position": pos,
            "key": item.key,
            "kind": item.kind.value,
            "title": item.title,
            "questions_json": json.dumps(item.questions, ensure_ascii=False),
            "duration_minutes": item.duration_minutes,
        }
        for pos, item in enumerate(plan.agenda, start=1)
    )
    db["session_tables"].insert_all(
        {"session_id": session_id, "number": t.number, "name": t.name, "chair": t.chair}
        for t in plan.tables
    )
    db["session_clock"].insert(
        {"session_id": session_id, "state": "idle", "updated_at": created_at}
    )


def session_series(db: sqlite_utils.Database, session_id: str) -> str | None:
    """The slug of the series a stored session belongs to, or None."""
    row = db.execute("SELECT series FROM sessions WHERE id = ?", [session_id]).fetchone()
    return row[0] if row else None


def read_clock(db: sqlite_utils.Database, session_id: str) -> ClockState:
    """The current agenda item and the state of its clock."""
    row = db.execute(
        "SELECT current_item, state, ends_at, remaining_s, updated_at FROM session_clock"
        " WHERE session_id = ?",
        [session_id],
    ).fetchone()
    if row is None:
        return ClockState(None, "idle", None, None, None)
    return ClockState(row[0], row[1], parse_stamp(row[2]), row[3], parse_stamp(row[4]))


def session_from_row(db: sqlite_utils.Database, row: dict, note_count: int = 0) -> Session:
    """The one converter from a ``sessions`` row to a :class:`Session` (with its clock)."""
    clock = read_clock(db, row["id"])
    return Session(
        id=row["id"],
        plan=SessionPlan.model_validate_json(row["plan_json"]),
        created_at=parse_stamp(row["created_at"]),
        current_item=clock.current_item,
        clock_state=clock.state,
        clock_ends_at=clock.ends_at,
        clock_remaining_s=clock.remaining_s,
        note_count=note_count,
    )


class SessionsMixin:
    """The :class:`dialoog.storage.Store` methods for sessions, series and the clock."""

    db: sqlite_utils.Database

    def create_session(
        self,
        plan: SessionPlan,
        *,
        title: str | None = None,
        date: dt.date | None = None,
        session_id: str | None = None,
    ) -> Session:
        """Create a session from a plan and return it.

        The id is short and readable: ``2015-02-19-skills``, with ``-2``, ``-3``
        appended when that id is taken (or ``session_id`` when given).
        """
        original_title = plan.title
        updates: dict[str, object] = {}
        title = clean_line(title) if title else title
        if title:
            updates["title"] = title
        if date:
            updates["date"] = date
        if updates:
            plan = plan.model_copy(update=updates)
        base = f"{plan.date.isoformat()}-{plan.slug}" if plan.date else plan.slug
        if title and title != original_title and plan.slug in base:
            base = base.replace(plan.slug, _slugify(title), 1)
        base = session_id or base
        created = now()
        with write(self.db):
            session_id = base
            n = 1
            while self.db.execute("SELECT 1 FROM sessions WHERE id = ?", [session_id]).fetchone():
                n += 1
                session_id = f"{base}-{n}"
            insert_session_rows(self.db, session_id, plan, stamp(created))
        return self.get_session(session_id)

    def save_series(self, slug: str, title: str, **fields: object) -> None:
        """Record (or update) a series so sessions can refer to it."""
        with write(self.db):
            self.db["series"].upsert({"slug": slug, "title": title, **fields}, pk="slug")

    def get_series(self, slug: str) -> SeriesRecord | None:
        """The stored series with this slug, or None."""
        rows = list(self.db.query("SELECT * FROM series WHERE slug = ?", [slug]))
        if not rows:
            return None
        row = rows[0]
        return SeriesRecord(
            slug=row["slug"],
            title=row["title"],
            organiser=row["organiser"],
            description=row["description"],
            language=row["language"],
        )

    def series_sessions(self, slug: str) -> list[Session]:
        """The sessions of a series, oldest date first."""
        rows = list(
            self.db.query(
                "SELECT * FROM sessions WHERE series = ? ORDER BY date, created_at", [slug]
            )
        )
        return [
            session_from_row(self.db, r, live_note_counts(self.db, r["id"]).get(r["id"], 0))
            for r in rows
        ]

    def get_session(self, session_id: str) -> Session:
        """The session with this id; :class:`NotFoundError` if there is none."""
        rows = list(self.db.query("SELECT * FROM sessions WHERE id = ?", [session_id]))
        if not rows:
            raise NotFoundError(
                _("no session {id!r} (see: dialoog sessions)").format(id=session_id)
            )
        count = live_note_counts(self.db, session_id).get(session_id, 0)
        return session_from_row(self.db, rows[0], count)

    def list_sessions(self) -> list[Session]:
        """Every session, newest date first, with its count of live notes."""
        rows = list(
            self.db.query(
                "SELECT * FROM sessions"
                " ORDER BY coalesce(date, substr(created_at, 1, 10)) DESC, created_at DESC"
            )
        )
        counts = live_note_counts(self.db) if rows else {}
        return [session_from_row(self.db, r, counts.get(r["id"], 0)) for r in rows]

    def check_table(self, session: Session, table: int) -> None:
        """Raise :class:`NotFoundError` unless the session has this table."""
        if table not in {t.number for t in session.plan.tables}:
            numbers = ", ".join(str(t.number) for t in session.plan.tables)
            raise NotFoundError(
                _("session {id!r} has no table {table} (its tables: {numbers})").format(
                    id=session.id, table=table, numbers=numbers
                )
            )

    @staticmethod
    def resolve_item(session: Session, ref: str | int) -> int:
        """An agenda item's position from its number, key or a round's name.

        ``3``, ``ronde-1``, ``round 1`` and ``gespreksronde 1`` all work.
        """
        agenda = session.plan.agenda
        text = str(ref).strip().lower()
        if text.isdigit():
            pos = int(text)
            if 1 <= pos <= len(agenda):
                return pos
        for pos, item in enumerate(agenda, start=1):
            if text in ((item.key or "").lower(), item.title.lower()):
                return pos
        match = re.fullmatch(r"(?:gespreks)?(?:ronde|round)[\s-]*(\d+)", text)
        if match:
            rounds = [p for p, i in enumerate(agenda, start=1) if i.kind is ItemKind.ROUND]
            n = int(match.group(1))
            if 1 <= n <= len(rounds):
                return rounds[n - 1]
        keys = ", ".join(i.key or str(p) for p, i in enumerate(agenda, start=1))
        raise NotFoundError(
            _("session {id!r} has no agenda item {ref!r} (items: {keys})").format(
                id=session.id, ref=str(ref), keys=keys
            )
        )

    # -- the clock --------------------------------------------------------

    def clock(self, session_id: str) -> ClockState:
        """The current agenda item and the state of its clock."""
        return read_clock(self.db, session_id)

    def set_clock(
        self,
        session_id: str,
        *,
        current_item: int | None,
        state: str,
        ends_at: dt.datetime | None = None,
        remaining_s: float | None = None,
    ) -> ClockState:
        """Move the programme: set the current item and its clock, for every screen."""
        if state not in {"idle", "running", "paused", "ended"}:
            raise ValueError(f"unknown clock state {state!r}")
        with write(self.db):
            self.db.execute(
                "INSERT INTO session_clock (session_id, current_item, state, ends_at, remaining_s,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                " current_item = excluded.current_item, state = excluded.state,"
                " ends_at = excluded.ends_at, remaining_s = excluded.remaining_s,"
                " updated_at = excluded.updated_at",
                [
                    session_id,
                    current_item,
                    state,
                    stamp(ends_at) if ends_at else None,
                    remaining_s,
                    stamp(now()),
                ],
            )
        return self.clock(session_id)

    def session_tables(self, session_id: str) -> list[Table]:
        """The session's tables as stored now (a chair may have changed), by number."""
        return [
            Table(number=r[0], name=r[1], chair=r[2])
            for r in self.db.execute(
                "SELECT number, name, chair FROM session_tables WHERE session_id = ?"
                " ORDER BY number",
                [session_id],
            )
        ]
