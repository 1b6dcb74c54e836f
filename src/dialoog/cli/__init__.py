"""The ``dialoog`` command line: the root group and :func:`main`.

Every command has ``--help``. Problems a person can fix (a bad plan file, an
unknown session, an empty note, a database that is not dialoog's) are printed
to stderr as one line each and exit with code 2, never as a traceback.

Each command group lives in its own module beside this one (``sessions``,
``notes``, ``plans``, ``app``, ``doctor``, ``participants``, ``history``,
``report``), with what they share in :mod:`dialoog.cli.support`. The root
group imports a command's module only when that command runs (see
:class:`~dialoog.cli.support.LazyGroup`), so ``dialoog capture`` and
``dialoog notes add`` start without loading the others.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dialoog import __version__
from dialoog.cli.support import EXIT_USAGE, Context, LazyGroup, translate_help
from dialoog.errors import DialoogError
from dialoog.i18n import N_, _, set_language
from dialoog.text import terminal_safe

#: Every command of the root group, as ``"module:attribute"``, imported only when used.
COMMANDS = {
    # sessions and the terminal app
    "sessions": "dialoog.cli.sessions:sessions",
    "new": "dialoog.cli.sessions:new",
    "demo": "dialoog.cli.sessions:demo",
    "capture": "dialoog.cli.app:capture",
    "clock": "dialoog.cli.app:clock",
    # plan files
    "plans": "dialoog.cli.plans:plans_cmd",
    "plan": "dialoog.cli.plans:plan",
    # notes, and the installation check
    "notes": "dialoog.cli.notes:notes",
    "doctor": "dialoog.cli.doctor:doctor",
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

#: The line ``dialoog --help`` lists for a command, so that listing imports none of
#: them; each must equal the command's own short help (``tests/test_import_hygiene.py``
#: checks). A command without a line here is imported when the list is shown.
SHORT_HELP = {
    "backup": N_("Back up the database; safe while dialoog runs elsewhere."),
    "capture": N_("Take notes at a table: opens the capture screen straight away."),
    "clock": N_("Run the clock as chair of the day: start, pause, extend and end rounds."),
    "demo": N_("Create, once, a demo session with sample notes, and print its id."),
    "doctor": N_("Check the installation and the database: versions, paths, integrity."),
    "drafts": N_("Report drafts: `drafts SESSION` lists them, `drafts diff A B` compares two."),
    "export": N_("Write a session's notes (every revision) and drafts to a bundle file."),
    "import": N_("Merge a bundle from another laptop; importing it again adds nothing."),
    "new": N_(
        "Create a session from a plan or an earlier session; prints its id on the last line."
    ),
    "notes": N_("Add, import and list notes."),
    "participants": N_("Participants: import, appendix order, roles, seating, privacy."),
    "plan": N_("Work with session plan files (TOML)."),
    "plans": N_("List the bundled plans and your own (in $DIALOOG_HOME/sessions)."),
    "report": N_("Render a draft report of a session (or a series) and keep it in the history."),
    "restore": N_("Replace the database with a backup, after checking the backup's integrity."),
    "search": N_("Search every session's notes, themes and drafts; parts of compounds count."),
    "sessions": N_("List sessions, newest first, with date, title and number of notes."),
    "suggest": N_("Suggest themes: groups of similar notes from several tables."),
    "themes": N_("Themes per agenda item: create, rename, write, assign notes, order."),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    short_help=SHORT_HELP,
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
        from dialoog.cli.app import run_tui

        run_tui(ctx.obj)


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


def _command_from_argv(argv: list[str]) -> str | None:
    """The root group's subcommand named in ``argv``, if it is one of its commands."""
    args = iter(argv)
    for arg in args:
        if arg in ("--db", "--lang"):
            next(args, None)
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _not_utf8(args: list[str]) -> str | None:
    """The first argument that is not UTF-8 text, shown with its bad bytes as ``\\xff``.

    Python decodes the command line with ``surrogateescape``: a byte that is not
    UTF-8 (``$'bad \\xff byte'`` in a shell) arrives as a lone surrogate, which
    cannot be stored or printed. Checked here, once, before any command runs.
    """
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                raw = arg.encode("utf-8", "surrogateescape")
                shown = raw.decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:  # a surrogate no byte stands for (not from a shell)
                shown = arg
            return terminal_safe(shown, one_line=True)
    return None


def _error(message: str) -> None:
    """Write one error line on stderr; user text in it is made safe for the terminal."""
    text = _("dialoog: error: {message}").format(message=message)
    click.echo(terminal_safe(text, one_line=True), err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``dialoog`` console script."""
    args = sys.argv[1:] if argv is None else list(argv)
    set_language(_language_from_argv(args))
    bad = _not_utf8(args)
    if bad is not None:
        _error(
            _(
                "argument '{arg}' is not UTF-8 text; use UTF-8 on the command line (nothing done)"
            ).format(arg=bad)
        )
        sys.exit(EXIT_USAGE)
    if "-h" in args or "--help" in args:
        # Only the command asked about is imported (and translated), not all of them.
        name = _command_from_argv(args)
        if name is not None:
            cli.get_command(click.Context(cli, info_name="dialoog"), name)
        translate_help(cli, loaded_only=True)
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
        _error(message)
        sys.exit(EXIT_USAGE)
    except DialoogError as exc:
        for line in str(exc).split("\n"):
            _error(line)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    if isinstance(code, int) and code:
        sys.exit(code)
