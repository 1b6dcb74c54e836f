"""Keystroke-to-screen latency of the capture screen, with and without a busy writer (issue 3).

The app runs in-process under Textual's Pilot (headless, 100×30). A typist
thread sends key events the way a terminal driver's input thread does
(``Driver.process_message`` from another thread) at a fast typist's pace
(20–80 ms apart, Enter after every ~40 characters, so notes are saved and
drafts written as in real use). A keystroke's latency runs from sending the
key until the first screen update (``App._display``, with the update rendered
to terminal segments as a real terminal would get them) showing the input's
text with that key applied.

In the "writer" condition another process saves 10 notes per second into the
same database (other tables of the same session and item, one IMMEDIATE
transaction each, as every other chair's screen does). The baseline is the
same typing without it. The conditions alternate in blocks, in the same run.

Run: ``python benchmarks/bench_tui_latency.py [--n 300] [--check]``

Target: p99 <= 50 ms with the writer running.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import textual
from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.keys import _character_to_key

import dialoog
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote
from dialoog.tui.app import create_app
from dialoog.tui.screens.capture import CaptureScreen
from dialoog.tui.widgets import NoteInput

TARGET_P99_MS = 50.0
SESSION = "2015-02-19-skills"
TABLE = 3
ITEM = 4
TEXT = (
    "De coördinatie tussen ROC’s en werkgevers moet beter; één loket voor zzp’ers "
    "zou helpen. Naïeve plannen werken niet, zei de wethouder: ‘we moeten het samen doen’. "
)
#: Characters per note before Enter.
NOTE_LENGTH = 40


def machine() -> str:
    """Date, platform, CPUs and versions, for the header of the output."""
    return (
        f"# {dt.datetime.now().isoformat(timespec='seconds')}  {platform.platform()}  "
        f"{os.cpu_count()} CPUs\n# Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, Textual {textual.__version__}, "
        f"dialoog {dialoog.__version__}"
    )


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0..100), linear between closest ranks."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def writer(db: Path, rate: float, stop_file: Path) -> None:
    """Save ``rate`` notes per second to other tables until ``stop_file`` exists."""
    store = Store.open(db)
    tables = [t for t in range(1, 9) if t != TABLE]
    start = time.perf_counter()
    n = 0
    while not stop_file.exists():
        store.add_note(
            SESSION, NewNote(tables[n % len(tables)], ITEM, f"Notitie {n} van een andere tafel")
        )
        n += 1
        pause = start + n / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    elapsed = time.perf_counter() - start
    store.close()
    print(f"{n} {elapsed:.3f}", flush=True)


class Probe:
    """Watches screen updates for the input's text; the typist waits on it."""

    def __init__(self) -> None:
        self.expected: str | None = None
        self.seen = threading.Event()
        self.seen_at = 0.0
        self.note_input: NoteInput | None = None
        self._display = App._display
        probe = self

        def display(app: App, screen: object, renderable: object) -> None:
            probe._display(app, screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                # Headless apps skip this step; a terminal gets these bytes.
                renderable.render_segments(app.console)
            if probe.expected is None or probe.note_input is None:
                return
            if probe.note_input.text == probe.expected:
                probe.seen_at = time.perf_counter()
                probe.expected = None
                probe.seen.set()

        App._display = display  # type: ignore[method-assign]

    def close(self) -> None:
        """Put Textual back as it was."""
        App._display = self._display  # type: ignore[method-assign]


def typist(
    app: App, probe: Probe, count: int, seed: int, out: list[float], lost: list[int]
) -> None:
    """Type ``count`` characters; append each keystroke's latency (ms) to ``out``."""
    driver = app._driver
    assert driver is not None
    rng = random.Random(seed)
    assert probe.note_input is not None
    typed = probe.note_input.text  # a draft left by an earlier block
    position = seed * 7

    def send(key: str, character: str | None, expected: str) -> float | None:
        probe.seen.clear()
        probe.expected = expected
        start = time.perf_counter()
        driver.process_message(events.Key(key, character))
        if not probe.seen.wait(2.0):
            probe.expected = None
            return None
        return (probe.seen_at - start) * 1000

    for _ in range(count):
        char = TEXT[position % len(TEXT)]
        position += 1
        if char == " " and not typed:
            continue
        typed += char
        latency = send(_character_to_key(char), char, typed)
        if latency is None:
            lost.append(1)
        else:
            out.append(latency)
        time.sleep(rng.uniform(0.02, 0.08))
        if len(typed) >= NOTE_LENGTH and char == " ":
            send("enter", "\r", "")
            typed = ""
            time.sleep(rng.uniform(0.05, 0.15))
    if typed:
        send("enter", "\r", "")


async def block(
    db: Path, probe: Probe, count: int, seed: int, out: list[float], lost: list[int]
) -> None:
    """One app, one typist run of ``count`` keystrokes."""
    app = create_app(db, session_id=SESSION, table=TABLE)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            screen = app.screen
            if isinstance(screen, CaptureScreen) and screen.loaded:
                break
            await pilot.pause(0.01)
        else:
            raise SystemExit("the capture screen did not load")
        probe.note_input = app.screen.query_one(NoteInput)
        await pilot.pause(0.3)
        thread = threading.Thread(
            target=typist, args=(app, probe, count, seed, out, lost), daemon=True
        )
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.05)
        await pilot.press("ctrl+q")
    probe.note_input = None


