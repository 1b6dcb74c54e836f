"""A note-taker that keeps writing: the child process of the backup-while-writing test.

Run as ``python history_writer_child.py DB SESSION COUNT``. Saves COUNT notes
one by one (each its own transaction) and prints ``<note id>`` after each commit.
"""

from __future__ import annotations

import sys

from dialoog.storage.store import NewNote, Store


def main() -> None:
    """Write notes until COUNT are saved or the parent stops us."""
    db, session_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Store.open(db) as store:
        for n in range(count):
            note = store.add_note(
                session_id, NewNote(1 + n % 8, 4, f"Notitie {n} tijdens de backup " * 4)
            )
            print(note.id, flush=True)


if __name__ == "__main__":
    main()
