"""Every action has a key that reaches the app in a browser tab (issue 15).

In a tab of ``dialoog serve`` the browser keeps Ctrl+N, Ctrl+T, Ctrl+W, Ctrl+Q,
F5 and others (``BROWSER_RESERVED``) for itself. Each action of every screen
therefore has at least one key outside that set; the terminal keys stay as
aliases. In a browser the footer shows the browser-safe key, and the keys
dialog lists it first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey
from tui_pilot import SESSION, ready, settle

from dialoog.tui.app import DialoogApp, create_app
from dialoog.tui.bindings import BROWSER_RESERVED, browser_safe
from dialoog.tui.dialogs.edit_note import EditNoteScreen
from dialoog.tui.dialogs.hit import HitScreen
from dialoog.tui.dialogs.keys import KeysDialog
from dialoog.tui.dialogs.person_name import NameDialog
from dialoog.tui.dialogs.plan_picker import PlanPickerScreen
from dialoog.tui.dialogs.preview import PreviewScreen
from dialoog.tui.dialogs.roles import RolesDialog
from dialoog.tui.dialogs.suggestions import SuggestionsScreen
from dialoog.tui.dialogs.text import TextDialog
from dialoog.tui.dialogs.title import TitleDialog
from dialoog.tui.screens.capture import CaptureScreen
from dialoog.tui.screens.clock import ClockScreen
from dialoog.tui.screens.home import HomeScreen, TablePickerScreen
from dialoog.tui.screens.overview import OverviewScreen
from dialoog.tui.screens.participants import ParticipantsScreen
from dialoog.tui.screens.search import SearchScreen
from dialoog.tui.screens.synthesis import SynthesisScreen

#: Every class of dialoog that declares key bindings.
OWNERS = [
    DialoogApp, CaptureScreen, ClockScreen, SynthesisScreen, HomeScreen, TablePickerScreen,
    OverviewScreen, SearchScreen, ParticipantsScreen, EditNoteScreen, HitScreen, KeysDialog,
    NameDialog, PlanPickerScreen, PreviewScreen, RolesDialog, SuggestionsScreen, TextDialog,
    TitleDialog,
]  # fmt: skip


def keys_by_action(owner: type) -> dict[str, list[str]]:
    """Every dialoog action of ``owner`` (bindings with an id) and all its keys."""
    actions: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(owner.BINDINGS):
        if binding.id:
            actions.setdefault(binding.action, []).append(binding.key)
    return actions


def test_the_reserved_keys_are_the_browsers() -> None:
    for key in ("ctrl+n", "ctrl+t", "ctrl+w", "ctrl+q", "ctrl+tab", "f5", "f1", "alt+left"):
        assert key in BROWSER_RESERVED
    assert browser_safe("f9") and browser_safe("escape") and browser_safe("alt+o")


@pytest.mark.parametrize("owner", OWNERS, ids=lambda o: o.__name__)
def test_every_action_has_a_key_a_browser_lets_through(owner: type) -> None:
    actions = keys_by_action(owner)
    assert actions, f"{owner.__name__} declares no bindings"
    stuck = {a: keys for a, keys in actions.items() if not any(map(browser_safe, keys))}
    assert not stuck, f"{owner.__name__}: only browser keys for {stuck}"


def test_the_terminal_keys_stay() -> None:
    capture = keys_by_action(CaptureScreen)
    assert "ctrl+n" in capture["move_item(1)"] and "ctrl+o" in capture["overview"]
    assert "f5" in capture["set_kind('bottleneck')"]
    assert "ctrl+q" in keys_by_action(DialoogApp)["quit"]


async def test_the_browser_keys_work_on_the_capture_screen(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        item = screen.item
        await pilot.press("alt+down")
        await settle(pilot)
        assert screen.item == item + 1
        await pilot.press("alt+up")
        await settle(pilot)
        assert screen.item == item
        await pilot.press("alt+n")
        assert screen.next_kind.value == "bottleneck"
        await pilot.press("alt+k")
        await settle(pilot)
        assert isinstance(app.screen, KeysDialog)
        keys = app.screen.query_one("#keys", DataTable)
        first_column = [str(keys.get_row_at(r)[0]) for r in range(keys.row_count)]
        # the browser-safe key leads, the terminal key follows
        assert "alt+o / ^o" in first_column
        # ctrl+down is how xterm.js sends alt+down: an alias that reaches the app too
        assert "alt+↓ / ^↓ / ^n" in first_column or "alt+down / ctrl+down / ^n" in first_column
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("alt+o")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_a_browser_footer_shows_the_browser_key(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The web driver of textual-serve says is_web; the real-browser test is the serve one.
    monkeypatch.setattr(DialoogApp, "is_web", property(lambda self: True))
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await ready(pilot)
        footer = screen.query_one(Footer)
        shown = {k.action: k.key_display for k in footer.query(FooterKey)}
        assert shown["move_item(1)"].startswith("alt+")
        assert shown["move_item(-1)"].startswith("alt+")
        assert not any(k in BROWSER_RESERVED for k in shown.values())
