"""Commands that open the terminal app: ``capture``, ``clock``, ``synthesis``, bare ``dialoog``.

This is the start-up path a table's note-taker waits on, so it imports only
click and :mod:`dialoog.cli.support`; the store, the models and Textual are
imported inside the commands, and ``capture`` reads the session with the
stdlib first (see :mod:`dialoog.storage.peek`).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from dialoog.cli.support import Context, human_errors, pass_ctx


def run_tui(context: Context, *, checked: bool = False, **kwargs: Any) -> None:
    """Open the terminal app on the database of ``context``; exit with its return code.

    ``kwargs`` go to :func:`dialoog.tui.app.create_app` (a session, a table, the clock).
    """
    # Refuse a bad database (one clear line) before the screen opens: the commands
    # that start on a session have opened the store already to check it, or (checked)
    # have read it as an up-to-date dialoog database with dialoog.storage.peek.
    if not checked:
        context.store()
        context.close()
    from dialoog.tui.app import create_app

    app = create_app(context.db_path, **kwargs)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@click.command()
@click.option("--session", "session_id", required=True, help="Session id (see: dialoog sessions).")
@click.option("--table", type=int, required=True, help="Your table number.")
@pass_ctx
@human_errors
def capture(ctx: Context, session_id: str, table: int) -> None:
    """Take notes at a table: opens the capture screen straight away."""
    from dialoog.storage.peek import peek_session

    # The stdlib look shows the title on the first screen without waiting for the
    # store's imports; a database it cannot read so goes through the store.
    preview = peek_session(ctx.db_path, session_id, table)
    if preview is None:
        store = ctx.store()
        session = store.get_session(session_id)
        store.check_table(session, table)
    run_tui(ctx, checked=preview is not None, session_id=session_id, table=table, preview=preview)


@click.command()
@click.option("--session", "session_id", required=True, help="Session id (see: dialoog sessions).")
@pass_ctx
@human_errors
def clock(ctx: Context, session_id: str) -> None:
    """Run the clock as chair of the day: start, pause, extend and end rounds."""
    ctx.store().get_session(session_id)
    run_tui(ctx, session_id=session_id, clock=True)


@click.command()
@click.option("--session", "session_id", required=True, help="Session id (see: dialoog sessions).")
@pass_ctx
@human_errors
def synthesis(ctx: Context, session_id: str) -> None:
    """Open the secretary's synthesis screen of a session straight away."""
    ctx.store().get_session(session_id)
    run_tui(ctx, session_id=session_id, synthesis=True)
