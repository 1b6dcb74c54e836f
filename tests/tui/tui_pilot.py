"""Helpers shared by the Pilot tests: wait for workers, wait for a screen, type notes."""

from __future__ import annotations

from textual import events
from textual._wait import wait_for_idle
from textual.keys import _character_to_key
from textual.pilot import Pilot

from dialoog.tui.screens.capture import CaptureScreen

SESSION = "2015-02-19-skills"


async def settle(pilot: Pilot) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, check, what: str, tries: int = 100) -> None:
    """Wait (with workers settling) until ``check()`` is true; fail naming ``what``."""
    for _ in range(tries):
        await settle(pilot)
        if check():
            return
    raise AssertionError(f"timed out waiting for {what}")


async def ready(pilot: Pilot) -> CaptureScreen:
    """Wait until the capture screen has loaded its session."""
    for _ in range(100):
        await settle(pilot)
        screen = pilot.app.screen
        if isinstance(screen, CaptureScreen) and screen.loaded:
            return screen
    raise AssertionError("capture screen did not load")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` as a terminal sends it: one key event per character.

    ``Pilot.press`` loses characters such as ``’`` whose key names it cannot map
    back to a character; a real terminal sends the character itself.
    """
    driver = pilot.app._driver
    assert driver is not None
    for char in text:
        key = "ctrl+j" if char == "\n" else _character_to_key(char)
        event = events.Key(key, None if char == "\n" else char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await wait_for_idle(0)


async def type_note(pilot: Pilot, text: str) -> None:
    """Type ``text`` into the focused input and press Enter."""
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)
