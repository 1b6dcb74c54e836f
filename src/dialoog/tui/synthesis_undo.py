"""The synthesis screen's undo of the last assign (or take-out), and its pane titles.

A mixin of :class:`~dialoog.tui.screens.synthesis.SynthesisScreen`, so the screen
module stays small. ``a`` puts notes in a theme and says which; ``z`` (or
Ctrl+Z) takes exactly the notes it put in out again, and says so. Notes that
were already in the theme stay: undo never removes more than the assign added.
The notes and themes panes carry a title, so the focused pane's border
(``:focus-within`` in ``dialoog.tcss``) says where the arrow keys act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dialoog.i18n import _, ngettext
from dialoog.synthesis import themes as theme_store
from dialoog.tui.safe import safe_notify

if TYPE_CHECKING:
    from dialoog.storage.store import Store
    from dialoog.tui.synthesis_view import ThemeView


@dataclass(frozen=True)
class Move:
    """What one ``a`` or ``u`` changed: the theme, the notes it moved, and the direction."""

    theme_id: int
    title: str
    note_ids: tuple[str, ...]
    assigned: bool
    """True: the notes were put in the theme; False: taken out of it."""


def effective_move(
    change: Callable[..., object], view: ThemeView, note_ids: list[str]
) -> Move | None:
    """The part of an assign (or take-out) that changes anything, to undo later.

    Notes already in the theme are not assigned again, and notes not in it are
    not taken out: they are left out of the move, so undoing it leaves them be.
    """
    members = {str(i) for i in view.theme.note_ids}
    assigned = change is theme_store.assign_notes
    moved = tuple(n for n in note_ids if (n in members) != assigned)
    if not moved:
        return None
    return Move(view.id, view.theme.title, moved, assigned)


class SynthesisUndo:
    """Undo of the last assign (``z``), and the titles of the notes and themes panes."""

    last_move: Move | None = None

    # The screen provides these (a Textual Screen with a write queue).
    query_one: Any
    _write: Any

    def on_mount(self) -> None:
        """Title the two panes, so the focused one (bright border) names itself."""
        self.query_one("#notes-pane").border_title = _("Notes")
        self.query_one("#side").border_title = _("Themes")

    def remember_move(
        self, change: Callable[..., object], view: ThemeView, note_ids: list[str]
    ) -> None:
        """Keep what an assign or take-out changed, for :meth:`action_undo`."""
        self.last_move = effective_move(change, view, note_ids)

    def action_undo(self) -> None:
        """Undo the last assign (or take-out): exactly the notes it moved go back."""
        move = self.last_move
        if move is None:
            safe_notify(self, _("Nothing to undo."), severity="warning")  # type: ignore[arg-type]
            return
        self.last_move = None
        notes = list(move.note_ids)
        n = len(notes)
        if move.assigned:

            def undo(store: Store) -> object:
                return theme_store.unassign_notes(store, move.theme_id, notes)

            message = ngettext(
                "Undone: {n} note taken out of “{title}” again.",
                "Undone: {n} notes taken out of “{title}” again.",
                n,
            )
        else:

            def undo(store: Store) -> object:
                return theme_store.assign_notes(store, move.theme_id, notes)

            message = ngettext(
                "Undone: {n} note put back in “{title}”.",
                "Undone: {n} notes put back in “{title}”.",
                n,
            )
        self._write(undo, message.format(n=n, title=move.title))
