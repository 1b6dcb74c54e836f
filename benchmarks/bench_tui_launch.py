"""Launch time of ``dialoog capture`` against a minimal Textual app (issue 3).

Both programs start as new processes in windows of one private tmux server
(100×30 cells), launched the same way (``tmux new-window``) with the same
Python. The clock starts just before the window is created and stops when
``tmux capture-pane`` first shows a known text: for dialoog the session title,
which the command line reads with the standard sqlite3 module and the capture
screen shows on its first frame, while the store is opened in a worker (the
notes list fills after that); for the baseline, a minimal app of
a Header, an Input and a Footer, the Input's placeholder. The same polling
loop (one ``capture-pane`` every ~10 ms) serves both, so its cost and
resolution are the same on both sides. The runs alternate (the one going first
switches every pair) so a busy machine slows both alike.

Both run from compiled bytecode, as installed: pip compiles every module of a
wheel (Textual's and dialoog's alike) when it installs it. An editable install
under ``PYTHONDONTWRITEBYTECODE=1`` never writes dialoog's ``.pyc`` files, so
each launch would compile dialoog's source again (~20-25 ms here) while Textual's
comes compiled; the benchmark therefore compiles both packages first
(``compileall``, a no-op when they are compiled already). ``--source`` skips
that, to see the cost of an uncompiled tree.

Run: ``python benchmarks/bench_tui_launch.py [--n 10] [--json] [--quick] [--check] [--source]``
(``--quick``: 3 launches each; ``--json``: the contract's rows on the last line).

Target: median dialoog / median minimal <= 1.3.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import textual

import dialoog
from dialoog.plans import find_plan
from dialoog.storage import Store

TARGET_RATIO = 1.3
SESSION = "2015-02-19-skills"
DIALOOG_READY = "Dialoogbijeenkomst skills van de toekomst"
MINIMAL_READY = "minimal app ready"
MINIMAL_APP = f'''
from textual.app import App
from textual.widgets import Footer, Header, Input


class Minimal(App):
    BINDINGS = [("ctrl+q", "quit", "quit")]

    def compose(self):
        yield Header()
        yield Input(placeholder="{MINIMAL_READY}")
        yield Footer()


Minimal().run()
'''


def machine() -> str:
    """Date, platform, CPUs and versions, for the header of the output."""
    return (
        f"# {dt.datetime.now().isoformat(timespec='seconds')}  {platform.platform()}  "
        f"{os.cpu_count()} CPUs\n# Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, Textual {textual.__version__}, "
        f"dialoog {dialoog.__version__}, tmux {tmux_version()}"
    )


def tmux_version() -> str:
    """The tmux version string."""
    return subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.split()[-1]


class Tmux:
    """A private tmux server with one idle session; each run gets a new window."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"dialoog-bench-{uuid.uuid4().hex[:10]}"
        self.env = env
        self.run("new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", "sleep 100000")

    def run(self, *args: str) -> str:
        """A tmux command on this server; its output."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-u", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def close(self) -> None:
        """Kill the server and remove its socket."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        folder = Path(self.env.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def compile_packages() -> None:
    """Compile dialoog's and Textual's modules to bytecode, as ``pip install`` does."""
    for package in (dialoog, textual):
        folder = Path(package.__file__).parent
        if not compileall.compile_dir(folder, quiet=1):
            raise SystemExit(f"could not compile {folder}")


def alive(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def launch(tmux: Tmux, name: str, command: str, ready: str, timeout: float = 30.0) -> float:
    """Seconds from creating a window running ``command`` until ``ready`` is on screen."""
    start = time.perf_counter()
    tmux.run("new-window", "-d", "-t", "bench", "-n", name, command)
    target = f"bench:{name}"
    while True:
        screen = tmux.run("capture-pane", "-p", "-t", target)
        elapsed = time.perf_counter() - start
        if ready in screen:
            break
        if elapsed > timeout:
            raise SystemExit(f"{name}: {ready!r} not on screen after {timeout:.0f} s:\n{screen}")
        time.sleep(0.01)
    pid = int(tmux.run("list-panes", "-t", target, "-F", "#{pane_pid}").split()[0])
    tmux.run("kill-window", "-t", target)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return elapsed


def main() -> None:
    """Time both launches N times each, alternating; print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="launches of each program")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    parser.add_argument("--json", action="store_true", help="print the contract's rows as JSON")
    parser.add_argument("--quick", action="store_true", help="3 launches of each")
    parser.add_argument(
        "--source", action="store_true", help="do not compile the packages to bytecode first"
    )
    args = parser.parse_args()
    if args.quick:
        args.n = 3
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not on PATH")
    if not args.source:
        compile_packages()
    load_before = os.getloadavg()[0]
    script = Path(sys.executable).parent / "dialoog"
    folder = Path(tempfile.mkdtemp(prefix="bench-tui-launch-"))
    env = dict(os.environ)
    env.update(
        DIALOOG_HOME=str(folder / "home"),
        DIALOOG_LANG="en",
        LANG="C.UTF-8",
        TERM="xterm-256color",
    )
    env.pop("TMUX", None)
    db = folder / "bench.db"
    with Store.open(db) as store:
        store.create_session(find_plan("skills"))
    (folder / "minimal.py").write_text(MINIMAL_APP)
    commands = {
        "dialoog": (
            f"{script} --db {db} capture --session {SESSION} --table 3",
            DIALOOG_READY,
        ),
        "minimal": (f"{sys.executable} {folder / 'minimal.py'}", MINIMAL_READY),
    }
    times: dict[str, list[float]] = {"dialoog": [], "minimal": []}
    tmux = Tmux(env)
    try:
        # One unmeasured launch of each warms the disk cache alike.
        for name, (command, ready) in commands.items():
            launch(tmux, f"warm-{name}", command, ready)
        for i in range(args.n):
            order = ["dialoog", "minimal"] if i % 2 == 0 else ["minimal", "dialoog"]
            for name in order:
                command, ready = commands[name]
                times[name].append(launch(tmux, f"{name}-{i}", command, ready))
    finally:
        tmux.close()
        shutil.rmtree(folder, ignore_errors=True)

    print("# bench_tui_launch: process start until the screen is ready, in tmux (100x30)")
    print(machine())
    print(
        f"# {args.n} launches each, alternating; capture-pane polled every ~10 ms; "
        + ("as found (--source)" if args.source else "bytecode compiled first")
        + f"; load {load_before:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print(f"{'':10} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    for name, values in times.items():
        print(
            f"{name:10} {statistics.median(values) * 1000:10.0f} {min(values) * 1000:8.0f}"
            f" {max(values) * 1000:8.0f}"
        )
    ratio = statistics.median(times["dialoog"]) / statistics.median(times["minimal"])
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"ratio dialoog / minimal (medians): {ratio:.2f}  (target <= {TARGET_RATIO}: {verdict})")
    if args.json:
        row = {
            "name": "capture launch to title",
            "median": statistics.median(times["dialoog"]) * 1000,
            "p99": None,
            "baseline": statistics.median(times["minimal"]) * 1000,
            "ratio": ratio,
            "target": f"<= {TARGET_RATIO}x minimal Textual app",
            "met": ratio <= TARGET_RATIO,
            "unit": "ms",
            "note": f"{args.n} launches each in tmux; baseline: Header, Input, Footer; "
            + ("uncompiled; " if args.source else "")
            + f"load {load_before:.2f} -> {os.getloadavg()[0]:.2f}",
        }
        print(json.dumps([row]))
    if args.check and ratio > TARGET_RATIO:
        sys.exit(1)


if __name__ == "__main__":
    main()
