"""A dialog to change one note; the store keeps the old text as a revision."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from dialoog.i18n import N_, _
from dialoog.text import clean_text
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.widgets.note_input import NoteInput


class EditNoteScreen(ModalScreen[str | None]):
    """Edit a note's text with its marks; Enter saves, Escape cancels.

    Dismisses with the new text, or None when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            N_("cancel"),
            id="edit.cancel",
            tooltip=N_("Close without changing the note"),
        ),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        localise_bindings(self)
        # A TextArea draws its text as it is: control characters (a note stored
        # before they were cleaned) would act on the terminal. Saving cleans them anyway.
        self.text = clean_text(text)

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-dialog"):
            yield Static(_("Change the note (Enter saves, Escape cancels)"), id="edit-title")
            yield NoteInput(self.text, id="edit-input")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        note_input = self.query_one(NoteInput)
        note_input.focus()
        note_input.move_cursor(note_input.document.end)

    def on_note_input_submitted(self, event: NoteInput.Submitted) -> None:
        """Save the changed text."""
        event.stop()
        self.dismiss(event.text)

    def action_cancel(self) -> None:
        """Close without a change."""
        self.dismiss(None)
