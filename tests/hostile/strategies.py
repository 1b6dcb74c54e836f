"""Hypothesis strategies for hostile input of every kind dialoog reads from outside.

Each strategy draws *material* (text, bytes, a mutation); :mod:`hostile.classes`
turns the material into a :class:`~hostile.harness.Case` for the real entry point.
The building blocks are shared: note text, lines of an import file, plan files,
participant CSVs, bundles and report templates all get the same escapes,
surrogates, separators, markup and sizes.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import strategies as st

from dialoog.history.bundle import checksum_of

REPO = Path(__file__).resolve().parents[2]
PLAN_FILE = REPO / "sessions" / "2015-02-19-skills.toml"

# -- characters --------------------------------------------------------------

#: Terminal escapes that do harm when written raw: clear screen, clipboard write
#: (OSC 52), window title (OSC 0), colours, C1 CSI, bell, backspace, carriage return.
ESCAPES = (
    "\x1b[2J",
    "\x1b[H\x1b[2J\x1b[3J",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]0;pwned\x07",
    "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[31;1m",
    "\x1b[?1049h",
    "\x9b2J",
    "\x1bP+q\x1b\\",
    "\x07",
    "\x08\x08\x08",
    "\r",
)
#: Characters that some splitters take as line ends (str.splitlines does).
SEPARATORS = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r")
#: Rich/Textual markup, and broken markup.
MARKUP = (
    "[bold]",
    "[/]",
    "[/bold]",
    "[@click=app.quit]klik[/]",
    "[@click=app.bell()]",
    "[link=file:///etc/passwd]x[/link]",
    "[red on blue]",
    "[/bold",
    "[",
    "]",
    "\\[",
    "[b][i][u]",
    "[$accent]",
    "[[",
)
#: Words with the marks dialoog parses (kinds and tags).
MARKS = ("!", "?", '"', "> ", "#", "# ", "#knelpunt", "#actie", "#tag", "“", "”", "!!", "??")
WORDS = ("leren", "onderwijs", "Crème brûlée", "日本語", "🙂👩🏽‍🏫", "van ’t", " ", "\t", "")

#: Printable Unicode without control characters or surrogates.
PRINTABLE = st.characters(exclude_categories=("Cs", "Cc"))
#: Any control character (C0, DEL, C1).
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(
    lambda c: c < " " or "\x7f" <= c <= "\x9f"
)
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)

unicode_text = st.text(PRINTABLE, min_size=1, max_size=60)


def _mixed(*pieces: st.SearchStrategy[str], max_size: int = 12) -> st.SearchStrategy[str]:
    """Text joined from printable runs and the given hostile pieces."""
    return st.lists(
        st.one_of(unicode_text, st.sampled_from(WORDS), *pieces), max_size=max_size
    ).map("".join)


# -- note text (typed, imported, in bundles, CSV cells, plan titles) ---------

note_unicode = _mixed(st.sampled_from(MARKS))
note_words = note_unicode.filter(lambda t: any(c.isalnum() for c in t))
note_controls = _mixed(st.sampled_from(ESCAPES), CONTROL).filter(
    lambda t: any((c < " " and c not in "\n\t") or "\x7f" <= c <= "\x9f" for c in t)
)
note_nul = _mixed(st.just("\x00")).map(lambda t: t + "\x00 nul")
note_surrogates = _mixed(SURROGATE).map(lambda t: t + "\ud800")
note_separators = st.lists(unicode_text, min_size=2, max_size=4).flatmap(
    lambda parts: st.sampled_from(SEPARATORS).map(lambda sep: sep.join(parts))
)
note_markup = _mixed(st.sampled_from(MARKUP)).map(lambda t: "[bold]" + t + "[/]")
note_marks_only = st.lists(st.sampled_from(MARKS), min_size=1, max_size=5).map("".join)
note_huge = st.builds(
    lambda word, n: (word + " ") * n,
    st.sampled_from(("leren", "é", "🙂", "[b]", "x")),
    st.integers(3_000, 120_000),
)
#: Bytes that are not UTF-8, as a command-line argument carries them (surrogateescape).
undecodable_arg = st.binary(min_size=1, max_size=20).map(
    lambda b: "bad " + (b + b"\xff").decode("utf-8", "surrogateescape") + " byte"
)

# -- notes import files ------------------------------------------------------

LINE_ENDS = ("\n", "\r\n", "\r\n\n", "\n\n")


def import_file(lines: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[bytes, int]]:
    """An import file from ``lines`` joined by real line ends, and how many notes it holds.

    Blank lines are skipped by the importer; a line of marks only is refused.
    """

    def build(parts: list[str], end: str, bom: bool) -> tuple[bytes, int]:
        text = end.join(parts) + end
        data = text.encode("utf-8", "surrogatepass")
        # A file's lines end in \n, \r\n or \r; nothing else ends a line.
        lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
        return (b"\xef\xbb\xbf" if bom else b"") + data, len(lines)

    return st.builds(
        build, st.lists(lines, min_size=1, max_size=8), st.sampled_from(LINE_ENDS), st.booleans()
    )


import_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.text(PRINTABLE, max_size=200).map(lambda t: t.encode("cp1252", "replace")),
)
import_huge_line = st.integers(1_000_000, 5_000_000).map(lambda n: b"a" * n + b"\n")

# -- plan files ----------------------------------------------------------------

BASE_PLAN: dict[str, Any] = tomllib.loads(PLAN_FILE.read_text(encoding="utf-8"))

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from((10**30, -(10**30), 0, -1, 1e30, 1e308, -0.0)),
    st.floats(allow_nan=False),
    st.text(PRINTABLE, max_size=30),
    st.sampled_from(("", " ", "9999-99-99T99:99:99", "2015-02-19", "ronde-1")),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
toml_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from((2**63 - 1, -(2**63), 0, -1, 480, 481, 10**15)),
    st.floats(),
    st.text(PRINTABLE, max_size=30),
    st.dates(),
    st.times(),
    st.sampled_from(("", " ", "ronde-1", "round", "keynote", "nl", "en", "x" * 5000)),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(PRINTABLE, min_size=1, max_size=8), inner, max_size=3),
    ),
    max_leaves=8,
)


def leaf_paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and indexes) into ``data``, containers and leaves alike."""
    paths = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            paths += leaf_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += leaf_paths(value, (*prefix, index))
    return paths


