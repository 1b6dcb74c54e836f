"""A note-taker that gets killed: the child process of ``tests/test_durability.py``.

Run as ``python durability_child.py DB SESSION LABEL TABLES [LIMIT]``. It opens
the store (creating the database and the session from the ``skills`` plan when
they do not exist yet), then saves notes one by one through
:meth:`Store.add_note`. Only after ``add_note`` has returned (its transaction
has committed) does it write ``<note id> <seq>`` on standard output and flush.
The parent kills it with SIGKILL at random moments and checks that every id it
printed is in the database, with the text :func:`note_text` gives.
"""

from __future__ import annotations

import sys

from dialoog.errors import NotFoundError
from dialoog.models import NoteKind
from dialoog.plans import find_plan
from dialoog.storage.store import NewNote, Store

#: Note texts: Dutch with diacritics, other scripts, emoji, several lines,
#: and a long one that spans several database pages.
TEXTS = (
    "Zelfstandig leren is een vaardigheid die in het curriculum ontbreekt.",
    "Coöperatie tussen mbo en bedrijfsleven: één loket, geen tien.",
    "Ideeën van de jongeren zelf worden te weinig gehoord — ‘laat ze meepraten’.",
    "Knelpunt: financiering van een leven lang leren na je vijfenveertigste.",
    "Voorbeeld: de Techniekfabriek in Enschede, scholieren én werkgevers aan tafel.",
    "Zij zei: „Wij leren het meest van onze fouten.” Daarna bleef het stil.",
    "Crème brûlée, naïef, reünie, café, coördinatie, geïnteresseerd, Ångström.",
    "Ελληνικά, русский, 日本語, عربي — meertalige klas 🙂👩🏽‍🏫",
    "Regel één\nRegel twee met een tab\tvoor de volgorde\nRegel drie.",
    ("Digitale vaardigheden en vakmanschap " * 150).strip(),
)
KINDS = tuple(NoteKind)


def note_text(label: str, seq: int) -> str:
    """The text of note ``seq`` of the child run ``label``; ends in a unique word."""
    return f"{TEXTS[seq % len(TEXTS)]} [{label}x{seq}]"


def main(argv: list[str]) -> int:
    db_path, session_id, label, tables = argv[:4]
    limit = int(argv[4]) if len(argv) > 4 else 1_000_000
    table_numbers = [int(t) for t in tables.split(",")]
    with Store.open(db_path) as store:
        try:
            store.get_session(session_id)
        except NotFoundError:
            store.create_session(find_plan("skills"), session_id=session_id)
        for seq in range(limit):
            note = NewNote(
                table=table_numbers[seq % len(table_numbers)],
                item=4 + seq % 2,
                text=note_text(label, seq),
                kind=KINDS[seq % len(KINDS)],
                tags=("durability", f"ronde-{seq % 3}", "coöperatie")[: seq % 4],
                question=1 if seq % 5 == 0 else None,
            )
            saved = store.add_note(session_id, note)
            # Only now is the note saved: say so.
            sys.stdout.write(f"{saved.id} {seq}\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
