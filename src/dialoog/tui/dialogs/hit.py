"""A search result, read-only: a note with its revisions and its neighbours at the table.

Themes, summaries and drafts show their text only. The note is read through the
app's reader in a thread worker.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from dialoog.history.search import SearchHit
from dialoog.i18n import N_, _
from dialoog.models import Note
from dialoog.storage.store import Store
from dialoog.text import terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.host import host_of
from dialoog.tui.kinds import kind_symbol
from dialoog.tui.safe import safe_notify, safe_text

#: Notes shown before and after a note.
NEIGHBOURS = 3


class HitScreen(ModalScreen[None]):
    """A result, read-only: a note with its revisions and its neighbours at the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("close"), id="search.hit.close",
                tooltip=N_("Back to the results")),
    ]  # fmt: skip

    def __init__(self, hit: SearchHit) -> None:
        super().__init__()
        localise_bindings(self)
        self.hit = hit
        self.note: Note | None = None
        """The note with its revisions, once read (note results only)."""

    def compose(self) -> ComposeResult:
        """Where it was said, then the text (and, for a note, its history and neighbours)."""
        hit = self.hit
        where = [hit.session_title or hit.session_id or ""]
        if hit.item is not None:
            where.append(f"{hit.item}. {hit.item_title or ''}".strip())
        if hit.table is not None:
            where.append(_("Table {n}").format(n=hit.table))
        with Vertical():
            yield Static(safe_text(" · ".join(where), "bold", one_line=True), id="hit-where")
            with VerticalScroll(id="hit-scroll"):
                yield Static(safe_text(hit.text), id="hit-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Read the note's revisions and neighbours."""
        if self.hit.source == "note":
            self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        hit = self.hit

        def read(store: Store) -> tuple[Note, list[Note]]:
            note = store.get_note(hit.id)
            around = store.list_notes(note.session_id, table=note.table, item=note.item)
            return note, around

        try:
            note, around = host_of(self.app).reader.run(read)
        except Exception as exc:
            self.app.call_from_thread(safe_notify, self, str(exc), severity="error")
            return
        self.app.call_from_thread(self._fill, note, around)

    def _fill(self, note: Note, around: list[Note]) -> None:
        self.note = note
        body = Text()
        ids = [str(n.id) for n in around]
        at = ids.index(str(note.id)) if str(note.id) in ids else len(around)
        before = around[max(0, at - NEIGHBOURS) : at]
        after = around[at + 1 : at + 1 + NEIGHBOURS]
        for other in before:
            body.append_text(self._line(other, dim=True))
        body.append_text(self._line(note, dim=False))
        for other in after:
            body.append_text(self._line(other, dim=True))
        if len(note.revisions) > 1:
            body.append("\n" + _("Revisions") + "\n", style="bold underline")
            for rev in note.revisions:
                stamp = rev.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
                body.append(f"{rev.rev}. {stamp} {rev.action}  ", style="dim")
                body.append(terminal_safe(rev.text) + "\n")
        self.query_one("#hit-body", Static).update(body)

    @staticmethod
    def _line(note: Note, dim: bool) -> Text:
        line = Text.assemble(
            kind_symbol(note.kind),
            " ",
            (note.created_at.astimezone().strftime("%H:%M") + "  ", "dim"),
            (terminal_safe(note.text), "dim" if dim else "bold"),
            "\n",
        )
        return line

    def action_close(self) -> None:
        """Back to the results."""
        self.dismiss(None)
