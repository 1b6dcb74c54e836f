"""Command palette entries: open a session, its clock or overview; new session from a plan.

The palette reads a ``str`` as markup; a session or plan title is user text, so
every entry is handed over as :class:`~textual.content.Content` (never parsed),
its control characters made visible.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from dialoog.i18n import _
from dialoog.text import terminal_safe
from dialoog.tui.host import Host, host_of

if TYPE_CHECKING:
    from dialoog.models import Session, SessionPlan


def _load(host: Host) -> tuple[list[Session], list[SessionPlan]]:
    from dialoog.models import SessionPlan
    from dialoog.plans import discover_plans

    sessions = host.reader.run(lambda s: s.list_sessions())
    plans = [p.plan for p in discover_plans() if isinstance(p.plan, SessionPlan)]
    return sessions, plans


def _highlight(matcher: Matcher, text: str) -> Content:
    """``text`` with the letters ``matcher`` matched in its style; never read as markup.

    :meth:`Matcher.highlight` would parse ``text`` as markup (a title ``[/]`` crashed it).
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class SessionCommands(Provider):
    """Sessions to open (capture, clock, overview) and plans to start a session from."""

    async def startup(self) -> None:
        """Read sessions and plans in a thread, away from the event loop."""
        worker = self.app.run_worker(
            partial(_load, host_of(self.app)), thread=True, exit_on_error=False
        )
        await self.app.workers.wait_for_complete([worker])
        self.sessions, self.plans = worker.result or ([], [])

    def _commands(self) -> list[tuple[str, Callable[[], None], str]]:
        app = host_of(self.app)
        out: list[tuple[str, Callable[[], None], str]] = [
            (
                _("Search every session"),
                app.open_search,
                _("Find notes, themes and drafts by a word or a part of a word"),
            )
        ]
        for session in self.sessions:
            label = terminal_safe(f"{session.title} ({session.id})", one_line=True)
            out.append(
                (
                    _("Open session: {label}").format(label=label),
                    partial(app.open_session, session.id),
                    _("Choose a table and take notes"),
                )
            )
            out.append(
                (
                    _("Clock: {label}").format(label=label),
                    partial(app.open_clock, session.id),
                    _("Run the programme as chair of the day"),
                )
            )
            out.append(
                (
                    _("Overview: {label}").format(label=label),
                    partial(app.open_overview, session.id),
                    _("Notes of every table for the current round"),
                )
            )
            out.append(
                (
                    _("New session like: {label}").format(label=label),
                    partial(app.create_session_from, session.plan),
                    _("Copy the structure of this session, without its notes"),
                )
            )
        for plan in self.plans:
            out.append(
                (
                    _("New session from plan: {title}").format(
                        title=terminal_safe(plan.title, one_line=True)
                    ),
                    partial(app.create_session_from, plan),
                    _("Create a session from this plan file"),
                )
            )
        return out

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for text, command, help_text in self._commands():
            yield DiscoveryHit(Content(text), command, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands matching what is typed."""
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), command, text=text, help=help_text)
            await asyncio.sleep(0)
