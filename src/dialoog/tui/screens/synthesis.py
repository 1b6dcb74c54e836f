"""The secretary's synthesis screen: every table's notes for one agenda item, and its themes.

Choose an agenda item (a round, the inventory, a keynote, the panel, a presentation);
its notes from all tables appear as one list sorted by table, filterable by kind,
question, tag and words. Beside them the item's themes: create, rename, write the
synthesis, mark contested, reorder; each shows its coverage ("4 of 7 tables") and its
quotes. Mark notes with space and assign them to the highlighted theme at once.
Theme suggestions (:mod:`dialoog.synthesis.suggest`) are offered for acceptance, and
a Markdown preview renders (and keeps) a draft of the report.

The screen opens its own connections to the database at ``store_path``: reads go
through a :class:`~dialoog.tui.db.StoreGate`, writes through a
:class:`~dialoog.tui.db.WriteQueue`, both only in thread workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Markdown, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from dialoog.errors import DialoogError
from dialoog.i18n import N_, _, item_kind_label, kind_label, ngettext
from dialoog.models import ItemKind, Note, NoteKind, Session, Theme
from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.synthesis.context import frequency_phrase
from dialoog.synthesis.suggest import Suggestion, accept_suggestion, suggest_themes
from dialoog.text import fold
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.db import StoreGate, WriteQueue
from dialoog.tui.kinds import kind_symbol

#: Agenda items a secretary synthesises: rounds and inventory get themes, talks a summary.
SYNTHESIS_KINDS = (
    ItemKind.ROUND,
    ItemKind.INVENTORY,
    ItemKind.KEYNOTE,
    ItemKind.PANEL,
    ItemKind.PRESENTATION,
)
#: Items whose summary the secretary writes (keynote, panel, presentations, inventory).
SUMMARY_KINDS = (ItemKind.KEYNOTE, ItemKind.PANEL, ItemKind.PRESENTATION, ItemKind.INVENTORY)
#: Narrowest the note text column gets; the full text shows below the list.
MIN_TEXT_WIDTH = 20
#: Longest label of an agenda item in the item choice.
ITEM_LABEL_WIDTH = 64
MARK = "●"
#: From this many notes in an item, the list is filtered once typing pauses (refilling
#: 4,000 rows takes about 0.1 s).
DEBOUNCE_FROM = 1000
#: Seconds of no typing after which a large list is filtered.
FILTER_DELAY = 0.2
#: The note list's columns other than the text: key, heading, width.
_COLUMNS = (("mark", " ", 1), ("table", N_("Table"), 5), ("kind", " ", 1), ("question", N_("Q"), 2),
            ("themes", N_("Themes"), 6))  # fmt: skip


# -- filtering --------------------------------------------------------------


@dataclass(frozen=True)
class NoteFilter:
    """What the filter box asks for: ``kind:quote q:1 #tag words``.

    Several kinds (or questions, or tags) widen the choice; the different parts
    must all match. ``kind:`` takes the English kind or its translated name, or
    their first letters; words match anywhere in the note text.
    """

    kinds: tuple[str, ...] = ()
    questions: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    unthemed: bool = False

    @classmethod
    def parse(cls, text: str) -> NoteFilter:
        """Read the filter box."""
        kinds: list[str] = []
        questions: list[int] = []
        tags: list[str] = []
        words: list[str] = []
        unthemed = False
        for token in text.split():
            name, colon, value = token.partition(":")
            name = fold(name)
            if colon and name in ("kind", "k", "soort", "s") and value:
                wanted = fold(value)
                kinds += [
                    k.value
                    for k in NoteKind
                    if fold(k.value).startswith(wanted)
                    or fold(kind_label(k.value)).startswith(wanted)
                ] or ["-"]  # no kind of that name: nothing matches
            elif colon and name in ("q", "question", "vraag", "v") and value.isdigit():
                questions.append(int(value))
            elif token.startswith("#") and len(token) > 1:
                tags.append(fold(token[1:]))
            elif fold(token) in ("is:free", "is:unthemed", "is:vrij"):
                unthemed = True
            else:
                words.append(fold(token))
        return cls(tuple(kinds), tuple(questions), tuple(tags), tuple(words), unthemed)

    def matches(self, note: Note, themed: bool = False) -> bool:
        """Whether ``note`` passes the filter (``themed``: it is in a theme already)."""
        if self.kinds and note.kind.value not in self.kinds:
            return False
        if self.questions and note.question not in self.questions:
            return False
        if self.unthemed and themed:
            return False
        if self.tags:
            folded_tags = [fold(t) for t in note.tags]
            if not any(t.startswith(w) for w in self.tags for t in folded_tags):
                return False
        if self.words:
            text = fold(note.text)
            if not all(w in text for w in self.words):
                return False
        return True


# -- what the screen shows --------------------------------------------------


@dataclass(frozen=True)
class ItemChoice:
    """An agenda item the secretary can work on."""

    position: int
    kind: ItemKind
    title: str

    @property
    def label(self) -> str:
        """``4. conversation round: Gespreksronde 1: …``, shortened to fit one line."""
        label = f"{self.position}. {item_kind_label(self.kind.value)}: {self.title}"
        return label if len(label) <= ITEM_LABEL_WIDTH else label[: ITEM_LABEL_WIDTH - 1] + "…"


@dataclass(frozen=True)
class ThemeView:
    """A theme with what the side list shows: coverage and quotes."""

    theme: Theme
    tables: tuple[int, ...]
    of: int
    quotes: tuple[Note, ...]

    @property
    def id(self) -> int:
        """The theme's id."""
        assert self.theme.id is not None
        return self.theme.id

    @property
    def coverage(self) -> str:
        """``4 of 7 tables`` in the user's language."""
        return ngettext("{covered} of {of} table", "{covered} of {of} tables", self.of).format(
            covered=len(self.tables), of=self.of
        )


