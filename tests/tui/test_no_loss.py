"""Nothing typed is lost on the way out or in a burst of keys (review findings, now fixed)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from textual import events
from textual._wait import wait_for_idle
from textual.keys import _character_to_key
from tui_pilot import SESSION, ready, settle, type_text

from dialoog.storage.store import Store
from dialoog.tui.app import create_app
from dialoog.tui.widgets import NoteInput


def refuse_writes(app, state: dict) -> None:
    """Make the app's writer see a locked database while ``state["on"]`` is true."""
    gate = app.writer.gate
    real = gate.run

    def run(fn):
        if state["on"]:
            raise sqlite3.OperationalError("database is locked")
        return real(fn)

    gate.run = run
    app.writer.retry_delay = 0.05


async def test_quit_while_locked_warns_then_saves_everything(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=4)
    state = {"on": False}
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        refuse_writes(app, state)
        state["on"] = True
        await type_text(pilot, "dubbel")
        await pilot.press("enter")
        await type_text(pilot, "en nog wat")
        await pilot.pause(0.6)
        await pilot.press("ctrl+q")
        await pilot.pause(0.3)
        assert app.is_running, "quit while the database refuses writes must warn and stay"
        state["on"] = False  # the database is back
        for _ in range(60):
            await pilot.pause(0.05)
            if not app.writer.pending:
                break
        await pilot.press("ctrl+q")
        await pilot.pause(0.3)
    assert [n.text for n in store.list_notes(SESSION, table=4)] == ["dubbel"]
    assert store.load_draft(SESSION, 4) == "en nog wat"


async def test_quit_as_the_database_comes_back(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=4)
    state = {"on": False}
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        refuse_writes(app, state)
        state["on"] = True
        await type_text(pilot, "dubbel")
        await pilot.press("enter")
        await pilot.pause(0.3)
        state["on"] = False
        await pilot.press("ctrl+q")
        await pilot.pause(0.5)
    await asyncio.sleep(0.2)
    assert [n.text for n in store.list_notes(SESSION, table=4)] == ["dubbel"]
    assert store.load_draft(SESSION, 4) == ""  # saved once, not also kept as a draft


async def test_escape_on_a_direct_start_keeps_the_typing(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_text(pilot, "nog niet klaar")
        await pilot.press("escape")
        await pilot.pause(0.5)
    assert store.load_draft(SESSION, 2) == "nog niet klaar"


async def test_keys_right_after_enter_are_kept(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=5)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        # One burst, as a paste without bracketed paste or a busy event loop delivers it.
        for ch in "eerste\rtweede":
            key = events.Key("enter", "\r") if ch == "\r" else events.Key(_character_to_key(ch), ch)
            key.set_sender(app)
            app._driver.send_message(key)
        await wait_for_idle(0)
        await settle(pilot)
        await pilot.pause(0.6)
        await settle(pilot)
        assert screen.query_one(NoteInput).text == "tweede"
    assert [n.text for n in store.list_notes(SESSION, table=5)] == ["eerste"]


async def test_a_saved_note_does_not_return_to_the_draft(db_path: Path, store: Store) -> None:
    """A draft write queued behind a note (database locked) must not put the note back."""
    app = create_app(db_path, session_id=SESSION, table=6)
    state = {"on": False}
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        refuse_writes(app, state)
        state["on"] = True
        await type_text(pilot, "eerst")
        await pilot.press("enter")
        await type_text(pilot, "daarna")
        await pilot.pause(0.8)  # the draft flush is queued behind the note
        state["on"] = False
        for _ in range(60):
            await pilot.pause(0.05)
            if not app.writer.pending:
                break
        assert [n.text for n in store.list_notes(SESSION, table=6)] == ["eerst"]
        assert store.load_draft(SESSION, 6) == "daarna"
