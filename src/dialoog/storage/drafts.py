"""Report drafts: every rendered report, kept with its subject, template and output.

The only module that names ``report_drafts``. :func:`draft_from_row` is the one
converter from a row to a :class:`Draft`. Comparing and making drafts is the
service's work, in :mod:`dialoog.synthesis.drafts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from dialoog.storage.connection import write
from dialoog.times import stamp


@dataclass(frozen=True)
class Draft:
    """One stored render (its output is loaded only when one draft is asked for)."""

    id: int
    session_id: str | None
    series: str | None
    template: str
    format: str
    created_at: dt.datetime
    context_hash: str
    size: int
    output: bytes | None = None

    @property
    def subject(self) -> str:
        """The session id or series slug the draft is about."""
        return self.session_id or self.series or ""


_COLUMNS = "id, session_id, series, template, format, created_at, context_hash, size"


def draft_from_row(row: tuple, output: bytes | None = None) -> Draft:
    """The one converter from a ``report_drafts`` row (its :data:`_COLUMNS`) to a :class:`Draft`."""
    return Draft(
        id=row[0],
        session_id=row[1],
        series=row[2],
        template=row[3],
        format=row[4],
        created_at=dt.datetime.fromisoformat(row[5]),
        context_hash=row[6],
        size=row[7],
        output=output,
    )


def delete_drafts_naming(
    db: sqlite_utils.Database,
    session_id: str,
    series: str | None,
    names: Callable[[bytes, str], bool],
) -> int:
    """Remove the drafts of a session (or its series) whose output ``names`` accepts.

    ``names(output, format)`` says whether a draft names someone; runs inside the
    caller's transaction. Returns how many drafts were removed.
    """
    stale = [
        draft_id
        for draft_id, fmt, output in db.execute(
            "SELECT id, format, output FROM report_drafts"
            " WHERE session_id = ? OR (series IS NOT NULL AND series = ?)",
            [session_id, series],
        ).fetchall()
        if names(bytes(output), fmt)
    ]
    for draft_id in stale:
        db.execute("DELETE FROM report_drafts WHERE id = ?", [draft_id])
    return len(stale)


class ReportDraftsMixin:
    """The :class:`dialoog.storage.Store` methods for report drafts."""

    db: sqlite_utils.Database

    def insert_report_draft(
        self,
        *,
        session_id: str | None,
        series: str | None,
        template: str,
        fmt: str,
        context_hash: str,
        output: bytes,
        created_at: dt.datetime | None = None,
    ) -> int:
        """Keep a rendered report; returns its id."""
        with write(self.db):
            cursor = self.db.execute(
                "INSERT INTO report_drafts (session_id, series, template, format, created_at,"
                " context_hash, size, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    session_id,
                    series,
                    template,
                    fmt,
                    stamp(created_at),
                    context_hash,
                    len(output),
                    output,
                ],
            )
            return int(cursor.lastrowid)

    def list_report_drafts(self, subject: str) -> list[Draft]:
        """The drafts of a session or series, oldest first, without their output."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM report_drafts WHERE session_id = ? OR series = ?"
            " ORDER BY created_at, id",
            [subject, subject],
        ).fetchall()
        return [draft_from_row(r) for r in rows]

    def get_report_draft(self, draft_id: int) -> Draft | None:
        """One draft with its output, or None."""
        row = self.db.execute(
            f"SELECT {_COLUMNS}, output FROM report_drafts WHERE id = ?", [draft_id]
        ).fetchone()
        return None if row is None else draft_from_row(row[:-1], bytes(row[-1]))
