"""Pilot tests: drafts survive a rebuilt app, writes are retried, the clock is followed."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_pilot import SESSION, ready, settle, type_note, type_text

from dialoog.storage.store import Store
from dialoog.tui.app import create_app
from dialoog.tui.screens.capture import DRAFT_DELAY
from dialoog.tui.widgets import NoteInput


async def wait_until(pilot: Pilot, condition, timeout: float = 4.0) -> None:
    """Pause until ``condition()`` holds (timers and workers keep running)."""
    for _ in range(int(timeout / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
    assert condition()


async def test_draft_saved_while_typing_and_restored(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=6)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_note(pilot, "al bewaard")
        await type_text(pilot, "half getypt: één idee’s")
        # Within a second of the last keystroke the draft is in the database.
        await wait_until(pilot, lambda: store.load_draft(SESSION, 6, item=1) != "", timeout=1.0)
        assert store.load_draft(SESSION, 6, item=1) == "half getypt: één idee’s"
    # A new app on the same database (as after a crash) shows the draft again.
    app = create_app(db_path, session_id=SESSION, table=6)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one(NoteInput).text == "half getypt: één idee’s"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(DRAFT_DELAY + 0.2)
        await settle(pilot)
        # Saving the note clears the draft.
        assert store.load_draft(SESSION, 6, item=1) == ""
    assert [n.text for n in store.list_notes(SESSION, table=6)] == [
        "al bewaard",
        "half getypt: één idee’s",
    ]


async def test_quit_saves_draft(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_text(pilot, "nog niet klaar")
        await pilot.press("ctrl+q")  # at once, before the draft timer fires
        await settle(pilot)
    assert store.load_draft(SESSION, 2, item=1) == "nog niet klaar"


async def test_failed_write_keeps_text_and_is_retried(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        gate = app.writer.gate
        real_run = gate.run
        failures = {"left": 2}

        def flaky(fn):
            if failures["left"]:
                failures["left"] -= 1
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return real_run(fn)

        gate.run = flaky  # type: ignore[method-assign]
        app.writer.retry_delay = 0.05
        await type_note(pilot, "niet verloren")
        await wait_until(pilot, lambda: not screen.pending)
        messages = [n.message for n in app._notifications]
        assert any("readonly" in m for m in messages)
        assert any("writable again" in m for m in messages)
    assert [n.text for n in store.list_notes(SESSION)] == ["niet verloren"]


async def test_pending_note_shown_while_database_refuses(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        gate = app.writer.gate
        real_run = gate.run
        broken = {"on": True}

        def refuse(fn):
            if broken["on"]:
                raise sqlite3.OperationalError("database is locked")
            return real_run(fn)

        gate.run = refuse  # type: ignore[method-assign]
        app.writer.retry_delay = 0.05
        await type_text(pilot, "wacht even")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert list(screen.pending.values()) == [(1, "wacht even")]
        assert screen.unsaved_text() == "wacht even"  # what a draft would keep
        assert store.list_notes(SESSION) == []
        broken["on"] = False
        await wait_until(pilot, lambda: not screen.pending)
        await settle(pilot)
    assert [n.text for n in store.list_notes(SESSION)] == ["wacht even"]


def _ends(minutes: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)


async def test_clock_followed_when_another_connection_moves_programme(
    db_path: Path, store: Store
) -> None:
    app = create_app(db_path, session_id=SESSION, table=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.item == 1
        store.set_clock(SESSION, current_item=4, state="running", ends_at=_ends(45))
        await wait_until(pilot, lambda: screen.item == 4, timeout=2.5)
        title = str(screen.query_one("#capture-title").render())
        assert "⏱ 4" in title  # the countdown of the round (44:59 or 45:00)


async def test_clock_followed_across_processes(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, table=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        code = (
            "import sys; from dialoog.storage.store import Store\n"
            "with Store.open(sys.argv[1]) as s:\n"
            f"    s.set_clock({SESSION!r}, current_item=5, state='idle')\n"
        )
        subprocess.run([sys.executable, "-c", code, str(db_path)], check=True)
        await wait_until(pilot, lambda: screen.item == 5, timeout=2.5)


async def test_item_picked_by_hand_is_kept_and_programme_shown(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        assert screen.item == 3
        store.set_clock(SESSION, current_item=4, state="running", ends_at=_ends(45))
        await wait_until(pilot, lambda: screen.programme_item == 4, timeout=2.5)
        await pilot.pause()
        assert screen.item == 3  # the chair's own choice stands
        moved = screen.query_one("#capture-moved")
        assert moved.display
        assert "ctrl+g" in str(moved.render())
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert screen.item == 4
        assert not screen.manual


@pytest.mark.parametrize("start_item", [None, 2])
async def test_opens_on_programme_item(db_path: Path, store: Store, start_item) -> None:
    if start_item:
        store.set_clock(SESSION, current_item=start_item, state="idle")
    app = create_app(db_path, session_id=SESSION, table=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.item == (start_item or 1)


async def test_half_typed_text_stays_with_its_agenda_item(db_path: Path, store: Store) -> None:
    """Issue 9, item 4: moving to another item (by the clock or by hand) never takes the
    text along to be saved in the wrong round; coming back brings it back, and so does a
    relaunch."""
    store.set_clock(SESSION, current_item=1, state="idle")
    app = create_app(db_path, session_id=SESSION, table=7)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        note_input = screen.query_one(NoteInput)
        assert screen.item == 1
        await type_text(pilot, "half bij de opening")
        # The chair of the day moves the programme on: the screen follows, the text stays.
        store.set_clock(SESSION, current_item=2, state="idle")
        await wait_until(pilot, lambda: screen.item == 2)
        assert note_input.text == ""
        assert any("stays with item 1" in str(n.message) for n in app._notifications)
        await type_text(pilot, "bij de keynote")
        await pilot.press("ctrl+b")  # back by hand
        await settle(pilot)
        assert (screen.item, note_input.text) == (1, "half bij de opening")
        await pilot.press("enter")  # saved at item 1, where it was typed
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert (screen.item, note_input.text) == (2, "bij de keynote")
        await wait_until(pilot, lambda: store.load_draft(SESSION, 7, item=2) == "bij de keynote")
        await wait_until(pilot, lambda: store.load_draft(SESSION, 7, item=1) == "")
    assert [(n.item, n.text) for n in store.list_notes(SESSION, table=7)] == [
        (1, "half bij de opening")
    ]
    # Relaunched (as after a crash): it opens at the programme's item 2 with its text;
    # item 1 has nothing left to type.
    app = create_app(db_path, session_id=SESSION, table=7)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert (screen.item, screen.query_one(NoteInput).text) == (2, "bij de keynote")
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert (screen.item, screen.query_one(NoteInput).text) == (1, "")