PLAN_PATHS = leaf_paths(BASE_PLAN)


def set_path(data: Any, path: tuple, value: Any, *, delete: bool = False) -> Any:
    """A deep copy of ``data`` with the element at ``path`` replaced (or deleted)."""
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


def _plan_bytes(plan: dict[str, Any]) -> bytes:
    return tomli_w.dumps(plan).encode("utf-8", "surrogatepass")


plan_mutations = st.builds(
    lambda path, value, delete: set_path(BASE_PLAN, path, value, delete=delete),
    st.sampled_from(PLAN_PATHS),
    toml_values,
    st.booleans(),
).map(_plan_bytes)


def _titled(text: str) -> bytes:
    return _plan_bytes({**BASE_PLAN, "title": text, "description": text})


plan_unicode_titles = note_unicode.filter(lambda t: t.strip()).map(_titled)
plan_control_titles = note_controls.map(_titled)
plan_bytes = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(
        st.sampled_from(("[a]", "[[b]]", "x = 1", 'y = "', "= 2", "[", "\n", "a.b.c = 3")),
        max_size=12,
    ).map(lambda p: "\n".join(p).encode()),
)
plan_deep = st.one_of(
    st.integers(1_000, 6_000).map(lambda n: ("a = " + "[" * n + "]" * n + "\n").encode()),
    st.integers(1_000, 4_000).map(
        lambda n: ("[" + ".".join(f"t{i}" for i in range(n)) + "]\nx = 1\n").encode()
    ),
    st.integers(1_000, 6_000).map(lambda n: ("a = " + "{b = " * n + "1" + "}" * n).encode()),
)

# -- participant CSVs ------------------------------------------------------------

HEADERS = (
    ("voornaam", "tussenvoegsel", "achternaam", "organisatie"),
    ("first name", "prefix", "surname", "organisation", "role"),
    ("naam", "organisatie", "rol", "email", "in bijlage"),
    ("Name", "Organisation"),
)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1")


