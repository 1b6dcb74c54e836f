"""The input classes of the hostile lab: a strategy, the command it feeds, a known bug.

Each :class:`InputClass` draws material from :mod:`hostile.strategies` and turns
it into a :class:`~hostile.harness.Case` for one real entry point. ``known`` names
the issue-14 bug a class still hits today (the test of that class is then
``xfail``, not strict): when a fix lands, remove the reason and the class must hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from hostile import strategies as hs
from hostile.harness import Case

SESSION = "2015-02-19-skills"
"""The session of the prepared database (the ``skills`` plan, notes at every table)."""
LAPTOP = "2015-02-19-skills-laptop"
"""A session that exists only in the laptop's bundle: importing it creates it."""

_WORD = re.compile(r"[^\W\d_]{3,}")


def _word(text: str) -> str | None:
    """A word of the input to search for afterwards (the search prints the hit)."""
    found = _WORD.search(text)
    return found.group(0) if found else None


@dataclass(frozen=True)
class World:
    """What the strategies need from the prepared database: its exported bundles."""

    bundle: dict[str, Any]
    """The prepared session's own bundle (importing it merges)."""
    laptop_bundle: dict[str, Any]
    """Another laptop's session (importing it creates the session)."""


@dataclass(frozen=True)
class InputClass:
    """One class of hostile input for one entry point."""

    name: str
    strategy: Callable[[World], st.SearchStrategy[Any]]
    build: Callable[[Any], Case]
    examples: int
    """Examples in the default run (the slow run takes :attr:`slow_examples`)."""
    slow_examples: int
    known: str | None = None
    """``issue 14: ...`` when this class fails on today's main."""
    child_every: int = 200
    """Every so many examples also run in a child process (memory limit, real argv)."""


def _note_add(text: str) -> Case:
    argv = ["notes", "add", "--session", SESSION, "--table", "3", "--item", "ronde-1", text]
    return Case(argv, search=_word(text))


def _note_arg(where: str) -> Callable[[str], Case]:
    def build(value: str) -> Case:
        if where == "session":
            argv = ["notes", "add", "--session", value, "--table", "1", "--item", "1", "x"]
        elif where == "participant":
            argv = ["participants", "add", SESSION, value]
        else:
            argv = ["notes", "add", "--session", SESSION, "--table", "1", "--item", "1", value]
        return Case(argv)

    return build


def _import(stdin: bool = False) -> Callable[[tuple[bytes, int]], Case]:
    def build(material: tuple[bytes, int]) -> Case:
        data, lines = material
        source = "-" if stdin else "{dir}/aantekeningen tafel 3.txt"
        argv = ["notes", "import", source, "--session", SESSION, "--table", "3", "--item", "4"]
        text = data.decode("utf-8", "replace")
        return Case(
            argv,
            files={} if stdin else {"aantekeningen tafel 3.txt": data},
            stdin=data if stdin else None,
            names=None if stdin else source,  # "-" or "standard input"
            expect_notes=lines,
            search=_word(text),
        )

    return build


def _import_bytes(data: bytes) -> Case:
    return Case(
        ["notes", "import", "{dir}/notes.txt", "--session", SESSION, "--table", "2", "--item", "4"],
        files={"notes.txt": data},
        names="{dir}/notes.txt",
    )


def _plan(command: str) -> Callable[[bytes], Case]:
    def build(data: bytes) -> Case:
        path = "{dir}/mijn plan.toml"
        if command == "validate":
            argv = ["plan", "validate", path]
        else:
            argv = ["new", "--plan", path, "--title", "Hostile", "--date", "2026-03-12"]
        text = data.decode("utf-8", "replace")
        return Case(
            argv,
            files={"mijn plan.toml": data},
            names=path,
            multi_line=command == "validate",
            search=_word(text[text.find("title") :]) if "title" in text else None,
        )

    return build


def _csv(data: bytes) -> Case:
    path = "{dir}/aanmeldingen.csv"
    return Case(
        ["participants", "import", SESSION, path],
        files={"aanmeldingen.csv": data},
        names=path,
        multi_line=True,
    )


def _bundle(data: bytes) -> Case:
    path = "{dir}/tafel 3.json"
    return Case(["import", path], files={"tafel 3.json": data}, names=path)


def _template(data: bytes) -> Case:
    path = "{dir}/mijn verslag.md"
    return Case(
        ["report", SESSION, "--template", path, "--no-save"],
        files={"mijn verslag.md": data},
        names=path,
        check_output=False,  # the template's own text is the user's business
        hang_s=25.0,  # the sandbox stops a render at 10 s, in a freshly spawned child
    )


# -- bundle material ---------------------------------------------------------------


def _either(world: World) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from((world.bundle, world.laptop_bundle))


