"""A dialog asking for a one-line title (a new theme, a theme's new name)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from dialoog.i18n import N_, _
from dialoog.text import clean_line
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.safe import safe_text


class TitleDialog(ModalScreen[str | None]):
    """Ask for a one-line title; Enter saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("cancel"), id="synthesis.title.cancel",
                tooltip=N_("Close without saving")),
    ]  # fmt: skip

    def __init__(self, heading: str, value: str = "") -> None:
        super().__init__()
        localise_bindings(self)
        self.heading = heading
        # An Input draws its text as it is (a title stored before titles were cleaned).
        self.value = clean_line(value)

    def compose(self) -> ComposeResult:
        """A heading and an input."""
        with Vertical():
            yield Static(safe_text(self.heading))
            yield Input(self.value, placeholder=_("Title"), id="title-input")
        yield Footer(compact=True)

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        """Close without a title."""
        self.dismiss(None)
