"""The core works without Textual: every module outside ``dialoog.tui`` imports without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import dialoog


def core_modules() -> list[str]:
    """Every dialoog module except the terminal app."""
    names = [
        m.name
        for m in pkgutil.walk_packages(dialoog.__path__, prefix="dialoog.")
        if not m.name.startswith("dialoog.tui")
    ]
    return sorted(names)


def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    assert {"dialoog.models", "dialoog.plans", "dialoog.storage.store", "dialoog.cli"} <= set(
        modules
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    if name != 'dialoog.__main__':\n"
        "        importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"textual imported by the core: {result.stdout}{result.stderr}"


def test_layers_import_only_downwards() -> None:
    """storage never imports synthesis, tui or cli; synthesis never imports tui or cli."""
    forbidden = {
        "dialoog.storage": ("dialoog.synthesis", "dialoog.tui", "dialoog.cli"),
        "dialoog.models": ("dialoog.storage", "dialoog.synthesis", "dialoog.tui", "dialoog.cli"),
        "dialoog.synthesis": ("dialoog.tui", "dialoog.cli"),
    }
    for package, banned in forbidden.items():
        code = (
            "import importlib, pkgutil, sys\n"
            f"pkg = importlib.import_module({package!r})\n"
            "if hasattr(pkg, '__path__'):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            f"bad = sorted(m for m in sys.modules if m.startswith({banned!r}))\n"
            "print(','.join(bad))\n"
            "sys.exit(1 if bad else 0)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{package} imports {result.stdout}{result.stderr}"


def test_capture_path_waits_for_neither_pydantic_nor_sqlite_utils() -> None:
    """``dialoog capture`` draws its first screen before the store's imports are done."""
    code = (
        "import sys\n"
        "import dialoog.cli, dialoog.storage.peek, dialoog.tui.app, dialoog.tui.screens.capture\n"
        "bad = sorted(m for m in ('pydantic', 'sqlite_utils', 'dialoog.models',"
        " 'dialoog.storage.connection', 'dialoog.storage.store') if m in sys.modules)\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"imported on the capture path: {result.stdout}{result.stderr}"


#: What a small command must not wait for: each costs more to import than the work.
HEAVY = ("pydantic", "sqlite_utils", "textual", "jinja2", "dialoog.models", "docxtpl")


def _imported_by(args: list[str], env_db: str | None = None) -> tuple[set[str], str]:
    """The heavy modules (and dialoog.cli.* modules) a real ``dialoog ARGS`` run imports."""
    code = (
        "import sys, atexit\n"
        "def report():\n"
        "    names = sorted(m for m in sys.modules if m.split('.')[0] in"
        f" {[h for h in HEAVY if '.' not in h]!r} or m in {list(HEAVY)!r}"
        " or m.startswith('dialoog.cli.'))\n"
        "    sys.stderr.write('IMPORTED:' + ','.join(names) + '\\n')\n"
        "atexit.register(report)\n"
        "from dialoog.cli import main\n"
        f"sys.argv = ['dialoog', *{args!r}]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    line = [x for x in result.stderr.splitlines() if x.startswith("IMPORTED:")][-1]
    names = {n for n in line.removeprefix("IMPORTED:").split(",") if n}
    return names, result.stdout + result.stderr


def test_group_help_imports_no_command_module_and_nothing_heavy() -> None:
    names, out = _imported_by(["--help"])
    assert "Add, import and list notes." in out  # the commands are still listed
    assert names == {"dialoog.cli.support"}, names
    names, out = _imported_by(["--lang", "nl", "--help"])
    assert "Notities toevoegen, importeren en tonen." in out
    assert names == {"dialoog.cli.support"}, names


def test_a_command_help_imports_only_that_command() -> None:
    names, out = _imported_by(["notes", "add", "--help"])
    assert "Save one note" in out
    assert names == {"dialoog.cli.support", "dialoog.cli.notes"}, names


def test_notes_add_and_list_import_neither_pydantic_nor_sqlite_utils(tmp_path) -> None:
    """On an existing database, ``notes add`` and ``notes list`` stay on the standard library."""
    db = str(tmp_path / "d.db")
    setup = subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", db, "demo"], capture_output=True, timeout=120
    )
    assert setup.returncode == 0, setup.stderr
    add = ["--db", db, "notes", "add", "--session", "demo", "--table", "1", "--item", "1"]
    names, out = _imported_by([*add, "! a quick note #snel"])
    assert not names & set(HEAVY), names
    names, out = _imported_by(["--db", db, "notes", "list", "--session", "demo", "--table", "1"])
    assert "recommendation: a quick note #snel" in out
    assert not names & set(HEAVY), names


def test_short_help_table_matches_each_command() -> None:
    """The lines ``dialoog --help`` shows without importing equal the commands' own."""
    import click

    from dialoog.cli import COMMANDS, SHORT_HELP, cli
    from dialoog.cli.support import translate_help
    from dialoog.i18n import set_language

    missing = sorted(set(COMMANDS) - set(SHORT_HELP))
    assert not missing, f"add a SHORT_HELP line (cli/__init__.py) for: {missing}"
    assert set(SHORT_HELP) <= set(COMMANDS)
    # Other tests may have put the help into Dutch in this process: back to the English.
    set_language("en")
    translate_help(cli)
    ctx = click.Context(cli, info_name="dialoog")
    for name, line in SHORT_HELP.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        # click's own short help of the English text, not cut (the listing cuts it).
        assert command.get_short_help_str(10_000) == line, name
