"""The lines above and below the capture screen's list: where the chair is, what comes next.

Pure functions from plain values to Rich text, so the screen only decides what
to show and the wording lives in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from dialoog.i18n import _, item_kind_label
from dialoog.kinds import NoteKind
from dialoog.tui.kinds import kind_badge


def title_text(session_title: str, table: int, countdown: Text) -> Text:
    """Session title, table number and the countdown (empty when the clock is elsewhere)."""
    return Text.assemble(
        (session_title, "bold"),
        "  ·  ",
        (_("Table {n}").format(n=table), "bold"),
        "  ",
        countdown,
    )


def item_text(position: int, count: int, kind: str, title: str, *, current: bool) -> Text:
    """``3/9 Round: title``, marked "(current)" when the programme is at this item."""
    line = Text.assemble(
        (f"{position}/{count} ", "dim"),
        (item_kind_label(kind).capitalize() + ": ", "bold"),
        title,
    )
    if current:
        line.append("  " + _("(current)"), style="dim")
    return line


def questions_text(questions: Sequence[str], chosen: int | None) -> Text:
    """The item's questions, numbered, one a line; the chosen one in reverse."""
    text = Text()
    for n, question in enumerate(questions, start=1):
        if text:
            text.append("\n")
        text.append(f"{n} ", style="bold")
        text.append(question, style="bold reverse" if chosen == n else "")
    return text


def moved_text(position: int, title: str) -> Text:
    """The warning that the programme is at another item than the one shown."""
    return Text(
        _("The programme is at {n}. {title} — ctrl+g follows").format(n=position, title=title),
        style="bold",
    )


def status_text(kind: NoteKind, question: int | None, saving: int, *, failing: bool) -> Text:
    """Kind and question of the next note, and how many notes are still being saved."""
    status = Text.assemble(
        (_("Next note: "), "dim"),
        kind_badge(kind),
        ("  ·  ", "dim"),
        (
            _("question {n}").format(n=question) if question else _("no question"),
            "bold" if question else "dim",
        ),
    )
    if saving:
        status.append("  ·  ")
        status.append(_("{n} saving…").format(n=saving), style="bold red" if failing else "dim")
    return status
