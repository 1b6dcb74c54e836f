"""A saved note survives anything: child processes killed with SIGKILL at random moments.

A child (``tests/durability_child.py``) saves notes one by one and prints each
note's id only after :meth:`Store.add_note` has returned. The parent kills it
with SIGKILL at random moments (while Python starts, while the store opens or
migrates, in the middle of a stream of saves), restarts it on the same
database, and at the end checks that every printed id is in the database with
its text, that no note is torn (a note without its first revision), that
``PRAGMA integrity_check`` is ok and that the FTS index agrees with the notes.

Each test uses a fixed seed (override with ``DIALOOG_DURABILITY_SEED``); every
failure message names it so a failing run can be repeated.

The labs promise what they measure: every note reported saved is kept, none is
saved twice, and a given number of kills landed while notes were being saved.
They run until that number is reached (issue 14, item 7: counting how many kills
fit a time budget failed on two loaded cores, ``67 >= 75``, while every note was
kept), and a child counts as stuck only when it makes no progress for
:data:`STUCK_AFTER_S`, not when it is slow.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlite_utils

from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.trigram import catch_up_trigram

CHILD = Path(__file__).with_name("durability_child.py")
SESSION_ID = "2015-02-19-skills"
#: A child that prints nothing new for this long is stuck (a lock that never frees).
STUCK_AFTER_S = 20.0
#: Rounds a lab may add, as a multiple of its planned rounds, to reach its kill count.
MAX_ROUNDS_FACTOR = 4

_spec = importlib.util.spec_from_file_location("durability_child", CHILD)
assert _spec and _spec.loader
child = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(child)


def _seed(default: int) -> int:
    return int(os.environ.get("DIALOOG_DURABILITY_SEED", default))


@dataclass
class Writer:
    """One child process and what it has reported saved."""

    label: str
    proc: subprocess.Popen[bytes]
    stderr_path: Path
    started: float
    kill_at: float | None = None
    after_lines: int | None = None
    extra_delay: float = 0.0
    killed: bool = False
    lines: list[bytes] = field(default_factory=list)
    reader: threading.Thread | None = None
    progress_at: float = 0.0
    """When the child last printed a saved note (or started)."""
    seen_lines: int = 0

    def read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.append(raw)

    def saved(self) -> list[tuple[str, int]]:
        """(id, seq) of every complete line: a cut-off last line does not count."""
        out = []
        for raw in self.lines:
            if raw.endswith(b"\n"):
                note_id, seq = raw.decode().split()
                out.append((note_id, int(seq)))
        return out


def _start(db: Path, label: str, tables: str, tmp: Path) -> Writer:
    stderr_path = tmp / f"{label}.stderr"
    with stderr_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(db), SESSION_ID, label, tables],
            stdout=subprocess.PIPE,
            stderr=err,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    started = time.perf_counter()
    writer = Writer(label, proc, stderr_path, started, progress_at=started)
    writer.reader = threading.Thread(target=writer.read_stdout, daemon=True)
    writer.reader.start()
    return writer


def _plan_kill(
    rng: random.Random, writer: Writer, early: bool = False, mode: str | None = None
) -> str:
    """Choose when to kill this writer; returns a description for messages.

    The timed modes land wherever the machine's load puts the child by then; the
    ``after saves`` mode waits for saves, so it always lands while notes are saved.
    """
    modes = ("very early", "startup", "mid-flow", "mid-flow", "after saves")
    mode = "very early" if early else mode or rng.choice(modes)
    if mode == "very early":  # while Python imports or the store opens
        delay = rng.uniform(0.0, 0.2)
    elif mode == "startup":
        delay = rng.uniform(0.1, 0.4)
    elif mode == "mid-flow":
        delay = rng.uniform(0.3, 0.9)
    else:  # a random number of saves in, then a sub-millisecond to 3 ms later
        writer.after_lines = rng.randint(1, 400)
        writer.extra_delay = rng.uniform(0.0, 0.003)
        return f"{mode} ({writer.after_lines} saves + {writer.extra_delay * 1000:.2f} ms)"
    writer.kill_at = writer.started + delay
    return f"{mode} ({delay * 1000:.0f} ms)"


def _run_and_kill(writers: list[Writer], ctx: str) -> None:
    """Kill every writer at its planned moment; fail if one ends by itself or hangs."""
    try:
        pending = list(writers)
        while pending:
            now = time.perf_counter()
            for w in list(pending):
                if len(w.lines) != w.seen_lines:
                    w.seen_lines, w.progress_at = len(w.lines), now
                code = w.proc.poll()
                if code is not None:
                    w.proc.wait()
                    assert w.reader
                    w.reader.join(5)
                    err = w.stderr_path.read_text(errors="replace")
                    pytest.fail(f"{ctx}: child {w.label} ended by itself (exit {code}):\n{err}")
                if (
                    w.after_lines is not None
                    and w.kill_at is None
                    and len(w.lines) >= w.after_lines
                ):
                    w.kill_at = now + w.extra_delay
                stuck = now - w.progress_at > STUCK_AFTER_S
                if (w.kill_at is not None and now >= w.kill_at) or stuck:
                    os.kill(w.proc.pid, signal.SIGKILL)
                    w.killed = not stuck
                    pending.remove(w)
            time.sleep(0.0002)
    finally:  # never leave a child running, also when failing
        for w in writers:
            if w.proc.poll() is None:
                w.proc.kill()
    for w in writers:
        w.proc.wait()
        assert w.reader
        w.reader.join(10)
        assert w.proc.stdout
        w.proc.stdout.close()
        err = w.stderr_path.read_text(errors="replace")
        assert w.killed, f"{ctx}: child {w.label} made no progress for {STUCK_AFTER_S} s:\n{err}"
        assert w.proc.returncode == -signal.SIGKILL, f"{ctx}: {w.label} exit {w.proc.returncode}"
        # Killed children write nothing to stderr: a traceback (such as
        # "database is locked") before the kill is a failure too.
        assert "Traceback" not in err, f"{ctx}: child {w.label} failed:\n{err}"


_LABEL = re.compile(r"\[(\w+)x(\d+)\]\Z")


def _check_database(db: Path, writers: list[Writer], ctx: str) -> int:
    """Every printed note is there, intact and indexed; the file is sound. Returns #notes."""
    # A fresh plain connection first: it replays the WAL the last child left.
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], ctx
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal", ctx
        # FTS5 'integrity-check' raises sqlite3.DatabaseError ("database disk
        # image is malformed") when an index is damaged; it writes nothing but
        # must run outside a read transaction.
        assert not conn.in_transaction
        fts_tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
            )
        ]
        assert "notes_fts" in fts_tables, ctx
        for name in fts_tables:  # as the children left them: sound inside
            conn.execute(f"INSERT INTO {name}({name}) VALUES('integrity-check')")
        # The trigram index lags behind saves (m007): bring it up to date the
        # way a search would, then hold every index to the notes themselves.
        catch_up_trigram(sqlite_utils.Database(conn))
        assert not conn.in_transaction
        for name in fts_tables:  # notes_fts, and any later index over the notes
            conn.execute(f"INSERT INTO {name}({name}) VALUES('integrity-check')")
            # With rank 1 an external-content index is also compared with the
            # notes table itself (without it, only its inner structure is
            # checked). Valid here because these tests delete no notes: the
            # indexes leave soft-deleted notes out.
            conn.execute(f"INSERT INTO {name}({name}, rank) VALUES('integrity-check', 1)")
        torn = conn.execute(
            "SELECT count(*) FROM notes n LEFT JOIN note_revisions r"
            " ON r.note_id = n.id AND r.rev = 1 WHERE r.note_id IS NULL"
        ).fetchone()[0]
        assert torn == 0, f"{ctx}: {torn} notes without their first revision"
        # Each note's unique last word finds exactly that note.
        indexed = {}
        for note_id, rowid, text in conn.execute("SELECT id, rowid, text FROM notes").fetchall():
            word = text.rsplit("[", 1)[-1].rstrip("]")
            hits = conn.execute(
                "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?", [f'"{word}"']
            ).fetchall()
            indexed[note_id] = hits == [(rowid,)]
    finally:
        conn.close()

    with Store.open(db) as store:
        notes = store.list_notes(SESSION_ID)
    by_id = {str(n.id): n for n in notes}
    assert len(by_id) == len(notes), f"{ctx}: duplicate note ids"

    seqs_in_db: dict[str, set[int]] = defaultdict(set)
    for note in notes:
        m = _LABEL.search(note.text)
        assert m, f"{ctx}: unexpected note text {note.text!r}"
        label, seq = m.group(1), int(m.group(2))
        assert note.text == child.note_text(label, seq), f"{ctx}: text of {label}x{seq} differs"
        assert seq not in seqs_in_db[label], f"{ctx}: {label}x{seq} saved twice"
        seqs_in_db[label].add(seq)
        assert indexed[str(note.id)], f"{ctx}: {label}x{seq} not found by full-text search"

    for w in writers:
        saved = w.saved()
        lost = [f"{w.label}x{seq} ({note_id})" for note_id, seq in saved if note_id not in by_id]
        assert not lost, f"{ctx}: reported saved but not in the database: {', '.join(lost)}"
        wrong = [seq for i, seq in saved if by_id[i].text != child.note_text(w.label, seq)]
        assert not wrong, f"{ctx}: {w.label}: notes {wrong} have another text than was saved"
        in_db = seqs_in_db.get(w.label, set())
        # Saves are in order: what the database holds is 0..n-1, and at most the
        # last one (committed, killed before it was printed) was not reported.
        assert in_db == set(range(len(in_db))), f"{ctx}: gaps in {w.label}: {sorted(in_db)}"
        assert len(in_db) - len(saved) in (0, 1), f"{ctx}: {w.label} {len(in_db)} vs {len(saved)}"
    return len(notes)


