"""A Chromium page on a served link, and the terminal text it shows.

textual-serve draws with xterm.js on a canvas, so the page holds no text to
read. An init script catches the page's ``Terminal`` as textual.js stores it
(``this.terminal = new Terminal(...)``) and keeps it as ``window.__dialoogTerm``;
:func:`screen_text` then reads xterm.js's own buffer, the characters the browser
shows. Playwright drives the installed ``/usr/bin/chromium`` through
``executable_path``; it never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DIALOOG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# .ci/run sets DIALOOG_CHROMIUM once Chromium is installed: then a missing browser fails.
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).is_file() and not os.environ.get("DIALOOG_CHROMIUM"),
    reason=f"no Chromium at {CHROMIUM}, and it could not be installed (apt-get install chromium)",
)

#: Runs before textual.js: the first object given a ``terminal`` that has an
#: xterm.js buffer is the page's terminal; it is kept for the test to read.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && !window.__dialoogTerm) window.__dialoogTerm = value;
  },
});
"""

READ_SCREEN = """
() => {
  const term = window.__dialoogTerm;
  if (!term) return "";
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}
"""


def open_link(browser, url: str, *, locale: str = "en-GB", size=(1200, 760)):
    """A new page (own context) on ``url`` with the terminal catcher installed."""
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale=locale, accept_downloads=True
    )
    context.add_init_script(CATCH_TERMINAL)
    page = context.new_page()
    page.goto(url)
    return page


def screen_text(page) -> str:
    """The terminal's screen as the browser shows it, one line per row."""
    return page.evaluate(READ_SCREEN)


def wait_for_text(page, wanted: str, timeout: float = 60) -> float:
    """Seconds until ``wanted`` shows in the page's terminal (fails after ``timeout``)."""
    start = time.monotonic()
    while wanted not in screen_text(page):
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{wanted!r} not on the page:\n{screen_text(page)}")
        page.wait_for_timeout(50)
    return time.monotonic() - start


def focus_terminal(page) -> None:
    """Give the keyboard to the terminal, as a click into it does."""
    page.locator(".xterm-helper-textarea").focus()
