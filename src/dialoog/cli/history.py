"""Command line of the history feature: search, export/import bundles, backup/restore.

The commands are registered on the ``dialoog`` group in :mod:`dialoog.cli` (and
``plan export`` on the ``plan`` group of :mod:`dialoog.cli.plans`), imported
only when used. They reach the shared database through the root click
context's object (:func:`dialoog.cli.support.root_store`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from dialoog.cli.kinds import KindChoice
from dialoog.cli.support import human_errors, parse_date, root_context, root_store
from dialoog.i18n import _, kind_label
from dialoog.models import NoteKind


@click.command("search")
@click.argument("query")
@click.option("--session", "session_id", help="Only this session.")
@click.option("--series", help="Only sessions of this series (its slug).")
@click.option("--item", help="Only this agenda item: number, key (ronde-1) or round N.")
@click.option("--kind", type=KindChoice(), help="Only this kind.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--table", type=int, help="Only this table.")
@click.option("--since", callback=parse_date, help="From this session date, YYYY-MM-DD.")
@click.option("--until", callback=parse_date, help="Up to this session date, YYYY-MM-DD.")
@click.option(
    "--in",
    "sources",
    default="notes,themes,summaries,drafts",
    show_default=True,
    help="Where to look, comma-separated.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Show at most this many results, best first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@human_errors
def search_cmd(
    query: str,
    session_id: str | None,
    series: str | None,
    item: str | None,
    kind: str | None,
    tag: str | None,
    table: int | None,
    since: dt.date | None,
    until: dt.date | None,
    sources: str,
    limit: int,
    as_json: bool,
) -> None:
    """Search every session's notes, themes and drafts; parts of compounds count.

    "veiligheid" also finds "verkeersveiligheid". Results are ranked: whole words
    first, then parts of words, then notes with only some of the words.
    """
    from dialoog.history.search import SOURCES, SearchFilters, search
    from dialoog.text import json_terminal_safe, terminal_safe

    wanted = tuple(s.strip() for s in sources.split(",") if s.strip())
    unknown = [s for s in wanted if s not in SOURCES]
    if unknown:
        raise click.BadParameter(
            _("unknown source {name!r} (known: {known})").format(
                name=unknown[0], known=", ".join(SOURCES)
            ),
            param_hint="--in",
        )
    store = root_store()
    if session_id:
        store.get_session(session_id)
    filters = SearchFilters(
        session=session_id,
        series=series,
        item=item,
        kind=NoteKind(kind) if kind else None,
        tag=tag,
        table=table,
        date_from=since,
        date_to=until,
        sources=wanted,
    )
    hits = search(store, query, filters, limit=limit)
    if as_json:
        dumped = json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2)
        click.echo(json_terminal_safe(dumped))
        return
    if not hits:
        click.echo(_("Nothing found."))
        return
    for hit in hits:
        place = [hit.session_id or "-"]
        if hit.item is not None:
            place.append(hit.item_key or str(hit.item))
        if hit.table is not None:
            place.append(_("table {n}").format(n=hit.table))
        sources = {"theme": _("theme"), "summary": _("summary"), "draft": _("report draft")}
        what = kind_label(NoteKind(hit.kind)) if hit.kind else sources.get(hit.source, "")
        if hit.source == "draft" and hit.extra.get("formats"):
            what += f" ({', '.join(hit.extra['formats'])})"
        heading = f"{hit.rank:3}. {' · '.join(place)} · {what}  [{hit.match}]"
        click.echo(terminal_safe(heading, one_line=True))
        click.echo(terminal_safe(f"     {hit.snippet}", one_line=True))


@click.command("export")
@click.argument("session_id", metavar="SESSION")
@click.option("--table", type=int, help="Only the notes of this table.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bundle file to write (JSON).",
)
@human_errors
def export_cmd(session_id: str, table: int | None, output: Path) -> None:
    """Write a session's notes (every revision) and drafts to a bundle file."""
    from dialoog.history.bundle import export_bundle

    store = root_store()
    payload = export_bundle(store, session_id, output, table)
    revisions = sum(len(n["revisions"]) for n in payload["notes"])
    click.echo(
        _("Exported {notes} notes ({revisions} revisions) to {file}.").format(
            notes=len(payload["notes"]), revisions=revisions, file=output
        )
    )


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--session", "into", help="Merge into this local session (default: the bundle's own)."
)
@human_errors
def import_cmd(file: Path, into: str | None) -> None:
    """Merge a bundle from another laptop; importing it again adds nothing.

    All of the bundle is merged in one transaction, or none of it.
    """
    from dialoog.history.bundle import import_bundle, read_bundle

    # Read and check the whole file before the database is opened: a bundle that
    # is refused leaves it untouched, and a database named by mistake is never
    # opened by open() in a process holding a connection to it.
    with _progress_bar(_("Importing")) as progress:
        bundle = read_bundle(file)
        result = import_bundle(root_store(), bundle, into=into, source=str(file), progress=progress)
    if result.created_session:
        click.echo(_("Created session {id} from the bundle.").format(id=result.session_id))
    click.echo(
        _(
            "Merged into {id}: {new} new notes, {changed} notes changed, "
            "{revisions} new revisions, {drafts} drafts."
        ).format(
            id=result.session_id,
            new=result.new_notes,
            changed=result.changed_notes,
            revisions=result.new_revisions,
            drafts=result.drafts,
        )
    )


