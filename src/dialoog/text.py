"""Comparison forms of text shared by search, filters and suggestions."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: casefolded, diacritics removed.

    ``fold("Coördinatie")`` is ``"coordinatie"``. Used wherever people type a word
    and expect to find it whatever its accents (search, the synthesis filter,
    suggestions). Participant sorting has a stricter form of its own
    (``participants.sorting.fold``), which also drops punctuation.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
