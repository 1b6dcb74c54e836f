"""A store held open the way the app holds it: the child of ``tests/test_cross_process.py``.

Run as ``python cross_process_child.py DB SESSION``. It opens the database
exactly as the capture app does, through two :class:`~dialoog.tui.db.StoreGate`
objects (the reader and the writer's gate), reads and writes once through each,
prints ``ready`` and then obeys one command per line on standard input:

``write TEXT``  save a note at table 1 through the writer's gate; print its id
                only after :meth:`Store.add_note` has returned.
``read``        list the notes through the reader's gate; print how many.

It never closes anything: the parent ends it with SIGKILL, as a crash would.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dialoog.storage.store import NewNote
from dialoog.tui.db import StoreGate


def main(argv: list[str]) -> int:
    db_path, session_id = Path(argv[0]), argv[1]
    reader = StoreGate(db_path)
    writer = StoreGate(db_path)
    reader.run(lambda store: store.list_notes(session_id, table=1))
    writer.run(lambda store: store.clock(session_id))
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, text = line.rstrip("\n").partition(" ")
        if command == "write":
            new = NewNote(table=1, item=4, text=text)
            note = writer.run(lambda store, new=new: store.add_note(session_id, new))
            print(note.id, flush=True)
        elif command == "read":
            count = reader.run(lambda store: len(store.list_notes(session_id, table=1)))
            print(count, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
