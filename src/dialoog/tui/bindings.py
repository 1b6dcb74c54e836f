"""Key bindings shown in the user's language.

Textual reads ``BINDINGS`` when a class is created, which is before the
language is chosen, so descriptions and tooltips are written in English (marked
with :func:`dialoog.i18n.N_` for extraction) and translated per instance here.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from dialoog.i18n import _


def localise_bindings(node: DOMNode) -> None:
    """Translate the descriptions and tooltips of ``node``'s bindings in place."""
    # Textual keeps a per-instance copy of the merged bindings in ``_bindings``.
    bindings = node._bindings.key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [
            replace(
                b,
                description=_(b.description) if b.description else "",
                tooltip=_(b.tooltip) if b.tooltip else "",
            )
            for b in items
        ]