@contextlib.contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``rich.progress`` bar on stderr while the block runs, when stderr is a terminal.

    Yields the ``progress(done, total)`` callback to hand to the work (None when
    stderr is not a terminal: nothing is drawn and rich is not imported). The
    bar pulses until the first call gives it a total, and is removed at the end.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file (default: backups/ beside the database, with the time in its name).",
)
@click.option(
    "--even-if-damaged",
    is_flag=True,
    help="If the database is damaged, keep a copy anyway (NAME-DAMAGED.db, not a backup).",
)
@human_errors
def backup_cmd(output: Path | None, even_if_damaged: bool) -> None:
    """Back up the database; safe while dialoog runs elsewhere. Prints the file last.

    The database and the copy are checked first: a damaged database is not
    backed up (exit code 2, no file left). With --even-if-damaged its copy is
    kept for rescue under a name ending in -DAMAGED, still with exit code 2.
    """
    from dialoog.history.backup import make_backup

    ctx = root_context()
    ctx.close()
    info = make_backup(ctx.db_path, output, even_if_damaged=even_if_damaged)
    if info.problems:
        click.echo(str(info.path))
        raise click.ClickException(
            _(
                "{db}: the database is damaged ({problems}); a copy of it as it is was kept in "
                "{path}; it is not a backup. See: dialoog doctor"
            ).format(
                db=ctx.db_path,
                problems=" ".join("; ".join(info.problems).split())[:200],
                path=info.path,
            )
        )
    click.echo(
        _("Backed up {notes} notes ({size} bytes).").format(
            notes=info.note_count, size=info.size_bytes
        )
    )
    click.echo(str(info.path))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@human_errors
def restore_cmd(file: Path) -> None:
    """Replace the database with a backup, after checking the backup's integrity.

    The current database is first saved in backups/ (its name ends in
    -before-restore), so a restore can itself be undone.
    """
    from dialoog.history.backup import restore_backup

    ctx = root_context()
    ctx.close()
    safety = restore_backup(ctx.db_path, file)
    click.echo(_("Restored {file}.").format(file=file))
    if safety is not None:
        click.echo(_("The database as it was is saved in {path}").format(path=safety.path))


@click.command("export")
@click.argument("session_id", metavar="SESSION")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan file to write (TOML).",
)
@human_errors
def plan_export_cmd(session_id: str, output: Path) -> None:
    """Write a session's structure as a plan file (TOML) to start a later meeting from."""
    from dialoog.history.reuse import export_plan

    plan = export_plan(root_store(), session_id, output)
    click.echo(
        _("Wrote the plan {slug} ({items} agenda items, {tables} tables) to {file}.").format(
            slug=plan.slug, items=len(plan.agenda), tables=len(plan.tables), file=output
        )
    )


def new_from(
    store: Any,
    source_id: str,
    *,
    title: str | None,
    date: dt.date | None,
    with_participants: bool,
) -> None:
    """``dialoog new --from``: copy a session's structure; the new id on the last line."""
    from dialoog.history.reuse import new_from_session

    session = new_from_session(
        store, source_id, title=title, date=date, with_participants=with_participants
    )
    click.echo(
        _("Created session {title} from {source}.").format(title=session.title, source=source_id)
    )
    click.echo(session.id)


#: Commands for the ``dialoog`` group.
COMMANDS = (search_cmd, export_cmd, import_cmd, backup_cmd, restore_cmd)
