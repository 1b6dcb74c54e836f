"""The top of the capture screen: session, table, countdown, the item shown, the programme.

Styled in ``capture.tcss`` by its ids (``#capture-top`` and the lines in it).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from dialoog.i18n import _
from dialoog.text import terminal_safe
from dialoog.tui.capture_text import moved_text, questions_text


class CaptureHeader(Vertical):
    """Four lines: title with countdown, the item, its questions, and "the programme is at"."""

    def compose(self) -> ComposeResult:
        yield Static(_("Loading…"), id="capture-title")
        yield Static("", id="capture-item")
        yield Static("", id="capture-questions")
        yield Static("", id="capture-moved")

    def show(
        self,
        title: Text,
        item: Text,
        questions: Sequence[str],
        question: int | None,
        moved: tuple[int, str] | None,
    ) -> None:
        """Show the lines of the item shown.

        Args:
            title: session, table and countdown.
            item: the item's position, kind and title.
            questions: the item's questions; ``question`` (1-based) is the chosen one.
            question: the question the next notes go with, if any.
            moved: (position, title) of the programme's item when it is another one.
        """
        self.query_one("#capture-title", Static).update(title)
        self.query_one("#capture-item", Static).update(item)
        box = self.query_one("#capture-questions", Static)
        box.update(questions_text(questions, question))
        box.display = bool(questions)
        line = self.query_one("#capture-moved", Static)
        line.display = moved is not None
        if moved is not None:
            line.update(moved_text(*moved))

    def failed(self, reason: str) -> None:
        """Say in the title line that the table cannot be opened, and why."""
        self.query_one("#capture-title", Static).update(
            Text(
                terminal_safe(_("Cannot open this table: {reason}").format(reason=reason)),
                style="bold red",
            )
        )
