"""The dialoog Textual app and the factory the command line and the tests use."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType

from dialoog.i18n import N_, _
from dialoog.tui.bindings import localise_bindings, web_key
from dialoog.tui.commands import SessionCommands
from dialoog.tui.db import StoreGate, WriteQueue
from dialoog.tui.safe import safe_notify

if TYPE_CHECKING:
    from dialoog.storage.peek import SessionPreview

#: Seconds the app waits, when quitting, for notes still being written.
QUIT_WAIT = 3.0
#: The capture screen's rules: all its first frame needs, read at every start.
FIRST_CSS = Path(__file__).with_name("capture.tcss")
#: Every other screen's rules: read at start, or (a start on the capture screen)
#: just before another screen first opens, so that start parses only FIRST_CSS.
REST_CSS = Path(__file__).with_name("dialoog.tcss")


class DialoogApp(App[None]):
    """Capture notes per table, run the clock, watch every table.

    The app opens its own connections to the database at ``db_path``: one for
    reads and one for writes, both used only from thread workers.
    """

    CSS_PATH: ClassVar[list[str | PurePath]] = [FIRST_CSS, REST_CSS]
    TITLE = "dialoog"
    COMMANDS = App.COMMANDS | {SessionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # f10 quits as in mc and htop; a browser keeps ctrl+q for itself
        Binding(
            "ctrl+q,f10",
            "quit",
            N_("quit"),
            priority=True,
            show=False,
            id="app.quit",
            tooltip=N_("Save the draft and quit"),
        ),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        session_id: str | None = None,
        table: int | None = None,
        clock: bool = False,
        synthesis: bool = False,
        preview: SessionPreview | None = None,
    ) -> None:
        capture_start = session_id is not None and table is not None
        capture_start = capture_start and not clock and not synthesis
        super().__init__(css_path=[FIRST_CSS] if capture_start else None)
        self._rest_css_read = not capture_start
        localise_bindings(self)
        self.db_path = Path(db_path)
        self.start_session = session_id
        self.start_table = table
        self.start_clock = clock
        self.start_synthesis = synthesis
        self.served = os.environ.get("DIALOOG_SERVED") == "1"
        """Started by ``dialoog serve``: its link opens this one screen, nothing else."""
        if self.served:
            self.use_command_palette = False
        self.start_preview = preview
        """The start session as the command line read it, shown until it is loaded."""
        self.reader = StoreGate(self.db_path)
        """Connection for reads (polling, lists); thread workers only."""
        self.writer = WriteQueue(self, StoreGate(self.db_path))
        """Ordered, retried writes."""
        self._quit_asked = False

    def get_key_display(self, binding: Binding) -> str:
        """The key as the footer shows it; in a browser tab, a browser-safe alias of it."""
        if self.is_web:
            key = web_key(binding, self.screen, self)
            if key != binding.key:
                binding = replace(binding, key=key, key_display=None)
        return super().get_key_display(binding)

    def on_mount(self) -> None:
        """Show the first screen once the app's start-up batch has ended (see below)."""
        # Textual mounts the app inside a batch that drops every frame drawn in it;
        # a screen pushed here would paint its first full frame into that batch and
        # appear only at its next full layout (tens of ms later), so push it after.
        self.call_later(self._show_first_screen)

    def _show_first_screen(self) -> None:
        """Show the first screen: home, or the screen the command line asked for."""
        # Each screen's module is imported only when it is shown: the capture screen
        # imports neither pydantic nor sqlite-utils, the others do.
        if self.start_session is None:
            from dialoog.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
            return
        # Straight to the asked screen; home is built only when the chair leaves it
        # (see pop_screen), which keeps start-up short.
        if self.start_clock:
            from dialoog.tui.screens.clock import ClockScreen

            self.push_screen(ClockScreen(self.start_session))
        elif self.start_synthesis:
            from dialoog.tui.screens.synthesis import SynthesisScreen

            self.push_screen(SynthesisScreen(self.start_session))
        elif self.start_table is not None:
            from dialoog.tui.screens.capture import CaptureScreen

            # The capture screen's rules are all read; the rest waits for another screen.
            super().push_screen(
                CaptureScreen(self.start_session, self.start_table, preview=self.start_preview)
            )
        else:
            from dialoog.tui.screens.home import TablePickerScreen

            self.push_screen(TablePickerScreen(self.start_session))

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Show a screen on top; the first one after a capture start reads the rest of the CSS."""
        self._read_rest_css()
        return super().push_screen(*args, **kwargs)

    def switch_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Replace the top screen; the first one after a capture start reads the rest of the CSS."""
        self._read_rest_css()
        return super().switch_screen(*args, **kwargs)

    def _read_rest_css(self) -> None:
        """Read ``REST_CSS`` into the stylesheet if this start left it out (once)."""
        if self._rest_css_read:
            return
        self._rest_css_read = True
        self.css_path.append(REST_CSS)
        if self.css_monitor is not None:  # textual run --dev: reload it on change too
            self.css_monitor.add_paths([REST_CSS])
        self.stylesheet.read(REST_CSS)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def pop_screen(self) -> AwaitComplete:
        """Go back a screen; leaving the first screen of a direct start shows home."""
        from dialoog.tui.screens.home import HomeScreen

        if len(self.screen_stack) <= 2 and not isinstance(self.screen, HomeScreen):
            if self.served:  # a link opens its screen only: leaving it closes the app
                self.call_later(self.action_quit)
                return AwaitComplete.nothing()
            return self.switch_screen(HomeScreen())
        return super().pop_screen()

    def open_session(self, session_id: str) -> None:
        """Show the table picker of a session."""
        from dialoog.tui.screens.home import TablePickerScreen

        self.push_screen(TablePickerScreen(session_id))

    def open_capture(
        self,
        session_id: str,
        table: int,
        *,
        item: int | None = None,
        focus_note_id: str | None = None,
    ) -> None:
        """Show the capture screen of one table (at ``item``, ``focus_note_id`` selected)."""
        from dialoog.tui.screens.capture import CaptureScreen

        self.push_screen(CaptureScreen(session_id, table, item=item, focus_note_id=focus_note_id))

    def open_clock(self, session_id: str) -> None:
        """Show the clock of a session (for the chair of the day)."""
        from dialoog.tui.screens.clock import ClockScreen

        self.push_screen(ClockScreen(session_id))

    def open_overview(self, session_id: str) -> None:
        """Show the overview of every table of a session."""
        from dialoog.tui.screens.overview import OverviewScreen

        self.push_screen(OverviewScreen(session_id))

    def open_synthesis(self, session_id: str) -> None:
        """Show the secretary's synthesis screen of a session."""
        from dialoog.tui.screens.synthesis import SynthesisScreen

        self.push_screen(SynthesisScreen(session_id))

    def open_participants(self, session_id: str) -> None:
        """Show the participants screen of a session."""
        from dialoog.tui.screens.participants import ParticipantsScreen

        self.push_screen(ParticipantsScreen(session_id))

    def open_search(self, **where: Any) -> None:
        """Show the search screen; ``session_id=...`` narrows it to one session."""
        from dialoog.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen(**where))

    def create_session_from(self, plan: object) -> None:
        """Create a session from a plan (or a past session's plan) and open it."""
        from dialoog.models import SessionPlan

        assert isinstance(plan, SessionPlan)

        def created(session: object) -> None:
            message = _("Session created: {id}").format(id=session.id)  # type: ignore[attr-defined]
            safe_notify(self, message)
            self.refresh_home()
            self.open_session(session.id)  # type: ignore[attr-defined]

        self.writer.submit(lambda s: s.create_session(plan), on_done=created)

    def refresh_home(self) -> None:
        """Reload the sessions on the home screen."""
        from dialoog.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload()

    async def action_quit(self) -> None:
        """Save every table's draft behind the notes being written, then quit.

        If the database does not take them within a few seconds, say so and
        stay; a second ctrl+q quits anyway.
        """
        from dialoog.tui.screens.capture import CaptureScreen

        if not self._quit_asked:
            for screen in self.screen_stack:
                if isinstance(screen, CaptureScreen) and screen.loaded:
                    self.writer.submit(screen.draft_job())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + QUIT_WAIT
        while self.writer.pending and loop.time() < deadline and not self.writer.failing:
            await asyncio.sleep(0.05)
        if self.writer.pending and not self._quit_asked:
            self._quit_asked = True
            safe_notify(
                self,
                _(
                    "Not everything typed is saved yet: {reason}. Press ctrl+q again to quit "
                    "anyway (the unsaved text will be lost)."
                ).format(reason=self.writer.failing or _("the database is slow")),
                severity="error",
                timeout=10,
            )
            return
        self.writer.stop()
        self.exit()

    def on_unmount(self) -> None:
        """Stop retrying writes: the app is gone."""
        self.writer.stop()


def create_app(
    db_path: Path,
    *,
    session_id: str | None = None,
    table: int | None = None,
    clock: bool = False,
    synthesis: bool = False,
    preview: SessionPreview | None = None,
) -> App:
    """Build the app (used by the command line and the tests).

    Args:
        db_path: the dialoog database; the app opens its own connections to it.
        session_id: open this session straight away.
        table: with ``session_id``, open the capture screen of this table.
        clock: with ``session_id``, open the clock screen for the chair of the day.
        synthesis: with ``session_id``, open the secretary's synthesis screen.
        preview: with ``session_id`` and ``table``, the session as read by
            :func:`dialoog.storage.peek.peek_session`, shown on the first screen.
    """
    return DialoogApp(
        db_path,
        session_id=session_id,
        table=table,
        clock=clock,
        synthesis=synthesis,
        preview=preview,
    )
