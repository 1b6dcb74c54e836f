"""Opening a capture screen as the number of notes grows: 20, 1k, 4k and 16k notes (issue 13).

One session holds four tables with 20, 1,000, 4,000 and 16,000 notes on the
current item (round 1, item 4). Each run launches ``dialoog capture --table T``
as a new process in a window of a private tmux server (100×30 cells, the
machinery of ``bench_tui_launch.py``) and times, from creating the window, until
``tmux capture-pane`` first shows the table's newest note (its text is unique
per table): launch to latest note on screen, as a chair who reopens a busy table
after a crash sees it. The tables take turns (the order rotates every round) so
a busy machine slows all alike; the load (``os.getloadavg``) is printed before
and after.

With ``--scroll``, also in-process (Textual's Pilot, headless, 100×30): on the
16,000-note table, page up 60 times from the newest note, then jump to the
first note (Home); each step is timed until every row on screen has been read
from the store and the screen has been drawn, beside a page up on the 20-note
table (which fits on screen: nothing to read, the frame it is compared with).

Run: ``python benchmarks/bench_tui_open.py [--repeats 5] [--scroll] [--json] [--quick] [--check]``
(``--quick``: the 20- and 16,000-note tables, 2 launches each; ``--json``: the rows of
the contract in benchmarks/README.md on the last line).

Target: the 16,000-note table's median within 1.2× the 20-note table's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_tui_launch import Tmux, launch, machine

from dialoog.models import NoteKind
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote

TARGET_RATIO = 1.2
SESSION = "2015-02-19-skills"
ITEM = 4
#: Notes per table, by table number; the first is the baseline.
SIZES = {1: 20, 2: 1_000, 3: 4_000, 4: 16_000}
KINDS = list(NoteKind)


def note(table: int, i: int) -> NewNote:
    """A note of realistic length and variety."""
    text = (
        f"Notitie {i}: de coördinatie tussen ROC’s en werkgevers kan beter, "
        f"zeker voor zzp’ers en herintreders" + (" – één loket helpt" * (i % 4))
    )
    return NewNote(table, ITEM, text, KINDS[i % len(KINDS)], ("skills", "regio")[: i % 3])


def newest(table: int) -> str:
    """The text of a table's newest note: what the benchmark waits for on screen."""
    return f"Laatste notitie van tafel {table}"


def fill(db: Path, sizes: dict[int, int]) -> None:
    """The session, its clock on item 4, and each table's notes (the newest last)."""
    with Store.open(db) as store:
        store.create_session(find_plan("skills"))
        store.set_clock(SESSION, current_item=ITEM, state="idle")
        for table, count in sizes.items():
            notes = [note(table, i) for i in range(count - 1)]  # the newest is added last
            notes.append(NewNote(table, ITEM, newest(table)))
            store.add_notes(SESSION, notes)


