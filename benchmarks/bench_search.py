"""Benchmark: search over many sessions, next to a plain FTS5 bm25 query on the same data.

Generates N notes (default 100,000; ``--million``: 1,000,000 across 2,000
sessions, the size issue 13's target is for) across S sessions (default 200) with a
Zipf-distributed Dutch-like vocabulary that includes compounds, then times, for
rare and for common two-word queries and for compound parts:

* ``dialoog``: :func:`dialoog.history.search.search` (word tier, then the
  trigram tier for parts of compounds, then any-word tier; limit 20);
* ``bm25``: one plain FTS5 bm25 query over whole words (limit 20), the baseline.

Usage::

    python benchmarks/bench_search.py [--million] [--notes N] [--sessions S]
                                      [--queries 200] [--db PATH] [--quick] [--json]

``--quick``: 50 queries per set, on a database kept in the temporary folder
between quick runs; ``--json`` prints the rows of ``benchmarks/run``
(see benchmarks/README.md). Target (issue 13): p99 <= 50 ms at 1,000,000 notes
for every query set.

Data are generated fast: one transaction, ``executemany``, the index triggers
dropped during the load and both indexes rebuilt afterwards, the word list
(m010) filled from the word index (then the triggers are put back). ``--db``
with an existing file reuses it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

from dialoog.history.search import SearchFilters, plain_bm25, search
from dialoog.plans import find_plan
from dialoog.storage import Store, open_database

BASE = [
    "leren",
    "onderwijs",
    "docent",
    "school",
    "werk",
    "werkgever",
    "werknemer",
    "student",
    "leerling",
    "vaardigheid",
    "skills",
    "kennis",
    "praktijk",
    "stage",
    "beroep",
    "opleiding",
    "scholing",
    "toekomst",
    "arbeidsmarkt",
    "samenwerking",
    "bedrijf",
    "overheid",
    "regio",
    "techniek",
    "zorg",
    "gemeente",
    "ouders",
    "jongeren",
    "ouderen",
    "motivatie",
    "tijd",
    "geld",
    "kwaliteit",
    "veiligheid",
    "verkeer",
    "gezondheid",
    "taal",
    "rekenen",
    "digitaal",
    "informeel",
    "formeel",
    "loopbaan",
    "begeleiding",
    "coaching",
    "netwerk",
    "innovatie",
    "ondernemer",
    "mbo",
    "hbo",
    "universiteit",
    "curriculum",
    "toets",
    "diploma",
    "certificaat",
    "ervaring",
    "nieuwsgierigheid",
    "creativiteit",
    "flexibiliteit",
    "verantwoordelijkheid",
    "burgerschap",
    "communicatie",
    "beleid",
    "financiering",
    "regeling",
    "subsidie",
    "ruimte",
    "druk",
    "cultuur",
]
FILLER = [
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "op",
    "te",
    "dat",
    "is",
    "niet",
    "met",
    "voor",
    "aan",
    "er",
    "ook",
    "als",
    "bij",
    "maar",
    "om",
    "nog",
    "wel",
    "moet",
    "kan",
    "meer",
    "zijn",
    "wordt",
    "geen",
    "dan",
    "door",
    "veel",
    "tafel",
    "goed",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Base words, compounds of two base words, and made-up rare words, most common first."""
    words = list(BASE)
    seen = set(words)
    while len(words) < size:
        if rng.random() < 0.6:
            a, b = rng.sample(BASE, 2)
            w = a + ("s" if rng.random() < 0.3 else "") + b
        else:
            w = "".join(rng.choice("bdfgklmnprstvwz") + rng.choice("aeiou") for _ in range(4))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def generate(path: Path, n_notes: int, n_sessions: int, seed: int = 6, quiet: bool = False) -> None:
    """Fill a new database with sessions and notes as fast as SQLite allows."""
    rng = random.Random(seed)
    db = open_database(path)
    conn = db.conn
    plan = find_plan("skills")
    vocab = vocabulary(rng, 40_000)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    cum = list(_accumulate(weights))
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes'"
    ).fetchall()
    start = time.perf_counter()
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN IMMEDIATE")
    for name, _sql in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    base_day = dt.date(2010, 1, 1)
    sessions = []
    for s in range(n_sessions):
        sid = f"bench-{s:05d}"
        day = (base_day + dt.timedelta(days=s * 2)).isoformat()
        sessions.append(sid)
        conn.execute(
            "INSERT INTO sessions (id, slug, title, date, series, plan_json, created_at)"
            " VALUES (?, 'skills', ?, ?, NULL, ?, ?)",
            [sid, f"Bijeenkomst {s}", day, plan.model_dump_json(), day + "T09:00:00+00:00"],
        )
        conn.executemany(
            "INSERT INTO agenda_items (session_id, position, key, kind, title)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (sid, pos, item.key, item.kind.value, item.title)
                for pos, item in enumerate(plan.agenda, start=1)
            ],
        )
        conn.executemany(
            "INSERT INTO session_tables (session_id, number, name) VALUES (?, ?, ?)",
            [(sid, t.number, t.name) for t in plan.tables],
        )
    per_session = max(1, n_notes // n_sessions)
    batch: list[tuple] = []
    kinds = ["observation"] * 6 + ["quote", "recommendation", "bottleneck", "example"]
    for i in range(n_notes):
        length = rng.randint(8, 22)
        picked = rng.choices(vocab, cum_weights=cum, k=length // 2 + 1)
        words = picked + rng.choices(FILLER, k=length - len(picked))
        rng.shuffle(words)
        text = " ".join(words).capitalize()
        sid = sessions[min(i // per_session, n_sessions - 1)]
        stamp = f"2020-01-01T00:00:00.{i % 1_000_000:06d}+00:00"
        batch.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                sid,
                1 + i % 8,
                4 + i % 2,
                rng.choice(kinds),
                text,
                stamp,
                stamp,
            )
        )
        if len(batch) == 50_000:
            _flush(conn, batch)
    _flush(conn, batch)
    loaded = time.perf_counter()
    conn.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")
    words_done = time.perf_counter()
    conn.execute("INSERT INTO notes_trigram (notes_trigram) VALUES ('rebuild')")
    # The rebuild indexed every note: the trigram index is caught up (m007).
    conn.execute("UPDATE trigram_watermark SET indexed_to = (SELECT max(rowid) FROM notes)")
    trigram_done = time.perf_counter()
    # The word list (m010) from the word index's vocabulary, as the migration fills it.
    conn.execute("CREATE VIRTUAL TABLE temp.bench_words USING fts5vocab(main, notes_fts, row)")
    conn.execute("INSERT OR IGNORE INTO note_words (word) SELECT term FROM temp.bench_words")
    conn.execute("DROP TABLE temp.bench_words")
    conn.execute("UPDATE note_words_watermark SET indexed_to = (SELECT max(rowid) FROM notes)")
    for _name, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA synchronous = FULL")
    db.close()
    (print if not quiet else (lambda *a: None))(
        f"generated {n_notes:,} notes in {n_sessions:,} sessions: rows {loaded - start:.1f} s, "
        f"word index {words_done - loaded:.1f} s, trigram index {trigram_done - words_done:.1f} s;"
        f" file {path.stat().st_size / 1e6:.0f} MB"
    )
    (path.with_suffix(".vocab.json")).write_text(json.dumps(vocab), encoding="utf-8")


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return out


def _flush(conn: sqlite3.Connection, batch: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO notes (id, session_id, table_no, item, kind, text, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        batch,
    )
    batch.clear()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values, in milliseconds."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k] * 1000


def time_queries(fn, queries: list[str]) -> tuple[list[float], int]:
    """Times of each query (after one untimed warm-up pass) and the total hits."""
    for q in queries[: min(20, len(queries))]:
        fn(q)
    times, hits = [], 0
    for q in queries:
        t0 = time.perf_counter()
        hits += len(fn(q))
        times.append(time.perf_counter() - t0)
    return times, hits


TARGET_P99_MS = 50.0


def main() -> None:
    """Generate (or reuse) the data, run the query sets, print the table (or ``--json`` rows)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--million", action="store_true", help="1,000,000 notes in 2,000 sessions")
    ap.add_argument("--notes", type=int, default=100_000)
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--queries", type=int, default=200, help="queries per set")
    ap.add_argument("--db", type=Path, help="database file (kept; reused when it exists)")
    ap.add_argument("--quick", action="store_true", help="50 queries per set")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    if args.million:
        args.notes, args.sessions = 1_000_000, 2_000
    if args.quick:
        args.queries = min(args.queries, 50)
        if args.db is None:
            # Kept between quick runs: generating 100,000 notes is most of a quick run.
            name = f"dialoog-bench-search-{args.notes}-{args.sessions}.db"
            args.db = Path(tempfile.gettempdir()) / name
    figures = measure(args.notes, args.sessions, args.queries, args.db, quiet=args.json)
    if args.json:
        print(json.dumps(rows_of(figures)))


def rows_of(figures: dict) -> list[dict]:
    """The figures of :func:`measure` as rows of the ``benchmarks/run`` table."""
    out = []
    n = figures["notes"]
    for name, f in figures["sets"].items():
        mine, base = f["dialoog"], f["bm25"]
        out.append(
            {
                "name": f"search {n:,} notes: {name}",
                "median": round(mine["p50"], 1),
                "p99": round(mine["p99"], 1),
                "baseline": round(base["p50"], 2),
                "ratio": round(mine["p50"] / base["p50"], 2) if base["p50"] else None,
                "target": f"p99 <= {TARGET_P99_MS:g} ms"
                + ("" if n >= 1_000_000 else " (target is for 1M notes)"),
                "met": mine["p99"] <= TARGET_P99_MS,
                "unit": "ms",
                "note": f"baseline: plain FTS5 bm25 (p99 {base['p99']:.1f} ms); "
                f"{figures['queries']} queries; load {figures['load']:.2f}",
            }
        )
    return out


def measure(notes: int, sessions: int, queries: int, db: Path | None, quiet: bool = False) -> dict:
    """Generate (or reuse) the data and time the query sets; print the table unless ``quiet``."""
    say = (lambda *a, **k: None) if quiet else print
    tmpdir = None
    figures: dict = {"queries": queries, "sets": {}}
    if db is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="dialoog-bench-")
        path = Path(tmpdir.name) / "bench.db"
    else:
        path = db
    if not path.exists():
        generate(path, notes, sessions, quiet=quiet)
    vocab = json.loads(path.with_suffix(".vocab.json").read_text(encoding="utf-8"))
    store = Store.open(path)
    n_notes = store.db.execute("SELECT count(*) FROM notes").fetchone()[0]
    figures["notes"] = n_notes
    rng = random.Random(42)
    common_words = vocab[:40]
    rare_words = vocab[2_000:20_000]
    compound_parts = [w for w in BASE[10:]]
    sets = {
        "common 2 words": [" ".join(rng.sample(common_words, 2)) for _ in range(queries)],
        "rare 2 words": [" ".join(rng.sample(rare_words, 2)) for _ in range(queries)],
        "1 compound part": [rng.choice(compound_parts) for _ in range(queries)],
    }
    say(
        f"# bench_search  {dt.datetime.now().isoformat(timespec='seconds')}  "
        f"{platform.node()}  {platform.machine()}  {os.cpu_count()} CPUs  "
        f"Python {platform.python_version()}  SQLite {sqlite3.sqlite_version}"
    )
    say(f"# {n_notes:,} notes, {queries} queries per set, limit 20, warm cache")
    say(f"{'query set':18} {'engine':8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'hits':>8}")
    for name, query_set in sets.items():
        for engine, fn in (
            ("dialoog", lambda q: search(store, q, SearchFilters(sources=("notes",)), limit=20)),
            ("bm25", lambda q: plain_bm25(store, q, limit=20)),
        ):
            times, hits = time_queries(fn, query_set)
            figures["sets"].setdefault(name, {})[engine] = {
                "p50": percentile(times, 50),
                "p99": percentile(times, 99),
                "max": max(times) * 1000,
                "hits": hits,
            }
            say(
                f"{name:18} {engine:8} {percentile(times, 50):8.1f} {percentile(times, 99):8.1f}"
                f" {max(times) * 1000:8.1f} {hits:8}"
            )
        sys.stdout.flush()
    store.close()
    if tmpdir is not None:
        tmpdir.cleanup()
    figures["load"] = os.getloadavg()[0]
    return figures


if __name__ == "__main__":
    main()
