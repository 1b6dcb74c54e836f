"""``dialoog doctor``: check the installation and the database.

The checks themselves live in :mod:`dialoog.doctor`; this module prints them.
"""

from __future__ import annotations

import sys

import click

from dialoog.cli.support import Context, pass_ctx


@click.command()
@pass_ctx
def doctor(ctx: Context) -> None:
    """Check the installation and the database: versions, paths, integrity."""
    from dialoog.doctor import run_checks

    failed = False
    for label, value, level in run_checks(ctx.db_path):
        failed = failed or level == "fail"
        click.echo(f"{level:5} {label:18} {value}")
    if failed:
        sys.exit(1)
