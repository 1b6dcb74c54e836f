"""A secretary on the synthesis screen (issue 15): where the keys act, what `a` did, and undo.

The focused pane has a bright border and a title; Tab goes filter -> notes ->
themes; `a` puts notes in the theme just created (or highlighted) and says
which; `z` undoes exactly that; each theme shows its coverage as a small bar.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import settle, type_text, until

from dialoog.models import Note
from dialoog.storage.store import Store
from dialoog.synthesis import themes
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.title import TitleDialog
from dialoog.tui.screens.synthesis import SynthesisScreen
from dialoog.tui.synthesis_view import ThemeView, coverage_bar, theme_prompt
from dialoog.tui.widgets.rows_table import RowsTable

DEMO = "demo"
ROUND_1 = 4
SIZE = (120, 36)


async def open_screen(pilot: Pilot) -> SynthesisScreen:
    """Push the demo's synthesis screen and wait until it shows its item."""
    await settle(pilot)
    screen = SynthesisScreen(DEMO)
    await pilot.app.push_screen(screen)
    await until(pilot, lambda: screen.loaded, "the synthesis screen")
    return screen


def border(screen: SynthesisScreen, pane: str) -> str:
    """The kind of border a pane has now (``heavy`` marks the focused one)."""
    return screen.query_one(pane).styles.border_top[0]


def notices(pilot: Pilot) -> list[str]:
    """The texts of the notifications shown so far."""
    return [str(n.message) for n in pilot.app._notifications]


async def test_the_focused_pane_shows_and_tab_goes_filter_notes_themes(
    db_path: Path, demo: Store
) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot)
        assert screen.query_one("#notes-pane").border_title == "Notes"
        assert screen.query_one("#side").border_title == "Themes"
        assert (border(screen, "#notes-pane"), border(screen, "#side")) == ("heavy", "round")
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#filter")
        await pilot.press("tab")
        await settle(pilot)
        assert screen.focused is screen.query_one("#notes")
        await pilot.press("tab")
        await settle(pilot)
        assert screen.focused is screen.query_one("#themes")
        assert (border(screen, "#notes-pane"), border(screen, "#side")) == ("round", "heavy")


async def test_a_goes_to_the_theme_just_created_says_so_and_z_undoes_it(
    db_path: Path, demo: Store
) -> None:
    notes = demo.list_notes(DEMO, item=ROUND_1)
    older = themes.create_theme(demo, DEMO, ROUND_1, "Ouder thema", note_ids=[str(notes[5].id)])
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot)
        assert screen.selected_theme().id == older.id
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, TitleDialog), "the title dialog")
        await type_text(pilot, "Nieuw thema")
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.data.themes) == 2, "the new theme")
        new = next(v for v in screen.data.themes if v.theme.title == "Nieuw thema")
        assert screen.selected_theme().id == new.id

        table = screen.query_one("#notes", RowsTable)
        table.focus()
        await pilot.press("down", "space", "space")  # two notes marked
        marked = set(screen.marked)
        await pilot.press("a")
        await until(
            pilot,
            lambda: {str(i) for i in themes.get_theme(demo, new.id).note_ids} == marked,
            "the assignment",
        )
        assert any("2 notes put in “Nieuw thema”" in text for text in notices(pilot))
        assert themes.get_theme(demo, older.id).note_ids == older.note_ids

        await pilot.press("z")
        await until(pilot, lambda: not themes.get_theme(demo, new.id).note_ids, "the undo")
        assert any("Undone: 2 notes taken out of “Nieuw thema”" in t for t in notices(pilot))
        await pilot.press("z")
        await settle(pilot)
        assert "Nothing to undo." in notices(pilot)


async def test_undo_leaves_notes_that_were_in_the_theme_before(db_path: Path, demo: Store) -> None:
    notes: list[Note] = demo.list_notes(DEMO, item=ROUND_1)
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot)
        rows = list(screen.query_one("#notes", RowsTable).keys)
        theme = themes.create_theme(demo, DEMO, ROUND_1, "Al gevuld", note_ids=rows[1:2])
        screen.reload_item()
        await until(pilot, lambda: len(screen.data.themes) == 1, "the theme")
        screen.query_one("#notes", RowsTable).focus()
        await pilot.press("down", "space", "space")  # rows 1 (already in) and 2
        await pilot.press("a")
        await until(pilot, lambda: len(themes.get_theme(demo, theme.id).note_ids) == 2, "assign")
        await pilot.press("z")
        await until(pilot, lambda: len(themes.get_theme(demo, theme.id).note_ids) == 1, "undo")
        assert [str(i) for i in themes.get_theme(demo, theme.id).note_ids] == rows[1:2]
        assert notes  # the demo round has notes


def test_coverage_as_a_small_bar() -> None:
    assert coverage_bar(4, 7).plain == "████░░░"
    assert coverage_bar(0, 7).plain == "░░░░░░░"
    assert coverage_bar(1, 40).plain == "█░░░░░░░░░"  # one table is not nothing
    assert coverage_bar(40, 40).plain == "█" * 10


def test_the_theme_list_shows_the_bar(demo: Store) -> None:
    theme = themes.create_theme(demo, DEMO, ROUND_1, "Balk")
    view = ThemeView(theme=theme, tables=(1, 2, 3, 4), of=7, quotes=())
    assert "████░░░ 4 of 7 tables" in theme_prompt(1, view).plain
