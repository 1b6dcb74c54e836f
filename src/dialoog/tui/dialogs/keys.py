"""Every key of a screen, with what it does, and the legend of the note kinds (F1, ``?``).

The footer shows only the few keys a chair needs at once; this dialog shows
them all, so no key of the screen is hidden.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from dialoog.i18n import N_, _
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.safe import safe_cell
from dialoog.tui.widgets import KindLegend

#: One line of the dialog: the key as shown, what it does, and more about it.
KeyRow = tuple[str, str, str]


class KeysDialog(ModalScreen[None]):
    """A table of keys and what they do, and (``legend``) the legend of the note kinds."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("close"), id="keys.close", tooltip=N_("Close the keys")),
        Binding("f1,alt+k", "close", N_("close"), show=False, id="keys.close_f1",
                tooltip=N_("Close the keys")),
        Binding("question_mark", "close", N_("close"), show=False, id="keys.close_question",
                tooltip=N_("Close the keys")),
    ]  # fmt: skip

    def __init__(self, title: str, rows: list[KeyRow], *, legend: bool = False) -> None:
        super().__init__()
        localise_bindings(self)
        self.title_text = title
        self.rows = rows
        self.legend = legend

    def compose(self) -> ComposeResult:
        """Title, the keys and the legend."""
        with Vertical(id="keys-box"):
            yield Static(safe_cell(self.title_text), id="keys-title")
            table: DataTable[object] = DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            table.add_column(_("Key"), key="key")
            table.add_column(_("Does"), key="does")
            table.add_column(_("More"), key="more")
            for key, does, more in self.rows:
                table.add_row(Text(key, style="bold"), safe_cell(does), safe_cell(more))
            yield table
            if self.legend:
                yield KindLegend(id="keys-legend")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Scroll the keys with the arrows straight away."""
        self.query_one("#keys", DataTable).focus()

    def action_close(self) -> None:
        """Back to the screen."""
        self.dismiss(None)
