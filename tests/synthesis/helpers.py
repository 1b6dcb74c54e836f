"""Helpers shared by the synthesis tests: reading .docx back, normalising text."""

from __future__ import annotations

import io
import re

import docx


def docx_lines(data: bytes) -> list[str]:
    """Every paragraph of a .docx as ``style | text``, for golden files and checks."""
    document = docx.Document(io.BytesIO(data))
    return [f"{p.style.name} | {p.text}" for p in document.paragraphs]


def docx_text(data: bytes) -> str:
    """All paragraph text of a .docx, whitespace collapsed."""
    document = docx.Document(io.BytesIO(data))
    return squash(" ".join(p.text for p in document.paragraphs))


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space."""
    return re.sub(r"\s+", " ", text).strip()