def _kill_lab(
    tmp_path: Path,
    *,
    rounds: int,
    writers_per_round: int,
    seed: int,
    early_rounds: int = 0,
    saving_kills: int | None = None,
) -> None:
    """Kill writers ``rounds`` times, then on until ``saving_kills`` kills landed mid-save.

    A kill lands mid-save when the child had reported at least one saved note.
    The default target is a quarter of the planned kills. Rounds added to reach
    it kill after a random number of saves; a lab that still cannot reach it
    within :data:`MAX_ROUNDS_FACTOR` times its rounds fails (its children never
    get to save, which is a fault, not a slow machine).
    """
    rng = random.Random(seed)
    db = tmp_path / "durability.db"
    tables = ["1,2,3,4", "5,6,7,8"]
    target = rounds * writers_per_round // 4 if saving_kills is None else saving_kills
    if writers_per_round > 1:
        # Several writers race for the write lock, not for creating the session.
        with Store.open(db) as store:
            store.create_session(find_plan("skills"), session_id=SESSION_ID)
    everyone: list[Writer] = []
    kills: list[str] = []
    landed = 0
    r = 0
    while r < rounds or landed < target:
        if r >= rounds * MAX_ROUNDS_FACTOR:
            pytest.fail(
                f"seed={seed}: only {landed} of {target} kills landed while notes were "
                f"being saved in {r} rounds"
            )
        ctx = f"seed={seed} round={r}"
        writers = []
        for k in range(writers_per_round):
            w = _start(db, f"r{r}w{k}", tables[k % len(tables)], tmp_path)
            mode = "after saves" if r >= rounds else None
            kills.append(f"{w.label}: {_plan_kill(rng, w, early=r < early_rounds, mode=mode)}")
            writers.append(w)
        _run_and_kill(writers, f"{ctx} [{'; '.join(kills[-writers_per_round:])}]")
        everyone.extend(writers)
        landed += sum(1 for w in writers if w.saved())
        r += 1
    ctx = f"seed={seed} after {r} rounds"
    # The promise: every note reported saved is there, with its text, once.
    total = _check_database(db, everyone, ctx)
    reported = sum(len(w.saved()) for w in everyone)
    print(
        f"{ctx}: {len(kills)} kills, {landed} of them while notes were being saved; "
        f"{reported} notes reported saved, {total} in the database, 0 lost, 0 twice"
    )
    assert landed >= target, ctx


def test_single_writer_killed_at_random_moments(tmp_path: Path) -> None:
    # The first child creates the database and the session, so early kills
    # also land in the middle of creating and migrating it.
    _kill_lab(tmp_path, rounds=24, writers_per_round=1, seed=_seed(20150219), early_rounds=3)


def test_two_writers_at_once_killed_at_random_moments(tmp_path: Path) -> None:
    # BEGIN IMMEDIATE + busy timeout: neither writer ever sees "database is locked".
    _kill_lab(tmp_path, rounds=14, writers_per_round=2, seed=_seed(20150330))


@pytest.mark.slow
def test_single_writer_killed_200_times(tmp_path: Path) -> None:
    _kill_lab(tmp_path, rounds=200, writers_per_round=1, seed=_seed(20150512), early_rounds=5)


@pytest.mark.slow
def test_three_writers_at_once_killed_100_times(tmp_path: Path) -> None:
    _kill_lab(tmp_path, rounds=100, writers_per_round=3, seed=_seed(20160101))
