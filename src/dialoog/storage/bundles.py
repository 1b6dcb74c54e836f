"""Every read and write of a bundle's export and import (see :mod:`dialoog.history.bundle`).

A bundle is its own aggregate: a session's identity and plan, its notes with
every revision, and its typing drafts. This module is the only place that reads
or writes them for a bundle; the checks, the checksum and the merge rules stay in
:mod:`dialoog.history.bundle`, which holds no SQL.

An import runs inside :func:`importing`: one write transaction (BEGIN
IMMEDIATE) around every read and write of the merge, so a bundle is merged all
or nothing; an exception raised inside rolls everything back.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlite_utils

from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.models import SessionPlan
from dialoog.storage.connection import write
from dialoog.storage.store import insert_session_rows
from dialoog.storage.trigram import catch_up_trigram
from dialoog.storage.word_parts import catch_up_words

if TYPE_CHECKING:
    from dialoog.storage.store import Store


class NoteRow(NamedTuple):
    """A new note as :meth:`BundleImport.insert_notes` writes it (the ``notes`` columns)."""

    id: str
    session_id: str
    table_no: int
    item: int
    question: int | None
    kind: str
    text: str
    tags_json: str
    created_at: str
    updated_at: str
    deleted_at: str | None
    rev: int


class RevisionRow(NamedTuple):
    """A revision as :meth:`BundleImport.insert_revisions` writes it (``note_revisions``)."""

    note_id: str
    rev: int
    action: str
    kind: str
    text: str
    tags_json: str
    question: int | None
    created_at: str


def _revision(r: tuple[Any, ...]) -> dict[str, Any]:
    """A ``note_revisions`` row (from ``rev`` on) as a bundle's revision, without its number."""
    return {
        "action": r[0],
        "kind": r[1],
        "text": r[2],
        "tags": json.loads(r[3]),
        "question": r[4],
        "created_at": r[5],
    }


