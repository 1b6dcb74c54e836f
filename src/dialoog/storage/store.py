"""The store: one object for every read and write of a dialoog database.

:class:`Store` is a facade: its methods come from one mixin per aggregate, each
in the module that alone names that aggregate's tables —
:mod:`~dialoog.storage.sessions` (sessions, series, programme, clock),
:mod:`~dialoog.storage.notes` (notes and revisions),
:mod:`~dialoog.storage.typing_drafts`, :mod:`~dialoog.storage.themes` (themes,
summaries, initiatives), :mod:`~dialoog.storage.drafts` (report drafts),
:mod:`~dialoog.storage.participants`, :mod:`~dialoog.storage.seating` and
:mod:`~dialoog.storage.tokens` (the links of ``dialoog serve``).

Every method that writes runs in one IMMEDIATE transaction (see
:func:`dialoog.storage.connection.write`) and returns only after it has
committed, so "saved" on screen means saved on disk. Edits add a revision and
keep the old text; deletes are soft and can be undone.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from dialoog.storage.connection import open_database
from dialoog.storage.drafts import Draft, ReportDraftsMixin
from dialoog.storage.note_rows import EmptyNoteError, NoteTooLongError
from dialoog.storage.notes import NewNote, NotesMixin
from dialoog.storage.participants import NewPerson, ParticipantsMixin, Person
from dialoog.storage.seating import SeatingMixin
from dialoog.storage.sessions import ClockState, SeriesRecord, SessionsMixin, insert_session_rows
from dialoog.storage.themes import ThemesMixin
from dialoog.storage.tokens import TokensMixin
from dialoog.storage.typing_drafts import TypingDraftsMixin

__all__ = [
    "ClockState",
    "Draft",
    "EmptyNoteError",
    "NewNote",
    "NewPerson",
    "NoteTooLongError",
    "Person",
    "SeriesRecord",
    "Store",
    "insert_session_rows",
]


class Store(
    SessionsMixin,
    NotesMixin,
    TypingDraftsMixin,
    ThemesMixin,
    ReportDraftsMixin,
    ParticipantsMixin,
    SeatingMixin,
    TokensMixin,
):
    """All reads and writes of one dialoog database."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Store:
        """Open the database at ``path``, creating (unless ``create`` is False) and migrating it."""
        return cls(open_database(path, create=create), Path(path))

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
