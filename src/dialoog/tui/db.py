"""Database access for the app: off the event loop, in order, retried on failure.

The app never touches SQLite on the event loop. Reads go through a
:class:`StoreGate` (one connection behind a lock) called from thread workers.
Writes go through :class:`WriteQueue`: jobs run one after another in the order
they were submitted, each in a thread worker, and a job that fails because the
database cannot be written (locked, read-only, gone) is retried until it
succeeds, while the screen keeps what was typed and says what is wrong. A
damaged database (SQLite: "malformed") is such a failure too: it is reported as
one line naming the file and what to do (:class:`~dialoog.errors.DatabaseDamaged`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dialoog.errors import DatabaseFileChanged, DialoogError, StoreError
from dialoog.i18n import _
from dialoog.tui.safe import safe_notify

if TYPE_CHECKING:
    from textual.app import App

    from dialoog.storage.store import Store

T = TypeVar("T")

#: Errors after which a write is worth trying again: the database may come back.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, OSError, StoreError)


class StoreGate:
    """One :class:`Store` connection, opened lazily, used by one thread at a time.

    The store (pydantic, sqlite-utils) is imported on first use, in the worker
    thread, so the first screen is drawn without waiting for those imports.
    Once a connection has been open, a reopen never creates the database: a
    file removed under a running screen is reported, not silently replaced by
    an empty one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._was_open = False

    def run(self, fn: Callable[[Store], T]) -> T:
        """Call ``fn`` with the store; call this from a thread worker only."""
        with self._lock:
            if self._store is None:
                from dialoog.storage.store import Store

                self._store = Store.open(self.path, create=not self._was_open)
                self._was_open = True
            try:
                return fn(self._store)
            except (sqlite3.Error, DatabaseFileChanged) as exc:
                # The connection may be broken (file gone, disk full): reopen next time.
                self._close()
                from dialoog.storage.connection import damaged, is_damage

                if is_damage(exc):
                    # One clear line for the screen; still a StoreError, so a
                    # queued write keeps its text and is retried, never "saved".
                    raise damaged(self.path, exc) from exc
                raise

    def _close(self) -> None:
        if self._store is not None:
            with contextlib.suppress(sqlite3.Error):
                self._store.close()
            self._store = None

    def close(self) -> None:
        """Close the connection (it is reopened when used again)."""
        with self._lock:
            self._close()


@dataclass
class WriteJob:
    """A write to run: ``fn`` gets the store; callbacks run on the event loop."""

    fn: Callable[[Store], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[DialoogError], None] | None = None
    """Called for an error retrying cannot fix (an empty note, a missing note)."""
    attempts: int = field(default=0)


class WriteQueue:
    """Writes in submission order, each retried until the database takes it."""

    def __init__(self, app: App, gate: StoreGate, retry_delay: float = 2.0) -> None:
        self.app = app
        self.gate = gate
        self.retry_delay = retry_delay
        self._jobs: deque[WriteJob] = deque()
        self._drain_lock = threading.Lock()
        self._stopping = threading.Event()
        self.failing: str | None = None
        """The last error while the database refuses writes, else None."""

    @property
    def pending(self) -> int:
        """How many writes wait to be done."""
        return len(self._jobs)

    def submit(
        self,
        fn: Callable[[Store], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[DialoogError], None] | None = None,
    ) -> None:
        """Queue a write and start a thread worker to run the queue."""
        self._jobs.append(WriteJob(fn, on_done, on_error))
        self.app.run_worker(
            self._drain, thread=True, group="store-write", name="store-write", exit_on_error=False
        )

    def stop(self) -> None:
        """Stop retrying (the app is closing)."""
        self._stopping.set()

    def _call(self, callback: Callable[..., None] | None, *args: Any) -> None:
        if callback is None:
            return
        with contextlib.suppress(RuntimeError):  # the app has closed
            self.app.call_from_thread(callback, *args)

    def _drain(self) -> None:
        # Only one thread drains at a time; others leave at once, and the drainer
        # looks again after letting go, so no job is ever stranded.
        while True:
            if not self._drain_lock.acquire(blocking=False):
                return
            try:
                self._run_jobs()
            finally:
                self._drain_lock.release()
            if not self._jobs or self._stopping.is_set():
                return

    def _run_jobs(self) -> None:
        while self._jobs and not self._stopping.is_set():
            job = self._jobs[0]
            job.attempts += 1
            try:
                result = self.gate.run(job.fn)
            except TRANSIENT_ERRORS as exc:
                self.failing = str(exc) or type(exc).__name__
                self._call(self._report_failure, self.failing)
                self._stopping.wait(self.retry_delay)
                continue
            except DialoogError as exc:
                self._jobs.popleft()
                self._call(job.on_error, exc)
                continue
            self._jobs.popleft()
            if self.failing is not None:
                self.failing = None
                self._call(self._report_recovered)
            self._call(job.on_done, result)

    def _report_failure(self, reason: str) -> None:
        # The reason is an error's text (a path, SQLite's words): never markup.
        safe_notify(
            self.app,
            _(
                "Cannot write to the database: {reason}. Your text is kept on screen "
                "and saving is retried."
            ).format(reason=reason),
            title=_("Not saved yet"),
            severity="error",
            timeout=4,
        )

    def _report_recovered(self) -> None:
        self.app.notify(_("The database is writable again; everything is saved."))
