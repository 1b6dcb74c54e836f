"""The multi-process lab (see ``lab.py``): a short run by default, 100+ kills under ``slow``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lab import run_lab
from test_tmux_capture import Terminal

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None or shutil.which("sqlite3") is None,
        reason="the lab drives dialoog in tmux and reads with the sqlite3 shell",
    ),
]


def test_lab_short(tmp_path: Path, terminal: Terminal) -> None:
    """Two tables, the clock, the CLI and sqlite3 side by side; six SIGKILLs."""
    report = run_lab(tmp_path, terminal, tables=2, kills=6, moves=2, max_seconds=120)
    print(report.summary())
    assert report.problems() == []
    assert report.kills >= 6 and len(report.acknowledged) >= 5 and report.clock_moves >= 2


@pytest.mark.slow
def test_lab_long(tmp_path: Path, terminal: Terminal) -> None:
    """Three tables and at least 100 SIGKILLs; the figures go in the README."""
    report = run_lab(tmp_path, terminal, tables=3, kills=100, moves=20, max_seconds=2400)
    print(report.summary())
    assert report.problems() == []
    assert report.kills >= 100 and report.clock_moves >= 20
