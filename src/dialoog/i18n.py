"""Translations through gettext, Dutch and English catalogues in the package.

The language follows ``--lang``, then ``DIALOOG_LANG``, then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``), falling back to English. Source
strings are English; ``locale/nl`` holds the Dutch catalogue. Mark strings with
:func:`_` and look them up when shown, not at import time.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "dialoog"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language(explicit: str | None = None) -> str:
    """The language to use: ``explicit``, ``DIALOOG_LANG``, the locale, or English."""
    candidates = [explicit, os.environ.get("DIALOOG_LANG")]
    candidates += [os.environ.get(v) for v in ("LC_ALL", "LC_MESSAGES", "LANG")]
    for value in candidates:
        if not value:
            continue
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in LANGUAGES:
            return code
        if value is explicit:
            break
    return "en"


def set_language(language: str | None = None) -> str:
    """Switch every later :func:`_` call to ``language`` (detected when None)."""
    global _translation, _language
    _language = detect_language(language)
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[_language], fallback=True
    )
    return _language


def language() -> str:
    """The language in use."""
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _translation.ngettext(singular, plural, n)


def count_text(singular: str, plural: str, n: int) -> str:
    """``1 notitie`` / ``3 notities``: :func:`ngettext`'s form for ``n``, with ``{n}`` filled in.

    Report templates call it as ``ngettext``. Their own words are not in the
    catalogue, so gettext's rule for them applies: the singular for 1, else the
    plural (Dutch and English alike).
    """
    return ngettext(singular, plural, n).format(n=n)


def kind_label(kind: str) -> str:
    """The display name of a note kind."""
    return _(KIND_LABELS[kind])


def item_kind_label(kind: str) -> str:
    """The display name of an agenda item kind."""
    return _(ITEM_KIND_LABELS[kind])


def N_(message: str) -> str:
    """Mark a string for translation without translating it yet."""
    return message


KIND_LABELS = {
    "observation": N_("observation"),
    "quote": N_("quote"),
    "recommendation": N_("recommendation"),
    "bottleneck": N_("bottleneck"),
    "example": N_("good example"),
    "question": N_("open question"),
    "action": N_("action"),
}
ITEM_KIND_LABELS = {
    "opening": N_("opening"),
    "keynote": N_("keynote"),
    "panel": N_("panel"),
    "presentation": N_("presentation"),
    "round": N_("conversation round"),
    "inventory": N_("inventory"),
    "closing": N_("closing"),
}
