"""How long does a draft report of a big session take, next to pandoc?

Sessions of 1,000, 4,000 and 16,000 notes (tables x 4 rounds x notes per table
per round; 10 themes per round) are written to fresh databases. For each size,
repeatedly and in the same run:

* in-process: the Markdown and the .docx draft from the database (context built
  from SQLite + render), as ``dialoog report`` does after start-up;
* whole-process: ``python -m dialoog report SESSION --format md|docx --no-save``,
  start-up included, as a user runs it (with bytecode cached, as after an install:
  an untimed first run writes it, even where ``PYTHONDONTWRITEBYTECODE`` is set);
* the baseline: pandoc (from the pypandoc-binary wheel) converting that Markdown
  to .docx, a whole process too; and the ratio dialoog .docx / pandoc.

Targets (issue 13 item 3): 16k-note Markdown <= 0.5 s and .docx <= 2 s in-process
on a quiet machine; the whole-process .docx faster than pandoc at every size.
Figures are medians; the load average (``os.getloadavg``) is printed before and
after, since absolute times vary with load while the ratios hold.

Run: ``python benchmarks/bench_report.py [--repeat 5] [--sizes 1000,4000,16000]``;
``--quick`` measures 1,000 notes twice, ``--json`` prints the rows of ``benchmarks/run``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dialoog.models import AgendaItem, ItemKind, NoteKind, SessionPlan, Table
from dialoog.storage.store import NewNote, Store
from dialoog.synthesis.context import build_context
from dialoog.synthesis.render import render
from dialoog.synthesis.themes import create_theme

ROUNDS, THEMES = 4, 10
#: Notes in the session -> (tables, notes per table per round).
SIZES = {1000: (25, 10), 4000: (50, 20), 16000: (100, 40)}
KINDS = [NoteKind.OBSERVATION] * 5 + [
    NoteKind.QUOTE,
    NoteKind.RECOMMENDATION,
    NoteKind.BOTTLENECK,
    NoteKind.EXAMPLE,
    NoteKind.QUESTION,
]
_WORD_TEXT = """leren werkplek docent skills samenwerken digitale vaardigheden mbo hbo werkgever
omscholing flexibiliteit curriculum praktijk stage nieuwsgierigheid"""
WORDS = _WORD_TEXT.split()


def build(path: Path, tables: int = 100, per_table: int = 40) -> tuple[Store, str]:
    """A fresh database with a session of ``tables x 4 x per_table`` notes."""
    plan = SessionPlan(
        slug="bench",
        title="Benchmark",
        tables=[Table(number=n) for n in range(1, tables + 1)],
        agenda=[
            AgendaItem(kind=ItemKind.ROUND, title=f"Ronde {r}", questions=[f"Vraag {r}?"])
            for r in range(1, ROUNDS + 1)
        ],
    )
    store = Store.open(path)
    session = store.create_session(plan, session_id="bench")
    notes = []
    for item in range(1, ROUNDS + 1):
        for table in range(1, tables + 1):
            for k in range(per_table):
                words = " ".join(WORDS[(table + k + j) % len(WORDS)] for j in range(12))
                text = f"Tafel {table} ronde {item} notitie {k}: {words} <&> “citaat”"
                notes.append(NewNote(table, item, text, KINDS[k % len(KINDS)], (), 1))
    store.add_notes(session.id, notes)
    for item in range(1, ROUNDS + 1):
        ids = [n.id for n in store.list_notes(session.id, item=item)]
        for t in range(THEMES):
            create_theme(store, session.id, item, f"Thema {t}", note_ids=ids[t::THEMES][:50])
    return store, session.id


def cpu_seconds(children: bool) -> float:
    """CPU time (user + system) used so far by this process, or by its finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Times(list):
    """Wall-clock durations, with the CPU seconds of each run beside them (``.cpu``)."""

    cpu: list[float]


def timed(func, repeat: int, children: bool = False) -> tuple[Times, object]:
    """Run ``func`` ``repeat`` times; the durations (wall and CPU) and the last result.

    On a loaded machine the wall time stretches with the queue for the cores; the
    CPU time (of this process, or of the child processes for whole-process runs)
    stays near what a quiet machine would take, so both are printed.
    """
    times, result = Times(), None
    times.cpu = []
    for _ in range(repeat):
        cpu = cpu_seconds(children)
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
        times.cpu.append(cpu_seconds(children) - cpu)
    return times, result


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, as ``uptime`` prints them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def row(label: str, times: Times, target: float | None = None) -> str:
    """One line of the table: median and range of wall time, median CPU, the verdict.

    The verdict is given for the wall time and for the CPU time (the quiet-machine
    estimate: with the cores to itself a run takes about its CPU time).
    """
    median, cpu = statistics.median(times), statistics.median(times.cpu)
    verdict = ""
    if target is not None:
        verdict = (
            f"  target <= {target:g} s: wall {'met' if median <= target else 'MISSED'}, "
            f"cpu {'met' if cpu <= target else 'MISSED'}"
        )
    return (
        f"  {label:30} median {median:6.3f} s  range {min(times):.3f}-{max(times):.3f}"
        f"  cpu {cpu:6.3f} s{verdict}"
    )


