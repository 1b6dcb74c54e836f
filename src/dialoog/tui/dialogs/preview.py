"""The Markdown draft of the report, rendered and scrollable (the synthesis screen's preview).

The draft is rendered through the app's write queue, because rendering keeps it
among the drafts, and so after every write the secretary made before asking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from dialoog.errors import DialoogError
from dialoog.i18n import N_, _
from dialoog.text import terminal_safe
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.host import host_of
from dialoog.tui.safe import safe_notify, safe_text

if TYPE_CHECKING:
    from dialoog.storage.store import Store


class PreviewScreen(Screen[None]):
    """The Markdown draft of the report, rendered and scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back"), id="synthesis.preview.back",
                tooltip=N_("Back to the synthesis")),
    ]  # fmt: skip

    def __init__(self, session_id: str, template: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.template = template
        """The report template to render (``verslag`` or ``report``), as Markdown."""
        self.markdown: str | None = None

    def compose(self) -> ComposeResult:
        """Title line and the document."""
        yield Static(_("Rendering the draft…"), id="preview-title")
        with VerticalScroll(id="preview-scroll"):
            yield Markdown(id="preview")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Scroll with the keyboard straight away; render the draft behind the writes."""
        scroll = self.query_one("#preview-scroll")
        scroll.focus()
        # A draft of thousands of notes takes a while: Textual's loading indicator
        # shows that work is going on until the text (or an error) arrives.
        scroll.loading = True
        session_id, template = self.session_id, self.template

        def render(store: Store) -> tuple[str, int | None]:
            from dialoog.synthesis.drafts import make_draft

            rendered, draft = make_draft(store, session_id, template=template, fmt="md")
            return rendered.text, draft.id if draft else None

        def rendered(result: object) -> None:
            text, draft_id = result  # type: ignore[misc]
            title = _("Draft {id} · {template}.md (kept in the drafts; Escape goes back)").format(
                id=draft_id, template=template
            )
            if self in self.app.screen_stack:
                self.app.call_later(self.show, text, title)

        def failed(error: DialoogError) -> None:
            safe_notify(self, str(error), title=_("Cannot render the draft"), severity="error")
            if self in self.app.screen_stack:
                self.query_one("#preview-scroll").loading = False
                self.query_one("#preview-title", Static).update(safe_text(str(error)))

        host_of(self.app).writer.submit(render, on_done=rendered, on_error=failed)

    async def show(self, markdown: str, title: str) -> None:
        """Show the rendered Markdown."""
        self.markdown = markdown
        self.query_one("#preview-title", Static).update(safe_text(title))
        self.query_one("#preview-scroll").loading = False
        # Markdown text is never read as markup, but an escape in it would still act.
        await self.query_one("#preview", Markdown).update(terminal_safe(markdown))
