"""The browser-safe keys arrive in a real terminal as a browser tab sends them (issue 15).

xterm.js (the terminal of ``dialoog serve`` in a browser) sends Alt+letter as
ESC and the letter, Alt+arrow as ``ESC [1;3B``, like tmux does for ``M-o`` and
``M-Down``. This drives the capture screen in a real tmux terminal with only
those keys and F10, none of which a browser keeps for itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_tmux_capture import DIALOOG, Terminal, wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not on PATH"),
]


def test_alt_keys_and_f10_drive_the_capture_screen(terminal: Terminal) -> None:
    env = terminal.env
    subprocess.run([str(DIALOOG), "demo"], env=env, capture_output=True, check=True, timeout=60)
    terminal.launch("t", [str(DIALOOG), "capture", "--session", "demo", "--table", "3"])

    def screen() -> str:
        return terminal.screen("t")

    wait_for("the capture screen", lambda: "4/6" in screen(), 30, screen)
    terminal.press("t", "M-Down")  # next item (ctrl+n in a terminal)
    wait_for("the next item", lambda: "5/6" in screen(), 10, screen)
    terminal.press("t", "M-Up")
    wait_for("the item before", lambda: "4/6" in screen(), 10, screen)
    terminal.press("t", "M-n")  # bottleneck (f5 reloads a browser tab)
    wait_for("the bottleneck kind", lambda: "Next note: ▲" in screen(), 10, screen)
    terminal.press("t", "M-k")  # the keys (f1 opens the browser's help)
    wait_for("the keys dialog", lambda: "alt+k / ? / f1" in screen(), 10, screen)
    terminal.press("t", "Escape")
    wait_for("the keys to close", lambda: "alt+k / ? / f1" not in screen(), 10, screen)
    terminal.press("t", "M-o")  # the overview (ctrl+o opens a file in a browser)
    wait_for("the overview", lambda: "Per minute" in screen(), 10, screen)
    pid = terminal.pane_pid("t")
    terminal.press("t", "F10")  # quit (ctrl+q quits some browsers)
    wait_for("dialoog to quit", lambda: not Path(f"/proc/{pid}").exists(), 15, screen)
