"""What the synthesis screen shows, without Textual: the note filter, an item's data, its rows.

:class:`NoteFilter` reads the filter box (``kind:quote q:1 #tag is:free words``);
:func:`read_item` reads one agenda item's notes (sorted by table), its themes with
their coverage and quotes, and its summary, in one go from a thread worker; the
other functions turn those into the rows and texts of the lists (rich text only),
so they can be tested without a terminal. User text in them is never markup and
its control characters are made visible (:mod:`dialoog.tui.safe`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.text import Text

from dialoog.i18n import _, item_kind_label, kind_label, ngettext
from dialoog.models import ItemKind, Note, NoteKind, Session, Theme
from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.synthesis.context import frequency_phrase
from dialoog.text import fold, terminal_safe
from dialoog.tui.kinds import kind_symbol
from dialoog.tui.safe import safe_cell

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
#: Longest label of an agenda item in the item choice.
ITEM_LABEL_WIDTH = 64
#: Shown in the first column of a marked note.
MARK = "●"


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
        """``4. conversation round: Gespreksronde 1: …``, shortened to fit one line.

        Plain text, escapes made visible: show it as :class:`~rich.text.Text`, never markup.
        """
        title = terminal_safe(self.title, one_line=True)
        label = f"{self.position}. {item_kind_label(self.kind.value)}: {title}"
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


# -- how the lists show it (rich text, no widgets) -----------------------------


def note_rows(
    notes: Iterable[Note], marked: set[str], theme_numbers: dict[str, list[int]]
) -> list[tuple[str, tuple[str | Text, ...]]]:
    """The note list's rows: ``(note id, cells)``, cells in the order of the columns.

    The table number is bold on the first note of each table, dim on the others,
    so the eye finds where a table's notes begin.
    """
    rows: list[tuple[str, tuple[str | Text, ...]]] = []
    previous_table = None
    for note in notes:
        key = str(note.id)
        first = note.table != previous_table
        previous_table = note.table
        cells = (
            MARK if key in marked else "",
            Text(str(note.table), style="bold" if first else "dim"),
            kind_symbol(note.kind),
            str(note.question or ""),
            ",".join(str(n) for n in theme_numbers.get(key, [])),
            safe_cell(note.text),
        )
        rows.append((key, cells))
    return rows


def note_detail(note: Note) -> Text:
    """The full note below the list: ``Table 3 · quote: … #tag``."""
    label = _("Table {n}").format(n=note.table)
    tags = "".join(f" #{t}" for t in note.tags)
    return Text(terminal_safe(f"{label} · {kind_label(note.kind.value)}: {note.text}{tags}"))


def theme_prompt(number: int, view: ThemeView) -> Text:
    """A theme in the side list: number, title, contested, then coverage and counts."""
    prompt = Text(f"{number}. ", style="bold")
    prompt.append(terminal_safe(view.theme.title, one_line=True), style="bold")
    if view.theme.contested:
        prompt.append("  ⚡ " + _("contested"), style="bold red")
    count = len(view.theme.note_ids)
    facts = [view.coverage, ngettext("{n} note", "{n} notes", count).format(n=count)]
    if view.quotes:
        n = len(view.quotes)
        facts.append(ngettext("{n} quote", "{n} quotes", n).format(n=n))
    prompt.append("\n   ")
    prompt.append_text(coverage_bar(len(view.tables), view.of))
    prompt.append(" " + " · ".join(facts), style="dim")
    return prompt


#: Widest the coverage bar gets; with more tables a cell stands for several.
COVERAGE_WIDTH = 10


def coverage_bar(covered: int, of: int, width: int = COVERAGE_WIDTH) -> Text:
    """``4 of 7 tables`` as a small bar: one cell a table (up to ``width`` cells)."""
    cells = max(1, min(of, width))
    full = 0 if of <= 0 else round(cells * covered / of)
    if covered and not full:
        full = 1  # one table is not nothing
    bar = Text("█" * full, style="green")
    bar.append("░" * (cells - full), style="dim")
    return bar


def theme_detail(view: ThemeView, language: str) -> Text:
    """The highlighted theme in full: coverage in words, tables, synthesis and quotes.

    Args:
        view: the theme.
        language: the session's language (``nl`` or ``en``; others read as ``en``),
            in which the frequency phrase of the report is written.
    """
    language = language if language in ("nl", "en") else "en"
    text = Text(terminal_safe(view.theme.title, one_line=True), style="bold")
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
        text.append(terminal_safe(view.theme.synthesis))
    else:
        text.append(_("No synthesis yet: press e to write it."), style="italic dim")
    if view.quotes:
        text.append("\n\n" + _("Quotes") + "\n", style="bold")
        for quote in view.quotes:
            text.append(f"“{terminal_safe(quote.text)}” ", style="italic")
            text.append("(" + _("table {n}").format(n=quote.table) + ")\n", style="dim")
    return text
