"""``dialoog sessions``, ``new`` and ``demo``: list and create sessions.

A new session comes from a plan file (:mod:`dialoog.plans`) or from an earlier
session (``--from``, through :func:`dialoog.cli.history.new_from`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from dialoog.cli.support import Context, human_errors, parse_date, pass_ctx
from dialoog.i18n import _
from dialoog.text import terminal_safe

if TYPE_CHECKING:
    from dialoog.models import SessionPlan


@click.command()
@pass_ctx
@human_errors
def sessions(ctx: Context) -> None:
    """List sessions, newest first, with date, title and number of notes."""
    rows = ctx.store().list_sessions()
    if not rows:
        click.echo(_("No sessions yet. Try: dialoog demo, or dialoog new --plan skills"))
        return
    width = max(len(s.id) for s in rows)  # a long id must not push its row out of line
    for s in rows:
        date = s.date.isoformat() if s.date else "          "
        line = f"{terminal_safe(s.id, one_line=True):{width}} {date}  {s.note_count:6}  {s.title}"
        click.echo(terminal_safe(line, one_line=True))


@click.command()
@click.option("--plan", "plan_ref", help="A plan file, or the name of a bundled plan.")
@click.option(
    "--from", "from_session", help="Copy the structure of this session (no notes) instead."
)
@click.option(
    "--with-participants", is_flag=True, help="With --from: copy participants and seating too."
)
@click.option("--title", help="Title of the new session (default: the plan's).")
@click.option("--date", callback=parse_date, help="Date of the new session, YYYY-MM-DD.")
@pass_ctx
@human_errors
def new(
    ctx: Context,
    plan_ref: str | None,
    from_session: str | None,
    with_participants: bool,
    title: str | None,
    date: dt.date | None,
) -> None:
    """Create a session from a plan or an earlier session; prints its id on the last line."""
    if (plan_ref is None) == (from_session is None):
        raise click.UsageError(_("give exactly one of --plan and --from"))
    if from_session is not None and (plan_ref := _plan_of_meeting(ctx, from_session)):
        # An earlier meeting of the bundled series is, on a fresh install, only its plan.
        click.echo(
            _("No session {id} yet: made from the bundled plan of that name.").format(
                id=from_session
            )
        )
        from_session = None
    if from_session is not None:
        from dialoog.cli.history import new_from

        new_from(
            ctx.store(), from_session, title=title, date=date, with_participants=with_participants
        )
        return
    if with_participants:
        raise click.UsageError(_("--with-participants goes with --from"))
    from dialoog.plans import find_plan

    session_plan: SessionPlan = find_plan(plan_ref)
    session = ctx.store().create_session(session_plan, title=title, date=date)
    click.echo(terminal_safe(_("Created session {title}.").format(title=session.title)))
    click.echo(terminal_safe(session.id))


def _plan_of_meeting(ctx: Context, name: str) -> str | None:
    """``name`` when no session has that id but a bundled plan has that name, else None."""
    from dialoog.errors import DialoogError
    from dialoog.plans import find_plan

    if any(s.id == name for s in ctx.store().list_sessions()):
        return None
    try:
        find_plan(name)
    except DialoogError:
        return None
    return name


@click.command()
@pass_ctx
@human_errors
def demo(ctx: Context) -> None:
    """Create, once, a demo session with sample notes, and print its id."""
    from dialoog.demo import create_demo

    session, created = create_demo(ctx.store())
    if created:
        click.echo(
            terminal_safe(
                _("Created the demo session {title} with {count} notes.").format(
                    title=session.title, count=session.note_count
                )
            )
        )
    else:
        click.echo(_("The demo session already exists."))
    click.echo(session.id)
