"""Themes, their notes, item summaries and example initiatives: the secretary's work.

The only module that names ``themes``, ``theme_notes``, ``item_summaries`` and
``example_initiatives``. :func:`theme_from_row` is the one converter from a
``themes`` row to a :class:`dialoog.models.Theme`; a theme's notes are listed in
the order they were taken. Every method that writes runs in one IMMEDIATE
transaction; the rules (a title is needed, the session must exist) are the
service's, in :mod:`dialoog.synthesis.themes`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

import sqlite_utils

from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.models import ExampleInitiative, Theme
from dialoog.storage.connection import write
from dialoog.storage.notes import in_taken_order, note_exists
from dialoog.times import stamp


def theme_from_row(row: dict, note_ids: list[str]) -> Theme:
    """The one converter from a ``themes`` row and its note ids to a :class:`Theme`."""
    return Theme(
        id=row["id"],
        session_id=row["session_id"],
        item=row["item"],
        title=row["title"],
        synthesis=row["synthesis"],
        contested=bool(row["contested"]),
        position=row["position"],
        note_ids=[uuid.UUID(n) for n in note_ids],
    )


def initiative_from_row(row: dict) -> ExampleInitiative:
    """The one converter from an ``example_initiatives`` row to an :class:`ExampleInitiative`."""
    return ExampleInitiative(
        title=row["title"], author=row["author"], organisation=row["organisation"], text=row["text"]
    )


def _link(db: sqlite_utils.Database, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> None:
    for note_id in note_ids:
        if not note_exists(db, note_id):
            raise NotFoundError(_("no note {id}").format(id=note_id))
        db.execute(
            "INSERT OR IGNORE INTO theme_notes (theme_id, note_id) VALUES (?, ?)",
            [theme_id, str(note_id)],
        )


def _drop(db: sqlite_utils.Database, theme_id: int) -> None:
    db.execute("DELETE FROM theme_notes WHERE theme_id = ?", [theme_id])
    db.execute("DELETE FROM themes WHERE id = ?", [theme_id])


def delete_initiatives_by(db: sqlite_utils.Database, session_id: str, author: str) -> int:
    """Remove a session's example initiatives sent in by ``author``; how many (no transaction)."""
    return db.execute(
        "DELETE FROM example_initiatives WHERE session_id = ? AND author = ?",
        [session_id, author],
    ).rowcount


