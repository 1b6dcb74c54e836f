"""End to end in a real terminal: type twenty notes, SIGKILL mid-note, nothing is lost.

The installed ``dialoog`` console script runs inside tmux on a temporary
database. The test types twenty notes (Dutch diacritics, every marker, the kind
keys F2–F8, the question key F9, a ctrl+j line break) as a terminal sends them,
waits for each to be committed, types half of a twenty-first note, waits for
the draft to be written, and kills the process with SIGKILL. A second launch
must find exactly the twenty notes in the database and the half-typed text back
in the input.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None,
        reason="tmux is not on PATH: the end-to-end test drives dialoog in a real tmux terminal",
    ),
]

SESSION = "2015-02-19-skills"
TABLE = 3
#: Shown in the capture screen's header from the first frame (read by the command line).
LOADED_TEXT = "Dialoogbijeenkomst skills van de toekomst"
DIALOOG = Path(sys.executable).parent / "dialoog"


@dataclass(frozen=True)
class Typed:
    """One note as the chair types it, and what the database must hold afterwards."""

    raw: str
    kind: str
    text: str
    tags: list[str] = field(default_factory=list)
    question: int | None = None
    keys: tuple[str, ...] = ()
    """tmux key names pressed before the text (kind and question keys)."""


# Typed on item 4 (the first round, which has two questions). The question key
# F9 cycles 1 → 2 → none and the chosen question stays for the following notes;
# a kind key holds for the next note only.
NOTES: list[Typed] = [
    Typed(
        "Notitie 01: één café met crème brûlée",
        "observation",
        "Notitie 01: één café met crème brûlée",
    ),
    Typed(
        '"Notitie 02: wij zeggen ‘nee’ tegen naïeve plannen"',
        "quote",
        "Notitie 02: wij zeggen ‘nee’ tegen naïeve plannen",
    ),
    Typed(
        "! Notitie 03: meer coördinatie tussen ROC’s",
        "recommendation",
        "Notitie 03: meer coördinatie tussen ROC’s",
    ),
    Typed(
        "? Notitie 04: wie betaalt de bijscholing van zzp’ers?",
        "question",
        "Notitie 04: wie betaalt de bijscholing van zzp’ers?",
    ),
    Typed(
        "Notitie 05: te weinig stageplekken in de zorg #knelpunt",
        "bottleneck",
        "Notitie 05: te weinig stageplekken in de zorg",
    ),
    Typed(
        "Notitie 06: leerwerkplek bij de gemeente #voorbeeld #Zorg",
        "example",
        "Notitie 06: leerwerkplek bij de gemeente",
        ["zorg"],
    ),
    Typed(
        "Notitie 07: verslag naar de minister #actie",
        "action",
        "Notitie 07: verslag naar de minister",
    ),
    Typed(
        "Notitie 08: samenwerken is een vaardigheid, geen eigenschap",
        "observation",
        "Notitie 08: samenwerken is een vaardigheid, geen eigenschap",
        question=1,
        keys=("F9",),
    ),
    Typed(
        "“Notitie 09: je leert het pas in de praktijk”",
        "quote",
        "Notitie 09: je leert het pas in de praktijk",
        question=1,
    ),
    Typed(
        "Notitie 10: taal is een drempel",
        "bottleneck",
        "Notitie 10: taal is een drempel",
        question=1,
        keys=("F5",),
    ),
    Typed(
        "Notitie 11: digitale vaardigheden voor ouderen",
        "observation",
        "Notitie 11: digitale vaardigheden voor ouderen",
        question=2,
        keys=("F9",),
    ),
    Typed(
        "Notitie 12: investeer in leven lang ontwikkelen",
        "recommendation",
        "Notitie 12: investeer in leven lang ontwikkelen",
        question=2,
        keys=("F4",),
    ),
    Typed(
        "Notitie 13: de Rotterdamse aanpak werkt",
        "example",
        "Notitie 13: de Rotterdamse aanpak werkt",
        question=2,
        keys=("F6",),
    ),
    Typed(
        "Notitie 14: hoe meet je zachte skills",
        "question",
        "Notitie 14: hoe meet je zachte skills",
        question=2,
        keys=("F7",),
    ),
    Typed(
        "Notitie 15: werkgevers uitnodigen voor ronde 2",
        "action",
        "Notitie 15: werkgevers uitnodigen voor ronde 2",
        question=2,
        keys=("F8",),
    ),
    Typed(
        "Notitie 16: ‘het is geen hogere wiskunde’",
        "quote",
        "Notitie 16: ‘het is geen hogere wiskunde’",
        question=2,
        keys=("F3",),
    ),
    Typed(
        "Notitie 17: ĳverige leerlingen, geëngageerde docenten",
        "observation",
        "Notitie 17: ĳverige leerlingen, geëngageerde docenten",
        keys=("F9",),
    ),
    Typed(
        "Notitie 18: eerste regel\ntweede regel – één zin",
        "observation",
        "Notitie 18: eerste regel\ntweede regel – één zin",
    ),
    Typed(
        "Notitie 19: scholing à la carte #skills #ROC-regio",
        "observation",
        "Notitie 19: scholing à la carte",
        ["skills", "roc-regio"],
        keys=("F5", "F2"),
    ),
    Typed(
        "> Notitie 20: ‘we moeten het samen doen’, zei de wethouder",
        "quote",
        "Notitie 20: ‘we moeten het samen doen’, zei de wethouder",
    ),
]
HALF_TYPED = "Notitie 21: half getypt, één gedachte over coöperatie en"


class Terminal:
    """A private tmux server (its own socket) running dialoog in a 100×30 window."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"dialoog-e2e-{uuid.uuid4().hex[:12]}"
        self.env = env

    def tmux(self, *args: str) -> str:
        """Run a tmux command on this server and return its output."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-u", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def launch(self, name: str, command: list[str]) -> None:
        """Start ``command`` in a new detached session of 100×30 cells."""
        env_args = [
            a for k in ("DIALOOG_HOME", "DIALOOG_LANG") for a in ("-e", f"{k}={self.env[k]}")
        ]
        self.tmux(
            "new-session", "-d", "-s", name, "-x", "100", "-y", "30", *env_args,
            " ".join(_quote(c) for c in command),
        )  # fmt: skip

    def screen(self, name: str) -> str:
        """The text on screen now."""
        return self.tmux("capture-pane", "-p", "-t", name)

    def type(self, name: str, text: str) -> None:
        """Type ``text`` literally; a newline is sent as ctrl+j (a new line in the note)."""
        for n, line in enumerate(text.split("\n")):
            if n:
                self.tmux("send-keys", "-t", name, "C-j")
            if line:
                self.tmux("send-keys", "-t", name, "-l", line)

    def press(self, name: str, *keys: str) -> None:
        """Press keys by tmux name (Enter, F5, C-n)."""
        self.tmux("send-keys", "-t", name, *keys)

    def pane_pid(self, name: str) -> int:
        """The pid of the program running in the session's pane."""
        return int(self.tmux("list-panes", "-t", name, "-F", "#{pane_pid}").split()[0])

    def kill_server(self) -> None:
        """Stop this tmux server and everything in it, and remove its socket file."""
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            env=self.env,
            capture_output=True,
            timeout=10,
        )
        folder = Path(self.env.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


def wait_for(
    what: str, condition: Callable[[], bool], timeout: float, detail: Callable[[], str]
) -> None:
    """Poll ``condition`` every 50 ms until it holds; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    if condition():
        return
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{detail()}")


def count_notes(db: Path) -> int:
    """Live notes of table 3, read through a read-only connection (the app is writing)."""
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*) FROM notes WHERE session_id = ? AND table_no = ?"
                " AND deleted_at IS NULL",
                [SESSION, TABLE],
            ).fetchone()
    except sqlite3.Error:
        return -1
    return int(row[0])


def stored_draft(db: Path, item: int) -> str:
    """The typing draft of table 3 at agenda item ``item`` as stored."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
        row = conn.execute(
            "SELECT text FROM typing_drafts WHERE session_id = ? AND table_no = ? AND item = ?",
            [SESSION, TABLE, item],
        ).fetchone()
    return row[0] if row else ""


def descendants(pid: int) -> list[int]:
    """Processes below ``pid`` (a shell may sit between tmux and dialoog)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def is_dialoog(pid: int) -> bool:
    """Whether ``pid`` runs the dialoog console script."""
    try:
        return b"dialoog" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def alive(pid: int) -> bool:
    """Whether ``pid`` still exists (and is not a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigkill_while_typing_loses_nothing(tmp_path: Path, terminal: Terminal) -> None:
    assert DIALOOG.exists(), f"the dialoog console script is not installed at {DIALOOG}"
    db = tmp_path / "t.db"
    created = subprocess.run(
        [str(DIALOOG), "--db", str(db), "new", "--plan", "skills"],
        env=terminal.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert created.returncode == 0, created.stderr
    assert SESSION in created.stdout
    command = [
        str(DIALOOG),
        "--db",
        str(db),
        "capture",
        "--session",
        SESSION,
        "--table",
        str(TABLE),
    ]

    # First launch: wait for the loaded screen, go to the first round (item 4).
    terminal.launch("first", command)

    def screen() -> str:
        return terminal.screen("first")

    wait_for("the capture screen", lambda: LOADED_TEXT in screen(), 20, screen)
    terminal.press("first", "C-n", "C-n", "C-n")
    wait_for("item 4", lambda: "4/6 " in screen(), 5, screen)

    for n, note in enumerate(NOTES, start=1):
        if note.keys:
            terminal.press("first", *note.keys)
        terminal.type("first", note.raw)
        terminal.press("first", "Enter")
        label = f"Notitie {n:02d}"
        wait_for(f"note {n} to be saved", lambda n=n: count_notes(db) == n, 10, screen)
        wait_for(f"note {n} on screen", lambda label=label: label in screen(), 5, screen)

    # Half a note, then SIGKILL once the app has the text and the draft has had time.
    terminal.type("first", HALF_TYPED)
    wait_for("the half-typed note on screen", lambda: HALF_TYPED in screen(), 5, screen)
    time.sleep(1.5)  # the draft is written within 1 s of the last keystroke
    pane = terminal.pane_pid("first")
    targets = [p for p in [pane, *descendants(pane)] if is_dialoog(p)]
    assert targets, f"no dialoog process under the tmux pane {pane}"
    for pid in targets:
        os.kill(pid, signal.SIGKILL)
    wait_for("dialoog to die", lambda: not any(alive(p) for p in targets), 5, lambda: str(targets))

    # Exactly the twenty notes, each with its kind, text, tags and question.
    list_args = ["notes", "list", "--session", SESSION, "--table", str(TABLE), "--format", "json"]
    listed = subprocess.run(
        [str(DIALOOG), "--db", str(db), *list_args],
        env=terminal.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert listed.returncode == 0, listed.stderr
    saved = json.loads(listed.stdout)
    assert len(saved) == 20
    got = [(s["kind"], s["text"], s["tags"], s["question"], s["item"]) for s in saved]
    want = [(t.kind, t.text, t.tags, t.question, 4) for t in NOTES]
    assert got == want
    assert stored_draft(db, 4) == HALF_TYPED

    # Second launch: the half-typed text is back in the input.
    terminal.launch("second", command)

    def again() -> str:
        return terminal.screen("second")

    wait_for("the capture screen again", lambda: LOADED_TEXT in again(), 20, again)
    # The draft stays with the item it was typed at: not at item 1, back at item 4.
    assert HALF_TYPED not in again()
    terminal.press("second", "C-n", "C-n", "C-n")
    wait_for("item 4 again", lambda: "4/6 " in again(), 5, again)
    wait_for("the draft in the input", lambda: HALF_TYPED in again(), 5, again)
    assert count_notes(db) == 20
