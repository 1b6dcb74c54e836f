"""Domain model of dialogue meetings (*dialoogbijeenkomsten*).

Pure pydantic v2 models: no I/O, no Textual. The shapes follow the SER report
*Leren in de toekomst* (2015): a series (*verkenning*) holds sessions; a session
has a chair of the day, dialogue tables and a programme of agenda items
(keynote, panel, presentations, conversation rounds, an inventory); table chairs
take notes per table and round; secretaries group notes into themes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

# The enums live in a pydantic-free module (see there); re-exported here.
from dialoog.kinds import KIND_SYMBOLS as KIND_SYMBOLS
from dialoog.kinds import MAX_NOTE_LENGTH as MAX_NOTE_LENGTH
from dialoog.kinds import ItemKind as ItemKind
from dialoog.kinds import NoteKind as NoteKind
from dialoog.kinds import Role as Role
from dialoog.text import clean_line, clean_text

#: Fields of file models that are names, not text: a pattern checks them, nothing cleans them
#: (a slug with a control character in it is wrong, not to be mended silently).
_IDENTIFIER_FIELDS = frozenset({"type", "slug", "key", "series", "sessions", "language"})
#: Fields of file models that may hold several lines; every other text is one line.
_MULTILINE_FIELDS = frozenset({"description", "discussion_paper"})


class Strict(BaseModel):
    """Base for models read from files: unknown fields are errors, not silence.

    Every text is cleaned as it comes in (:mod:`dialoog.text`): control
    characters go, and what is shown on one line (a title, a name, a question)
    is put on one line, so a plan or a bundle cannot carry a terminal escape.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _clean_texts(cls, value: object, info: ValidationInfo) -> object:
        if info.field_name in _IDENTIFIER_FIELDS:
            return value
        clean = clean_text if info.field_name in _MULTILINE_FIELDS else clean_line
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, list):  # questions: one level deep, never recursive
            return [clean(v) if isinstance(v, str) else v for v in value]
        return value


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Slug = Annotated[str, Field(pattern=_SLUG.pattern, min_length=1, max_length=60)]


class Person(Strict):
    """Someone named in the programme: speaker, panel member, presenter, chair."""

    name: str = Field(min_length=1)
    organisation: str | None = None
    function: str | None = None
    """What they are, as the report introduces them ("professor of Labour Economics")."""


class AgendaItem(Strict):
    """One item of the programme, in order.

    Rounds carry one to three questions and a duration; keynotes, panels and
    presentations carry the people who speak. ``key`` is a short name by which
    the command line can refer to the item (``ronde-1``).
    """

    kind: ItemKind
    title: str = Field(min_length=1)
    key: Slug | None = None
    questions: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    duration_minutes: int | None = Field(default=None, ge=1, le=480)
    speakers: list[Person] = Field(default_factory=list)
    moderator: str | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _questions_fit_kind(self) -> Self:
        if self.kind is ItemKind.ROUND and not 1 <= len(self.questions) <= 3:
            raise ValueError("a round (gespreksronde) needs one to three questions")
        return self


class Table(Strict):
    """A dialogue table (*dialoogtafel*) with its table chair."""

    number: int = Field(ge=1, le=999)
    name: str | None = None
    chair: str | None = None

    @property
    def label(self) -> str:
        """How the table is shown: its name, or its number."""
        return self.name or f"{self.number}"


class Participant(Strict):
    """A participant, with the name split the Dutch way."""

    given_name: str = ""
    tussenvoegsel: str = ""
    surname: str = Field(min_length=1)
    organisation: str | None = None
    roles: list[Role] = Field(default_factory=lambda: [Role.PARTICIPANT])
    email: str | None = None
    in_appendix: bool = True

    @property
    def full_name(self) -> str:
        """The name as written in running text: "Ria van ’t Klooster"."""
        return " ".join(p for p in (self.given_name, self.tussenvoegsel, self.surname) if p)