class ThemesMixin:
    """The :class:`dialoog.storage.Store` methods for themes, summaries and initiatives."""

    db: sqlite_utils.Database

    def insert_theme(
        self,
        session_id: str,
        item: int,
        title: str,
        *,
        synthesis: str = "",
        note_ids: Iterable[str | uuid.UUID] = (),
    ) -> int:
        """Add a theme at the end of the item's list, with its notes; returns its id."""
        with write(self.db):
            last = self.db.execute(
                "SELECT coalesce(max(position), 0) FROM themes WHERE session_id = ? AND item = ?",
                [session_id, item],
            ).fetchone()[0]
            when = stamp()
            cursor = self.db.execute(
                "INSERT INTO themes (session_id, item, title, synthesis, contested, position,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                [session_id, item, title, synthesis, last + 1, when, when],
            )
            theme_id = int(cursor.lastrowid)
            _link(self.db, theme_id, note_ids)
        return theme_id

    def find_theme(self, theme_id: int) -> Theme | None:
        """One theme with the ids of its notes, or None."""
        rows = list(self.db.query("SELECT * FROM themes WHERE id = ?", [theme_id]))
        if not rows:
            return None
        linked = [
            r[0]
            for r in self.db.execute(
                "SELECT note_id FROM theme_notes WHERE theme_id = ?", [theme_id]
            )
        ]
        return theme_from_row(rows[0], in_taken_order(self.db, linked))

    def list_themes(self, session_id: str, item: int | None = None) -> list[Theme]:
        """Themes of a session (or one item), in item and then chosen order."""
        sql = "SELECT * FROM themes WHERE session_id = ?"
        params: list[object] = [session_id]
        if item is not None:
            sql += " AND item = ?"
            params.append(item)
        sql += " ORDER BY item, position, id"
        rows = list(self.db.query(sql, params))
        if not rows:
            return []
        links: dict[int, list[str]] = {r["id"]: [] for r in rows}
        pairs = self.db.execute(
            "SELECT theme_id, note_id FROM theme_notes"
            " WHERE theme_id IN (SELECT id FROM themes WHERE session_id = ?)",
            [session_id],
        ).fetchall()
        rank = {n: i for i, n in enumerate(in_taken_order(self.db, (n for _t, n in pairs)))}
        for theme_id, note_id in pairs:
            if theme_id in links and note_id in rank:
                links[theme_id].append(note_id)
        for ids in links.values():
            ids.sort(key=rank.__getitem__)
        return [theme_from_row(r, links[r["id"]]) for r in rows]

    def change_theme(self, theme_id: int, fields: Mapping[str, object]) -> None:
        """Set a theme's ``title``, ``synthesis`` or ``contested``; stamps ``updated_at``."""
        allowed = {"title", "synthesis", "contested"}
        changes = {k: v for k, v in fields.items() if k in allowed}
        if "contested" in changes:
            changes["contested"] = int(bool(changes["contested"]))
        if changes:
            changes["updated_at"] = stamp()
            with write(self.db):
                self.db["themes"].update(theme_id, changes)

    def link_theme_notes(self, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> None:
        """Add notes to a theme; :class:`NotFoundError` (and nothing added) for a missing note."""
        with write(self.db):
            _link(self.db, theme_id, note_ids)

    def unlink_theme_notes(self, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> None:
        """Take notes out of a theme; the notes themselves stay."""
        with write(self.db):
            for note_id in note_ids:
                self.db.execute(
                    "DELETE FROM theme_notes WHERE theme_id = ? AND note_id = ?",
                    [theme_id, str(note_id)],
                )

    def delete_theme(self, theme_id: int) -> None:
        """Delete a theme; its notes stay, unassigned."""
        with write(self.db):
            _drop(self.db, theme_id)

    def merge_themes(self, keep_id: int, others: Iterable[Theme]) -> None:
        """Move the notes of ``others`` into theme ``keep_id`` and delete them, at once."""
        with write(self.db):
            for other in others:
                if other.id is None or other.id == keep_id:
                    continue
                _link(self.db, keep_id, other.note_ids)
                _drop(self.db, other.id)

    def order_themes(self, theme_ids: Iterable[int]) -> None:
        """Number these themes 1, 2, 3… in the order given, in one transaction."""
        with write(self.db):
            for position, theme_id in enumerate(theme_ids, start=1):
                self.db.execute("UPDATE themes SET position = ? WHERE id = ?", [position, theme_id])

    # -- summaries of keynote, panel and presentations ---------------------

    def set_item_summary(self, session_id: str, item: int, text: str) -> None:
        """Write the summary of an agenda item."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO item_summaries (session_id, item, text, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, item) DO UPDATE SET"
                " text = excluded.text, updated_at = excluded.updated_at",
                [session_id, item, text, stamp()],
            )

    def item_summaries(self, session_id: str) -> dict[int, str]:
        """The written summaries of a session's items, by item position."""
        return dict(
            self.db.execute(
                "SELECT item, text FROM item_summaries WHERE session_id = ?", [session_id]
            ).fetchall()
        )

    # -- example initiatives (the seed's Bijlage 2) ---------------------------

    def add_initiative(self, session_id: str, initiative: ExampleInitiative) -> int:
        """Add an example initiative at the end of a session's list; returns its id."""
        with write(self.db):
            last = self.db.execute(
                "SELECT coalesce(max(position), 0) FROM example_initiatives WHERE session_id = ?",
                [session_id],
            ).fetchone()[0]
            cursor = self.db.execute(
                "INSERT INTO example_initiatives (session_id, title, author, organisation, text,"
                " position) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    session_id,
                    initiative.title,
                    initiative.author,
                    initiative.organisation,
                    initiative.text,
                    last + 1,
                ],
            )
            return int(cursor.lastrowid)

    def list_initiatives(self, session_id: str) -> list[ExampleInitiative]:
        """The session's example initiatives, in order."""
        return [
            initiative_from_row(r)
            for r in self.db.query(
                "SELECT * FROM example_initiatives WHERE session_id = ? ORDER BY position, id",
                [session_id],
            )
        ]

    def delete_initiative(self, initiative_id: int) -> None:
        """Remove an example initiative."""
        with write(self.db):
            self.db.execute("DELETE FROM example_initiatives WHERE id = ?", [initiative_id])
