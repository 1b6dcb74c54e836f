"""``dialoog doctor``: check the installation and the database.

The checks themselves live in :mod:`dialoog.doctor`; this module prints them.
"""

from __future__ import annotations

import sys

import click

from dialoog.cli.support import EXIT_USAGE, Context, pass_ctx


@click.command()
@pass_ctx
def doctor(ctx: Context) -> None:
    """Check the installation and the database: versions, paths, integrity.

    Exit code 2 when a check fails (a damaged database lists what
    integrity_check found and what to do).
    """
    from dialoog.doctor import run_checks

    failed = False
    for label, value, level in run_checks(ctx.db_path):
        failed = failed or level == "fail"
        click.echo(f"{level:5} {label:18} {value}")
    if failed:
        sys.exit(EXIT_USAGE)
