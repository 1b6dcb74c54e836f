"""Splitting and joining Dutch names: given name, tussenvoegsel, surname.

A full name as written in running text ("Ria van ’t Klooster") is split into
three contiguous runs of its words, so joining the parts with single spaces
always gives back the name (with its whitespace normalised). The rules:

* The last word is the surname; a run of tussenvoegsel words (*van*, *de*,
  *’t*, *ter*, *in*, …, and foreign ones such as *de la*, *von*, *da*, *el*)
  right before it is the tussenvoegsel; the rest is the given name (with
  initials or titles as written).
* A double-barrelled surname whose second half has its own tussenvoegsel
  ("Jansen-van der Berg") stays whole: it is the surname.
* A trailing suffix (*jr.*, *III*, *MSc*) belongs to the surname.
* The first word is a tussenvoegsel only when written in lower case
  ("van Dijk"), so "Al Gore" and "Van Dijk" keep a given name.

Apostrophes may be straight or curly; diacritics are kept as written. A split
that comes out wrong can be corrected by hand (see :mod:`.service`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that form tussenvoegsels, Dutch and foreign, written with a straight apostrophe.
PARTICLES: frozenset[str] = frozenset(
    {
        # Dutch (and Flemish)
        "van", "de", "der", "den", "het", "'t", "'s", "ter", "ten", "te", "in", "op", "uit",
        "aan", "bij", "onder", "over", "voor", "tot", "vd", "v.d.", "van't", "vander", "vanden",
        "vande", "d'",
        # French, German, Italian, Spanish, Portuguese, Arabic
        "du", "des", "le", "la", "les", "l'", "von", "vom", "zu", "zum", "zur", "am", "im",
        "da", "das", "dos", "do", "di", "del", "della", "dei", "degli", "dal", "el", "al",
    }
)  # fmt: skip

#: Words after the surname that belong to it: generational suffixes and degrees.
SUFFIXES: frozenset[str] = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "msc", "mba", "phd", "bsc", "llm", "mpa"}
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'"})
_HYPHEN_PARTICLE = re.compile(r"^.+-([^-]+)$")


@dataclass(frozen=True)
class NameParts:
    """A name split the Dutch way; any part may be empty except, normally, the surname."""

    given_name: str = ""
    tussenvoegsel: str = ""
    surname: str = ""

    @property
    def full_name(self) -> str:
        """The parts joined as in running text."""
        return join_name(self)


def normalise_apostrophes(text: str) -> str:
    """``text`` with curly and other apostrophe look-alikes made straight."""
    return text.translate(_APOSTROPHES)


def is_particle(word: str) -> bool:
    """Whether ``word`` is a tussenvoegsel word (case and apostrophe style ignored)."""
    return normalise_apostrophes(word).casefold() in PARTICLES


def _is_suffix(word: str) -> bool:
    return word.replace(".", "").casefold() in SUFFIXES and word[:1].isupper()


def _ends_in_particle(word: str) -> bool:
    """ "Jansen-van": a double-barrelled surname that continues with a tussenvoegsel."""
    match = _HYPHEN_PARTICLE.match(word)
    return bool(match and is_particle(match.group(1)))


def _lower_particle(word: str) -> bool:
    """A tussenvoegsel word written as one: "van", "’t" (not "Van", "Al")."""
    first = normalise_apostrophes(word)[:1]
    return is_particle(word) and (first.islower() or first == "'")


def split_name(name: str) -> NameParts:
    """Split a full name into given name, tussenvoegsel and surname; never raises.

    ``join_name(split_name(s)) == " ".join(s.split())`` for every string ``s``.
    """
    words = name.split()
    n = len(words)
    if n == 0:
        return NameParts()
    if n == 1:
        return NameParts(surname=words[0])
    end = n - 1  # index of the word the surname run ends with, before suffixes
    while end >= 2 and _is_suffix(words[end]):
        end -= 1
    start = end
    # "Marjan Jansen-van der Berg": the particles after "Jansen-van" are part of the surname.
    p = start
    while p - 1 >= 1 and is_particle(words[p - 1]):
        p -= 1
    if p - 1 >= 1 and _ends_in_particle(words[p - 1]):
        start = p - 1
    tv_start = start
    while tv_start - 1 >= 0 and is_particle(words[tv_start - 1]):
        if tv_start - 1 == 0 and not _lower_particle(words[0]):
            break  # "Al Gore", "Van Dijk": a capitalised first word is a given name
        tv_start -= 1
    return NameParts(
        given_name=" ".join(words[:tv_start]),
        tussenvoegsel=" ".join(words[tv_start:start]),
        surname=" ".join(words[start:]),
    )


def join_name(parts: NameParts) -> str:
    """The name as written in running text: the non-empty parts joined with spaces."""
    return " ".join(p for p in (parts.given_name, parts.tussenvoegsel, parts.surname) if p)


def parse_name(text: str) -> NameParts:
    """Read a name as registration forms write it, in either order.

    "Bergh, Jan van den" and "Bergh, van den, Jan" (surname first, after a
    comma) are understood as well as running text "Jan van den Bergh".
    """
    if "," not in text:
        return split_name(text)
    head, _sep, rest = text.partition(",")
    surname = " ".join(head.split())
    pieces = [" ".join(p.split()) for p in rest.split(",")]
    pieces = [p for p in pieces if p]
    if not surname:
        return split_name(" ".join(pieces))
    if len(pieces) >= 2 and all(is_particle(w) for w in pieces[0].split()):
        return NameParts(" ".join(pieces[1:]), pieces[0], surname)
    words = " ".join(pieces).split()
    cut = len(words)
    while cut - 1 >= 0 and _lower_particle(words[cut - 1]):
        cut -= 1
    return NameParts(" ".join(words[:cut]), " ".join(words[cut:]), surname)
