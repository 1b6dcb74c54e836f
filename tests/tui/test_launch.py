"""What a capture start does for its first frame (issue 13).

The first screen is mounted after Textual's start-up batch: a frame drawn
inside that batch is dropped, and the title would appear only at the screen's
next full layout. And a start on the capture screen reads ``capture.tcss``
alone, so its first frame parses a sixth of the rules; ``dialoog.tcss`` is read
when another screen first opens. These tests prove the split changes nothing
that is drawn: the capture screen gets the same styles as with every rule
read, and a dialog opened from it is styled as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.dom import DOMNode
from tui_pilot import SESSION, ready

from dialoog.tui.app import REST_CSS, DialoogApp, create_app
from dialoog.tui.screens.capture import CaptureScreen


def _sources(app: App) -> set[str]:
    """Names of the CSS files in the app's stylesheet."""
    return {Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")}


def _styles(app: App) -> list[tuple[str, str]]:
    """Every node of the current screen (by its place in the tree) with its computed CSS."""

    def place(node: DOMNode) -> str:
        nodes = [n for n in reversed(node.ancestors_with_self) if not isinstance(n, App)]
        return "/".join(f"{type(n).__name__}#{n.id}" for n in nodes)

    return [(place(node), node.styles.css) for node in app.screen.walk_children(with_self=True)]


class FullCssApp(DialoogApp):
    """The app as it was before the split: every rule read at start."""

    def on_load(self) -> None:
        """Read the rest before the first screen, as the old single CSS_PATH did."""
        self._read_rest_css()


async def test_first_screen_mounts_after_the_start_up_batch(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    on_mount = CaptureScreen.on_mount

    def watched(screen: CaptureScreen) -> None:
        batches.append(screen.app._batch_count)  # Textual drops frames while this is > 0
        on_mount(screen)

    monkeypatch.setattr(CaptureScreen, "on_mount", watched)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
    assert batches == [0]


async def test_capture_start_reads_only_the_capture_rules(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert _sources(app) == {"capture.tcss"}
        # the capture rules are applied: the input's height and border come from capture.tcss
        note_input = app.screen.query_one("#note-input")
        assert note_input.styles.height is not None
        assert note_input.styles.height.value == 5
        assert note_input.styles.border_top[0] == "tall"


async def test_capture_screen_styled_as_with_every_rule(db_path: Path) -> None:
    split = create_app(db_path, session_id=SESSION, table=3)
    async with split.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert REST_CSS.name not in _sources(split)
        seen_split = _styles(split)
    full = FullCssApp(db_path, session_id=SESSION, table=3)
    async with full.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert REST_CSS.name in _sources(full)
        seen_full = _styles(full)
    assert len(seen_split) > 10  # the whole screen, footer keys included
    assert seen_split == seen_full


async def test_dialog_after_capture_start_gets_the_rest(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "KeysDialog"
        assert _sources(app) == {"capture.tcss", REST_CSS.name}
        box = app.screen.query_one("#keys-box")
        assert box.styles.max_width is not None
        assert box.styles.max_width.value == 120  # KeysDialog #keys-box in dialoog.tcss
        assert box.styles.border_top[0] == "round"
        await pilot.press("escape")
        await pilot.pause()
        # back on the capture screen: still styled, the rest read once
        assert app.screen.query_one("#note-input").styles.height.value == 5


async def test_other_starts_read_every_rule(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, clock=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _sources(app) == {"capture.tcss", REST_CSS.name}
