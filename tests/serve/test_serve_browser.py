"""A real browser on a table's link: Debian's Chromium driven by Playwright (issue 10).

Playwright drives the installed ``/usr/bin/chromium`` through ``executable_path``;
it never downloads a browser of its own. Only keys no browser keeps for itself
are pressed (text and Enter). ``DIALOOG_UPDATE_SCREENSHOT=1`` saves the README's
screenshot, ``docs/img/serve-capture.png``. Skipped, with the reason, when there is no Chromium.
"""

from __future__ import annotations

import os
from pathlib import Path

from serve_client import Served, fresh_rows, notes_of, wait_until
from xterm_page import CHROMIUM, LAUNCH_ARGS, needs_chromium

SCREENSHOT = Path(__file__).parents[2] / "docs" / "img" / "serve-capture.png"

pytestmark = needs_chromium


def wait_for_first_byte(page, timeout: float = 60) -> None:
    """Wait until the app's first output reached the page (textual.js marks the body)."""
    page.wait_for_function(
        "() => document.body.classList.contains('-first-byte')", timeout=timeout * 1000
    )


def test_a_chair_types_a_note_in_chromium_and_it_is_saved(served: Served) -> None:
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700}, locale="en-GB")
            page.goto(f"{served.base}/t/{served.links['table-2']}")
            wait_for_first_byte(page)
            assert [c[-1] for c in served.app_command_lines()] == ["2"]
            page.wait_for_timeout(1500)  # the capture screen reads its table and draft
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type("Stagiairs leren het meest van oudere collega's")
            # xterm.js draws on a canvas: the keys' arrival shows as the table's draft.
            assert wait_until(
                lambda: (
                    fresh_rows(
                        served.db,
                        "SELECT text FROM typing_drafts WHERE session_id = ? AND table_no = 2",
                        served.session,
                    )
                    == [("Stagiairs leren het meest van oudere collega's",)]
                ),
                timeout=30,
            )
            page.keyboard.press("Enter")
            assert wait_until(
                lambda: (
                    (2, "Stagiairs leren het meest van oudere collega's")
                    in notes_of(served.db, served.session)
                ),
                timeout=30,
            )
            if os.environ.get("DIALOOG_UPDATE_SCREENSHOT"):  # for the README
                page.wait_for_timeout(500)
                page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()


def test_the_secretary_downloads_the_draft_in_chromium(served: Served) -> None:
    """The page adds its token to textual-serve's download address; the server lets it through."""
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, locale="en-GB")
            page = context.new_page()
            page.goto(f"{served.base}/t/{served.links['secretary']}")
            wait_for_first_byte(page)
            page.wait_for_timeout(2000)  # the synthesis screen reads the session
            page.locator(".xterm-helper-textarea").focus()
            with context.expect_event(
                "response", predicate=lambda r: "/download/" in r.url, timeout=60_000
            ) as answered:
                page.keyboard.press("d")
                page.wait_for_timeout(1000)
                page.keyboard.press("ArrowDown")
                page.keyboard.press("Enter")  # the second format: .html
            response = answered.value
            assert f"token={served.links['secretary']}" in response.url
            assert response.status == 200
            assert response.headers["content-type"].startswith("text/html")
        finally:
            browser.close()