def _timestamps(world: World) -> st.SearchStrategy[bytes]:
    bad = st.sampled_from(
        (
            "9999-99-99T99:99:99.000000+00:00",
            "2015-02-30T10:00:00.000000+00:00",
            "0000-00-00T00:00:00.000000+00:00",
            "2015-02-19T24:00:00.000000+00:00",
        )
    )

    def paths(b: dict[str, Any]) -> list[tuple]:
        return [p for p in hs.leaf_paths(b) if p[-1] in ("created_at", "updated_at")]

    return _either(world).flatmap(
        lambda b: st.builds(
            lambda p, v: hs.resign(hs.set_path(b, p, v)), st.sampled_from(paths(b)), bad
        )
    )


def _empty_revision(world: World) -> st.SearchStrategy[bytes]:
    def build(b: dict[str, Any], n: int) -> bytes:
        data = json.loads(json.dumps(b))
        note = data["notes"][n % len(data["notes"])]
        note["text"] = ""
        for rev in note["revisions"]:
            rev["text"] = ""
        return hs.resign(data)

    return st.builds(build, _either(world), st.integers(0, 100))


def _duplicate_note(world: World) -> st.SearchStrategy[bytes]:
    def build(b: dict[str, Any], n: int) -> bytes:
        data = json.loads(json.dumps(b))
        data["notes"].append(data["notes"][n % len(data["notes"])])
        return hs.resign(data)

    return st.builds(build, _either(world), st.integers(0, 100))


def _plan_change(world: World, change: Callable[[dict[str, Any], Any], None], values) -> Any:
    """The laptop's bundle with its plan changed (so importing it creates the session)."""

    def build(value: Any) -> bytes:
        data = json.loads(json.dumps(world.laptop_bundle))
        change(data["session"]["plan"], value)
        return hs.resign(data)

    return st.builds(build, values)


def _no_tables(world: World) -> st.SearchStrategy[bytes]:
    return _plan_change(world, lambda plan, v: plan.update(tables=v), st.just([]))


def _huge_duration(world: World) -> st.SearchStrategy[bytes]:
    def change(plan: dict[str, Any], value: Any) -> None:
        for item in plan["agenda"]:
            if item.get("duration_minutes"):
                item["duration_minutes"] = value

    return _plan_change(world, change, st.sampled_from((1e30, 10**30, -5, 0, 481, "lang")))


def _bad_plan_fields(world: World) -> st.SearchStrategy[bytes]:
    def change(plan: dict[str, Any], value: tuple[str, Any]) -> None:
        key, v = value
        if key == "questions":
            for item in plan["agenda"]:
                if "questions" in item:
                    item["questions"] = v
        else:
            plan[key] = v

    values = st.one_of(
        st.tuples(st.just("series"), st.sampled_from(("Bad Slug!", "", "a" * 300))),
        st.tuples(st.just("questions"), st.sampled_from(([], ["a", "b", "c", "d"]))),
        st.tuples(st.just("agenda"), st.just([])),
    )
    return _plan_change(world, change, values)


def _deep_bundle(world: World) -> st.SearchStrategy[bytes]:
    def build(n: int) -> bytes:
        body = json.dumps(world.bundle)
        return body.replace('"drafts": [', '"drafts": [' + "[" * n + "]" * n + ", ", 1).encode()

    return st.builds(build, st.integers(50_000, 100_000))


def _surrogate_bundle(world: World) -> st.SearchStrategy[bytes]:
    def build(b: dict[str, Any], n: int) -> bytes:
        data = json.loads(json.dumps(b))
        note = data["notes"][n % len(data["notes"])]
        for target in (note, *note["revisions"]):
            target["text"] = "kapot \ud800 teken"
        data["checksum"] = "sha256:" + "0" * 64  # no checksum can be taken of it
        return (json.dumps(data, ensure_ascii=True) + "\n").encode()

    return st.builds(build, _either(world), st.integers(0, 100))


def _mutated(world: World) -> st.SearchStrategy[bytes]:
    return _either(world).flatmap(lambda b: hs.bundle_mutated(b, hs.json_values))


def _texts(texts: st.SearchStrategy[str]) -> Callable[[World], st.SearchStrategy[bytes]]:
    return lambda world: _either(world).flatmap(lambda b: hs.bundle_texts(b, texts))


def _const(strategy: st.SearchStrategy[Any]) -> Callable[[World], st.SearchStrategy[Any]]:
    return lambda _world: strategy


# -- the registry --------------------------------------------------------------------


