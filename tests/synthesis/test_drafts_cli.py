"""Drafts with history, and the report, drafts, themes and suggest commands."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from dialoog.cli import cli
from dialoog.storage.store import Store
from dialoog.synthesis.drafts import diff_drafts, list_drafts, make_draft
from dialoog.synthesis.themes import update_theme

COMMANDS = [
    ["report"],
    ["drafts"],
    ["drafts", "diff"],
    ["drafts", "show"],
    ["suggest"],
    ["themes"],
    *[
        ["themes", c]
        for c in (
            [
                "list",
                "add",
                "rename",
                "synthesis",
                "contested",
                "assign",
                "unassign",
                "move",
                "merge",
                "delete",
                "summary",
            ]
        )
    ],
]


def test_two_renders_are_both_in_the_history_and_diffable(demo: Store) -> None:
    _r1, d1 = make_draft(demo, "demo")
    theme = demo.db.execute("SELECT id FROM themes ORDER BY id LIMIT 1").fetchone()[0]
    update_theme(demo, theme, synthesis="Een tweede, herschreven synthese.")
    _r2, d2 = make_draft(demo, "demo")
    assert [d.id for d in list_drafts(demo, "demo")] == [d1.id, d2.id]
    assert d1.context_hash != d2.context_hash
    diff = diff_drafts(demo, d1.id, d2.id)
    assert "+**Kritisch denken** (2 van 8 tafels). Een tweede, herschreven synthese." in diff
    assert diff.count("\n-**Kritisch denken** (2 van 8 tafels).") == 1


def test_docx_drafts_cannot_be_diffed(demo: Store) -> None:
    _r, d1 = make_draft(demo, "demo", fmt="docx")
    _r, d2 = make_draft(demo, "demo")
    with pytest.raises(Exception, match="only Markdown and HTML"):
        diff_drafts(demo, d1.id, d2.id)


@pytest.mark.parametrize("args", COMMANDS)
def test_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_cli_flow(db_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(db_path)]
    assert runner.invoke(cli, [*db, "demo"]).exit_code == 0
    out = runner.invoke(cli, [*db, "suggest", "demo", "--item", "ronde-1", "--accept", "1"])
    assert out.exit_code == 0 and "Accepted 1 as theme 1" in out.output
    assert runner.invoke(cli, [*db, "themes", "synthesis", "1", "Eerste tekst."]).exit_code == 0
    first = runner.invoke(cli, [*db, "report", "demo"])
    assert first.exit_code == 0 and "Eerste tekst." in first.output
    assert runner.invoke(cli, [*db, "themes", "synthesis", "1", "Tweede tekst."]).exit_code == 0
    target = tmp_path / "draft.docx"
    made = runner.invoke(cli, [*db, "report", "demo", "--format", "docx", "-o", str(target)])
    assert made.exit_code == 0, made.output
    paragraphs = [p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs]
    assert any("Tweede tekst." in p for p in paragraphs)
    assert runner.invoke(cli, [*db, "report", "demo"]).exit_code == 0
    listed = runner.invoke(cli, [*db, "drafts", "demo"])
    assert len(listed.output.strip().splitlines()) == 3
    diff = runner.invoke(cli, [*db, "drafts", "diff", "1", "3"])
    assert "-**" in diff.output and "Tweede tekst." in diff.output
    themes = runner.invoke(cli, [*db, "themes", "list", "demo"])
    assert "of 8 tables" in themes.output


def test_cli_errors_are_one_line(db_path: Path) -> None:
    from dialoog.cli import main

    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db_path), "demo"])
    for args in (
        ["report", "nosuch"],
        ["report", "demo", "--template", "nope"],
        ["drafts", "diff", "1", "2"],
        ["suggest", "demo", "--item", "ronde-1", "--accept", "99"],
    ):
        with pytest.raises(SystemExit) as info:
            main(["--db", str(db_path), *args])
        assert info.value.code == 2
