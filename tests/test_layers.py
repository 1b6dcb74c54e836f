"""The floors of DESIGN.md §3, checked statically: every import counts.

The runtime check in ``test_import_hygiene.py`` proves the core runs without
Textual; this one reads the source with :mod:`ast`, so it also sees imports
inside functions and under ``TYPE_CHECKING``, which a look at ``sys.modules``
misses. It also keeps SQL where it belongs: only ``dialoog.storage`` writes
SQL or touches a connection's ``.db``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import dialoog

ROOT = Path(dialoog.__file__).parent

#: Floors from the bottom up; a module imports only from its own floor or lower.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "dialoog",
            "dialoog.__main__",
            "dialoog.errors",
            "dialoog.i18n",
            "dialoog.kinds",
            "dialoog.markers",
            "dialoog.models",
            "dialoog.paths",
            "dialoog.plans",
            "dialoog.text",
            "dialoog.times",
        ),
    ),
    ("storage", ("dialoog.storage",)),
    (
        "services",
        (
            "dialoog.synthesis",
            "dialoog.history",
            "dialoog.participants",
            "dialoog.demo",
            "dialoog.doctor",
            "dialoog.serve",
        ),
    ),
    ("tui", ("dialoog.tui",)),
    ("cli", ("dialoog.cli",)),
]

#: Module names that stand for the whole program, allowed to reach every floor.
ENTRY_POINTS = {"dialoog.__main__"}

SQL = re.compile(
    r"\b(?:SELECT\b.*\bFROM\b|INSERT\s+(?:OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b"
    r"|DELETE\s+FROM\b|PRAGMA\s+\w+\s*(?:=|\(|$))",
    re.DOTALL,
)


def module_name(path: Path) -> str:
    """``src/dialoog/tui/app.py`` -> ``dialoog.tui.app``."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


#: The longest a module may grow (STYLE.md: "past ~600 lines, split"), with a little slack.
MAX_LINES = 620

PATHS = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def modules() -> dict[str, ast.Module]:
    return {
        name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in PATHS.items()
    }


def imports(name: str, tree: ast.Module, is_package: bool) -> set[str]:
    """Every module ``tree`` imports, wherever the statement stands."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # ``from dialoog.tui import app`` imports dialoog.tui.app
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def floor_of(name: str) -> int:
    best, best_len = -1, -1
    for index, (_label, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


ALL = modules()
PACKAGES = {module_name(p) for p in ROOT.rglob("__init__.py")}


def dialoog_imports(name: str) -> set[str]:
    """The dialoog modules ``name`` imports (names that are not modules are dropped)."""
    found = imports(name, ALL[name], name in PACKAGES)
    return {m for m in found if m in ALL}


def test_every_module_has_a_floor() -> None:
    assert [name for name in ALL if floor_of(name) < 0] == []


def test_layers_import_only_downwards() -> None:
    upward = []
    for name in ALL:
        if name in ENTRY_POINTS:
            continue
        mine = floor_of(name)
        for target in sorted(dialoog_imports(name)):
            if floor_of(target) > mine:
                upward.append(f"{name} ({FLOORS[mine][0]}) imports {target}")
    assert upward == []


def test_textual_only_in_the_tui() -> None:
    found = [
        name
        for name, tree in ALL.items()
        if not name.startswith("dialoog.tui")
        and any(m == "textual" or m.startswith("textual.") for m in imports(name, tree, False))
    ]
    assert found == []


def test_screens_and_dialogs_import_neither_the_app_nor_each_other() -> None:
    """The app is the one place that imports screens; they reach it through ``Host``."""
    bad = []
    guarded = ("dialoog.tui.screens.", "dialoog.tui.dialogs.", "dialoog.tui.widgets")
    for name in ALL:
        if not name.startswith(guarded) and name != "dialoog.tui.commands":
            continue
        for target in dialoog_imports(name):
            if target == "dialoog.tui.app" or (
                target.startswith("dialoog.tui.screens.") and target != name
            ):
                bad.append(f"{name} imports {target}")
    assert sorted(bad) == []


def test_no_import_circle() -> None:
    graph = {name: dialoog_imports(name) - {name} for name in ALL}
    # A package importing its own submodules (re-exports) is not a circle of layers.
    for name in graph:
        graph[name] = {
            t for t in graph[name] if not (name in PACKAGES and t.startswith(name + "."))
        }
    seen: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node)
    assert circles == []


@pytest.mark.parametrize("name", sorted(n for n in ALL if not n.startswith("dialoog.storage")))
def test_sql_only_in_storage(name: str) -> None:
    """No SQL statement and no ``.db`` connection attribute outside ``dialoog.storage``."""
    problems = []
    for node in ast.walk(ALL[name]):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL.search(node.value)
        ):
            problems.append(f"line {node.lineno}: SQL {node.value[:40]!r}")
        if isinstance(node, ast.Attribute) and node.attr in {"db", "conn"}:
            problems.append(f"line {node.lineno}: .{node.attr}")
    assert problems == []


def test_no_module_is_too_long() -> None:
    """Small modules with one purpose each: past ~600 lines a module is split."""
    long = {name: n for name, path in PATHS.items() if (n := _lines(path)) > MAX_LINES}
    assert long == {}


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())
