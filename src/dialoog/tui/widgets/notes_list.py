"""The capture screen's list of notes: the saved notes of one item, then those still saving.

Rows of saved notes are keyed by the note id, rows of notes being saved by
the key :class:`~dialoog.tui.capture_state.CaptureState` gave them; a note
committed by the store replaces its "saving" row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.widgets import DataTable

from dialoog.i18n import _
from dialoog.tui.widgets.note_rows import note_cells, pending_cells

if TYPE_CHECKING:
    from dialoog.models import Note

#: The columns, in order, by key.
COLUMNS = ("kind", "question", "time", "text")


class NotesList(DataTable[object]):
    """A row per note: kind, question, time and first line; the cursor on the newest."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.notes: dict[str, Note] = {}
        """Saved notes in the list, by row key (the note id)."""
        self.add_column("", key="kind", width=1)
        self.add_column(_("Q"), key="question", width=2)
        self.add_column(_("Time"), key="time", width=5)
        self.add_column(_("Note"), key="text")

    def text_width(self) -> int:
        """Cells for a note's text: the column fills the list, wider would scroll sideways."""
        return max(20, self.app.size.width - 20)

    def show(self, notes: Iterable[Note], pending: Iterable[tuple[str, str]]) -> None:
        """Show only ``notes`` (saved), then ``pending`` (row key, text) as "saving"."""
        self.clear()
        self.notes.clear()
        width = self.text_width()
        for note in notes:
            key = str(note.id)
            self.add_row(*note_cells(note, width), key=key)
            self.notes[key] = note
        for key, text in pending:
            self.add_row(*pending_cells(text, width), key=key)
        self._to_newest()

    def add_pending(self, key: str, text: str) -> None:
        """Add a note being saved, as row ``key``."""
        self.add_row(*pending_cells(text, self.text_width()), key=key)
        self._to_newest()

    def add_saved(self, note: Note, replacing: str | None = None) -> None:
        """Add a saved note, in place of the "saving" row ``replacing`` if it is shown."""
        if replacing is not None:
            self.drop(replacing)
        key = str(note.id)
        if key in self.rows:  # already read back from the store by a reload of the list
            self.remove_row(key)
        self.add_row(*note_cells(note, self.text_width()), key=key)
        self.notes[key] = note
        self._to_newest()

    def drop(self, key: str) -> None:
        """Remove row ``key`` (a deleted note, or a note that could not be saved)."""
        self.notes.pop(key, None)
        if key in self.rows:
            self.remove_row(key)

    def replace(self, note: Note) -> bool:
        """Show the new text of a changed note; False when it is not in the list."""
        key = str(note.id)
        if key not in self.notes:
            return False
        self.notes[key] = note
        for column, value in zip(COLUMNS, note_cells(note, self.text_width()), strict=True):
            self.update_cell(key, column, value)
        return True

    def selected(self) -> Note | None:
        """The saved note under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _col = self.coordinate_to_cell_key(self.cursor_coordinate)
        return self.notes.get(str(row_key.value))

    def select(self, note_id: str) -> bool:
        """Put the cursor on saved note ``note_id``; False when it is not in the list."""
        if note_id not in self.notes:
            return False
        self.move_cursor(row=self.get_row_index(note_id), animate=False)
        return True

    def _to_newest(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)
