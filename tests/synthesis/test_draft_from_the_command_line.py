"""A session captured from scratch with the real `dialoog` command, drafted in three formats.

What a new user does (issue 11): `dialoog new`, notes typed at tables in turn with
`dialoog notes add`, then `dialoog report` in md, html and docx. The drafts are read
back (python-docx and pandoc for Word) and checked for the defects of issue 11.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pypandoc

NOTES = [
    ("2", "Samenwerken door bijna iedereen genoemd", "1"),
    ("1", "Omgaan met mensen blijft de kernvaardigheid", "1"),
    ("2", '"Het is een drama!" over de btw-plicht', "2"),
    ("1", "Bel de gemeente over de stageplekken #actie", None),
    ("3", '"Een diploma zegt steeds minder"', "2"),
]


def dialoog(env: dict[str, str], *args: str) -> str:
    """Run the real command; its standard output."""
    result = subprocess.run(
        [sys.executable, "-m", "dialoog", *args], capture_output=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode("utf-8")


def test_fresh_session_drafts_read_well_in_every_format(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DIALOOG_DB": str(tmp_path / "vers.db"),
        "DIALOOG_HOME": str(tmp_path / "home"),
        "DIALOOG_LANG": "nl",
    }
    session = dialoog(env, "new", "--plan", "skills").strip().splitlines()[-1].split()[-1]
    for table, text, question in NOTES:
        extra = ["--question", question] if question else []
        dialoog(
            env,
            "notes",
            "add",
            "--session",
            session,
            "--table",
            table,
            "--item",
            "ronde-1",
            *extra,
            text,
        )
    md = dialoog(env, "report", session, "--no-save")
    page = dialoog(env, "report", session, "--format", "html", "--no-save")
    word = tmp_path / "vers.docx"
    dialoog(env, "report", session, "--format", "docx", "-o", str(word), "--no-save")
    document = docx.Document(str(word))
    texts = {
        "md": md,
        "html": html.unescape(re.sub(r"<[^>]+>", "", page)),
        "docx": "\n".join(p.text for p in document.paragraphs),
        "pandoc": pypandoc.convert_file(str(word), "plain", extra_args=["--wrap=none"]),
    }
    title = "Dialoogbijeenkomst skills van de toekomst"
    for name, text in texts.items():
        # html has a <title> too; pandoc takes Word's Title paragraph as metadata.
        assert text.count(title) == {"html": 2, "pandoc": 0}.get(name, 1), name
        assert "Reflectie – Reflectie" not in text, name
        assert "Operation Education (United4Education" not in text, name
        assert not re.search(r"\(\d+\.\d+(\.\d+)?(, \d+(\.\d+)*)*\)", text), name
        assert "Acties en afspraken" in text, name
        assert '"Het is een drama!" over de btw-plicht' in text, name
        assert "Lex Borghans (Maastricht University)" in text, name  # Bijlage 1
        order = [text.find(s) for s in ("Omgaan met mensen", "Het is een drama", "Een diploma")]
        assert all(i >= 0 for i in order) and order == sorted(order), name
    standalone = pypandoc.convert_file(str(word), "markdown", extra_args=["--standalone"])
    assert f"title: {title}" in standalone
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.core_properties.title == title
    assert document.core_properties.author != "python-docx"
