"""The store: sessions, notes with their revisions, typing drafts and the clock.

Every method that writes runs in one IMMEDIATE transaction (see
:func:`dialoog.storage.connection.write`) and returns only after it has
committed, so "saved" on screen means saved on disk. Edits add a revision and
keep the old text; deletes are soft and can be undone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.markers import clean_text, parse_note
from dialoog.models import (
    MAX_NOTE_LENGTH,
    ItemKind,
    Note,
    NoteKind,
    NoteRevision,
    Session,
    SessionPlan,
)
from dialoog.storage.connection import open_database, write
from dialoog.times import now, parse_stamp, stamp


class EmptyNoteError(DialoogError):
    """A note with no text after its marks are stripped."""


class NoteTooLongError(DialoogError):
    """A note longer than :data:`dialoog.models.MAX_NOTE_LENGTH` characters."""


@dataclass(frozen=True)
class NewNote:
    """A note to be saved: where it was taken and what it says."""

    table: int
    item: int
    text: str
    kind: NoteKind = NoteKind.OBSERVATION
    tags: Sequence[str] = ()
    question: int | None = None


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


_NOTE_COLUMNS = (
    "rowid", "id", "session_id", "table_no", "item", "question", "kind", "text", "tags_json",
    "created_at", "updated_at", "deleted_at", "rev",
)  # fmt: skip
_NOTE_JSON_FIELDS = ", ".join(f"'{c}', {c}" for c in _NOTE_COLUMNS)

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


class Store:
    """All reads and writes of one dialoog database."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Store:
        """Open the database at ``path``, creating (unless ``create`` is False) and migrating it."""
        return cls(open_database(path, create=create), Path(path))

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ---------------------------------------------------------

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

    def _session_from_row(self, row: dict, note_count: int = 0) -> Session:
        clock = self.clock(row["id"])
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

    def get_session(self, session_id: str) -> Session:
        """The session with this id; :class:`NotFoundError` if there is none."""
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", [session_id]).fetchone()
        if row is None:
            raise NotFoundError(
                _("no session {id!r} (see: dialoog sessions)").format(id=session_id)
            )
        cols = [d[0] for d in self.db.execute("SELECT * FROM sessions LIMIT 0").description]
        count = self.db.execute(
            "SELECT count(*) FROM notes WHERE session_id = ? AND deleted_at IS NULL", [session_id]
        ).fetchone()[0]
        return self._session_from_row(dict(zip(cols, row, strict=True)), count)

    def list_sessions(self) -> list[Session]:
        """Every session, newest date first, with its count of live notes."""
        rows = list(
            self.db.query(
                """
                SELECT s.*, (SELECT count(*) FROM notes n
                             WHERE n.session_id = s.id AND n.deleted_at IS NULL) AS note_count
                FROM sessions s
                ORDER BY coalesce(s.date, substr(s.created_at, 1, 10)) DESC, s.created_at DESC
                """
            )
        )
        return [self._session_from_row(r, r.pop("note_count")) for r in rows]

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

    # -- notes ------------------------------------------------------------

    @staticmethod
    def _check_text(text: str) -> str:
        text = clean_text(text).strip()
        if not text:
            raise EmptyNoteError(_("empty note: nothing to save"))
        if len(text) > MAX_NOTE_LENGTH:
            raise NoteTooLongError(
                _(
                    "note of {length} characters is longer than the limit of {limit}; "
                    "split it in parts"
                ).format(length=len(text), limit=MAX_NOTE_LENGTH)
            )
        return text

    def _insert_note(self, session_id: str, note: NewNote, at: dt.datetime) -> Note:
        text = self._check_text(note.text)
        note_id = uuid.uuid4()
        tags = list(note.tags)
        tags_json = json.dumps(tags, ensure_ascii=False)
        when = stamp(at)
        # The connection's own execute: this is the typing path, every microsecond counts.
        conn = self.db.conn
        conn.execute(
            "INSERT INTO notes (id, session_id, table_no, item, question, kind, text, tags_json,"
            " created_at, updated_at, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (str(note_id), session_id, note.table, note.item, note.question, note.kind.value,
             text, tags_json, when, when),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO note_revisions (note_id, rev, action, kind, text, tags_json, question,"
            " created_at) VALUES (?, 1, 'create', ?, ?, ?, ?, ?)",
            (str(note_id), note.kind.value, text, tags_json, note.question, when),
        )
        revision = NoteRevision(
            rev=1, action="create", kind=note.kind, text=text, tags=tags,
            question=note.question, created_at=at,
        )  # fmt: skip
        return Note(
            id=note_id, session_id=session_id, table=note.table, item=note.item,
            question=note.question, kind=note.kind, text=text, tags=tags,
            created_at=at, updated_at=at, revisions=[revision],
        )  # fmt: skip

    def add_note(self, session_id: str, note: NewNote, *, typed: str | None = None) -> Note:
        """Save one note; returns it once its transaction has committed.

        ``typed`` is the text as the chair typed it: in the same transaction it
        is taken out of the table's typing draft, so a crash can never leave a
        saved note's text behind in the draft (to be saved twice later).
        """
        with write(self.db):
            saved = self._insert_note(session_id, note, now())
            if typed:
                self._consume_draft(session_id, note.table, note.item, typed)
        return saved

    def _consume_draft(self, session_id: str, table: int, item: int, typed: str) -> None:
        """Take the first occurrence of ``typed`` (and its joining newline) out of the draft."""
        draft = self.load_draft(session_id, table, item=item)
        at = draft.find(typed)
        # Only a whole part counts: it starts and ends at the draft's edges or newlines.
        while at >= 0 and not (
            (at == 0 or draft[at - 1] == "\n")
            and (at + len(typed) == len(draft) or draft[at + len(typed)] == "\n")
        ):
            at = draft.find(typed, at + 1)
        if at < 0:
            return
        end = at + len(typed)
        if end < len(draft) and draft[end] == "\n":
            end += 1  # the newline that joined it to what follows
        elif at > 0 and draft[at - 1] == "\n":
            at -= 1  # the newline that joined it to what went before
        self.save_draft(session_id, table, draft[:at] + draft[end:], item=item)

    def add_notes(self, session_id: str, notes: Iterable[NewNote]) -> list[str]:
        """Save many notes in one transaction: all of them or none. Returns their ids."""
        ids: list[str] = []
        with write(self.db):
            base = now()
            for i, note in enumerate(notes):
                # Distinct, increasing timestamps keep the typed order.
                at = base + dt.timedelta(microseconds=i)
                ids.append(str(self._insert_note(session_id, note, at).id))
        return ids

    def add_typed_note(
        self,
        session_id: str,
        *,
        table: int,
        item: int,
        raw: str,
        default_kind: NoteKind = NoteKind.OBSERVATION,
        question: int | None = None,
        consume_draft: bool = False,
    ) -> Note:
        """Save a note as typed, reading its marks (see :mod:`dialoog.markers`).

        With ``consume_draft``, the typed text leaves the table's draft at ``item`` in
        the same transaction (see :meth:`add_note`).
        """
        parsed = parse_note(raw, default_kind)
        return self.add_note(
            session_id,
            NewNote(table, item, parsed.text, parsed.kind, tuple(parsed.tags), question),
            typed=raw if consume_draft else None,
        )

    def _note_row(self, note_id: str) -> dict:
        rows = list(self.db.query("SELECT * FROM notes WHERE id = ?", [str(note_id)]))
        if not rows:
            raise NotFoundError(_("no note {id}").format(id=note_id))
        return rows[0]

    @staticmethod
    def _note_from_row(row: dict, revisions: list[NoteRevision] | None = None) -> Note:
        return Note(
            id=row["id"],
            session_id=row["session_id"],
            table=row["table_no"],
            item=row["item"],
            question=row["question"],
            kind=row["kind"],
            text=row["text"],
            tags=json.loads(row["tags_json"]),
            created_at=parse_stamp(row["created_at"]),
            updated_at=parse_stamp(row["updated_at"]),
            deleted_at=parse_stamp(row["deleted_at"]),
            rev=row["rev"],
            revisions=revisions or [],
        )

    def get_note(self, note_id: str | uuid.UUID) -> Note:
        """One note with every revision, deleted or not."""
        row = self._note_row(str(note_id))
        revisions = [
            NoteRevision(
                rev=r["rev"],
                action=r["action"],
                kind=r["kind"],
                text=r["text"],
                tags=json.loads(r["tags_json"]),
                question=r["question"],
                created_at=parse_stamp(r["created_at"]),
            )
            for r in self.db.query(
                "SELECT * FROM note_revisions WHERE note_id = ? ORDER BY rev", [str(note_id)]
            )
        ]
        return self._note_from_row(row, revisions)

    def _revise(self, note_id: str, action: str, **changes: object) -> Note:
        with write(self.db):
            row = self._note_row(note_id)
            when = stamp()
            row.update(changes)
            rev = row["rev"] + 1
            self.db.execute(
                "UPDATE notes SET kind = ?, text = ?, tags_json = ?, question = ?, deleted_at = ?,"
                " updated_at = ?, rev = ? WHERE id = ?",
                [
                    row["kind"],
                    row["text"],
                    row["tags_json"],
                    row["question"],
                    row["deleted_at"],
                    when,
                    rev,
                    note_id,
                ],
            )
            self.db.execute(
                "INSERT INTO note_revisions (note_id, rev, action, kind, text, tags_json,"
                " question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    note_id,
                    rev,
                    action,
                    row["kind"],
                    row["text"],
                    row["tags_json"],
                    row["question"],
                    when,
                ],
            )
        return self.get_note(note_id)

    def edit_note(
        self,
        note_id: str | uuid.UUID,
        *,
        text: str | None = None,
        kind: NoteKind | None = None,
        tags: Sequence[str] | None = None,
        question: int | type[...] | None = ...,
    ) -> Note:
        """Change a note; the old text stays as an earlier revision."""
        changes: dict[str, object] = {}
        if text is not None:
            changes["text"] = self._check_text(text)
        if kind is not None:
            changes["kind"] = NoteKind(kind).value
        if tags is not None:
            changes["tags_json"] = json.dumps(list(tags), ensure_ascii=False)
        if question is not ...:
            changes["question"] = question
        return self._revise(str(note_id), "edit", **changes)

    def edit_typed_note(self, note_id: str | uuid.UUID, raw: str) -> Note:
        """Change a note from typed text, reading its marks."""
        current = self.get_note(note_id)
        parsed = parse_note(raw, current.kind)
        return self.edit_note(note_id, text=parsed.text, kind=parsed.kind, tags=parsed.tags)

    def delete_note(self, note_id: str | uuid.UUID) -> Note:
        """Delete a note softly: it leaves lists and search but stays restorable."""
        return self._revise(str(note_id), "delete", deleted_at=stamp(now()))

    def restore_note(self, note_id: str | uuid.UUID) -> Note:
        """Undo a delete."""
        return self._revise(str(note_id), "restore", deleted_at=None)

    def list_notes(
        self,
        session_id: str,
        *,
        table: int | None = None,
        item: int | None = None,
        include_deleted: bool = False,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Note]:
        """Notes of a session in the order they were taken (filters optional)."""
        where = ["session_id = ?"]
        params: list[object] = [session_id]
        if table is not None:
            where.append("table_no = ?")
            params.append(table)
        if item is not None:
            where.append("item = ?")
            params.append(item)
        if not include_deleted:
            where.append("deleted_at IS NULL")
        order = "DESC" if newest_first else "ASC"
        inner = (
            f"SELECT rowid, * FROM notes WHERE {' AND '.join(where)} "
            f"ORDER BY created_at {order}, rowid {order}"
        )
        if limit:
            inner += f" LIMIT {int(limit)}"
        # All rows as one JSON value: one SQLite step instead of one per row. Each
        # step lets go of the GIL and takes it back, and in a thread worker beside a
        # busy event loop every take-back waits a switch interval (2,000 notes took
        # ~90 ms row by row, ~13 ms this way).
        row = self.db.conn.execute(
            f"SELECT json_group_array(json_object({_NOTE_JSON_FIELDS})) FROM ({inner})", params
        ).fetchone()
        rows = json.loads(row[0]) if row and row[0] else []
        rows.sort(key=lambda r: (r["created_at"], r["rowid"]), reverse=newest_first)
        return [self._note_from_row(r) for r in rows]

    def count_notes(self, session_id: str, item: int | None = None) -> dict[int, int]:
        """Live notes per table, for one item or the whole session."""
        sql = "SELECT table_no, count(*) FROM notes WHERE session_id = ? AND deleted_at IS NULL"
        params: list[object] = [session_id]
        if item is not None:
            sql += " AND item = ?"
            params.append(item)
        sql += " GROUP BY table_no"
        return {t: n for t, n in self.db.execute(sql, params).fetchall()}

    def search_notes(
        self, query: str, session_id: str | None = None, limit: int = 50
    ) -> list[Note]:
        """Live notes matching an FTS5 query, best match first."""
        words = [w for w in re.findall(r"\w+", query)]
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        sql = (
            "SELECT notes.* FROM notes_fts JOIN notes ON notes.rowid = notes_fts.rowid "
            "WHERE notes_fts MATCH ?"
        )
        params: list[object] = [match]
        if session_id:
            sql += " AND notes.session_id = ?"
            params.append(session_id)
        sql += " ORDER BY bm25(notes_fts) LIMIT ?"
        params.append(limit)
        return [self._note_from_row(r) for r in self.db.query(sql, params)]

    # -- typing drafts ----------------------------------------------------

    def save_draft(self, session_id: str, table: int, text: str, *, item: int) -> None:
        """Keep text typed at this table and agenda item but not yet saved as a note.

        An empty text is kept too, with its time: when bundles from a laptop are
        merged, a draft emptied later (its text saved as a note) wins over the
        same draft exported earlier, so that text cannot come back to be saved twice.
        """
        self.save_drafts(session_id, table, {item: text})

    def save_drafts(self, session_id: str, table: int, texts: Mapping[int, str]) -> None:
        """Keep the drafts of several agenda items of one table, in one transaction."""
        at = stamp(now())
        with write(self.db):
            self.db.conn.executemany(
                "INSERT INTO typing_drafts (session_id, table_no, item, text, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, table_no, item)"
                " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                [(session_id, table, item, text, at) for item, text in texts.items()],
            )

    def load_draft(self, session_id: str, table: int, *, item: int) -> str:
        """The text typed at this table and agenda item and not yet saved, or ``""``."""
        row = self.db.execute(
            "SELECT text FROM typing_drafts WHERE session_id = ? AND table_no = ? AND item = ?",
            [session_id, table, item],
        ).fetchone()
        return row[0] if row else ""

    def load_drafts(self, session_id: str, table: int) -> dict[int, str]:
        """Every agenda item's unsaved text at this table (items with text only)."""
        return {
            item: text
            for item, text in self.db.execute(
                "SELECT item, text FROM typing_drafts"
                " WHERE session_id = ? AND table_no = ? AND text != '' ORDER BY item",
                [session_id, table],
            )
        }

    # -- the clock --------------------------------------------------------

    def clock(self, session_id: str) -> ClockState:
        """The current agenda item and the state of its clock."""
        row = self.db.execute(
            "SELECT current_item, state, ends_at, remaining_s, updated_at FROM session_clock"
            " WHERE session_id = ?",
            [session_id],
        ).fetchone()
        if row is None:
            return ClockState(None, "idle", None, None, None)
        return ClockState(row[0], row[1], parse_stamp(row[2]), row[3], parse_stamp(row[4]))

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
