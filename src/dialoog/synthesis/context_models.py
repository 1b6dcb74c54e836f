"""The classes of the report context (see :mod:`dialoog.synthesis.context` for the shape).

Plain pydantic models; :meth:`ReportContext.to_template_data` dumps them to the dicts
and lists templates receive, sharing the dump of a note listed in several places.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, Field

from dialoog.synthesis.context_people import AppendixEntry, PersonContext

# -- the structure --------------------------------------------------------


class NoteContext(BaseModel):
    """A note as the report shows it: attributed to a table, never to a person."""

    table: int
    table_label: str
    item: int
    item_title: str
    kind: str
    kind_label: str
    text: str
    tags: list[str] = Field(default_factory=list)
    question: int | None = None
    time: str = ""
    """Local time the note was taken, ``HH:MM`` (omitted from the bundled templates)."""


class CoverageContext(BaseModel):
    """How many tables a theme came up at, and the matching frequency phrase."""

    tables: int
    of: int
    table_numbers: list[int]
    share: float
    key: str
    """``one``, ``some``, ``several``, ``almost_all`` or ``none``."""
    phrase: str
    """The phrase in the report's language ("aan verschillende tafels")."""
    phrase_nl: str
    phrase_en: str
    text: str
    """``4 of 7 tables`` in the report's language (``4 van 7 tafels``)."""


class ThemeContext(BaseModel):
    """A theme of a round: title, synthesis, coverage, notes and quotes."""

    id: int
    title: str
    synthesis: str
    contested: bool
    position: int
    coverage: CoverageContext
    notes: list[NoteContext]
    quotes: list[NoteContext]
    """The theme's notes of kind quote, kept verbatim."""


class QuestionContext(BaseModel):
    """One question of a round."""

    number: int
    text: str
    note_count: int
    themes: list[ThemeContext] = Field(default_factory=list)
    """The round's themes whose notes mostly answer this question (when ``by_question``)."""
    unthemed_notes: list[NoteContext] = Field(default_factory=list)
    """Notes answering this question in no theme yet (when ``by_question``)."""


class TableNotes(BaseModel):
    """The notes one table took during one item, in the order taken."""

    number: int
    label: str
    notes: list[NoteContext]


class ItemContext(BaseModel):
    """One agenda item with everything noted and written about it."""

    position: int
    number: int
    """Its number among items of the same kind (round 2 is ``number`` 2)."""
    key: str
    kind: str
    kind_label: str
    title: str
    description: str
    duration_minutes: int | None
    speakers: list[PersonContext]
    moderator: str
    questions: list[QuestionContext]
    summary: str
    """What the secretary wrote about it (keynote, panel, presentation summaries)."""
    themes: list[ThemeContext]
    unthemed_notes: list[NoteContext]
    tables: list[TableNotes]
    note_count: int
    tables_with_notes: int
    heading: str = ""
    """The item's heading without repeated words ("Inleiding Lex Borghans – Titel")."""
    by_question: bool = False
    """Whether the round's notes carry questions: templates then group by question."""
    other_themes: list[ThemeContext] = Field(default_factory=list)
    """With ``by_question``: themes whose notes answer no question."""
    other_notes: list[NoteContext] = Field(default_factory=list)
    """With ``by_question``: notes in no theme that answer no question."""


class InitiativeContext(BaseModel):
    """An example initiative (the seed's Bijlage 2)."""

    title: str
    author: str
    organisation: str
    text: str


class SeriesContext(BaseModel):
    """The series (*verkenning*) a report covers."""

    slug: str
    title: str
    organiser: str
    description: str


class SessionContext(BaseModel):
    """One session (*dialoogbijeenkomst*): a chapter of the report."""

    id: str
    slug: str
    title: str
    theme: str
    date: str
    date_text: str
    venue: str
    organiser: str
    chair_of_day: PersonContext | None
    discussion_paper: str
    description: str
    table_count: int
    note_count: int
    programme: list[ItemContext]
    talks: list[ItemContext]
    rounds: list[ItemContext]
    recommendations: list[NoteContext]
    bottlenecks: list[NoteContext]
    examples: list[NoteContext]
    open_questions: list[NoteContext]
    actions: list[NoteContext]
    participants: list[AppendixEntry]
    initiatives: list[InitiativeContext]


class ReportContext(BaseModel):
    """Everything a report template renders from; see the module docstring."""

    language: str
    title: str
    subtitle: str
    author: str
    """Who the report is from (the organiser), for the Word file's properties."""
    generated_at: str
    generated_date_text: str
    dialoog_version: str
    series: SeriesContext | None
    sessions: list[SessionContext]
    participants: list[AppendixEntry]
    initiatives: list[InitiativeContext]
    note_count: int
    frequency_thresholds: dict[str, float]

    def to_template_data(self) -> dict[str, Any]:
        """Plain dicts and lists, as templates receive them (under the name ``report``).

        The same as ``model_dump()``, but a note listed in several places (its
        table, its theme, the recommendations) is dumped once and shared, which
        keeps a 16,000-note session fast.
        """
        return _plain(self, {})

    def content_hash(self) -> str:
        """SHA-256 of the content, without the generation time: equal for unchanged data."""
        data = self.to_template_data()
        data.pop("generated_at")
        data.pop("generated_date_text")
        return hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()


def _plain(value: Any, memo: dict[int, Any]) -> Any:
    """A model tree as plain dicts and lists, sharing the dump of a model seen twice."""
    if isinstance(value, BaseModel):
        key = id(value)
        found = memo.get(key)
        if found is None:
            if type(value) is NoteContext:  # the bulk: flat fields, one list
                found = dict(value.__dict__)
                found["tags"] = list(found["tags"])
            else:
                found = {name: _plain(v, memo) for name, v in value.__dict__.items()}
            memo[key] = found
        return found
    if isinstance(value, list):
        return [_plain(v, memo) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, memo) for k, v in value.items()}
    return value
