"""How much does saving a note through the store cost, next to a bare SQLite insert?

Saves N notes one by one through :meth:`dialoog.storage.store.Store.add_note`
into a fresh database and, in the same run, N plain ``sqlite3`` inserts of a
row of the same shape into another fresh database with the same durability
settings (WAL, ``synchronous=FULL``, each insert its own transaction). The two
alternate in blocks, the first of each pair switching every block, so that a
noisy shared machine slows both alike. Prints median and p99 latency per save
(ms), their ratios, and the target: ratio <= 2.0 and p99 <= 5 ms.

Two baselines, both measured in every run: the plain insert (no full-text
index) and the plain insert into a table with one FTS5 word index kept by a
trigger (the least a searchable note costs). **The target ratio is against
the plain insert without FTS**; the ratio against the FTS baseline is shown
beside it (about 1.45 in issue 13's runs).

    python benchmarks/bench_store.py [--n 2000] [--block 50] [--json] [--full-json] [--profile]

``--json`` prints the rows of ``benchmarks/run`` (see benchmarks/README.md);
``--full-json`` every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from dialoog import __version__ as dialoog_version
from dialoog.models import NoteKind
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote

TARGET_RATIO = 2.0
TARGET_P99_MS = 5.0
WARMUP = 20

TEXTS = (
    "Zelfstandig leren is een vaardigheid die in het curriculum ontbreekt.",
    "Coöperatie tussen mbo en bedrijfsleven: één loket, geen tien.",
    "Ideeën van de jongeren zelf worden te weinig gehoord.",
    "Knelpunt: financiering van een leven lang leren na je vijfenveertigste.",
    "Voorbeeld: de Techniekfabriek, scholieren én werkgevers aan tafel.",
    "Zij zei: „Wij leren het meest van onze fouten.”",
    "Docenten moeten tijd krijgen om zelf bij te blijven in hun vak; nu gaat die "
    "tijd op aan administratie en verantwoording, zeiden drie van de vijf aan tafel.",
)
KINDS = tuple(NoteKind)

PLAIN_SCHEMA = """
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    table_no INTEGER NOT NULL,
    item INTEGER NOT NULL,
    question INTEGER,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    tags_json TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    rev INTEGER NOT NULL DEFAULT 1
);
"""


PLAIN_FTS_SCHEMA = (
    PLAIN_SCHEMA
    + """
CREATE VIRTUAL TABLE notes_fts USING fts5(
    text, content='notes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, text) VALUES (new.rowid, new.text);
END;
"""
)


def new_note(i: int) -> NewNote:
    return NewNote(
        table=1 + i % 8,
        item=4 + i % 2,
        text=f"{TEXTS[i % len(TEXTS)]} ({i})",
        kind=KINDS[i % len(KINDS)],
        tags=("bench", "coöperatie")[: i % 3],
        question=1 if i % 4 == 0 else None,
    )


class StoreSaver:
    """Saves through dialoog's store: what the capture screen does."""

    def __init__(self, folder: Path) -> None:
        self.store = Store.open(folder / "store.db")
        self.session_id = self.store.create_session(find_plan("skills")).id

    def save(self, i: int) -> None:
        self.store.add_note(self.session_id, new_note(i))

    def close(self) -> None:
        self.store.close()


class PlainSaver:
    """The floor: one bare INSERT per transaction, WAL + synchronous=FULL."""

    def __init__(self, folder: Path, name: str = "plain.db", schema: str = PLAIN_SCHEMA) -> None:
        self.conn = sqlite3.connect(folder / name, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA busy_timeout = 10000")
        self.conn.executescript(schema)

    def save(self, i: int) -> None:
        note = new_note(i)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        self.conn.execute(
            "INSERT INTO notes (id, session_id, table_no, item, question, kind, text, tags_json,"
            " created_at, updated_at, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [str(uuid.uuid4()), "2015-02-19-skills", note.table, note.item, note.question,
             note.kind.value, note.text, json.dumps(list(note.tags)), stamp, stamp],
        )  # fmt: skip

    def close(self) -> None:
        self.conn.close()


def timed(save: Callable[[int], None], start: int, count: int, out: list[float]) -> None:
    for i in range(start, start + count):
        t0 = time.perf_counter()
        save(i)
        out.append((time.perf_counter() - t0) * 1000)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0..100), linear between closest ranks."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(values),
        "p99_ms": percentile(values, 99),
        "mean_ms": statistics.fmean(values),
        "max_ms": max(values),
    }


def environment(folder: Path) -> dict[str, object]:
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "dialoog": dialoog_version,
        "folder": str(folder),
    }


