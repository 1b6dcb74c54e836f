"""A dialog to write a longer text (a theme's synthesis, an item's summary), its notes in view."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from dialoog.i18n import N_
from dialoog.text import clean_text, terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.safe import safe_text


class TextDialog(ModalScreen[str | None]):
    """Edit a longer text (a synthesis, a summary); Ctrl+S saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "save", N_("save"), id="synthesis.text.save",
                tooltip=N_("Save the text and close"), priority=True),
        Binding("escape", "cancel", N_("cancel"), id="synthesis.text.cancel",
                tooltip=N_("Close without saving")),
    ]  # fmt: skip

    def __init__(self, heading: str, text: str = "", help_text: str = "") -> None:
        super().__init__()
        localise_bindings(self)
        self.heading = heading
        # A TextArea draws its text as it is: control characters stored before
        # texts were cleaned would act on the terminal. Saving cleans them anyway.
        self.text = clean_text(text)
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        """Heading, the notes to work from, and the text area."""
        with Vertical():
            yield Static(safe_text(self.heading, "bold"))
            if self.help_text:
                with VerticalScroll(id="text-help-scroll"):
                    yield Static(terminal_safe(self.help_text), id="text-help", markup=False)
            yield TextArea(self.text, id="text-input", soft_wrap=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start typing at the end of the text."""
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Close with the text."""
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        """Close without a change."""
        self.dismiss(None)
