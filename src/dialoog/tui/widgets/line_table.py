"""A table that draws only the rows on screen (Textual's Line API).

Textual's ``DataTable`` measures every cell of every row when rows are added
(``_update_dimensions``), so a list of 16,000 notes cost seconds before its
first frame. :class:`LineTable` is a ``ScrollView`` with ``render_line``, as
Textual's own ``Log`` is: columns have fixed widths (the last one takes the
rest), the table only knows how many rows it has, and asks :meth:`row_cells`
for a row when that row is drawn. A subclass that has no such row yet answers
``None``, shows a placeholder and fetches it (see
:class:`~dialoog.tui.widgets.notes_list.NotesList`, fed from the store in pages).

The keys and the mouse behave as a ``DataTable`` with a row cursor: up, down,
page up/down, home/end move the cursor; Enter, or a click on the row under the
cursor, posts :class:`LineTable.RowSelected`; moving posts
:class:`LineTable.RowHighlighted`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: A cell: plain text (never read as markup) or Rich text with its own styles.
Cell = str | Text


class LineTable(ScrollView, can_focus=True):
    """Rows of fixed-width cells under a one-line header; only visible rows are drawn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header",
        "line-table--cursor",
        "line-table--placeholder",
    }

    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        & > .line-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .line-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .line-table--placeholder {
            color: $text-muted;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .line-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class RowHighlighted(Message):
        """The cursor moved to row ``index``."""

        def __init__(self, table: LineTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> LineTable:
            """The table the cursor moved in."""
            return self.table

    class RowSelected(Message):
        """Row ``index`` was chosen (Enter, or a click on the row under the cursor)."""

        def __init__(self, table: LineTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> LineTable:
            """The table the row was chosen in."""
            return self.table

    def __init__(self, columns: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        """``columns``: (header label, width in cells); width ``None`` takes the rest."""
        super().__init__(id=id)
        self.columns = list(columns)
        self.cursor_row = 0
        """The row under the cursor (0 when the table is empty)."""
        self._strips: LRUCache[tuple[int, bool], Strip] = LRUCache(256)

    # -- what subclasses provide -------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the table has (drawn or not)."""
        return 0

    def row_cells(self, index: int) -> Sequence[Cell] | None:
        """The cells of row ``index``, or None while the row is not at hand."""
        return None

    # -- sizes ------------------------------------------------------------------

    def fill_width(self) -> int:
        """Cells of the column without a width: what the others leave of the table."""
        fixed = sum(width + 2 for _label, width in self.columns if width is not None)
        flexible = sum(1 for _label, width in self.columns if width is None)
        width = self.scrollable_content_region.width or self.app.size.width
        return max(10, width - fixed - 2 * flexible)

    def rows_changed(self) -> None:
        """Call after rows were added, removed or changed: redraw and resize."""
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)
        if self.cursor_row >= self.row_count:
            self.cursor_row = max(0, self.row_count - 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Widths follow the table's width: drawn rows no longer fit."""
        self.rows_changed()

    def on_focus(self) -> None:
        """The cursor row looks different with the focus."""
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        """The cursor row looks different without the focus."""
        self._strips.clear()
        self.refresh()

    @property
    def visible_rows(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    # -- drawing ----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, a row, or blank below the last row."""
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = round(self.scroll_offset.y) + y - 1
        if index >= self.row_count:
            return Strip.blank(width, self.rich_style)
        cursor = index == self.cursor_row
        cached = self._strips.get((index, cursor))
        if cached is not None and cached.cell_length == width:
            return cached
        cells = self.row_cells(index)
        if cells is None:
            # Not fetched yet: a placeholder, not cached, drawn again once the row is there.
            style = self.rich_style + self.get_component_rich_style("line-table--placeholder")
            return Strip([], 0).crop_extend(0, width, style).apply_style(style)
        strip = self._row_strip(cells, width, cursor)
        self._strips[(index, cursor)] = strip
        return strip

    def _header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("line-table--header")
        return self._strip([label for label, _w in self.columns], width, style)

    def _row_strip(self, cells: Sequence[Cell], width: int, cursor: bool) -> Strip:
        style = self.rich_style
        if cursor:
            style += self.get_component_rich_style("line-table--cursor")
        return self._strip(cells, width, style)

    def _strip(self, cells: Sequence[Cell], width: int, style: Style) -> Strip:
        line = Text(no_wrap=True, end="")
        fill = self.fill_width()
        for (_label, column_width), cell in zip(self.columns, cells, strict=False):
            shown = cell if isinstance(cell, Text) else Text(cell)
            cells_wide = fill if column_width is None else column_width
            shown = shown.copy()
            shown.truncate(cells_wide, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(shown)
            line.append(" ")
        line.stylize_before(style)
        segments = line.render(self.app.console)
        return Strip(segments).crop_extend(0, width, style).simplify()

    # -- the cursor ---------------------------------------------------------------

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Put the cursor on ``row`` (clamped) and scroll it into view."""
        del animate  # accepted for DataTable's signature; moves are immediate
        if not self.row_count:
            self.cursor_row = 0
            return
        row = max(0, min(row, self.row_count - 1))
        old, self.cursor_row = self.cursor_row, row
        for index in (old, row):
            self._strips.discard((index, True))
            self._strips.discard((index, False))
        self._scroll_to_cursor()
        self.refresh()
        if old != row:
            self.post_message(self.RowHighlighted(self, row))

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self.visible_rows:
            target = self.cursor_row - self.visible_rows + 1
            self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def action_cursor_up(self) -> None:
        """One row up."""
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        """One row down."""
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        """One screenful up."""
        self.move_cursor(row=self.cursor_row - self.visible_rows)

    def action_page_down(self) -> None:
        """One screenful down."""
        self.move_cursor(row=self.cursor_row + self.visible_rows)

    def action_first(self) -> None:
        """The first row."""
        self.move_cursor(row=0)

    def action_last(self) -> None:
        """The last row."""
        self.move_cursor(row=self.row_count - 1)

    def action_select_cursor(self) -> None:
        """Choose the row under the cursor."""
        if self.row_count:
            self.post_message(self.RowSelected(self, self.cursor_row))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if index >= self.row_count:
            return
        event.stop()
        if index == self.cursor_row:
            self.post_message(self.RowSelected(self, index))
        else:
            self.move_cursor(row=index)
