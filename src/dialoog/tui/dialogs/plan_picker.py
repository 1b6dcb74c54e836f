"""A dialog to choose a session plan (bundled or the user's own) to create a session from."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from dialoog.i18n import N_, _
from dialoog.models import SessionPlan
from dialoog.tui.bindings import localise_bindings
from dialoog.tui.safe import safe_cell


class PlanPickerScreen(ModalScreen[SessionPlan | None]):
    """Choose a session plan (bundled or the user's own)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            N_("cancel"),
            id="plans.cancel",
            tooltip=N_("Close without creating a session"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.plans: list[SessionPlan] = []

    def compose(self) -> ComposeResult:
        """A title and the list of plans."""
        yield Static(_("New session from plan"), classes="screen-title")
        yield OptionList(id="plans")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Find the plans in a thread worker."""
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        from dialoog.plans import discover_plans

        plans = [p.plan for p in discover_plans() if isinstance(p.plan, SessionPlan)]
        self.app.call_from_thread(self._fill, plans)

    def _fill(self, plans: list[SessionPlan]) -> None:
        self.plans = plans
        options = self.query_one("#plans", OptionList)
        for n, plan in enumerate(plans):
            date = plan.date.isoformat() if plan.date else "—"
            options.add_option(Option(safe_cell(f"{date}  {plan.title}"), id=str(n)))
        if plans:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Create a session from the chosen plan."""
        self.dismiss(self.plans[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
