"""The multi-process lab of issue 9: the real programs side by side on one database.

Two or three ``dialoog capture`` screens run in tmux at different tables and type
notes; ``dialoog clock`` (in tmux too) drives the programme; the command line
runs ``notes list``, ``search``, ``report``, ``backup``, ``export`` and
``import`` in a loop; a plain ``sqlite3`` shell opens and closes the database.
Capture processes are killed with SIGKILL at random moments: while a note is
half typed (after its draft is stored), right after Enter, or idle, and are
relaunched. Afterwards, from fresh processes:

* every note a screen showed as saved is in the database exactly once, and no
  typed text is in it twice;
* every half-typed draft came back in the input on relaunch;
* ``PRAGMA integrity_check`` is ok;
* every live screen showed the programme's item within two seconds of the
  chair of the day moving it.

A room lock stands for the chairs' attention: a chair does not type while the
programme moves, and the clock does not move while a chair's screen restarts.

Run from ``tests/e2e/test_lab.py`` (fast in the default run, 100+ kills under
``-m slow``) or directly: ``python tests/e2e/lab.py --kills 100 --tables 3``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from test_tmux_capture import DIALOOG, LOADED_TEXT, Terminal, alive, descendants, is_dialoog

SESSION = "2015-02-19-skills"
ITEMS = 6
FOLLOW_LIMIT_S = 2.0
WORDS = [
    "één",
    "café",
    "coördinatie",
    "naïef",
    "ROC’s",
    "zorg",
    "stage",
    "taal",
    "skills",
    "overleg",
    "regio",
    "brûlée",
]


@dataclass
class LabReport:
    """What the lab did and found."""

    tables: int
    kills: int = 0
    acknowledged: list[str] = field(default_factory=list)
    """Texts a screen showed as saved."""
    typed: list[str] = field(default_factory=list)
    """Every text typed, saved or not."""
    lost: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)
    drafts_checked: int = 0
    drafts_missing: list[str] = field(default_factory=list)
    clock_moves: int = 0
    follow_s: list[float] = field(default_factory=list)
    follow_late: list[str] = field(default_factory=list)
    cli_runs: int = 0
    cli_failures: list[str] = field(default_factory=list)
    sqlite_reads: int = 0
    sqlite_failures: list[str] = field(default_factory=list)
    integrity: str = ""
    chair_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def processes(self) -> int:
        """Programs side by side at the peak: screens, clock, command line, sqlite3."""
        return self.tables + 3

    def summary(self) -> str:
        """One paragraph of figures."""
        follow = sorted(self.follow_s)
        worst = f"{follow[-1]:.2f} s" if follow else "n/a"
        median = f"{follow[len(follow) // 2]:.2f} s" if follow else "n/a"
        return (
            f"lab: {self.processes} processes side by side ({self.tables} capture screens, "
            f"clock, CLI loop, sqlite3 reader) for {self.seconds:.0f} s; "
            f"{self.kills} SIGKILLs; {len(self.acknowledged)} notes shown as saved, checked "
            f"from a fresh process: {len(self.lost)} lost, {len(self.twice)} twice; "
            f"{self.drafts_checked} half-typed drafts, {len(self.drafts_missing)} not restored; "
            f"{self.clock_moves} programme moves, screens followed in median {median}, "
            f"worst {worst} ({len(self.follow_late)} over {FOLLOW_LIMIT_S:.0f} s); "
            f"{self.cli_runs} CLI runs ({len(self.cli_failures)} failed), "
            f"{self.sqlite_reads} sqlite3 reads ({len(self.sqlite_failures)} failed); "
            f"integrity_check: {self.integrity}"
        )

    def problems(self) -> list[str]:
        """Everything that breaks the promise; empty when the lab passed."""
        found = [f"lost: {t}" for t in self.lost] + [f"twice: {t}" for t in self.twice]
        found += [f"draft not restored: {t}" for t in self.drafts_missing]
        found += [f"late: {t}" for t in self.follow_late]
        found += [f"cli: {t}" for t in self.cli_failures]
        found += [f"sqlite3: {t}" for t in self.sqlite_failures]
        found += [f"chair: {t}" for t in self.chair_errors]
        if self.integrity != "ok":
            found.append(f"integrity_check: {self.integrity}")
        return found


def fresh(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Run ``sql`` on a new read-only connection, closed at once (as another process)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


class Lab:
    """The room: one database, a tmux server, the chairs, the clock and the onlookers."""

    def __init__(
        self, workdir: Path, terminal: Terminal, tables: int, kills: int, seed: int, moves: int
    ):
        self.dir = workdir
        self.db = workdir / "lab.db"
        self.terminal = terminal
        self.report = LabReport(tables=tables)
        self.tables = list(range(1, tables + 1))
        self.target_kills = kills
        self.target_moves = moves
        self.rng = random.Random(seed)
        self.room = threading.Lock()
        self.count_lock = threading.Lock()
        self.stop = threading.Event()
        self.live: set[int] = set()
        self.serial = 0

    # -- setting up ---------------------------------------------------------------

    def dialoog(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(DIALOOG), "--db", str(self.db), *args],
            env=self.terminal.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def setup(self) -> None:
        made = self.dialoog("new", "--plan", "skills")
        if made.returncode != 0:
            raise AssertionError(made.stderr)
        code = (
            "import sys; from dialoog.storage import Store; "
            "s = Store.open(sys.argv[1]); s.set_clock(sys.argv[2], current_item=4, state='idle');"
            " s.close()"
        )
        subprocess.run([sys.executable, "-c", code, str(self.db), SESSION], check=True)

    def screen(self, name: str) -> str:
        try:
            return self.terminal.screen(name)
        except AssertionError:
            return ""

    def wait(self, name: str, condition, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self.screen(name)):
                return True
            time.sleep(0.05)
        return condition(self.screen(name))

    # -- a chair ------------------------------------------------------------------

    def capture_command(self, table: int) -> list[str]:
        return [str(DIALOOG), "--db", str(self.db), "capture", "--session", SESSION,
                "--table", str(table)]  # fmt: skip

    def launch(self, table: int) -> None:
        name = f"t{table}"
        self.terminal.launch(name, self.capture_command(table))
        if not self.wait(name, lambda s: LOADED_TEXT in s and "/6 " in s, 30):
            raise AssertionError(f"table {table} did not start:\n{self.screen(name)}")
        self.live.add(table)

    def kill(self, table: int) -> None:
        name = f"t{table}"
        self.live.discard(table)
        pane = int(self.terminal.tmux("list-panes", "-t", name, "-F", "#{pane_pid}").split()[0])
        targets = [p for p in [pane, *descendants(pane)] if is_dialoog(p)]
        for pid in targets:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in targets) and time.monotonic() < deadline:
            time.sleep(0.02)
        for _ in range(100):  # the session ends with its program; make sure it is gone
            try:
                self.terminal.tmux("kill-session", "-t", name)
            except AssertionError:
                break
            time.sleep(0.02)
        with self.count_lock:
            self.report.kills += 1

    def new_text(self, table: int) -> str:
        with self.count_lock:
            self.serial += 1
            n = self.serial
        words = " ".join(self.rng.sample(WORDS, 3))
        text = f"lab t{table} n{n:05d} {words}"
        self.report.typed.append(text)
        return text

    def type_note(self, table: int, text: str) -> None:
        self.terminal.tmux("send-keys", "-t", f"t{table}", "-l", text)
        self.terminal.tmux("send-keys", "-t", f"t{table}", "Enter")

    def wait_saved(self, table: int, text: str, timeout: float = 15) -> bool:
        """Whether the screen shows ``text`` as a saved row (not "saving")."""
        key = text[:30]

        def saved(screen: str) -> bool:
            return any(
                key in line and "saving" not in line and not line.startswith("▊")
                for line in screen.splitlines()
            )

        return self.wait(f"t{table}", saved, timeout)

    def chair(self, table: int) -> None:
        try:
            self.launch(table)
            while not self.stop.is_set():
                roll = self.rng.random()
                if roll < 0.2:
                    self.kill_while_half_typed(table)
                elif roll < 0.35:
                    self.kill_after_enter(table)
                elif roll < 0.45:
                    with self.room:
                        self.kill(table)
                        self.launch(table)
                else:
                    self.note(table)
                with self.count_lock:
                    done = self.report.kills >= self.target_kills
                    if done and self.report.clock_moves >= self.target_moves:
                        self.stop.set()
        except Exception as exc:  # reported, and the lab stops
            self.report.chair_errors.append(f"table {table}: {exc}")
            self.stop.set()

    def note(self, table: int) -> None:
        text = self.new_text(table)
        with self.room:  # the programme does not move until the chair has seen it saved
            self.type_note(table, text)
            saved = self.wait_saved(table, text)
        if saved:
            self.report.acknowledged.append(text)
        else:
            raise AssertionError(f"not shown as saved: {text}\n{self.screen(f't{table}')}")

    def kill_while_half_typed(self, table: int) -> None:
        text = self.new_text(table)
        with self.room:
            item = self.current_item()
            self.terminal.tmux("send-keys", "-t", f"t{table}", "-l", text)
            stored = (
                "SELECT text FROM typing_drafts WHERE session_id = ? AND table_no = ? AND item = ?"
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                rows = fresh(self.db, stored, (SESSION, table, item))
                if rows and rows[0][0] == text:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError(f"draft never stored: {text}")
            self.kill(table)
            self.launch(table)
            self.report.drafts_checked += 1
            if not self.wait(f"t{table}", lambda s: text[:30] in s, 10):
                self.report.drafts_missing.append(text)
                return
            self.terminal.tmux("send-keys", "-t", f"t{table}", "Enter")
            saved = self.wait_saved(table, text)
        if saved:
            self.report.acknowledged.append(text)

    def kill_after_enter(self, table: int) -> None:
        text = self.new_text(table)
        with self.room:
            self.type_note(table, text)
            time.sleep(self.rng.uniform(0, 0.4))
            self.kill(table)
            self.launch(table)
            self.wait(f"t{table}", lambda s: text[:30] in s, 3)  # saved, or back as a draft
            screen = self.screen(f"t{table}")
            in_input = any(
                text[:30] in line and line.startswith("▊") for line in screen.splitlines()
            )
            if in_input:  # the draft came back: save it now
                self.terminal.tmux("send-keys", "-t", f"t{table}", "Enter")
            saved = self.wait_saved(table, text, timeout=3)
        if saved:
            self.report.acknowledged.append(text)

    # -- the chair of the day -----------------------------------------------------

    def current_item(self) -> int:
        rows = fresh(self.db, "SELECT current_item FROM session_clock WHERE session_id = ?",
                     (SESSION,))  # fmt: skip
        return rows[0][0]

    def clock(self) -> None:
        try:
            self.terminal.launch("clock", [str(DIALOOG), "--db", str(self.db), "clock",
                                           "--session", SESSION])  # fmt: skip
            if not self.wait("clock", lambda s: "Gespreksronde" in s, 30):
                raise AssertionError(f"the clock did not start:\n{self.screen('clock')}")
            step = 1
            while not self.stop.wait(self.rng.uniform(1.5, 3.5)):
                with self.room:
                    before = self.current_item()
                    if not 1 <= before + step <= ITEMS:
                        step = -step
                    target = before + step
                    moved_at = time.monotonic()
                    self.terminal.tmux("send-keys", "-t", "clock", "n" if step > 0 else "b")
                    marker = f"{target}/{ITEMS} "
                    for table in sorted(self.live):
                        left = FOLLOW_LIMIT_S + 3 - (time.monotonic() - moved_at)
                        if not self.wait(f"t{table}", lambda s, m=marker: m in s, max(left, 0.1)):
                            self.report.follow_late.append(f"table {table} never showed {marker}")
                            continue
                        took = time.monotonic() - moved_at
                        self.report.follow_s.append(took)
                        if took > FOLLOW_LIMIT_S:
                            self.report.follow_late.append(f"table {table}: {took:.2f} s")
                    self.report.clock_moves += 1
        except Exception as exc:
            self.report.chair_errors.append(f"clock: {exc}")
            self.stop.set()

    # -- the onlookers ------------------------------------------------------------

    def cli_loop(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            bundle = self.dir / "lab-bundle.json"
            # A note saved by the command line's quick road (storage/quick.py), at a
            # table no screen uses, beside the screens' own saves: counted like theirs.
            text = f"lab cli note {n}"
            self.report.typed.append(text)
            added = self.dialoog(
                "notes", "add", "--session", SESSION, "--table", "8", "--item", "1", text,
                timeout=120,
            )  # fmt: skip
            self.report.cli_runs += 1
            if added.returncode == 0:
                self.report.acknowledged.append(text)
            else:
                self.report.cli_failures.append(f"notes add: {added.stderr.strip()}")
            for args in (
                ("notes", "list", "--session", SESSION, "--table", "1"),
                ("search", "skills", "--session", SESSION),
                ("report", SESSION),
                ("backup", "-o", str(self.dir / f"backup-{n}.db")),
                ("export", SESSION, "-o", str(bundle)),
                ("import", str(bundle)),
            ):
                if self.stop.is_set():
                    return
                done = self.dialoog(*args, timeout=120)
                self.report.cli_runs += 1
                if done.returncode != 0:
                    self.report.cli_failures.append(f"{' '.join(args)}: {done.stderr.strip()}")
            for old in self.dir.glob("backup-*.db"):
                old.unlink()

    def sqlite_loop(self) -> None:
        while not self.stop.wait(0.3):
            done = subprocess.run(
                ["sqlite3", str(self.db), "SELECT count(*) FROM notes;"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            self.report.sqlite_reads += 1
            if done.returncode != 0:
                self.report.sqlite_failures.append(done.stderr.strip())

    # -- the whole meeting --------------------------------------------------------

    def run(self, max_seconds: float) -> LabReport:
        self.setup()
        began = time.monotonic()
        threads = [threading.Thread(target=self.chair, args=(t,)) for t in self.tables]
        threads += [threading.Thread(target=f) for f in (self.clock, self.cli_loop,
                                                          self.sqlite_loop)]  # fmt: skip
        for thread in threads:
            thread.start()
        self.stop.wait(max_seconds)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=180)
        self.report.seconds = time.monotonic() - began
        for table in sorted(self.live):
            self.kill(table)
        self.check()
        return self.report

    def check(self) -> None:
        """Count from fresh processes what the screens promised."""
        code = (
            "import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(json.dumps({'notes': [r[0] for r in c.execute("
            "'SELECT text FROM notes WHERE deleted_at IS NULL')], "
            "'integrity': c.execute('PRAGMA integrity_check').fetchone()[0]}))"
        )
        import json

        out = subprocess.run(
            [sys.executable, "-c", code, str(self.db)], capture_output=True, text=True, check=True
        )
        found = json.loads(out.stdout)
        texts = found["notes"]
        self.report.integrity = found["integrity"]
        counts: dict[str, int] = {}
        for text in texts:
            counts[text] = counts.get(text, 0) + 1
        self.report.lost = [t for t in self.report.acknowledged if counts.get(t, 0) == 0]
        self.report.twice = [t for t in self.report.typed if counts.get(t, 0) > 1]


def run_lab(workdir: Path, terminal: Terminal, *, tables: int, kills: int, seed: int = 9,
            moves: int = 2, max_seconds: float = 600) -> LabReport:  # fmt: skip
    """Run the lab until ``kills`` SIGKILLs and ``moves`` programme moves (or
    ``max_seconds``), then check the database."""
    return Lab(workdir, terminal, tables, kills, seed, moves).run(max_seconds)


def main() -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--tables", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=1800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dialoog-lab-") as tmp:
        env = dict(os.environ)
        env.update(DIALOOG_HOME=str(Path(tmp) / "home"), DIALOOG_LANG="en", LANG="C.UTF-8",
                   LC_ALL="C.UTF-8", TERM="xterm-256color")  # fmt: skip
        env.pop("TMUX", None)
        terminal = Terminal(env)
        try:
            report = run_lab(Path(tmp), terminal, tables=args.tables, kills=args.kills,
                             seed=args.seed, moves=args.moves,
                             max_seconds=args.max_seconds)  # fmt: skip
        finally:
            terminal.kill_server()
    print(report.summary())
    for problem in report.problems():
        print("PROBLEM", problem)
    return 1 if report.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
