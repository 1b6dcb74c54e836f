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
    _bind_click()
    return _language


def _bind_click() -> None:
    """Let click's own words (``Usage:``, ``Options``, ``[default: …]``) follow the language.

    Click translates them with the standard library's global :func:`gettext.gettext`,
    which reads the global domain in the languages of ``$LANGUAGE``. Our catalogue
    holds click's words (:data:`CLICK_WORDS`), so the global domain is pointed at
    it, and ``LANGUAGE`` at the chosen language (a process-wide setting, as click's
    lookup is).
    """
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = _language


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


#: Click's own words, as click writes them, so the catalogue holds their Dutch
#: (see :func:`_bind_click`): usage, section titles, ``[default: …]`` and
#: ``[required]``, and the messages of a wrong call.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."),
    N_("Aborted!"),
    N_("Confirm the action without prompting."),
    N_("Do you want to continue?"),
)


def _click_plural_words() -> None:  # pragma: no cover - never called: read by extraction
    """Click's counted words, for the catalogue (click asks for them with ngettext)."""
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2)
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 2
    )
