"""The capture screen: a table chair types the notes of one table, item by item.

Enter saves a note through the write queue; the note is shown as saved only
once the store has committed it. Until then it sits in the list as "saving…"
and, if the database refuses it, stays there and is retried. Whatever is in
the input is kept as a draft in the database within a second of the last
keystroke, so a killed terminal loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from dialoog.errors import DialoogError
from dialoog.i18n import _
from dialoog.kinds import NoteKind
from dialoog.markers import clean_text, format_note, parse_note
from dialoog.text import terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.capture_keys import CAPTURE_BINDINGS, capture_key_rows
from dialoog.tui.capture_state import CaptureState
from dialoog.tui.capture_text import item_text, refusal, status_text, title_text
from dialoog.tui.host import Host, host_of
from dialoog.tui.timefmt import countdown_text
from dialoog.tui.widgets import CaptureHeader, KindLegend, LineTable, NoteInput, NotesList

if TYPE_CHECKING:
    from dialoog.models import AgendaItem, Note, Session
    from dialoog.storage.peek import ItemPreview, SessionPreview
    from dialoog.storage.store import ClockState, Store

#: Seconds after a keystroke before the draft is written (well within 1 s).
DRAFT_DELAY = 0.4


class CaptureScreen(Screen[None]):
    """Notes of one table for one agenda item, and the input to type them."""

    BINDINGS: ClassVar[list[BindingType]] = CAPTURE_BINDINGS

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
        self.state = CaptureState()
        """Notes being saved and half-typed drafts, per agenda item (plain bookkeeping)."""
        self.programme_item: int | None = None
        """The item the chair of the day has made current (from the clock)."""
        self.manual = False
        """Whether the chair picked the shown item by hand (then the clock is not followed)."""
        self.clock: ClockState | None = None
        self.next_kind = NoteKind.OBSERVATION
        self.question: int | None = None
        self.notes_list = NotesList(id="notes")
        self.deleted: list[Note] = []
        self._draft_timer: Timer | None = None

    @property
    def host(self) -> Host:
        """The app: its database access and where to go next."""
        return host_of(self.app)

    @property
    def item(self) -> int:
        """The agenda item shown (1-based position)."""
        return self.state.item

    @item.setter
    def item(self, position: int) -> None:
        self.state.item = position

    @property
    def loaded(self) -> bool:
        """Whether the session and this table's drafts have been read."""
        return self.state.loaded

    @property
    def notes(self) -> dict[str, Note]:
        """Saved notes in the list, by row key (the note id)."""
        return self.notes_list.notes

    @property
    def pending(self) -> dict[str, tuple[int, str]]:
        """Notes sent to the store and not yet committed: row key -> (item, text)."""
        return self.state.pending

    # -- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield CaptureHeader(id="capture-top")
        yield self.notes_list
        yield KindLegend(id="capture-legend")
        yield Static("", id="capture-status")
        yield NoteInput(
            id="note-input",
            placeholder=_(
                'Type a note; Enter saves, alt+j new line. Marks: " quote  ! recommendation  '
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
        # After the first frame: the load's thread imports the store (pydantic,
        # sqlite-utils) and would share the interpreter with drawing the title.
        self.call_after_refresh(self._load)
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
            session, clock, draft = self.host.reader.run(read)
        except Exception as exc:  # a bad table, or the database itself: keep the input usable
            self.app.call_from_thread(self._load_failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, session, clock, draft)

    def _load_failed(self, reason: str) -> None:
        self.query_one(CaptureHeader).failed(reason)
        self.notify(
            terminal_safe(reason), title=_("Cannot open this table"), severity="error", markup=False
        )

    def _loaded(self, session: Session, clock: ClockState, drafts: dict[int, str]) -> None:
        self.session = session
        self.clock = clock
        self.programme_item = clock.current_item
        note_input = self.query_one(NoteInput)
        # What was typed before the load stays, after the stored draft of its item.
        text = self.state.restore(drafts, len(session.plan.agenda), note_input.text)
        if text is not None:
            note_input.load_text(text)
            note_input.move_cursor(note_input.document.end)
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
    def agenda(self) -> Sequence[AgendaItem | ItemPreview]:
        """The agenda: the session's, or the preview's until the session is loaded."""
        if self.session is not None:
            return self.session.plan.agenda
        return self.preview.agenda if self.preview is not None else ()

    @property
    def agenda_item(self) -> AgendaItem | ItemPreview | None:
        """The agenda item shown: from the session, or from the preview until it loads."""
        return self.agenda[self.item - 1] if self.agenda else None

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
        place = (self.session_id, self.table, position)
        focus, self.focus_note_id = self.focus_note_id, None
        self.notes_list.open(self.host.reader.run, place, self.state.pending_at(position), focus)

    def _swap_input(self, position: int) -> None:
        note_input = self.query_one(NoteInput)
        left, was = note_input.text, self.item
        arriving = self.state.switch(position, left)
        if arriving is None:
            return
        note_input.load_text(arriving)
        note_input.move_cursor(note_input.document.end)
        self._schedule_draft()
        if left.strip():
            self.notify(
                _(
                    "Your unsaved text stays with item {n}; it comes back when you return there."
                ).format(n=was),
                timeout=4,
            )

    def _update_header(self) -> None:
        about = self.session if self.session is not None else self.preview
        item = self.agenda_item
        if about is None or item is None:
            return
        clock = (
            self.clock if self.clock is not None and self.clock.current_item == self.item else None
        )
        other = self.programme_item
        moved = None
        if self.session is not None and other and other != self.item:
            moved = (other, self.session.item(other).title)
        self.query_one(CaptureHeader).show(
            title_text(about.title, self.table, countdown_text(clock)),
            item_text(
                self.item, len(self.agenda), str(item.kind), item.title, current=other == self.item
            ),
            item.questions,
            self.question,
            moved,
        )

    def _update_status(self) -> None:
        self.query_one("#capture-status", Static).update(
            status_text(
                self.next_kind,
                self.question,
                len(self.pending),
                failing=bool(self.host.writer.failing),
            )
        )

    # -- saving notes -----------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Typing while the list has focus goes to the input: no keystroke is lost."""
        note_input = self.query_one(NoteInput)
        if note_input.has_focus or not event.is_printable or not event.character:
            return
        if not isinstance(self.focused, LineTable) or event.character == "?":
            return  # on the list, ? is the keys binding (in the input it types a ?)
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
        refused = refusal(raw, self.next_kind)
        if refused is not None:
            event.note_input.give_back(raw)
            self.notify(
                refused.message,
                title=refused.title,
                severity=refused.severity,
                timeout=refused.timeout,
            )
            return
        item, kind, question = self.item, self.next_kind, self.question
        # Before the load no draft of this screen is stored (see _flush_draft): an older
        # draft holding the same text must stay, to be restored into the input.
        consume = self.loaded
        key = self.state.queue(raw, item)
        self.notes_list.add_pending(key, raw)
        self.next_kind = NoteKind.OBSERVATION
        self._update_status()
        self.host.writer.submit(
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
        self.state.saved(key)
        if not self.is_attached:
            # Left the table while this note was being saved: drop it from the draft.
            item, text = note.item, self.unsaved_text(note.item)
            self.host.writer.submit(
                lambda s: s.save_draft(self.session_id, self.table, text, item=item)
            )
            return
        self._update_status()
        self._schedule_draft()
        if note.item == self.item:
            self.notes_list.add_saved(note, replacing=key)

    def _note_refused(self, key: str, exc: DialoogError) -> None:
        # Cannot normally happen (checked before sending); give the text back, to the
        # input or (typed at another item) to that item's draft.
        note_input = self.query_one(NoteInput)
        text = self.state.refused(key, note_input.text)
        self._update_status()
        self.notes_list.drop(key)
        if text is not None:
            note_input.load_text(text)
        self._schedule_draft()
        self._not_saved(exc)

    def _not_saved(self, exc: BaseException) -> None:
        # An error's text is not markup: "[type=string_too_short, ...]" in a message
        # read as markup crashed the screen with a MarkupError.
        self.notify(terminal_safe(str(exc)), title=_("Not saved"), severity="error", markup=False)

    # -- drafts -----------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Keep what is typed as a draft, within a second of the last keystroke."""
        if event.text_area.id == "note-input":
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
        changed = self.state.changed_drafts(self._typed())
        if not changed:
            return
        # The job reads the text again when its turn comes: a note still being
        # saved now may be committed by then, and must not go back into the draft.
        self.host.writer.submit(self.draft_job(changed))

    def _typed(self) -> str:
        """What the input holds (or held when the chair left the table)."""
        return self.query_one(NoteInput).text if self.is_attached else self.state.left_input

    def unsaved_text(self, item: int | None = None) -> str:
        """The text at ``item`` (the shown one by default) that must survive a crash.

        Notes typed there and still being saved, then what is in the input (for
        the shown item) or what was left typed there (for another item).
        """
        return self.state.unsaved_text(self.item if item is None else item, self._typed())

    def draft_job(self, items: Iterable[int] | None = None) -> Callable[[Store], None]:
        """A write job that stores the drafts of ``items`` (all) as they are when it runs.

        Queued behind the notes still being saved, it reads the text on the event
        loop only when its turn comes, so notes saved before it are not in it.
        """
        wanted = None if items is None else list(items)

        def texts() -> dict[int, str]:
            return self.state.draft_texts(wanted, self._typed())

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
        # The item's note count too: a note added by another process shows up.
        item, version = self.item, self.notes_list.version
        try:
            clock, count = self.host.reader.run(
                lambda s: (
                    s.clock(self.session_id),
                    s.count_place(self.session_id, self.table, item),
                )
            )
        except Exception:
            return  # the next tick tries again
        self.app.call_from_thread(self._clock_read, clock, (item, version, count))

    def _clock_read(self, clock: ClockState, count: tuple[int, int, int] | None = None) -> None:
        self.clock = clock
        if count is not None and self.loaded:
            self.notes_list.follow_store(self.item, *count)
        if self.session is None:
            return
        moved = clock.current_item != self.programme_item
        self.programme_item = clock.current_item
        if moved and clock.current_item:
            if not self.manual:
                self.show_item(clock.current_item)
                title = self.session.item(clock.current_item).title
                self.notify(
                    terminal_safe(_("The programme moved on: {title}").format(title=title)),
                    timeout=3,
                    markup=False,
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
        target = self.item + step
        if not 1 <= target <= len(self.agenda):
            return
        self.manual = target != self.programme_item
        if self.session is None:
            self.start_item = target  # still loading: the load opens at this item
            self._show_on_preview(target)
            self._update_header()
            return
        self.show_item(target)

    def action_follow_programme(self) -> None:
        """Go back to the programme's current item and follow the clock again."""
        self.manual = False
        if self.session is None:
            # Still loading: the load opens at the programme's item.
            self.start_item = None
            if self.preview is not None and self.programme_item:
                self._show_on_preview(self.programme_item)
            self._update_header()
            return
        if self.programme_item and self.programme_item != self.item:
            self.show_item(self.programme_item)
        else:
            self._update_header()

    def _show_on_preview(self, position: int) -> None:
        """Show item ``position`` of the preview (no notes are read before the load)."""
        self._swap_input(position)
        self.item = position
        self.question = None
        self._update_status()

    def action_newline(self) -> None:
        """Insert a new line in the input (for terminals that send ctrl+j up here)."""
        self.query_one(NoteInput).insert("\n")

    def on_line_table_row_selected(self, event: LineTable.RowSelected) -> None:
        """Open the selected note for editing (Enter or click on the list)."""
        note = self.notes_list.selected() if event.index == self.notes_list.cursor_row else None
        if note is None:
            return
        from dialoog.tui.dialogs.edit_note import EditNoteScreen  # not needed for the first frame

        self.app.push_screen(
            EditNoteScreen(format_note(note.kind, note.text, note.tags)),
            lambda text: self._edit_done(note, text),
        )

    def _edit_done(self, note: Note, text: str | None) -> None:
        # Back to the input, saved or cancelled: the chair's next keys are the next note.
        # (After the screen resumes, which would give the focus back to the list.)
        self.call_after_refresh(self.query_one(NoteInput).focus)
        if text is None or clean_text(text) == clean_text(
            format_note(note.kind, note.text, note.tags)
        ):
            return
        if not parse_note(text, note.kind).text:
            self.notify(_("Empty note: nothing to save."), title=_("Hint"))
            return
        self.host.writer.submit(
            lambda s: s.edit_typed_note(note.id, text),
            on_done=self._note_edited,
            on_error=self._not_saved,
        )

    def _note_edited(self, note: Note) -> None:
        if not self.is_attached or not self.notes_list.replace(note):
            return
        self.notify(_("Note changed; the earlier text is kept as a revision."), timeout=2)

    def action_delete_note(self) -> None:
        """Delete the selected note softly."""
        note = self.notes_list.selected()
        if note is None:
            return
        self.host.writer.submit(lambda s: s.delete_note(note.id), on_done=self._note_deleted)

    def _note_deleted(self, note: Note) -> None:
        self.deleted.append(note)
        if self.is_attached:
            self.notes_list.drop(str(note.id))
        self.notify(_("Note deleted. ctrl+r brings it back."), timeout=3)

    def action_restore_note(self) -> None:
        """Bring back the note deleted last."""
        if not self.deleted:
            self.notify(_("No deleted note to bring back."))
            return
        note = self.deleted.pop()
        self.host.writer.submit(lambda s: s.restore_note(note.id), on_done=self._note_restored)

    def _note_restored(self, note: Note) -> None:
        self.notify(_("Note restored."), timeout=2)
        if self.is_attached and note.item == self.item:
            self.notes_list.reopen()

    def action_keys(self) -> None:
        """Show every key of the screen and the legend of the kinds (F1, ``?`` on the list)."""
        rows = capture_key_rows(self.app, self)
        from dialoog.tui.dialogs.keys import KeysDialog  # not needed for the first frame

        self.app.push_screen(KeysDialog(_("Keys of the capture screen"), rows, legend=True))

    def action_overview(self) -> None:
        """Open the overview of every table."""
        self.host.open_overview(self.session_id)

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
        self.state.left_input = self.query_one(NoteInput).text
        if len(self.app.screen_stack) <= 2:
            # Started straight on this table: leaving it quits, which saves the draft.
            self.app.call_later(self.app.action_quit)
            return
        if self.loaded:
            self.host.writer.submit(self.draft_job())
        self.app.pop_screen()
