"""The clock for the chair of the day: start, pause, extend and end rounds, move on.

The clock lives in the database (``session_clock``), so every chair's capture
screen, in any process on the same database, follows it.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Static

from dialoog.i18n import N_, _, item_kind_label
from dialoog.models import Session
from dialoog.storage.store import ClockState, Store
from dialoog.text import terminal_safe
from dialoog.times import now
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.errors import report_worker_error
from dialoog.tui.host import Host, host_of
from dialoog.tui.timefmt import countdown_text, format_seconds

#: Minutes a round runs when its plan names no duration.
DEFAULT_MINUTES = 10
#: Seconds "extend" adds.
EXTEND_SECONDS = 5 * 60
#: Seconds within which a second ``e`` confirms ending the current item.
END_CONFIRM_SECONDS = 4.0

STATE_LABELS = {
    "idle": N_("not started"),
    "running": N_("running"),
    "paused": N_("paused"),
    "ended": N_("ended"),
}


class ClockScreen(Screen[None]):
    """The programme with the current item, its countdown, and the keys to run it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", N_("start"), id="clock.start", tooltip=N_("Start the current item")),
        Binding(
            "p",
            "pause",
            N_("pause/resume"),
            id="clock.pause",
            tooltip=N_("Pause the countdown, or resume it"),
        ),
        Binding(
            "x",
            "extend",
            N_("+5 min"),
            id="clock.extend",
            tooltip=N_("Give the current item five minutes more"),
        ),
        Binding(
            "e",
            "end",
            N_("end"),
            id="clock.end",
            tooltip=N_("End the current item (press e twice: a stray key ends nothing)"),
        ),
        Binding(
            "n",
            "move(1)",
            N_("next item"),
            id="clock.next",
            tooltip=N_("Move the programme to the next item"),
        ),
        Binding(
            "b",
            "move(-1)",
            N_("prev item"),
            id="clock.previous",
            tooltip=N_("Move the programme back to the previous item"),
        ),
        Binding(
            "o",
            "overview",
            N_("overview"),
            id="clock.overview",
            tooltip=N_("Notes of every table for the current round"),
        ),
        Binding("escape", "back", N_("back"), id="clock.back", tooltip=N_("Leave the clock")),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.session: Session | None = None
        self.clock: ClockState | None = None
        self._end_asked: tuple[int, float] | None = None
        """The item a first ``e`` asked to end, and when (monotonic seconds)."""

    @property
    def host(self) -> Host:
        """The app: its database access and where to go next."""
        return host_of(self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Loading…"), id="clock-title", classes="screen-title")
        yield Digits("--:--", id="clock-digits")
        yield Static("", id="clock-state")
        table: DataTable[object] = DataTable(id="programme", cursor_type="row")
        table.add_column("", key="mark", width=1)
        table.add_column("#", key="pos", width=2)
        table.add_column(_("Kind"), key="kind", width=18)
        table.add_column(_("Min"), key="minutes", width=4)
        table.add_column(_("Title"), key="title")
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()
        self.set_interval(1.0, self._tick, name="clock-tick")

    @work(thread=True, group="clock-load", exit_on_error=False)
    def _load(self) -> None:
        def read(store: Store) -> tuple[Session, ClockState]:
            return store.get_session(self.session_id), store.clock(self.session_id)

        try:
            session, clock = self.host.reader.run(read)
        except Exception as exc:
            report_worker_error(self, _("Cannot open the session"), exc)
            return
        self.app.call_from_thread(self._loaded, session, clock)

    def _loaded(self, session: Session, clock: ClockState) -> None:
        self.session = session
        self.query_one("#clock-title", Static).update(
            Text.assemble(
                (terminal_safe(session.title, one_line=True), "bold"),
                "  ·  ",
                _("Clock of the chair of the day"),
            )
        )
        table = self.query_one("#programme", DataTable)
        width = max(20, self.app.size.width - 40)
        for pos, item in enumerate(session.plan.agenda, start=1):
            title = Text(terminal_safe(item.title, one_line=True))
            title.truncate(width, overflow="ellipsis")
            table.add_row(
                "",
                str(pos),
                item_kind_label(item.kind.value),
                str(item.duration_minutes or ""),
                title,
                key=str(pos),
            )
        self._show(clock)
        table.focus()

    def _tick(self) -> None:
        self._show(self.clock)
        self._poll()

    @work(thread=True, exclusive=True, group="clock-poll", exit_on_error=False)
    def _poll(self) -> None:
        try:
            clock = self.host.reader.run(lambda s: s.clock(self.session_id))
        except Exception:
            return
        self.app.call_from_thread(self._show, clock)

    def _show(self, clock: ClockState | None) -> None:
        if clock is None or self.session is None:
            return
        previous = self.clock.current_item if self.clock else None
        self.clock = clock
        left = clock.seconds_left()
        digits = self.query_one("#clock-digits", Digits)
        digits.update(format_seconds(left) if left is not None else "--:--")
        digits.set_class(left is not None and left < 0, "-over")
        item_text = (
            f"{clock.current_item}. {self.session.item(clock.current_item).title}"
            if clock.current_item
            else _("No item started yet")
        )
        item_text = terminal_safe(item_text, one_line=True)
        self.query_one("#clock-state", Static).update(
            Text.assemble(
                (item_text, "bold"),
                "  ·  ",
                _(STATE_LABELS.get(clock.state, clock.state)),
                "  ",
                countdown_text(clock),
            )
        )
        table = self.query_one("#programme", DataTable)
        if previous != clock.current_item:
            if previous and str(previous) in table.rows:
                table.update_cell(str(previous), "mark", "")
            if clock.current_item and str(clock.current_item) in table.rows:
                table.update_cell(str(clock.current_item), "mark", Text("▶", style="bold"))
                table.move_cursor(row=clock.current_item - 1, animate=False)
        elif clock.current_item and str(clock.current_item) in table.rows:
            table.update_cell(str(clock.current_item), "mark", Text("▶", style="bold"))

    # -- writes ---------------------------------------------------------------

    def _write(self, current_item: int | None, state: str, **kw: object) -> None:
        session_id = self.session_id

        def write(store: Store) -> ClockState:
            return store.set_clock(session_id, current_item=current_item, state=state, **kw)  # type: ignore[arg-type]

        self.host.writer.submit(write, on_done=self._show)

    def _current(self) -> int:
        return (self.clock.current_item if self.clock else None) or 1

    def action_start(self) -> None:
        """Start the current item (or resume it when paused)."""
        if self.session is None:
            return
        if self.clock and self.clock.state == "paused" and self.clock.remaining_s is not None:
            self.action_pause()
            return
        position = self._current()
        minutes = self.session.item(position).duration_minutes or DEFAULT_MINUTES
        self._write(position, "running", ends_at=now() + dt.timedelta(minutes=minutes))

    def action_pause(self) -> None:
        """Pause a running countdown, or resume a paused one."""
        clock = self.clock
        if clock is None or self.session is None:
            return
        if clock.state == "running":
            self._write(clock.current_item, "paused", remaining_s=clock.seconds_left())
        elif clock.state == "paused" and clock.remaining_s is not None:
            ends = now() + dt.timedelta(seconds=clock.remaining_s)
            self._write(clock.current_item, "running", ends_at=ends)
        else:
            self.notify(_("The clock is not running."), severity="warning")

    def action_extend(self) -> None:
        """Five more minutes for the current item."""
        clock = self.clock
        if clock is None:
            return
        if clock.state == "running" and clock.ends_at is not None:
            ends = clock.ends_at + dt.timedelta(seconds=EXTEND_SECONDS)
            self._write(clock.current_item, "running", ends_at=ends)
        elif clock.state == "paused" and clock.remaining_s is not None:
            self._write(
                clock.current_item, "paused", remaining_s=clock.remaining_s + EXTEND_SECONDS
            )
        else:
            self.notify(_("Start the item first (s)."), severity="warning")

    def action_end(self) -> None:
        """End the current item, once ``e`` is pressed a second time within a few seconds.

        A stray ``e`` would otherwise stop the round of every table at once.
        """
        if self.clock is None:
            return
        position = self.clock.current_item or 1
        asked, self._end_asked = self._end_asked, None
        if (
            asked is not None
            and asked[0] == position
            and time.monotonic() - asked[1] <= END_CONFIRM_SECONDS
        ):
            self._write(position, "ended")
            return
        self._end_asked = (position, time.monotonic())
        self.notify(
            _("Press e again within {n} seconds to end item {item}.").format(
                n=int(END_CONFIRM_SECONDS), item=position
            ),
            title=_("End this item?"),
            severity="warning",
            timeout=END_CONFIRM_SECONDS,
        )

    def action_move(self, step: int) -> None:
        """Move the programme to the next or previous item (its clock not started)."""
        if self.session is None:
            return
        target = self._current() + step if self.clock and self.clock.current_item else 1
        if 1 <= target <= len(self.session.plan.agenda):
            self._write(target, "idle")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an item: make it the current one."""
        event.stop()
        self._write(int(str(event.row_key.value)), "idle")

    def action_overview(self) -> None:
        """Open the overview of every table."""
        self.host.open_overview(self.session_id)

    def action_back(self) -> None:
        """Leave the clock."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