def main() -> None:
    """Run baseline and writer blocks alternately; print p50/p99 of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="keystrokes per condition")
    parser.add_argument("--blocks", type=int, default=2, help="blocks per condition")
    parser.add_argument("--rate", type=float, default=10.0, help="writer notes per second")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    parser.add_argument("--writer", nargs=2, metavar=("DB", "STOP_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(Path(args.writer[0]), args.rate, Path(args.writer[1]))
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-tui-latency-"))
    os.environ["DIALOOG_HOME"] = str(folder / "home")
    db = folder / "bench.db"
    with Store.open(db) as store:
        store.create_session(find_plan("skills"))
        store.set_clock(SESSION, current_item=ITEM, state="idle")
    results: dict[str, list[float]] = {"baseline": [], "writer": []}
    lost: dict[str, list[int]] = {"baseline": [], "writer": []}
    written: list[tuple[int, float]] = []
    per_block = max(1, args.n // args.blocks)
    probe = Probe()
    try:
        for b in range(args.blocks):
            for condition in ("baseline", "writer"):
                proc = None
                stop = folder / f"stop-{b}"
                if condition == "writer":
                    proc = subprocess.Popen(
                        [
                            sys.executable,
                            __file__,
                            "--rate",
                            str(args.rate),
                            "--writer",
                            str(db),
                            str(stop),
                        ],
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    time.sleep(0.5)  # the writer is up and saving
                try:
                    asyncio.run(block(db, probe, per_block, b, results[condition], lost[condition]))
                finally:
                    if proc is not None:
                        stop.touch()
                        output, _ = proc.communicate(timeout=30)
                        n, seconds = output.split()
                        written.append((int(n), float(seconds)))
    finally:
        probe.close()
        shutil.rmtree(folder, ignore_errors=True)

    print("# bench_tui_latency: keystroke until the screen update showing it (capture screen)")
    print(machine())
    notes = sum(n for n, _ in written)
    seconds = sum(s for _, s in written)
    print(
        f"# {args.blocks} blocks per condition, alternating; typing 20-80 ms apart, Enter every "
        f"~{NOTE_LENGTH} chars; writer saved {notes} notes in {seconds:.1f} s "
        f"({notes / seconds if seconds else 0:.1f}/s)"
    )
    print(
        f"{'':10} {'keys':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'lost':>5}"
    )
    for condition, values in results.items():
        print(
            f"{condition:10} {len(values):6d} {statistics.median(values):8.1f}"
            f" {percentile(values, 90):8.1f} {percentile(values, 99):8.1f} {max(values):8.1f}"
            f" {len(lost[condition]):5d}"
        )
    p99 = percentile(results["writer"], 99)
    verdict = "met" if p99 <= TARGET_P99_MS and not lost["writer"] else "MISSED"
    print(f"p99 with the writer: {p99:.1f} ms  (target <= {TARGET_P99_MS:.0f} ms: {verdict})")
    if args.check and verdict != "met":
        sys.exit(1)


if __name__ == "__main__":
    main()
