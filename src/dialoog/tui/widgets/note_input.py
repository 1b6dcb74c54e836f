"""The note input of the capture screen and the edit dialog: Enter submits the text."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class NoteInput(TextArea, inherit_bindings=False):
    """A multi-line note input: Enter submits, Shift+Enter or Ctrl+J starts a new line.

    Most terminals send the same byte for Enter and Shift+Enter; Ctrl+J always
    works, so it is the newline key the placeholder names. F6 and F7 (select
    line, select all in a TextArea) are left free for the kind keys.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in TextArea.BINDINGS if isinstance(b, Binding) and b.key not in ("f6", "f7")
    ]

    class Submitted(Message):
        """The user pressed Enter to save what was in the input.

        The input is already empty when this arrives; a handler that does not
        save the text gives it back with :meth:`NoteInput.give_back`.
        """

        def __init__(self, note_input: NoteInput, text: str) -> None:
            super().__init__()
            self.note_input = note_input
            self.text = text

        @property
        def control(self) -> NoteInput:
            """The input that was submitted."""
            return self.note_input

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            # Take the text out now, at the key: keys that arrive before the screen
            # handles the message then land in an empty input and are not wiped.
            text = self.text
            self.clear()
            self.post_message(self.Submitted(self, text))
            return
        # The new-line keys are handled here, in the input's own queue, so the new
        # line lands after every character typed before it. A priority binding on
        # the screen ran ahead of characters still queued here and put the line
        # break mid-word ("eerst\ne regel") when keys came fast, as in a paste.
        # Alt+J is the new-line key of a browser tab (Alt+Enter arrives as Enter
        # there); without this the input would take Alt+J as the letter j.
        if event.key in ("shift+enter", "ctrl+j", "newline", "alt+j", "alt+enter"):
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)

    def give_back(self, text: str) -> None:
        """Put refused text back in front of whatever was typed since."""
        typed = self.text
        self.load_text(text + ("\n" + typed if typed else ""))
        self.move_cursor(self.document.end)
