"""The capture screen's list of notes: the saved notes of one item, then those still saving.

A :class:`~dialoog.tui.widgets.line_table.LineTable`: only the rows on screen
are drawn, and saved notes are read from the store a page at a time. The list
knows how many saved notes the item has (:attr:`NotesList.total`) and holds the
pages it has read; a row that is drawn before its page is there shows a
placeholder while a thread worker reads that page (:attr:`NotesList.fetch`,
given by the screen). Opening a table with 16,000 notes therefore reads one
page, the newest, and the cursor sits on the newest note.

Rows of saved notes are keyed by the note id, rows of notes being saved by
the key :class:`~dialoog.tui.capture_state.CaptureState` gave them; a note
committed by the store replaces its "saving" row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from textual import work

from dialoog.i18n import _
from dialoog.text import terminal_safe
from dialoog.tui.widgets.line_table import Cell, LineTable
from dialoog.tui.widgets.note_rows import note_cells, pending_cells

if TYPE_CHECKING:
    from dialoog.models import Note
    from dialoog.storage.store import Store

#: Notes read from the store at a time.
PAGE = 100

#: Reads ``limit`` saved notes from position ``offset`` on (in a thread worker).
PageReader = Callable[[int, int], list["Note"]]

#: Runs a function with the store, in a thread worker (the app's ``reader.run``).
StoreRunner = Callable[[Callable[["Store"], Any]], Any]

#: The list of one table at one item: (session id, table, item).
Place = tuple[str, int, int]


class Tail:
    """What opening a list needs from the store: its length and the page(s) shown first."""

    def __init__(self, total: int, offset: int, notes: list[Note], focus: int | None) -> None:
        self.total = total
        self.offset = offset
        self.notes = notes
        self.focus = focus
        """The position of the note to select (a search result), if it is live."""


def read_tail(
    store: Store, session_id: str, table: int, item: int, focus_id: str | None = None
) -> Tail:
    """The count of a table's notes at an item and its newest page (or the focus's page)."""
    total = store.count_place(session_id, table, item)
    focus = store.place_position(focus_id) if focus_id is not None else None
    start = max(0, total - PAGE)
    if focus is not None and focus < start:
        start = max(0, focus - PAGE // 2)
        notes = store.note_page(session_id, table, item, offset=start, limit=PAGE)
        return Tail(total, start, notes, focus)
    # The newest page by walking the index backwards: no offset to skip (7 ms at 16k notes).
    newest = store.list_notes(session_id, table=table, item=item, limit=PAGE, newest_first=True)
    newest.reverse()
    return Tail(total, total - len(newest), newest, focus)


class NotesList(LineTable):
    """A row per note: kind, question, time and first line; the cursor on the newest."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            [("", 1), (_("Q"), 2), (_("Time"), 5), (_("Note"), None)],
            id=id,
        )
        self.fetch: PageReader | None = None
        """Reads a page of saved notes; None: the list holds only what it was shown."""
        self.total = 0
        """Saved notes of the item, fetched or not."""
        self.rows: dict[int, Note] = {}
        """Fetched saved notes, by position."""
        self.notes: dict[str, Note] = {}
        """Fetched saved notes, by row key (the note id)."""
        self.pending: list[tuple[str, str]] = []
        """Notes being saved, after the saved ones: (row key, text)."""
        self.fetched = 0
        """Notes read from the store so far (the proof that a long list reads a page)."""
        self.version = 0
        """Counts changes, so a count read before one can be told from one read after."""
        self.place: Place | None = None
        """Whose notes the list shows."""
        self._runner: StoreRunner | None = None
        self.filled = False
        """Whether the list was shown what the store holds (not only notes being saved)."""
        self._asked: set[int] = set()

    @property
    def row_count(self) -> int:
        """Saved notes, then the ones being saved."""
        return self.total + len(self.pending)

    def row_cells(self, index: int) -> Sequence[Cell] | None:
        """A saved note's cells, a pending note's, or None (and a fetch) if not read yet."""
        width = self.fill_width()
        if index >= self.total:
            _key, text = self.pending[index - self.total]
            return pending_cells(text, width)  # type: ignore[return-value]
        note = self.rows.get(index)
        if note is None:
            self._ask(index // PAGE)
            return None
        # Read the neighbouring page before it is scrolled to: paging stays one frame a page.
        for ahead in (index - PAGE // 2, index + PAGE // 2):
            if 0 <= ahead < self.total and ahead not in self.rows:
                self._ask(ahead // PAGE)
        return note_cells(note, width)  # type: ignore[return-value]

    def get_row_at(self, index: int) -> Sequence[Cell]:
        """The cells of row ``index`` (as ``DataTable.get_row_at``); empty if not read yet."""
        return self.row_cells(index) or []

    # -- filling ----------------------------------------------------------------

    def open(
        self,
        run: StoreRunner,
        place: Place,
        pending: Iterable[tuple[str, str]],
        focus_id: str | None = None,
    ) -> None:
        """Show the notes of ``place``: ``pending`` at once, the store's newest page once read.

        With ``focus_id`` (a search result) the page holding that note is read
        and the cursor put on it, with the focus.
        """
        session_id, table, item = place
        self.place, self._runner = place, run
        self.show([], pending)
        self.fetch = lambda offset, limit: run(
            lambda s: s.note_page(session_id, table, item, offset=offset, limit=limit)
        )
        self._open(run, place, focus_id)

    def reopen(self) -> None:
        """Read the shown place again (a note came back)."""
        if self.place is not None and self._runner is not None:
            self._open(self._runner, self.place, None)

    @work(thread=True, exclusive=True, group="notes-list-open", exit_on_error=False)
    def _open(self, run: StoreRunner, place: Place, focus_id: str | None) -> None:
        try:
            tail = run(lambda s: read_tail(s, *place, focus_id))
        except Exception as exc:
            # The screen stays usable; the next item shown, or a restore, reads again.
            self.app.call_from_thread(
                self.notify,
                terminal_safe(str(exc)),
                title=_("Cannot read the notes"),
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(self._opened, place, tail, focus_id)

    def _opened(self, place: Place, tail: Tail, focus_id: str | None) -> None:
        if place != self.place:
            return  # another item is shown by now
        self.show(tail.notes, self.pending, total=tail.total, offset=tail.offset)
        if focus_id is not None and self.select(focus_id):
            self.focus()

    def show(
        self,
        notes: Iterable[Note],
        pending: Iterable[tuple[str, str]],
        *,
        total: int | None = None,
        offset: int = 0,
    ) -> None:
        """Show ``total`` saved notes of which ``notes`` (from ``offset``), then ``pending``."""
        notes = list(notes)
        self.version += 1
        self._asked.clear()
        self.rows = {offset + i: note for i, note in enumerate(notes)}
        self.notes = {str(note.id): note for note in notes}
        self.fetched += len(notes)
        self.total = len(notes) if total is None else total
        self.pending = list(pending)
        self.filled = total is not None
        self.rows_changed()
        self.move_cursor(row=self.row_count - 1)

    def follow_store(self, item: int, counted_item: int, version: int, count: int) -> None:
        """Reload when the store counted ``count`` notes at the shown item and the list did not.

        ``version`` is the list's version when the count was read: a list that has
        changed since (a note of this screen saved, another item shown) waits for
        the next count, as it does while notes of this screen are still being saved.
        """
        if item != counted_item or version != self.version or not self.filled:
            return
        if self.pending or count == self.total:
            return
        self.reload(count)

    def reload(self, total: int) -> None:
        """The store has ``total`` notes now (another process wrote): read them again."""
        at_newest = self.cursor_row >= self.row_count - 1
        self.version += 1
        self._asked.clear()
        self.rows.clear()
        self.notes.clear()
        self.total = total
        self.rows_changed()
        if at_newest:
            self.move_cursor(row=self.row_count - 1)

    def _ask(self, page: int) -> None:
        if self.fetch is None or page in self._asked:
            return
        self._asked.add(page)
        version, fetch = self.version, self.fetch
        self.run_worker(
            lambda: self._read(version, page, fetch),
            thread=True,
            group="notes-list-pages",
            exit_on_error=False,
        )

    def _read(self, version: int, page: int, fetch: PageReader) -> None:
        try:
            notes = fetch(page * PAGE, PAGE)
        except Exception:
            self.app.call_from_thread(self._asked.discard, page)  # drawn again: asked again
            return
        self.app.call_from_thread(self._page_read, version, page, notes)

    def _page_read(self, version: int, page: int, notes: list[Note]) -> None:
        if version != self.version:
            return  # read before the list changed under it: positions may have moved
        self.fetched += len(notes)
        for i, note in enumerate(notes):
            index = page * PAGE + i
            if index < self.total:
                self.rows[index] = note
                self.notes[str(note.id)] = note
        self.rows_changed()

    # -- changes made on this screen --------------------------------------------------

    def add_pending(self, key: str, text: str) -> None:
        """Add a note being saved, as row ``key``."""
        self.version += 1
        self.pending.append((key, text))
        self.rows_changed()
        self.move_cursor(row=self.row_count - 1)

    def add_saved(self, note: Note, replacing: str | None = None) -> None:
        """Add a saved note, in place of the "saving" row ``replacing`` if it is shown."""
        self.version += 1
        self.pending = [(k, t) for k, t in self.pending if k != replacing]
        key = str(note.id)
        if key in self.notes:  # already read back from the store by a reload of the list
            self.replace(note)
        else:
            self.rows[self.total] = note
            self.notes[key] = note
            self.total += 1
        self.rows_changed()
        self.move_cursor(row=self.row_count - 1)

    def drop(self, key: str) -> None:
        """Remove row ``key`` (a deleted note, or a note that could not be saved)."""
        self.version += 1
        if any(k == key for k, _t in self.pending):
            self.pending = [(k, t) for k, t in self.pending if k != key]
        elif key in self.notes:
            note = self.notes.pop(key)
            index = next(i for i, n in self.rows.items() if n is note)
            self.rows = {(i if i < index else i - 1): n for i, n in self.rows.items() if i != index}
            self.total -= 1
            # Positions after it moved: pages not read yet are read at their new place.
            self._asked.clear()
        else:
            return
        self.rows_changed()

    def replace(self, note: Note) -> bool:
        """Show the new text of a changed note; False when it is not in the list."""
        key = str(note.id)
        old = self.notes.get(key)
        if old is None:
            return False
        self.notes[key] = note
        for index, shown in self.rows.items():
            if shown is old:
                self.rows[index] = note
                break
        self.rows_changed()
        return True

    # -- the cursor ---------------------------------------------------------------------

    def selected(self) -> Note | None:
        """The saved note under the cursor, if any (and read)."""
        if self.cursor_row >= self.total:
            return None
        return self.rows.get(self.cursor_row)

    def select(self, note_id: str) -> bool:
        """Put the cursor on saved note ``note_id``; False when it is not in the list."""
        note = self.notes.get(note_id)
        if note is None:
            return False
        index = next(i for i, n in self.rows.items() if n is note)
        self.move_cursor(row=index)
        return True
