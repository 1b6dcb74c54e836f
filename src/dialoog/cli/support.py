"""What every ``dialoog`` command module shares: the store, errors for people, dates.

Kept apart from the root group in :mod:`dialoog.cli` so that every command
module (sessions, notes, participants, history, reports, ...) can use it, and
so that importing it stays cheap: the command modules themselves are loaded
only when their command runs (see :class:`LazyGroup`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import sqlite3
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dialoog.errors import DialoogError
from dialoog.i18n import _

if TYPE_CHECKING:
    from dialoog.storage import Store

#: Exit code for a problem a person can fix (bad input, unknown session, usage).
EXIT_USAGE = 2


class Context:
    """Options shared by every command: where the database is."""

    def __init__(self, db: Path | None) -> None:
        if db is None:
            # Imported here: platformdirs is needed neither for help nor with --db.
            from dialoog.paths import default_db_path

            db = default_db_path()
        self.db_path = db
        self._store: Store | None = None

    def store(self) -> Store:
        """The store, opened on first use (imported late to keep ``--help`` fast)."""
        if self._store is None:
            from dialoog.storage import Store

            path = Path(self.db_path).expanduser()
            new = not path.is_file() or path.stat().st_size == 0
            self._store = Store.open(path)
            if new:
                # Never a fresh, empty database without saying so: the one in use
                # may have been moved or removed, or --db / DIALOOG_HOME mistyped.
                click.echo(
                    _("dialoog: started a new, empty database: {path}").format(path=path), err=True
                )
        return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None


#: Passes the shared :class:`Context` to a command as its first argument.
pass_ctx = click.make_pass_decorator(Context)


def root_context() -> Context:
    """The shared :class:`Context` of the running ``dialoog`` command."""
    return click.get_current_context().find_root().obj


def root_store() -> Store:
    """The store of the running ``dialoog`` command, opened on first use."""
    return root_context().store()


def human_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors a person can fix into one line and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DialoogError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.OperationalError as exc:
            raise click.ClickException(_("database error: {error}").format(error=exc)) from None
        except sqlite3.DatabaseError as exc:
            from dialoog.storage.connection import damaged, is_damage

            if not is_damage(exc):
                raise
            # Malformed pages surface wherever a command happens to read them;
            # one line for all of them, naming the file and what to do.
            raise click.ClickException(str(damaged(_current_db_path(), exc))) from None

    return wrapper


def _current_db_path() -> Path | str:
    """The running command's database file, for messages; "the database" outside a command."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, Context):
        return Path(obj.db_path).expanduser()
    return _("the database")


class LazyGroup(click.Group):
    """A command group whose feature commands are imported only when used.

    ``lazy`` maps a command name to ``"module:attribute"``. Starting
    ``dialoog capture`` then does not import the participants, history and
    report commands (and what they import), which keeps start-up short.
    ``short_help`` maps a command name to the one line the group's ``--help``
    lists for it (English, translated when shown), so that listing the commands
    imports none of them; a command without one is imported to ask it.
    """

    def __init__(
        self,
        *args: Any,
        lazy: dict[str, str] | None = None,
        short_help: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self.lazy_short_help = dict(short_help or {})
        self._listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, the lazy ones included, sorted."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module on first use.

        While the group lists its commands for ``--help``, a lazy command with a
        line in ``short_help`` is not imported: a stand-in carries that line.
        """
        if cmd_name in self.lazy and cmd_name not in self.commands:
            if self._listing and cmd_name in self.lazy_short_help:
                return click.Command(cmd_name, short_help=_(self.lazy_short_help[cmd_name]))
            module_name, attribute = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's list of commands, without importing the lazy ones (see :meth:`get_command`)."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


def help_texts(
    root: click.Command, name: str = "dialoog", *, loaded_only: bool = False
) -> Iterator[tuple[Any, str, str]]:
    """Every help text of ``root`` and the commands under it, lazy ones included.

    Yields ``(object, attribute, source)``: a command's ``help`` or
    ``short_help``, or a parameter's ``help`` (the ``--help`` option too), with
    the English text as click shows it (``inspect.cleandoc`` of the docstring).
    The source is remembered on the object, so a walk after
    :func:`translate_help` still yields the English text. With
    ``loaded_only``, a :class:`LazyGroup`'s commands not imported yet are left
    out (and stay unimported).
    """
    yield from _help_texts(
        click.Context(root, info_name=name, **root.context_settings), loaded_only
    )


def _help_texts(ctx: click.Context, loaded_only: bool = False) -> Iterator[tuple[Any, str, str]]:
    command = ctx.command
    targets: list[tuple[Any, str]] = [(command, "help"), (command, "short_help")]
    # The contexts mirror a real run, so the cached --help option gets the root's names (-h).
    targets += [(param, "help") for param in command.get_params(ctx)]
    for obj, attribute in targets:
        sources = obj.__dict__.setdefault("_dialoog_help_sources", {})
        if attribute not in sources:
            value = getattr(obj, attribute, None)
            sources[attribute] = inspect.cleandoc(value) if value else None
        if sources[attribute]:
            yield obj, attribute, sources[attribute]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            if loaded_only and isinstance(command, LazyGroup) and name not in command.commands:
                continue
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from _help_texts(
                    click.Context(sub, info_name=name, parent=ctx, **sub.context_settings),
                    loaded_only,
                )


def translate_help(root: click.Command, *, loaded_only: bool = False) -> None:
    """Put every help text under ``root`` into the current language (see :func:`help_texts`).

    With ``loaded_only``, only the commands already imported (the root's own
    help and the command asked about) are translated and nothing is imported.
    """
    for obj, attribute, source in help_texts(root, loaded_only=loaded_only):
        setattr(obj, attribute, _(source))


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A click callback for ``YYYY-MM-DD`` options."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("expected a date as YYYY-MM-DD, got {value!r}").format(value=value)
        ) from None
