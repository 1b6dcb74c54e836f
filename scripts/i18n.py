"""Keep the translation catalogues in step with the code.

    python scripts/i18n.py update   # extract _() strings, merge into the .po files, compile .mo
    python scripts/i18n.py check    # exit 1 if a string lacks a Dutch translation or a .mo is stale

Needs Babel (in the ``test`` extra). The compiled ``.mo`` files are committed,
so an installed dialoog needs no build step.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dialoog"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "count_text": (1, 2)}
LANGUAGES = ("nl", "en")


def extract() -> Catalog:
    """Every translatable string in the package."""
    catalog = Catalog(project="dialoog", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for message, location in cli_help_texts():
        if message not in catalog:
            catalog.add(message, None, [location])
    return catalog


def cli_help_texts() -> list[tuple[str, tuple[str, int]]]:
    """The command line's help texts (docstrings and ``help=``), as click looks them up.

    ``dialoog.cli.main`` translates them when help is shown; the location is
    the command's source file and line.
    """
    from dialoog.cli import cli
    from dialoog.cli.support import help_texts

    found = []
    location = ("cli/__init__.py", 0)
    for obj, _attribute, source in help_texts(cli):
        if isinstance(obj, click.Command):  # a command comes before its parameters
            location = _source_location(obj)
        found.append((source, location))
    return found


def _source_location(command: click.Command) -> tuple[str, int]:
    """Where a command's function is defined, relative to the package."""
    import inspect

    try:
        function = inspect.unwrap(command.callback)  # type: ignore[arg-type]
        path = Path(inspect.getsourcefile(function) or "").resolve().relative_to(PACKAGE)
        return path.as_posix(), inspect.getsourcelines(function)[1]
    except (OSError, TypeError, ValueError):
        return "cli/__init__.py", 0


def _translated(string: str | tuple[str, ...] | None) -> bool:
    """Whether a message string (or every plural form of it) is filled in."""
    if isinstance(string, tuple):
        return all(string)
    return bool(string)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "dialoog.po"


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="dialoog", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update() -> None:
    template = extract()
    for lang in LANGUAGES:
        catalog = load(lang)
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "en":
            for message in catalog:
                if message.id and not _translated(message.string):
                    message.string = message.id
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, ignore_obsolete=True)
        path.with_suffix(".mo").write_bytes(compiled(catalog))
        missing = [m.id for m in catalog if m.id and not _translated(m.string)]
        print(f"{lang}: {len(catalog)} messages, {len(missing)} untranslated")


def check() -> int:
    problems: list[str] = []
    wanted = {m.id for m in extract() if m.id}
    for lang in LANGUAGES:
        catalog = load(lang)
        have = {m.id: m.string for m in catalog if m.id}
        for msgid in sorted(wanted, key=str):
            string = have.get(msgid)
            if not _translated(string):
                problems.append(f"{po_path(lang)}: no translation for {msgid!r}")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            problems.append(f"{mo}: stale; run python scripts/i18n.py update")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
