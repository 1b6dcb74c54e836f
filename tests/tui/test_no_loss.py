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
    assert store.load_draft(SESSION, 4, item=1) == "en nog wat"


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
    assert store.load_draft(SESSION, 4, item=1) == ""  # saved once, not also kept as a draft


async def test_escape_on_a_direct_start_keeps_the_typing(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_text(pilot, "nog niet klaar")
        await pilot.press("escape")
        await pilot.pause(0.5)
    assert store.load_draft(SESSION, 2, item=1) == "nog niet klaar"


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
        assert store.load_draft(SESSION, 6, item=1) == "daarna"


async def test_a_database_removed_under_the_screen_is_never_called_saved(db_path: Path) -> None:
    """``rm dialoog.db*`` while capturing (issue 9, item 6): refuse, keep the text, say so."""
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        app.writer.retry_delay = 0.05
        await type_text(pilot, "voor het weghalen")
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.pending
        # Keep what was saved so far, the way an operator keeps a backup, then remove.
        backup = db_path.with_name("kept.db")
        with Store.open(db_path) as other:
            other.db.conn.execute("VACUUM INTO ?", [str(backup)])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        await type_text(pilot, "na het weghalen")
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert [text for _item, text in screen.pending.values()] == ["na het weghalen"]
        assert app.writer.failing and "removed" in app.writer.failing
        titles = [n.title for n in app._notifications]
        assert "Not saved yet" in titles and "Saved" not in titles
        assert not db_path.exists(), "no new, empty database may appear in its place"
        await pilot.press("ctrl+q")
        await pilot.pause(0.3)
        assert app.is_running, "quitting with a note not saved must warn and stay"
        # The database comes back (restored from the backup): the note is saved there.
        backup.rename(db_path)
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.writer.pending:
                break
        assert not screen.pending
        await pilot.press("ctrl+q")
        await pilot.pause(0.3)
    with Store.open(db_path) as fresh:
        texts = [n.text for n in fresh.list_notes(SESSION, table=3)]
    assert texts == ["voor het weghalen", "na het weghalen"]