@dataclass
class ItemData:
    """One item's notes (sorted by table), themes and summary, as read together."""

    position: int
    notes: list[Note]
    themes: list[ThemeView]
    summary: str
    of: int
    theme_numbers: dict[str, list[int]] = field(default_factory=dict)
    """For each note id, the 1-based numbers of the themes it is in."""


def read_item(store: Store, session: Session, position: int) -> ItemData:
    """Read an item's notes, themes and summary (call from a thread worker)."""
    notes = store.list_notes(session.id, item=position)
    notes.sort(key=lambda n: n.table)  # stable: within a table, in the order taken
    by_id = {str(n.id): n for n in notes}
    tables_with_notes = {n.table for n in notes}
    of = len(tables_with_notes) or len(session.plan.tables)
    views = []
    numbers: dict[str, list[int]] = {}
    for number, theme in enumerate(theme_store.list_themes(store, session.id, position), 1):
        members = [by_id[str(i)] for i in theme.note_ids if str(i) in by_id]
        for note in members:
            numbers.setdefault(str(note.id), []).append(number)
        views.append(
            ThemeView(
                theme=theme,
                tables=tuple(sorted({n.table for n in members})),
                of=max(of, len({n.table for n in members})),
                quotes=tuple(n for n in members if n.kind is NoteKind.QUOTE),
            )
        )
    summary = theme_store.summaries(store, session.id).get(position, "")
    return ItemData(position, notes, views, summary, of, numbers)


def source_text(notes: Iterable[Note]) -> str:
    """Notes as lines to write a synthesis or summary from: ``table 3: …``."""
    return "\n".join(_("table {n}: {text}").format(n=n.table, text=n.text) for n in notes)


# -- dialogs ------------------------------------------------------------------


