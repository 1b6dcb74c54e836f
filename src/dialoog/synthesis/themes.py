"""Themes, item summaries and example initiatives, as the secretary shapes them.

A theme belongs to one agenda item (usually a *gespreksronde*) and gathers notes
from several tables; the report shows it as a bold title, a synthesis paragraph
and short quotes. Every function writes in one IMMEDIATE transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.models import ExampleInitiative, Theme
from dialoog.storage.connection import write
from dialoog.storage.store import Store
from dialoog.times import stamp


def _theme_from_row(row: dict, note_ids: list[str]) -> Theme:
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


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise DialoogError(_("a theme needs a title"))
    return title


def create_theme(
    store: Store,
    session_id: str,
    item: int,
    title: str,
    *,
    synthesis: str = "",
    note_ids: Iterable[str | uuid.UUID] = (),
) -> Theme:
    """Create a theme at the end of the item's list, optionally with notes."""
    title = _check_title(title)
    store.get_session(session_id)
    with write(store.db):
        last = store.db.execute(
            "SELECT coalesce(max(position), 0) FROM themes WHERE session_id = ? AND item = ?",
            [session_id, item],
        ).fetchone()[0]
        when = stamp()
        cursor = store.db.execute(
            "INSERT INTO themes (session_id, item, title, synthesis, contested, position,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
            [session_id, item, title, synthesis, last + 1, when, when],
        )
        theme_id = cursor.lastrowid
        _insert_notes(store, theme_id, note_ids)
    return get_theme(store, theme_id)


