"""Feed one hostile input to the real ``dialoog`` entry point and judge what it did.

A :class:`Case` is a command line (``--db`` is added), the files it reads and its
standard input. :meth:`Lab.run` copies a prepared database, runs
:func:`dialoog.cli.main` in this process (click's ``CliRunner`` isolation: real
argument parsing, real error handling, real output streams) or, for a sample,
``python -m dialoog`` in a child process with a memory limit, and classifies:

* **accepted**: exit 0, nothing printed contains a raw control character, the
  database passes ``quick_check`` and its notes agree with their revisions, and
  ``notes list`` (every session), ``sessions`` and ``search`` on it still work
  and print no raw control characters;
* **rejected**: exit 2, one line on stderr (several only where the command lists
  one problem per line), each naming the file when the input is a file, no
  traceback, and the database's content (hashed from a fresh connection) as it was.

Anything else is a failure: ``traceback``, ``hang`` (over :data:`HANG_S`),
``memory`` (over :data:`MEMORY_BYTES`, seen only in child processes), ``exit``
(another exit code), ``unclean rejection``, ``database changed``, ``control
characters``, ``broken afterwards`` or ``invariant``. :data:`STATS` counts every
input per class and outcome, with the first few failures of each.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from dialoog.cli import main

#: Longest an input may take (the issue's bound).
HANG_S = 10.0
#: Most memory a child process may use (the issue's bound).
MEMORY_BYTES = 1 << 30

ACCEPTED = "accepted"
REJECTED = "rejected"
TRACEBACK = "traceback"
HANG = "hang"
MEMORY = "memory"
EXIT = "exit"
UNCLEAN = "unclean rejection"
DB_CHANGED = "database changed"
CONTROL = "control characters"
BROKEN_AFTER = "broken afterwards"
INVARIANT = "invariant"
FAILURES = (TRACEBACK, HANG, MEMORY, EXIT, UNCLEAN, DB_CHANGED, CONTROL, BROKEN_AFTER, INVARIANT)

#: A raw control character on its way to a terminal (tab and newline are fine).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class Case:
    """One hostile input for one command.

    ``argv`` follows ``dialoog --db DB``; ``{dir}`` in it is the case's folder,
    where ``files`` are written.
    """

    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    stdin: bytes | None = None
    names: str | None = None
    """What every rejection line must contain (the file's path), ``{dir}`` allowed."""
    multi_line: bool = False
    """The command prints one line per problem (plan validate, participant import)."""
    search: str | None = None
    """A word to search for afterwards (the input's own text)."""
    expect_notes: int | None = None
    """How many notes an acceptance adds."""
    check_output: bool = True
    """Whether the command's own output must be free of control characters."""
    hang_s: float = HANG_S


@dataclass
class Result:
    """What one run of the entry point did."""

    code: int | None
    out: str
    err: str
    exception: str | None = None


@dataclass
class Verdict:
    """The class of an outcome and the line that shows it."""

    outcome: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        """Whether this outcome breaks the promise."""
        return self.outcome in FAILURES


class Stats:
    """Inputs tried per class and outcome, with the first failures of each class."""

    def __init__(self) -> None:
        self.by_class: dict[str, Counter[str]] = defaultdict(Counter)
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.subprocess_runs = 0

    def record(self, name: str, verdict: Verdict, shown: str) -> None:
        """Count one input of class ``name``; keep the first three failures."""
        self.by_class[name][verdict.outcome] += 1
        if verdict.failed and len(self.examples[name]) < 3:
            self.examples[name].append(f"{verdict.outcome}: {verdict.detail} <- {shown}")

    def total(self) -> Counter[str]:
        """Outcomes over every class."""
        out: Counter[str] = Counter()
        for counts in self.by_class.values():
            out.update(counts)
        return out

    def failures(self, name: str) -> list[str]:
        """The first failures of class ``name`` (empty when it held)."""
        return list(self.examples.get(name, []))

    def summary(self) -> str:
        """``hostile inputs tried: N (tracebacks: 0, hangs: 0, ...)``."""
        t = self.total()
        n = sum(t.values())
        fails = ", ".join(
            f"{label}: {t[key]}"
            for key, label in (
                (TRACEBACK, "tracebacks"),
                (HANG, "hangs"),
                (MEMORY, "over 1 GiB"),
                (EXIT, "other exit codes"),
                (UNCLEAN, "unclean rejections"),
                (DB_CHANGED, "database changed"),
                (CONTROL, "raw control characters"),
                (BROKEN_AFTER, "broken afterwards"),
                (INVARIANT, "invariants broken"),
            )
        )
        return (
            f"hostile inputs tried: {n} ({fails}; accepted {t[ACCEPTED]}, rejected "
            f"{t[REJECTED]}; {self.subprocess_runs} also in a child process)"
        )

    def table(self) -> str:
        """One line per class: inputs and outcomes, then its first failures."""
        lines = []
        for name in sorted(self.by_class):
            counts = self.by_class[name]
            parts = ", ".join(f"{k} {v}" for k, v in counts.most_common())
            lines.append(f"  {name}: {sum(counts.values())} ({parts})")
            lines += [f"      {e}" for e in self.examples.get(name, [])]
        return "\n".join(lines)


#: Every input of this test run.
STATS = Stats()


class _Hang(BaseException):
    """Raised by the alarm in a run that took too long (not an ``Exception``)."""


def _on_alarm(_signum: int, _frame: object) -> None:
    raise _Hang


def invoke(argv: list[str], stdin: bytes | None = None, hang_s: float = HANG_S) -> Result:
    """Run ``dialoog ARGV`` in this process, as the console script does."""
    runner = CliRunner()
    # color=True: click strips ANSI from output it takes for a pipe, not for a terminal.
    with runner.isolation(input=stdin, color=True) as streams:
        out, err = streams[0], streams[1]
        code: int | None = 0
        exception = None
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, hang_s)
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except _Hang:
            code = None
        except BaseException as exc:
            code = 1
            exception = traceback.format_exception_only(exc)[-1].strip().splitlines()[0][:300]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        sys.stdout.flush()
        sys.stderr.flush()
        return Result(
            code,
            out.getvalue().decode("utf-8", "replace"),
            err.getvalue().decode("utf-8", "replace"),
            exception,
        )


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def invoke_child(argv: list[str], stdin: bytes | None, hang_s: float) -> Result | None:
    """Run ``python -m dialoog ARGV`` with a memory limit and a deadline.

    None when an argument cannot be passed to a process (a lone surrogate, a NUL,
    more than the kernel takes).
    """
    if any("\x00" in a for a in argv):
        return None
    try:
        args = [os.fsencode(a) for a in argv]
    except UnicodeEncodeError:
        return None
    try:
        proc = subprocess.run(
            [sys.executable.encode(), b"-m", b"dialoog", *args],
            input=stdin or b"",
            capture_output=True,
            timeout=hang_s,
            preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Result(None, "", "")
    except OSError:  # E2BIG: an argument longer than a process may be given
        return None
    err = proc.stderr.decode("utf-8", "replace")
    exception = None
    if "Traceback" in err:
        exception = err.strip().splitlines()[-1][:300]
    code = proc.returncode
    if code < 0 or "MemoryError" in err:
        return Result(-1, "", err, "MemoryError" if "MemoryError" in err else f"signal {-code}")
    return Result(code, proc.stdout.decode("utf-8", "replace"), err, exception)


def content_hash(db: Path) -> str:
    """A hash of every row of every table, read through a fresh connection."""
    conn = sqlite3.connect(db)
    try:
        digest = hashlib.sha256()
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (name,) in names.fetchall():
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            digest.update(name.encode())
            digest.update(repr(sorted(map(repr, rows))).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()
    finally:
        conn.close()


def _invariants(db: Path) -> tuple[str | None, list[str], int]:
    """(problem, session ids, note count) of a database after an accepted input."""
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            return f"quick_check: {check[0][0]}", [], 0
        disagree = conn.execute(
            "SELECT n.id FROM notes n JOIN note_revisions r ON r.note_id = n.id AND r.rev = n.rev"
            " WHERE r.text IS NOT n.text LIMIT 1"
        ).fetchall()
        if disagree:
            return f"note {disagree[0][0]}: notes.text and note_revisions.text differ", [], 0
        sessions = [r[0] for r in conn.execute("SELECT id FROM sessions ORDER BY id")]
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        return None, sessions, notes
    except sqlite3.Error as exc:
        return f"{type(exc).__name__}: {exc}", [], 0
    finally:
        conn.close()


def _control(text: str) -> str | None:
    found = _CONTROL_RE.search(text)
    if found is None:
        return None
    start = max(0, found.start() - 20)
    return repr(text[start : found.end() + 10])


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


class Lab:
    """Runs cases against copies of one prepared database."""

    def __init__(self, workdir: Path, template_db: Path, stats: Stats = STATS) -> None:
        self.workdir = workdir
        self.template_db = template_db
        self.stats = stats
        self.runs = 0
        workdir.mkdir(parents=True, exist_ok=True)
        self.template_hash = content_hash(template_db)
        _problem, _sessions, self.template_notes = _invariants(template_db)

    def run(self, name: str, case: Case, *, child: bool = False, shown: str = "") -> Verdict:
        """Run ``case`` (also in a child process when ``child``), count and return the verdict."""
        verdict = self._run_once(case, child=False)
        if child and not verdict.failed:
            verdict = self._run_once(case, child=True) or verdict
        self.stats.record(name, verdict, shown[:160])
        return verdict

    def _run_once(self, case: Case, *, child: bool) -> Verdict | None:
        self.runs += 1
        folder = self.workdir / f"case{self.runs}"
        folder.mkdir()
        try:
            db = folder / "dialoog.db"
            shutil.copyfile(self.template_db, db)
            for file_name, data in case.files.items():
                (folder / file_name).write_bytes(data)
            argv = ["--db", str(db), *(a.replace("{dir}", str(folder)) for a in case.argv)]
            if child:
                result = invoke_child(argv, case.stdin, case.hang_s)
                if result is None:
                    return None
                self.stats.subprocess_runs += 1
            else:
                result = invoke(argv, case.stdin, case.hang_s)
            names = case.names.replace("{dir}", str(folder)) if case.names else None
            return self._judge(case, result, db, names)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _judge(self, case: Case, r: Result, db: Path, names: str | None) -> Verdict:
        if r.code is None:
            return Verdict(HANG, f"no answer within {case.hang_s:.0f} s")
        if r.code == -1:
            return Verdict(MEMORY, r.exception or "killed")
        if r.exception is not None or "Traceback" in r.err:
            return Verdict(TRACEBACK, r.exception or _first_line(r.err))
        if r.code == 2:
            return self._judge_rejection(case, r, db, names)
        if r.code != 0:
            return Verdict(EXIT, f"exit {r.code}: {_first_line(r.err)}")
        return self._judge_acceptance(case, r, db)

    def _judge_rejection(self, case: Case, r: Result, db: Path, names: str | None) -> Verdict:
        lines = [line for line in r.err.splitlines() if line.strip()]
        if not lines:
            return Verdict(UNCLEAN, "exit 2 without a message")
        if len(lines) > 1 and not case.multi_line:
            return Verdict(UNCLEAN, f"{len(lines)} lines: {lines[0][:120]} | {lines[1][:80]}")
        if names and not all(names in line for line in lines):
            return Verdict(UNCLEAN, f"does not name the file: {lines[0][:160]}")
        bad = _control(r.err)
        if bad:
            return Verdict(CONTROL, f"in the error: {bad}")
        try:
            changed = content_hash(db) != self.template_hash
        except sqlite3.Error as exc:
            return Verdict(DB_CHANGED, f"unreadable afterwards: {exc}")
        if changed:
            return Verdict(DB_CHANGED, f"rejected ({lines[0][:120]}) but the database changed")
        return Verdict(REJECTED, lines[0][:200])

    def _judge_acceptance(self, case: Case, r: Result, db: Path) -> Verdict:
        bad = _control(r.out + r.err) if case.check_output else None
        if bad:
            return Verdict(CONTROL, f"printed {bad}")
        problem, sessions, notes = _invariants(db)
        if problem:
            return Verdict(INVARIANT, problem)
        if case.expect_notes is not None and notes - self.template_notes != case.expect_notes:
            return Verdict(
                INVARIANT,
                f"{case.expect_notes} lines, {notes - self.template_notes} notes imported",
            )
        follow = [["notes", "list", "--session", s] for s in sessions] + [["sessions"]]
        if case.search:
            follow.append(["search", case.search, "--limit", "5"])
        for argv in follow:
            after = invoke(["--db", str(db), *argv])
            shown = " ".join(argv)[:60]
            if after.exception or after.code != 0 or "Traceback" in after.err:
                detail = after.exception or f"exit {after.code}: {_first_line(after.err)}"
                return Verdict(BROKEN_AFTER, f"{shown}: {detail}")
            bad = _control(after.out + after.err)
            if bad:
                return Verdict(CONTROL, f"{shown} printed {bad}")
        return Verdict(ACCEPTED)
