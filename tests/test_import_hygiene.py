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
