"""The participants screen, driven with Pilot: list, search, edit a split, appendix, seating."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Input, Static

from dialoog.participants import service
from dialoog.storage import Store
from dialoog.tui.app import DialoogApp, create_app
from dialoog.tui.dialogs.person_name import NameDialog
from dialoog.tui.screens.participants import ParticipantsScreen


async def _settle(app: App, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_list_search_edit_and_seating(store: Store, session, db_path: Path) -> None:
    for name, org in [
        ("Jan van den Bergh", "SER"),
        ("Gerard Adema", "CEW"),
        ("Jan Willem Tuin", "UU"),
    ]:
        service.add_person(store, session.id, name, organisation=org)
    service.seat(store, session.id)
    app = create_app(db_path)
    assert isinstance(app, DialoogApp)
    async with app.run_test(size=(120, 30)) as pilot:
        await _settle(app, pilot)
        app.open_participants(session.id)
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ParticipantsScreen)
        people = screen.query_one("#people", DataTable)
        assert [people.get_row_at(i)[0].plain for i in range(people.row_count)] == [
            "Gerard Adema", "Jan van den Bergh", "Jan Willem Tuin",
        ]  # fmt: skip
        assert screen.query_one("#seating", DataTable).row_count == 3
        assert "ronde-1" in str(screen.query_one("#round", Static).render())

        await pilot.press("slash", *"tuin")
        assert people.row_count == 1
        people.focus()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NameDialog)
        dialog.query_one("#given", Input).value = "Jan"
        dialog.query_one("#surname", Input).value = "Willem Tuin"
        dialog.query_one("#surname", Input).focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("a")
        await _settle(app, pilot)
        await pilot.press("s")
        await _settle(app, pilot)
        assert "ronde-2" in str(screen.query_one("#round", Static).render())

    tuin = service.find_person(store, session.id, "Tuin")
    assert (tuin.given_name, tuin.surname, tuin.name_locked) == ("Jan", "Willem Tuin", True)
    assert tuin.in_appendix is False
