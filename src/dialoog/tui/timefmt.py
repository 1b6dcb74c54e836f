"""Time left on the clock as the capture and clock screens show it.

Kept apart from both screens (and free of pydantic and sqlite-utils) so the
capture screen, which must draw fast, and the clock share one form.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text

from dialoog.i18n import _

if TYPE_CHECKING:
    from dialoog.storage.store import ClockState


def format_seconds(seconds: float) -> str:
    """``12:05`` for time left, ``+1:30`` for time over."""
    over = seconds < 0
    total = int(abs(seconds) + (0 if over else 0.999))
    text = f"{total // 60}:{total % 60:02d}"
    return f"+{text}" if over else text


def countdown_text(clock: ClockState | None, at: dt.datetime | None = None) -> Text:
    """The countdown for a header: time left, paused, or over time in red."""
    if clock is None:
        return Text("")
    left = clock.seconds_left(at)
    if left is None:
        return Text("")
    if clock.state == "paused":
        return Text(_("⏸ {time} paused").format(time=format_seconds(left)), style="bold")
    if left < 0:
        return Text(_("⏱ {time} over time").format(time=format_seconds(left)), style="bold red")
    style = "bold dark_orange" if left < 120 else "bold"
    return Text(f"⏱ {format_seconds(left)}", style=style)
