"""How long does a draft report of a big session take, next to pandoc?

A session of 100 tables x 4 rounds x 40 notes per table per round (16,000 notes),
with 10 themes per round, is written to a fresh database. Then, repeatedly:

* the Markdown draft from the database (context built from SQLite + render);
* the .docx draft from the database (context + docxtpl render);
* in the same run, as baseline, pandoc (from the pypandoc-binary wheel) converting
  that Markdown to .docx, and the ratio dialoog-docx / pandoc.

Targets (issue 4): Markdown <= 0.5 s, .docx <= 2 s.

Run: ``python benchmarks/bench_report.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import tempfile
import time
from pathlib import Path

from dialoog.models import AgendaItem, ItemKind, NoteKind, SessionPlan, Table
from dialoog.storage.store import NewNote, Store
from dialoog.synthesis.context import build_context
from dialoog.synthesis.render import render
from dialoog.synthesis.themes import create_theme

TABLES, ROUNDS, PER_TABLE, THEMES = 100, 4, 40, 10
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


def build(path: Path) -> tuple[Store, str]:
    """A fresh database with the big session; returns the store and session id."""
    plan = SessionPlan(
        slug="bench",
        title="Benchmark",
        tables=[Table(number=n) for n in range(1, TABLES + 1)],
        agenda=[
            AgendaItem(kind=ItemKind.ROUND, title=f"Ronde {r}", questions=[f"Vraag {r}?"])
            for r in range(1, ROUNDS + 1)
        ],
    )
    store = Store.open(path)
    session = store.create_session(plan)
    notes = []
    for item in range(1, ROUNDS + 1):
        for table in range(1, TABLES + 1):
            for k in range(PER_TABLE):
                words = " ".join(WORDS[(table + k + j) % len(WORDS)] for j in range(12))
                text = f"Tafel {table} ronde {item} notitie {k}: {words} <&> “citaat”"
                notes.append(NewNote(table, item, text, KINDS[k % len(KINDS)], (), 1))
    store.add_notes(session.id, notes)
    for item in range(1, ROUNDS + 1):
        ids = [n.id for n in store.list_notes(session.id, item=item)]
        for t in range(THEMES):
            create_theme(store, session.id, item, f"Thema {t}", note_ids=ids[t::THEMES][:50])
    return store, session.id


def timed(func, repeat: int) -> tuple[list[float], object]:
    """Run ``func`` ``repeat`` times; the durations and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return times, result


def p99(values: list[float]) -> float:
    """The 99th percentile (the maximum for short runs)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main() -> None:
    """Print medians and p99 of each measurement, and the pandoc ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        store, sid = build(Path(tmp) / "bench.db")
        print(
            f"{dt.datetime.now():%Y-%m-%d %H:%M}  {platform.node()}  {platform.machine()}  "
            f"Python {platform.python_version()}  pandoc {pypandoc.get_pandoc_version()}"
        )
        notes = store.db.execute("SELECT count(*) FROM notes").fetchone()[0]
        print(f"session: {TABLES} tables x {ROUNDS} rounds x {PER_TABLE} notes = {notes} notes")

        def context():
            return build_context(store, sid).to_template_data()

        def markdown():
            return render(context(), "verslag", "md")

        def word():
            return render(context(), "verslag", "docx")

        t_ctx, _ = timed(context, args.repeat)
        t_md, md = timed(markdown, args.repeat)
        t_docx, docx = timed(word, args.repeat)
        md_path = Path(tmp) / "draft.md"
        md_path.write_bytes(md.output)

        def pandoc():
            pypandoc.convert_file(
                str(md_path), "docx", format="markdown", outputfile=str(Path(tmp) / "p.docx")
            )

        t_pandoc, _ = timed(pandoc, args.repeat)
        rows = [
            ("context from SQLite", t_ctx, None),
            ("Markdown draft (db -> md)", t_md, 0.5),
            (".docx draft (db -> docx)", t_docx, 2.0),
            ("baseline: pandoc md -> docx", t_pandoc, None),
        ]
        for label, times, target in rows:
            verdict = ""
            if target is not None:
                verdict = f"  target <= {target} s: {'ok' if p99(times) <= target else 'MISSED'}"
            print(
                f"{label:30} median {statistics.median(times):6.3f} s  "
                f"p99 {p99(times):6.3f} s{verdict}"
            )
        print(f"output: md {len(md.output) / 1e6:.1f} MB, docx {len(docx.output) / 1e6:.1f} MB")
        ratio = statistics.median(t_docx) / statistics.median(t_pandoc)
        print(f"ratio dialoog .docx / pandoc md->docx: {ratio:.2f}")
        store.close()


if __name__ == "__main__":
    main()
