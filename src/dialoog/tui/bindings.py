"""Key bindings shown in the user's language.

Textual reads ``BINDINGS`` when a class is created, which is before the
language is chosen, so descriptions and tooltips are written in English (marked
with :func:`dialoog.i18n.N_` for extraction) and translated per instance here.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from dialoog.i18n import _

#: Keys a browser keeps for itself, so they never reach the app in a tab of
#: ``dialoog serve`` (Ctrl+N/T/W cannot even be taken back by a page), or do
#: something drastic there first (Ctrl+Q quits some browsers, F5 reloads the page).
#: Every action of dialoog has at least one key outside this set
#: (``tests/tui/test_browser_keys.py``); the terminal keys stay as aliases.
BROWSER_RESERVED: frozenset[str] = frozenset(
    {
        "ctrl+n", "ctrl+t", "ctrl+w", "ctrl+q", "ctrl+tab", "ctrl+l", "ctrl+r",
        "ctrl+p", "ctrl+s", "ctrl+o", "ctrl+f", "ctrl+h", "ctrl+j", "ctrl+d",
        "ctrl+u", "ctrl+k", "f1", "f5", "f11", "f12", "alt+left", "alt+right",
        # find-next and the bookmarks sidebar in Chrome and Firefox
        "ctrl+g", "ctrl+b", "ctrl+e",
    }
)  # fmt: skip


def browser_safe(key: str) -> bool:
    """Whether ``key`` reaches the app in a browser tab as well as in a terminal."""
    return key not in BROWSER_RESERVED


def action_keys(node: DOMNode, action: str) -> list[str]:
    """Every key bound to ``action`` on ``node``, in the order they were declared."""
    return [
        key
        for key, items in node._bindings.key_to_bindings.items()
        if any(b.action == action for b in items)
    ]


def web_key(binding: Binding, *nodes: DOMNode) -> str:
    """The key to show for ``binding`` in a browser: itself, or a browser-safe alias."""
    if browser_safe(binding.key):
        return binding.key
    for node in nodes:
        for key in action_keys(node, binding.action):
            if browser_safe(key):
                return key
    return binding.key


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
    """Every action of ``nodes`` (already translated) as its keys, description and tooltip.

    Only bindings with an ``id`` (dialoog's own) are listed, one row an action
    with all its keys (``alt+o / ^o``); the browser-safe keys come first, so
    the key that works in a browser tab as well as in a terminal leads. The
    first node's binding of a key wins.
    """
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        by_action: dict[str, list[Binding]] = {}
        for key, items in node._bindings.key_to_bindings.items():
            if key in seen or not items:
                continue
            seen.add(key)
            binding = items[0]
            if not binding.id:
                continue  # Textual's own (focus, copy): not translated, and Tab is explained
            by_action.setdefault(binding.action, []).append(binding)
        for bindings in by_action.values():
            ordered = sorted(bindings, key=lambda b: not browser_safe(b.key))
            # App's own display: the app's override would put the alias in twice.
            keys = " / ".join(App.get_key_display(app, b) for b in ordered)
            rows.append((keys, bindings[0].description, bindings[0].tooltip))
    return rows
