"""The core (domain, plans, storage, markers, CLI start-up) works without Textual."""

from __future__ import annotations

import subprocess
import sys


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import dialoog.models, dialoog.plans, dialoog.markers, dialoog.storage, dialoog.demo\n"
        "import dialoog.doctor, dialoog.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"textual imported by the core: {result.stdout}{result.stderr}"