class TitleDialog(ModalScreen[str | None]):
    """Ask for a one-line title; Enter saves, Escape cancels."""

    DEFAULT_CSS = """
    TitleDialog { align: center middle; }
    TitleDialog > Vertical {
        width: 70; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("cancel"), id="synthesis.title.cancel",
                tooltip=N_("Close without saving")),
    ]  # fmt: skip

    def __init__(self, heading: str, value: str = "") -> None:
        super().__init__()
        localise_bindings(self)
        self.heading = heading
        self.value = value

    def compose(self) -> ComposeResult:
        """A heading and an input."""
        with Vertical():
            yield Static(self.heading)
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


class TextDialog(ModalScreen[str | None]):
    """Edit a longer text (a synthesis, a summary); Ctrl+S saves, Escape cancels."""

    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > Vertical {
        width: 90%; max-width: 110; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    TextDialog #text-help { color: $text-muted; height: auto; }
    TextDialog #text-input { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("save"), id="synthesis.text.save",
                tooltip=N_("Save the text and close"), priority=True),
        Binding("escape", "cancel", N_("cancel"), id="synthesis.text.cancel",
                tooltip=N_("Close without saving")),
    ]  # fmt: skip

    def __init__(self, heading: str, text: str = "", help_text: str = "") -> None:
        super().__init__()
        localise_bindings(self)
        self.heading = heading
        self.text = text
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        """Heading, the notes to work from, and the text area."""
        with Vertical():
            yield Static(Text(self.heading, style="bold"))
            if self.help_text:
                with VerticalScroll(id="text-help-scroll"):
                    yield Static(self.help_text, id="text-help", markup=False)
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


class SuggestionsScreen(ModalScreen[None]):
    """Suggested themes for the item: accept (a theme is made) or reject each one.

    Nothing changes in the database until a suggestion is accepted.
    """

    DEFAULT_CSS = """
    SuggestionsScreen { align: center middle; }
    SuggestionsScreen > Vertical {
        width: 95%; max-width: 120; height: 90%; border: thick $primary; background: $surface;
    }
    SuggestionsScreen #suggest-status { height: auto; padding: 0 1; background: $boost; }
    SuggestionsScreen #suggestions { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "accept", N_("accept"), id="synthesis.suggest.accept",
                tooltip=N_("Make a theme of this group of notes"), priority=True),
        Binding("x,delete", "reject", N_("reject"), id="synthesis.suggest.reject",
                tooltip=N_("Drop this suggestion")),
        Binding("escape", "close", N_("close"), id="synthesis.suggest.close",
                tooltip=N_("Back to the themes")),
    ]  # fmt: skip

    def __init__(
        self,
        reader: StoreGate,
        session_id: str,
        item: int,
        on_accept: Callable[[Suggestion], None],
    ) -> None:
        super().__init__()
        localise_bindings(self)
        self.reader = reader
        self.session_id = session_id
        self.item = item
        self.accept_callback = on_accept
        self.suggestions: list[Suggestion] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        """A status line and the list of groups."""
        with Vertical():
            yield Static(_("Looking for similar notes…"), id="suggest-status")
            yield OptionList(id="suggestions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Compute the suggestions in a thread worker."""
        self._suggest()

    @work(thread=True, exit_on_error=False, group="synthesis-suggest")
    def _suggest(self) -> None:
        try:
            found = self.reader.run(lambda s: suggest_themes(s, self.session_id, self.item))
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title=_("No suggestions"), severity="error"
            )
            found = []
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[Suggestion]) -> None:
        if self not in self.app.screen_stack:
            return  # closed before the suggestions were ready
        self.suggestions = list(found)
        self.loaded = True
        options = self.query_one("#suggestions", OptionList)
        options.clear_options()
        options.add_options(
            Option(self._prompt(s), id=str(n)) for n, s in enumerate(self.suggestions)
        )
        if self.suggestions:
            options.highlighted = 0
        options.focus()
        self._status()

    def _status(self) -> None:
        left = len(self.query_one("#suggestions", OptionList).options)
        text = (
            _("{n} suggested groups: Enter accepts, x rejects, Escape closes.").format(n=left)
            if left
            else _("No (more) suggestions: no similar notes from several tables.")
        )
        self.query_one("#suggest-status", Static).update(text)

    @staticmethod
    def _prompt(suggestion: Suggestion) -> Text:
        tables = ", ".join(str(t) for t in suggestion.tables)
        count = len(suggestion.note_ids)
        text = Text(suggestion.label, style="bold")
        text.append(
            "  "
            + ngettext("tables {tables} · {n} note", "tables {tables} · {n} notes", count).format(
                tables=tables, n=count
            ),
            style="dim",
        )
        for note_text in suggestion.texts:
            short = note_text if len(note_text) <= 110 else note_text[:109] + "…"
            text.append("\n   – " + short)
        return text

    def _take_highlighted(self) -> Suggestion | None:
        options = self.query_one("#suggestions", OptionList)
        if options.highlighted is None or not options.options:
            return None
        option = options.get_option_at_index(options.highlighted)
        options.remove_option_at_index(options.highlighted)
        self._status()
        return self.suggestions[int(option.id or 0)]

    def action_accept(self) -> None:
        """Make a theme of the highlighted group."""
        suggestion = self._take_highlighted()
        if suggestion is not None:
            self.accept_callback(suggestion)

    def action_reject(self) -> None:
        """Drop the highlighted group (nothing is written)."""
        self._take_highlighted()

    def action_close(self) -> None:
        """Back to the synthesis screen."""
        self.dismiss(None)


