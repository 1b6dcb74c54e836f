"""Suggested themes for an agenda item, to accept or reject one by one.

The suggestions come from :func:`dialoog.synthesis.suggest.suggest_themes`, read
through the app's reader in a thread worker.
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

from dialoog.i18n import N_, _, ngettext
from dialoog.synthesis.suggest import Suggestion, suggest_themes
from dialoog.text import terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.host import host_of
from dialoog.tui.safe import safe_notify


class SuggestionsScreen(ModalScreen[None]):
    """Suggested themes for the item: accept (a theme is made) or reject each one.

    Nothing changes in the database until a suggestion is accepted.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "accept", N_("accept"), id="synthesis.suggest.accept",
                tooltip=N_("Make a theme of this group of notes"), priority=True),
        Binding("x,delete", "reject", N_("reject"), id="synthesis.suggest.reject",
                tooltip=N_("Drop this suggestion")),
        Binding("escape", "close", N_("close"), id="synthesis.suggest.close",
                tooltip=N_("Back to the themes")),
    ]  # fmt: skip

    def __init__(
        self,
        session_id: str,
        item: int,
        on_accept: Callable[[Suggestion], None],
    ) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.item = item
        self.accept_callback = on_accept
        self.suggestions: list[Suggestion] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        """A status line and the list of groups."""
        with Vertical():
            yield Static(_("Looking for similar notes…"), id="suggest-status")
            yield OptionList(id="suggestions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Compute the suggestions in a thread worker."""
        self._suggest()

    @work(thread=True, exit_on_error=False, group="synthesis-suggest")
    def _suggest(self) -> None:
        try:
            found = host_of(self.app).reader.run(
                lambda s: suggest_themes(s, self.session_id, self.item)
            )
        except Exception as exc:
            self.app.call_from_thread(
                safe_notify, self, str(exc), title=_("No suggestions"), severity="error"
            )
            found = []
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[Suggestion]) -> None:
        if self not in self.app.screen_stack:
            return  # closed before the suggestions were ready
        self.suggestions = list(found)
        self.loaded = True
        options = self.query_one("#suggestions", OptionList)
        options.clear_options()
        options.add_options(
            Option(self._prompt(s), id=str(n)) for n, s in enumerate(self.suggestions)
        )
        if self.suggestions:
            options.highlighted = 0
        options.focus()
        self._status()

    def _status(self) -> None:
        left = len(self.query_one("#suggestions", OptionList).options)
        text = (
            _("{n} suggested groups: Enter accepts, x rejects, Escape closes.").format(n=left)
            if left
            else _(
                "No (more) strong groups: no notes from several tables are clearly more "
                "alike than chance. Try l (more like this) on a theme."
            )
        )
        self.query_one("#suggest-status", Static).update(text)

    @staticmethod
    def _prompt(suggestion: Suggestion) -> Text:
        tables = ", ".join(str(t) for t in suggestion.tables)
        count = len(suggestion.note_ids)
        text = Text(terminal_safe(suggestion.label, one_line=True), style="bold")
        text.append(
            "  "
            + ngettext("tables {tables} · {n} note", "tables {tables} · {n} notes", count).format(
                tables=tables, n=count
            ),
            style="dim",
        )
        for note_text in suggestion.texts:
            short = note_text if len(note_text) <= 110 else note_text[:109] + "…"
            text.append("\n   – " + terminal_safe(short, one_line=True))
        return text

    def _take_highlighted(self) -> Suggestion | None:
        options = self.query_one("#suggestions", OptionList)
        if options.highlighted is None or not options.options:
            return None
        option = options.get_option_at_index(options.highlighted)
        options.remove_option_at_index(options.highlighted)
        self._status()
        return self.suggestions[int(option.id or 0)]

    def action_accept(self) -> None:
        """Make a theme of the highlighted group."""
        suggestion = self._take_highlighted()
        if suggestion is not None:
            self.accept_callback(suggestion)

    def action_reject(self) -> None:
        """Drop the highlighted group (nothing is written)."""
        self._take_highlighted()

    def action_close(self) -> None:
        """Back to the synthesis screen."""
        self.dismiss(None)
