"""The overview for the chair of the day: notes per table and the latest notes.

A thread worker reads the counts and the latest notes every second; the
screen stays responsive however many notes the session holds. Per table, a
sparkline of notes per minute in the current round and the time since its last
note (:mod:`dialoog.tui.pulse`) make a silent table stand out.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.color import Color
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.renderables.sparkline import Sparkline
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dialoog.i18n import N_, _
from dialoog.models import Note, Session
from dialoog.storage.store import ClockState, Store
from dialoog.text import terminal_safe
from dialoog.times import now
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.errors import report_worker_error
from dialoog.tui.host import Host, host_of
from dialoog.tui.kinds import kind_symbol
from dialoog.tui.pulse import MINUTES, per_minute, since_last
from dialoog.tui.widgets.rows_table import RowsTable

#: A note saved at a table must be on the overview within two seconds (issue 10):
#: one read a second leaves room for the read and the drawing, even under load.
REFRESH_SECONDS = 1.0
LATEST = 100
#: Read together with the counts: the time read, and per table the times of its
#: notes in the last minutes and of its last note in the round (None: no round).
Activity = tuple[dt.datetime, dict[int, list[dt.datetime]], dict[int, dt.datetime]] | None
#: Sparkline colours: a quiet minute grey, the busiest minute green.
_QUIET = Color.parse("#606060")
_BUSY = Color.parse("#3fb950")


class OverviewScreen(Screen[None]):
    """For the current round: notes per table, and the latest notes of every table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("back"), id="overview.back", tooltip=N_("Leave the overview")),
        Binding("r", "refresh", N_("refresh"), id="overview.refresh", tooltip=N_("Read again now")),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.session: Session | None = None
        self.latest_ids: list[str] = []

    @property
    def host(self) -> Host:
        """The app: its database access and where to go next."""
        return host_of(self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Loading…"), id="overview-title", classes="screen-title")
        with Horizontal(id="overview-body"):
            counts: DataTable[object] = DataTable(id="overview-counts", cursor_type="row")
            counts.add_column(_("Table"), key="table", width=5)
            counts.add_column(_("Item"), key="item", width=5)
            counts.add_column(_("All"), key="all", width=5)
            counts.add_column(_("Per minute"), key="pulse", width=MINUTES)
            counts.add_column(_("Last"), key="last", width=9)
            yield counts
            yield RowsTable(
                [(_("Time"), 5), (_("T"), 3), ("", 1), (_("Note"), None)], id="overview-latest"
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_data()
        self.set_interval(REFRESH_SECONDS, self.refresh_data, name="overview-refresh")

    def action_refresh(self) -> None:
        """Read again now."""
        self.refresh_data()

    def refresh_data(self) -> None:
        """Start a worker that reads counts and latest notes."""
        self._read()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def _read(self) -> None:
        def read(
            store: Store,
        ) -> tuple[Session, ClockState, dict[int, int], dict[int, int], list[Note], Activity]:
            session = self.session or store.get_session(self.session_id)
            clock = store.clock(self.session_id)
            item = clock.current_item
            per_item = store.count_notes(self.session_id, item=item) if item else {}
            total = store.count_notes(self.session_id)
            latest = store.list_notes(self.session_id, item=item, limit=LATEST, newest_first=True)
            at = now()
            since = at - dt.timedelta(minutes=MINUTES)
            activity = (at, *store.note_activity(self.session_id, item, since)) if item else None
            return session, clock, per_item, total, latest, activity

        try:
            result = self.host.reader.run(read)
        except Exception as exc:
            report_worker_error(self, _("Cannot read the notes"), exc)
            return
        self.app.call_from_thread(self._fill, *result)

    def _fill(
        self,
        session: Session,
        clock: ClockState,
        per_item: dict[int, int],
        total: dict[int, int],
        latest: list[Note],
        activity: Activity = None,
    ) -> None:
        self.session = session
        item = clock.current_item
        heading = Text.assemble((terminal_safe(session.title, one_line=True), "bold"), "  ·  ")
        if item:
            title = terminal_safe(session.item(item).title, one_line=True)
            heading.append(_("Overview of {n}. {title}").format(n=item, title=title))
        else:
            heading.append(_("Overview: no item started yet"))
        self.query_one("#overview-title", Static).update(heading)
        counts = self.query_one("#overview-counts", DataTable)
        row = counts.cursor_row
        counts.clear()
        for t in session.plan.tables:
            n = per_item.get(t.number, 0)
            counts.add_row(
                str(t.number),
                Text(str(n), style="bold" if n else "dim"),
                str(total.get(t.number, 0)),
                *self._pulse(t.number, clock, activity),
                key=str(t.number),
            )
        counts.move_cursor(row=row, animate=False)
        ids = [str(n.id) for n in latest]
        if ids == self.latest_ids:
            return
        self.latest_ids = ids
        # Only the rows on screen are drawn; the table cuts each text to its width.
        self.query_one("#overview-latest", RowsTable).set_rows(
            (
                str(note.id),
                [
                    note.created_at.astimezone().strftime("%H:%M"),
                    str(note.table),
                    kind_symbol(note.kind),
                    Text(terminal_safe(note.text.partition("\n")[0][:300], one_line=True)),
                ],
            )
            for note in latest
        )

    @staticmethod
    def _pulse(table: int, clock: ClockState, activity: Activity) -> tuple[object, Text]:
        """The sparkline of a table's notes per minute, and the time since its last note."""
        if activity is None:
            return Text(""), Text("")
        at, recent, last = activity
        counts = per_minute(recent.get(table, []), at)
        line = Sparkline(counts, width=MINUTES, min_color=_QUIET, max_color=_BUSY)
        running = clock.state == "running"
        return line, since_last(last.get(table), at, running=running, round_from=clock.updated_at)

    def action_back(self) -> None:
        """Leave the overview."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
