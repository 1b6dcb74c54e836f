"""The ``--kind`` option's type: a note kind by its English value or its name in your language.

``--kind citaat`` and ``--kind quote`` mean the same; the help lists the names
in the interface language (``goed-voorbeeld``: a hyphen where the name has a
space, so it needs no quotes), and a wrong kind is refused in that language.
"""

from __future__ import annotations

from typing import Any

import click

from dialoog.i18n import _, kind_label, language
from dialoog.kinds import NoteKind
from dialoog.text import fold


def kind_word(kind: NoteKind) -> str:
    """How ``--kind`` writes a kind in this language: ``quote``, ``citaat``, ``goed-voorbeeld``."""
    if language() == "en":
        return kind.value
    return kind_label(kind.value).replace(" ", "-")


class KindChoice(click.ParamType):
    """A note kind; converts to its English value (``quote``) for the code below."""

    name = "kind"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """``[observatie|citaat|…]`` in the interface language."""
        return "[" + "|".join(kind_word(k) for k in NoteKind) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The English value of the kind ``value`` names (value, or name in either language)."""
        if isinstance(value, NoteKind):
            return value.value
        wanted = fold(str(value)).replace("-", " ").strip()
        for kind in NoteKind:
            names = {kind.value, kind_label(kind.value), kind_word(kind)}
            if wanted in {fold(n).replace("-", " ") for n in names}:
                return kind.value
        kinds = ", ".join(kind_word(k) for k in NoteKind)
        self.fail(
            _("{value!r} is not a kind of note; use one of: {kinds}").format(
                value=value, kinds=kinds
            ),
            param,
            ctx,
        )
