"""The legend of the note kinds (key, symbol, name), wrapped between entries."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from dialoog.tui.kinds import kind_legend


class KindLegend(Widget):
    """``f2 • observation  f3 “ quote …`` on as many lines as the width needs."""

    DEFAULT_CSS = """
    KindLegend {
        height: auto;
    }
    """

    def render(self) -> Text:
        """The legend for the current width."""
        return kind_legend(self.content_size.width or None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the legend needs at ``width``."""
        return len(kind_legend(width or None).split())

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        self.refresh(layout=True)
