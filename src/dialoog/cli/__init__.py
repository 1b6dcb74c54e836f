"""The ``dialoog`` command line.

Every command has ``--help``. Problems a person can fix (a bad plan file, an
unknown session, an empty note, a database that is not dialoog's) are printed
to stderr as one line each and exit with code 2, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dialoog import __version__
from dialoog.cli.support import Context, LazyGroup, human_errors, parse_date, translate_help
from dialoog.errors import DialoogError, PlanError
from dialoog.i18n import _, kind_label, set_language
from dialoog.kinds import KIND_SYMBOLS
from dialoog.markers import parse_note

if TYPE_CHECKING:
    from dialoog.models import SessionPlan

# The models (pydantic) and plans are imported inside the commands that use them:
# `dialoog capture` starts the app without them (see dialoog.peek).

EXIT_USAGE = 2


pass_ctx = click.make_pass_decorator(Context)


def _fail(message: str) -> None:
    raise click.ClickException(message)


#: Commands of the later features, imported only when used (see LazyGroup).
FEATURE_COMMANDS = {
    # participants (issue 5)
    "participants": "dialoog.cli.participants:participants",
    # history: search, export/import, backup/restore (issue 6)
    "search": "dialoog.cli.history:search_cmd",
    "export": "dialoog.cli.history:export_cmd",
    "import": "dialoog.cli.history:import_cmd",
    "backup": "dialoog.cli.history:backup_cmd",
    "restore": "dialoog.cli.history:restore_cmd",
    # report and drafts (issue 4)
    "report": "dialoog.cli.report:report_cmd",
    "drafts": "dialoog.cli.report:drafts_cmd",
    "themes": "dialoog.cli.report:themes_cmd",
    "suggest": "dialoog.cli.report:suggest_cmd",
}


@click.group(
    cls=LazyGroup,
    lazy=FEATURE_COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DIALOOG_DB",
    help="Database file (default: dialoog.db in $DIALOOG_HOME or the user data folder).",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    help="Language (default: $DIALOOG_LANG or the locale).",
)
@click.version_option(__version__, prog_name="dialoog")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, lang: str | None) -> None:
    """dialoog: run dialogue meetings, capture every table's notes, draft the report.

    Without a command, opens the terminal app on the sessions in the database.
    """
    set_language(lang)
    ctx.obj = Context(db)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj)


def _run_tui(context: Context, *, checked: bool = False, **kwargs: Any) -> None:
    # Refuse a bad database (one clear line) before the screen opens: the commands
    # that start on a session have opened the store already to check it, or (checked)
    # have read it as an up-to-date dialoog database with dialoog.peek.
    if not checked:
        context.store()
        context.close()
    from dialoog.tui.app import create_app

    app = create_app(context.db_path, **kwargs)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@cli.command()
@click.option("--session", "session_id", required=True, help="Session id (see: dialoog sessions).")
@click.option("--table", type=int, required=True, help="Your table number.")
@pass_ctx
@human_errors
def capture(ctx: Context, session_id: str, table: int) -> None:
    """Take notes at a table: opens the capture screen straight away."""
    from dialoog.peek import peek_session

    # The stdlib look shows the title on the first screen without waiting for the
    # store's imports; a database it cannot read so goes through the store.
    preview = peek_session(ctx.db_path, session_id, table)
    if preview is None:
        store = ctx.store()
        session = store.get_session(session_id)
        store.check_table(session, table)
    _run_tui(ctx, checked=preview is not None, session_id=session_id, table=table, preview=preview)


@cli.command()
@click.option("--session", "session_id", required=True, help="Session id (see: dialoog sessions).")
@pass_ctx
@human_errors
def clock(ctx: Context, session_id: str) -> None:
    """Run the clock as chair of the day: start, pause, extend and end rounds."""
    ctx.store().get_session(session_id)
    _run_tui(ctx, session_id=session_id, clock=True)


@cli.command()
@pass_ctx
@human_errors
def demo(ctx: Context) -> None:
    """Create, once, a demo session with sample notes, and print its id."""
    from dialoog.demo import create_demo

    session, created = create_demo(ctx.store())
    if created:
        click.echo(
            _("Created the demo session {title} with {count} notes.").format(
                title=session.title, count=session.note_count
            )
        )
    else:
        click.echo(_("The demo session already exists."))
    click.echo(session.id)


@cli.command("plans")
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


@cli.group(cls=LazyGroup, lazy={"export": "dialoog.cli.history:plan_export_cmd"})
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


@cli.command()
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
    click.echo(_("Created session {title}.").format(title=session.title))
    click.echo(session.id)


@cli.command()
@pass_ctx
@human_errors
def sessions(ctx: Context) -> None:
    """List sessions, newest first, with date, title and number of notes."""
    rows = ctx.store().list_sessions()
    if not rows:
        click.echo(_("No sessions yet. Try: dialoog demo, or dialoog new --plan skills"))
        return
    for s in rows:
        date = s.date.isoformat() if s.date else "          "
        click.echo(f"{s.id:34} {date}  {s.note_count:6}  {s.title}")


@cli.group()
def notes() -> None:
    """Add, import and list notes."""


def _place(ctx: Context, session_id: str, table: int | None, item: str | None):
    store = ctx.store()
    session = store.get_session(session_id)
    if table is not None:
        store.check_table(session, table)
    position = store.resolve_item(session, item) if item is not None else None
    return store, session, position


_session_opt = click.option("--session", "session_id", required=True, help="Session id.")
_item_help = "Agenda item: its number, key (ronde-1) or a round's name (round 1)."


@notes.command("add")
@_session_opt
@click.option("--table", type=int, required=True, help="Table number.")
@click.option("--item", required=True, help=_item_help)
@click.option("--question", type=click.IntRange(1, 3), help="Question 1, 2 or 3 of the round.")
@click.argument("text")
@pass_ctx
@human_errors
def notes_add(
    ctx: Context, session_id: str, table: int, item: str, question: int | None, text: str
) -> None:
    """Save one note (marks like ! ? " #knelpunt set its kind) and print its id."""
    store, session, position = _place(ctx, session_id, table, item)
    note = store.add_typed_note(session.id, table=table, item=position, raw=text, question=question)
    click.echo(note.id)


def _read_lines(source: str) -> list[tuple[int, str]]:
    if source == "-":
        data = sys.stdin.buffer.read()
        name = _("standard input")
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DialoogError(f"{source}: {exc.strerror or exc}") from None
        name = source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DialoogError(
            _("{file}, line {line}: not UTF-8 text; save the file as UTF-8").format(
                file=name, line=line
            )
        ) from None
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


@notes.command("import")
@click.argument("file")
@_session_opt
@click.option("--table", type=int, required=True, help="Table number.")
@click.option("--item", required=True, help=_item_help)
@pass_ctx
@human_errors
def notes_import(ctx: Context, file: str, session_id: str, table: int, item: str) -> None:
    """Import notes from a text file, one note per line (- reads standard input).

    All lines are saved in one transaction: all of them, or none.
    """
    from dialoog.storage.store import NewNote

    store, session, position = _place(ctx, session_id, table, item)
    pending: list[NewNote] = []
    for number, line in _read_lines(file):
        parsed = parse_note(line)
        if not parsed.text:
            raise DialoogError(
                _("{file}, line {line}: only marks, no text; nothing imported").format(
                    file=file, line=number
                )
            )
        pending.append(NewNote(table, position, parsed.text, parsed.kind, tuple(parsed.tags)))
    ids = store.add_notes(session.id, pending)
    click.echo(_("Imported {count} notes.").format(count=len(ids)))


@notes.command("list")
@_session_opt
@click.option("--table", type=int, help="Only this table.")
@click.option("--item", help=_item_help)
@click.option("--deleted", is_flag=True, help="Include deleted notes.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_ctx
@human_errors
def notes_list(
    ctx: Context, session_id: str, table: int | None, item: str | None, deleted: bool, fmt: str
) -> None:
    """List notes in the order they were taken."""
    store, session, position = _place(ctx, session_id, table, item)
    found = store.list_notes(session.id, table=table, item=position, include_deleted=deleted)
    if fmt == "json":
        data = [n.model_dump(mode="json", exclude={"revisions"}) for n in found]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table_word = _("table")
    for n in found:
        agenda_item = session.item(n.item)
        where = agenda_item.key or str(n.item)
        question = f" v{n.question}" if n.question else ""
        tags = "".join(f" #{t}" for t in n.tags)
        gone = _(" (deleted)") if n.deleted else ""
        local = n.created_at.astimezone().strftime("%H:%M:%S")
        click.echo(
            f"{local}  {table_word} {n.table:<3} {where}{question}  "
            f"{KIND_SYMBOLS[n.kind]} {kind_label(n.kind)}: {n.text}{tags}{gone}"
        )


@cli.command()
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


def _language_from_argv(argv: list[str]) -> str | None:
    """The value of ``--lang`` before the subcommand, if given."""
    args = iter(argv)
    for arg in args:
        if arg == "--lang":
            return next(args, None)
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            break
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``dialoog`` console script."""
    args = sys.argv[1:] if argv is None else list(argv)
    set_language(_language_from_argv(args))
    if "-h" in args or "--help" in args:
        translate_help(cli)
    try:
        code = cli.main(args=argv, prog_name="dialoog", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        message = exc.format_message().replace("\n", " ")
        usage_ctx = getattr(exc, "ctx", None)
        if isinstance(exc, click.UsageError) and usage_ctx is not None:
            message += " " + _("(see: {command} --help)").format(command=usage_ctx.command_path)
        click.echo(_("dialoog: error: {message}").format(message=message), err=True)
        sys.exit(EXIT_USAGE)
    except DialoogError as exc:
        for line in str(exc).splitlines():
            click.echo(_("dialoog: error: {message}").format(message=line), err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    if isinstance(code, int) and code:
        sys.exit(code)