class PreviewScreen(Screen[None]):
    """The Markdown draft of the report, rendered and scrollable."""

    DEFAULT_CSS = """
    PreviewScreen #preview-title { height: auto; padding: 0 1; background: $boost; }
    PreviewScreen #preview-scroll { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back"), id="synthesis.preview.back",
                tooltip=N_("Back to the synthesis")),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.markdown: str | None = None

    def compose(self) -> ComposeResult:
        """Title line and the document."""
        yield Static(_("Rendering the draft…"), id="preview-title")
        with VerticalScroll(id="preview-scroll"):
            yield Markdown(id="preview")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Scroll with the keyboard straight away."""
        self.query_one("#preview-scroll").focus()

    async def show(self, markdown: str, title: str) -> None:
        """Show the rendered Markdown."""
        self.markdown = markdown
        self.query_one("#preview-title", Static).update(title)
        await self.query_one("#preview", Markdown).update(markdown)


# -- the screen -----------------------------------------------------------------


class SynthesisScreen(Screen[None]):
    """Notes of one agenda item from every table, and the item's themes."""

    AUTO_FOCUS = "#notes"
    DEFAULT_CSS = """
    SynthesisScreen #synthesis-top { height: auto; }
    SynthesisScreen #item { width: 3fr; }
    SynthesisScreen #filter { width: 2fr; }
    SynthesisScreen #synthesis-body { height: 1fr; }
    SynthesisScreen #notes-pane { width: 3fr; }
    SynthesisScreen #notes { height: 1fr; }
    SynthesisScreen #note-detail {
        height: auto; max-height: 4; padding: 0 1; background: $boost;
    }
    SynthesisScreen #synthesis-status { height: 1; padding: 0 1; color: $text-muted; }
    SynthesisScreen #side { width: 2fr; min-width: 28; }
    SynthesisScreen #summary {
        height: auto; max-height: 8; padding: 0 1; border: round $secondary;
    }
    SynthesisScreen #themes { height: 1fr; min-height: 4; }
    SynthesisScreen #theme-scroll { height: 1fr; border: round $primary 50%; }
    SynthesisScreen #theme-detail { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("back"), id="synthesis.back",
                tooltip=N_("Back to the previous screen")),
        Binding("right_square_bracket", "next_item", N_("next item"), id="synthesis.next_item",
                tooltip=N_("Work on the next agenda item"), show=False),
        Binding("left_square_bracket", "previous_item", N_("previous item"),
                id="synthesis.previous_item", tooltip=N_("Work on the previous agenda item"),
                show=False),
        Binding("slash", "filter", N_("filter"), id="synthesis.filter",
                tooltip=N_("Filter notes: kind:quote q:1 #tag is:free or words")),
        Binding("space", "mark", N_("mark"), id="synthesis.mark",
                tooltip=N_("Mark or unmark the note (then assign all marked notes)")),
        Binding("a", "assign", N_("assign"), id="synthesis.assign",
                tooltip=N_("Put the marked notes (or this note) in the highlighted theme")),
        Binding("u", "unassign", N_("take out"), id="synthesis.unassign",
                tooltip=N_("Take the marked notes (or this note) out of the highlighted theme")),
        Binding("n", "new_theme", N_("new theme"), id="synthesis.new_theme",
                tooltip=N_("Create a theme for this item (with the marked notes)")),
        Binding("r", "rename", N_("rename"), id="synthesis.rename",
                tooltip=N_("Give the highlighted theme a new title")),
        Binding("e", "edit_synthesis", N_("synthesis"), id="synthesis.edit",
                tooltip=N_("Write the synthesis paragraph of the highlighted theme")),
        Binding("c", "contested", N_("contested"), id="synthesis.contested",
                tooltip=N_("Mark the highlighted theme as contested, or not")),
        Binding("less_than_sign", "move(-1)", N_("up"), id="synthesis.move_up",
                tooltip=N_("Move the highlighted theme one place up"), show=False),
        Binding("greater_than_sign", "move(1)", N_("down"), id="synthesis.move_down",
                tooltip=N_("Move the highlighted theme one place down"), show=False),
        Binding("s", "suggest", N_("suggest"), id="synthesis.suggest",
                tooltip=N_("Suggest themes: groups of similar notes from several tables")),
        Binding("m", "summary", N_("summary"), id="synthesis.summary",
                tooltip=N_("Write the summary of a keynote, panel or presentation")),
        Binding("p", "preview", N_("preview"), id="synthesis.preview",
                tooltip=N_("Render the Markdown draft of the report (kept in the drafts)")),
    ]  # fmt: skip

    def __init__(self, store_path: Path, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.store_path = Path(store_path)
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
        self._text_width = 0
        self._reads = 0
        """Number of the latest read of the item; results of older reads are dropped."""
        self._filter_timer: Timer | None = None
        self.reader = StoreGate(self.store_path)
        self.writer: WriteQueue | None = None

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
                yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)
                yield Static("", id="note-detail", markup=False)
                yield Static("", id="synthesis-status")
            with Vertical(id="side"):
                yield Static("", id="summary", markup=False)
                yield OptionList(id="themes")
                with VerticalScroll(id="theme-scroll"):
                    yield Static("", id="theme-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The write queue, then the session in a worker."""
        self.writer = WriteQueue(self.app, StoreGate(self.store_path))
        self.query_one("#summary").display = False
        self._load_session()

    def on_unmount(self) -> None:
        """Let go of the connections (in a thread: a read may still hold one)."""
        gates = [self.reader] + ([self.writer.gate] if self.writer else [])
        self.app.run_worker(lambda: [g.close() for g in gates], thread=True, exit_on_error=False)

    @work(thread=True, exclusive=True, group="synthesis-session", exit_on_error=False)
    def _load_session(self) -> None:
        try:
            session = self.reader.run(lambda s: s.get_session(self.session_id))
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title=_("Cannot open the session"), severity="error"
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
            Text.assemble((session.title, "bold"), "  ·  ", _("Synthesis"))
        )
        select = self.query_one("#item", Select)
        with select.prevent(Select.Changed):
            select.set_options((c.label, c.position) for c in self.items)
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
            self.query_one("#notes", DataTable).focus()

    def reload_item(self) -> None:
        """Read the chosen item's notes and themes again (thread worker)."""
        if self.session is not None and self.item is not None:
            self._reads += 1
            self._load_item(self.session, self.item, self._reads)

    @work(thread=True, exclusive=True, group="synthesis-load", exit_on_error=False)
    def _load_item(self, session: Session, position: int, read: int) -> None:
        try:
            data = self.reader.run(lambda s: read_item(s, session, position))
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title=_("Cannot read the notes"), severity="error"
            )
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

    def _fit_columns(self, table: DataTable) -> None:
        """Give the note text the width the other columns leave (set again on resize)."""
        fixed = sum(width + 2 * table.cell_padding for _key, _label, width in _COLUMNS)
        width = max(MIN_TEXT_WIDTH, table.size.width - fixed - 2 * table.cell_padding - 2)
        if width == self._text_width:
            return
        self._text_width = width
        table.clear(columns=True)
        for key, label, column_width in _COLUMNS:
            table.add_column(_(label) if label.strip() else label, key=key, width=column_width)
        table.add_column(_("Note"), key="text", width=width)

    def on_resize(self) -> None:
        """Fit the note text to the new width."""
        if self.data is not None:
            self.call_after_refresh(self._fill_notes)

    def _fill_notes(self) -> None:
        if self.data is None or not self.on_stack:
            return
        table = self.query_one("#notes", DataTable)
        current = self.cursor_note()
        self._fit_columns(table)
        wanted = NoteFilter.parse(self.query_one("#filter", Input).value)
        numbers = self.data.theme_numbers
        self.shown = [n for n in self.data.notes if wanted.matches(n, str(n.id) in numbers)]
        table.clear()
        previous_table = None
        for note in self.shown:
            key = str(note.id)
            first = note.table != previous_table
            previous_table = note.table
            table.add_row(
                MARK if key in self.marked else "",
                Text(str(note.table), style="bold" if first else "dim"),
                kind_symbol(note.kind),
                str(note.question or ""),
                ",".join(str(n) for n in numbers.get(key, [])),
                note.text.replace("\n", " "),
                key=key,
            )
        if current is not None and str(current.id) in {str(n.id) for n in self.shown}:
            table.move_cursor(row=table.get_row_index(str(current.id)), animate=False)
        self._show_note_detail()
        self._status()

    def cursor_note(self) -> Note | None:
        """The note under the cursor, if any."""
        table = self.query_one("#notes", DataTable)
        if not table.row_count or not self.shown:
            return None
        row = table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _status(self) -> None:
        total = len(self.data.notes) if self.data else 0
        text = _("{shown} of {total} notes · {marked} marked").format(
            shown=len(self.shown), total=total, marked=len(self.marked)
        )
        self.query_one("#synthesis-status", Static).update(text)

    @on(DataTable.RowHighlighted, "#notes")
    def _show_note_detail(self) -> None:
        note = self.cursor_note()
        detail = self.query_one("#note-detail", Static)
        if note is None:
            detail.update(_("No notes match.") if self.data and self.data.notes else "")
            return
        label = _("Table {n}").format(n=note.table)
        tags = "".join(f" #{t}" for t in note.tags)
        detail.update(f"{label} · {kind_label(note.kind.value)}: {note.text}{tags}")

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
        self.query_one("#notes", DataTable).focus()

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
            prompt = Text(f"{number}. ", style="bold")
            prompt.append(view.theme.title, style="bold")
            if view.theme.contested:
                prompt.append("  ⚡ " + _("contested"), style="bold red")
            count = len(view.theme.note_ids)
            facts = [view.coverage, ngettext("{n} note", "{n} notes", count).format(n=count)]
            if view.quotes:
                n = len(view.quotes)
                facts.append(ngettext("{n} quote", "{n} quotes", n).format(n=n))
            prompt.append("\n   " + " · ".join(facts), style="dim")
            options.add_option(Option(prompt, id=str(view.id)))
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
        language = language if language in ("nl", "en") else "en"
        text = Text(view.theme.title, style="bold")
        text.append(
            "\n"
            + view.coverage
            + " — "
            + frequency_phrase(len(view.tables), view.of, language)
            + "\n"
            + _("Tables: {tables}").format(tables=", ".join(str(t) for t in view.tables) or "—"),
            style="dim",
        )
        if view.theme.contested:
            text.append("\n" + _("Contested: the tables disagreed."), style="bold red")
        text.append("\n\n")
        if view.theme.synthesis:
            text.append(view.theme.synthesis)
        else:
            text.append(_("No synthesis yet: press e to write it."), style="italic dim")
        if view.quotes:
            text.append("\n\n" + _("Quotes") + "\n", style="bold")
            for quote in view.quotes:
                text.append(f"“{quote.text}” ", style="italic")
                text.append("(" + _("table {n}").format(n=quote.table) + ")\n", style="dim")
        detail.update(text)

    def _fill_summary(self) -> None:
        summary = self.query_one("#summary", Static)
        choice = self.choice
        show = choice is not None and choice.kind in SUMMARY_KINDS
        summary.display = show
        if show and self.data is not None:
            heading = _("Summary (m to edit)")
            body = self.data.summary or _("Not written yet.")
            summary.update(f"{heading}\n{body}")

    # -- writing ------------------------------------------------------------

    def _write(
        self,
        fn: Callable[[Store], object],
        message: str | Callable[[object], str] | None = None,
        then: Callable[[object], None] | None = None,
    ) -> None:
        """Queue a write; reload the item when it is done and say what happened."""
        assert self.writer is not None

        def done(result: object) -> None:
            if then is not None:
                then(result)
            if message:
                self.notify(message(result) if callable(message) else message)
            if self.on_stack:
                self.reload_item()

        def failed(error: DialoogError) -> None:
            self.notify(str(error), title=_("Not saved"), severity="error")

        self.writer.submit(fn, on_done=done, on_error=failed)

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
            self.query_one("#notes", DataTable).focus()
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
        table = self.query_one("#notes", DataTable)
        table.update_cell(key, "mark", MARK if key in self.marked else "")
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)
        self._status()

    def action_assign(self) -> None:
        """Put the marked notes (or the note under the cursor) in the highlighted theme."""
        self._move_notes(
            theme_store.assign_notes,
            lambda n, title: ngettext(
                "{n} note put in “{title}”.", "{n} notes put in “{title}”.", n
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

        self.app.push_screen(SuggestionsScreen(self.reader, self.session_id, item, accept))

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
        preview = PreviewScreen()
        self.app.push_screen(preview)

        def render(store: Store) -> tuple[str, int | None]:
            from dialoog.synthesis.drafts import make_draft

            rendered, draft = make_draft(store, self.session_id, template=template, fmt="md")
            return rendered.text, draft.id if draft else None

        def show(result: object) -> None:
            text, draft_id = result  # type: ignore[misc]
            title = _("Draft {id} · {template}.md (kept in the drafts; Escape goes back)").format(
                id=draft_id, template=template
            )
            if preview in self.app.screen_stack:
                self.app.call_later(preview.show, text, title)

        def failed(error: DialoogError) -> None:
            self.notify(str(error), title=_("Cannot render the draft"), severity="error")
            if preview in self.app.screen_stack:
                preview.query_one("#preview-title", Static).update(str(error))

        assert self.writer is not None
        self.writer.submit(render, on_done=show, on_error=failed)
