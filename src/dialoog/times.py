"""The one clock of dialoog and the one timestamp format of its database."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def stamp(value: dt.datetime | None = None) -> str:
    """The store's timestamp text: UTC, microseconds, ``+00:00``; naive times count as UTC.

    Timestamps of this one form sort as text in the order of time, which the
    database's indexes and bundle merges rely on.
    """
    value = now() if value is None else value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse_stamp(value: str | None) -> dt.datetime | None:
    """The time a stored timestamp names, or ``None`` for none."""
    return dt.datetime.fromisoformat(value) if value else None