def _insert_notes(store: Store, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> None:
    for note_id in note_ids:
        if not store.db.execute("SELECT 1 FROM notes WHERE id = ?", [str(note_id)]).fetchone():
            raise NotFoundError(_("no note {id}").format(id=note_id))
        store.db.execute(
            "INSERT OR IGNORE INTO theme_notes (theme_id, note_id) VALUES (?, ?)",
            [theme_id, str(note_id)],
        )


def get_theme(store: Store, theme_id: int) -> Theme:
    """One theme with the ids of its notes; :class:`NotFoundError` if it does not exist."""
    rows = list(store.db.query("SELECT * FROM themes WHERE id = ?", [theme_id]))
    if not rows:
        raise NotFoundError(_("no theme {id}").format(id=theme_id))
    notes = [
        r[0]
        for r in store.db.execute(
            "SELECT tn.note_id FROM theme_notes tn JOIN notes n ON n.id = tn.note_id"
            " WHERE tn.theme_id = ? ORDER BY n.created_at, n.rowid",
            [theme_id],
        )
    ]
    return _theme_from_row(rows[0], notes)


def list_themes(store: Store, session_id: str, item: int | None = None) -> list[Theme]:
    """Themes of a session (or one item), in item and then chosen order."""
    sql = "SELECT * FROM themes WHERE session_id = ?"
    params: list[object] = [session_id]
    if item is not None:
        sql += " AND item = ?"
        params.append(item)
    sql += " ORDER BY item, position, id"
    rows = list(store.db.query(sql, params))
    links: dict[int, list[str]] = {r["id"]: [] for r in rows}
    for theme_id, note_id in store.db.execute(
        "SELECT tn.theme_id, tn.note_id FROM theme_notes tn JOIN themes t ON t.id = tn.theme_id"
        " JOIN notes n ON n.id = tn.note_id WHERE t.session_id = ?"
        " ORDER BY n.created_at, n.rowid",
        [session_id],
    ):
        if theme_id in links:
            links[theme_id].append(note_id)
    return [_theme_from_row(r, links[r["id"]]) for r in rows]


def update_theme(
    store: Store,
    theme_id: int,
    *,
    title: str | None = None,
    synthesis: str | None = None,
    contested: bool | None = None,
) -> Theme:
    """Rename a theme, write its synthesis, or mark it (un)contested."""
    get_theme(store, theme_id)
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = _check_title(title)
    if synthesis is not None:
        changes["synthesis"] = synthesis
    if contested is not None:
        changes["contested"] = int(contested)
    if changes:
        changes["updated_at"] = stamp()
        with write(store.db):
            store.db["themes"].update(theme_id, changes)
    return get_theme(store, theme_id)


def rename_theme(store: Store, theme_id: int, title: str) -> Theme:
    """Give a theme a new title."""
    return update_theme(store, theme_id, title=title)


def set_contested(store: Store, theme_id: int, contested: bool = True) -> Theme:
    """Mark a theme as one the tables disagreed on (the report makes that explicit)."""
    return update_theme(store, theme_id, contested=contested)


def assign_notes(store: Store, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> Theme:
    """Add several notes to a theme at once (a note may belong to several themes)."""
    get_theme(store, theme_id)
    with write(store.db):
        _insert_notes(store, theme_id, note_ids)
    return get_theme(store, theme_id)


def unassign_notes(store: Store, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> Theme:
    """Take notes out of a theme; the notes themselves stay."""
    with write(store.db):
        for note_id in note_ids:
            store.db.execute(
                "DELETE FROM theme_notes WHERE theme_id = ? AND note_id = ?",
                [theme_id, str(note_id)],
            )
    return get_theme(store, theme_id)


def delete_theme(store: Store, theme_id: int) -> None:
    """Delete a theme; its notes stay, unassigned."""
    get_theme(store, theme_id)
    with write(store.db):
        store.db.execute("DELETE FROM theme_notes WHERE theme_id = ?", [theme_id])
        store.db.execute("DELETE FROM themes WHERE id = ?", [theme_id])


def merge_themes(store: Store, keep_id: int, other_ids: Iterable[int]) -> Theme:
    """Move the notes of other themes into ``keep_id`` and delete the others."""
    keep = get_theme(store, keep_id)
    others = [get_theme(store, i) for i in other_ids if i != keep_id]
    with write(store.db):
        for other in others:
            _insert_notes(store, keep_id, other.note_ids)
            store.db.execute("DELETE FROM theme_notes WHERE theme_id = ?", [other.id])
            store.db.execute("DELETE FROM themes WHERE id = ?", [other.id])
    return get_theme(store, keep.id or keep_id)


def order_themes(store: Store, session_id: str, item: int, theme_ids: list[int]) -> None:
    """Put the item's themes in this order; themes not named keep their order after them."""
    current = [t.id for t in list_themes(store, session_id, item)]
    unknown = [i for i in theme_ids if i not in current]
    if unknown:
        raise NotFoundError(_("no theme {id} in this item").format(id=unknown[0]))
    order = list(theme_ids) + [i for i in current if i not in theme_ids]
    with write(store.db):
        for position, theme_id in enumerate(order, start=1):
            store.db.execute("UPDATE themes SET position = ? WHERE id = ?", [position, theme_id])


def move_theme(store: Store, theme_id: int, offset: int) -> None:
    """Move a theme up (negative offset) or down in its item's order."""
    theme = get_theme(store, theme_id)
    ids = [t.id for t in list_themes(store, theme.session_id, theme.item)]
    index = ids.index(theme_id)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    order_themes(store, theme.session_id, theme.item, [i for i in ids if i is not None])


# -- summaries of keynote, panel and presentations -------------------------


def set_summary(store: Store, session_id: str, item: int, text: str) -> None:
    """Write the summary of an agenda item (keynote, panel, presentation, inventory)."""
    with write(store.db):
        store.db.execute(
            "INSERT INTO item_summaries (session_id, item, text, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (session_id, item) DO UPDATE SET text = excluded.text,"
            " updated_at = excluded.updated_at",
            [session_id, item, text, stamp()],
        )


def summaries(store: Store, session_id: str) -> dict[int, str]:
    """The written summaries of a session's items, by item position."""
    return dict(
        store.db.execute(
            "SELECT item, text FROM item_summaries WHERE session_id = ?", [session_id]
        ).fetchall()
    )


# -- example initiatives (the seed's Bijlage 2) -----------------------------


def add_initiative(store: Store, session_id: str, initiative: ExampleInitiative) -> int:
    """Add an example initiative to a session's appendix; returns its id."""
    with write(store.db):
        last = store.db.execute(
            "SELECT coalesce(max(position), 0) FROM example_initiatives WHERE session_id = ?",
            [session_id],
        ).fetchone()[0]
        cursor = store.db.execute(
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


def list_initiatives(store: Store, session_id: str) -> list[ExampleInitiative]:
    """The session's example initiatives, in order."""
    return [
        ExampleInitiative(
            title=r["title"], author=r["author"], organisation=r["organisation"], text=r["text"]
        )
        for r in store.db.query(
            "SELECT * FROM example_initiatives WHERE session_id = ? ORDER BY position, id",
            [session_id],
        )
    ]


def delete_initiative(store: Store, initiative_id: int) -> None:
    """Remove an example initiative."""
    with write(store.db):
        store.db.execute("DELETE FROM example_initiatives WHERE id = ?", [initiative_id])
