"""Pilot tests of home, table picker, clock, overview and the command palette."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Digits
from tui_pilot import SESSION, ready, settle, type_note

from dialoog.plans import find_plan
from dialoog.storage.store import NewNote, Store
from dialoog.tui.app import DialoogApp, create_app
from dialoog.tui.dialogs.plan_picker import PlanPickerScreen
from dialoog.tui.screens.capture import CaptureScreen
from dialoog.tui.screens.clock import ClockScreen
from dialoog.tui.screens.home import HomeScreen, TablePickerScreen
from dialoog.tui.screens.overview import OverviewScreen
from dialoog.tui.widgets.rows_table import RowsTable


async def wait_for_screen(pilot: Pilot, kind: type) -> object:
    """Wait until the active screen is of ``kind``."""
    for _ in range(50):
        await settle(pilot)
        if isinstance(pilot.app.screen, kind):
            await settle(pilot)
            return pilot.app.screen
    raise AssertionError(f"no {kind.__name__}")


async def test_home_lists_sessions_and_opens_a_table(db_path: Path, store: Store) -> None:
    store.add_note(SESSION, NewNote(table=3, item=1, text="al iets"))
    later = find_plan("skills").model_copy(update={"date": dt.date(2016, 1, 1)})
    store.create_session(later)
    app = create_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await wait_for_screen(pilot, HomeScreen)
        table = home.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert table.get_row_at(0)[0] == "2016-01-01"  # newest first
        assert table.get_row_at(1)[4] == "1"  # its note count
        await pilot.press("down", "enter")
        picker = await wait_for_screen(pilot, TablePickerScreen)
        tables = picker.query_one("#tables", DataTable)
        assert tables.row_count == 8
        assert tables.get_row_at(2)[3] == "1"
        await pilot.press("down", "down", "enter")
        screen = await ready(pilot)
        assert (screen.session_id, screen.table) == (SESSION, 3)
        await type_note(pilot, "vanuit home")
        await pilot.press("escape")  # leave the table: back to the picker
        await wait_for_screen(pilot, TablePickerScreen)
        assert tables.get_row_at(2)[3] == "2"
        await pilot.press("escape")
        await wait_for_screen(pilot, HomeScreen)


async def test_new_session_from_plan(db_path: Path, store: Store) -> None:
    app = create_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("n")
        picker = await wait_for_screen(pilot, PlanPickerScreen)
        skills = next(i for i, p in enumerate(picker.plans) if p.slug == "skills")
        await pilot.press(*["down"] * skills, "enter")
        await wait_for_screen(pilot, TablePickerScreen)
    assert {s.id for s in store.list_sessions()} == {SESSION, f"{SESSION}-2"}


async def test_command_palette_opens_session(db_path: Path) -> None:
    app = create_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Open session: Dialoog")
        await pilot.pause(0.5)
        await pilot.press("enter")
        picker = await wait_for_screen(pilot, TablePickerScreen)
        assert picker.session_id == SESSION


async def test_clock_screen_runs_the_programme(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, clock=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, ClockScreen)
        await pilot.press("n")  # idle programme: to the first item
        await settle(pilot)
        assert store.clock(SESSION).current_item == 1
        await pilot.press("n", "n", "n")
        await settle(pilot)
        assert store.clock(SESSION).current_item == 4
        await pilot.press("s")
        await settle(pilot)
        clock = store.clock(SESSION)
        assert clock.state == "running"
        assert 44 * 60 < clock.seconds_left() <= 45 * 60  # ronde-1 lasts 45 minutes
        await pilot.press("x")
        await settle(pilot)
        assert 49 * 60 < store.clock(SESSION).seconds_left() <= 50 * 60
        await pilot.press("p")
        await settle(pilot)
        paused = store.clock(SESSION)
        assert paused.state == "paused"
        assert 49 * 60 < paused.remaining_s <= 50 * 60
        await pilot.press("p")
        await settle(pilot)
        assert store.clock(SESSION).state == "running"
        assert str(screen.query_one(Digits).value).startswith(("50:00", "49:5"))
        await pilot.press("e", "e")  # a second e confirms
        await settle(pilot)
        assert store.clock(SESSION).state == "ended"
        await pilot.press("b")
        await settle(pilot)
        assert (store.clock(SESSION).current_item, store.clock(SESSION).state) == (3, "idle")


async def test_capture_follows_clock_screen_in_same_app(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=2)
    async with app.run_test(size=(100, 30)) as pilot:
        capture = await ready(pilot)
        assert isinstance(app, DialoogApp)
        app.open_clock(SESSION)
        await wait_for_screen(pilot, ClockScreen)
        await pilot.press("n", "n")
        await settle(pilot)
        await pilot.press("escape")
        await wait_for_screen(pilot, CaptureScreen)
        await pilot.pause(1.2)
        await settle(pilot)
        assert capture.item == 2


async def test_overview_counts_and_latest(db_path: Path, store: Store) -> None:
    store.set_clock(SESSION, current_item=4, state="idle")
    store.add_notes(
        SESSION,
        [NewNote(table=t, item=4, text=f"tafel {t} notitie {i}") for t in (1, 3) for i in (1, 2)]
        + [NewNote(table=5, item=1, text="bij de opening")],
    )
    app = create_app(db_path, session_id=SESSION, table=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        screen = await wait_for_screen(pilot, OverviewScreen)
        counts = screen.query_one("#overview-counts", DataTable)
        assert counts.row_count == 8
        assert str(counts.get_row_at(0)[1]) == "2"
        assert str(counts.get_row_at(4)[1]) == "0"
        assert counts.get_row_at(4)[2] == "1"
        latest = screen.query_one("#overview-latest", RowsTable)
        assert latest.row_count == 4
        assert "tafel 3 notitie 2" in str(latest.get_row_at(0)[3])
        store.add_note(SESSION, NewNote(table=8, item=4, text="net binnen"))
        await pilot.pause(2.3)
        await settle(pilot)
        assert "net binnen" in str(latest.get_row_at(0)[3])
        await pilot.press("escape")
        await wait_for_screen(pilot, CaptureScreen)


async def test_home_opens_participants(db_path: Path, store: Store) -> None:
    from dialoog.tui.screens.participants import ParticipantsScreen

    app = create_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("p")
        screen = await wait_for_screen(pilot, ParticipantsScreen)
        assert screen.session_id == SESSION
        await pilot.press("escape")
        await wait_for_screen(pilot, HomeScreen)
