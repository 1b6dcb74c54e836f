"""The words of a report: frequency phrases, kind and item names, months, safe text.

The rule behind the frequency phrases is stated for template authors in
:mod:`dialoog.synthesis.context`; the thresholds are here, beside the phrases.
"""

from __future__ import annotations

import datetime as dt
import re

#: Share of tables from which a theme is "several" (verschillende) tables.
SEVERAL_SHARE = 0.5
#: Share of tables from which a theme is "almost all" (vrijwel alle) tables.
ALMOST_ALL_SHARE = 0.85
#: Fewest tables that can be "almost all".
ALMOST_ALL_MIN = 3

PHRASES = {
    "nl": {
        "one": "aan één van de tafels",
        "some": "aan enkele tafels",
        "several": "aan verschillende tafels",
        "almost_all": "aan vrijwel alle tafels",
        "none": "aan geen van de tafels",
    },
    "en": {
        "one": "at one of the tables",
        "some": "at some tables",
        "several": "at several tables",
        "almost_all": "at almost all tables",
        "none": "at none of the tables",
    },
}

KIND_NAMES = {
    "nl": {
        "observation": "observatie",
        "quote": "citaat",
        "recommendation": "aanbeveling",
        "bottleneck": "knelpunt",
        "example": "goed voorbeeld",
        "question": "open vraag",
        "action": "actie",
    },
    "en": {
        "observation": "observation",
        "quote": "quote",
        "recommendation": "recommendation",
        "bottleneck": "bottleneck",
        "example": "good example",
        "question": "open question",
        "action": "action",
    },
}

ITEM_KIND_NAMES = {
    "nl": {
        "opening": "opening",
        "keynote": "inleiding",
        "panel": "reflectie",
        "presentation": "presentatie",
        "round": "gespreksronde",
        "inventory": "inventarisatie",
        "closing": "afronding",
    },
    "en": {
        "opening": "opening",
        "keynote": "keynote",
        "panel": "panel",
        "presentation": "presentation",
        "round": "conversation round",
        "inventory": "inventory",
        "closing": "closing",
    },
}

MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

# C0/C1 control characters except newline and tab: XML (.docx) cannot hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str | None) -> str:
    """Text safe for every output format: control characters removed, never None."""
    return _CONTROL.sub("", text or "")


def frequency_key(covered: int, of: int) -> str:
    """Which frequency phrase fits ``covered`` tables out of ``of`` (see module docs)."""
    if covered <= 0:
        return "none"
    if covered == 1:
        return "one"
    share = covered / max(of, covered)
    if share >= ALMOST_ALL_SHARE and covered >= ALMOST_ALL_MIN:
        return "almost_all"
    if share >= SEVERAL_SHARE:
        return "several"
    return "some"


def frequency_phrase(covered: int, of: int, language: str = "nl") -> str:
    """The frequency phrase, "aan verschillende tafels", for ``covered`` of ``of`` tables."""
    return PHRASES[language][frequency_key(covered, of)]


def date_text(value: dt.date | None, language: str = "nl") -> str:
    """A date written out: "19 februari 2015" or "19 February 2015"."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[language][value.month - 1]} {value.year}"
