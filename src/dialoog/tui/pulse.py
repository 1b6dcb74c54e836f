"""How busy each table is, for the chair of the day's overview: a sparkline and a silence.

Per table, the notes of the current round are counted per minute over the last
:data:`MINUTES` minutes (oldest first), which Textual's sparkline draws one cell
a minute; next to it, how long ago the table's latest note was taken. A table
silent for :data:`SILENT_MINUTES` or more while the round runs stands out in red,
so the chair sees it without reading. Pure functions: no Textual, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text

from dialoog.i18n import _

#: Minutes the sparkline covers, one cell each.
MINUTES = 15
#: From this many minutes without a note, a table in a running round stands out.
SILENT_MINUTES = 5


def per_minute(times: Iterable[dt.datetime], at: dt.datetime, minutes: int = MINUTES) -> list[int]:
    """Notes per minute over the ``minutes`` minutes before ``at``, oldest minute first."""
    counts = [0] * minutes
    for taken in times:
        ago = int((at - taken).total_seconds() // 60)
        if 0 <= ago < minutes:
            counts[minutes - 1 - ago] += 1
        elif ago < 0:  # another machine's clock a little ahead: this minute
            counts[-1] += 1
    return counts


def since_last(
    last: dt.datetime | None,
    at: dt.datetime,
    *,
    running: bool,
    round_from: dt.datetime | None = None,
) -> Text:
    """How long ago the latest note was taken: ``3 min``; red when a running round is silent.

    A table without a note yet counts as silent from ``round_from`` (when the
    clock last changed), so at the start of a round no table is red.
    """
    quiet_from = last or round_from
    quiet = 0 if quiet_from is None else int((at - quiet_from).total_seconds() // 60)
    silent = running and quiet >= SILENT_MINUTES
    if last is None:
        label = _("none yet")
    else:
        label = _("<1 min") if quiet < 1 else _("{n} min").format(n=max(0, quiet))
    if silent:
        return Text("⚠ " + label, style="bold red")
    return Text(label, style="dim" if last is None or quiet >= SILENT_MINUTES else "")
