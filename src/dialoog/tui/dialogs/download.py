"""A dialog that renders the report draft as .md, .html or .docx and hands it over.

It uses Textual's ``deliver_binary``: under ``dialoog serve`` the browser downloads
the file (through the server's token-checked ``/download``), in a terminal it is
saved in the user's downloads folder. The draft is rendered through the app's
write queue, as the preview is, so it follows every write before it and is kept
among the drafts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from dialoog.errors import DialoogError
from dialoog.i18n import N_, _
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.host import host_of
from dialoog.tui.safe import safe_notify

if TYPE_CHECKING:
    from dialoog.storage.store import Store

#: The formats offered, with their label and MIME type.
FORMATS = {
    "docx": (
        N_("Word document (.docx)"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "html": (N_("Web page (.html)"), "text/html"),
    "md": (N_("Markdown (.md)"), "text/markdown"),
}


class DownloadDialog(ModalScreen[str | None]):
    """Pick a format; the draft is rendered, kept and delivered; dismissed with its file name."""

    DEFAULT_CSS = """
    DownloadDialog { align: center middle; }
    DownloadDialog > Vertical {
        width: 60; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    DownloadDialog OptionList { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("cancel"), id="synthesis.download.cancel",
                tooltip=N_("Close without downloading")),
    ]  # fmt: skip

    def __init__(self, session_id: str, template: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.template = template
        """The report template to render (``verslag`` or ``report``)."""

    def compose(self) -> ComposeResult:
        """A heading and the formats."""
        with Vertical():
            yield Static(_("Download the draft of the report as:"))
            yield OptionList(
                *(Option(_(label), id=fmt) for fmt, (label, _mime) in FORMATS.items()),
                id="download-formats",
            )
        yield Footer(compact=True)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        fmt = event.option.id or "md"
        session_id, template = self.session_id, self.template
        filename = f"{template}-{session_id}.{fmt}"

        def render(store: Store) -> bytes:
            from dialoog.synthesis.drafts import make_draft

            rendered, _draft = make_draft(store, session_id, template=template, fmt=fmt)
            return rendered.output

        formats = self.query_one("#download-formats", OptionList)

        def rendered(output: object) -> None:
            assert isinstance(output, bytes)
            formats.loading = False
            self.app.deliver_binary(
                io.BytesIO(output), save_filename=filename, mime_type=FORMATS[fmt][1]
            )
            safe_notify(self.app, _("Draft delivered: {name}").format(name=filename))
            if self.is_attached:
                self.dismiss(filename)

        def failed(error: DialoogError) -> None:
            formats.loading = False
            safe_notify(self.app, str(error), title=_("Cannot render the draft"), severity="error")

        self.query_one(Static).update(_("Rendering {name}…").format(name=filename))
        formats.loading = True  # the loading indicator while the draft renders
        host_of(self.app).writer.submit(render, on_done=rendered, on_error=failed)

    def action_cancel(self) -> None:
        """Close without a download."""
        self.dismiss(None)
