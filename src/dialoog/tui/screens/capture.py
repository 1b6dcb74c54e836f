"""The capture screen: a table chair types the notes of one table, item by item.

Enter saves a note through the write queue; the note is shown as saved only
once the store has committed it. Until then it sits in the list as "saving…"
and, if the database refuses it, stays there and is retried. Whatever is in
the input is kept as a draft in the database within a second of the last
keystroke, so a killed terminal loses nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import get_character_cell_size
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static, TextArea

from dialoog.errors import DialoogError
from dialoog.i18n import N_, _, item_kind_label
from dialoog.kinds import MAX_NOTE_LENGTH, NoteKind
from dialoog.markers import clean_text, format_note, parse_note
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.kinds import KIND_KEYS, kind_badge, kind_symbol
from dialoog.tui.screens.edit import EditNoteScreen
from dialoog.tui.widgets import NoteInput

if TYPE_CHECKING:
    from dialoog.models import AgendaItem, Note, Session
    from dialoog.peek import ItemPreview, SessionPreview
    from dialoog.storage.store import ClockState, Store
    from dialoog.tui.app import DialoogApp

#: Seconds after a keystroke before the draft is written (well within 1 s).
DRAFT_DELAY = 0.4
#: Characters of a note shown in the list; the full text is in the edit dialog.
LIST_TEXT_LIMIT = 300


#: Characters known to take exactly one cell (the fast path of :func:`fit_cells`).
_ONE_CELL: set[str] = set()


def _one_cell_each(chars: str) -> bool:
    """Whether every character of ``chars`` takes exactly one terminal cell."""
    unknown = set(chars).difference(_ONE_CELL)
    for char in unknown:
        if char in "\u200d\ufe0f" or get_character_cell_size(char) != 1:
            return False
        _ONE_CELL.add(char)
    return True


def fit_cells(text: Text, width: int) -> None:
    """Shorten ``text`` to ``width`` cells with an ellipsis, in place.

    The same result as ``text.truncate(width, overflow="ellipsis")``, which
    measures the whole text grapheme by grapheme as soon as it holds a character
    such as ’ or –; for 2,000 notes that was half the time of filling the list.
    When the first ``width + 1`` characters each take one cell the cut is a
    plain slice; anything else (wide, zero-width, joined) is left to Rich.
    """
    plain = text.plain
    if not _one_cell_each(plain[: width + 1]):
        text.truncate(width, overflow="ellipsis")
    elif len(plain) > width:
        text.plain = plain[: width - 1] + "…"


def format_seconds(seconds: float) -> str:
    """``12:05`` for time left, ``+1:30`` for time over."""
    over = seconds < 0
    total = int(abs(seconds) + (0 if over else 0.999))
    text = f"{total // 60}:{total % 60:02d}"
    return f"+{text}" if over else text


def countdown_text(clock: ClockState | None, at: dt.datetime | None = None) -> Text:
    """The countdown for a header: time left, paused, or over time in red."""
    if clock is None:
        return Text("")
    left = clock.seconds_left(at)
    if left is None:
        return Text("")
    if clock.state == "paused":
        return Text(_("⏸ {time} paused").format(time=format_seconds(left)), style="bold")
    if left < 0:
        return Text(_("⏱ {time} over time").format(time=format_seconds(left)), style="bold red")
    style = "bold dark_orange" if left < 120 else "bold"
    return Text(f"⏱ {format_seconds(left)}", style=style)


def _kind_bindings() -> list[Binding]:
    names = {
        NoteKind.OBSERVATION: N_("observation"),
        NoteKind.QUOTE: N_("quote"),
        NoteKind.RECOMMENDATION: N_("recommendation"),
        NoteKind.BOTTLENECK: N_("bottleneck"),
        NoteKind.EXAMPLE: N_("good example"),
        NoteKind.QUESTION: N_("open question"),
        NoteKind.ACTION: N_("action"),
    }
    return [
        Binding(
            key,
            f"set_kind('{kind.value}')",
            names[kind],
            priority=True,
            id=f"capture.kind.{kind.value}",
            tooltip=N_("Set the kind of the next note"),
        )
        for key, kind in KIND_KEYS.items()
    ]


class CaptureScreen(Screen[None]):
    """Notes of one table for one agenda item, and the input to type them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_kind_bindings(),
        # alt+digit arrives as alt+digit only in terminals with the kitty keyboard
        # protocol; elsewhere Textual reads ESC+digit as a macOS option character
        # ("¡"), so F9, which works everywhere, is the question key in the footer.
        Binding(
            "alt+1",
            "set_question(1)",
            N_("question 1"),
            show=False,
            priority=True,
            id="capture.question.1",
            tooltip=N_("Attach the next notes to question 1 (again: to none)"),
        ),
        Binding(
            "alt+2",
            "set_question(2)",
            N_("question 2"),
            show=False,
            priority=True,
            id="capture.question.2",
            tooltip=N_("Attach the next notes to question 2 (again: to none)"),
        ),
        Binding(
            "alt+3",
            "set_question(3)",
            N_("question 3"),
            show=False,
            priority=True,
            id="capture.question.3",
            tooltip=N_("Attach the next notes to question 3 (again: to none)"),
        ),
        Binding(
            "f9",
            "cycle_question",
            N_("question"),
            priority=True,
            id="capture.question.cycle",
            tooltip=N_("Attach the next notes to question 1, 2, 3, then to none again"),
        ),
        Binding(
            "ctrl+b",
            "move_item(-1)",
            N_("prev item"),
            priority=True,
            id="capture.item.previous",
            tooltip=N_("Show the previous agenda item and its notes"),
        ),
        Binding(
            "ctrl+n",
            "move_item(1)",
            N_("next item"),
            priority=True,
            id="capture.item.next",
            tooltip=N_("Show the next agenda item and its notes"),
        ),
        Binding(
            "ctrl+g",
            "follow_programme",
            N_("follow"),
            priority=True,
            id="capture.item.follow",
            tooltip=N_("Go to the item the chair of the day has started, and follow the clock"),
        ),
        Binding(
            "ctrl+r",
            "restore_note",
            N_("undo delete"),
            priority=True,
            id="capture.note.restore",
            tooltip=N_("Bring back the note deleted last"),
        ),
        Binding(
            "delete",
            "delete_note",
            N_("delete"),
            id="capture.note.delete",
            tooltip=N_("Delete the selected note (ctrl+r brings it back)"),
        ),
        Binding(
            "ctrl+j",
            "newline",
            N_("new line"),
            show=False,
            id="capture.input.newline",
            tooltip=N_("Start a new line in the note"),
        ),
        Binding(
            "ctrl+o",
            "overview",
            N_("overview"),
            show=False,
            priority=True,
            id="capture.overview",
            tooltip=N_("Notes of every table for the current round"),
        ),
        Binding(
            "escape",
            "back",
            N_("back"),
            id="capture.back",
            tooltip=N_("Back to the input, or leave this table (the draft is kept)"),
        ),
    ]

    def __init__(
        self,
        session_id: str,
        table: int,
        *,
        item: int | None = None,
        focus_note_id: str | None = None,
        preview: SessionPreview | None = None,
    ) -> None:
        super().__init__()
        localise_bindings(self)
        self.preview = preview
        """Title and agenda read by the command line, shown until the session is loaded."""
        self.session_id = session_id
        self.table = table
        self.start_item = item
        """Open at this agenda item instead of the programme's (a search result's item)."""
        self.focus_note_id = focus_note_id
        """Select this note once its item's notes are shown (a search result)."""
        self.session: Session | None = None
        self.item: int = 1
        """The agenda item shown (1-based position)."""
        self.programme_item: int | None = None
        """The item the chair of the day has made current (from the clock)."""
        self.manual = False
        """Whether the chair picked the shown item by hand (then the clock is not followed)."""
        self.clock: ClockState | None = None
        self.next_kind = NoteKind.OBSERVATION
        self.question: int | None = None
        self.notes: dict[str, Note] = {}
        """Saved notes in the list, by row key (the note id)."""
        self.pending: dict[str, tuple[int, str]] = {}
        """Notes sent to the store and not yet committed: row key -> (item, text)."""
        self.deleted: list[Note] = []
        self.loaded = False
        self._pending_ids = itertools.count(1)
        self._draft_timer: Timer | None = None
        self._drafts: dict[int, str] = {}
        """Unsaved text typed at other agenda items than the one shown, by item."""
        self._draft_saved: dict[int, str] = {}
        """The draft text last sent to the store, by item."""
        self._left_input = ""

    @property
    def dialoog(self) -> DialoogApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    # -- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="capture-top"):
            yield Static(_("Loading…"), id="capture-title")
            yield Static("", id="capture-item")
            yield Static("", id="capture-questions")
            yield Static("", id="capture-moved")
        table: DataTable[object] = DataTable(id="notes", cursor_type="row")
        table.add_column("", key="kind", width=1)
        table.add_column(_("Q"), key="question", width=2)
        table.add_column(_("Time"), key="time", width=5)
        table.add_column(_("Note"), key="text")
        yield table
        yield Static("", id="capture-status")
        yield NoteInput(
            id="note-input",
            placeholder=_(
                'Type a note; Enter saves, ctrl+j new line. Marks: " quote  ! recommendation  '
                "? question  #knelpunt  #voorbeeld  #actie  #tag"
            ),
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(NoteInput).focus()
        if self.preview is not None and self.preview.agenda:
            current = self.preview.current_item
            start = self.start_item or current or 1
            self.item = max(1, min(start, len(self.preview.agenda)))
            self.programme_item = current
            self._update_header()
        self._update_status()
        self._load()
        self.set_interval(1.0, self._tick, name="clock-tick")

    # -- loading ----------------------------------------------------------

    @work(thread=True, group="capture-load", exit_on_error=False)
    def _load(self) -> None:
        def read(store: Store) -> tuple[Session, ClockState, dict[int, str]]:
            session = store.get_session(self.session_id)
            store.check_table(session, self.table)
            return (
                session,
                store.clock(self.session_id),
                store.load_drafts(self.session_id, self.table),
            )

        try:
            session, clock, draft = self.dialoog.reader.run(read)
        except DialoogError as exc:
            self.app.call_from_thread(self._load_failed, str(exc))
            return
        except Exception as exc:  # the database itself: say so, keep the input usable
            self.app.call_from_thread(self._load_failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, session, clock, draft)

    def _load_failed(self, reason: str) -> None:
        self.query_one("#capture-title", Static).update(
            Text(_("Cannot open this table: {reason}").format(reason=reason), style="bold red")
        )
        self.notify(reason, title=_("Cannot open this table"), severity="error")

    def _loaded(self, session: Session, clock: ClockState, drafts: dict[int, str]) -> None:
        self.session = session
        self.clock = clock
        self.programme_item = clock.current_item
        note_input = self.query_one(NoteInput)
        drafts = {i: t for i, t in drafts.items() if 1 <= i <= len(session.plan.agenda)}
        self._draft_saved = dict(drafts)
        for item, typed in self._drafts.items():  # typed at other items before the load
            drafts[item] = f"{drafts[item]}\n{typed}" if drafts.get(item) else typed
        draft = drafts.pop(self.item, "")
        if draft:
            # What was typed before the load was typed at this same item: keep both.
            typed = note_input.text
            note_input.load_text(draft + ("\n" + typed if typed else ""))
            note_input.move_cursor(note_input.document.end)
        self._drafts = drafts
        self.loaded = True
        start = clock.current_item if clock.current_item else 1
        if self.start_item is not None:
            start = self.start_item
            self.manual = start != clock.current_item
        # Item and question picked on the preview, before the load, are kept.
        shown, question = self.item, self.question
        self.show_item(max(1, min(start, len(session.plan.agenda))))
        if self.preview is not None and self.item == shown and question is not None:
            self.question = question
            self._update_status()
            self._update_header()

    # -- the agenda item ------------------------------------------------------

    @property
    def agenda_item(self) -> AgendaItem | ItemPreview | None:
        """The agenda item shown: from the session, or from the preview until it loads."""
        if self.session is not None:
            return self.session.item(self.item)
        if self.preview is not None and self.preview.agenda:
            return self.preview.agenda[self.item - 1]
        return None

    def show_item(self, position: int) -> None:
        """Show agenda item ``position`` and load this table's notes for it.

        Half-typed text stays with the item it was typed at: it leaves the input
        when the chair (or the clock) moves to another item and comes back with it.
        """
        if self.loaded and position != self.item and self.is_attached:
            self._swap_input(position)
        self.item = position
        self.question = None
        self._update_header()
        self._update_status()
        table = self.query_one("#notes", DataTable)
        table.clear()
        self.notes.clear()
        for key, (item, text) in self.pending.items():
            if item == position:
                self._add_pending_row(key, text)
        self._load_notes(position)

    def _swap_input(self, position: int) -> None:
        note_input = self.query_one(NoteInput)
        left = note_input.text
        if left:
            self._drafts[self.item] = left
        arriving = self._drafts.pop(position, "")
        if not left and not arriving:
            return
        note_input.load_text(arriving)
        note_input.move_cursor(note_input.document.end)
        self._schedule_draft()
        if left.strip():
            self.notify(
                _(
                    "Your unsaved text stays with item {n}; it comes back when you return there."
                ).format(n=self.item),
                timeout=4,
            )

    @work(thread=True, exclusive=True, group="capture-notes", exit_on_error=False)
    def _load_notes(self, position: int) -> None:
        try:
            notes = self.dialoog.reader.run(
                lambda s: s.list_notes(self.session_id, table=self.table, item=position)
            )
        except Exception as exc:
            self.app.call_from_thread(
                self.notify,
                _("Cannot read the notes: {reason}").format(reason=exc),
                severity="error",
            )
            return
        self.app.call_from_thread(self._fill_notes, position, notes)

    def _fill_notes(self, position: int, notes: list[Note]) -> None:
        if position != self.item:
            return
        table = self.query_one("#notes", DataTable)
        pending_rows = [(k, t) for k, (i, t) in self.pending.items() if i == position]
        table.clear()
        self.notes.clear()
        for note in notes:
            key = str(note.id)
            table.add_row(*self._note_cells(note), key=key)
            self.notes[key] = note
        for key, text in pending_rows:
            self._add_pending_row(key, text)
        if table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False)
        if self.focus_note_id is not None and self.focus_note_id in self.notes:
            table.move_cursor(row=table.get_row_index(self.focus_note_id), animate=False)
            table.focus()
            self.focus_note_id = None

    def _update_header(self) -> None:
        agenda: Sequence[AgendaItem | ItemPreview]
        if self.session is not None:
            session_title, agenda = self.session.title, self.session.plan.agenda
        elif self.preview is not None:
            session_title, agenda = self.preview.title, self.preview.agenda
        else:
            return
        title = Text.assemble(
            (session_title, "bold"),
            "  ·  ",
            (_("Table {n}").format(n=self.table), "bold"),
            "  ",
            countdown_text(self.clock if self._clock_applies() else None),
        )
        self.query_one("#capture-title", Static).update(title)
        item = agenda[self.item - 1]
        line = Text.assemble(
            (f"{self.item}/{len(agenda)} ", "dim"),
            (item_kind_label(str(item.kind)).capitalize() + ": ", "bold"),
            item.title,
        )
        if self.programme_item == self.item:
            line.append("  " + _("(current)"), style="dim")
        self.query_one("#capture-item", Static).update(line)
        questions = Text()
        for n, q in enumerate(item.questions, start=1):
            style = "bold reverse" if self.question == n else ""
            if questions:
                questions.append("\n")
            questions.append(f"{n} ", style="bold")
            questions.append(q, style=style)
        box = self.query_one("#capture-questions", Static)
        box.update(questions)
        box.display = bool(item.questions)
        self._update_moved()

    def _clock_applies(self) -> bool:
        return self.clock is not None and self.clock.current_item == self.item

    def _update_moved(self) -> None:
        moved = self.query_one("#capture-moved", Static)
        if self.session is not None and self.programme_item and self.programme_item != self.item:
            other = self.session.item(self.programme_item)
            moved.update(
                Text(
                    _("The programme is at {n}. {title} — ctrl+g follows").format(
                        n=self.programme_item, title=other.title
                    ),
                    style="bold",
                )
            )
            moved.display = True
        else:
            moved.display = False

    def _update_status(self) -> None:
        status = Text.assemble(
            (_("Next note: "), "dim"),
            kind_badge(self.next_kind),
            ("  ·  ", "dim"),
            (
                _("question {n}").format(n=self.question) if self.question else _("no question"),
                "bold" if self.question else "dim",
            ),
        )
        if self.pending:
            status.append("  ·  ")
            status.append(
                _("{n} saving…").format(n=len(self.pending)),
                style="bold red" if self.dialoog.writer.failing else "dim",
            )
        self.query_one("#capture-status", Static).update(status)

    # -- rows -----------------------------------------------------------------

    def _note_cells(self, note: Note) -> list[object]:
        text = note.text
        first, _sep, rest = text.partition("\n")
        shown = Text(first[:LIST_TEXT_LIMIT])
        if rest:
            shown.append(" …", style="dim")
        for tag in note.tags:
            shown.append(f" #{tag}", style="dim")
        fit_cells(shown, self._text_width())
        local = note.created_at.astimezone()
        return [
            kind_symbol(note.kind),
            str(note.question or ""),
            local.strftime("%H:%M"),
            shown,
        ]

    def _text_width(self) -> int:
        # The note column fills the table; wider text would scroll sideways.
        return max(20, self.app.size.width - 20)

    def _add_pending_row(self, key: str, text: str) -> None:
        table = self.query_one("#notes", DataTable)
        first = Text(text.partition("\n")[0][:LIST_TEXT_LIMIT], style="dim italic")
        first.truncate(self._text_width(), overflow="ellipsis")
        table.add_row(
            Text("…", style="dim"),
            "",
            Text(_("saving"), style="dim italic"),
            first,
            key=key,
        )
        table.move_cursor(row=table.row_count - 1, animate=False)

    # -- saving notes -----------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Typing while the list has focus goes to the input: no keystroke is lost."""
        note_input = self.query_one(NoteInput)
        if note_input.has_focus or not event.is_printable or not event.character:
            return
        if not isinstance(self.focused, DataTable):
            return
        event.stop()
        note_input.focus()
        note_input.insert(event.character)

    def on_note_input_submitted(self, event: NoteInput.Submitted) -> None:
        """Save the typed note (Enter)."""
        event.stop()
        raw = event.text
        # With the command line's preview the item is known, so the note can be queued;
        # without it (opened from home or search) the session must load first.
        if self.session is None and self.preview is None:
            event.note_input.give_back(raw)
            self.notify(_("The session is still loading; your text stays here."))
            return
        if not parse_note(raw, self.next_kind).text:
            event.note_input.give_back(raw)
            self.notify(_("Empty note: nothing to save."), title=_("Hint"))
            return
        length = len(clean_text(raw).strip())
        if length > MAX_NOTE_LENGTH:
            event.note_input.give_back(raw)
            self.notify(
                _(
                    "This note has {n} characters; the limit is {limit}. "
                    "Split it in parts: it stays in the input."
                ).format(n=f"{length:,}", limit=f"{MAX_NOTE_LENGTH:,}"),
                title=_("Note too long"),
                severity="error",
                timeout=8,
            )
            return
        key = f"pending-{next(self._pending_ids)}"
        item, kind, question = self.item, self.next_kind, self.question
        # Before the load no draft of this screen is stored (see _flush_draft): an older
        # draft holding the same text must stay, to be restored into the input.
        consume = self.loaded
        self.pending[key] = (item, raw)
        self._add_pending_row(key, raw)
        self.next_kind = NoteKind.OBSERVATION
        self._update_status()
        self.dialoog.writer.submit(
            lambda s: s.add_typed_note(
                self.session_id,
                table=self.table,
                item=item,
                raw=raw,
                default_kind=kind,
                question=question,
                consume_draft=consume,  # the note's text leaves the draft as it is saved
            ),
            on_done=lambda note: self._note_saved(key, note),
            on_error=lambda exc: self._note_refused(key, exc),
        )

    def _note_saved(self, key: str, note: Note) -> None:
        self.pending.pop(key, None)
        if not self.is_attached:
            # Left the table while this note was being saved: drop it from the draft.
            item, text = note.item, self.unsaved_text(note.item)
            self.dialoog.writer.submit(
                lambda s: s.save_draft(self.session_id, self.table, text, item=item)
            )
            return
        self._update_status()
        self._schedule_draft()
        if note.item != self.item:
            return
        table = self.query_one("#notes", DataTable)
        if key in table.rows:
            table.remove_row(key)
        table.add_row(*self._note_cells(note), key=str(note.id))
        self.notes[str(note.id)] = note
        table.move_cursor(row=table.row_count - 1, animate=False)

    def _note_refused(self, key: str, exc: DialoogError) -> None:
        # Cannot normally happen (checked before sending); give the text back.
        item, raw = self.pending.pop(key, (self.item, ""))
        self._update_status()
        table = self.query_one("#notes", DataTable)
        if key in table.rows:
            table.remove_row(key)
        if item != self.item:  # typed at another item: back into that item's draft
            rest = self._drafts.get(item, "")
            self._drafts[item] = raw + ("\n" + rest if rest else "")
            self._schedule_draft()
            self.notify(str(exc), title=_("Not saved"), severity="error")
            return
        note_input = self.query_one(NoteInput)
        note_input.load_text(raw + ("\n" + note_input.text if note_input.text else ""))
        self.notify(str(exc), title=_("Not saved"), severity="error")

    # -- drafts -----------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Keep what is typed as a draft, within a second of the last keystroke."""
        if event.text_area.id != "note-input":
            return
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft)

    def _flush_draft(self) -> None:
        self._draft_timer = None
        if not self.loaded:
            # Do not overwrite the stored draft before it has been read back.
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft)
            return
        changed = [
            item
            for item in self._draft_items()
            if self.unsaved_text(item) != self._draft_saved.get(item, "")
        ]
        if not changed:
            return
        self._draft_saved.update({item: self.unsaved_text(item) for item in changed})
        # The job reads the text again when its turn comes: a note still being
        # saved now may be committed by then, and must not go back into the draft.
        self.dialoog.writer.submit(self.draft_job(changed))

    def _draft_items(self) -> list[int]:
        """The agenda items that have, or had, unsaved text at this table."""
        items = {self.item, *self._drafts, *self._draft_saved}
        items.update(item for item, _text in self.pending.values())
        return sorted(items)

    def unsaved_text(self, item: int | None = None) -> str:
        """The text at ``item`` (the shown one by default) that must survive a crash.

        Notes typed there and still being saved, then what is in the input (for
        the shown item) or what was left typed there (for another item).
        """
        item = self.item if item is None else item
        parts = [text for at, text in self.pending.values() if at == item]
        if item == self.item:
            parts.append(self.query_one(NoteInput).text if self.is_attached else self._left_input)
        else:
            parts.append(self._drafts.get(item, ""))
        return "\n".join(p for p in parts if p)

    def draft_job(self, items: Iterable[int] | None = None) -> Callable[[Store], None]:
        """A write job that stores the drafts of ``items`` (all) as they are when it runs.

        Queued behind the notes still being saved, it reads the text on the event
        loop only when its turn comes, so notes saved before it are not in it.
        """
        wanted = None if items is None else list(items)

        def texts() -> dict[int, str]:
            return {i: self.unsaved_text(i) for i in wanted or self._draft_items()}

        def save(store: Store) -> None:
            store.save_drafts(self.session_id, self.table, self.app.call_from_thread(texts))

        return save

    # -- the clock --------------------------------------------------------------

    def _tick(self) -> None:
        if self.session is not None:
            self._update_header()
        self._poll_clock()

    @work(thread=True, exclusive=True, group="capture-clock", exit_on_error=False)
    def _poll_clock(self) -> None:
        try:
            clock = self.dialoog.reader.run(lambda s: s.clock(self.session_id))
        except Exception:
            return  # the next tick tries again
        self.app.call_from_thread(self._clock_read, clock)

    def _clock_read(self, clock: ClockState) -> None:
        self.clock = clock
        if self.session is None:
            return
        moved = clock.current_item != self.programme_item
        self.programme_item = clock.current_item
        if moved and clock.current_item:
            if not self.manual:
                self.show_item(clock.current_item)
                self.notify(
                    _("The programme moved on: {title}").format(
                        title=self.session.item(clock.current_item).title
                    ),
                    timeout=3,
                )
                return
            if clock.current_item == self.item:
                self.manual = False
        self._update_header()

    # -- actions ----------------------------------------------------------------

    def action_set_kind(self, kind: str) -> None:
        """Set the kind of the next note."""
        self.next_kind = NoteKind(kind)
        self._update_status()

    def action_set_question(self, number: int) -> None:
        """Attach the next notes to question ``number`` (again: to none)."""
        item = self.agenda_item
        if item is None:
            return
        if number > len(item.questions):
            self.notify(_("This item has no question {n}.").format(n=number), severity="warning")
            return
        self.question = None if self.question == number else number
        self._update_status()
        self._update_header()

    def action_cycle_question(self) -> None:
        """Attach the next notes to the next question of the item, or to none."""
        item = self.agenda_item
        if item is None or not item.questions:
            self.notify(_("This item has no questions."), severity="warning")
            return
        current = self.question or 0
        self.question = current + 1 if current < len(item.questions) else None
        self._update_status()
        self._update_header()

    def action_move_item(self, step: int) -> None:
        """Show the previous or next agenda item."""
        if self.session is not None:
            count = len(self.session.plan.agenda)
        elif self.preview is not None:
            count = len(self.preview.agenda)
        else:
            return
        target = self.item + step
        if not 1 <= target <= count:
            return
        self.manual = target != self.programme_item
        if self.session is None:
            # Still loading: move on the preview; the load opens at this item.
            self.start_item = target
            self._swap_input(target)
            self.item = target
            self.question = None
            self._update_header()
            self._update_status()
            return
        self.show_item(target)

    def action_follow_programme(self) -> None:
        """Go back to the programme's current item and follow the clock again."""
        self.manual = False
        if self.session is None:
            # Still loading: the load opens at the programme's item.
            self.start_item = None
            if self.preview is not None and self.programme_item:
                self._swap_input(self.programme_item)
                self.item = self.programme_item
                self.question = None
                self._update_status()
            self._update_header()
            return
        if self.programme_item and self.programme_item != self.item:
            self.show_item(self.programme_item)
        else:
            self._update_header()

    def action_newline(self) -> None:
        """Insert a new line in the input (for terminals that send ctrl+j up here)."""
        note_input = self.query_one(NoteInput)
        note_input.insert("\n")

    def _selected_note(self) -> Note | None:
        table = self.query_one("#notes", DataTable)
        if not table.row_count:
            return None
        row_key, _col = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.notes.get(str(row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open the selected note for editing (Enter or click on the list)."""
        note = self.notes.get(str(event.row_key.value))
        if note is None:
            return
        self.app.push_screen(
            EditNoteScreen(format_note(note.kind, note.text, note.tags)),
            lambda text: self._edit_done(note, text),
        )

    def _edit_done(self, note: Note, text: str | None) -> None:
        # Back to the input, saved or cancelled: the chair's next keys are the next note.
        # (After the screen resumes, which would give the focus back to the list.)
        self.call_after_refresh(self.query_one(NoteInput).focus)
        if text is None or text == format_note(note.kind, note.text, note.tags):
            return
        if not parse_note(text, note.kind).text:
            self.notify(_("Empty note: nothing to save."), title=_("Hint"))
            return
        self.dialoog.writer.submit(
            lambda s: s.edit_typed_note(note.id, text),
            on_done=self._note_edited,
            on_error=lambda exc: self.notify(str(exc), title=_("Not saved"), severity="error"),
        )

    def _note_edited(self, note: Note) -> None:
        key = str(note.id)
        if not self.is_attached or key not in self.notes:
            return
        self.notes[key] = note
        table = self.query_one("#notes", DataTable)
        for column, value in zip(
            ("kind", "question", "time", "text"), self._note_cells(note), strict=True
        ):
            table.update_cell(key, column, value)
        self.notify(_("Note changed; the earlier text is kept as a revision."), timeout=2)

    def action_delete_note(self) -> None:
        """Delete the selected note softly."""
        note = self._selected_note()
        if note is None:
            return
        self.dialoog.writer.submit(
            lambda s: s.delete_note(note.id),
            on_done=self._note_deleted,
        )

    def _note_deleted(self, note: Note) -> None:
        self.deleted.append(note)
        key = str(note.id)
        if self.is_attached and key in self.notes:
            self.notes.pop(key)
            table = self.query_one("#notes", DataTable)
            if key in table.rows:
                table.remove_row(key)
        self.notify(_("Note deleted. ctrl+r brings it back."), timeout=3)

    def action_restore_note(self) -> None:
        """Bring back the note deleted last."""
        if not self.deleted:
            self.notify(_("No deleted note to bring back."))
            return
        note = self.deleted.pop()
        self.dialoog.writer.submit(lambda s: s.restore_note(note.id), on_done=self._note_restored)

    def _note_restored(self, note: Note) -> None:
        self.notify(_("Note restored."), timeout=2)
        if self.is_attached and note.item == self.item:
            self._load_notes(self.item)

    def action_overview(self) -> None:
        """Open the overview of every table."""
        from dialoog.tui.screens.overview import OverviewScreen

        self.app.push_screen(OverviewScreen(self.session_id))

    def action_back(self) -> None:
        """Escape: from the list back to the input; from the input, leave the table."""
        note_input = self.query_one(NoteInput)
        if not note_input.has_focus:
            note_input.focus()
            return
        self.leave()

    def leave(self) -> None:
        """Save the draft and go back to where the chair came from."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._left_input = self.query_one(NoteInput).text
        if len(self.app.screen_stack) <= 2:
            # Started straight on this table: leaving it quits, which saves the draft.
            self.app.call_later(self.app.action_quit)
            return
        if self.loaded:
            self.dialoog.writer.submit(self.draft_job())
        self.app.pop_screen()
