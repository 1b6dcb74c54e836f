"""More like this on the synthesis screen (Pilot) and in the CLI, on a real database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import OptionList

from dialoog.demo import create_demo
from dialoog.storage.store import Store
from dialoog.synthesis import themes
from dialoog.synthesis.similar import more_like_theme
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.more_like_this import MoreLikeThisScreen
from dialoog.tui.screens.synthesis import SynthesisScreen

DEMO = "demo"
ROUND_1 = 4


def _programming_theme(store: Store) -> int:
    """A theme of the first demo round seeded with one note on programming."""
    notes = store.list_notes(DEMO, item=ROUND_1)
    seed = next(n for n in notes if "programmeren" in n.text.lower())
    theme = themes.create_theme(store, DEMO, ROUND_1, "Programmeren", note_ids=[seed.id])
    assert theme.id is not None
    return theme.id


def test_more_like_theme_ranks_the_free_notes(store: Store) -> None:
    create_demo(store)
    theme_id = _programming_theme(store)
    ranked = more_like_theme(store, theme_id)
    members = {str(i) for i in themes.get_theme(store, theme_id).note_ids}
    free = {str(n.id) for n in store.list_notes(DEMO, item=ROUND_1)} - members
    assert {r.id for r in ranked} == free
    assert "programm" in ranked[0].text.lower()
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


async def test_more_like_this_on_the_synthesis_screen(db_path: Path, store: Store) -> None:
    create_demo(store)
    theme_id = _programming_theme(store)
    expected = more_like_theme(store, theme_id)
    app = create_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = SynthesisScreen(DEMO)
        await app.push_screen(screen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.loaded and screen.data and screen.data.themes:
                break
        await pilot.press("l")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, MoreLikeThisScreen) and app.screen.loaded:
                break
        modal = app.screen
        assert isinstance(modal, MoreLikeThisScreen)
        options = modal.query_one("#like-notes", OptionList)
        assert options.option_count == len(expected)
        assert options.get_option_at_index(0).id == expected[0].id
        await pilot.press("enter")  # the closest note goes into the theme
        for _ in range(100):
            await pilot.pause(0.05)
            if expected[0].id in {str(i) for i in themes.get_theme(store, theme_id).note_ids}:
                break
        assert expected[0].id in {str(i) for i in themes.get_theme(store, theme_id).note_ids}
        assert options.option_count == len(expected) - 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


def test_cli_suggest_like(db_path: Path, store: Store) -> None:
    create_demo(store)
    theme_id = _programming_theme(store)
    expected = more_like_theme(store, theme_id)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dialoog", "--db", str(db_path), "suggest", DEMO, *args],
            capture_output=True,
            text=True,
            timeout=60,
        )

    done = run("--item", str(ROUND_1), "--like", str(theme_id))
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("  1.") and expected[0].id in first
    wrong = run("--item", "1", "--like", str(theme_id))
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert str(theme_id) in wrong.stderr
