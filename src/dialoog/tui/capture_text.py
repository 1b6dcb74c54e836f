"""What the capture screen says: the lines around its list, and why a note is not sent.

Pure functions from plain values to Rich text or strings, so the screen only
decides what to show and the wording lives in one place. User text (titles,
questions) goes into :class:`~rich.text.Text`, never markup, through
:func:`~dialoog.text.terminal_safe`: Textual writes text to the terminal as it
is, so a control character left in it would act there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from rich.text import Text

from dialoog.i18n import _, item_kind_label
from dialoog.kinds import MAX_NOTE_LENGTH, NoteKind
from dialoog.markers import clean_text, parse_note
from dialoog.text import terminal_safe
from dialoog.tui.kinds import kind_badge


def title_text(session_title: str, table: int, countdown: Text) -> Text:
    """Session title, table number and the countdown (empty when the clock is elsewhere)."""
    return Text.assemble(
        (terminal_safe(session_title, one_line=True), "bold"),
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
        terminal_safe(title, one_line=True),
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
        shown = terminal_safe(question, one_line=True)
        text.append(shown, style="bold reverse" if chosen == n else "")
    return text


def moved_text(position: int, title: str) -> Text:
    """The warning that the programme is at another item than the one shown."""
    return Text(
        _("The programme is at {n}. {title} — ctrl+g follows").format(
            n=position, title=terminal_safe(title, one_line=True)
        ),
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


class Refusal(NamedTuple):
    """Why a typed note is not sent to the store (its text stays in the input)."""

    message: str
    title: str
    severity: Literal["information", "error"]
    timeout: float | None


def refusal(raw: str, kind: NoteKind) -> Refusal | None:
    """Why ``raw``, typed as a note of ``kind``, cannot be saved; None when it can."""
    if not parse_note(raw, kind).text:
        return Refusal(_("Empty note: nothing to save."), _("Hint"), "information", None)
    length = len(clean_text(raw).strip())
    if length > MAX_NOTE_LENGTH:
        message = _(
            "This note has {n} characters; the limit is {limit}. "
            "Split it in parts: it stays in the input."
        ).format(n=f"{length:,}", limit=f"{MAX_NOTE_LENGTH:,}")
        return Refusal(message, _("Note too long"), "error", 8)
    return None
