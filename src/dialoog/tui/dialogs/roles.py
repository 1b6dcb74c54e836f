"""A dialog to choose a participant's roles (table chair, speaker, secretary, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList

from dialoog.i18n import N_, _
from dialoog.models import Role
from dialoog.participants.roles import role_label
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.safe import safe_text

if TYPE_CHECKING:
    from dialoog.participants import service


class RolesDialog(ModalScreen[list[Role] | None]):
    """Choose a person's roles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("cancel"), id="participants.roles.cancel",
                tooltip=N_("Close without saving")),
    ]  # fmt: skip

    def __init__(self, person: service.Person) -> None:
        super().__init__()
        localise_bindings(self)
        self.person = person

    def compose(self) -> ComposeResult:
        """A checklist of roles and a save button."""
        with Vertical():
            yield Label(safe_text(self.person.full_name, one_line=True))
            yield SelectionList[str](
                *[(role_label(r), r.value, r in self.person.roles) for r in Role], id="roles"
            )
            yield Button(_("Save"), variant="primary", id="save")

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        chosen = self.query_one("#roles", SelectionList).selected
        self.dismiss([Role(v) for v in chosen])