async def scroll(db: Path, table: int, steps: int = 60) -> dict[str, list[float]]:
    """Milliseconds per page up and for Home on ``table``, until its rows are read and drawn."""
    from dialoog.tui.app import create_app
    from dialoog.tui.widgets import NotesList

    async def drawn(pilot, notes: NotesList) -> None:
        while True:
            await pilot.pause()
            top = round(notes.scroll_offset.y)
            rows = range(top, min(notes.total, top + notes.visible_rows))
            if all(i in notes.rows for i in rows):
                return

    times: dict[str, list[float]] = {"page up": [], "home": []}
    app = create_app(db, session_id=SESSION, table=table)
    async with app.run_test(size=(100, 30)) as pilot:
        notes = app.screen.query_one("#notes", NotesList)
        while notes.total != SIZES[table]:
            await pilot.pause(0.01)
        notes.focus()
        await drawn(pilot, notes)
        for _ in range(steps):
            start = time.perf_counter()
            await pilot.press("pageup")
            await drawn(pilot, notes)
            times["page up"].append((time.perf_counter() - start) * 1000)
        for _ in range(5 if notes.total > notes.visible_rows else 0):
            await pilot.press("end")
            await drawn(pilot, notes)
            start = time.perf_counter()
            await pilot.press("home")
            await drawn(pilot, notes)
            times["home"].append((time.perf_counter() - start) * 1000)
    return times


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Fill a database, launch each table's capture screen in turn, print the scaling table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="launches of each table")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--scroll", action="store_true", help="also time paging up in-process")
    parser.add_argument("--quick", action="store_true", help="20 and 16k notes, 2 launches each")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not on PATH")
    script = Path(sys.executable).parent / "dialoog"
    folder = Path(tempfile.mkdtemp(prefix="bench-tui-open-"))
    env = dict(os.environ)
    env.update(
        DIALOOG_HOME=str(folder / "home"),
        DIALOOG_LANG="en",
        LANG="C.UTF-8",
        TERM="xterm-256color",
    )
    env.pop("TMUX", None)
    db = folder / "bench.db"
    sizes = {1: SIZES[1], 4: SIZES[4]} if args.quick else SIZES
    repeats = 2 if args.quick else args.repeats
    fill(db, sizes)
    tables = list(sizes)
    times: dict[int, list[float]] = {table: [] for table in tables}
    load_before = load()
    tmux = Tmux(env)
    try:
        for table in tables:  # one unmeasured launch each warms the caches alike
            command = f"{script} --db {db} capture --session {SESSION} --table {table}"
            launch(tmux, f"warm-{table}", command, newest(table))
        for i in range(repeats):
            order = tables[i % len(tables) :] + tables[: i % len(tables)]
            for table in order:
                command = f"{script} --db {db} capture --session {SESSION} --table {table}"
                times[table].append(launch(tmux, f"t{table}-{i}", command, newest(table)))
        scrolled = {}
        if args.scroll:  # the 20-note table fits the screen: nothing to read, one frame a key
            base_scroll = asyncio.run(scroll(db, tables[0]))
            scrolled = {f"{SIZES[tables[-1]]:,} notes, {k}": v
                        for k, v in asyncio.run(scroll(db, tables[-1])).items()}  # fmt: skip
            scrolled[f"{SIZES[tables[0]]} notes, page up"] = base_scroll["page up"]
    finally:
        tmux.close()
        shutil.rmtree(folder, ignore_errors=True)
    load_after = load()

    base = statistics.median(times[tables[0]])
    rows = [
        {
            "notes": SIZES[table],
            "median_ms": statistics.median(values) * 1000,
            "min_ms": min(values) * 1000,
            "max_ms": max(values) * 1000,
            "ratio": statistics.median(values) / base,
        }
        for table, values in times.items()
    ]
    ratio = rows[-1]["ratio"]  # the largest table against the 20-note one
    met = ratio <= TARGET_RATIO
    if args.json:
        note = f"{repeats} launches each, tmux 100x30; load {load_before} -> {load_after}"
        contract = [
            {"name": f"capture open, {row['notes']:,} notes (launch to newest note)",
             "median": row["median_ms"], "p99": None, "baseline": rows[0]["median_ms"],
             "ratio": row["ratio"], "target": f"<= {TARGET_RATIO}x 20 notes",
             "met": row["ratio"] <= TARGET_RATIO, "unit": "ms", "note": note}
            for row in rows[1:]
        ]  # fmt: skip
        base_label = next((k for k in scrolled if k.startswith("20 ")), None)
        for label, values in scrolled.items():
            if label == base_label or base_label is None:
                continue
            baseline = statistics.median(scrolled[base_label])
            contract.append(
                {"name": label, "median": statistics.median(values), "p99": None,
                 "baseline": baseline, "ratio": statistics.median(values) / baseline,
                 "target": "about one frame a page (as page up on 20 notes)", "met": None,
                 "unit": "ms", "note": "Pilot, headless 100x30; baseline: page up on 20 notes"}
            )  # fmt: skip
        print(json.dumps(contract))
    else:
        print("# bench_tui_open: launch of `dialoog capture` until the newest note is on screen")
        print(machine())
        print(f"# {repeats} launches of each table, rotating")
        print(f"# load (1, 5, 15 min) before {load_before}, after {load_after}")
        print(f"{'notes':>8} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'ratio':>6}")
        for row in rows:
            print(
                f"{row['notes']:8,} {row['median_ms']:10.0f} {row['min_ms']:8.0f}"
                f" {row['max_ms']:8.0f} {row['ratio']:6.2f}"
            )
        verdict = "met" if met else "MISSED"
        print(f"16,000 / 20 notes (medians): {ratio:.2f}  (target <= {TARGET_RATIO}: {verdict})")
        for label, values in scrolled.items():
            ordered = sorted(values)
            p90 = ordered[int(0.9 * (len(ordered) - 1))]
            print(
                f"{label}: median {statistics.median(values):.1f} ms,"
                f" p90 {p90:.1f} ms, max {max(values):.1f} ms (n={len(values)})"
            )
    if args.check and not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