class SessionPlan(Strict):
    """A session plan as read from a TOML file under ``sessions/``."""

    type: str = Field(default="session", pattern="^session$")
    slug: Slug
    title: str = Field(min_length=1)
    theme: str | None = None
    date: dt.date | None = None
    start_time: dt.time | None = None
    venue: str | None = None
    language: str = Field(default="nl", pattern="^(nl|en)$")
    series: Slug | None = None
    organiser: str | None = None
    chair_of_day: Person | None = None
    discussion_paper: str | None = None
    description: str | None = None
    tables: list[Table] = Field(min_length=1)
    agenda: list[AgendaItem] = Field(min_length=1)

    @field_validator("tables")
    @classmethod
    def _unique_table_numbers(cls, tables: list[Table]) -> list[Table]:
        numbers = [t.number for t in tables]
        if len(numbers) != len(set(numbers)):
            raise ValueError("table numbers must be unique")
        return tables

    @model_validator(mode="after")
    def _unique_item_keys(self) -> Self:
        keys = [i.key for i in self.agenda if i.key]
        if len(keys) != len(set(keys)):
            raise ValueError("agenda item keys must be unique")
        return self

    @property
    def rounds(self) -> list[AgendaItem]:
        """The conversation rounds, in programme order."""
        return [i for i in self.agenda if i.kind is ItemKind.ROUND]


class SeriesPlan(Strict):
    """A series (*verkenning*) of sessions that ends in one report."""

    type: str = Field(pattern="^series$")
    slug: Slug
    title: str = Field(min_length=1)
    organiser: str | None = None
    description: str | None = None
    language: str = Field(default="nl", pattern="^(nl|en)$")
    sessions: list[Slug] = Field(default_factory=list)
    """Slugs of the session plans in this series, in date order."""


class NoteRevision(BaseModel):
    """One saved state of a note; every text ever saved is kept."""

    rev: int
    action: str
    """``create``, ``edit``, ``delete`` or ``restore``."""
    kind: NoteKind
    text: str
    tags: list[str] = Field(default_factory=list)
    question: int | None = None
    created_at: dt.datetime


class Note(BaseModel):
    """A note taken at a table during an agenda item."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    session_id: str
    table: int
    item: int
    """Position of the agenda item in the programme (1-based)."""
    question: int | None = Field(default=None, ge=1, le=3)
    kind: NoteKind = NoteKind.OBSERVATION
    text: str = Field(min_length=1, max_length=MAX_NOTE_LENGTH)
    tags: list[str] = Field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    rev: int = 1
    revisions: list[NoteRevision] = Field(default_factory=list)

    @property
    def deleted(self) -> bool:
        """Whether the note is (softly) deleted."""
        return self.deleted_at is not None


class Theme(BaseModel):
    """A theme a secretary forms for one agenda item out of several tables' notes."""

    id: int | None = None
    session_id: str
    item: int
    title: str = Field(min_length=1)
    synthesis: str = ""
    contested: bool = False
    position: int = 0
    note_ids: list[uuid.UUID] = Field(default_factory=list)


class ExampleInitiative(BaseModel):
    """A good example sent in by a participant (the seed's Bijlage 2)."""

    title: str = Field(min_length=1)
    author: str | None = None
    organisation: str | None = None
    text: str = ""


class Session(BaseModel):
    """A session as stored: its plan plus identity and clock state."""

    id: str
    plan: SessionPlan
    created_at: dt.datetime
    current_item: int | None = None
    clock_state: str = "idle"
    clock_ends_at: dt.datetime | None = None
    clock_remaining_s: float | None = None
    note_count: int = 0

    @property
    def title(self) -> str:
        """The session's title, from its plan."""
        return self.plan.title

    @property
    def date(self) -> dt.date | None:
        """The session's date, from its plan."""
        return self.plan.date

    def item(self, position: int) -> AgendaItem:
        """The agenda item at 1-based ``position``."""
        return self.plan.agenda[position - 1]
