"""User text on a screen: never markup, never a control character that acts.

Textual reads a ``str`` as markup almost everywhere (a ``DataTable`` cell, a
``Static``, a ``Label``, an ``Option``, a ``Select`` choice, a notification), so
``[@click=app.quit]`` in a note would run an action and a stray ``[/]`` crash the
screen with a MarkupError. And it writes the text of a ``Text`` to the terminal
as it is, so an ``ESC`` left in it (a database from before text was cleaned, a
bundle from elsewhere) would act there. Every screen therefore hands user text
to Textual through these helpers: a :class:`~rich.text.Text` (never parsed)
whose control characters are made visible by :func:`~dialoog.text.terminal_safe`.
Editable fields (``Input``, ``TextArea``) get the text cleaned instead
(:func:`~dialoog.text.clean_text`), as saving would clean it anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text

from dialoog.text import terminal_safe

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget


def safe_text(text: str | None, style: str = "", *, one_line: bool = False) -> Text:
    """``text`` as Rich text: shown literally, control characters visible (``\\x1b``)."""
    return Text(terminal_safe(text or "", one_line=one_line), style=style)


def safe_cell(text: str | None, style: str = "") -> Text:
    """``text`` for a cell of a table or a line of a list: one line, never markup.

    Too long for its column, it ends in an ellipsis.
    """
    return Text(
        terminal_safe(text or "", one_line=True),
        style=style,
        no_wrap=True,
        overflow="ellipsis",
        end="",
    )


def safe_notify(
    node: App[Any] | Widget,
    message: str,
    *,
    title: str = "",
    severity: Literal["information", "warning", "error"] = "information",
    timeout: float | None = None,
) -> None:
    """Notify with a message that holds user or error text: never markup, escapes visible.

    Call it on the event loop; from a thread worker, through ``app.call_from_thread``.
    """
    extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    node.notify(
        terminal_safe(message),
        title=terminal_safe(title, one_line=True),
        severity=severity,
        markup=False,
        **extra,
    )
