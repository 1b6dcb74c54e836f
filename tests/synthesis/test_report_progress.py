"""`dialoog report` shows a progress bar on a terminal for a large session (issue 15).

The real command runs as a separate process with its standard error on a real
pseudo-terminal (and, for the quiet case, on a pipe).
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import docx

from dialoog.cli.report import PROGRESS_FROM_NOTES
from dialoog.models import AgendaItem, ItemKind, NoteKind, SessionPlan, Table
from dialoog.storage.store import NewNote, Store


def big_session(path: Path, notes: int = PROGRESS_FROM_NOTES) -> None:
    """A session with ``notes`` notes over ten tables and one round."""
    plan = SessionPlan(
        slug="groot",
        title="Grote bijeenkomst",
        tables=[Table(number=n) for n in range(1, 11)],
        agenda=[AgendaItem(kind=ItemKind.ROUND, title="Ronde 1", questions=["Vraag?"])],
    )
    with Store.open(path) as store:
        session = store.create_session(plan, session_id="groot")
        store.add_notes(
            session.id,
            [
                NewNote(1 + k % 10, 1, f"Notitie {k} over leren", NoteKind.OBSERVATION, (), None)
                for k in range(notes)
            ],
        )


def run_on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run ``python -m dialoog ARGS`` with standard error on a pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "dialoog", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**env, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return process.wait(timeout=120), seen


def test_large_report_on_a_terminal_shows_a_progress_bar(tmp_path: Path) -> None:
    db = tmp_path / "groot.db"
    big_session(db)
    out = tmp_path / "groot.docx"
    env = {**os.environ, "DIALOOG_DB": str(db)}
    code, seen = run_on_terminal(["report", "groot", "--format", "docx", "-o", str(out)], env)
    assert code == 0, seen
    text = seen.decode("utf-8", "replace")
    assert "Rendering" in text and "━" in text  # rich's bar
    assert "Wrote" in text
    assert docx.Document(str(out)).core_properties.title == "Grote bijeenkomst"


def test_no_progress_bar_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "groot.db"
    big_session(db)
    result = subprocess.run(
        [sys.executable, "-m", "dialoog", "report", "groot", "--no-save"],
        capture_output=True,
        env={**os.environ, "DIALOOG_DB": str(db)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert b"Rendering" not in result.stderr and b"\x1b[" not in result.stderr
    assert b"Notitie 1999 over leren" in result.stdout
