""" "More like this": the item's free notes ranked by closeness to the theme being built.

The ranking comes from :func:`dialoog.synthesis.similar.more_like_theme`, read
through the app's reader in a thread worker. Enter (or ``a``) adds the
highlighted note to the theme through the caller's callback and takes it off the
list, so several notes can be added in a row; Escape closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from dialoog.i18n import N_, _
from dialoog.synthesis.similar import Ranked, more_like_theme
from dialoog.text import terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.host import host_of
from dialoog.tui.safe import safe_notify

#: Longest note text shown on one line of the list.
SHOWN_CHARS = 110


class MoreLikeThisScreen(ModalScreen[None]):
    """The item's notes that are in no theme yet, closest to one theme first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,a", "add", N_("add to theme"), id="synthesis.like.add",
                tooltip=N_("Put the highlighted note in the theme"), priority=True),
        Binding("escape", "close", N_("close"), id="synthesis.like.close",
                tooltip=N_("Back to the themes")),
    ]  # fmt: skip

    def __init__(self, theme_id: int, title: str, on_add: Callable[[str], None]) -> None:
        super().__init__()
        localise_bindings(self)
        self.theme_id = theme_id
        self.title_text = title
        self.add_callback = on_add
        self.ranked: list[Ranked] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        """A status line and the ranked notes."""
        with Vertical():
            yield Static(_("Ranking the notes…"), id="like-status")
            yield OptionList(id="like-notes")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Rank the notes in a thread worker."""
        self._rank()

    @work(thread=True, exit_on_error=False, group="synthesis-like")
    def _rank(self) -> None:
        try:
            found = host_of(self.app).reader.run(lambda s: more_like_theme(s, self.theme_id))
        except Exception as exc:
            self.app.call_from_thread(
                safe_notify, self, str(exc), title=_("No ranking"), severity="error"
            )
            found = []
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[Ranked]) -> None:
        if self not in self.app.screen_stack:
            return  # closed before the ranking was ready
        self.ranked = list(found)
        self.loaded = True
        options = self.query_one("#like-notes", OptionList)
        options.clear_options()
        options.add_options(Option(self._prompt(r), id=r.id) for r in self.ranked)
        if self.ranked:
            options.highlighted = 0
        options.focus()
        self._status()

    def _status(self) -> None:
        left = self.query_one("#like-notes", OptionList).option_count
        title = terminal_safe(self.title_text, one_line=True)
        text = (
            _("Notes like “{title}”, closest first: Enter adds, Escape closes.").format(title=title)
            if left
            else _("No notes left outside the themes.")
        )
        self.query_one("#like-status", Static).update(Text(text))

    @staticmethod
    def _prompt(note: Ranked) -> Text:
        short = note.text if len(note.text) <= SHOWN_CHARS else note.text[: SHOWN_CHARS - 1] + "…"
        text = Text(f"{note.score:4.2f} ", style="dim")
        text.append(f"[{note.table}] ", style="bold")
        text.append(terminal_safe(short, one_line=True))
        return text

    def action_add(self) -> None:
        """Put the highlighted note in the theme and take it off the list."""
        options = self.query_one("#like-notes", OptionList)
        if options.highlighted is None or not options.option_count:
            return
        option = options.get_option_at_index(options.highlighted)
        options.remove_option_at_index(options.highlighted)
        self._status()
        if option.id is not None:
            self.add_callback(option.id)

    def action_close(self) -> None:
        """Back to the synthesis screen."""
        self.dismiss(None)