def session_contents(
    store: Store, session_id: str, table: int | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """What a bundle of the session (or of one of its tables) carries.

    Returns:
        The session (id, slug, title, date, series, created_at, plan), its notes
        with every revision (by creation time), and its typing drafts, each as
        the bundle writes them.

    Raises:
        NotFoundError: no such session, or the session has no such table.
    """
    db = store.db
    rows = list(db.query("SELECT * FROM sessions WHERE id = ?", [session_id]))
    if not rows:
        raise NotFoundError(_("no session {id!r} (see: dialoog sessions)").format(id=session_id))
    s = rows[0]
    if table is not None:
        known = [
            r[0]
            for r in db.execute(
                "SELECT number FROM session_tables WHERE session_id = ? ORDER BY number",
                [session_id],
            )
        ]
        if table not in known:
            raise NotFoundError(
                _("session {id!r} has no table {table} (its tables: {numbers})").format(
                    id=session_id, table=table, numbers=", ".join(map(str, known))
                )
            )
    where, params = "n.session_id = ?", [session_id]
    if table is not None:
        where += " AND n.table_no = ?"
        params.append(table)
    revisions: dict[str, list[dict[str, Any]]] = {}
    for r in db.execute(
        "SELECT r.note_id, r.rev, r.action, r.kind, r.text, r.tags_json, r.question, r.created_at"
        f" FROM note_revisions r JOIN notes n ON n.id = r.note_id WHERE {where}"
        " ORDER BY r.note_id, r.rev",
        params,
    ):
        revisions.setdefault(r[0], []).append({"rev": r[1], **_revision(r[2:])})
    notes = [
        {
            "id": r[0],
            "table": r[1],
            "item": r[2],
            "question": r[3],
            "kind": r[4],
            "text": r[5],
            "tags": json.loads(r[6]),
            "created_at": r[7],
            "updated_at": r[8],
            "deleted_at": r[9],
            "rev": r[10],
            "revisions": revisions.get(r[0], []),
        }
        for r in db.execute(
            "SELECT n.id, n.table_no, n.item, n.question, n.kind, n.text, n.tags_json,"
            " n.created_at, n.updated_at, n.deleted_at, n.rev"
            f" FROM notes n WHERE {where} ORDER BY n.created_at, n.id",
            params,
        )
    ]
    drafts_where = "session_id = ?" + (" AND table_no = ?" if table is not None else "")
    drafts = [
        {"table": r[0], "item": r[1], "text": r[2], "updated_at": r[3]}
        for r in db.execute(
            f"SELECT table_no, item, text, updated_at FROM typing_drafts WHERE {drafts_where}"
            " ORDER BY table_no, item",
            params,
        )
    ]
    session = {
        "id": s["id"],
        "slug": s["slug"],
        "title": s["title"],
        "date": s["date"],
        "series": s["series"],
        "created_at": s["created_at"],
        "plan": json.loads(s["plan_json"]),
    }
    return session, notes, drafts


class BundleImport:
    """The reads and writes of one bundle import, all inside one write transaction.

    Made by :func:`importing`; do not keep it past the ``with`` block.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def session_identity(self, session_id: str) -> tuple[str, str | None] | None:
        """The session's slug and date (ISO), or None when there is no such session."""
        row = self._db.execute(
            "SELECT slug, date FROM sessions WHERE id = ?", [session_id]
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def create_session(self, session_id: str, plan: SessionPlan, created_at: str) -> None:
        """Create a session (its programme, tables and clock) from a bundle's plan."""
        insert_session_rows(self._db, session_id, plan, created_at)

    def table_numbers(self, session_id: str) -> set[int]:
        """The numbers of the session's tables."""
        return {
            r[0]
            for r in self._db.execute(
                "SELECT number FROM session_tables WHERE session_id = ?", [session_id]
            )
        }

    def item_count(self, session_id: str) -> int:
        """How many agenda items the session has."""
        return self._db.execute(
            "SELECT count(*) FROM agenda_items WHERE session_id = ?", [session_id]
        ).fetchone()[0]

    def notes_with_revisions(
        self, note_ids: list[str]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
        """The notes of these ids that exist here (rows by id), and their revisions in order.

        A revision is a dict as in a bundle, without its number (action, kind,
        text, tags, question, created_at).
        """
        local_notes: dict[str, dict[str, Any]] = {}
        local_revs: dict[str, list[dict[str, Any]]] = {}
        for chunk_start in range(0, len(note_ids), 500):
            chunk = note_ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.query(f"SELECT * FROM notes WHERE id IN ({marks})", chunk):
                local_notes[row["id"]] = row
            for r in self._db.execute(
                "SELECT note_id, action, kind, text, tags_json, question, created_at"
                f" FROM note_revisions WHERE note_id IN ({marks}) ORDER BY note_id, rev",
                chunk,
            ):
                local_revs.setdefault(r[0], []).append(_revision(r[1:]))
        return local_notes, local_revs

    def insert_notes(self, rows: list[NoteRow]) -> None:
        """Insert new notes with one statement, in the order given.

        The word index is kept by per-row triggers (m002), and FTS5 writes its
        pending index data out at every statement boundary (the statement's
        savepoint). An ``executemany`` of 20,000 rows is 20,000 statements: 20,000
        tiny index segments to write and merge, about 1 s of a 20,000-note import.
        One ``INSERT … SELECT`` over a JSON array is one statement, so the index is
        built in memory and written once. The trigram index catches up with all
        new notes in one statement at the end of the import (m007).
        """
        if not rows:
            return
        values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(NoteRow._fields)))
        self._db.execute(
            f"INSERT INTO notes ({', '.join(NoteRow._fields)})"
            f" SELECT {values} FROM json_each(?) ORDER BY key",
            [json.dumps(rows, ensure_ascii=False)],
        )

    def delete_revisions(self, note_ids: list[str]) -> None:
        """Remove every revision of these notes (before writing their merged revisions)."""
        if note_ids:
            self._db.conn.executemany(
                "DELETE FROM note_revisions WHERE note_id = ?", [[i] for i in note_ids]
            )

    def update_notes(self, changes: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Set notes' current fields, from ``(note id, state)`` pairs.

        A state holds kind, text, tags_json, question, updated_at, deleted_at and rev.
        """
        params = [
            [
                s["kind"],
                s["text"],
                s["tags_json"],
                s["question"],
                s["updated_at"],
                s["deleted_at"],
                s["rev"],
                note_id,
            ]
            for note_id, s in changes
        ]
        if params:
            self._db.conn.executemany(
                "UPDATE notes SET kind = ?, text = ?, tags_json = ?, question = ?,"
                " updated_at = ?, deleted_at = ?, rev = ? WHERE id = ?",
                params,
            )

    def insert_revisions(self, rows: list[RevisionRow]) -> None:
        """Insert revisions (numbered by the caller)."""
        if rows:
            self._db.conn.executemany(
                "INSERT INTO note_revisions (note_id, rev, action, kind, text, tags_json,"
                " question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def programme_item(self, session_id: str) -> int | None:
        """The agenda item the session's programme is at, if the chair has set one."""
        row = self._db.execute(
            "SELECT current_item FROM session_clock WHERE session_id = ?", [session_id]
        ).fetchone()
        return row[0] if row else None

    def draft(self, session_id: str, table: int, item: int) -> tuple[str, str] | None:
        """The typing draft at a table and item: ``(text, updated_at)``, or None."""
        row = self._db.execute(
            "SELECT text, updated_at FROM typing_drafts"
            " WHERE session_id = ? AND table_no = ? AND item = ?",
            [session_id, table, item],
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def save_draft(self, session_id: str, table: int, item: int, text: str, at: str) -> None:
        """Write (or replace) the typing draft at a table and item."""
        self._db.execute(
            "INSERT INTO typing_drafts (session_id, table_no, item, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, table_no, item)"
            " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [session_id, table, item, text, at],
        )

    def catch_up_parts(self) -> None:
        """Index the new notes' trigrams (m007) and take in their words (m010)."""
        catch_up_trigram(self._db)
        catch_up_words(self._db)


@contextlib.contextmanager
def importing(store: Store) -> Iterator[BundleImport]:
    """One write transaction for a whole import: committed on exit, rolled back on error."""
    with write(store.db):
        yield BundleImport(store.db)
