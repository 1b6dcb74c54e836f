"""Bundle import: the progress callback, the bar on a terminal, and the quick text check."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dialoog.history.bundle import PROGRESS_EVERY, export_bundle, import_file
from dialoog.history.bundle_format import clean_text as quick_clean
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote
from dialoog.text import clean_text


def _bundle(tmp_path: Path, notes: int) -> Path:
    """A bundle of one session with ``notes`` notes (every tenth edited once)."""
    source = tmp_path / "source.db"
    with Store.open(source) as s:
        session = s.create_session(find_plan("skills"))
        ids = s.add_notes(
            session.id, [NewNote(1 + i % 8, 4, f"Notitie {i} over leren") for i in range(notes)]
        )
        for note_id in ids[::10]:
            s.edit_note(note_id, text="Bewerkt")
        path = tmp_path / "bundle.json"
        export_bundle(s, session.id, path)
    return path


def test_progress_is_called_increasing_and_ends_at_the_total(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, 1_234)
    calls: list[tuple[int, int]] = []
    with Store.open(tmp_path / "target.db") as target:
        result = import_file(target, bundle, progress=lambda d, t: calls.append((d, t)))
    assert result.new_notes == 1_234
    assert calls[0] == (0, 1_234) and calls[-1] == (1_234, 1_234)
    assert len(calls) == 2 + 1_234 // PROGRESS_EVERY
    done = [d for d, _t in calls]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert {t for _d, t in calls} == {1_234}


def test_the_last_call_comes_after_the_commit(tmp_path: Path) -> None:
    """When ``(total, total)`` arrives, another connection sees every note."""
    bundle = _bundle(tmp_path, 600)
    target = tmp_path / "target.db"
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == total:
            with Store.open(target) as other:
                seen.append(other.db.execute("SELECT count(*) FROM notes").fetchone()[0])

    with Store.open(target) as store:
        import_file(store, bundle, progress=progress)
    assert seen == [600]


def test_a_terminal_gets_a_bar_a_pipe_does_not(tmp_path: Path) -> None:
    """``dialoog import`` draws a rich progress bar on stderr only when it is a terminal."""
    bundle = _bundle(tmp_path, 3_000)
    argv = [sys.executable, "-m", "dialoog", "--db", str(tmp_path / "a.db"), "import", str(bundle)]
    piped = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert "Importing" not in piped.stderr and "━" not in piped.stderr
    # A real pseudo-terminal on stderr; stdout stays a pipe.
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    argv[4] = str(tmp_path / "b.db")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done with it
                break
            if not chunk:
                break
            drawn += chunk
        elif proc.poll() is not None:
            break
    out, _err = proc.communicate(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    assert b"3000 new notes" in out
    text = drawn.decode("utf-8", "replace")
    assert "Importing" in text and "3000/3000" in text, text[-500:]


@given(st.text(st.characters(exclude_categories=()), max_size=60))
def test_the_quick_clean_agrees_with_the_full_one(text: str) -> None:
    assert quick_clean(text) == clean_text(text)


def test_the_quick_clean_on_the_hard_cases() -> None:
    for text in ("a\r\nb", "e\u0301", "x\u2028y", "\x85", "tab\tok\n", "\ud800", "é", "\x1b[31m"):
        assert quick_clean(text) == clean_text(text), repr(text)
