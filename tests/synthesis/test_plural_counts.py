"""Counts meet nouns in the singular when there is one (issue 15): "1 notitie van 1 tafel".

Report templates get ``ngettext(singular, plural, n)`` (``{n}`` filled in); the
bundled tafelverslag uses it in every format.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dialoog import i18n
from dialoog.cli import cli
from dialoog.storage.store import Store
from dialoog.synthesis.context import build_context
from dialoog.synthesis.render import render

from .conftest import FIXED_TIME
from .helpers import docx_text


def test_count_text_picks_the_form() -> None:
    assert i18n.count_text("{n} tafel", "{n} tafels", 1) == "1 tafel"
    assert i18n.count_text("{n} tafel", "{n} tafels", 0) == "0 tafels"
    assert i18n.count_text("{n} tafel", "{n} tafels", 7) == "7 tafels"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_tafelverslag_says_1_notitie_van_1_tafel(demo: Store, fmt: str) -> None:
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    text = render(data, "tafelverslag", fmt).text
    assert "1 notitie van 1 tafel." in text
    assert "4 notities van 1 tafel." in text
    assert "notities van 1 tafels" not in text and "1 notities" not in text


def test_tafelverslag_docx_total_in_the_right_form(demo: Store) -> None:
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    text = docx_text(render(data, "tafelverslag", "docx").output)
    assert "Totaal: " in text and " notities." in text
    assert "{{" not in text


def test_a_user_template_can_count(demo: Store, tmp_path) -> None:
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    own = tmp_path / "mijn.md"
    own.write_text('{{ ngettext("{n} sessie", "{n} sessies", report.sessions|length) }}\n')
    assert render(data, str(own), "md").text.strip() == "1 sessie"


@pytest.mark.parametrize(
    ("lang", "one", "two"), [("en", "(1 note)", "(2 notes)"), ("nl", "(1 notitie)", "(2 notities)")]
)
def test_a_theme_with_one_note_says_so_on_the_command_line(
    db_path, lang: str, one: str, two: str
) -> None:
    """``themes rename`` printed "(1 notes)" before ngettext."""
    runner = CliRunner()
    db = ["--db", str(db_path), "--lang", lang]
    assert runner.invoke(cli, [*db, "demo"]).exit_code == 0
    note_ids = runner.invoke(
        cli, [*db, "notes", "list", "--session", "demo", "--table", "1", "--format", "json"]
    )
    ids = [str(n["id"]) for n in json.loads(note_ids.output)][:2]
    made = runner.invoke(
        cli, [*db, "themes", "add", "demo", "--item", "ronde-1", "--note", ids[0], "Eén"]
    )
    assert made.exit_code == 0, made.output
    theme_id = made.output.strip().splitlines()[-1]
    renamed = runner.invoke(cli, [*db, "themes", "rename", theme_id, "Eén notitie"])
    assert one in renamed.output, renamed.output
    runner.invoke(cli, [*db, "themes", "assign", theme_id, ids[1]])
    renamed = runner.invoke(cli, [*db, "themes", "rename", theme_id, "Twee"])
    assert two in renamed.output, renamed.output