CLASSES: tuple[InputClass, ...] = (
    # note text, typed on the command line (Store.add_typed_note)
    InputClass("notes-add/unicode", _const(hs.note_unicode), _note_add, 300, 10_000),
    InputClass("notes-add/marks-only", _const(hs.note_marks_only), _note_add, 60, 1_000),
    InputClass("notes-add/markup", _const(hs.note_markup), _note_add, 100, 4_000),
    InputClass("notes-add/huge", _const(hs.note_huge), _note_add, 20, 400, child_every=10),
    InputClass("notes-add/controls", _const(hs.note_controls), _note_add, 150, 6_000),
    InputClass("notes-add/nul", _const(hs.note_nul), _note_add, 40, 1_500),
    InputClass("notes-add/separators", _const(hs.note_separators), _note_add, 60, 2_000),
    InputClass(
        "notes-add/surrogates",
        _const(hs.note_surrogates),
        _note_add,
        40,
        1_500,
    ),
    InputClass(
        "args/undecodable-note",
        _const(hs.undecodable_arg),
        _note_arg("text"),
        30,
        1_000,
        child_every=5,
    ),
    InputClass(
        "args/undecodable-session",
        _const(hs.undecodable_arg),
        _note_arg("session"),
        30,
        1_000,
    ),
    InputClass(
        "args/undecodable-participant",
        _const(hs.undecodable_arg),
        _note_arg("participant"),
        30,
        1_000,
    ),
    # notes import files
    InputClass(
        "notes-import/unicode", _const(hs.import_file(hs.note_unicode)), _import(), 200, 8_000
    ),
    InputClass(
        "notes-import/stdin", _const(hs.import_file(hs.note_unicode)), _import(True), 60, 2_000
    ),
    InputClass("notes-import/markup", _const(hs.import_file(hs.note_markup)), _import(), 60, 2_000),
    InputClass(
        "notes-import/controls",
        _const(hs.import_file(hs.note_controls)),
        _import(),
        100,
        4_000,
    ),
    InputClass(
        "notes-import/separators",
        _const(hs.import_file(hs.note_separators)),
        _import(),
        60,
        3_000,
    ),
    InputClass("notes-import/bytes", _const(hs.import_bytes), _import_bytes, 150, 6_000),
    InputClass(
        "notes-import/huge-line",
        _const(hs.import_huge_line),
        _import_bytes,
        3,
        40,
        child_every=2,
    ),
    # plan files
    InputClass("plan-validate/mutations", _const(hs.plan_mutations), _plan("validate"), 200, 8_000),
    InputClass("plan-new/mutations", _const(hs.plan_mutations), _plan("new"), 200, 8_000),
    InputClass("plan-validate/bytes", _const(hs.plan_bytes), _plan("validate"), 150, 6_000),
    InputClass("plan-new/unicode-title", _const(hs.plan_unicode_titles), _plan("new"), 60, 2_000),
    InputClass("plan-new/control-title", _const(hs.plan_control_titles), _plan("new"), 60, 2_000),
    InputClass(
        "plan-validate/deep-nesting",
        _const(hs.plan_deep),
        _plan("validate"),
        6,
        100,
        child_every=3,
    ),
    # participant CSVs
    InputClass("csv/wellformed", _const(hs.csv_wellformed), _csv, 200, 8_000),
    InputClass(
        "csv/broken",
        _const(hs.csv_broken),
        _csv,
        200,
        8_000,
    ),
    InputClass("csv/controls", _const(hs.csv_controls), _csv, 60, 2_000),
    InputClass(
        "csv/one-column-bad-quote",
        _const(hs.csv_one_column_bad_quote),
        _csv,
        20,
        500,
    ),
    # bundles: random, cut short, tampered (checksum left), then checksum-valid mutations
    InputClass("bundle/random", _const(hs.bundle_random), _bundle, 200, 8_000),
    InputClass(
        "bundle/truncated",
        lambda w: hs.bundle_truncated(hs.resign(w.bundle)),
        _bundle,
        100,
        3_000,
    ),
    InputClass(
        "bundle/tampered",
        lambda w: _either(w).flatmap(hs.bundle_tampered),
        _bundle,
        150,
        5_000,
    ),
    InputClass("bundle/texts-unicode", _texts(hs.note_words), _bundle, 150, 5_000),
    InputClass("bundle/texts-markup", _texts(hs.note_markup), _bundle, 60, 2_000),
    InputClass("bundle/texts-controls", _texts(hs.note_controls), _bundle, 60, 2_000),
    InputClass(
        "bundle/texts-nul",
        _texts(hs.note_nul),
        _bundle,
        30,
        1_000,
    ),
    InputClass("bundle/mutated", _mutated, _bundle, 300, 10_000),
    InputClass(
        "bundle/bad-timestamp",
        _timestamps,
        _bundle,
        30,
        600,
    ),
    InputClass(
        "bundle/empty-revision-text",
        _empty_revision,
        _bundle,
        20,
        400,
    ),
    InputClass(
        "bundle/duplicate-note",
        _duplicate_note,
        _bundle,
        20,
        400,
    ),
    InputClass(
        "bundle/plan-no-tables",
        _no_tables,
        _bundle,
        3,
        20,
    ),
    InputClass(
        "bundle/huge-duration",
        _huge_duration,
        _bundle,
        12,
        100,
    ),
    InputClass(
        "bundle/bad-plan-fields",
        _bad_plan_fields,
        _bundle,
        12,
        100,
    ),
    InputClass(
        "bundle/deep-nesting",
        _deep_bundle,
        _bundle,
        3,
        40,
        child_every=2,
    ),
    InputClass(
        "bundle/surrogate",
        _surrogate_bundle,
        _bundle,
        20,
        400,
    ),
    # report templates (each renders in a freshly spawned, sandboxed child: few examples)
    InputClass("report/template", _const(hs.template_sources), _template, 8, 150, child_every=4),
)

BY_NAME = {c.name: c for c in CLASSES}