def measure(size: int, tmp: Path, repeat: int, show: bool = True) -> dict[str, Times]:
    """Every measurement for one session size; prints its rows unless ``show`` is false."""
    import pypandoc

    tables, per_table = SIZES[size]
    db = tmp / f"bench-{size}.db"
    store, sid = build(db, tables, per_table)
    notes = store.db.execute("SELECT count(*) FROM notes").fetchone()[0]
    if show:
        print(f"{notes} notes ({tables} tables x {ROUNDS} rounds x {per_table}), load {load()}")

    def markdown():
        return render(build_context(store, sid).to_template_data(), "verslag", "md")

    def word():
        return render(build_context(store, sid).to_template_data(), "verslag", "docx")

    env = {**os.environ, "DIALOOG_DB": str(db), "DIALOOG_HOME": str(tmp / "home")}
    # As an installed dialoog starts: with its modules' bytecode cached (a wheel's
    # install compiles it; the untimed first run below writes it here).
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def process(fmt: str):
        out = tmp / f"out-{size}.{fmt}"
        args = ["report", sid, "--format", fmt, "--no-save", "-o", str(out)]

        def run():
            subprocess.run(
                [sys.executable, "-m", "dialoog", *args], env=env, check=True, capture_output=True
            )

        run()  # warm-up, not timed: writes the bytecode cache, as an install would have
        return run

    md_path = tmp / f"draft-{size}.md"

    def pandoc():
        pypandoc.convert_file(
            str(md_path), "docx", format="markdown", outputfile=str(tmp / f"p-{size}.docx")
        )

    found: dict[str, Times] = {}
    found["md"], md = timed(markdown, repeat)
    md_path.write_bytes(md.output)
    found["docx"], _docx = timed(word, repeat)
    found["md process"], _ = timed(process("md"), repeat, children=True)
    found["docx process"], _ = timed(process("docx"), repeat, children=True)
    found["pandoc"], _ = timed(pandoc, repeat, children=True)
    store.close()
    if not show:
        return found
    big = size >= 16000
    print(row("Markdown, in-process", found["md"], 0.5 if big else None))
    print(row(".docx, in-process", found["docx"], 2.0 if big else None))
    print(row("Markdown, whole process", found["md process"]))
    print(row(".docx, whole process", found["docx process"]))
    print(row("baseline: pandoc md -> docx", found["pandoc"]))
    ratio = statistics.median(found["docx process"]) / statistics.median(found["pandoc"])
    cpu = statistics.median(found["docx process"].cpu) / statistics.median(found["pandoc"].cpu)
    print(
        f"  ratio .docx whole process / pandoc: wall {ratio:.2f}, cpu {cpu:.2f}  "
        f"target < 1: {'met' if ratio < 1 and cpu < 1 else 'MISSED'}"
    )
    return found


def _row(name: str, times: Times, baseline: Times | None, target: str | None, met, note: str):
    median = statistics.median(times)
    base = statistics.median(baseline) if baseline else None
    return {
        "name": name,
        "median": round(median, 3),
        "p99": None,
        "baseline": round(base, 3) if base else None,
        "ratio": round(median / base, 2) if base else None,
        "target": target,
        "met": met,
        "unit": "s",
        "note": f"{note}; cpu median {statistics.median(times.cpu):.3f} s; "
        f"median of {len(times)}; load {os.getloadavg()[0]:.2f}",
    }


def rows(sizes: list[int], repeat: int) -> list[dict]:
    """The figures as rows of the ``benchmarks/run`` table (see benchmarks/README.md)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            f = measure(size, Path(tmp), repeat, show=False)
            big = size >= 16000
            md, word = statistics.median(f["md"]), statistics.median(f["docx"])
            out.append(
                _row(f"report md, {size:,} notes, in-process", f["md"], None,
                     "<= 0.5 s" if big else None, md <= 0.5 if big else None,
                     "context from SQLite + render")
            )  # fmt: skip
            out.append(
                _row(f"report docx, {size:,} notes, in-process", f["docx"], None,
                     "<= 2 s" if big else None, word <= 2.0 if big else None,
                     "context from SQLite + render")
            )  # fmt: skip
            faster = statistics.median(f["docx process"]) < statistics.median(f["pandoc"])
            out.append(
                _row(f"report docx, {size:,} notes, whole process", f["docx process"],
                     f["pandoc"], "< pandoc md->docx", faster,
                     "python -m dialoog report --format docx; baseline: pandoc md->docx")
            )  # fmt: skip
    return out


def main() -> None:
    """Print medians and ranges per size, the pandoc ratio and the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="comma-separated: 1000,4000,16000"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 notes, 2 runs each")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes, args.repeat = [1000], 2
    if args.json:
        print(json.dumps(rows(sizes, args.repeat)))
        return
    import pypandoc

    print(
        f"{dt.datetime.now():%Y-%m-%d %H:%M}  {platform.node()}  {platform.machine()}  "
        f"{os.cpu_count()} cores  Python {platform.python_version()}  "
        f"pandoc {pypandoc.get_pandoc_version()}  load {load()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            measure(size, Path(tmp), args.repeat)
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