def run(n: int, block: int, folder: Path, profile: bool) -> dict[str, object]:
    store, plain = StoreSaver(folder), PlainSaver(folder)
    fts = PlainSaver(folder, "plain_fts.db", PLAIN_FTS_SCHEMA)
    store_ms: list[float] = []
    plain_ms: list[float] = []
    fts_ms: list[float] = []
    profiler = cProfile.Profile() if profile else None
    try:
        # Warm all up (caches, first pages of the files); not counted.
        timed(store.save, -WARMUP, WARMUP, [])
        timed(plain.save, -WARMUP, WARMUP, [])
        timed(fts.save, -WARMUP, WARMUP, [])
        for b, start in enumerate(range(0, n, block)):
            count = min(block, n - start)
            # The store's place among the three moves every block.
            order = ["store", "plain", "fts"]
            shift = b % 3
            for which in order[shift:] + order[:shift]:
                if which == "store":
                    if profiler:
                        profiler.enable()
                    timed(store.save, start, count, store_ms)
                    if profiler:
                        profiler.disable()
                elif which == "plain":
                    timed(plain.save, start, count, plain_ms)
                else:
                    timed(fts.save, start, count, fts_ms)
    finally:
        store.close()
        plain.close()
        fts.close()
    s, p, f = summary(store_ms), summary(plain_ms), summary(fts_ms)
    result: dict[str, object] = {
        "environment": environment(folder),
        "n": n,
        "block": block,
        "store": s,
        "plain_sqlite": p,
        "plain_sqlite_fts": f,
        "ratio_median": s["median_ms"] / p["median_ms"],
        "ratio_p99": s["p99_ms"] / p["p99_ms"],
        "ratio_median_fts": s["median_ms"] / f["median_ms"],
        "ratio_p99_fts": s["p99_ms"] / f["p99_ms"],
        "target_against": "plain sqlite3 insert without FTS",
        "target": {"ratio_max": TARGET_RATIO, "p99_max_ms": TARGET_P99_MS},
    }
    result["meets_target"] = result["ratio_median"] <= TARGET_RATIO and s["p99_ms"] <= TARGET_P99_MS
    if profiler:
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(25)
        result["profile"] = buf.getvalue()
    return result


def report(r: dict) -> str:
    env, s, p = r["environment"], r["store"], r["plain_sqlite"]
    lines = [
        f"date      {env['date']}",
        f"platform  {env['platform']}",
        f"cpus      {env['cpus']}",
        f"python    {env['python']}   sqlite {env['sqlite']}   dialoog {env['dialoog']}",
        f"databases {env['folder']}",
        f"saves     {r['n']} each, alternating in blocks of {r['block']}",
        "",
        f"{'':14}{'median ms':>10}{'p99 ms':>10}{'mean ms':>10}{'max ms':>10}",
    ]
    f = r["plain_sqlite_fts"]
    for name, v in (("Store.add_note", s), ("plain sqlite3", p), ("plain + FTS5", f)):
        lines.append(
            f"{name:14}{v['median_ms']:>10.3f}{v['p99_ms']:>10.3f}"
            f"{v['mean_ms']:>10.3f}{v['max_ms']:>10.3f}"
        )
    lines += [
        f"{'ratio plain':14}{r['ratio_median']:>10.2f}{r['ratio_p99']:>10.2f}",
        f"{'ratio FTS5':14}{r['ratio_median_fts']:>10.2f}{r['ratio_p99_fts']:>10.2f}",
        "",
        "target    (against the plain insert without FTS)",
        f"          median ratio <= {TARGET_RATIO} and store p99 <= {TARGET_P99_MS} ms: "
        + ("met" if r["meets_target"] else "NOT met"),
    ]
    if "profile" in r:
        lines += ["", "profile of the Store.add_note saves (cumulative):", r["profile"]]
    return "\n".join(lines)


def rows(n: int = 2000, block: int = 50, quick: bool = False) -> list[dict]:
    """The figures as rows of the ``benchmarks/run`` table (see benchmarks/README.md)."""
    if quick:
        n = min(n, 300)
    folder = Path(tempfile.mkdtemp(prefix="dialoog-bench-"))
    try:
        r = run(n, block, folder, False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    s, p, f = r["store"], r["plain_sqlite"], r["plain_sqlite_fts"]
    note = f"{n} saves each, alternating blocks of {block}; load {os.getloadavg()[0]:.2f}"
    return [
        {
            "name": "save a note: Store.add_note vs plain insert",
            "median": round(s["median_ms"], 3),
            "p99": round(s["p99_ms"], 3),
            "baseline": round(p["median_ms"], 3),
            "ratio": round(r["ratio_median"], 2),
            "target": f"ratio <= {TARGET_RATIO:g} and p99 <= {TARGET_P99_MS:g} ms",
            "met": r["meets_target"],
            "unit": "ms",
            "note": "the target's baseline: a plain insert without FTS; " + note,
        },
        {
            "name": "save a note: Store.add_note vs insert + one FTS5 index",
            "median": round(s["median_ms"], 3),
            "p99": round(s["p99_ms"], 3),
            "baseline": round(f["median_ms"], 3),
            "ratio": round(r["ratio_median_fts"], 2),
            "target": None,
            "met": None,
            "unit": "ms",
            "note": "second baseline, for information (no target)",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="saves of each kind (default 2000)")
    parser.add_argument("--block", type=int, default=50, help="saves per alternating block")
    parser.add_argument("--dir", type=Path, help="folder for the databases (default: a temp one)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--full-json", action="store_true", help="print every figure as JSON")
    parser.add_argument("--quick", action="store_true", help="300 saves of each kind")
    parser.add_argument("--profile", action="store_true", help="cProfile the store's saves")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is not met")
    args = parser.parse_args(argv)
    if args.n < 2 or args.block < 1:
        parser.error("--n must be at least 2 and --block at least 1")
    if args.json:
        result_rows = rows(args.n, args.block, args.quick)
        print(json.dumps(result_rows))
        return 1 if args.check and not result_rows[0]["met"] else 0
    if args.quick:
        args.n = min(args.n, 300)
    folder = Path(tempfile.mkdtemp(prefix="dialoog-bench-", dir=args.dir))
    try:
        result = run(args.n, args.block, folder, args.profile)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.full_json else report(result))
    return 1 if args.check and not result["meets_target"] else 0


if __name__ == "__main__":
    sys.exit(main())
