"""Home (sessions, newest first) and the table picker: the two steps to a table."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dialoog.i18n import N_, _
from dialoog.models import Session, SessionPlan
from dialoog.storage.store import Store
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.dialogs.plan_picker import PlanPickerScreen
from dialoog.tui.host import Host, host_of
from dialoog.tui.safe import safe_cell, safe_notify, safe_text


class HomeScreen(Screen[None]):
    """Every session in the database, newest first, with its count of notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            N_("open"),
            id="home.open",
            tooltip=N_("Choose a table of the selected session"),
        ),
        Binding(
            "n",
            "new_from_plan",
            N_("new from plan"),
            id="home.new_plan",
            tooltip=N_("Create a session from a plan file"),
        ),
        Binding(
            "l",
            "new_like",
            N_("new like this"),
            id="home.new_like",
            tooltip=N_("Create a session with the structure of the selected one, without notes"),
        ),
        Binding(
            "c",
            "clock",
            N_("clock"),
            id="home.clock",
            tooltip=N_("Run the clock of the selected session (chair of the day)"),
        ),
        Binding(
            "o",
            "overview",
            N_("overview"),
            id="home.overview",
            tooltip=N_("Notes of every table of the selected session"),
        ),
        Binding(
            "p",
            "participants",
            N_("participants"),
            id="home.participants",
            tooltip=N_("Participants, roles and seating of the selected session"),
        ),
        Binding(
            "s",
            "synthesis",
            N_("synthesis"),
            id="home.synthesis",
            tooltip=N_("Themes, suggestions and the report draft of the selected session"),
        ),
        Binding(
            "slash",
            "search",
            N_("search"),
            id="home.search",
            tooltip=N_("Search the notes, themes and drafts of every session"),
        ),
        Binding(
            "r",
            "reload",
            N_("refresh"),
            id="home.refresh",
            tooltip=N_("Read the sessions again"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.sessions: dict[str, Session] = {}

    @property
    def host(self) -> Host:
        """The app: its database access and where to go next."""
        return host_of(self.app)

    def compose(self) -> ComposeResult:
        """Title, the sessions table and a hint for an empty database."""
        yield Static(_("dialoog — sessions"), id="home-title", classes="screen-title")
        yield Static(
            _("↑↓ choose a session · Enter opens it (then choose a table) · n new from a plan"),
            id="home-hint",
            classes="screen-hint",
        )
        table: DataTable[object] = DataTable(id="sessions", cursor_type="row")
        table.add_column(_("Date"), key="date", width=10)
        table.add_column(_("Session"), key="title")
        # Two sessions of one plan share a title; the id tells them apart.
        table.add_column(_("Id"), key="id")
        table.add_column(_("Tables"), key="tables", width=6)
        table.add_column(_("Notes"), key="notes", width=8)
        yield table
        yield Static(_("No sessions yet: press n to create one from a plan."), id="home-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Read the sessions."""
        self.query_one("#home-empty").display = False
        self.reload()

    def on_screen_resume(self) -> None:
        """Counts change while notes are taken: read them again when back here."""
        self.reload()

    def reload(self) -> None:
        """Read the sessions in a worker."""
        self._load()

    @work(thread=True, exclusive=True, group="home-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            sessions = self.host.reader.run(lambda s: s.list_sessions())
        except Exception as exc:
            self.app.call_from_thread(
                safe_notify,
                self,
                _("Cannot read the sessions: {reason}").format(reason=exc),
                severity="error",
            )
            return
        self.app.call_from_thread(self._fill, sessions)

    def _fill(self, sessions: list[Session]) -> None:
        table = self.query_one("#sessions", DataTable)
        selected = self._selected_id()
        table.clear()
        self.sessions = {s.id: s for s in sessions}
        for s in sessions:
            table.add_row(
                s.date.isoformat() if s.date else "",
                safe_cell(s.title),
                safe_cell(s.id),
                str(len(s.plan.tables)),
                str(s.note_count),
                key=s.id,
            )
        self.query_one("#home-empty").display = not sessions
        if selected in self.sessions:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        table.focus()

    def _selected_id(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        row_key, _col = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter or a click on a session: choose its table."""
        event.stop()
        self.host.open_session(str(event.row_key.value))

    def action_open(self) -> None:
        """Choose a table of the selected session."""
        session_id = self._selected_id()
        if session_id:
            self.host.open_session(session_id)

    def action_clock(self) -> None:
        """Open the clock of the selected session."""
        session_id = self._selected_id()
        if session_id:
            self.host.open_clock(session_id)

    def action_overview(self) -> None:
        """Open the overview of the selected session."""
        session_id = self._selected_id()
        if session_id:
            self.host.open_overview(session_id)

    def action_participants(self) -> None:
        """Open the participants of the selected session."""
        session_id = self._selected_id()
        if session_id:
            self.host.open_participants(session_id)

    def action_synthesis(self) -> None:
        """Open the synthesis (themes, suggestions, draft) of the selected session."""
        session_id = self._selected_id()
        if session_id:
            self.host.open_synthesis(session_id)

    def action_search(self) -> None:
        """Search every session (words, parts of words, filters)."""
        self.host.open_search()

    def action_reload(self) -> None:
        """Read the sessions again."""
        self.reload()

    def action_new_like(self) -> None:
        """New session with the structure (programme, tables) of the selected one."""
        session_id = self._selected_id()
        if session_id:
            self.host.create_session_from(self.sessions[session_id].plan)

    def action_new_from_plan(self) -> None:
        """Pick a plan and create a session from it."""

        def chosen(plan: SessionPlan | None) -> None:
            if plan is not None:
                self.host.create_session_from(plan)

        self.app.push_screen(PlanPickerScreen(), chosen)


class TablePickerScreen(Screen[None]):
    """The tables of one session, with their notes; Enter opens the capture screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            N_("back"),
            id="tables.back",
            tooltip=N_("Back to the sessions"),
        ),
        Binding(
            "c",
            "clock",
            N_("clock"),
            id="tables.clock",
            tooltip=N_("Run the clock of this session (chair of the day)"),
        ),
        Binding(
            "o",
            "overview",
            N_("overview"),
            id="tables.overview",
            tooltip=N_("Notes of every table of this session"),
        ),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id

    @property
    def host(self) -> Host:
        """The app: its database access and where to go next."""
        return host_of(self.app)

    def compose(self) -> ComposeResult:
        """Title and the tables of the session."""
        yield Static(_("Loading…"), id="tables-title", classes="screen-title")
        table: DataTable[object] = DataTable(id="tables", cursor_type="row")
        table.add_column(_("Table"), key="number", width=5)
        table.add_column(_("Name"), key="name")
        table.add_column(_("Table chair"), key="chair")
        table.add_column(_("Notes"), key="notes", width=8)
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Read the session and its counts of notes."""
        self._load()

    def on_screen_resume(self) -> None:
        """Read the counts again when coming back from a table."""
        self._load()

    @work(thread=True, exclusive=True, group="tables-load", exit_on_error=False)
    def _load(self) -> None:
        def read(store: Store) -> tuple[Session, dict[int, int]]:
            return store.get_session(self.session_id), store.count_notes(self.session_id)

        try:
            session, counts = self.host.reader.run(read)
        except Exception as exc:
            self.app.call_from_thread(
                safe_notify, self, str(exc), title=_("Cannot open the session"), severity="error"
            )
            return
        self.app.call_from_thread(self._fill, session, counts)

    def _fill(self, session: Session, counts: dict[int, int]) -> None:
        self.query_one("#tables-title", Static).update(
            Text.assemble(
                safe_text(session.title, "bold", one_line=True),
                "  ·  ",
                _("Choose your table (Enter)"),
            )
        )
        table = self.query_one("#tables", DataTable)
        row = table.cursor_row
        table.clear()
        for t in session.plan.tables:
            table.add_row(
                str(t.number),
                safe_cell(t.name),
                safe_cell(t.chair),
                str(counts.get(t.number, 0)),
                key=str(t.number),
            )
        table.move_cursor(row=row, animate=False)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open the capture screen of the chosen table."""
        event.stop()
        self.host.open_capture(self.session_id, int(str(event.row_key.value)))

    def action_back(self) -> None:
        """Back to the sessions."""
        self.app.pop_screen()

    def action_clock(self) -> None:
        """Open the clock of this session."""
        self.host.open_clock(self.session_id)

    def action_overview(self) -> None:
        """Open the overview of this session."""
        self.host.open_overview(self.session_id)
