"""Access tokens of ``dialoog serve``: issue, verify, revoke, reissue, renew (issue 10).

A token is ``secrets.token_urlsafe(32)`` (256 random bits). The database keeps
only its SHA-256 (:mod:`dialoog.storage.tokens`), so a backup or a bundle opens
nothing. Checking a token hashes it and compares the hash with *every* live
hash of the session with :func:`hmac.compare_digest`, never stopping early, so
the time taken says nothing about how close a guess came.

The plain tokens live only in the links file beside the database (mode 0600,
written atomically), which is what lets ``dialoog serve --links`` print the same
links again and a restarted server keep the links the chairs already scanned.

A token expires at the end of the day after the session's day (UTC; a session
served after its day: the end of tomorrow), unless renewed; ``renew`` moves it
to the end of the day ``days`` days from today.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dialoog.storage import Store
from dialoog.storage.tokens import TokenRecord
from dialoog.times import now

ROLES = ("table", "chair", "secretary")


@dataclass(frozen=True)
class Grant:
    """What a verified token opens: a role of a session, and the table for ``table``."""

    session_id: str
    role: str
    table: int | None = None

    @property
    def key(self) -> str:
        """A short name of the grant: ``table-3``, ``chair``, ``secretary``."""
        return f"table-{self.table}" if self.role == "table" else self.role


def hash_token(token: str) -> str:
    """The hex SHA-256 of a token, as the database keeps it."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def default_expiry(session_date: dt.date | None) -> dt.datetime:
    """The end (UTC midnight) of the day after the session's day, and not before tomorrow's end.

    A session dated in the past (a demo, a rerun) served today keeps its links
    until the end of tomorrow; an undated one likewise.
    """
    soonest = renewed_expiry(1)
    if session_date is None:
        return soonest
    end = dt.datetime.combine(session_date + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    return max(end, soonest)


def renewed_expiry(days: int = 1) -> dt.datetime:
    """The end (UTC midnight) of the day ``days`` days from today."""
    return dt.datetime.combine(now().date() + dt.timedelta(days=days + 1), dt.time(), tzinfo=dt.UTC)


def verify(store: Store, session_id: str, token: str | None) -> Grant | None:
    """The grant of ``token`` if it is a live token of this session, else ``None``.

    Every live hash is compared, in constant time each, whatever matched before.
    """
    if not token or len(token) > 200:
        return None
    wanted = hash_token(token)
    found: TokenRecord | None = None
    for record in store.serve_tokens(session_id):
        if hmac.compare_digest(record.token_hash, wanted):
            found = record
    if found is None:
        return None
    return Grant(session_id, found.role, found.table)


def wanted_grants(store: Store, session_id: str) -> list[Grant]:
    """Every grant a served session gives: one per table, the chair, the secretary."""
    session = store.get_session(session_id)
    grants = [Grant(session_id, "table", t.number) for t in session.plan.tables]
    return [*grants, Grant(session_id, "chair"), Grant(session_id, "secretary")]


def links_path(db_path: Path) -> Path:
    """The links file of a database: ``<name>.serve-links.json`` beside it."""
    return db_path.with_name(db_path.stem + ".serve-links.json")


def read_links(db_path: Path) -> dict[str, dict[str, str]]:
    """The plain tokens kept for each session (``{session: {grant key: token}}``)."""
    path = links_path(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_links(db_path: Path, links: dict[str, dict[str, str]]) -> None:
    """Replace the links file atomically; only its owner can read it."""
    path = links_path(db_path)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(links, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def issue(store: Store, db_path: Path, grant: Grant, *, expires_at: dt.datetime) -> str:
    """A new token for ``grant``; the grant's earlier token is revoked in the same step."""
    token = secrets.token_urlsafe(32)
    store.replace_serve_token(
        grant.session_id, grant.role, grant.table, hash_token(token), expires_at
    )
    links = read_links(db_path)
    links.setdefault(grant.session_id, {})[grant.key] = token
    _write_links(db_path, links)
    return token


def ensure_tokens(store: Store, db_path: Path, session_id: str) -> dict[Grant, str]:
    """A live token for every grant of the session: the kept one, or a newly issued one."""
    session = store.get_session(session_id)
    kept = read_links(db_path).get(session_id, {})
    tokens: dict[Grant, str] = {}
    for grant in wanted_grants(store, session_id):
        token = kept.get(grant.key)
        if token is None or verify(store, session_id, token) != grant:
            token = issue(store, db_path, grant, expires_at=default_expiry(session.date))
        tokens[grant] = token
    return tokens


def parse_who(who: str) -> tuple[str, int | None]:
    """``3`` or ``table-3`` → ``("table", 3)``; ``chair``/``secretary`` → ``(role, None)``."""
    text = who.strip().lower()
    if text in ("chair", "secretary"):
        return text, None
    number = text.removeprefix("table-").removeprefix("table")
    if number.isdigit():
        return "table", int(number)
    raise ValueError(who)


def revoke(
    store: Store, db_path: Path, session_id: str, role: str | None, table: int | None
) -> int:
    """Revoke the live token(s) of a role and table (all of the session when role is None)."""
    count = store.revoke_serve_tokens(session_id, role, table)
    links = read_links(db_path)
    kept = links.get(session_id, {})
    for key in list(kept):
        if role is None or key == Grant(session_id, role, table).key:
            del kept[key]
    _write_links(db_path, links)
    return count


def renew(
    store: Store, session_id: str, role: str | None, table: int | None, *, days: int = 1
) -> int:
    """Move the expiry of the unrevoked token(s) to the end of the day ``days`` from today."""
    return store.renew_serve_tokens(session_id, renewed_expiry(days), role, table)
