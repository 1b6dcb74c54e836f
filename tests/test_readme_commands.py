"""The README's tour works as written, in its order, on a fresh install (issue 15).

Every ``dialoog …`` line of the ``sh`` blocks of "A short tour" runs in a
subprocess against a fresh ``DIALOOG_HOME``, after the Start section's
``dialoog demo``. Trailing ``# comments`` and ``[optional parts]`` are dropped.
The few lines that cannot run as printed (the full-screen apps, the servers, which
are started on a free port and stopped once they answer, placeholders for
note ids and backup names) are listed below with the command run instead, and
the test fails when such a line is no longer in the README, so the lists stay
true.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DIALOOG = [sys.executable, "-m", "dialoog"]

#: Full-screen apps: they need a terminal and are tested with Pilot and tmux.
INTERACTIVE = (
    "dialoog capture --session demo --table 3",
    "dialoog clock --session demo",
)
#: Servers: started, waited for until they answer on their port, then stopped.
SERVERS = ("dialoog serve demo", "dialoog serve demo --host 127.0.0.1 --port 8000")
#: Placeholders the reader fills in, and what the test fills in.
PLACEHOLDERS = {
    "NOTE_ID NOTE_ID …": "{note_ids}",
    "backups/dialoog-….db": "{backup}",
}
#: Files the tour imports, as a reader would have them.
FILES = {
    "aantekeningen.txt": "Eerste notitie uit een bestand\n!Meer stageplekken #mbo\n",
    "aanmeldingen.csv": (
        "voornaam;tussenvoegsel;achternaam;organisatie\n"
        "Ria;van ’t;Klooster;Gemeente Zwolle\n"
        "Jan;;Jansen;ROC Midden\n"
    ),
}


def tour_commands(text: str) -> list[str]:
    """The ``dialoog`` lines of the tour's ``sh`` blocks, in order, comments stripped."""
    tour = text[text.index("## A short tour") :]
    tour = tour[: tour.index("\n## ", 1)]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", tour, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s{2,}#.*$", "", line).strip()
            if line.startswith("dialoog "):
                commands.append(line)
    return commands


def runnable(line: str) -> str:
    """The line without its ``[optional parts]``."""
    return re.sub(r"\s*\[[^\]]*\]", "", line)


def serve_briefly(cmd: str, cwd: Path, env: dict[str, str]) -> None:
    """Start a README ``dialoog serve`` line on a free port; it must answer, then stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = re.sub(r"--port \d+", "", cmd) + f" --port {port}"
    args = [*DIALOOG, *shlex.split(cmd)[1:]]
    server = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, f"README line stopped: {cmd}\n{server.stderr.read()}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"README line never answered on its port: {cmd}")
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_the_tour_has_the_lines_this_test_knows() -> None:
    commands = tour_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 30
    for line in (*INTERACTIVE, *SERVERS):
        assert any(c.startswith(line) for c in commands), f"README no longer has: {line}"
    for line in INTERACTIVE:
        assert line in commands, f"README no longer has: {line}"
    for placeholder in PLACEHOLDERS:
        assert any(placeholder in c for c in commands), f"README no longer has: {placeholder}"


def run(cmd: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One README line through the shell (for its quotes and globs), dialoog as this Python."""
    shell = f'dialoog() {{ "{sys.executable}" -m dialoog "$@"; }}; {cmd}'
    return subprocess.run(
        ["bash", "-c", shell], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_every_tour_command_works_in_order_on_a_fresh_install(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "sessions", work / "sessions")
    for name, text in FILES.items():
        (work / name).write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "DIALOOG_HOME": str(tmp_path / "home"),
        "DIALOOG_LANG": "en",
        "PYTHONIOENCODING": "utf-8",
    }
    start = run("dialoog demo", work, env)  # the Start section, before the tour
    assert start.returncode == 0, start.stderr

    for line in tour_commands(README.read_text(encoding="utf-8")):
        if line in INTERACTIVE:
            continue
        cmd = runnable(line)
        if cmd in SERVERS or any(cmd.startswith(s + " --public-url") for s in SERVERS):
            serve_briefly(cmd, work, env)
            continue
        if "NOTE_ID" in cmd:
            listing = "dialoog notes list --session demo --item ronde-1 --format json"
            listed = run(listing, work, env)
            ids = [n["id"] for n in json.loads(listed.stdout)[:2]]
            cmd = cmd.replace("NOTE_ID NOTE_ID …", " ".join(ids))
        if "backups/dialoog-….db" in cmd:
            (backup,) = sorted((tmp_path / "home" / "backups").glob("dialoog-*.db"))[-1:]
            cmd = cmd.replace("backups/dialoog-….db", str(backup))
        result = run(cmd, work, env)
        assert result.returncode == 0, f"README line failed: {line}\n{result.stderr}"
        assert "Traceback" not in result.stderr, line
