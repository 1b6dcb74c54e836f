"""Benchmark: how long small commands take to start, next to ``python -c "import click"``.

Runs, as whole processes, ``dialoog --help``, ``dialoog notes add`` and
``dialoog notes list`` on a demo database, and the baseline
``python -c "import click"`` (the least a click program can cost), interleaved
round by round so a busy machine slows all alike (what hyperfine does with
several commands, without needing it installed). Wall time per run; median
and p99 in milliseconds; the ratio is median over the baseline's median.

Targets (issue 13): ``notes add`` <= 3x the baseline, ``--help`` <= 2x.

Usage: ``python benchmarks/bench_startup.py [--runs 30] [--quick] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _entry() -> list[str]:
    """The installed ``dialoog`` script beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("dialoog")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "dialoog"]


def _commands(db: str) -> list[tuple[str, list[str], float | None]]:
    """(name, argv, target ratio or None) of each command timed."""
    entry = _entry()
    add = ["notes", "add", "--session", "demo", "--table", "1", "--item", "ronde-1"]
    return [
        ("dialoog --help", [*entry, "--help"], 2.0),
        ("dialoog notes add", [*entry, "--db", db, *add, "! een notitie #snel"], 3.0),
        ("dialoog notes list", [*entry, "--db", db, "notes", "list", "--session", "demo"], None),
    ]


BASELINE = [sys.executable, "-c", "import click"]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _wall_ms(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t0) * 1000


def rows(runs: int = 30, quick: bool = False) -> list[dict]:
    """The figures as rows of the ``benchmarks/run`` table (see benchmarks/README.md)."""
    if quick:
        runs = min(runs, 10)
    with tempfile.TemporaryDirectory(prefix="dialoog-bench-") as tmp:
        db = str(Path(tmp) / "d.db")
        subprocess.run(
            [sys.executable, "-m", "dialoog", "--db", db, "demo"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        commands = _commands(db)
        times: dict[str, list[float]] = {name: [] for name, _a, _t in commands}
        base: list[float] = []
        for _warm in range(2):
            _wall_ms(BASELINE)
            for _name, args, _t in commands:
                _wall_ms(args)
        for i in range(runs):
            # The baseline's place in the round moves, so no command always follows it.
            order = [("baseline", BASELINE), *((n, a) for n, a, _t in commands)]
            shift = i % len(order)
            for name, args in order[shift:] + order[:shift]:
                (base if name == "baseline" else times[name]).append(_wall_ms(args))
    load = os.getloadavg()[0]
    b = statistics.median(base)
    out = [
        {
            "name": 'python -c "import click"',
            "median": round(b, 1),
            "p99": round(percentile(base, 99), 1),
            "baseline": None,
            "ratio": None,
            "target": None,
            "met": None,
            "unit": "ms",
            "note": f"the baseline; {runs} runs interleaved, load {load:.2f}",
        }
    ]
    for name, _args, target in commands:
        m = statistics.median(times[name])
        ratio = m / b
        out.append(
            {
                "name": name,
                "median": round(m, 1),
                "p99": round(percentile(times[name], 99), 1),
                "baseline": round(b, 1),
                "ratio": round(ratio, 2),
                "target": f"<= {target:g}x import click" if target else None,
                "met": (ratio <= target) if target else None,
                "unit": "ms",
                "note": "whole process, wall time",
            }
        )
    return out


def main() -> None:
    """Run the commands and print a table, or the rows as JSON with ``--json``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="10 runs each")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    result = rows(args.runs, args.quick)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'command':26} {'median ms':>10} {'p99 ms':>8} {'ratio':>6}  target")
    for r in result:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        met = "" if r["met"] is None else ("met" if r["met"] else "NOT met")
        print(
            f"{r['name']:26} {r['median']:10.1f} {r['p99']:8.1f} {ratio:>6}  "
            f"{r['target'] or ''} {met}"
        )


if __name__ == "__main__":
    main()
