"""Splitting and joining Dutch names: tricky cases, and a property that never breaks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialoog.participants.names import NameParts, join_name, parse_name, split_name

#: (full name, given name, tussenvoegsel, surname), as a Dutch secretary would split them.
TRICKY: list[tuple[str, str, str, str]] = [
    ("Gerard Adema", "Gerard", "", "Adema"),
    ("Sanne Akkerman", "Sanne", "", "Akkerman"),
    ("P.G. Kroeger", "P.G.", "", "Kroeger"),
    ("P. G. Kroeger", "P. G.", "", "Kroeger"),
    ("Ria van ’t Klooster", "Ria", "van ’t", "Klooster"),
    ("Ria van 't Klooster", "Ria", "van 't", "Klooster"),
    ("Anne Wouters-Megens", "Anne", "", "Wouters-Megens"),
    ("Henriëtte ten Berge", "Henriëtte", "ten", "Berge"),
    ("Véronique Könemann", "Véronique", "", "Könemann"),
    ("Jan van den Bergh", "Jan", "van den", "Bergh"),
    ("Jan van der Ploeg", "Jan", "van der", "Ploeg"),
    ("Karin de Vries", "Karin", "de", "Vries"),
    ("Kees van de Ven", "Kees", "van de", "Ven"),
    ("Maarten 't Hart", "Maarten", "'t", "Hart"),
    ("Maarten ’t Hart", "Maarten", "’t", "Hart"),
    ("Wim van 't Hoek", "Wim", "van 't", "Hoek"),
    ("Piet van het Reve", "Piet", "van het", "Reve"),
    ("Mieke ter Horst", "Mieke", "ter", "Horst"),
    ("Teun ten Brink", "Teun", "ten", "Brink"),
    ("Joost te Velde", "Joost", "te", "Velde"),
    ("Jan in 't Veld", "Jan", "in 't", "Veld"),
    ("Jan in de Betou", "Jan", "in de", "Betou"),
    ("Els op de Beek", "Els", "op de", "Beek"),
    ("Els op den Kamp", "Els", "op den", "Kamp"),
    ("Hans uit de Bosch", "Hans", "uit de", "Bosch"),
    ("Hans uit den Bogaard", "Hans", "uit den", "Bogaard"),
    ("Gijs aan de Stegge", "Gijs", "aan de", "Stegge"),
    ("Willem 's Gravesande", "Willem", "'s", "Gravesande"),
    ("Hendrik den Hartog", "Hendrik", "den", "Hartog"),
    ("Lieke der Kinderen", "Lieke", "der", "Kinderen"),
    ("Hedy d'Ancona", "Hedy", "", "d'Ancona"),
    ("Hedy d' Ancona", "Hedy", "d'", "Ancona"),
    ("José de la Fuente", "José", "de la", "Fuente"),
    ("Anne du Pré", "Anne", "du", "Pré"),
    ("Marine le Pen", "Marine", "le", "Pen"),
    ("Lucia la Rosa", "Lucia", "la", "Rosa"),
    ("Ursula von der Leyen", "Ursula", "von der", "Leyen"),
    ("Karl-Theodor zu Guttenberg", "Karl-Theodor", "zu", "Guttenberg"),
    ("Luiz da Silva", "Luiz", "da", "Silva"),
    ("João dos Santos", "João", "dos", "Santos"),
    ("Leonardo di Caprio", "Leonardo", "di", "Caprio"),
    ("Mohammed el Khatib", "Mohammed", "el", "Khatib"),
    ("Mohammed El Khatib", "Mohammed", "El", "Khatib"),
    ("Fatima al Hassani", "Fatima", "al", "Hassani"),
    ("Jan Van den Bergh", "Jan", "Van den", "Bergh"),
    ("Karel De Smet", "Karel", "De", "Smet"),
    ("Marjan Jansen-van der Berg", "Marjan", "", "Jansen-van der Berg"),
    ("Marjan Jansen-van Berg", "Marjan", "", "Jansen-van Berg"),
    ("Jeanine Hennis-Plasschaert", "Jeanine", "", "Hennis-Plasschaert"),
    ("Wim van de Ven-Janssen", "Wim", "van de", "Ven-Janssen"),
    ("Anne-Marie de Groot", "Anne-Marie", "de", "Groot"),
    ("Jan Peter Balkenende", "Jan Peter", "", "Balkenende"),
    ("J.P. van den Heuvel", "J.P.", "van den", "Heuvel"),
    ("prof. dr. Lex Borghans", "prof. dr. Lex", "", "Borghans"),
    ("Martin Luther King Jr.", "Martin Luther", "", "King Jr."),
    ("Jan de Vries MBA", "Jan", "de", "Vries MBA"),
    ("Al Gore", "Al", "", "Gore"),
    ("van Dijk", "", "van", "Dijk"),
    ("de Vries", "", "de", "Vries"),
    ("Dijkstra", "", "", "Dijkstra"),
    ("Sjoukje IJzerman", "Sjoukje", "", "IJzerman"),
    ("Seán O'Brien", "Seán", "", "O'Brien"),
    ("Søren Kierkegaard", "Søren", "", "Kierkegaard"),
    ("Zeynep Çelik", "Zeynep", "", "Çelik"),
    ("Erik van Vondel", "Erik", "van", "Vondel"),
    ("Dean Bok", "Dean", "", "Bok"),
    ("Tom Boonstra", "Tom", "", "Boonstra"),
    ("Femke van Kessel  ", "Femke", "van", "Kessel"),
    ("  Femke   van   Kessel", "Femke", "van", "Kessel"),
    ("Ahmed Aboutaleb", "Ahmed", "", "Aboutaleb"),
    ("Jolande Sap", "Jolande", "", "Sap"),
    ("Sander van 't Hullenaar-de Wit", "Sander", "van 't", "Hullenaar-de Wit"),
]


def test_there_are_at_least_sixty_tricky_names() -> None:
    assert len({t[0] for t in TRICKY}) >= 60


@pytest.mark.parametrize(("full", "given", "tv", "surname"), TRICKY, ids=[t[0] for t in TRICKY])
def test_split_tricky_names(full: str, given: str, tv: str, surname: str) -> None:
    parts = split_name(full)
    assert parts == NameParts(given, tv, surname)
    assert join_name(parts) == " ".join(full.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bergh, Jan van den", NameParts("Jan", "van den", "Bergh")),
        ("Bergh, van den, Jan", NameParts("Jan", "van den", "Bergh")),
        ("Klooster, Ria van ’t", NameParts("Ria", "van ’t", "Klooster")),
        ("Vries, de", NameParts("", "de", "Vries")),
        ("Gore, Al", NameParts("Al", "", "Gore")),
        ("Adema, Gerard", NameParts("Gerard", "", "Adema")),
        ("Jan van den Bergh", NameParts("Jan", "van den", "Bergh")),
    ],
)
def test_parse_name_reads_surname_first_forms(text: str, expected: NameParts) -> None:
    assert parse_name(text) == expected


_WORDS = st.sampled_from(
    [
        "van", "de", "Van", "’t", "'t", "den", "der", "ter", "in", "op", "d'", "la", "El",
        "Jansen-van", "Wouters-Megens", "P.G.", "Jr.", "MBA", "Henriëtte", "Ria", "Klooster",
        "-", "'", "’", ".", "IJzerman",
    ]
)  # fmt: skip
_NAMES = st.one_of(
    st.text(),
    st.lists(st.one_of(_WORDS, st.text(min_size=1, max_size=8)), max_size=8).map(" ".join),
    st.lists(_WORDS, max_size=6).map(" ".join),
)


@given(_NAMES)
def test_split_never_crashes_and_join_gives_the_name_back(name: str) -> None:
    parts = split_name(name)
    assert join_name(parts) == " ".join(name.split())
    if name.split():
        assert parts.surname, "a name with words always has a surname"
    for part in (parts.given_name, parts.tussenvoegsel, parts.surname):
        assert part == part.strip()


@given(_NAMES)
def test_parse_name_never_crashes(name: str) -> None:
    parts = parse_name(name)
    assert isinstance(parts, NameParts)