def _csv_bytes(header: tuple[str, ...], rows: list[list[str]], sep: str, enc: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(header)
    for row in rows:
        writer.writerow((row + [""] * len(header))[: len(header)])
    return buffer.getvalue().encode(enc, "replace")


def csv_files(cells: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Well-quoted participant files whose cells are drawn from ``cells``."""
    return st.builds(
        _csv_bytes,
        st.sampled_from(HEADERS),
        st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=6),
        st.sampled_from((",", ";", "\t")),
        st.sampled_from(("utf-8", "utf-8-sig")),
    )


csv_names = st.text(st.characters(categories=("L",)), min_size=1, max_size=12)
#: A file of one column (no delimiter found) with text after a closing quote.
csv_one_column_bad_quote = st.builds(
    lambda header, a, b: f'{header}\n"{a}"{b}\n'.encode(),
    st.sampled_from(("naam", "name", "naam|organisatie", "Name Organisation")),
    csv_names,
    csv_names,
)
csv_wellformed = csv_files(st.one_of(csv_names, note_unicode))
csv_controls = csv_files(note_controls)
csv_broken = st.one_of(
    st.builds(
        _csv_bytes,
        st.sampled_from(HEADERS),
        st.lists(st.lists(note_unicode, max_size=8), max_size=6),
        st.sampled_from((",", ";", "\t", "|", " ", "\x00")),
        st.sampled_from(ENCODINGS),
    ),
    st.lists(
        st.sampled_from(('"', '""', ",", ";", "\n", "\r", "naam", "Ria", '"a,b', "\x00", "é")),
        max_size=30,
    ).map(lambda p: ("naam,organisatie\n" + "".join(p)).encode()),
    st.binary(max_size=300),
    st.integers(200_000, 2_000_000).map(lambda n: b"naam\n" + b"x" * n + b"\n"),
)

# -- bundles ---------------------------------------------------------------------


def resign(bundle: dict[str, Any]) -> bytes:
    """The bundle as a file, with its checksum computed the way the exporter does."""
    bundle = dict(bundle)
    bundle["checksum"] = checksum_of(bundle)
    return (json.dumps(bundle, ensure_ascii=False) + "\n").encode()


bundle_random = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    json_values.map(
        lambda v: json.dumps({"format": "dialoog-bundle", "format_version": 2, "notes": v}).encode()
    ),
)


def bundle_truncated(real: bytes) -> st.SearchStrategy[bytes]:
    """A real bundle cut short."""
    return st.integers(0, len(real) - 2).map(lambda n: real[:n])


def bundle_tampered(real: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """A real bundle with one field changed and the checksum left as it was."""
    paths = leaf_paths(real)
    return st.builds(
        lambda path, value: (json.dumps(set_path(real, path, value)) + "\n").encode(),
        st.sampled_from([p for p in paths if p != ("checksum",)]),
        json_scalars,
    ).filter(lambda data: json.loads(data) != real)


def bundle_mutated(real: dict[str, Any], values: st.SearchStrategy) -> st.SearchStrategy[bytes]:
    """A real bundle with one element replaced or removed, checksum recomputed."""
    paths = [p for p in leaf_paths(real) if p != ("checksum",)]
    return st.builds(
        lambda path, value, delete: resign(set_path(real, path, value, delete=delete)),
        st.sampled_from(paths),
        values,
        st.booleans(),
    )


def bundle_texts(real: dict[str, Any], texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """A real bundle with a note's text (all its places), a tag or a title replaced."""
    paths = [
        p
        for p in leaf_paths(real)
        if p[-1] in ("text", "title") or (len(p) > 1 and p[-2] == "tags")
    ]

    def build(path: tuple, text: str) -> bytes:
        data = set_path(real, path, text)
        if path[-1] == "text" and path[0] == "notes":  # the note and all its revisions agree
            note = data["notes"][path[1]]
            note["text"] = text
            for rev in note["revisions"]:
                rev["text"] = text
        return resign(data)

    return st.builds(build, st.sampled_from(paths), texts)


# -- report templates --------------------------------------------------------------

TEMPLATE_PIECES = (
    "{{ report.title }}",
    "{{ report.__class__ }}",
    "{{ report.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ '%s' % report }}",
    "{{ report.no_such_field }}",
    "{% for s in report.sessions %}{{ s.title }}{% endfor %}",
    "{% for i in range(100000) %}.{% endfor %}",
    "{{ 'x' * 1000000 }}",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "{% include '/etc/passwd' %}",
    "{% extends 'verslag.md' %}",
    "{% import 'nope' as x %}",
    "{{ report | tojson }}",
    "{{ report.title | md }}",
    "{%",
    "{{",
    "}}",
    "{% endfor %}",
    "{# open comment",
    "\x1b[2J",
    "\ud800",
    "\x00",
)
template_sources = st.one_of(
    st.lists(st.one_of(st.sampled_from(TEMPLATE_PIECES), unicode_text), max_size=8).map(
        lambda p: "\n".join(p).encode("utf-8", "surrogatepass")
    ),
    st.binary(max_size=200),
)
