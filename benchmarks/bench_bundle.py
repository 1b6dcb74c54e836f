"""Benchmark: export and import of a large session's bundle, next to plain baselines.

One session with N notes (default 20,000; one in four edited once, one in
twenty deleted, so it holds about 26,000 revisions). Timed, median of 3 runs:

* export: :func:`dialoog.history.bundle.export_bundle` (reads every note and
  revision, checksums, writes the JSON file); baseline: a plain ``SELECT`` of
  the same notes and revisions dumped with ``json.dumps`` to a file;
* import into an empty database (creates the session and every note);
  baseline: ``executemany`` INSERT of the same rows into an empty database
  (the same triggers and indexes, no checks);
* import again (idempotent: everything compared, nothing written);
* merge into a copy that edited 1,000 of the notes itself.

Usage: ``python benchmarks/bench_bundle.py [--notes 20000] [--quick] [--json]``

``--quick`` times only the import into an empty database (still 20,000 notes:
the target is for that size); ``--json`` prints the rows of ``benchmarks/run``
(see benchmarks/README.md). Target (issue 13): import of 20,000 notes <= 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from dialoog.history.bundle import export_bundle, import_file
from dialoog.plans import find_plan
from dialoog.storage import Store, open_database, write
from dialoog.storage.store import NewNote

WORDS = [
    "leren",
    "docent",
    "werkgever",
    "stage",
    "kwaliteit",
    "samenwerking",
    "verkeersveiligheid",
    "onderwijs",
    "praktijk",
    "loopbaan",
    "motivatie",
    "curriculum",
    "informeel",
    "financiering",
    "regio",
]


def make_source(path: Path, n: int) -> str:
    """A database with one session of ``n`` notes, some edited, some deleted."""
    rng = random.Random(20)
    with Store.open(path) as s:
        sid = s.create_session(find_plan("skills")).id
        notes = [
            NewNote(1 + i % 8, 4 + i % 2, " ".join(rng.choices(WORDS, k=rng.randint(6, 20))))
            for i in range(n)
        ]
        ids = s.add_notes(sid, notes)
        with write(s.db):
            for i, note_id in enumerate(ids):
                if i % 4 == 0:
                    s.edit_note(note_id, text=f"Bewerkt {i}: " + notes[i].text)
                if i % 20 == 0:
                    s.delete_note(note_id)
    return sid


def timed(fn, runs: int = 3) -> float:
    """Median wall time of ``runs`` calls of ``fn`` (seconds)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


TARGET_IMPORT_S = 2.0


