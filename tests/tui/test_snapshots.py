"""Snapshot tests of the capture screen, in Dutch and in English (80x24).

The screen is shown on a round with two questions and no notes, with the clock
idle, so that no time of day appears in the picture. Update with
``pytest tests/tui --snapshot-update`` after a deliberate change of look (or of
the Dutch catalogue).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_pilot import SESSION, ready

from dialoog import i18n
from dialoog.storage.store import Store
from dialoog.tui.app import create_app
from dialoog.tui.widgets import NoteInput


async def _prepare(pilot: Pilot) -> None:
    screen = await ready(pilot)
    screen.query_one(NoteInput).cursor_blink = False
    await pilot.press("alt+1", "f5")
    await pilot.pause()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_capture_screen(language: str, db_path: Path, snap_compare) -> None:
    with Store.open(db_path) as store:
        store.set_clock(SESSION, current_item=4, state="idle")
    i18n.set_language(language)
    app = create_app(db_path, session_id=SESSION, table=3)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_prepare)
