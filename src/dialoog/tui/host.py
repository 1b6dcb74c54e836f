"""What a screen may ask of the app: its database access and where to go next.

Screens, dialogs and the command palette type the running app as :class:`Host`
instead of importing ``dialoog.tui.app``: the app imports the screens (lazily,
when one is shown), so a screen importing the app would close a circle. Moving
between screens goes through these ``open_*`` methods, never by one screen
importing another.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from dialoog.tui.db import StoreGate, WriteQueue


class Host(Protocol):
    """The dialoog app as its screens see it (implemented by ``DialoogApp``)."""

    db_path: Path
    """The database file every connection of the app opens."""
    reader: StoreGate
    """Connection for reads (polling, lists); thread workers only."""
    writer: WriteQueue
    """Ordered, retried writes: every write of every screen goes here."""

    def open_session(self, session_id: str) -> None:
        """Show the table picker of a session."""

    def open_capture(
        self,
        session_id: str,
        table: int,
        *,
        item: int | None = None,
        focus_note_id: str | None = None,
    ) -> None:
        """Show the capture screen of one table (at ``item``, ``focus_note_id`` selected)."""

    def open_clock(self, session_id: str) -> None:
        """Show the clock of a session (for the chair of the day)."""

    def open_overview(self, session_id: str) -> None:
        """Show the overview of every table of a session."""

    def open_synthesis(self, session_id: str) -> None:
        """Show the secretary's synthesis screen of a session."""

    def open_participants(self, session_id: str) -> None:
        """Show the participants screen of a session."""

    def open_search(self, **where: Any) -> None:
        """Show the search screen (optionally narrowed, e.g. to a session)."""

    def create_session_from(self, plan: object) -> None:
        """Create a session from a plan and open it."""

    def refresh_home(self) -> None:
        """Reload the sessions on the home screen."""


def host_of(app: App[Any]) -> Host:
    """The running app as a :class:`Host` (one cast, in one place)."""
    return app  # type: ignore[return-value]
