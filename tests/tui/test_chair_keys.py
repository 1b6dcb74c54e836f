"""Pilot tests: a table chair finds every key and symbol in the first five minutes (issue 15).

The capture screen's footer holds only the keys a chair needs at once, whole at
80 and 120 columns; F1 (and ``?`` on the list) lists every key; the kinds have a
legend; home says Enter opens a session and tells alike titles apart; a stray
``e`` on the clock ends nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey
from tui_pilot import SESSION, ready, settle, type_note, type_text

from dialoog import i18n
from dialoog.kinds import KIND_SYMBOLS, NoteKind
from dialoog.plans import find_plan
from dialoog.storage.store import Store
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.keys import KeysDialog
from dialoog.tui.kinds import KIND_KEYS
from dialoog.tui.screens import clock as clock_screen
from dialoog.tui.screens.clock import ClockScreen
from dialoog.tui.screens.home import HomeScreen
from dialoog.tui.widgets import NoteInput

#: What the capture footer must show, whole, at 80 columns and wider.
FOOTER_KEYS = {
    "en": ["f1 help", "f9 question", "^b prev item", "^n next item", "^g follow", "esc back"],
    "nl": ["f1 hulp", "f9 vraag", "^b vorig punt", "^n volgend punt", "^g volgen", "esc terug"],
}


def screen_lines(pilot: Pilot) -> list[str]:
    """The text of every line of the active screen, as the terminal shows it."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


async def until(pilot: Pilot, ok: object, what: str) -> None:
    """Wait (settling) until ``ok()`` holds."""
    for _ in range(50):
        await settle(pilot)
        if ok():  # type: ignore[operator]
            return
    raise AssertionError(f"waited in vain for {what}")


@pytest.mark.parametrize(("language", "width"), [("en", 80), ("en", 120), ("nl", 80)])
async def test_capture_footer_holds_the_chosen_keys_whole(
    db_path: Path, language: str, width: int
) -> None:
    i18n.set_language(language)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await ready(pilot)
        footer = screen.query_one(Footer)
        line = screen_lines(pilot)[footer.region.y]
        for shown in FOOTER_KEYS[language]:
            assert shown in line, (shown, line)
        assert "^p" in line  # the palette, docked right
        # No key is scrolled out of sight or cut at the edge.
        for key in footer.query(FooterKey):
            assert footer.region.contains_region(key.region), (key.key, line)


async def test_f1_lists_every_key_with_the_legend(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f1")  # from the input: F1 is a priority key
        await until(pilot, lambda: isinstance(app.screen, KeysDialog), "the keys")
        rows = app.screen.rows
        # a row holds all keys of one action: "alt+o / ^o"
        keys = [key for row_keys, _does, _more in rows for key in row_keys.split(" / ")]
        for key in ("tab", "enter", "^q", "^r", "^o", "^p", "del", "esc", "alt+1", *KIND_KEYS):
            assert key in keys, key
        assert all(does for _key, does, _more in rows)
        text = "\n".join(screen_lines(pilot))
        for kind in NoteKind:
            assert f"{KIND_SYMBOLS[kind]} {i18n.kind_label(kind.value)}" in text
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, KeysDialog), "the keys to close")


async def test_question_mark_types_in_the_input_and_opens_the_keys_on_the_list(
    db_path: Path, store: Store
) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await type_note(pilot, "?Wie betaalt de scholing")
        assert [n.kind for n in store.list_notes(SESSION, table=3, item=1)] == [NoteKind.QUESTION]
        assert not isinstance(app.screen, KeysDialog)
        await pilot.press("tab")
        await settle(pilot)
        assert screen.focused is screen.notes_list
        await type_text(pilot, "?")
        await until(pilot, lambda: isinstance(app.screen, KeysDialog), "the keys")
        assert screen.query_one(NoteInput).text == ""
        await pilot.press("question_mark")  # ? closes them again
        await until(pilot, lambda: app.screen is screen, "the capture screen")


@pytest.mark.parametrize("width", [80, 160])
async def test_kind_legend_is_on_the_capture_screen(db_path: Path, width: int) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(width, 30)) as pilot:
        await ready(pilot)
        lines = screen_lines(pilot)
        for key, kind in KIND_KEYS.items():
            entry = f"{key} {KIND_SYMBOLS[kind]} {i18n.kind_label(kind.value)}"
            assert any(entry in line for line in lines), entry  # whole, on one line


async def test_home_says_enter_opens_and_tells_alike_titles_apart(
    db_path: Path, store: Store
) -> None:
    first = store.create_session(find_plan("skills"), title="Skills 2026")
    second = store.create_session(find_plan("skills"), title="Skills 2026")
    assert first.id != second.id
    app = create_app(db_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await until(pilot, lambda: app.screen.query_one(DataTable).row_count == 3, "sessions")
        text = "\n".join(screen_lines(pilot))
        assert "Enter opens" in text
        alike = [line for line in screen_lines(pilot) if "Skills 2026" in line]
        assert len(alike) == 2
        assert any(first.id in line for line in alike)
        assert any(second.id in line for line in alike)
        assert all("2015-02-19" in line for line in alike)  # and the date


async def test_one_e_on_the_clock_ends_nothing_two_end_the_item(
    db_path: Path, store: Store
) -> None:
    store.set_clock(SESSION, current_item=4, state="idle")
    app = create_app(db_path, session_id=SESSION, clock=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ClockScreen), "the clock")
        await until(pilot, lambda: app.screen.clock is not None, "the clock state")
        await pilot.press("s")
        await until(pilot, lambda: store.clock(SESSION).state == "running", "the start")
        await pilot.press("e")  # a stray key
        await settle(pilot)
        assert store.clock(SESSION).state == "running"
        assert any("again" in str(n.message) for n in app._notifications)
        await pilot.press("e")  # confirmed
        await until(pilot, lambda: store.clock(SESSION).state == "ended", "the end")
        assert store.clock(SESSION).current_item == 4


async def test_a_late_second_e_asks_again(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock_screen, "END_CONFIRM_SECONDS", 0.0)
    store.set_clock(SESSION, current_item=2, state="idle")
    app = create_app(db_path, session_id=SESSION, clock=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ClockScreen), "the clock")
        await until(pilot, lambda: app.screen.clock is not None, "the clock state")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert store.clock(SESSION).state == "idle"
