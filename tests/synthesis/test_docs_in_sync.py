"""The template authors' page carries the current documentation of the report context."""

from __future__ import annotations

from pathlib import Path

import dialoog.synthesis.context as context

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"


def test_templates_page_has_the_context_docstring() -> None:
    page = DOC.read_text(encoding="utf-8")
    assert context.__doc__.strip() in page, "docs/templates.md is stale: copy the docstring again"
