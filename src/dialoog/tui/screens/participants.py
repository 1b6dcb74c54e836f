"""The participants screen: list and search, correct a name split, roles, seating per round.

Every database call runs in a thread worker on its own short-lived store
connection, never on the event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, SelectionList, Static

from dialoog.i18n import N_, _
from dialoog.models import Role
from dialoog.participants import service
from dialoog.participants.roles import role_label
from dialoog.participants.sorting import fold
from dialoog.storage import Store
from dialoog.tui.bindings import localise_bindings


class NameDialog(ModalScreen[tuple[str, str, str] | None]):
    """Correct a name split: given name, tussenvoegsel, surname."""

    DEFAULT_CSS = """
    NameDialog { align: center middle; }
    NameDialog > Vertical { width: 60; height: auto; border: round $accent; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("cancel"), id="participants.name.cancel"),
    ]

    def __init__(self, person: service.Person) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        """Three fields and a save button."""
        with Vertical():
            yield Label(_("Correct the name split"))
            yield Input(self.person.given_name, placeholder=_("given name"), id="given")
            yield Input(self.person.tussenvoegsel, placeholder=_("tussenvoegsel"), id="tv")
            yield Input(self.person.surname, placeholder=_("surname"), id="surname")
            yield Button(_("Save"), variant="primary", id="save")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        values = tuple(self.query_one(f"#{i}", Input).value for i in ("given", "tv", "surname"))
        if values[2].strip():
            self.dismiss(values)  # type: ignore[arg-type]


class RolesDialog(ModalScreen[list[Role] | None]):
    """Choose a person's roles."""

    DEFAULT_CSS = """
    RolesDialog { align: center middle; }
    RolesDialog > Vertical { width: 50; height: auto; border: round $accent; padding: 1 2; }
    RolesDialog SelectionList { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("cancel"), id="participants.roles.cancel"),
    ]

    def __init__(self, person: service.Person) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        """A checklist of roles and a save button."""
        with Vertical():
            yield Label(self.person.full_name)
            yield SelectionList[str](
                *[(role_label(r), r.value, r in self.person.roles) for r in Role], id="roles"
            )
            yield Button(_("Save"), variant="primary", id="save")

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        chosen = self.query_one("#roles", SelectionList).selected
        self.dismiss([Role(v) for v in chosen])


class ParticipantsScreen(Screen[None]):
    """Participants of one session in appendix order, with seating per round."""

    DEFAULT_CSS = """
    ParticipantsScreen #search { dock: top; }
    ParticipantsScreen #people { width: 3fr; }
    ParticipantsScreen #seating { width: 2fr; }
    ParticipantsScreen #round { dock: top; height: 1; padding: 0 1; }
    """
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

    def __init__(self, store_path: Path, session_id: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.store_path = Path(store_path)
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

    def _with_store(self, fn):
        with Store.open(self.store_path) as store:
            return fn(store)

    @work(thread=True, exclusive=True, group="participants-load")
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

        people, rounds, seats = self._with_store(load)
        self.app.call_from_thread(self._show, people, rounds, seats)

    def _show(self, people, rounds, seats) -> None:
        self.people, self.rounds = people, rounds
        self._fill_people()
        table = self.query_one("#seating", DataTable)
        table.clear()
        label = self.rounds[self.round_index][1] if self.rounds else _("no rounds")
        self.query_one("#round", Static).update(_("Seating: {round}").format(round=label))
        for number, members in seats.items():
            for person, manual in members:
                table.add_row(str(number), person.full_name + (" *" if manual else ""))

    def _fill_people(self) -> None:
        table = self.query_one("#people", DataTable)
        wanted = fold(self.query_one("#search", Input).value)
        table.clear()
        for p in self.people:
            if wanted and wanted not in fold(f"{p.full_name} {p.organisation or ''}"):
                continue
            table.add_row(
                p.full_name,
                p.organisation or "",
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

    @work(thread=True, group="participants-write")
    def _write(self, fn) -> None:
        self._with_store(fn)
        self.app.call_from_thread(self.reload)

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
