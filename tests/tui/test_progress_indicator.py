"""Long work shows progress in the app (issue 15): the draft's preview and download.

Rendering a draft of thousands of notes takes seconds. While it runs behind the
writes, the preview's pane and the download dialog's list show Textual's loading
indicator; it goes when the draft (or an error) arrives. The test holds the app's
real write queue with a job that waits, so "while it runs" is certain, not timed.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import settle, until

from dialoog.storage.store import Store
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.download import DownloadDialog
from dialoog.tui.dialogs.preview import PreviewScreen
from dialoog.tui.host import host_of

SIZE = (120, 36)


def hold_the_writer(pilot: Pilot) -> threading.Event:
    """Queue a job that blocks the app's write queue until the returned event is set."""
    release = threading.Event()
    host_of(pilot.app).writer.submit(lambda _store: release.wait(20))
    return release


async def test_the_preview_shows_a_loading_indicator_until_the_draft_arrives(
    db_path: Path, demo: Store
) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        release = hold_the_writer(pilot)
        screen = PreviewScreen("demo", "verslag")
        await app.push_screen(screen)
        await pilot.pause(0.2)
        scroll = screen.query_one("#preview-scroll")
        assert scroll.loading is True
        release.set()
        await until(pilot, lambda: screen.markdown is not None, "the draft")
        await until(pilot, lambda: scroll.loading is False, "the indicator to go")
        assert "Verslag" in screen.markdown or "verslag" in screen.markdown.lower()


async def test_the_download_dialog_shows_a_loading_indicator_while_rendering(
    db_path: Path, demo: Store
) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = DownloadDialog("demo", "verslag")
        await app.push_screen(dialog)
        await settle(pilot)
        release = hold_the_writer(pilot)
        formats = dialog.query_one("#download-formats")
        formats.focus()
        await pilot.press("enter")  # the first format
        await pilot.pause(0.2)
        assert formats.loading is True
        release.set()
        await until(pilot, lambda: dialog not in app.screen_stack, "the delivery")
        assert any("Draft delivered" in str(n.message) for n in app._notifications)
