"""Golden files: every bundled template in every format, on the demo session.

Regenerate after an intended change with
``DIALOOG_UPDATE_GOLDEN=1 pytest tests/synthesis/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dialoog.storage.store import Store
from dialoog.synthesis.context import build_context
from dialoog.synthesis.render import render

from .conftest import FIXED_TIME
from .helpers import docx_lines

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DIALOOG_UPDATE_GOLDEN") == "1"


@pytest.fixture
def data(demo: Store) -> dict:
    return build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()


@pytest.fixture
def data_en(demo: Store) -> dict:
    return build_context(demo, "demo", language="en", generated_at=FIXED_TIME).to_template_data()


@pytest.mark.parametrize("template", ["verslag", "report", "tafelverslag"])
@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_matches_golden(template: str, fmt: str, data: dict, data_en: dict) -> None:
    rendered = render(data_en if template == "report" else data, template, fmt)
    if fmt == "docx":
        text = "\n".join(docx_lines(rendered.output)) + "\n"
        golden = GOLDEN / f"{template}.docx.txt"
    else:
        text = rendered.text
        golden = GOLDEN / f"{template}.{fmt}"
    if UPDATE or not golden.exists():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_render_is_deterministic(demo: Store) -> None:
    first = build_context(demo, "demo", generated_at=FIXED_TIME)
    second = build_context(demo, "demo", generated_at=FIXED_TIME)
    assert render(first.to_template_data()).output == render(second.to_template_data()).output
    assert first.content_hash() == second.content_hash()
