"""Key bindings shown in the user's language.

Textual reads ``BINDINGS`` when a class is created, which is before the
language is chosen, so descriptions and tooltips are written in English (marked
with :func:`dialoog.i18n.N_` for extraction) and translated per instance here.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
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


def key_rows(app: App[object], *nodes: DOMNode) -> list[tuple[str, str, str]]:
    """Every binding of ``nodes`` (already translated) as key, description and tooltip.

    Only bindings with an ``id`` (dialoog's own) are listed; the first node's
    binding of a key wins.
    """
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        for key, items in node._bindings.key_to_bindings.items():
            if key in seen or not items:
                continue
            seen.add(key)
            binding = items[0]
            if not binding.id:
                continue  # Textual's own (focus, copy): not translated, and Tab is explained
            rows.append((app.get_key_display(binding), binding.description, binding.tooltip))
    return rows
