"""Every key binding of the app can be remapped and explained: it has an id and a tooltip."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from dialoog.tui.app import DialoogApp
from dialoog.tui.dialogs.edit_note import EditNoteScreen
from dialoog.tui.dialogs.hit import HitScreen
from dialoog.tui.dialogs.keys import KeysDialog
from dialoog.tui.dialogs.person_name import NameDialog
from dialoog.tui.dialogs.plan_picker import PlanPickerScreen
from dialoog.tui.dialogs.preview import PreviewScreen
from dialoog.tui.dialogs.roles import RolesDialog
from dialoog.tui.dialogs.suggestions import SuggestionsScreen
from dialoog.tui.dialogs.text import TextDialog
from dialoog.tui.dialogs.title import TitleDialog
from dialoog.tui.screens.capture import CaptureScreen
from dialoog.tui.screens.clock import ClockScreen
from dialoog.tui.screens.home import HomeScreen, TablePickerScreen
from dialoog.tui.screens.overview import OverviewScreen
from dialoog.tui.screens.participants import ParticipantsScreen
from dialoog.tui.screens.search import SearchScreen
from dialoog.tui.screens.synthesis import SynthesisScreen

OWNERS = [
    DialoogApp,
    CaptureScreen,
    ClockScreen,
    EditNoteScreen,
    HomeScreen,
    PlanPickerScreen,
    TablePickerScreen,
    OverviewScreen,
    SynthesisScreen,
    TitleDialog,
    TextDialog,
    SuggestionsScreen,
    PreviewScreen,
    SearchScreen,
    HitScreen,
    KeysDialog,
    ParticipantsScreen,
    NameDialog,
    RolesDialog,
]


@pytest.mark.parametrize("owner", OWNERS, ids=lambda o: o.__name__)
def test_every_binding_has_id_and_tooltip(owner: type) -> None:
    bindings = [b for b in owner.BINDINGS if isinstance(b, Binding)]
    assert bindings
    assert len(bindings) == len(owner.BINDINGS)
    for binding in bindings:
        assert binding.id, binding
        assert binding.tooltip, binding


def test_binding_ids_are_unique() -> None:
    ids = [b.id for owner in OWNERS for b in owner.BINDINGS if isinstance(b, Binding)]
    assert len(ids) == len(set(ids))


def test_tui_imports_stay_out_of_the_core() -> None:
    """Importing the TUI must not be needed by the core; the core must not import it."""
    import subprocess
    import sys

    code = (
        "import sys, dialoog.storage.store, dialoog.markers, dialoog.models\n"
        "assert 'textual' not in sys.modules, 'core imported textual'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
