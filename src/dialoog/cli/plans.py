"""``dialoog plans`` and ``dialoog plan``: list, validate and export session plan files.

``plan export`` lives with the history commands (:mod:`dialoog.cli.history`)
and is imported only when used.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dialoog.cli.support import EXIT_USAGE, LazyGroup, human_errors
from dialoog.errors import PlanError
from dialoog.i18n import _

# The models (pydantic) and plans are imported inside the commands that use them,
# like everywhere under dialoog.cli, to keep start-up short.


@click.command("plans")
@human_errors
def plans_cmd() -> None:
    """List the bundled plans and your own (in $DIALOOG_HOME/sessions)."""
    from dialoog.models import SeriesPlan
    from dialoog.plans import discover_plans

    for plan_file in discover_plans():
        plan = plan_file.plan
        origin = _("bundled") if plan_file.bundled else _("yours")
        if isinstance(plan, SeriesPlan):
            kind = _("series")
            click.echo(f"{plan.slug:28} {kind:10} {'':10} {plan.title}  [{origin}]")
        else:
            date = plan.date.isoformat() if plan.date else ""
            kind = _("session")
            click.echo(f"{plan.slug:28} {kind:10} {date:10} {plan.title}  [{origin}]")


@click.group(cls=LazyGroup, lazy={"export": "dialoog.cli.history:plan_export_cmd"})
def plan() -> None:
    """Work with session plan files (TOML)."""


@plan.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def plan_validate(files: tuple[Path, ...]) -> None:
    """Check plan files; print one line per problem naming the file and line or field."""
    from dialoog.models import SeriesPlan
    from dialoog.plans import load_plan

    problems: list[str] = []
    for path in files:
        try:
            loaded = load_plan(path)
        except PlanError as exc:
            problems.extend(exc.problems)
            continue
        kind = _("series") if isinstance(loaded, SeriesPlan) else _("session")
        click.echo(_("{file}: ok ({kind} {slug})").format(file=path, kind=kind, slug=loaded.slug))
    for line in problems:
        click.echo(line, err=True)
    if problems:
        sys.exit(EXIT_USAGE)
