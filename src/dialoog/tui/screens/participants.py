"""The participants screen: list and search, correct a name split, roles, seating per round.

Reads go through the app's reader in thread workers; changes go through the
app's write queue (in order, retried while the database refuses them), never
on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from dialoog.errors import DialoogError
from dialoog.i18n import N_, _
from dialoog.models import Role
from dialoog.participants import service
from dialoog.participants.roles import role_label
from dialoog.participants.sorting import fold
from dialoog.storage import Store
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.dialogs.person_name import NameDialog
from dialoog.tui.dialogs.roles import RolesDialog
from dialoog.tui.errors import report_worker_error
from dialoog.tui.host import Host, host_of
from dialoog.tui.safe import safe_cell, safe_notify, safe_text


class ParticipantsScreen(Screen[None]):
    """Participants of one session in appendix order, with seating per round."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("search"), id="participants.search",
                tooltip=N_("Search by name or organisation")),
        Binding("e", "edit", N_("edit name"), id="participants.edit",
                tooltip=N_("Correct how the name is split")),
        Binding("r", "roles", N_("roles"), id="participants.roles",
                tooltip=N_("Choose the person's roles")),
        Binding("a", "toggle_appendix", N_("appendix"), id="participants.appendix",
                tooltip=N_("Keep the person in or out of the printed appendix")),
        Binding("s", "next_round", N_("next round"), id="participants.round",
                tooltip=N_("Show the seating of the next round")),
        Binding("escape", "app.pop_screen", N_("back"), id="participants.back",
                tooltip=N_("Back to the previous screen")),
    ]  # fmt: skip

    def __init__(self, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.session_id = session_id
        self.people: list[service.Person] = []
        self.rounds: list[tuple[int, str]] = []
        self.round_index = 0

    def compose(self) -> ComposeResult:
        """Search field, the list of people, and the seating of one round."""
        yield Input(placeholder=_("Search name or organisation"), id="search")
        with Horizontal():
            yield DataTable(id="people", cursor_type="row", zebra_stripes=True)
            with Vertical(id="seating-pane"):
                yield Static("", id="round")
                yield DataTable(id="seating", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Set up the columns and load the data."""
        people = self.query_one("#people", DataTable)
        people.add_columns(_("Name"), _("Organisation"), _("Roles"), _("Appendix"))
        self.query_one("#seating", DataTable).add_columns(_("Table"), _("Name"))
        self.reload()

    # -- data ------------------------------------------------------------

    @property
    def host(self) -> Host:
        """The app: its database access."""
        return host_of(self.app)

    @work(thread=True, exclusive=True, group="participants-load", exit_on_error=False)
    def reload(self) -> None:
        """Read people and the seating of the current round (thread worker)."""

        def load(store: Store):
            session = store.get_session(self.session_id)
            rounds = [(p, session.item(p).key or str(p)) for p in service.round_items(session)]
            people = service.list_people(store, self.session_id)
            seats = {}
            if rounds:
                item = rounds[min(self.round_index, len(rounds) - 1)][0]
                seats = service.seating(store, self.session_id, item)
            return people, rounds, seats

        try:
            people, rounds, seats = self.host.reader.run(load)
        except Exception as exc:
            report_worker_error(self, _("Cannot open the session"), exc)
            return
        self.app.call_from_thread(self._show, people, rounds, seats)

    def _show(self, people, rounds, seats) -> None:
        self.people, self.rounds = people, rounds
        self._fill_people()
        table = self.query_one("#seating", DataTable)
        table.clear()
        label = self.rounds[self.round_index][1] if self.rounds else _("no rounds")
        self.query_one("#round", Static).update(
            safe_text(_("Seating: {round}").format(round=label))
        )
        for number, members in seats.items():
            for person, manual in members:
                table.add_row(str(number), safe_cell(person.full_name + (" *" if manual else "")))

    def _fill_people(self) -> None:
        table = self.query_one("#people", DataTable)
        wanted = fold(self.query_one("#search", Input).value)
        table.clear()
        for p in self.people:
            if wanted and wanted not in fold(f"{p.full_name} {p.organisation or ''}"):
                continue
            table.add_row(
                safe_cell(p.full_name),
                safe_cell(p.organisation),
                ", ".join(role_label(r) for r in p.roles),
                _("yes") if p.in_appendix else _("no"),
                key=str(p.id),
            )

    def selected(self) -> service.Person | None:
        """The person under the cursor, if any."""
        table = self.query_one("#people", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((p for p in self.people if str(p.id) == key), None)

    def _write(self, fn: Callable[[Store], object]) -> None:
        """Queue a change; read the list again once it is written."""

        def done(_result: object) -> None:
            if self in self.app.screen_stack:  # not closed meanwhile
                self.reload()

        def failed(error: DialoogError) -> None:
            safe_notify(self, str(error), title=_("Not saved"), severity="error")

        self.host.writer.submit(fn, on_done=done, on_error=failed)

    # -- actions ---------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self._fill_people()

    def action_search(self) -> None:
        """Focus the search field."""
        self.query_one("#search", Input).focus()

    def action_edit(self) -> None:
        """Correct the name split of the selected person."""
        person = self.selected()
        if person is None:
            return

        def done(result: tuple[str, str, str] | None) -> None:
            if result:
                given, tv, surname = result
                self._write(
                    lambda s: service.correct_name(
                        s, self.session_id, person.id,
                        given_name=given, tussenvoegsel=tv, surname=surname,
                    )
                )  # fmt: skip

        self.app.push_screen(NameDialog(person), done)

    def action_roles(self) -> None:
        """Choose the roles of the selected person."""
        person = self.selected()
        if person is None:
            return

        def done(roles: list[Role] | None) -> None:
            if roles is not None:
                self._write(
                    lambda s: service.set_roles(s, self.session_id, person.id, replace=roles)
                )

        self.app.push_screen(RolesDialog(person), done)

    def action_toggle_appendix(self) -> None:
        """Keep the selected person in or out of the printed appendix."""
        person = self.selected()
        if person is not None:
            flag = not person.in_appendix
            self._write(
                lambda s: service.update_person(s, self.session_id, person.id, in_appendix=flag)
            )

    def action_next_round(self) -> None:
        """Show the seating of the next round."""
        if self.rounds:
            self.round_index = (self.round_index + 1) % len(self.rounds)
            self.reload()
