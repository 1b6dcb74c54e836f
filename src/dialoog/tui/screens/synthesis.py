"""The secretary's synthesis screen: every table's notes for one agenda item, and its themes.

Choose an agenda item (a round, the inventory, a keynote, the panel, a presentation);
its notes from all tables appear as one list sorted by table, filterable by kind,
question, tag and words. Beside them the item's themes: create, rename, write the
synthesis, mark contested, reorder; each shows its coverage ("4 of 7 tables") and its
quotes. Mark notes with space and assign them to the highlighted theme at once.
Theme suggestions (:mod:`dialoog.synthesis.suggest`) are offered for acceptance, and
a Markdown preview renders (and keeps) a draft of the report.

What is shown is read by :mod:`dialoog.tui.synthesis_view` (no Textual there). Reads
go through the app's reader in thread workers, writes through the app's
:class:`~dialoog.tui.db.WriteQueue`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from dialoog.errors import DialoogError
from dialoog.i18n import N_, _, ngettext
from dialoog.models import ItemKind, Note, Session, Theme
from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.synthesis.suggest import Suggestion, accept_suggestion
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.dialogs.more_like_this import MoreLikeThisScreen
from dialoog.tui.dialogs.preview import PreviewScreen
from dialoog.tui.dialogs.suggestions import SuggestionsScreen
from dialoog.tui.dialogs.text import TextDialog
from dialoog.tui.dialogs.title import TitleDialog
from dialoog.tui.errors import report_worker_error
from dialoog.tui.host import Host, host_of
from dialoog.tui.safe import safe_notify, safe_text
from dialoog.tui.synthesis_keys import SYNTHESIS_BINDINGS
from dialoog.tui.synthesis_undo import SynthesisUndo
from dialoog.tui.synthesis_view import (
    SUMMARY_KINDS,
    SYNTHESIS_KINDS,
    ItemChoice,
    ItemData,
    NoteFilter,
    ThemeView,
    note_detail,
    note_row,
    read_item,
    source_text,
    theme_detail,
    theme_prompt,
)
from dialoog.tui.widgets.rows_table import RowsTable

#: From this many notes in an item, the list is filtered once typing pauses (refilling
#: 4,000 rows takes about 0.1 s).
DEBOUNCE_FROM = 1000
#: Seconds of no typing after which a large list is filtered.
FILTER_DELAY = 0.2
#: The note list's columns other than the text: key, heading, width.
_COLUMNS = (("mark", " ", 1), ("table", N_("Table"), 5), ("kind", " ", 1), ("question", N_("Q"), 2),
            ("themes", N_("Themes"), 6))  # fmt: skip


class SynthesisScreen(SynthesisUndo, Screen[None]):
    """Notes of one agenda item from every table, and the item's themes."""

    AUTO_FOCUS = "#notes"
    BINDINGS: ClassVar[list[BindingType]] = SYNTHESIS_BINDINGS

    def __init__(self, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.session: Session | None = None
        self.items: list[ItemChoice] = []
        self.item: int | None = None
        """Position of the agenda item on screen."""
        self.data: ItemData | None = None
        self.marked: set[str] = set()
        """Ids of the marked notes (kept while filtering)."""
        self.shown: list[Note] = []
        self.loaded = False
        """True once the chosen item's notes and themes are on screen."""
        self._want_theme: int | None = None
        self._reads = 0
        """Number of the latest read of the item; results of older reads are dropped."""
        self._filter_timer: Timer | None = None

    # -- layout and loading -------------------------------------------------

    def compose(self) -> ComposeResult:
        """Item choice and filter on top; notes left, themes right."""
        yield Static(_("Loading…"), id="synthesis-title", classes="screen-title")
        with Horizontal(id="synthesis-top"):
            yield Select[int](
                [], prompt=_("Agenda item"), allow_blank=True, id="item", compact=True
            )
            yield Input(
                placeholder=_("Filter: kind:quote q:1 #tag words"), id="filter", compact=True
            )
        with Horizontal(id="synthesis-body"):
            with Vertical(id="notes-pane"):
                columns = [(_(label) if label.strip() else label, w) for _k, label, w in _COLUMNS]
                yield RowsTable([*columns, (_("Note"), None)], id="notes")
                yield Static("", id="note-detail", markup=False)
                yield Static("", id="synthesis-status")
            with Vertical(id="side"):
                yield Static("", id="summary", markup=False)
                yield OptionList(id="themes")
                with VerticalScroll(id="theme-scroll"):
                    yield Static("", id="theme-detail")
        yield Footer(compact=True)

    @property
    def host(self) -> Host:
        """The app: its database access."""
        return host_of(self.app)

    def on_mount(self) -> None:
        """The session, in a worker."""
        self.query_one("#summary").display = False
        self._load_session()

    @work(thread=True, exclusive=True, group="synthesis-session", exit_on_error=False)
    def _load_session(self) -> None:
        try:
            session = self.host.reader.run(lambda s: s.get_session(self.session_id))
        except Exception as exc:
            self.app.call_from_thread(
                safe_notify, self, str(exc), title=_("Cannot open the session"), severity="error"
            )
            return
        self.app.call_from_thread(self._show_session, session)

    def _show_session(self, session: Session) -> None:
        if not self.on_stack:
            return
        self.session = session
        self.items = [
            ItemChoice(position, item.kind, item.title)
            for position, item in enumerate(session.plan.agenda, 1)
            if item.kind in SYNTHESIS_KINDS
        ]
        self.query_one("#synthesis-title", Static).update(
            Text.assemble(safe_text(session.title, "bold", one_line=True), "  ·  ", _("Synthesis"))
        )
        select = self.query_one("#item", Select)
        with select.prevent(Select.Changed):
            select.set_options((Text(c.label), c.position) for c in self.items)
        if not self.items:
            self.notify(_("This session has no rounds or talks to synthesise."))
            return
        rounds = [c for c in self.items if c.kind is ItemKind.ROUND]
        self.choose_item((rounds or self.items)[0].position)

    def choose_item(self, position: int) -> None:
        """Show the notes and themes of the agenda item at ``position``."""
        if position not in {c.position for c in self.items}:
            return
        select = self.query_one("#item", Select)
        if select.value != position:
            with select.prevent(Select.Changed):
                select.value = position
        if position != self.item:
            self.marked.clear()
            self._want_theme = None
        self.item = position
        self.loaded = False
        self.reload_item()

    @on(Select.Changed, "#item")
    def _item_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.choose_item(event.value)
            self.query_one("#notes", RowsTable).focus()

    def reload_item(self) -> None:
        """Read the chosen item's notes and themes again (thread worker)."""
        if self.session is not None and self.item is not None:
            self._reads += 1
            self._load_item(self.session, self.item, self._reads)

    @work(thread=True, exclusive=True, group="synthesis-load", exit_on_error=False)
    def _load_item(self, session: Session, position: int, read: int) -> None:
        try:
            data = self.host.reader.run(lambda s: read_item(s, session, position))
        except Exception as exc:
            report_worker_error(self, _("Cannot read the notes"), exc)
            return
        self.app.call_from_thread(self._show_item, data, read)

    @property
    def on_stack(self) -> bool:
        """Whether the screen is still open (results of workers may arrive after it closed)."""
        return self in self.app.screen_stack

    def _show_item(self, data: ItemData, read: int) -> None:
        if read != self._reads or not self.on_stack:
            return  # an older read overtaken by a newer one, or the screen closed
        self.data = data
        self._fill_notes()
        self._fill_themes()
        self._fill_summary()
        self.loaded = True

    # -- notes --------------------------------------------------------------

    @property
    def choice(self) -> ItemChoice | None:
        """The agenda item on screen."""
        return next((c for c in self.items if c.position == self.item), None)

    def _fill_notes(self) -> None:
        if self.data is None or not self.on_stack:
            return
        table = self.query_one("#notes", RowsTable)
        current = self.cursor_note()
        wanted = NoteFilter.parse(self.query_one("#filter", Input).value)
        numbers = self.data.theme_numbers
        shown = self.shown = [n for n in self.data.notes if wanted.matches(n, str(n.id) in numbers)]
        # Cells are built only for the rows drawn (a round can hold 16,000 notes).
        keys = [str(n.id) for n in shown]
        table.set_source(keys, lambda i: note_row(shown, i, self.marked, numbers))
        if current is not None and str(current.id) in keys:
            table.move_cursor(row=keys.index(str(current.id)), animate=False)
        self._show_note_detail()
        self._status()

    def cursor_note(self) -> Note | None:
        """The note under the cursor, if any."""
        table = self.query_one("#notes", RowsTable)
        if not table.row_count or not self.shown:
            return None
        row = table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _status(self) -> None:
        total = len(self.data.notes) if self.data else 0
        text = ngettext(
            "{shown} of {total} note · {marked} marked",
            "{shown} of {total} notes · {marked} marked",
            total,
        ).format(shown=len(self.shown), total=total, marked=len(self.marked))
        self.query_one("#synthesis-status", Static).update(text)

    @on(RowsTable.RowHighlighted, "#notes")
    def _show_note_detail(self) -> None:
        note = self.cursor_note()
        detail = self.query_one("#note-detail", Static)
        if note is None:
            detail.update(_("No notes match.") if self.data and self.data.notes else "")
            return
        detail.update(note_detail(note))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if self.data is not None and len(self.data.notes) >= DEBOUNCE_FROM:
            self._filter_timer = self.set_timer(FILTER_DELAY, self._fill_notes)
        else:
            self._fill_notes()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#notes", RowsTable).focus()

    # -- themes -------------------------------------------------------------

    def _fill_themes(self) -> None:
        if self.data is None:
            return
        options = self.query_one("#themes", OptionList)
        keep = self._want_theme
        if keep is None and (theme := self.selected_theme()) is not None:
            keep = theme.id
        self._want_theme = None
        options.clear_options()
        for number, view in enumerate(self.data.themes, 1):
            options.add_option(Option(theme_prompt(number, view), id=str(view.id)))
        if self.data.themes:
            ids = [v.id for v in self.data.themes]
            options.highlighted = ids.index(keep) if keep in ids else 0
        self._show_theme_detail()

    def selected_theme(self) -> ThemeView | None:
        """The highlighted theme, if any."""
        if self.data is None or not self.data.themes:
            return None
        index = self.query_one("#themes", OptionList).highlighted
        if index is None or not 0 <= index < len(self.data.themes):
            return None
        return self.data.themes[index]

    @on(OptionList.OptionHighlighted, "#themes")
    def _show_theme_detail(self) -> None:
        detail = self.query_one("#theme-detail", Static)
        view = self.selected_theme()
        if view is None:
            detail.update(
                Text(_("No themes yet: press n to create one, s for suggestions."), style="dim")
            )
            return
        language = self.session.plan.language if self.session else "nl"
        detail.update(theme_detail(view, language))

    def _fill_summary(self) -> None:
        summary = self.query_one("#summary", Static)
        choice = self.choice
        show = choice is not None and choice.kind in SUMMARY_KINDS
        summary.display = show
        if show and self.data is not None:
            heading = _("Summary (m to edit)")
            body = self.data.summary or _("Not written yet.")
            summary.update(Text(heading + "\n") + safe_text(body))

    # -- writing ------------------------------------------------------------

    def _write(
        self,
        fn: Callable[[Store], object],
        message: str | Callable[[object], str] | None = None,
        then: Callable[[object], None] | None = None,
    ) -> None:
        """Queue a write; reload the item when it is done and say what happened."""

        def done(result: object) -> None:
            if then is not None:
                then(result)
            if message:
                safe_notify(self, message(result) if callable(message) else message)
            if self.on_stack:
                self.reload_item()

        def failed(error: DialoogError) -> None:
            safe_notify(self, str(error), title=_("Not saved"), severity="error")

        self.host.writer.submit(fn, on_done=done, on_error=failed)

    def _need_theme(self) -> ThemeView | None:
        view = self.selected_theme()
        if view is None:
            self.notify(_("No theme selected: press n to create one."), severity="warning")
        return view

    def _chosen_notes(self) -> list[str]:
        """The marked notes, or else the note under the cursor."""
        if self.marked:
            order = [str(n.id) for n in self.data.notes] if self.data else []
            return [i for i in order if i in self.marked]
        note = self.cursor_note()
        return [str(note.id)] if note is not None else []

    # -- actions --------------------------------------------------------------

    def action_back(self) -> None:
        """Leave the filter box, or go back to the previous screen."""
        if self.focused is self.query_one("#filter", Input):
            self.query_one("#notes", RowsTable).focus()
            return
        self.app.pop_screen()

    def action_next_item(self) -> None:
        """Work on the next agenda item."""
        self._step_item(1)

    def action_previous_item(self) -> None:
        """Work on the previous agenda item."""
        self._step_item(-1)

    def _step_item(self, step: int) -> None:
        positions = [c.position for c in self.items]
        if not positions or self.item not in positions:
            return
        index = max(0, min(len(positions) - 1, positions.index(self.item) + step))
        self.choose_item(positions[index])

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one("#filter", Input).focus()

    def action_mark(self) -> None:
        """Mark or unmark the note under the cursor and move to the next one."""
        note = self.cursor_note()
        if note is None:
            return
        key = str(note.id)
        if key in self.marked:
            self.marked.discard(key)
        else:
            self.marked.add(key)
        table = self.query_one("#notes", RowsTable)
        table.rows_changed()  # the mark column is read from self.marked when drawn
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)
        self._status()

    def action_assign(self) -> None:
        """Put the marked notes (or the note under the cursor) in the highlighted theme."""
        self._move_notes(
            theme_store.assign_notes,
            lambda n, title: ngettext(
                "{n} note put in “{title}” (z undoes).", "{n} notes put in “{title}” (z undoes).", n
            ).format(n=n, title=title),
        )

    def action_unassign(self) -> None:
        """Take the marked notes (or the note under the cursor) out of the highlighted theme."""
        self._move_notes(
            theme_store.unassign_notes,
            lambda n, title: ngettext(
                "{n} note taken out of “{title}”.", "{n} notes taken out of “{title}”.", n
            ).format(n=n, title=title),
        )

    def _move_notes(
        self,
        change: Callable[[Store, int, list[str]], object],
        message: Callable[[int, str], str],
    ) -> None:
        """Apply ``change`` to the highlighted theme and the chosen notes, then unmark them."""
        view = self._need_theme()
        notes = self._chosen_notes()
        if view is None or not notes:
            return
        theme_id, title = view.id, view.theme.title

        def clear(_result: object) -> None:
            self.marked.difference_update(notes)
            self.remember_move(change, view, notes)

        self._write(lambda s: change(s, theme_id, notes), message(len(notes), title), clear)

    def action_new_theme(self) -> None:
        """Create a theme for the item; the marked notes go in it."""
        if self.item is None:
            return
        item, notes = self.item, sorted(self.marked)

        def created(title: str | None) -> None:
            if not title:
                return

            def remember(theme: object) -> None:
                assert isinstance(theme, Theme)
                self._want_theme = theme.id
                self.marked.difference_update(notes)

            self._write(
                lambda s: theme_store.create_theme(s, self.session_id, item, title, note_ids=notes),
                _("Theme created: {title}").format(title=title),
                remember,
            )

        heading = _("New theme")
        if notes:
            heading += " " + ngettext(
                "(with {n} marked note)", "(with {n} marked notes)", len(notes)
            ).format(n=len(notes))
        self.app.push_screen(TitleDialog(heading), created)

    def action_rename(self) -> None:
        """Give the highlighted theme a new title."""
        view = self._need_theme()
        if view is None:
            return
        theme_id = view.id

        def renamed(title: str | None) -> None:
            if title and title != view.theme.title:
                self._write(lambda s: theme_store.rename_theme(s, theme_id, title))

        self.app.push_screen(TitleDialog(_("Rename theme"), view.theme.title), renamed)

    def action_edit_synthesis(self) -> None:
        """Write the synthesis paragraph of the highlighted theme, its notes in view."""
        view = self._need_theme()
        if view is None or self.data is None:
            return
        theme_id = view.id
        members = {str(i) for i in view.theme.note_ids}
        source = source_text(n for n in self.data.notes if str(n.id) in members)

        def written(text: str | None) -> None:
            if text is not None and text != view.theme.synthesis:
                self._write(
                    lambda s: theme_store.update_theme(s, theme_id, synthesis=text),
                    _("Synthesis saved."),
                )

        heading = _("Synthesis of “{title}” (Ctrl+S saves, Escape cancels)").format(
            title=view.theme.title
        )
        self.app.push_screen(TextDialog(heading, view.theme.synthesis, source), written)

    def action_contested(self) -> None:
        """Mark the highlighted theme as contested, or not any more."""
        view = self._need_theme()
        if view is None:
            return
        theme_id, flag = view.id, not view.theme.contested
        self._write(lambda s: theme_store.set_contested(s, theme_id, flag))

    def action_move(self, offset: int) -> None:
        """Move the highlighted theme up (negative) or down."""
        view = self._need_theme()
        if view is None:
            return
        theme_id = view.id
        self._want_theme = theme_id
        self._write(lambda s: theme_store.move_theme(s, theme_id, offset))

    def action_suggest(self) -> None:
        """Offer groups of similar notes from several tables as themes."""
        if self.item is None:
            return
        item = self.item

        def accept(suggestion: Suggestion) -> None:
            def remember(theme: object) -> None:
                assert isinstance(theme, Theme)
                self._want_theme = theme.id

            self._write(
                lambda s: accept_suggestion(s, self.session_id, item, suggestion),
                lambda theme: _("Theme created: {title}").format(title=theme.title),  # type: ignore[attr-defined]
                remember,
            )

        self.app.push_screen(SuggestionsScreen(self.session_id, item, accept))

    def action_more_like(self) -> None:
        """Rank the free notes by closeness to the highlighted theme; Enter adds one."""
        if (view := self._need_theme()) is not None:
            tid = view.id
            add = lambda i: self._write(lambda s: theme_store.assign_notes(s, tid, [i]))  # noqa: E731
            self.app.push_screen(MoreLikeThisScreen(tid, view.theme.title, add))

    def action_summary(self) -> None:
        """Write the summary of a keynote, panel, presentation or inventory."""
        choice = self.choice
        if choice is None or self.data is None:
            return
        if choice.kind not in SUMMARY_KINDS:
            self.notify(
                _(
                    "Rounds are summed up in themes; summaries are for keynotes, panels and "
                    "presentations."
                ),
                severity="warning",
            )
            return
        item = choice.position
        old = self.data.summary
        source = source_text(self.data.notes)

        def written(text: str | None) -> None:
            if text is not None and text != old:
                self._write(
                    lambda s: theme_store.set_summary(s, self.session_id, item, text),
                    _("Summary saved."),
                )

        heading = _("Summary of “{title}” (Ctrl+S saves, Escape cancels)").format(
            title=choice.title
        )
        self.app.push_screen(TextDialog(heading, old, source), written)

    def action_preview(self) -> None:
        """Render the Markdown draft (after the writes before it) and show it."""
        if self.session is None:
            return
        template = "report" if self.session.plan.language == "en" else "verslag"
        self.app.push_screen(PreviewScreen(self.session_id, template))

    def action_download(self) -> None:
        """Download the draft as .docx, .html or .md (in a browser under ``dialoog serve``)."""
        from dialoog.tui.dialogs.download import DownloadDialog

        if self.session is not None:
            template = "report" if self.session.plan.language == "en" else "verslag"
            self.app.push_screen(DownloadDialog(self.session_id, template))
