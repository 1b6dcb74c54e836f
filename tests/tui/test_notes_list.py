"""Pilot tests of the capture screen's notes list (a Line API table fed in pages).

They prove that a long list reads one page, not every note; that the cursor,
the keys and the mouse work across page boundaries; that a note written by
another process appears; and that long and wide text fits its row.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult
from tui_pilot import SESSION, ready, settle
from tui_pilot import until as wait_until

from dialoog.storage.store import NewNote, Store
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.edit_note import EditNoteScreen
from dialoog.tui.widgets import NotesList
from dialoog.tui.widgets.notes_list import PAGE
from dialoog.tui.widgets.rows_table import RowsTable

SIZE = (100, 30)


async def until(pilot, check, what: str) -> None:
    """Wait longer than the default: pages are read by workers."""
    await wait_until(pilot, check, what, tries=200)


def fill(store: Store, count: int, *, table: int = 3, item: int = 1) -> None:
    """``count`` notes at ``table`` and ``item``, numbered in the order taken."""
    store.add_notes(SESSION, [NewNote(table, item, f"Notitie {i}") for i in range(count)])


def shown(notes: NotesList) -> list[str]:
    """The lines of the list as drawn (header first)."""
    return [notes.render_line(y).text for y in range(notes.scrollable_content_region.height)]


async def test_a_long_list_opens_with_one_page_read(db_path: Path, store: Store) -> None:
    fill(store, 16_000)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        notes = screen.query_one("#notes", NotesList)
        await until(pilot, lambda: notes.total == 16_000, "the count")
        await pilot.pause()
        assert notes.row_count == 16_000
        assert notes.fetched == PAGE  # the newest page only, not 16,000 notes
        assert notes.cursor_row == 15_999
        assert "Notitie 15999" in shown(notes)[-1]
        assert len(notes.rows) == PAGE


async def test_keys_scroll_across_pages_and_read_them(db_path: Path, store: Store) -> None:
    fill(store, 250)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        notes = screen.query_one("#notes", NotesList)
        await until(pilot, lambda: notes.total == 250, "the notes")
        assert notes.fetched == PAGE
        notes.focus()
        await pilot.press("home")
        assert notes.cursor_row == 0
        await until(pilot, lambda: notes.rows.get(0) is not None, "the first page")
        assert "Notitie 0" in shown(notes)[1]
        assert notes.selected() is not None and notes.selected().text == "Notitie 0"
        # Page down to the boundary between the first and the second page.
        while notes.cursor_row < PAGE:
            await pilot.press("pagedown")
        await until(pilot, lambda: notes.selected() is not None, "the second page")
        assert notes.selected().text == f"Notitie {notes.cursor_row}"
        await pilot.press("up")
        assert notes.selected().text == f"Notitie {notes.cursor_row}"
        await pilot.press("end")
        assert notes.cursor_row == 249
        assert notes.selected().text == "Notitie 249"
        # The newest 100 (150-249) on opening, then pages 0-99 and 100-199 once each.
        assert notes.fetched == 3 * PAGE


async def test_click_moves_the_cursor_and_a_second_click_opens_the_note(
    db_path: Path, store: Store
) -> None:
    fill(store, 5)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        notes = screen.query_one("#notes", NotesList)
        await until(pilot, lambda: notes.total == 5, "the notes")
        assert notes.cursor_row == 4
        await pilot.click(notes, offset=(20, 2))  # the header is line 0: row 1
        assert notes.cursor_row == 1
        assert not isinstance(app.screen, EditNoteScreen)
        await pilot.click(notes, offset=(20, 2))
        await settle(pilot)
        assert isinstance(app.screen, EditNoteScreen)
        assert "Notitie 1" in app.screen.text


async def test_a_note_added_by_another_process_appears(db_path: Path, store: Store) -> None:
    fill(store, 3)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        notes = screen.query_one("#notes", NotesList)
        await until(pilot, lambda: notes.total == 3, "the notes")
        subprocess.run(
            [sys.executable, "-m", "dialoog", "--db", str(db_path), "notes", "add",
             "--session", SESSION, "--table", "3", "--item", "1", "Van de tweede laptop"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        # The clock's tick (every second) counts the item's notes too.
        await until(pilot, lambda: notes.total == 4, "the other process's note")
        await until(pilot, lambda: notes.rows.get(3) is not None, "its page")
        assert notes.cursor_row == 3
        assert "Van de tweede laptop" in shown(notes)[4]


async def test_long_and_wide_text_fits_its_row(db_path: Path, store: Store) -> None:
    wide = "全角の文字と絵文字 👩‍👩‍👧 " * 20
    store.add_notes(SESSION, [NewNote(3, 1, "a" * 3000), NewNote(3, 1, wide)])
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        notes = screen.query_one("#notes", NotesList)
        await until(pilot, lambda: notes.total == 2, "the notes")
        width = notes.scrollable_content_region.width
        for y in (1, 2):
            strip = notes.render_line(y)
            assert strip.cell_length == width
            assert cell_len(strip.text) == width
        lines = shown(notes)
        assert "aaaa" in lines[1] and "…" in lines[1]
        assert "全角の文字" in lines[2] and "…" in lines[2]


async def test_a_lazy_rows_table_builds_only_the_rows_it_draws() -> None:
    built: list[int] = []

    def cells(index: int) -> list[str]:
        built.append(index)
        return [str(index), f"rij {index}"]

    class Lists(App[None]):
        def compose(self) -> ComposeResult:
            yield RowsTable([("#", 6), ("Tekst", None)], id="rows")

    app = Lists()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowsTable)
        table.set_source([str(i) for i in range(16_000)], cells)
        table.focus()
        await pilot.pause()
        assert table.row_count == 16_000
        assert set(built) == set(range(table.visible_rows))
        built.clear()
        await pilot.press("end")
        await pilot.pause()
        assert set(built) <= set(range(16_000 - table.visible_rows, 16_000))
        assert 15_999 in built
        assert "rij 15999" in table.render_line(table.visible_rows).text
