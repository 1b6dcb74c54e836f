"""A served dialoog for the tests: the real server in a subprocess, and a websocket client.

:class:`Served` starts ``dialoog serve`` on a free loopback port and knows its
links. :class:`Tab` speaks textual-serve's websocket protocol as the browser's
``textual.js`` does (JSON text frames ``["stdin", text]``, ``["resize", {...}]``;
the app's terminal output comes back as binary frames) and renders that output
with pyte, so a test reads the screen as a person would.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import pyte

WIDTH, HEIGHT = 110, 32


def free_port() -> int:
    """A TCP port on loopback nobody listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dialoog(db: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run the real ``dialoog`` command on ``db``; its stdout (fails the test on an error)."""
    done = subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def fresh_rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """Rows read by a fresh process (its own connection), not by this one."""
    code = (
        "import json, sqlite3, sys\n"
        "conn = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True, timeout=30)\n"
        "print(json.dumps(conn.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), sql, json.dumps(params)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [tuple(r) for r in json.loads(out)]


@dataclass
class Served:
    """A running ``dialoog serve`` of one session."""

    db: Path
    session: str
    port: int
    process: subprocess.Popen
    links: dict[str, str] = field(default_factory=dict)
    """``table-1`` / ``chair`` / ``secretary`` → the link's token."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, token: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{token}"

    def app_processes(self) -> list[psutil.Process]:
        """The server's app processes (its children that run ``dialoog``)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            with contextlib.suppress(psutil.Error):
                if "dialoog" in " ".join(child.cmdline()):
                    found.append(child)
        return found

    def app_command_lines(self) -> list[list[str]]:
        """The command lines of the app processes running now.

        A child forked but not yet turned into the app still shows the server's
        own command line: it is counted by :meth:`app_processes`, not listed here.
        """
        lines = []
        for p in self.app_processes():
            with contextlib.suppress(psutil.Error):
                line = p.cmdline()
                if "--lang" in line:
                    lines.append(line)
        return lines

    def stop(self) -> None:
        """Stop the server as Ctrl+C does; kill it if it does not go."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                for child in self.app_processes():
                    with contextlib.suppress(psutil.Error):
                        child.kill()
                self.process.kill()
                self.process.wait(10)


def start_server(db: Path, session: str, *extra: str, env: dict | None = None) -> Served:
    """``dialoog serve SESSION`` on a free loopback port, once it answers."""
    rows = csv.DictReader(io.StringIO(dialoog(db, "serve", session, "--format", "csv", env=env)))
    links = {}
    for row in rows:
        key = f"table-{row['table']}" if row["role"] == "table" else row["role"]
        links[key] = row["url"].rsplit("/t/", 1)[1]
    port = free_port()
    argv = [sys.executable, "-m", "dialoog", "--db", str(db), "serve", session]
    process = subprocess.Popen(
        [*argv, "--port", str(port), "--no-qr", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    served = Served(db, session, port, process, links)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "exited")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return served
        time.sleep(0.1)
    served.stop()
    raise AssertionError("the server did not answer within 60 s")


class Tab:
    """One browser tab's websocket: keystrokes in, the screen (rendered by pyte) out."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.http = session
        self.url = url
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None
        self.closed = asyncio.Event()
        self.messages: list[list] = []
        """The JSON text messages the server sent (``["deliver_file_start", key]``, ...)."""

    async def open(self) -> Tab:
        """Connect as textual.js does: the size in the query, then a resize message."""
        self.ws = await self.http.ws_connect(f"{self.url}?width={WIDTH}&height={HEIGHT}")
        await self.ws.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
        self.closed.set()

    def text(self) -> str:
        """The screen as text, one line per row."""
        return "\n".join(self.screen.display)

    async def wait_for(self, wanted: str, timeout: float = 60) -> float:
        """Seconds until ``wanted`` shows on the screen (fails after ``timeout``)."""
        start = time.monotonic()
        while wanted not in self.text():
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{wanted!r} not on screen:\n{self.text()}")
            await asyncio.sleep(0.02)
        return time.monotonic() - start

    async def type(self, text: str) -> None:
        """Keystrokes as the browser sends them (``\\r`` is Enter)."""
        assert self.ws is not None
        await self.ws.send_str(json.dumps(["stdin", text]))

    async def close(self) -> None:
        """Close the tab (the server then ends its app process)."""
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 10)

    async def drop(self) -> None:
        """Lose the connection as a sleeping tablet does: no closing handshake."""
        assert self.ws is not None
        connection = self.ws._response.connection
        if connection is not None and connection.transport is not None:
            connection.transport.abort()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


def env_for(tmp: Path) -> dict[str, str]:
    """The environment of the server and the CLI in a test: its own home, English."""
    env = dict(os.environ)
    env.update(DIALOOG_HOME=str(tmp / "home"), DIALOOG_LANG="en", LANG="C.UTF-8")
    env.pop("DIALOOG_DB", None)
    return env


def notes_of(db: Path, session: str) -> list[tuple]:
    """Every live note of a session, read by a fresh process: (table, text)."""
    return fresh_rows(
        db,
        "SELECT table_no, text FROM notes WHERE session_id = ? AND deleted_at IS NULL",
        session,
    )


async def eventually(check, timeout: float = 60, step: float = 0.2):
    """Like :func:`wait_until`, without blocking the event loop (``check`` runs in a thread)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await asyncio.to_thread(check)
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(step)


def wait_until(check, timeout: float = 60, step: float = 0.2):
    """Poll ``check()`` until it returns something true; that value (fails after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)
