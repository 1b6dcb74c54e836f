"""Kinds of notes, agenda items and roles, and the longest note: plain enums.

Kept apart from :mod:`dialoog.models` (which re-exports them) so that the
marker grammar and the capture screen can use them without importing
pydantic, which keeps ``dialoog capture`` quick to show its first screen.
"""

from __future__ import annotations

from enum import StrEnum

#: Longest note text the store accepts (characters).
MAX_NOTE_LENGTH = 20_000


class NoteKind(StrEnum):
    """What a note is; the report is built from these."""

    OBSERVATION = "observation"
    QUOTE = "quote"  # citaat, kept verbatim
    RECOMMENDATION = "recommendation"  # aanbeveling
    BOTTLENECK = "bottleneck"  # knelpunt
    EXAMPLE = "example"  # goed voorbeeld
    QUESTION = "question"  # open vraag
    ACTION = "action"  # actie


#: One-cell symbols for the kinds, shared by the terminal app and the command line.
KIND_SYMBOLS: dict[NoteKind, str] = {
    NoteKind.OBSERVATION: "•",
    NoteKind.QUOTE: "“",
    NoteKind.RECOMMENDATION: "→",
    NoteKind.BOTTLENECK: "▲",
    NoteKind.EXAMPLE: "★",
    NoteKind.QUESTION: "?",
    NoteKind.ACTION: "▶",
}


class ItemKind(StrEnum):
    """The kinds of agenda item a session programme is made of."""

    OPENING = "opening"
    KEYNOTE = "keynote"  # inleiding
    PANEL = "panel"  # reflectie
    PRESENTATION = "presentation"  # presentatie
    ROUND = "round"  # gespreksronde
    INVENTORY = "inventory"  # inventarisatie
    CLOSING = "closing"  # afronding


class Role(StrEnum):
    """Roles a person can have at a session; a person may have several."""

    PARTICIPANT = "participant"
    TABLE_CHAIR = "table_chair"
    CHAIR_OF_DAY = "chair_of_day"
    SPEAKER = "speaker"
    PANEL_MEMBER = "panel_member"
    PRESENTER = "presenter"
    SECRETARY = "secretary"
    COMMITTEE_MEMBER = "committee_member"
