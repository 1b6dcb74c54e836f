"""A dialog to correct how a participant's name is split: given name, tussenvoegsel, surname."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from dialoog.i18n import N_, _
from dialoog.text import clean_line
from dialoog.tui.bindings import localise_bindings

if TYPE_CHECKING:
    from dialoog.participants import service


class NameDialog(ModalScreen[tuple[str, str, str] | None]):
    """Correct a name split: given name, tussenvoegsel, surname."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("cancel"), id="participants.name.cancel",
                tooltip=N_("Close without saving")),
    ]  # fmt: skip

    def __init__(self, person: service.Person) -> None:
        super().__init__()
        localise_bindings(self)
        self.person = person

    def compose(self) -> ComposeResult:
        """Three fields and a save button."""
        with Vertical():
            yield Label(_("Correct the name split"))
            # An Input draws its text as it is: a control character stored before
            # names were cleaned would act on the terminal. Saving cleans it anyway.
            person = self.person
            yield Input(clean_line(person.given_name), placeholder=_("given name"), id="given")
            yield Input(clean_line(person.tussenvoegsel), placeholder=_("tussenvoegsel"), id="tv")
            yield Input(clean_line(person.surname), placeholder=_("surname"), id="surname")
            yield Button(_("Save"), variant="primary", id="save")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        values = tuple(self.query_one(f"#{i}", Input).value for i in ("given", "tv", "surname"))
        if values[2].strip():
            self.dismiss(values)  # type: ignore[arg-type]
