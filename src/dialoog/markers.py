"""The note marker grammar, shared by the TUI and every importer.

A table chair types fast, so the kind of a note is set by a mark:

* a note starting with ``>`` is a quote; one starting with ``"`` or ``“`` is a
  quote when it is wholly a quotation: the closing mark ends it (and is dropped)
  or never comes. A quotation followed by comment (``"Het is een drama!" over de
  btw-plicht``) is not a quote and keeps its quotation marks;
* ``!`` at the start is a recommendation, ``?`` an open question;
* ``#knelpunt``/``#bottleneck``, ``#voorbeeld``/``#example`` and
  ``#actie``/``#action`` anywhere set the kind (they win over a leading mark);
* any other ``#word`` is a tag;
* everything else is an observation.

Marks are stripped from the stored text; tags are stored apart, lower-cased.
:func:`format_note` writes a note back with its marks, so parsing that again
gives the same kind, text and tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dialoog.kinds import NoteKind

# The one cleaning of text that comes in; importers and the store use it from here too.
from dialoog.text import clean_text as clean_text

KIND_TAGS: dict[str, NoteKind] = {
    "knelpunt": NoteKind.BOTTLENECK,
    "bottleneck": NoteKind.BOTTLENECK,
    "voorbeeld": NoteKind.EXAMPLE,
    "example": NoteKind.EXAMPLE,
    "actie": NoteKind.ACTION,
    "action": NoteKind.ACTION,
}

#: Leading marks and the kinds they give.
LEAD_MARKS: dict[str, NoteKind] = {
    '"': NoteKind.QUOTE,
    "“": NoteKind.QUOTE,
    ">": NoteKind.QUOTE,
    "!": NoteKind.RECOMMENDATION,
    "?": NoteKind.QUESTION,
}
# Typed quickly, a quotation opened with one mark may be closed with the other.
_CLOSING_QUOTE = {'"': ('"', "”"), "“": ("”", '"')}

# A hashtag: '#' not preceded by a word character, then a letter or digit and
# word characters or inner hyphens. '#3' counts as a tag too ("#3 vragen" is rare).
_HASHTAG = re.compile(r"(?<![\w#&])#(\w(?:[\w-]*\w)?)(?![\w#])")
_SPACES = re.compile(r"[ \t]{2,}")


@dataclass(frozen=True)
class ParsedNote:
    """The result of reading a typed note: its kind, clean text and tags."""

    kind: NoteKind
    text: str
    tags: list[str] = field(default_factory=list)
    marked: bool = False
    """Whether a mark set the kind (so a preset kind from the UI gives way)."""


def parse_note(raw: str, default_kind: NoteKind = NoteKind.OBSERVATION) -> ParsedNote:
    """Read a typed note.

    Args:
        raw: the text as typed, possibly several lines.
        default_kind: the kind when no mark says otherwise (the TUI's kind keys).

    Returns:
        The kind, the text without marks, and the tags in order of appearance.
    """
    text = clean_text(raw).strip()
    kind: NoteKind | None = None

    closing: tuple[str, ...] = ()
    mark = ""
    if text and text[0] in LEAD_MARKS:
        mark = text[0]
        kind = LEAD_MARKS[mark]
        closing = _CLOSING_QUOTE.get(mark, ())
        text = text[1:]

    tags: list[str] = []
    tag_kind: NoteKind | None = None

    def _take(match: re.Match[str]) -> str:
        nonlocal tag_kind
        word = match.group(1).casefold()
        if word in KIND_TAGS:
            tag_kind = tag_kind or KIND_TAGS[word]
        elif word not in tags:
            tags.append(word)
        return ""

    text = _HASHTAG.sub(_take, text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()
    if closing:
        if text.endswith(closing):
            text = text[:-1].rstrip()
        elif any(c in text for c in closing):
            # A quotation followed by comment: an ordinary note, marks and all.
            kind = None
            text = mark + text
    if tag_kind is not None:
        kind = tag_kind
    marked = kind is not None
    return ParsedNote(kind=kind or default_kind, text=text, tags=tags, marked=marked)


_PREFIX_FOR_KIND = {
    NoteKind.QUOTE: '"',
    NoteKind.RECOMMENDATION: "!",
    NoteKind.QUESTION: "?",
}
_TAG_FOR_KIND = {
    NoteKind.BOTTLENECK: "#knelpunt",
    NoteKind.EXAMPLE: "#voorbeeld",
    NoteKind.ACTION: "#actie",
}


def format_note(kind: NoteKind, text: str, tags: list[str] | tuple[str, ...] = ()) -> str:
    """Write a note back in the marker grammar (the inverse of :func:`parse_note`)."""
    out = text
    if kind in _PREFIX_FOR_KIND:
        out = _PREFIX_FOR_KIND[kind] + out
        if kind is NoteKind.QUOTE:
            out += '"'
    marks = [f"#{t}" for t in tags]
    if kind in _TAG_FOR_KIND:
        marks.append(_TAG_FOR_KIND[kind])
    if not marks:
        return out
    if kind not in _PREFIX_FOR_KIND and out[:1] in LEAD_MARKS:
        # Text that itself begins with a mark keeps it only behind the hashtags.
        return f"{' '.join(marks)} {out}"
    return f"{out} {' '.join(marks)}"
