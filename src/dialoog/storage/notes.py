"""Notes and their revisions: the only module that names ``notes`` and ``note_revisions``.

A note is saved in one IMMEDIATE transaction together with its first revision;
edits add a revision and keep the old text; deletes are soft and can be undone.
:func:`note_records` is the one way lists of notes are read (filters, the taken
order, deleted notes left out) and :func:`note_from_record` the one converter to
a :class:`dialoog.models.Note`: the screens, the CLI and the report read alike.
The report takes the records themselves, decoded but not validated, because
it reads 16,000 notes at once and a validated model costs several microseconds each.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import sqlite_utils

from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.markers import parse_note
from dialoog.models import Note, NoteKind, NoteRevision
from dialoog.storage import typing_drafts
from dialoog.storage.connection import write
from dialoog.storage.note_rows import (
    check_tags,
    check_text,
    insert_new_note,
)
from dialoog.times import now, parse_stamp, stamp


@dataclass(frozen=True)
class NewNote:
    """A note to be saved: where it was taken and what it says."""

    table: int
    item: int
    text: str
    kind: NoteKind = NoteKind.OBSERVATION
    tags: Sequence[str] = ()
    question: int | None = None


class NoteRecord(NamedTuple):
    """A stored note, decoded (tags as a list, times as datetimes) but not validated."""

    id: str
    session_id: str
    table: int
    item: int
    question: int | None
    kind: str
    text: str
    tags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    rev: int


#: The columns a record is read from: the taken order (created_at, rowid) first.
_COLUMNS = (
    "created_at", "rowid", "id", "session_id", "table_no", "item", "question", "kind", "text",
    "tags_json", "updated_at", "deleted_at", "rev",
)  # fmt: skip
_SELECT = ", ".join(_COLUMNS)
_SELECT_JOINED = ", ".join(f"notes.{c}" for c in _COLUMNS)


def _record(row: Sequence) -> NoteRecord:
    """A record from a row of :data:`_COLUMNS`."""
    created, _rowid, note_id, session_id, table, item, question, kind, text, tags, *rest = row
    updated, deleted, rev = rest
    return NoteRecord(
        note_id, session_id, table, item, question, kind, text,
        json.loads(tags) if tags != "[]" else [],
        parse_stamp(created), parse_stamp(updated), parse_stamp(deleted), rev,
    )  # fmt: skip


def note_from_record(record: NoteRecord, revisions: list[NoteRevision] | None = None) -> Note:
    """The one converter from a stored note to a validated :class:`Note`."""
    return Note(
        id=record.id,
        session_id=record.session_id,
        table=record.table,
        item=record.item,
        question=record.question,
        kind=record.kind,
        text=record.text,
        tags=record.tags,
        created_at=record.created_at,
        updated_at=record.updated_at,
        deleted_at=record.deleted_at,
        rev=record.rev,
        revisions=revisions or [],
    )


def revision_from_row(row: dict) -> NoteRevision:
    """The one converter from a ``note_revisions`` row to a :class:`NoteRevision`."""
    return NoteRevision(
        rev=row["rev"],
        action=row["action"],
        kind=row["kind"],
        text=row["text"],
        tags=json.loads(row["tags_json"]),
        question=row["question"],
        created_at=parse_stamp(row["created_at"]),
    )


# -- helpers other storage modules use inside their own transactions ---------


def note_exists(db: sqlite_utils.Database, note_id: str | uuid.UUID) -> bool:
    """Whether a note with this id exists (deleted or not)."""
    return db.execute("SELECT 1 FROM notes WHERE id = ?", [str(note_id)]).fetchone() is not None


def in_taken_order(db: sqlite_utils.Database, note_ids: Iterable[str]) -> list[str]:
    """The ids among ``note_ids`` that name a note, in the order the notes were taken."""
    ids = list(dict.fromkeys(str(i) for i in note_ids))
    if not ids:
        return []
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM notes WHERE id IN (SELECT value FROM json_each(?))"
            " ORDER BY created_at, rowid",
            [json.dumps(ids)],
        )
    ]


def live_note_counts(db: sqlite_utils.Database, session_id: str | None = None) -> dict[str, int]:
    """Live (not deleted) notes per session, for one session or all of them."""
    sql = "SELECT session_id, count(*) FROM notes WHERE deleted_at IS NULL"
    params: list[object] = []
    if session_id is not None:
        sql += " AND session_id = ?"
        params.append(session_id)
    return dict(db.execute(sql + " GROUP BY session_id", params).fetchall())


class NotesMixin:
    """The :class:`dialoog.storage.Store` methods for notes and their revisions."""

    db: sqlite_utils.Database

    def _insert_note(self, session_id: str, note: NewNote, at: dt.datetime) -> Note:
        text = check_text(note.text)
        note_id = uuid.uuid4()
        tags = check_tags(note.tags)
        tags_json = json.dumps(tags, ensure_ascii=False)
        when = stamp(at)
        # The connection's own execute: this is the typing path, every microsecond counts.
        insert_new_note(
            self.db.conn, str(note_id), session_id, table=note.table, item=note.item,
            question=note.question, kind=note.kind.value, text=text, tags_json=tags_json,
            when=when,
        )  # fmt: skip
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
                typing_drafts.consume_draft(self.db, session_id, note.table, note.item, typed)
        return saved

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

    def get_note(self, note_id: str | uuid.UUID) -> Note:
        """One note with every revision, deleted or not."""
        row = self.db.execute(
            f"SELECT {_SELECT} FROM notes WHERE id = ?", [str(note_id)]
        ).fetchone()
        if row is None:
            raise NotFoundError(_("no note {id}").format(id=note_id))
        revisions = [
            revision_from_row(r)
            for r in self.db.query(
                "SELECT * FROM note_revisions WHERE note_id = ? ORDER BY rev", [str(note_id)]
            )
        ]
        return note_from_record(_record(row), revisions)

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
            changes["text"] = check_text(text)
        if kind is not None:
            changes["kind"] = NoteKind(kind).value
        if tags is not None:
            changes["tags_json"] = json.dumps(check_tags(tags), ensure_ascii=False)
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

    def note_records(
        self,
        session_id: str,
        *,
        table: int | None = None,
        item: int | None = None,
        include_deleted: bool = False,
        limit: int | None = None,
        newest_first: bool = False,
        offset: int = 0,
    ) -> list[NoteRecord]:
        """Notes of a session in the order they were taken, as records (filters optional).

        What :meth:`list_notes` returns as models; the report reads these.
        """
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
            f"SELECT {_SELECT} FROM notes WHERE {' AND '.join(where)} "
            f"ORDER BY created_at {order}, rowid {order}"
        )
        if limit:
            inner += f" LIMIT {int(limit)}"
            if offset:
                inner += f" OFFSET {int(offset)}"
        # All rows as one JSON value: one SQLite step instead of one per row. Each
        # step lets go of the GIL and takes it back, and in a thread worker beside a
        # busy event loop every take-back waits a switch interval (2,000 notes took
        # ~90 ms row by row, ~13 ms this way).
        row = self.db.conn.execute(
            f"SELECT json_group_array(json_array({_SELECT})) FROM ({inner})", params
        ).fetchone()
        rows = json.loads(row[0]) if row and row[0] else []
        # An aggregate's order is not promised by SQLite: sort again on (created_at, rowid).
        rows.sort(key=lambda r: (r[0], r[1]), reverse=newest_first)
        return [_record(r) for r in rows]

    def report_note_rows(self, session_id: str) -> list[tuple]:
        """A session's live notes as bare rows for the report, in the order taken.

        Each row is ``(id, table, item, question, kind, text, tags_json,
        created_at)``, with ``created_at`` as stored text: the report reads 16,000
        notes in one pass and decodes only what it prints (see
        :func:`dialoog.synthesis.context.build_context`).
        """
        return self.db.conn.execute(
            "SELECT id, table_no, item, question, kind, text, tags_json, created_at "
            "FROM notes WHERE session_id = ? AND deleted_at IS NULL "
            "ORDER BY created_at, rowid",
            [session_id],
        ).fetchall()

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
        records = self.note_records(
            session_id,
            table=table,
            item=item,
            include_deleted=include_deleted,
            limit=limit,
            newest_first=newest_first,
        )
        return [note_from_record(r) for r in records]

    def note_page(
        self, session_id: str, table: int, item: int, *, offset: int, limit: int
    ) -> list[Note]:
        """Live notes ``offset`` to ``offset + limit`` of one table at one item, in taken order.

        A page of a list that shows only what is on screen. Rows are picked by
        position, not by key, because a list's scrollbar can jump anywhere; the
        index ``notes_by_place`` keeps the taken order, so skipping 16,000 notes
        costs a walk over the index, not a sort.
        """
        records = self.note_records(
            session_id, table=table, item=item, limit=max(1, limit), offset=max(0, offset)
        )
        return [note_from_record(r) for r in records]

    def count_place(self, session_id: str, table: int, item: int) -> int:
        """How many live notes one table has at one item (the length of its list)."""
        row = self.db.execute(
            "SELECT count(*) FROM notes WHERE session_id = ? AND table_no = ? AND item = ?"
            " AND deleted_at IS NULL",
            [session_id, table, item],
        ).fetchone()
        return int(row[0])

    def place_position(self, note_id: str) -> int | None:
        """Where a live note stands in its table's list at its item (0-based), or None."""
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM notes AS o WHERE o.session_id = n.session_id"
            " AND o.table_no = n.table_no AND o.item = n.item AND o.deleted_at IS NULL"
            " AND (o.created_at < n.created_at OR (o.created_at = n.created_at"
            " AND o.rowid < n.rowid))) FROM notes AS n WHERE n.id = ? AND n.deleted_at IS NULL",
            [str(note_id)],
        ).fetchone()
        return None if row is None else int(row[0])

    def count_notes(self, session_id: str, item: int | None = None) -> dict[int, int]:
        """Live notes per table, for one item or the whole session."""
        sql = "SELECT table_no, count(*) FROM notes WHERE session_id = ? AND deleted_at IS NULL"
        params: list[object] = [session_id]
        if item is not None:
            sql += " AND item = ?"
            params.append(item)
        sql += " GROUP BY table_no"
        return {t: n for t, n in self.db.execute(sql, params).fetchall()}

    def note_activity(
        self, session_id: str, item: int, since: dt.datetime
    ) -> tuple[dict[int, list[dt.datetime]], dict[int, dt.datetime]]:
        """For the overview: per table, when its live notes of ``item`` since ``since``
        were taken, and when its latest note of ``item`` was taken."""
        live = "session_id = ? AND item = ? AND deleted_at IS NULL"
        recent: dict[int, list[dt.datetime]] = {}
        rows = self.db.execute(
            f"SELECT table_no, created_at FROM notes WHERE {live} AND created_at >= ?",
            [session_id, item, stamp(since)],
        ).fetchall()
        for table, created in rows:
            recent.setdefault(table, []).append(dt.datetime.fromisoformat(created))
        last = self.db.execute(
            f"SELECT table_no, max(created_at) FROM notes WHERE {live} GROUP BY table_no",
            [session_id, item],
        ).fetchall()
        return recent, {t: dt.datetime.fromisoformat(c) for t, c in last}

    def search_notes(
        self, query: str, session_id: str | None = None, limit: int = 50
    ) -> list[Note]:
        """Live notes matching an FTS5 query, best match first."""
        words = [w for w in re.findall(r"\w+", query)]
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        sql = (
            f"SELECT {_SELECT_JOINED} FROM notes_fts JOIN notes ON notes.rowid = notes_fts.rowid "
            "WHERE notes_fts MATCH ?"
        )
        params: list[object] = [match]
        if session_id:
            sql += " AND notes.session_id = ?"
            params.append(session_id)
        sql += " ORDER BY bm25(notes_fts) LIMIT ?"
        params.append(limit)
        return [note_from_record(_record(r)) for r in self.db.execute(sql, params)]
