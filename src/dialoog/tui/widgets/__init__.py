"""Widgets of the dialoog TUI, one a module; the ones screens use are named here."""

from __future__ import annotations

from dialoog.tui.widgets.capture_header import CaptureHeader
from dialoog.tui.widgets.kind_legend import KindLegend
from dialoog.tui.widgets.line_table import LineTable
from dialoog.tui.widgets.note_input import NoteInput
from dialoog.tui.widgets.notes_list import NotesList

__all__ = ["CaptureHeader", "KindLegend", "LineTable", "NoteInput", "NotesList"]
