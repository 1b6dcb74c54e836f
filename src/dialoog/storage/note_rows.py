"""A new note's rows, written the one way both roads write them (standard library only).

The store (:mod:`dialoog.storage.notes`) and the quick road of small commands
(:mod:`dialoog.storage.quick`, which must not import sqlite-utils or pydantic)
save a note with the same checks and the same two rows: the note and its first
revision (the word indexes follow by trigger). Keeping both here means the
two cannot drift apart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from dialoog.errors import DialoogError
from dialoog.i18n import _
from dialoog.kinds import MAX_NOTE_LENGTH
from dialoog.text import clean_line, clean_text


class EmptyNoteError(DialoogError):
    """A note with no text after its marks are stripped."""


class NoteTooLongError(DialoogError):
    """A note longer than :data:`dialoog.models.MAX_NOTE_LENGTH` characters."""


def check_text(text: str) -> str:
    """The note text cleaned and stripped; refuses an empty or too long one."""
    text = clean_text(text).strip()
    if not text:
        raise EmptyNoteError(_("empty note: nothing to save"))
    if len(text) > MAX_NOTE_LENGTH:
        raise NoteTooLongError(
            _(
                "note of {length} characters is longer than the limit of {limit}; split it in parts"
            ).format(length=len(text), limit=MAX_NOTE_LENGTH)
        )
    return text


def check_tags(tags: Iterable[str]) -> list[str]:
    """The tags cleaned to one line each (see :func:`dialoog.text.clean_line`).

    Typed tags are clean already (:mod:`dialoog.markers` reads them); tags from
    elsewhere (an import, a bundle, a caller of the store) may hold anything.
    Empty tags are dropped, repeated ones kept once, the order is kept.
    """
    cleaned = (clean_line(tag) for tag in tags)
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def insert_new_note(
    conn: sqlite3.Connection,
    note_id: str,
    session_id: str,
    *,
    table: int,
    item: int,
    question: int | None,
    kind: str,
    text: str,
    tags_json: str,
    when: str,
) -> None:
    """Insert a checked note and its first revision, inside the caller's write transaction."""
    conn.execute(
        "INSERT INTO notes (id, session_id, table_no, item, question, kind, text, tags_json,"
        " created_at, updated_at, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        (note_id, session_id, table, item, question, kind, text, tags_json, when, when),
    )
    conn.execute(
        "INSERT INTO note_revisions (note_id, rev, action, kind, text, tags_json, question,"
        " created_at) VALUES (?, 1, 'create', ?, ?, ?, ?, ?)",
        (note_id, kind, text, tags_json, question, when),
    )
