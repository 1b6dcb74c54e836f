"""One way for a screen's thread worker to say that a read of the database failed.

The worker runs off the event loop, so the notification is handed to the app's
thread; the screen stays usable and the next read (a tick, a key) tries again.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from dialoog.text import terminal_safe


def report_worker_error(screen: Screen[Any], title: str, exc: BaseException) -> None:
    """Show ``exc`` as an error notification titled ``title``, from a thread worker.

    Args:
        screen: the screen whose worker failed; the notification is its own.
        title: what could not be done, already translated (``_("Cannot read the notes")``).
        exc: the failure; its text is the message.
    """
    # An error's text is never markup (a "[type=...]" in it crashed capture with a MarkupError).
    message = terminal_safe(str(exc))
    screen.app.call_from_thread(screen.notify, message, title=title, severity="error", markup=False)
