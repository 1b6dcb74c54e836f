"""Bringing the trigram index up to date with the notes saved since it last was.

Since m007 a save does not index its note's trigrams (that was about a third
of the pages each save wrote); ``trigram_watermark.indexed_to`` is the highest
``notes.rowid`` the index has caught up to. :func:`catch_up_trigram` indexes
the live notes above it in one ``INSERT … SELECT`` and moves it up. Run it
before reading ``notes_trigram`` (search) and after bulk writes (imports).
"""

from __future__ import annotations

import sqlite_utils

from dialoog.storage.connection import write


def trigram_pending(db: sqlite_utils.Database) -> bool:
    """Whether notes were added above the watermark (a read: two index look-ups)."""
    row = db.execute(
        "SELECT (SELECT max(rowid) FROM notes) > (SELECT indexed_to FROM trigram_watermark)"
    ).fetchone()
    return bool(row[0])


def catch_up_trigram(db: sqlite_utils.Database) -> int:
    """Index the notes above the watermark; returns how many were indexed.

    When nothing is pending this only reads (no write lock is taken). Inside a
    write transaction it joins it.
    """
    if not db.conn.in_transaction and not trigram_pending(db):
        return 0
    with write(db):
        mark = db.execute("SELECT indexed_to FROM trigram_watermark WHERE id = 1").fetchone()[0]
        top = db.execute("SELECT coalesce(max(rowid), 0) FROM notes").fetchone()[0]
        if top <= mark:
            return 0
        cur = db.execute(
            "INSERT INTO notes_trigram (rowid, text) SELECT rowid, text FROM notes"
            " WHERE rowid > ? AND rowid <= ? AND deleted_at IS NULL",
            [mark, top],
        )
        db.execute("UPDATE trigram_watermark SET indexed_to = ? WHERE id = 1", [top])
        return cur.rowcount
