"""``dialoog notes``: add, import and list notes from the command line.

``notes add`` and ``notes list`` start like small tools: on an existing,
up-to-date database they go through :mod:`dialoog.storage.quick` (standard
library only) and never import pydantic or sqlite-utils; anything else (a new
database, one to migrate, one to refuse) goes to :meth:`Context.store`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dialoog.cli.support import Context, human_errors, pass_ctx
from dialoog.errors import DialoogError
from dialoog.i18n import _, kind_label, ngettext
from dialoog.kinds import KIND_SYMBOLS
from dialoog.markers import parse_note
from dialoog.text import json_terminal_safe, terminal_safe
from dialoog.times import parse_stamp

if TYPE_CHECKING:
    from dialoog.storage.quick import QuickStore


@click.group()
def notes() -> None:
    """Add, import and list notes."""


def _quick(ctx: Context) -> QuickStore | None:
    """The quick store (see :mod:`dialoog.storage.quick`), or None to use the full one."""
    from dialoog.storage.quick import open_quick

    quick = open_quick(ctx.db_path)
    if quick is not None:
        click.get_current_context().call_on_close(quick.close)
    return quick


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
    quick = _quick(ctx)
    if quick is not None:
        session = quick.get_session(session_id)
        session.check_table(table)
        position = session.resolve_item(item)
        click.echo(
            quick.add_typed_note(
                session.id, table=table, item=position, raw=text, question=question
            )
        )
        return
    store, session, position = _place(ctx, session_id, table, item)
    note = store.add_typed_note(session.id, table=table, item=position, raw=text, question=question)
    click.echo(note.id)


def _read_lines(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The name to give in messages and the non-empty lines of ``source``, numbered.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` (Python's universal newlines) only:
    ``str.splitlines`` also breaks at
    U+2028, NEL, vertical tab, form feed and the separators ``\\x1c``-``\\x1e``,
    which would cut one note into several (Word writes a line break in a
    paragraph as a vertical tab). Within a note they become newlines.
    """
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
    lines = enumerate(re.split(r"\r\n|\r|\n", text), start=1)
    return name, [(n, line) for n, line in lines if line.strip()]


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
    from dialoog.storage.note_rows import check_text
    from dialoog.storage.store import NewNote

    store, session, position = _place(ctx, session_id, table, item)
    name, lines = _read_lines(file)
    pending: list[NewNote] = []
    for number, line in lines:
        parsed = parse_note(line)
        if not parsed.text:
            raise DialoogError(
                _("{file}, line {line}: only marks, no text; nothing imported").format(
                    file=name, line=number
                )
            )
        try:
            check_text(parsed.text)
        except DialoogError as exc:  # too long: say where, before anything is written
            raise DialoogError(
                _("{file}, line {line}: {problem}; nothing imported").format(
                    file=name, line=number, problem=exc
                )
            ) from None
        pending.append(NewNote(table, position, parsed.text, parsed.kind, tuple(parsed.tags)))
    ids = store.add_notes(session.id, pending)
    click.echo(
        ngettext("Imported {count} note.", "Imported {count} notes.", len(ids)).format(
            count=len(ids)
        )
    )


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
    quick = _quick(ctx)
    if quick is not None:
        _quick_list(quick, session_id, table, item, deleted, fmt)
        return
    store, session, position = _place(ctx, session_id, table, item)
    found = store.list_notes(session.id, table=table, item=position, include_deleted=deleted)
    if fmt == "json":
        data = [n.model_dump(mode="json", exclude={"revisions"}) for n in found]
        click.echo(json_terminal_safe(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    table_word = _("table")
    for n in found:
        agenda_item = session.item(n.item)
        where = agenda_item.key or str(n.item)
        question = f" v{n.question}" if n.question else ""
        tags = "".join(f" #{t}" for t in n.tags)
        gone = _(" (deleted)") if n.deleted else ""
        local = n.created_at.astimezone().strftime("%H:%M:%S")
        line = (
            f"{local}  {table_word} {n.table:<3} {where}{question}  "
            f"{KIND_SYMBOLS[n.kind]} {kind_label(n.kind)}: {n.text}{tags}{gone}"
        )
        click.echo(terminal_safe(line))


def _quick_list(
    quick: QuickStore, session_id: str, table: int | None, item: str | None, deleted: bool, fmt: str
) -> None:
    """``notes list`` through the quick store: the same lines as the store's path."""
    session = quick.get_session(session_id)
    if table is not None:
        session.check_table(table)
    position = session.resolve_item(item) if item is not None else None
    found = quick.list_notes(session.id, table=table, item=position, include_deleted=deleted)
    if fmt == "json":
        data = [n.as_json() for n in found]
        click.echo(json_terminal_safe(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    table_word = _("table")
    for n in found:
        where = session.item_key(n.item)
        question = f" v{n.question}" if n.question else ""
        tags = "".join(f" #{t}" for t in n.tags)
        gone = _(" (deleted)") if n.deleted_at else ""
        local = parse_stamp(n.created_at).astimezone().strftime("%H:%M:%S")
        line = (
            f"{local}  {table_word} {n.table:<3} {where}{question}  "
            f"{KIND_SYMBOLS[n.kind]} {kind_label(n.kind)}: {n.text}{tags}{gone}"
        )
        click.echo(terminal_safe(line))
