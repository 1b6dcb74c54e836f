"""Widgets of the dialoog TUI, one a module; the ones screens use are named here."""

from __future__ import annotations

from dialoog.tui.widgets.note_input import NoteInput

__all__ = ["NoteInput"]