def measure(notes: int, quick: bool = False) -> dict:
    """Every figure of one run (seconds); with ``quick`` only the fresh import and its baseline."""
    figures: dict = {"notes": notes}
    with tempfile.TemporaryDirectory(prefix="dialoog-bench-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "source.db"
        t0 = time.perf_counter()
        sid = make_source(source, notes)
        built = time.perf_counter() - t0
        bundle = tmp_path / "bundle.json"
        db = open_database(source)
        store = Store(db, source)
        revs = db.execute("SELECT count(*) FROM note_revisions").fetchone()[0]

        repeats = 1 if quick else 3
        export_s = timed(lambda: export_bundle(store, sid, bundle), repeats)

        def baseline_export() -> None:
            notes = db.execute("SELECT * FROM notes WHERE session_id = ?", [sid]).fetchall()
            revisions = db.execute(
                "SELECT r.* FROM note_revisions r JOIN notes n ON n.id = r.note_id"
                " WHERE n.session_id = ?",
                [sid],
            ).fetchall()
            (tmp_path / "plain.json").write_text(
                json.dumps({"notes": notes, "revisions": revisions}, ensure_ascii=False)
            )

        base_export_s = timed(baseline_export, repeats)
        rows_notes = db.execute("SELECT * FROM notes").fetchall()
        rows_revs = db.execute("SELECT * FROM note_revisions").fetchall()
        db.close()

        empty = tmp_path / "empty.db"
        Store.open(empty).close()

        def import_fresh() -> None:
            target = tmp_path / "fresh.db"
            shutil.copyfile(empty, target)
            with Store.open(target) as t:
                import_file(t, bundle)

        import_s = timed(import_fresh)

        def baseline_import() -> None:
            target = tmp_path / "plain.db"
            shutil.copyfile(empty, target)
            with Store.open(target) as t, write(t.db):
                t.db["sessions"].insert(
                    {
                        "id": sid,
                        "slug": "skills",
                        "title": "x",
                        "plan_json": "{}",
                        "created_at": "2015",
                    }
                )
                marks = ",".join("?" * len(rows_notes[0]))
                t.db.conn.executemany(f"INSERT INTO notes VALUES ({marks})", rows_notes)
                marks = ",".join("?" * len(rows_revs[0]))
                t.db.conn.executemany(f"INSERT INTO note_revisions VALUES ({marks})", rows_revs)

        base_import_s = timed(baseline_import)
        figures.update(
            export=export_s, export_baseline=base_export_s, import_fresh=import_s,
            import_baseline=base_import_s, revisions=revs, built=built,
            bundle_mb=bundle.stat().st_size / 1e6,
        )  # fmt: skip
        if quick:
            return figures

        fresh = tmp_path / "fresh.db"
        with Store.open(fresh) as t:
            again_s = timed(lambda: import_file(t, bundle))

        def edited_copy(name: str, label: str) -> Path:
            """A copy of the source on another laptop that edited the first 1,000 notes."""
            path = tmp_path / name
            shutil.copyfile(source, path)
            with Store.open(path) as t, write(t.db):
                ids = [r[0] for r in t.db.execute("SELECT id FROM notes ORDER BY id LIMIT 1000")]
                for note_id in ids:
                    t.db.execute(
                        "UPDATE notes SET text = text || ?, rev = rev + 1 WHERE id = ?",
                        [f" ({label})", note_id],
                    )
                    t.db.execute(
                        "INSERT INTO note_revisions (note_id, rev, action, kind, text,"
                        " created_at) SELECT id, rev, 'edit', kind, text, ? FROM notes"
                        " WHERE id = ?",
                        [dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"), note_id],
                    )
            return path

        laptop_a = edited_copy("a.db", "laptop A")
        bundle_a = tmp_path / "a.json"
        with Store.open(laptop_a) as t:
            export_bundle(t, sid, bundle_a)
        merge_times: list[float] = []
        for _ in range(3):
            laptop_b = edited_copy("b.db", "laptop B")
            with Store.open(laptop_b) as t:
                t0 = time.perf_counter()
                result = import_file(t, bundle_a)
                merge_times.append(time.perf_counter() - t0)
            assert result.new_revisions == 1000, result
        figures.update(again=again_s, merge=statistics.median(merge_times))
    return figures


def rows(notes: int = 20_000, quick: bool = False) -> list[dict]:
    """The figures as rows of the ``benchmarks/run`` table (see benchmarks/README.md)."""
    f = measure(notes, quick)
    load = f"load {os.getloadavg()[0]:.2f}"
    out = [
        {
            "name": f"bundle import, {notes:,} notes into an empty database",
            "median": round(f["import_fresh"], 2),
            "p99": None,
            "baseline": round(f["import_baseline"], 2),
            "ratio": round(f["import_fresh"] / f["import_baseline"], 2),
            "target": f"<= {TARGET_IMPORT_S:g} s" if notes >= 20_000 else None,
            "met": f["import_fresh"] <= TARGET_IMPORT_S if notes >= 20_000 else None,
            "unit": "s",
            "note": "read, check and merge a bundle file; baseline: executemany INSERT, no "
            f"checks; median of 3; {load}",
        },
        {
            "name": f"bundle export, {notes:,} notes",
            "median": round(f["export"], 2),
            "p99": None,
            "baseline": round(f["export_baseline"], 2),
            "ratio": round(f["export"] / f["export_baseline"], 2),
            "target": None,
            "met": None,
            "unit": "s",
            "note": "baseline: SELECT + json.dumps",
        },
    ]
    if not quick:
        out.append(
            {
                "name": "bundle merge, both sides edited 1,000 notes",
                "median": round(f["merge"], 2),
                "p99": None,
                "baseline": None,
                "ratio": None,
                "target": None,
                "met": None,
                "unit": "s",
                "note": f"import of the same bundle again: {f['again']:.2f} s",
            }
        )
    return out


def main() -> None:
    """Build the session, time export and the imports, print the table (or ``--json`` rows)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=20_000)
    ap.add_argument("--quick", action="store_true", help="only the import into an empty database")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    if args.json:
        print(json.dumps(rows(args.notes, args.quick)))
        return
    f = measure(args.notes, args.quick)
    print(
        f"# bench_bundle  {dt.datetime.now().isoformat(timespec='seconds')}  "
        f"{platform.node()}  {platform.machine()}  {os.cpu_count()} CPUs  "
        f"Python {platform.python_version()}  SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"# {args.notes:,} notes, {f['revisions']:,} revisions, bundle {f['bundle_mb']:.1f} MB; "
        f"session built in {f['built']:.1f} s; median of 3; load {os.getloadavg()[0]:.2f}"
    )
    print(f"{'step':34} {'dialoog s':>10} {'baseline s':>11}")
    print(f"{'export':34} {f['export']:10.2f} {f['export_baseline']:11.2f}  (SELECT + json.dumps)")
    print(
        f"{'import into an empty database':34} {f['import_fresh']:10.2f} "
        f"{f['import_baseline']:11.2f}  (executemany INSERT, no checks)"
    )
    if not args.quick:
        print(f"{'import the same bundle again':34} {f['again']:10.2f}")
        print(f"{'merge: both edited 1,000 notes':34} {f['merge']:10.2f}")


if __name__ == "__main__":
    main()
