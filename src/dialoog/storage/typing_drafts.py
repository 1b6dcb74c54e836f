"""Typing drafts: text typed at a table but not yet saved as a note.

The only module that names ``typing_drafts``. A draft is kept per session,
table and agenda item, so half-typed text stays with its item and survives a
crash or a quit.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from dialoog.storage.connection import write
from dialoog.text import clean_text
from dialoog.times import now, stamp


def load_draft(db: sqlite_utils.Database, session_id: str, table: int, item: int) -> str:
    """The text typed at this table and agenda item and not yet saved, or ``""``."""
    row = db.execute(
        "SELECT text FROM typing_drafts WHERE session_id = ? AND table_no = ? AND item = ?",
        [session_id, table, item],
    ).fetchone()
    return row[0] if row else ""


def save_drafts(
    db: sqlite_utils.Database, session_id: str, table: int, texts: Mapping[int, str]
) -> None:
    """Keep the drafts of several agenda items of one table, in one transaction.

    The text is cleaned as every typed text is (:func:`dialoog.text.clean_text`), so
    a draft reads the same here as after a bundle carried it to another laptop.
    """
    at = stamp(now())
    with write(db):
        db.conn.executemany(
            "INSERT INTO typing_drafts (session_id, table_no, item, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, table_no, item)"
            " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [(session_id, table, item, clean_text(text), at) for item, text in texts.items()],
        )


def consume_draft(
    db: sqlite_utils.Database, session_id: str, table: int, item: int, typed: str
) -> None:
    """Take the first occurrence of ``typed`` (and its joining newline) out of the draft.

    Runs inside the caller's transaction when there is one (the note's save).
    """
    draft = load_draft(db, session_id, table, item)
    typed = clean_text(typed)  # the draft was stored cleaned
    at = draft.find(typed)
    # Only a whole part counts: it starts and ends at the draft's edges or newlines.
    while at >= 0 and not (
        (at == 0 or draft[at - 1] == "\n")
        and (at + len(typed) == len(draft) or draft[at + len(typed)] == "\n")
    ):
        at = draft.find(typed, at + 1)
    if at < 0:
        return
    end = at + len(typed)
    if end < len(draft) and draft[end] == "\n":
        end += 1  # the newline that joined it to what follows
    elif at > 0 and draft[at - 1] == "\n":
        at -= 1  # the newline that joined it to what went before
    save_drafts(db, session_id, table, {item: draft[:at] + draft[end:]})


class TypingDraftsMixin:
    """The :class:`dialoog.storage.Store` methods for typing drafts."""

    db: sqlite_utils.Database

    def save_draft(self, session_id: str, table: int, text: str, *, item: int) -> None:
        """Keep text typed at this table and agenda item but not yet saved as a note.

        An empty text is kept too, with its time: when bundles from a laptop are
        merged, a draft emptied later (its text saved as a note) wins over the
        same draft exported earlier, so that text cannot come back to be saved twice.
        """
        save_drafts(self.db, session_id, table, {item: text})

    def save_drafts(self, session_id: str, table: int, texts: Mapping[int, str]) -> None:
        """Keep the drafts of several agenda items of one table, in one transaction."""
        save_drafts(self.db, session_id, table, texts)

    def load_draft(self, session_id: str, table: int, *, item: int) -> str:
        """The text typed at this table and agenda item and not yet saved, or ``""``."""
        return load_draft(self.db, session_id, table, item)

    def load_drafts(self, session_id: str, table: int) -> dict[int, str]:
        """Every agenda item's unsaved text at this table (items with text only)."""
        return {
            item: text
            for item, text in self.db.execute(
                "SELECT item, text FROM typing_drafts"
                " WHERE session_id = ? AND table_no = ? AND text != '' ORDER BY item",
                [session_id, table],
            )
        }
