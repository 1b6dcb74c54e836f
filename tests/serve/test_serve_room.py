"""The issue's "done when" in real Chromium: a room of tabs on ``dialoog serve demo`` (issue 10).

One server on the demo session; three Chromium pages are three tables, one is
the chair of the day on the overview. What each page shows is read from
xterm.js's own buffer (:mod:`xterm_page`); what is saved, from a fresh process.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from serve_client import (
    Served,
    dialoog,
    env_for,
    fresh_rows,
    notes_of,
    start_server,
    wait_until,
)
from xterm_page import (
    CHROMIUM,
    LAUNCH_ARGS,
    focus_terminal,
    needs_chromium,
    open_link,
    screen_text,
    wait_for_text,
)

pytestmark = needs_chromium

#: The issue's promise: a note typed at a table is on the chair's overview within this.
OVERVIEW_SECONDS = 2.0


@pytest.fixture
def demo_served(tmp_path: Path) -> Iterator[Served]:
    """``dialoog serve demo`` on a database where ``dialoog demo`` made the demo session."""
    env = env_for(tmp_path)
    db = tmp_path / "room.db"
    dialoog(db, "demo", env=env)
    server = start_server(db, "demo", env=env)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_three_tables_and_the_chair_of_the_day_in_chromium(demo_served, browser) -> None:
    served = demo_served
    chair = open_link(browser, f"{served.base}/t/{served.links['chair']}")
    wait_for_text(chair, "Clock of the chair of the day")
    focus_terminal(chair)
    chair.keyboard.press("o")
    wait_for_text(chair, "Overview of")

    tables = {
        n: open_link(browser, f"{served.base}/t/{served.links[f'table-{n}']}") for n in (1, 2, 3)
    }
    for n, page in tables.items():
        wait_for_text(page, f"Table {n}")
    assert len(served.app_processes()) == 4

    # A wrong token: the refusal page, and no process started for it.
    stranger = browser.new_page(locale="en-GB")
    answer = stranger.goto(f"{served.base}/t/{served.links['table-1'][:-4]}AAAA")
    assert answer is not None and answer.status == 403
    assert "No access" in stranger.locator("h1").inner_text()
    stranger.wait_for_timeout(1000)
    assert len(served.app_processes()) == 4

    delays = {}
    for n, page in tables.items():
        text = f"Tafel {n} in de browser: leren van collega's"
        focus_terminal(page)
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        # Saved shows as the note in the table's own list (the input is empty again).
        wait_for_text(page, f"  {text}", timeout=30)
        saved = time.monotonic()
        wait_for_text(chair, text, timeout=30)
        delays[n] = time.monotonic() - saved
    print(f"saved at a table → on the overview: {delays} (load {psutil.getloadavg()[0]:.2f})")
    assert all(d <= OVERVIEW_SECONDS for d in delays.values()), delays
    saved_notes = notes_of(served.db, "demo")
    for n in tables:
        assert (n, f"Tafel {n} in de browser: leren van collega's") in saved_notes


def table_app(served: Served, table: int) -> psutil.Process:
    """The app process the server started for ``table``'s link (the one, once it runs)."""
    found = wait_until(
        lambda: [p for p in served.app_processes() if p.cmdline()[-2:] == ["--table", str(table)]],
        timeout=30,
    )
    assert len(found) == 1, found
    return found[0]


def closed(page) -> bool:
    """Whether textual.js shows its "the screen has closed" dialog (the app ended)."""
    return page.evaluate("() => document.body.classList.contains('-closed')")


def test_a_killed_app_process_loses_nothing_that_showed_as_saved(demo_served, browser) -> None:
    served = demo_served
    link = f"{served.base}/t/{served.links['table-4']}"
    page = open_link(browser, link)
    wait_for_text(page, "Table 4")
    focus_terminal(page)
    typed = [f"Voor de kill {i}: leren op de werkplek" for i in range(3)]
    for text in typed:
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        wait_for_text(page, f"  {text}", timeout=30)  # shown in the list: saved
    half = "Half getypt toen het proces"
    page.keyboard.type(half)
    wait_for_text(page, f"▊ {half}")
    # The draft is written about 0.4 s after the last key; the half-typed text
    # never showed as saved, so wait until it is, as a chair who pauses would.
    assert wait_until(
        lambda: (
            fresh_rows(
                served.db,
                "SELECT text FROM typing_drafts WHERE session_id = 'demo' AND table_no = 4",
            )
            == [(half,)]
        ),
        timeout=30,
    )

    table_app(served, 4).kill()  # SIGKILL: no chance to save anything more
    assert wait_until(lambda: closed(page), timeout=30)
    assert wait_until(lambda: not served.app_processes(), timeout=30)
    saved = notes_of(served.db, "demo")
    assert [t for t in typed if (4, t) not in saved] == []

    # Restart on the page opens the link again: a new app process, the capture
    # screen, the half-typed text back in the input.
    page.locator(".closed-dialog button").click()
    wait_for_text(page, "Table 4")
    wait_for_text(page, f"▊ {half}", timeout=30)
    assert len(served.app_processes()) == 1
    for text in typed:  # the list reads its page in a worker: wait for it
        wait_for_text(page, f"  {text}", timeout=30)


def test_the_browser_safe_keys_reach_the_app_in_chromium(demo_served, browser) -> None:
    """Alt+Down/Up, Alt+N, Alt+J, Alt+K and F10, pressed on Chromium's keyboard, reach the app."""
    served = demo_served
    page = open_link(browser, f"{served.base}/t/{served.links['table-6']}")
    wait_for_text(page, "Table 6")
    wait_for_text(page, "4/6 Conversation round")
    focus_terminal(page)

    # xterm.js sends Alt+Down as Ctrl+Down (ESC [1;5B): both move to the next item.
    page.keyboard.press("Alt+ArrowDown")
    wait_for_text(page, "5/6 Conversation round", timeout=30)
    page.keyboard.press("Alt+ArrowUp")
    wait_for_text(page, "4/6 Conversation round", timeout=30)
    page.keyboard.press("Alt+ArrowDown")
    wait_for_text(page, "5/6 Conversation round", timeout=30)
    page.keyboard.press("Alt+n")  # the next note is a bottleneck
    wait_for_text(page, "Next note: ▲ bottleneck", timeout=30)
    page.keyboard.type("Werkgevers en scholen")
    page.keyboard.press("Alt+j")  # a new line in the note (Alt+Enter arrives as Enter)
    page.keyboard.type("spreken elkaars taal niet")
    wait_for_text(page, "▊ spreken elkaars taal niet", timeout=30)
    page.keyboard.press("Enter")
    assert wait_until(
        lambda: fresh_rows(
            served.db,
            "SELECT item, kind FROM notes WHERE session_id = 'demo' AND table_no = 6 AND text = ?",
            "Werkgevers en scholen\nspreken elkaars taal niet",
        ),
        timeout=30,
    ) == [(5, "bottleneck")]

    page.keyboard.press("Alt+k")  # the keys dialog
    wait_for_text(page, "Every key of this screen", timeout=30)
    page.keyboard.press("Escape")
    assert wait_until(lambda: "Every key of this screen" not in screen_text(page), timeout=30)

    page.keyboard.press("F10")  # quit: the app ends, the page says so
    assert wait_until(lambda: closed(page), timeout=30)
    assert wait_until(lambda: not served.app_processes(), timeout=30)
