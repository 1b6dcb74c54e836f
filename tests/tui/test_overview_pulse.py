"""The overview shows per table a sparkline of notes per minute and the time since its last note.

The chair of the day would rather look than read (issue 15): a table that has
been silent for minutes while the round runs stands out in red.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.renderables.sparkline import Sparkline
from textual.widgets import DataTable
from tui_pilot import SESSION, settle

from dialoog.storage.notes import NewNote
from dialoog.storage.store import Store
from dialoog.tui.app import create_app
from dialoog.tui.pulse import MINUTES, SILENT_MINUTES, per_minute, since_last
from dialoog.tui.screens.overview import OverviewScreen

AT = dt.datetime(2026, 3, 30, 10, 30, tzinfo=dt.UTC)


def minutes_ago(*minutes: float) -> list[dt.datetime]:
    """Times that many minutes before AT."""
    return [AT - dt.timedelta(minutes=m) for m in minutes]


def test_notes_per_minute_oldest_first() -> None:
    counts = per_minute(minutes_ago(0.1, 0.5, 1.5, 14.5, 20), AT)
    assert len(counts) == MINUTES
    assert counts[-1] == 2  # this minute
    assert counts[-2] == 1
    assert counts[0] == 1  # fourteen minutes ago; twenty is off the line
    assert sum(counts) == 4


def test_a_silent_table_in_a_running_round_is_red() -> None:
    quiet = since_last(minutes_ago(SILENT_MINUTES + 2)[0], AT, running=True)
    assert quiet.plain == f"⚠ {SILENT_MINUTES + 2} min" and "red" in str(quiet.style)
    busy = since_last(minutes_ago(0.2)[0], AT, running=True)
    assert busy.plain == "<1 min" and "red" not in str(busy.style)
    # after the round, silence is no alarm
    assert "red" not in str(since_last(minutes_ago(30)[0], AT, running=False).style)


def test_a_table_without_notes_is_silent_only_some_minutes_into_the_round() -> None:
    just_started = since_last(None, AT, running=True, round_from=minutes_ago(1)[0])
    assert just_started.plain == "none yet" and "red" not in str(just_started.style)
    long_quiet = since_last(None, AT, running=True, round_from=minutes_ago(8)[0])
    assert long_quiet.plain == "⚠ none yet" and "red" in str(long_quiet.style)


async def test_the_overview_draws_a_pulse_per_table(db_path: Path, store: Store) -> None:
    store.set_clock(SESSION, current_item=4, state="running", ends_at=AT + dt.timedelta(days=1))
    store.add_notes(SESSION, [NewNote(table=1, item=4, text=f"notitie {i}") for i in range(3)])
    store.add_notes(SESSION, [NewNote(table=3, item=4, text="één")])
    app = create_app(db_path, session_id=SESSION)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_overview(SESSION)
        for _ in range(50):
            await settle(pilot)
            if isinstance(app.screen, OverviewScreen) and app.screen.session is not None:
                break
        counts = app.screen.query_one("#overview-counts", DataTable)
        line = counts.get_cell("1", "pulse")
        assert isinstance(line, Sparkline)
        assert list(line.data)[-1] == 3 and sum(line.data) == 3
        assert sum(counts.get_cell("3", "pulse").data) == 1
        assert sum(counts.get_cell("2", "pulse").data) == 0
        assert str(counts.get_cell("1", "last")) == "<1 min"
        assert str(counts.get_cell("2", "last")) == "none yet"
