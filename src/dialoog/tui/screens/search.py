"""The search screen: find what was said in any session, then open it in context.

Type words in the box; parts of Dutch compounds count (``veiligheid`` finds
``verkeersveiligheid``, see :mod:`dialoog.history.search`). Filters go in the
same box, Dutch or English names, for example::

    veiligheid soort:citaat tafel:3 ronde:1 #knelpunt van:2015-02 tot:2015-06

The session choice beside the box narrows to one session. The search runs in a
thread worker a quarter of a second after typing pauses, never on the event
loop; results are ranked, each with its session, agenda item and table. Enter
on a note opens the capture screen of its table at its agenda item with the
note selected; ``v`` shows it read-only with its revisions and the notes
around it. Themes, summaries and drafts open read-only.

Reads go through the app's reader, only from thread workers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gettext
import re
from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Select, Static
from textual.worker import get_current_worker

from dialoog.history.search import SearchFilters, SearchHit, search
from dialoog.i18n import DOMAIN, KIND_LABELS, LOCALE_DIR, N_, _, kind_label, ngettext
from dialoog.models import NoteKind, Session
from dialoog.text import fold, terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.dialogs.hit import HitScreen
from dialoog.tui.host import Host, host_of
from dialoog.tui.kinds import kind_symbol
from dialoog.tui.safe import safe_cell, safe_notify, safe_text

#: Seconds of no typing before the search runs.
SEARCH_DELAY = 0.25
#: Most results shown.
RESULT_LIMIT = 200

_TOKEN = re.compile(r'"[^"]*"?|\S+')
_FILTER_NAMES = {
    "kind": ("kind", "k", "soort", "s"),
    "table": ("table", "t", "tafel"),
    "item": ("item", "i", "agendapunt", "punt"),
    "round": ("round", "r", "ronde", "gespreksronde"),
    "tag": ("tag", "label"),
    "session": ("session", "sessie", "bijeenkomst"),
    "series": ("series", "reeks"),
    "from": ("from", "since", "van", "vanaf"),
    "to": ("to", "until", "tot", "totenmet"),
}
_FILTER_BY_NAME = {name: key for key, names in _FILTER_NAMES.items() for name in names}


def _kind_names() -> dict[NoteKind, tuple[str, ...]]:
    """Names a kind answers to: English, the interface language and Dutch, folded."""
    dutch = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=["nl"], fallback=True)
    return {
        kind: tuple(
            {
                fold(kind.value),
                fold(kind_label(kind.value)),
                fold(dutch.gettext(KIND_LABELS[kind.value])),
            }
        )
        for kind in NoteKind
    }


def _kind(value: str) -> NoteKind | None:
    """The kind ``value`` names (a whole name, else an unambiguous start), or None."""
    wanted = fold(value)
    names = _kind_names()
    exact = [k for k, ns in names.items() if wanted in ns]
    if exact:
        return exact[0]
    starts = [k for k, ns in names.items() if any(n.startswith(wanted) for n in ns)]
    return starts[0] if len(starts) == 1 else None


def _date(value: str, last: bool) -> dt.date | None:
    """``2015``, ``2015-02`` or ``2015-02-19``; a year or month means its first or last day."""
    parts = value.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return None
    try:
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        year = int(parts[0])
        if len(parts) == 2:
            month = int(parts[1])
            day = calendar.monthrange(year, month)[1] if last else 1
            return dt.date(year, month, day)
        return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
    except ValueError:
        return None


@dataclass(frozen=True)
class SearchRequest:
    """What the search box asks for: the words, the filters, and what could not be read."""

    query: str
    filters: SearchFilters
    problems: tuple[str, ...] = field(default=())

    @classmethod
    def parse(cls, text: str, session: str | None = None) -> SearchRequest:
        """Read the search box; ``session`` is the session chosen beside it (a filter wins).

        Words (and ``"quoted phrases"``) are searched; ``name:value`` filters and
        ``#tag`` narrow. An unknown filter name is searched as a word.
        """
        words: list[str] = []
        problems: list[str] = []
        f = SearchFilters(session=session)
        for token in _TOKEN.findall(text):
            name, colon, value = token.partition(":")
            key = _FILTER_BY_NAME.get(fold(name)) if colon and not token.startswith('"') else None
            if token.startswith("#") and len(token) > 1:
                f = replace(f, tag=token[1:])
            elif key is None:
                words.append(token)
            elif not value:
                continue  # still being typed
            elif key == "kind":
                kind = _kind(value)
                if kind is None:
                    problems.append(_("unknown kind: {value}").format(value=value))
                else:
                    f = replace(f, kind=kind)
            elif key == "table":
                if value.isdigit():
                    f = replace(f, table=int(value))
                else:
                    problems.append(_("a table is a number: {value}").format(value=value))
            elif key == "item":
                f = replace(f, item=value)
            elif key == "round":
                f = replace(f, item=f"round {value}" if value.isdigit() else value)
            elif key == "tag":
                f = replace(f, tag=value)
            elif key == "session":
                f = replace(f, session=value)
            elif key == "series":
                f = replace(f, series=value)
            else:
                day = _date(value, last=key == "to")
                if day is None:
                    problems.append(_("not a date (YYYY-MM-DD): {value}").format(value=value))
                else:
                    f = replace(f, **{"date_from" if key == "from" else "date_to": day})
        return cls(" ".join(words), f, tuple(problems))


def _place(hit: SearchHit) -> str:
    """Agenda item of a hit, short: ``4 ronde-1``."""
    if hit.item is None:
        return ""
    return f"{hit.item} {hit.item_key or hit.item_title or ''}".strip()


_SOURCE_LABELS = {
    "theme": N_("theme"),
    "summary": N_("summary"),
    "draft": N_("draft"),
}


class SearchScreen(Screen[None]):
    """Search every session (or one), ranked results, Enter opens a note in context."""

    AUTO_FOCUS = "#query"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("back"), id="search.back",
                tooltip=N_("Back to the previous screen")),
        Binding("ctrl+f,slash", "focus_query", N_("search"), id="search.focus",
                tooltip=N_("Type in the search box (words, kind:quote table:3 round:1 #tag)")),
        Binding("down", "results", N_("results"), id="search.results", show=False,
                tooltip=N_("From the search box down to the results")),
        Binding("v", "view", N_("view"), id="search.view",
                tooltip=N_("Show the result read-only, with its revisions and neighbouring notes")),
    ]  # fmt: skip

    def __init__(self, session_id: str | None = None) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        """The session searched in (None: every session)."""
        self.hits: list[SearchHit] = []
        """The results on screen, best first."""
        self.shown: SearchRequest | None = None
        """The request whose results are on screen (None before the first search)."""
        self._timer: Timer | None = None
        self._generation = 0
        self._text_width = 40

    @property
    def host(self) -> Host:
        """The app: its database access and where to go next."""
        return host_of(self.app)

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Search box and session choice; results; the highlighted result; status."""
        yield Static(_("Search every session"), id="search-title", classes="screen-title")
        with Horizontal(id="search-top"):
            yield Input(
                placeholder=_("Words or parts of words; filters: kind:quote table:3 round:1 #tag"),
                id="query",
                compact=True,
            )
            yield Select[str]([], prompt=_("All sessions"), allow_blank=True, id="session",
                              compact=True)  # fmt: skip
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield Static("", id="hit-detail", markup=False)
        yield Static(_("Type a word to search."), id="search-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Columns, and the sessions for the choice."""
        table = self.query_one("#results", DataTable)
        # The other columns take 46 cells, 12 more for padding, 2 for the scroll bar.
        self._text_width = max(20, self.app.size.width - 60)
        table.add_column(_("Date"), key="date", width=10)
        table.add_column(_("Session"), key="session", width=18)
        table.add_column(_("Item"), key="item", width=12)
        table.add_column(_("Table"), key="table", width=5)
        table.add_column(" ", key="kind", width=1)
        table.add_column(_("Text"), key="text", width=self._text_width)
        self.query_one("#hit-detail").display = False
        self._load_sessions()

    @work(thread=True, group="search-sessions", exit_on_error=False)
    def _load_sessions(self) -> None:
        try:
            sessions = self.host.reader.run(lambda s: s.list_sessions())
        except Exception as exc:
            self.app.call_from_thread(
                safe_notify, self, str(exc), title=_("Cannot read the sessions"), severity="error"
            )
            return
        self.app.call_from_thread(self._fill_sessions, sessions)

    def _fill_sessions(self, sessions: list[Session]) -> None:
        select = self.query_one("#session", Select)
        options = [
            (safe_cell(f"{s.date.isoformat() if s.date else '—'}  {s.title}"), s.id)
            for s in sessions
        ]
        with self.prevent(Select.Changed):
            select.set_options(options)
            if self.session_id is not None and any(v == self.session_id for _l, v in options):
                select.value = self.session_id

    # -- searching ----------------------------------------------------------

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        """Search once typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self.start_search)

    @on(Select.Changed, "#session")
    def _session_chosen(self, event: Select.Changed) -> None:
        self.session_id = None if event.value is Select.BLANK else str(event.value)
        self.start_search()

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        """Enter in the box: search now if still waiting, and go to the results."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.start_search()
        self.action_results()

    def start_search(self) -> None:
        """Read the box and search in a worker; older searches' results are dropped."""
        self._timer = None
        self._generation += 1
        request = SearchRequest.parse(self.query_one("#query", Input).value, self.session_id)
        status = self.query_one("#search-status", Static)
        if request.problems:
            status.update(safe_text("; ".join(request.problems), "bold red"))
            return
        if not request.query.strip(' "'):
            self._show(self._generation, request, [])
            status.update(_("Type a word to search."))
            return
        status.update(_("Searching…"))
        self._search(self._generation, request)

    @work(thread=True, exclusive=True, group="search-run", exit_on_error=False)
    def _search(self, generation: int, request: SearchRequest) -> None:
        try:
            hits = self.host.reader.run(
                lambda s: search(s, request.query, request.filters, limit=RESULT_LIMIT)
            )
        except Exception as exc:  # a bad filter value, or the database itself
            self.app.call_from_thread(self._failed, generation, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, generation, request, hits)

    def _failed(self, generation: int, reason: str) -> None:
        if generation == self._generation:
            self.query_one("#search-status", Static).update(safe_text(reason, "bold red"))

    def _show(self, generation: int, request: SearchRequest, hits: list[SearchHit]) -> None:
        if generation != self._generation:
            return  # typed on since: a newer search is coming
        self.hits = hits
        self.shown = request
        table = self.query_one("#results", DataTable)
        table.clear()
        for n, hit in enumerate(hits):
            snippet = terminal_safe(hit.snippet, one_line=True)
            text = Text(snippet.replace("«", "").replace("»", ""), no_wrap=True)
            for term in re.findall(r"«([^»]*)»", snippet):
                text.highlight_words([term], style="bold reverse", case_sensitive=False)
            text.truncate(self._text_width, overflow="ellipsis")
            table.add_row(
                safe_cell(hit.session_date),
                safe_cell(hit.session_title or hit.session_id),
                safe_cell(_place(hit)),
                str(hit.table) if hit.table is not None else "",
                kind_symbol(hit.kind) if hit.kind else Text("◆", style="dim"),
                text,
                key=str(n),
            )
        status = self.query_one("#search-status", Static)
        if hits:
            more = len(hits) >= RESULT_LIMIT
            status.update(
                _("{n}+ results, best first").format(n=len(hits))
                if more
                else ngettext("{n} result", "{n} results, best first", len(hits)).format(
                    n=len(hits)
                )
            )
            table.move_cursor(row=0, animate=False)
        else:
            status.update(_("Nothing found."))
        self._show_detail()

    # -- the highlighted result -----------------------------------------------

    def selected(self) -> SearchHit | None:
        """The highlighted result."""
        table = self.query_one("#results", DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.hits):
            return None
        return self.hits[table.cursor_row]

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#hit-detail", Static)
        hit = self.selected()
        detail.display = hit is not None
        if hit is None:
            return
        where = [hit.session_title or hit.session_id or ""]
        if hit.item is not None:
            where.append(f"{hit.item}. {hit.item_title or ''}".strip())
        if hit.table is not None:
            where.append(_("Table {n}").format(n=hit.table))
        what = kind_label(hit.kind) if hit.kind else _(_SOURCE_LABELS.get(hit.source, hit.source))
        detail.update(safe_text(f"{' · '.join(where)} · {what}\n{hit.text}"))

    @on(DataTable.RowSelected, "#results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a result: open it in context."""
        event.stop()
        hit = self.selected()
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        """A note: its table's capture screen at its item, the note selected; else read-only."""
        if (
            hit.source == "note"
            and hit.session_id is not None
            and hit.table is not None
            and hit.item is not None
        ):
            self.host.open_capture(hit.session_id, hit.table, item=hit.item, focus_note_id=hit.id)
        else:
            self.app.push_screen(HitScreen(hit))

    # -- actions ----------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()

    def action_focus_query(self) -> None:
        """Type in the search box."""
        self.query_one("#query", Input).focus()

    def action_results(self) -> None:
        """Go to the results (from the search box)."""
        table = self.query_one("#results", DataTable)
        if table.row_count:
            table.focus()

    def action_view(self) -> None:
        """Show the highlighted result read-only."""
        if isinstance(self.focused, Input):
            return
        hit = self.selected()
        if hit is not None:
            self.app.push_screen(HitScreen(hit))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``v`` and ``down`` belong to the box while typing there."""
        typing = isinstance(self.focused, Input)
        if action == "view":
            return not typing
        if action == "results":
            return typing
        return True
