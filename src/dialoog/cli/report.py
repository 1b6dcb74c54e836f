"""Commands for the secretary: themes, suggestions, report drafts and their history.

Registered on the main ``dialoog`` group in :mod:`dialoog.cli`, imported only when used::

    dialoog report SESSION [--template verslag] [--format md|html|docx] [-o FILE]
    dialoog drafts SESSION            dialoog drafts diff A B
    dialoog themes list|add|rename|synthesis|contested|assign|unassign|move|merge|delete
    dialoog themes summary SESSION --item K TEXT
    dialoog suggest SESSION --item K [--accept N ...]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from dialoog.cli.support import human_errors
from dialoog.errors import DialoogError
from dialoog.i18n import _, ngettext
from dialoog.text import terminal_safe


def _echo(message: object, *, err: bool = False, nl: bool = True) -> None:
    """Print report text, titles or notes: no control character in them acts on a terminal."""
    click.echo(terminal_safe(str(message)), err=err, nl=nl)


# Notes in a session from which rendering shows a progress bar (on a terminal).
PROGRESS_FROM_NOTES = 2000


def _store(obj: Any):
    return obj.store()


def _item(store, session_id: str, ref: str) -> int:
    return store.resolve_item(store.get_session(session_id), ref)


_item_help = "Agenda item: its number, key (ronde-1) or a round's name (round 1)."


# -- report -----------------------------------------------------------------


@click.command("report")
@click.argument("subject", metavar="SESSION")
@click.option(
    "--template",
    default="verslag",
    show_default=True,
    help="Template name (verslag, report, tafelverslag, or one in $DIALOOG_HOME/templates) "
    "or a template file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "docx"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: Markdown and HTML to standard output, "
    ".docx to SESSION-TEMPLATE.docx).",
)
@click.option("--lang", "language", type=click.Choice(["nl", "en"]), help="Report language.")
@click.option("--no-save", is_flag=True, help="Do not keep this render in the draft history.")
@click.pass_obj
@human_errors
def report_cmd(
    obj: Any,
    subject: str,
    template: str,
    fmt: str,
    output: Path | None,
    language: str | None,
    no_save: bool,
) -> None:
    """Render a draft report of a session (or a series) and keep it in the history."""
    from dialoog.synthesis.drafts import make_draft

    store = _store(obj)
    try:
        notes = store.get_session(subject).note_count
    except DialoogError:
        notes = PROGRESS_FROM_NOTES  # a series: likely large
    with _progress_bar(fmt, show=sys.stderr.isatty() and notes >= PROGRESS_FROM_NOTES) as progress:
        rendered, draft = make_draft(
            store,
            subject,
            template=template,
            fmt=fmt,
            language=language,
            progress=progress,
            save=not no_save,
        )
    if output is None and fmt == "docx":
        output = Path(f"{subject}-{Path(template).stem}.docx")
    if output is None:
        _echo(rendered.text, nl=False)
    else:
        try:
            output.write_bytes(rendered.output)
        except OSError as exc:
            raise DialoogError(f"{output}: {exc.strerror or exc}") from None
    message = _("Saved draft {id}.").format(id=draft.id) if draft else _("Not saved (--no-save).")
    if output is not None:
        message = _("Wrote {file}. ").format(file=output) + message
    _echo(message, err=True)


@contextmanager
def _progress_bar(fmt: str, *, show: bool) -> Iterator[Callable[[str], None] | None]:
    """A rich progress bar on standard error over the stages of a render (or nothing).

    Yields the callback the renderer calls with each stage's name.
    """
    if not show:
        yield None
        return
    # Imported here: only a large report on a terminal draws a bar.
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from dialoog.synthesis.render import STAGES

    stages = STAGES[fmt]
    names = {
        "context": _("reading the session"),
        "render": _("filling the template"),
        "layout": _("laying out the Word file"),
        "package": _("packing the Word file"),
        "rendered": _("rendered"),
        "save": _("saving the draft"),
    }
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("Rendering"), total=len(stages))

        def progress(stage: str) -> None:
            if stage in stages:
                label = _("Rendering: {stage}").format(stage=names.get(stage, stage))
                bar.update(task, completed=stages.index(stage), description=label)
                bar.refresh()

        yield progress
        bar.update(task, completed=len(stages))


# -- drafts -----------------------------------------------------------------


class _DraftsGroup(click.Group):
    """``drafts SESSION`` lists; ``drafts diff A B`` and ``drafts show ID`` are subcommands."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["list", *args]
        return super().resolve_command(ctx, args)


