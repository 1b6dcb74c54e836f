"""No user text is read as markup, and no escape reaches the terminal, on the remaining screens.

A database from before text was cleaned (or a bundle from elsewhere) may hold
Rich/Textual markup and escape sequences in a session title, an agenda item,
a table's chair, a note, a tag, a theme, a participant's name. Home, the table
picker, synthesis, search and participants show them literally: no MarkupError,
no ``[@click=...]`` action, no ``ESC`` written (issue 14, item 3).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Select, Static
from tui_pilot import SESSION, settle, type_text, until

from dialoog.participants import service
from dialoog.storage.store import NewNote, Store
from dialoog.synthesis import themes
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.hit import HitScreen
from dialoog.tui.dialogs.person_name import NameDialog
from dialoog.tui.dialogs.roles import RolesDialog
from dialoog.tui.screens.home import HomeScreen, TablePickerScreen
from dialoog.tui.screens.participants import ParticipantsScreen
from dialoog.tui.screens.search import SearchScreen
from dialoog.tui.screens.synthesis import SynthesisScreen
from dialoog.tui.widgets.rows_table import RowsTable

ROUND_1 = 4  # ronde-1 in the skills programme
SIZE = (200, 40)
#: Markup that would run an action, an unclosed tag, a stray closing tag, and escapes
#: that clear the screen, write the clipboard and set the window title.
EVIL = "[@click=app.quit]x[/] [bold zorgpunt \x1b[2J\x1b]52;c;aGk=\x07\x1b]0;pwned\x07 [/]"
#: What must be visible of it, wherever it is shown.
VISIBLE = ("[@click=app.quit]x[/]", "[bold zorgpunt")


@pytest.fixture
def evil(store: Store) -> dict[str, str]:
    """The skills session with markup and escapes in every kind of user text.

    Written behind the store's back, as a database from before the cleaning holds it.
    """
    db = store.db
    (plan_json,) = db.execute("SELECT plan_json FROM sessions WHERE id = ?", [SESSION]).fetchone()
    plan = json.loads(plan_json)
    plan["title"] = "Sessie " + EVIL
    plan["agenda"][ROUND_1 - 1]["title"] = "Ronde " + EVIL
    plan["tables"][0]["name"] = "Tafel " + EVIL
    plan["tables"][0]["chair"] = "Voorzitter " + EVIL
    db.execute(
        "UPDATE sessions SET title = ?, plan_json = ? WHERE id = ?",
        [plan["title"], json.dumps(plan), SESSION],
    )
    note = store.add_note(SESSION, NewNote(1, ROUND_1, "placeholder", tags=("t",)))
    db.execute(
        "UPDATE notes SET text = ?, kind = 'quote', tags_json = ? WHERE id = ?",
        ["Notitie " + EVIL, json.dumps(["tag" + EVIL]), str(note.id)],
    )
    theme = themes.create_theme(store, SESSION, ROUND_1, "placeholder", note_ids=[str(note.id)])
    db.execute(
        "UPDATE themes SET title = ?, synthesis = ? WHERE id = ?",
        ["Thema " + EVIL, "Synthese " + EVIL, theme.id],
    )
    person = service.add_person(store, SESSION, "Jan Jansen", organisation="SER")
    db.execute(
        "UPDATE participants SET given_name = ?, surname = ?, organisation = ? WHERE id = ?",
        ["Jan " + EVIL, "Jansen", "Org " + EVIL, person.id],
    )
    db.conn.commit()
    service.seat(store, SESSION)
    return {"note": str(note.id)}


def screen_text(app: App) -> str:
    """Everything the screen writes to the terminal now, as text."""
    return "".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_inert(app: App, *, visible: bool = True) -> None:
    """No escape in what is drawn, no notification read as markup; the markup shown as text."""
    assert app.is_running
    shown = screen_text(app)
    assert "\x1b" not in shown and "\x07" not in shown
    if visible:
        for part in VISIBLE:
            assert part in shown, part
    for notification in app._notifications:
        assert not notification.markup or "[" not in notification.message
        assert "\x1b" not in notification.message


def plain(cell: object) -> str:
    """A DataTable cell as it is drawn; a str cell would be read as markup."""
    assert isinstance(cell, (Text, Content)), f"a str cell is read as markup: {cell!r}"
    return cell.plain


async def test_home_and_table_picker(db_path: Path, evil: dict[str, str]) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        table = app.screen.query_one("#sessions", DataTable)
        await until(pilot, lambda: table.row_count > 0, "the sessions")
        title = plain(table.get_row_at(0)[1])
        assert "[bold zorgpunt" in title and "\x1b" not in title
        assert_inert(app)

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TablePickerScreen), "the tables")
        tables = app.screen.query_one("#tables", DataTable)
        await until(pilot, lambda: tables.row_count > 0, "the tables")
        _number, name, chair, _notes = tables.get_row_at(0)
        assert "[bold zorgpunt" in plain(name) and "[@click=app.quit]" in plain(chair)
        assert_inert(app)


async def test_synthesis(db_path: Path, evil: dict[str, str]) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = SynthesisScreen(SESSION)
        await app.push_screen(screen)
        await until(pilot, lambda: screen.loaded, "the synthesis screen")
        assert screen.item == ROUND_1
        table = screen.query_one("#notes", RowsTable)
        text = plain(table.get_row_at(0)[-1])
        assert "[bold zorgpunt" in text and "\\x1b[2J" in text and "\x1b" not in text
        assert_inert(app)
        detail = str(screen.query_one("#note-detail", Static).render())
        assert "[bold zorgpunt" in detail and "\x1b" not in detail
        assert "\x1b" not in str(screen.query_one("#theme-detail", Static).render())
        prompt = screen.query_one("#themes", OptionList).get_option_at_index(0).prompt
        assert "[bold zorgpunt" in prompt.plain and "\x1b" not in prompt.plain
        select = screen.query_one("#item", Select)
        await pilot.click(select)
        await settle(pilot)
        assert_inert(app)


async def test_search_and_hit(db_path: Path, evil: dict[str, str]) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "search")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, "zorgpunt")
        await until(pilot, lambda: bool(screen.hits), "results")
        table = screen.query_one("#results", RowsTable)
        _date, title, _item, _table, _kind, text = table.get_row_at(0)
        assert "[bold zorgpunt" in plain(title) and "[bold zorgpunt" in plain(text)
        assert "\x1b" not in plain(title) + plain(text)
        assert_inert(app)
        table.focus()
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, HitScreen), "the result")
        await settle(pilot)
        assert_inert(app)


async def test_participants_and_dialogs(db_path: Path, evil: dict[str, str]) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_participants(SESSION)  # type: ignore[attr-defined]
        await until(pilot, lambda: isinstance(app.screen, ParticipantsScreen), "participants")
        screen = app.screen
        people = screen.query_one("#people", DataTable)
        await until(pilot, lambda: people.row_count > 0, "the people")
        name, organisation, *_rest = people.get_row_at(0)
        assert "[bold zorgpunt" in plain(name) and "[@click=app.quit]" in plain(organisation)
        seating = screen.query_one("#seating", DataTable)
        assert "[bold zorgpunt" in plain(seating.get_row_at(0)[1])
        assert_inert(app)

        people.focus()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RolesDialog), "the roles")
        assert_inert(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NameDialog), "the name")
        assert "\x1b" not in app.screen.query_one("#given", Input).value
        assert_inert(app, visible=False)
        await pilot.press("escape")
        await settle(pilot)


async def test_command_palette(db_path: Path, evil: dict[str, str]) -> None:
    """The palette lists the session by its title, literally, before and while typing."""
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        await settle(pilot)
        assert_inert(app)
        await pilot.press(*"Clock: Sessie")
        await pilot.pause(0.5)
        await settle(pilot)
        assert_inert(app)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ClockScreen", "the clock")


async def test_notifications_are_not_markup(db_path: Path) -> None:
    """An error's or a title's text in a notification is never read as markup."""
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.writer._report_failure("disk I/O error [/] at " + EVIL)  # type: ignore[attr-defined]
        await settle(pilot)
        assert_inert(app, visible=False)
        assert any("[@click=app.quit]x[/]" in n.message for n in app._notifications)
        assert all(not n.markup for n in app._notifications)
