"""Appendix order: Dutch convention (van den Bergh under B) and Belgian (under V)."""

from __future__ import annotations

import random

import pytest

from dialoog.participants.names import NameParts, split_name
from dialoog.participants.sorting import Convention, fold, sort_key, sort_people

#: Names in the order a Dutch secretary types the appendix: surname without
#: tussenvoegsel, then given name, then tussenvoegsel; case, accents and
#: punctuation ignored; a hyphen or space sorts before any letter.
DUTCH_ORDER = [
    "Gerard Adema",
    "Sanne Akkerman",
    "Hedy d'Ancona",
    "Anne Bakker",
    "Anne de Bakker",
    "Bart Bakker",
    "Jan van den Berg",
    "Henriëtte ten Berge",
    "Anne Bergh",
    "Anne van den Bergh",
    "Anne van der Bergh",
    "Bart van den Bergh",
    "Dean Bok",
    "Zeynep Çelik",
    "Erik van Dijk",
    "Erik Dijkstra",
    "Willem 's Gravesande",
    "Maarten 't Hart",
    "Sjoukje IJzerman",
    "Marjan Jansen",
    "Marjan Jansen-van der Berg",
    "Marjan Janssen",
    "Mohammed El Khatib",
    "Ria van ’t Klooster",
    "Anna Konemann",
    "Véronique Könemann",
    "P.G. Kroeger",
    "Seán O'Brien",
    "Joost te Velde",
    "Karin de Vries",
    "Anne Wouters",
    "Anne Wouters-Megens",
    "Anne Woutersen",
]

BELGIAN_ORDER = [
    "Gerard Adema",
    "Bart Bakker",
    "Anne De Bakker",
    "Jan Dewaele",
    "Maarten 't Hart",
    "Jan Van den Bergh",
    "Piet Vandenberghe",
    "Karel Van der Straeten",
    "Wim Vervoort",
]


def _parts(names: list[str]) -> list[NameParts]:
    return [split_name(n) for n in names]


def test_dutch_order_from_any_order() -> None:
    people = _parts(DUTCH_ORDER)
    for seed in range(20):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        assert [p.full_name for p in sort_people(shuffled)] == DUTCH_ORDER


def test_belgian_order_from_any_order() -> None:
    people = _parts(BELGIAN_ORDER)
    for seed in range(20):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        result = sort_people(shuffled, Convention.BELGIAN)
        assert [p.full_name for p in result] == BELGIAN_ORDER


def test_conventions_differ_on_tussenvoegsel() -> None:
    bergh, vries = split_name("Jan van den Bergh"), split_name("Zoë de Vries")
    adema = split_name("Gerard Adema")
    assert sort_people([vries, bergh, adema]) == [adema, bergh, vries]
    assert sort_people([vries, bergh, adema], Convention.BELGIAN) == [adema, vries, bergh]


def test_titles_and_suffixes_do_not_count() -> None:
    prof = split_name("prof. dr. Lex Borghans")
    plain = split_name("Lex Borghans")
    anne = split_name("Anne Borghans")
    assert sort_key(prof)[:2] == sort_key(plain)[:2]
    assert sort_people([prof, anne]) == [anne, prof]
    assert sort_key(split_name("Jan de Vries MBA"))[0] == sort_key(split_name("Jan de Vries"))[0]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Könemann", "konemann"), ("Henriëtte", "henriette"), ("Wouters-Megens", "wouters megens")],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
