"""The private tmux server the end-to-end tests and the lab drive dialoog in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tmux_capture import Terminal


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A private tmux server, always killed at the end."""
    env = dict(os.environ)
    env.update(
        DIALOOG_HOME=str(tmp_path / "home"),
        DIALOOG_LANG="en",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        TERM="xterm-256color",
    )
    env.pop("DIALOOG_DB", None)
    env.pop("TMUX", None)
    term = Terminal(env)
    try:
        yield term
    finally:
        term.kill_server()
