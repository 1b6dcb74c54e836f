"""The order of the participant appendix, Dutch or Belgian convention.

Dutch convention (the default, as in the SER report's Bijlage 1): by surname
without tussenvoegsel, then given name, then tussenvoegsel; *van den Bergh*
sorts under B and *’t Hart* under H. Belgian convention: the tussenvoegsel is
part of the surname, so *Van den Bergh* sorts under V (spaces in it ignored:
*Van den Bergh* and *Vandenberghe* sort together).

Comparison ignores case, diacritics (*Könemann* with *Konemann*), apostrophes
and dots; hyphens and spaces sort before letters, so *Wouters* comes before
*Wouters-Megens*, which comes before *Woutersen*. IJ is two letters (I, J), as
in current Dutch dictionaries. Academic titles before a given name
(*prof. dr.*) and suffixes after a surname (*jr.*, *MSc*) do not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol, TypeVar

from dialoog.participants.names import SUFFIXES, normalise_apostrophes


class Convention(StrEnum):
    """How the tussenvoegsel counts in the alphabetical order."""

    DUTCH = "dutch"
    BELGIAN = "belgian"


class Named(Protocol):
    """Anything with the three parts of a Dutch name."""

    given_name: str
    tussenvoegsel: str
    surname: str


N = TypeVar("N", bound=Named)

#: Letters that Unicode does not decompose into a base letter plus accent.
_SPECIAL = str.maketrans(
    {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_TITLES = frozenset({"prof", "dr", "drs", "mr", "ir", "ing", "dhr", "mevr", "mw", "ds", "bc"})
_ELIDED = re.compile(r"^(?:d|l|dell)'(?=\w)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—/_]+")
_DROPPED = re.compile(r"[^\w ]+")


def fold(text: str) -> str:
    """A comparison form: lower case, no diacritics or punctuation, hyphens as spaces."""
    text = normalise_apostrophes(text).casefold().translate(_SPECIAL)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _SEPARATORS.sub(" ", text)
    text = _DROPPED.sub("", text)
    return " ".join(text.split())


def _strip_titles(given: str) -> str:
    words = given.split()
    while len(words) > 1 and words[0].replace(".", "").casefold() in _TITLES:
        words.pop(0)
    return " ".join(words)


def _strip_suffixes(surname: str) -> str:
    words = surname.split()
    while len(words) > 1 and words[-1].replace(".", "").casefold() in SUFFIXES:
        words.pop()
    return " ".join(words)


def sort_key(person: Named, convention: Convention | str = Convention.DUTCH) -> tuple:
    """The key that puts people in appendix order under ``convention``."""
    surname = _strip_suffixes(person.surname)
    given = fold(_strip_titles(person.given_name))
    if Convention(convention) is Convention.BELGIAN:
        whole = fold(f"{person.tussenvoegsel} {surname}").replace(" ", "")
        return (whole, given, fold(person.surname), fold(person.given_name))
    # "d'Ancona" written as one word still sorts under A, like "d' Ancona" would.
    main = fold(_ELIDED.sub("", normalise_apostrophes(surname)))
    return (
        main,
        given,
        fold(person.tussenvoegsel),
        fold(person.surname),
        fold(person.given_name),
    )


def sort_people(people: Iterable[N], convention: Convention | str = Convention.DUTCH) -> list[N]:
    """``people`` in appendix order (stable for people whose keys are equal)."""
    return sorted(people, key=lambda p: sort_key(p, convention))


def display_name(person: Named) -> str:
    """The name as written in running text."""
    return " ".join(p for p in (person.given_name, person.tussenvoegsel, person.surname) if p)


def appendix_line(person: Named, organisation: str | None) -> str:
    """One entry of the appendix: "Gerard Adema (Center of Expertise …)"."""
    name = display_name(person)
    return f"{name} ({organisation})" if organisation else name


def join_appendix(lines: Sequence[str], separator: str = " – ") -> str:
    """The entries as one paragraph, as the SER report prints them."""
    return separator.join(lines)
