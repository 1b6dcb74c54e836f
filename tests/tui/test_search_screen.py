"""Pilot tests of the search screen: compound parts, filters, debounced worker, open in context."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from tui_pilot import SESSION, ready, settle, type_text, until

from dialoog.history import search as search_mod
from dialoog.models import NoteKind
from dialoog.plans import find_plan
from dialoog.storage.store import NewNote, Store
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.hit import HitScreen
from dialoog.tui.screens import search as search_screen
from dialoog.tui.screens.home import HomeScreen
from dialoog.tui.screens.search import SearchRequest, SearchScreen
from dialoog.tui.widgets import NotesList
from dialoog.tui.widgets.rows_table import RowsTable

SIZE = (120, 32)
ROUND_1, ROUND_2 = 4, 5  # ronde-1 and ronde-2 in the skills programme


@pytest.fixture
def notes(store: Store) -> dict[str, str]:
    """Notes in the skills session and in a second session, by a short name."""
    other = store.create_session(find_plan("leven-lang-leren"))
    add = store.add_note
    made = {
        "traffic": add(SESSION, NewNote(3, ROUND_1, "Verkeersveiligheid rond de school")),
        "quote": add(SESSION, NewNote(5, ROUND_2, "Veiligheid op het werk telt", NoteKind.QUOTE)),
        "before": add(SESSION, NewNote(3, ROUND_1, "Eerder aan deze tafel")),
        "other": add(other.id, NewNote(1, 3, "Sociale veiligheid in de wijk")),
        "unrelated": add(SESSION, NewNote(3, ROUND_1, "Iets over stages")),
    }
    store.edit_note(made["traffic"].id, text="Verkeersveiligheid rond de school, ook 's avonds")
    return {k: str(v.id) for k, v in made.items()}


async def open_search(pilot: Pilot) -> SearchScreen:
    """From the home screen, ``/`` opens the search screen with the box focused."""
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "the home screen")
    await pilot.press("slash")
    await until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen), "the search screen")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    assert isinstance(screen.focused, Input)
    return screen


async def search_for(pilot: Pilot, screen: SearchScreen, text: str) -> list[str]:
    """Replace the box with ``text``, wait for its results, return the note ids shown."""
    box = screen.query_one("#query", Input)
    box.value = ""
    await type_text(pilot, text)
    await until(pilot, lambda: screen.shown is not None and box.value == text, "results")
    await until(
        pilot,
        lambda: screen.shown == SearchRequest.parse(text, screen.session_id),
        f"results for {text!r}",
    )
    return [h.id for h in screen.hits]


def row(screen: SearchScreen, n: int) -> list[str]:
    """The plain text of result row ``n``."""
    table = screen.query_one("#results", RowsTable)
    return [str(getattr(c, "plain", c)) for c in table.get_row_at(n)]


async def test_a_compound_part_finds_the_note_in_a_worker(
    db_path: Path, notes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, bool]] = []
    real = search_mod.search

    def spy(db, query, filters=None, limit=50):
        calls.append((query, threading.current_thread() is threading.main_thread()))
        return real(db, query, filters, limit)

    monkeypatch.setattr(search_screen, "search", spy)
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot)
        found = await search_for(pilot, screen, "veiligheid")
        # Whole words rank first; the compound "verkeersveiligheid" is found by its part.
        assert set(found[:2]) == {notes["quote"], notes["other"]}
        assert found[2:] == [notes["traffic"]]  # "unrelated" is not found
        traffic = 2
        assert screen.hits[traffic].match == "part"
        cells = row(screen, traffic)
        assert cells[2] == "4 ronde-1" and cells[3] == "3"  # agenda item and table
        assert "Verkeersveiligheid" in cells[5]
        assert "Sociale" in row(screen, found.index(notes["other"]))[5]
    # Debounced: one search for ten typed characters, and never on the event loop.
    assert calls and len(calls) < len("veiligheid")
    assert calls[-1][0] == "veiligheid"
    assert not any(on_loop for _q, on_loop in calls)


async def test_filters_narrow(db_path: Path, notes: dict[str, str]) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot)
        assert len(await search_for(pilot, screen, "veiligheid")) == 3
        assert await search_for(pilot, screen, "veiligheid tafel:3") == [notes["traffic"]]
        assert await search_for(pilot, screen, "veiligheid soort:citaat") == [notes["quote"]]
        assert await search_for(pilot, screen, "veiligheid kind:quote") == [notes["quote"]]
        assert await search_for(pilot, screen, "veiligheid ronde:2") == [notes["quote"]]
        assert await search_for(pilot, screen, "veiligheid van:2015-03") == [notes["other"]]
        # A filter that cannot be read says so instead of searching.
        box = screen.query_one("#query", Input)
        box.value = ""
        await type_text(pilot, "veiligheid soort:zzz")
        status = screen.query_one("#search-status", Static)
        await until(pilot, lambda: "zzz" in str(status.render()), "the problem shown")
        # The session choice narrows too.
        select = screen.query_one("#session", Select)
        await until(pilot, lambda: len(select._options) > 2, "the sessions")
        select.value = SESSION
        await settle(pilot)
        assert await search_for(pilot, screen, "veiligheid") == [
            notes["quote"],
            notes["traffic"],
        ]


async def test_enter_opens_the_note_in_context(
    db_path: Path, notes: dict[str, str], store: Store
) -> None:
    # The programme has moved on to round 2: the note of round 1 still opens at round 1.
    store.set_clock(SESSION, current_item=ROUND_2, state="running")
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot)
        found = await search_for(pilot, screen, "veiligheid tafel:3")
        assert found == [notes["traffic"]]
        await pilot.press("enter")  # from the box to the results
        assert isinstance(screen.focused, RowsTable)
        await pilot.press("v")  # read-only: the note, its revisions, its neighbours
        await until(pilot, lambda: isinstance(app.screen, HitScreen), "the read-only view")
        view = app.screen
        await until(pilot, lambda: view.note is not None, "the note's revisions")
        body = str(view.query_one("#hit-body", Static).render())
        assert "Verkeersveiligheid rond de school\n" in body  # revision 1
        assert "ook 's avonds" in body and "Eerder aan deze tafel" in body
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back to the results")
        await pilot.press("enter")
        capture = await ready(pilot)
        assert (capture.session_id, capture.table, capture.item) == (SESSION, 3, ROUND_1)
        table = capture.query_one("#notes", NotesList)
        await until(pilot, lambda: table.selected() is not None, "the note selected")
        assert str(table.selected().id) == notes["traffic"]
        assert table.row_count == 3  # the table's other notes of that round around it
        assert capture.focused is table
        await pilot.press("escape", "escape")  # list → input → back to the search
        await until(pilot, lambda: app.screen is screen, "back to the search")


def test_search_box_syntax() -> None:
    r = SearchRequest.parse('"open vraag" soort:aanbev t:2 #Knelpunt item:ronde-1 van:2015')
    assert r.query == '"open vraag"' and not r.problems
    f = r.filters
    assert (f.kind, f.table, f.tag, f.item) == (NoteKind.RECOMMENDATION, 2, "Knelpunt", "ronde-1")
    assert f.date_from == dt.date(2015, 1, 1)
    r = SearchRequest.parse("school tot:2015-02 sessie:x reeks:y round:2 10:30", "s")
    assert r.query == "school 10:30"  # not a filter name: a word
    assert r.filters.date_to == dt.date(2015, 2, 28)
    assert (r.filters.session, r.filters.series, r.filters.item) == ("x", "y", "round 2")
    assert SearchRequest.parse("x", "s").filters.session == "s"
    assert SearchRequest.parse("soort:").query == ""  # a filter still being typed
    bad = SearchRequest.parse("x soort:o tafel:drie van:gisteren")  # o: observation or open
    assert len(bad.problems) == 3


@pytest.mark.parametrize("owner", [SearchScreen, HitScreen], ids=lambda o: o.__name__)
def test_every_binding_has_id_and_tooltip(owner: type) -> None:
    for binding in owner.BINDINGS:
        assert isinstance(binding, Binding) and binding.id and binding.tooltip, binding
    home = {b.id: b for b in HomeScreen.BINDINGS if isinstance(b, Binding)}
    assert home["home.search"].key == "slash" and home["home.search"].tooltip


async def test_command_palette_opens_search(db_path: Path) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Search every")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
