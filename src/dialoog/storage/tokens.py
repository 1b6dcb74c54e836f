"""Serve tokens: who may open which screen of a served session (issue 10).

The only module that names ``serve_tokens``. A row holds the SHA-256 of a
token, never the token itself; issuing, checking and printing links is the
service's work, in :mod:`dialoog.serve.tokens`. :func:`token_from_row` is the
one converter from a row to a :class:`TokenRecord`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from dialoog.storage.connection import write
from dialoog.times import now, stamp

_COLUMNS = "id, session_id, role, table_no, token_hash, created_at, expires_at, revoked_at"


@dataclass(frozen=True)
class TokenRecord:
    """One stored token: its hash, whom it admits, and until when."""

    id: int
    session_id: str
    role: str
    table: int | None
    token_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None

    def live(self, at: dt.datetime | None = None) -> bool:
        """Whether the token admits anyone at ``at`` (now): not revoked, not expired."""
        return self.revoked_at is None and (at or now()) < self.expires_at


def token_from_row(row: tuple) -> TokenRecord:
    """The one converter from a ``serve_tokens`` row (its :data:`_COLUMNS`) to a record."""
    return TokenRecord(
        id=row[0],
        session_id=row[1],
        role=row[2],
        table=row[3],
        token_hash=row[4],
        created_at=dt.datetime.fromisoformat(row[5]),
        expires_at=dt.datetime.fromisoformat(row[6]),
        revoked_at=dt.datetime.fromisoformat(row[7]) if row[7] else None,
    )


def _who(role: str | None, table: int | None) -> tuple[str, list[object]]:
    """The WHERE clause (after the session) that picks a role and table, or all."""
    if role is None:
        return "", []
    if table is None:
        return " AND role = ? AND table_no IS NULL", [role]
    return " AND role = ? AND table_no = ?", [role, table]


class TokensMixin:
    """The :class:`dialoog.storage.Store` methods for serve tokens."""

    db: sqlite_utils.Database

    def serve_tokens(self, session_id: str, *, live_only: bool = True) -> list[TokenRecord]:
        """The session's tokens (the live ones unless ``live_only`` is False), by role and table."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM serve_tokens WHERE session_id = ?"
            " ORDER BY role = 'table' DESC, table_no, role, id",
            [session_id],
        ).fetchall()
        records = [token_from_row(r) for r in rows]
        at = now()
        return [r for r in records if r.live(at)] if live_only else records

    def replace_serve_token(
        self,
        session_id: str,
        role: str,
        table: int | None,
        token_hash: str,
        expires_at: dt.datetime,
    ) -> TokenRecord:
        """Revoke the live token of this role and table, and keep a new one, in one transaction."""
        at = stamp(now())
        where, args = _who(role, table)
        with write(self.db):
            self.db.execute(
                "UPDATE serve_tokens SET revoked_at = ?"
                f" WHERE session_id = ? AND revoked_at IS NULL{where}",
                [at, session_id, *args],
            )
            cursor = self.db.execute(
                "INSERT INTO serve_tokens"
                " (session_id, role, table_no, token_hash, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [session_id, role, table, token_hash, at, stamp(expires_at)],
            )
            row = self.db.execute(
                f"SELECT {_COLUMNS} FROM serve_tokens WHERE id = ?", [cursor.lastrowid]
            ).fetchone()
        return token_from_row(row)

    def revoke_serve_tokens(
        self, session_id: str, role: str | None = None, table: int | None = None
    ) -> int:
        """Revoke the live tokens of a role and table (every one when ``role`` is None)."""
        where, args = _who(role, table)
        with write(self.db):
            cursor = self.db.execute(
                "UPDATE serve_tokens SET revoked_at = ?"
                f" WHERE session_id = ? AND revoked_at IS NULL{where}",
                [stamp(now()), session_id, *args],
            )
        return cursor.rowcount

    def renew_serve_tokens(
        self,
        session_id: str,
        expires_at: dt.datetime,
        role: str | None = None,
        table: int | None = None,
    ) -> int:
        """Move the expiry of unrevoked tokens of a role and table (or all) to ``expires_at``."""
        where, args = _who(role, table)
        with write(self.db):
            cursor = self.db.execute(
                "UPDATE serve_tokens SET expires_at = ?"
                f" WHERE session_id = ? AND revoked_at IS NULL{where}",
                [stamp(expires_at), session_id, *args],
            )
        return cursor.rowcount