@click.group("drafts", cls=_DraftsGroup)
def drafts_cmd() -> None:
    """Report drafts: `drafts SESSION` lists them, `drafts diff A B` compares two."""


@drafts_cmd.command("list")
@click.argument("subject", metavar="SESSION")
@click.pass_obj
@human_errors
def drafts_list(obj: Any, subject: str) -> None:
    """List the drafts of a session or series, oldest first."""
    from dialoog.synthesis.drafts import list_drafts

    drafts = list_drafts(_store(obj), subject)
    if not drafts:
        _echo(_("No drafts yet. Make one with: dialoog report {id}").format(id=subject))
        return
    for d in drafts:
        when = d.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        _echo(
            f"{d.id:5}  {when}  {Path(d.template).name:14} {d.format:5} "
            f"{d.size:9}  {d.context_hash[:12]}"
        )


@drafts_cmd.command("diff")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.pass_obj
@human_errors
def drafts_diff(obj: Any, old: int, new: int) -> None:
    """Show what changed between two Markdown (or HTML) drafts, as a unified diff."""
    from dialoog.synthesis.drafts import diff_drafts

    text = diff_drafts(_store(obj), old, new)
    _echo(text if text else _("The drafts are the same."), nl=not text)


@drafts_cmd.command("show")
@click.argument("draft_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@human_errors
def drafts_show(obj: Any, draft_id: int, output: Path | None) -> None:
    """Print a stored draft (or write it to a file; needed for .docx)."""
    from dialoog.synthesis.drafts import get_draft

    draft = get_draft(_store(obj), draft_id)
    assert draft.output is not None
    if output:
        output.write_bytes(draft.output)
    elif draft.format == "docx":
        raise DialoogError(_("draft {id} is a .docx file; give -o FILE").format(id=draft_id))
    else:
        _echo(draft.output.decode("utf-8"), nl=False)


# -- themes -----------------------------------------------------------------


@click.group("themes")
def themes_cmd() -> None:
    """Themes per agenda item: create, rename, write, assign notes, order."""


def _show_theme(theme, store=None) -> None:
    flag = " [" + _("contested") + "]" if theme.contested else ""
    n = len(theme.note_ids)
    count = ngettext("{n} note", "{n} notes", n).format(n=n)
    _echo(f"{theme.id:4}  {theme.title}{flag}  ({count})")


@themes_cmd.command("list")
@click.argument("session_id", metavar="SESSION")
@click.option("--item", help=_item_help)
@click.option("--notes", "with_notes", is_flag=True, help="Show each theme's notes too.")
@click.pass_obj
@human_errors
def themes_list(obj: Any, session_id: str, item: str | None, with_notes: bool) -> None:
    """List themes with their coverage ("4 of 7 tables")."""
    from dialoog.synthesis.context import build_context

    store = _store(obj)
    position = _item(store, session_id, item) if item else None
    context = build_context(store, session_id, language="en")
    for entry in context.sessions[0].programme:
        if position is not None and entry.position != position:
            continue
        for theme in entry.themes:
            flag = " [" + _("contested") + "]" if theme.contested else ""
            _echo(f"{theme.id:4}  {entry.key:12} {theme.title}{flag}  ({theme.coverage.text})")
            if with_notes:
                for note in theme.notes:
                    where = _("table {n}").format(n=note.table)
                    _echo(f"        {where}: {note.text}")


@themes_cmd.command("add")
@click.argument("session_id", metavar="SESSION")
@click.option("--item", required=True, help=_item_help)
@click.option("--note", "note_ids", multiple=True, help="A note id to put in the theme.")
@click.argument("title")
@click.pass_obj
@human_errors
def themes_add(obj: Any, session_id: str, item: str, note_ids: tuple[str, ...], title: str) -> None:
    """Create a theme for an agenda item; prints its id."""
    from dialoog.synthesis.themes import create_theme

    store = _store(obj)
    theme = create_theme(
        store, session_id, _item(store, session_id, item), title, note_ids=note_ids
    )
    _echo(theme.id)


@themes_cmd.command("rename")
@click.argument("theme_id", type=int)
@click.argument("title")
@click.pass_obj
@human_errors
def themes_rename(obj: Any, theme_id: int, title: str) -> None:
    """Give a theme a new title."""
    from dialoog.synthesis.themes import rename_theme

    _show_theme(rename_theme(_store(obj), theme_id, title))


@themes_cmd.command("synthesis")
@click.argument("theme_id", type=int)
@click.argument("text")
@click.pass_obj
@human_errors
def themes_synthesis(obj: Any, theme_id: int, text: str) -> None:
    """Write the synthesis paragraph of a theme (- reads it from standard input)."""
    from dialoog.synthesis.themes import update_theme

    if text == "-":
        text = sys.stdin.read().strip()
    _show_theme(update_theme(_store(obj), theme_id, synthesis=text))


@themes_cmd.command("contested")
@click.argument("theme_id", type=int)
@click.option("--no", "undo", is_flag=True, help="Mark it as not contested.")
@click.pass_obj
@human_errors
def themes_contested(obj: Any, theme_id: int, undo: bool) -> None:
    """Mark a theme as one the tables disagreed on."""
    from dialoog.synthesis.themes import set_contested

    _show_theme(set_contested(_store(obj), theme_id, not undo))


@themes_cmd.command("assign")
@click.argument("theme_id", type=int)
@click.argument("note_ids", nargs=-1, required=True)
@click.pass_obj
@human_errors
def themes_assign(obj: Any, theme_id: int, note_ids: tuple[str, ...]) -> None:
    """Put notes in a theme (several at once)."""
    from dialoog.synthesis.themes import assign_notes

    _show_theme(assign_notes(_store(obj), theme_id, note_ids))


@themes_cmd.command("unassign")
@click.argument("theme_id", type=int)
@click.argument("note_ids", nargs=-1, required=True)
@click.pass_obj
@human_errors
def themes_unassign(obj: Any, theme_id: int, note_ids: tuple[str, ...]) -> None:
    """Take notes out of a theme."""
    from dialoog.synthesis.themes import unassign_notes

    _show_theme(unassign_notes(_store(obj), theme_id, note_ids))


@themes_cmd.command("move")
@click.argument("theme_id", type=int)
@click.option("--up", "direction", flag_value=-1, help="One place earlier.")
@click.option("--down", "direction", flag_value=1, default=True, help="One place later.")
@click.pass_obj
@human_errors
def themes_move(obj: Any, theme_id: int, direction: int) -> None:
    """Move a theme up or down in its item's order."""
    from dialoog.synthesis.themes import move_theme

    move_theme(_store(obj), theme_id, direction)


@themes_cmd.command("merge")
@click.argument("keep_id", type=int)
@click.argument("other_ids", type=int, nargs=-1, required=True)
@click.pass_obj
@human_errors
def themes_merge(obj: Any, keep_id: int, other_ids: tuple[int, ...]) -> None:
    """Merge other themes into KEEP_ID (their notes move, they are deleted)."""
    from dialoog.synthesis.themes import merge_themes

    _show_theme(merge_themes(_store(obj), keep_id, other_ids))


@themes_cmd.command("delete")
@click.argument("theme_id", type=int)
@click.pass_obj
@human_errors
def themes_delete(obj: Any, theme_id: int) -> None:
    """Delete a theme; its notes stay."""
    from dialoog.synthesis.themes import delete_theme

    delete_theme(_store(obj), theme_id)


@themes_cmd.command("summary")
@click.argument("session_id", metavar="SESSION")
@click.option("--item", required=True, help=_item_help)
@click.argument("text")
@click.pass_obj
@human_errors
def themes_summary(obj: Any, session_id: str, item: str, text: str) -> None:
    """Write the summary of a keynote, panel, presentation or round (- reads stdin)."""
    from dialoog.synthesis.themes import set_summary

    if text == "-":
        text = sys.stdin.read().strip()
    store = _store(obj)
    set_summary(store, session_id, _item(store, session_id, item), text)


# -- suggestions ------------------------------------------------------------


@click.command("suggest")
@click.argument("session_id", metavar="SESSION")
@click.option("--item", required=True, help=_item_help)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Similarity at which groups merge (default 0.25; lower gives bigger groups).",
)
@click.option(
    "--accept",
    "accepted",
    type=int,
    multiple=True,
    help="Make a theme of suggestion N (repeatable).",
)
@click.option(
    "--like",
    "like",
    type=int,
    default=None,
    metavar="THEME_ID",
    help="More like this: the item's notes not in a theme, closest to theme THEME_ID first.",
)
@click.pass_obj
@human_errors
def suggest_cmd(
    obj: Any,
    session_id: str,
    item: str,
    threshold: float | None,
    accepted: tuple[int, ...],
    like: int | None,
) -> None:
    """Suggest themes: groups of similar notes from several tables. Nothing changes
    unless you --accept a group."""
    from dialoog.synthesis.suggest import DEFAULT_THRESHOLD, accept_suggestion, suggest_themes

    store = _store(obj)
    position = _item(store, session_id, item)
    if like is not None:
        _more_like(store, session_id, position, like)
        return
    groups = suggest_themes(store, session_id, position, threshold=threshold or DEFAULT_THRESHOLD)
    if not groups:
        _echo(
            _("No strong groups: no notes from several tables are clearly more alike than chance.")
        )
        return
    for n, group in enumerate(groups, start=1):
        tables = ", ".join(str(t) for t in group.tables)
        label = _("tables {numbers}").format(numbers=tables)
        _echo(f"{n:3}. {group.label}  ({label})")
        for text in group.texts:
            _echo(f"       - {text}")
    for n in accepted:
        if not 1 <= n <= len(groups):
            raise DialoogError(
                _("no suggestion {n} (there are {count})").format(n=n, count=len(groups))
            )
    for n in accepted:
        theme = accept_suggestion(store, session_id, position, groups[n - 1])
        _echo(_("Accepted {n} as theme {id}: {title}").format(n=n, id=theme.id, title=theme.title))


def _more_like(store: Any, session_id: str, item: int, theme_id: int) -> None:
    """Print the item's unassigned notes ranked by closeness to a theme."""
    from dialoog.synthesis.similar import more_like_theme
    from dialoog.synthesis.themes import get_theme

    theme = get_theme(store, theme_id)
    if theme.session_id != session_id or theme.item != item:
        raise DialoogError(_("theme {id} is not a theme of this agenda item").format(id=theme_id))
    ranked = more_like_theme(store, theme_id)
    if not ranked:
        _echo(_("No notes left outside the themes."))
        return
    for n, note in enumerate(ranked, start=1):
        _echo(f"{n:3}. {note.score:.2f}  [{note.table}] {note.text}  ({note.id})")


def register(cli: click.Group) -> None:
    """Add the report, drafts, themes and suggest commands to the main group."""
    for command in (report_cmd, drafts_cmd, themes_cmd, suggest_cmd):
        cli.add_command(command)
