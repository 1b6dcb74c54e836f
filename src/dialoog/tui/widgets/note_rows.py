"""The cells of a row in the capture screen's list of notes, saved or still saving.

Plain Rich text, no widget: the capture screen puts these in its ``DataTable``
(never a string, which the table would read as markup), with control characters
made visible (:func:`dialoog.text.terminal_safe`): Textual writes a cell's text
to the terminal as it is, so an ``ESC`` in a note would act.
Filling the list with 2,000 notes must stay fast, hence :func:`fit_cells`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import get_character_cell_size
from rich.text import Text

from dialoog.i18n import _
from dialoog.text import terminal_safe
from dialoog.tui.kinds import kind_symbol

if TYPE_CHECKING:
    from dialoog.models import Note

#: Characters of a note shown in the list; the full text is in the edit dialog.
LIST_TEXT_LIMIT = 300

#: Characters known to take exactly one cell (the fast path of :func:`fit_cells`).
_ONE_CELL: set[str] = set()


def _one_cell_each(chars: str) -> bool:
    """Whether every character of ``chars`` takes exactly one terminal cell."""
    unknown = set(chars).difference(_ONE_CELL)
    for char in unknown:
        if char in "\u200d\ufe0f" or get_character_cell_size(char) != 1:
            return False
        _ONE_CELL.add(char)
    return True


def fit_cells(text: Text, width: int) -> None:
    """Shorten ``text`` to ``width`` cells with an ellipsis, in place.

    The same result as ``text.truncate(width, overflow="ellipsis")``, which
    measures the whole text grapheme by grapheme as soon as it holds a character
    such as ’ or –; for 2,000 notes that was half the time of filling the list.
    When the first ``width + 1`` characters each take one cell the cut is a
    plain slice; anything else (wide, zero-width, joined) is left to Rich.
    """
    plain = text.plain
    if not _one_cell_each(plain[: width + 1]):
        text.truncate(width, overflow="ellipsis")
    elif len(plain) > width:
        text.plain = plain[: width - 1] + "…"


def note_cells(note: Note, width: int) -> list[object]:
    """Kind, question, local time and first line of a saved note (``width`` cells of text)."""
    first, _sep, rest = note.text.partition("\n")
    shown = Text(terminal_safe(first[:LIST_TEXT_LIMIT], one_line=True))
    if rest:
        shown.append(" …", style="dim")
    for tag in note.tags:
        shown.append(f" #{terminal_safe(tag, one_line=True)}", style="dim")
    fit_cells(shown, width)
    local = note.created_at.astimezone()
    return [
        kind_symbol(note.kind),
        str(note.question or ""),
        local.strftime("%H:%M"),
        shown,
    ]


def pending_cells(text: str, width: int) -> list[object]:
    """The row of a note sent to the store and not yet committed: dim, marked "saving"."""
    line = terminal_safe(text.partition("\n")[0][:LIST_TEXT_LIMIT], one_line=True)
    first = Text(line, style="dim italic")
    first.truncate(width, overflow="ellipsis")
    return [Text("…", style="dim"), "", Text(_("saving"), style="dim italic"), first]
