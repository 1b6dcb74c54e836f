"""A :class:`~dialoog.tui.widgets.line_table.LineTable` over rows held in memory.

For lists with a bound (the overview's latest notes, search results): the rows
are plain cells built by the screen, and only the ones on screen are drawn, so
replacing them every refresh costs what building the cells costs, not what a
``DataTable`` costs to measure them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from dialoog.tui.widgets.line_table import Cell, LineTable


class RowsTable(LineTable):
    """Rows of cells, each with a key; the cursor keeps its position when rows are replaced."""

    def __init__(self, columns: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        super().__init__(columns, id=id)
        self._rows: list[Sequence[Cell]] = []
        self._cells_of: Callable[[int], Sequence[Cell]] | None = None
        self.keys: list[str] = []
        """The key of each row, in order."""

    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self.keys)

    def row_cells(self, index: int) -> Sequence[Cell] | None:
        """The cells of row ``index``."""
        if not 0 <= index < len(self.keys):
            return None
        if self._cells_of is not None:
            return self._cells_of(index)
        return self._rows[index]

    def get_row_at(self, index: int) -> Sequence[Cell]:
        """The cells of row ``index`` (as ``DataTable.get_row_at``)."""
        return self.row_cells(index) or []

    def set_rows(self, rows: Iterable[tuple[str, Sequence[Cell]]]) -> None:
        """Replace every row by ``rows`` of (key, cells)."""
        pairs = list(rows)
        self._cells_of = None
        self.keys = [key for key, _cells in pairs]
        self._rows = [cells for _key, cells in pairs]
        self.rows_changed()

    def set_source(self, keys: list[str], cells_of: Callable[[int], Sequence[Cell]]) -> None:
        """Rows ``keys``, whose cells ``cells_of(index)`` builds when the row is drawn.

        For long lists held in memory (a round's notes on the synthesis screen):
        no cell is built for a row that is never on screen.
        """
        self.keys = list(keys)
        self._rows = []
        self._cells_of = cells_of
        self.rows_changed()

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        return self.keys[self.cursor_row] if self.cursor_row < len(self.keys) else None
