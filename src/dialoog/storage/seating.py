"""Seating: who sits at which table in which round.

The only module that names ``seating``. A seat placed by hand is marked
``manual`` so that a later plan keeps it; the plan itself is made by
:mod:`dialoog.participants.seating`.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from dialoog.storage.connection import write


def delete_seats_of(db: sqlite_utils.Database, session_id: str, person_id: int) -> int:
    """Remove every seat of one person in a session; how many (no transaction of its own)."""
    return db.execute(
        "DELETE FROM seating WHERE session_id = ? AND participant_id = ?", [session_id, person_id]
    ).rowcount


class SeatingMixin:
    """The :class:`dialoog.storage.Store` methods for seating."""

    db: sqlite_utils.Database

    def seats(self, session_id: str, item: int) -> list[tuple[int, int, bool]]:
        """The seats of one round: (participant id, table, placed by hand)."""
        return [
            (pid, table, bool(manual))
            for pid, table, manual in self.db.execute(
                "SELECT participant_id, table_no, manual FROM seating"
                " WHERE session_id = ? AND item = ?",
                [session_id, item],
            ).fetchall()
        ]

    def manual_seats(self, session_id: str, item: int) -> dict[int, int]:
        """Seats placed by hand in one round: participant id → table."""
        return {pid: table for pid, table, manual in self.seats(session_id, item) if manual}

    def replace_seating(
        self,
        session_id: str,
        plans: Mapping[int, Mapping[int, int]],
        manual: Mapping[int, set[int]],
    ) -> None:
        """Store new seating for these rounds at once, replacing what they had.

        ``plans`` maps a round's item to participant id → table; ``manual`` maps
        an item to the participant ids whose seat was placed by hand.
        """
        with write(self.db):
            for item, plan in plans.items():
                by_hand = manual.get(item, set())
                self.db.execute(
                    "DELETE FROM seating WHERE session_id = ? AND item = ?", [session_id, item]
                )
                self.db["seating"].insert_all(
                    {
                        "session_id": session_id,
                        "item": item,
                        "participant_id": pid,
                        "table_no": table,
                        "manual": int(pid in by_hand),
                    }
                    for pid, table in plan.items()
                )

    def place_seat(self, session_id: str, item: int, person_id: int, table: int) -> None:
        """Seat a person at a table for one round by hand."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO seating (session_id, item, participant_id, table_no, manual)"
                " VALUES (?, ?, ?, ?, 1) ON CONFLICT (session_id, item, participant_id)"
                " DO UPDATE SET table_no = excluded.table_no, manual = 1",
                [session_id, item, person_id, table],
            )
