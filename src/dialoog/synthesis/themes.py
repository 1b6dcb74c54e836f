"""Themes, item summaries and example initiatives, as the secretary shapes them.

A theme belongs to one agenda item (usually a *gespreksronde*) and gathers notes
from several tables; the report shows it as a bold title, a synthesis paragraph
and short quotes. The rules live here; the rows in :mod:`dialoog.storage.themes`, where
every write is one IMMEDIATE transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.models import ExampleInitiative, Theme
from dialoog.storage.store import Store


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
    theme_id = store.insert_theme(session_id, item, title, synthesis=synthesis, note_ids=note_ids)
    return get_theme(store, theme_id)


def get_theme(store: Store, theme_id: int) -> Theme:
    """One theme with the ids of its notes; :class:`NotFoundError` if it does not exist."""
    theme = store.find_theme(theme_id)
    if theme is None:
        raise NotFoundError(_("no theme {id}").format(id=theme_id))
    return theme


def list_themes(store: Store, session_id: str, item: int | None = None) -> list[Theme]:
    """Themes of a session (or one item), in item and then chosen order."""
    return store.list_themes(session_id, item)


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
        changes["contested"] = contested
    store.change_theme(theme_id, changes)
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
    store.link_theme_notes(theme_id, note_ids)
    return get_theme(store, theme_id)


def unassign_notes(store: Store, theme_id: int, note_ids: Iterable[str | uuid.UUID]) -> Theme:
    """Take notes out of a theme; the notes themselves stay."""
    store.unlink_theme_notes(theme_id, note_ids)
    return get_theme(store, theme_id)


def delete_theme(store: Store, theme_id: int) -> None:
    """Delete a theme; its notes stay, unassigned."""
    get_theme(store, theme_id)
    store.delete_theme(theme_id)


def merge_themes(store: Store, keep_id: int, other_ids: Iterable[int]) -> Theme:
    """Move the notes of other themes into ``keep_id`` and delete the others."""
    keep = get_theme(store, keep_id)
    others = [get_theme(store, i) for i in other_ids if i != keep_id]
    store.merge_themes(keep_id, others)
    return get_theme(store, keep.id or keep_id)


def order_themes(store: Store, session_id: str, item: int, theme_ids: list[int]) -> None:
    """Put the item's themes in this order; themes not named keep their order after them."""
    current = [t.id for t in list_themes(store, session_id, item)]
    unknown = [i for i in theme_ids if i not in current]
    if unknown:
        raise NotFoundError(_("no theme {id} in this item").format(id=unknown[0]))
    order = list(theme_ids) + [i for i in current if i not in theme_ids and i is not None]
    store.order_themes(order)


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
    store.set_item_summary(session_id, item, text)


def summaries(store: Store, session_id: str) -> dict[int, str]:
    """The written summaries of a session's items, by item position."""
    return store.item_summaries(session_id)


# -- example initiatives (the seed's Bijlage 2) -----------------------------


def add_initiative(store: Store, session_id: str, initiative: ExampleInitiative) -> int:
    """Add an example initiative to a session's appendix; returns its id."""
    return store.add_initiative(session_id, initiative)


def list_initiatives(store: Store, session_id: str) -> list[ExampleInitiative]:
    """The session's example initiatives, in order."""
    return store.list_initiatives(session_id)


def delete_initiative(store: Store, initiative_id: int) -> None:
    """Remove an example initiative."""
    store.delete_initiative(initiative_id)
