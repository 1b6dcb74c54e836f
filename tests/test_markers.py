"""The note marker grammar: examples, and hypothesis over arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialoog.markers import clean_text, format_note, parse_note
from dialoog.models import NoteKind

EXAMPLES = [
    ('"Leren is leuk" #onderwijs', NoteKind.QUOTE, "Leren is leuk", ["onderwijs"]),
    ("“Mooi gezegd”", NoteKind.QUOTE, "Mooi gezegd", []),
    ("> Docenten zijn de sleutel", NoteKind.QUOTE, "Docenten zijn de sleutel", []),
    ("!Meer stageplekken #mbo", NoteKind.RECOMMENDATION, "Meer stageplekken", ["mbo"]),
    ("?Wie betaalt dat", NoteKind.QUESTION, "Wie betaalt dat", []),
    ("Te weinig tijd #knelpunt", NoteKind.BOTTLENECK, "Te weinig tijd", []),
    ("#bottleneck no time", NoteKind.BOTTLENECK, "no time", []),
    ("De Duurzaamheidsfabriek #voorbeeld", NoteKind.EXAMPLE, "De Duurzaamheidsfabriek", []),
    ("Good one #Example", NoteKind.EXAMPLE, "Good one", []),
    ("Bel de gemeente #actie", NoteKind.ACTION, "Bel de gemeente", []),
    ("#action call them", NoteKind.ACTION, "call them", []),
    (
        "Gewone observatie over één ding",
        NoteKind.OBSERVATION,
        "Gewone observatie over één ding",
        [],
    ),
    ("!Aanbeveling maar #knelpunt wint", NoteKind.BOTTLENECK, "Aanbeveling maar wint", []),
    ("tags #Mbo #mbo #docenten", NoteKind.OBSERVATION, "tags", ["mbo", "docenten"]),
    ("geen tag: a#b of &#38;", NoteKind.OBSERVATION, "geen tag: a#b of &#38;", []),
    ("  ruimte   rondom  ", NoteKind.OBSERVATION, "ruimte rondom", []),
    ("regel één\nregel twee #tag", NoteKind.OBSERVATION, "regel één\nregel twee", ["tag"]),
    ("emoji 🎓 en עברית blijven", NoteKind.OBSERVATION, "emoji 🎓 en עברית blijven", []),
    ("ctrl\x07tekens\x1bweg", NoteKind.OBSERVATION, "ctrltekensweg", []),
    ("Word\x0bregel\u2028twee", NoteKind.OBSERVATION, "Word\nregel\ntwee", []),
    ("half \ud800 emoji", NoteKind.OBSERVATION, "half \ufffd emoji", []),
]


@pytest.mark.parametrize(("raw", "kind", "text", "tags"), EXAMPLES)
def test_examples(raw: str, kind: NoteKind, text: str, tags: list[str]) -> None:
    parsed = parse_note(raw)
    assert (parsed.kind, parsed.text, parsed.tags) == (kind, text, tags)


def test_default_kind_gives_way_to_marks() -> None:
    assert parse_note("plain", NoteKind.ACTION).kind is NoteKind.ACTION
    assert parse_note("!marked", NoteKind.ACTION).kind is NoteKind.RECOMMENDATION


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parse_never_crashes_and_is_stable(raw: str) -> None:
    parsed = parse_note(raw)
    assert isinstance(parsed.kind, NoteKind)
    # Stored text plus marks reproduce the input's meaning: writing the note
    # back with its marks and reading it again gives the same kind, text, tags.
    again = parse_note(format_note(parsed.kind, parsed.text, parsed.tags))
    if parsed.text:
        assert (again.kind, again.text, again.tags) == (parsed.kind, parsed.text, parsed.tags)
    # No control characters survive except newline and tab.
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in parsed.text if ord(ch) < 0xA0)


words = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="éëïö’'-"),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(list(NoteKind)),
    body=st.lists(words, min_size=1, max_size=8).map(" ".join),
    tags=st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), max_size=3, unique=True),
)
def test_format_then_parse_gives_the_note_back(kind: NoteKind, body: str, tags: list[str]) -> None:
    kind_words = {"knelpunt", "bottleneck", "voorbeeld", "example", "actie", "action"}
    tags = [t for t in tags if t not in kind_words]
    parsed = parse_note(format_note(kind, body, tags))
    assert parsed.kind is kind
    assert parsed.text == clean_text(body).strip()
    assert parsed.tags == tags
