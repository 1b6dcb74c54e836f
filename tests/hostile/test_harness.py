"""The harness itself: it calls a clean answer clean and every kind of failure a failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hostile.classes import SESSION
from hostile.harness import (
    ACCEPTED,
    CONTROL,
    EXIT,
    HANG,
    REJECTED,
    TRACEBACK,
    UNCLEAN,
    Case,
    Lab,
    Result,
    Stats,
    invoke,
)


def _add(text: str) -> Case:
    return Case(["notes", "add", "--session", SESSION, "--table", "1", "--item", "1", text])


@pytest.fixture
def own_lab(world_files, tmp_path: Path) -> Lab:
    """A lab with its own counts (the run's totals stay about hostile inputs only)."""
    return Lab(tmp_path / "lab", world_files[0], Stats())


def test_a_plain_note_is_accepted_in_process_and_in_a_child(own_lab: Lab) -> None:
    verdict = own_lab.run("self", _add("Meer stageplekken"), child=True)
    assert verdict.outcome == ACCEPTED, verdict
    assert own_lab.stats.subprocess_runs == 1


def test_an_unknown_session_is_a_clean_rejection(own_lab: Lab) -> None:
    case = Case(["notes", "add", "--session", "nope", "--table", "1", "--item", "1", "x"])
    verdict = own_lab.run("self", case)
    assert verdict.outcome == REJECTED, verdict
    assert "nope" in verdict.detail


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        (Result(1, "", "", "ValueError: boom"), TRACEBACK),
        (Result(1, "", "Traceback (most recent call last):\nValueError: boom\n"), TRACEBACK),
        (Result(None, "", ""), HANG),
        (Result(1, "", "dialoog: error: x\n"), EXIT),
        (Result(2, "", "dialoog: error: one\ndialoog: error: two\n"), UNCLEAN),
        (Result(2, "", ""), UNCLEAN),
        (Result(2, "", "dialoog: error: bad \x1b]0;title\x07 here\n"), CONTROL),
        (Result(0, "note \x1b[2J\n", ""), CONTROL),
    ],
)
def test_failures_are_named(own_lab: Lab, result: Result, outcome: str) -> None:
    verdict = own_lab._judge(Case([]), result, own_lab.template_db, None)
    assert verdict.outcome == outcome, verdict


def test_a_rejection_must_name_the_file(own_lab: Lab) -> None:
    result = Result(2, "", "dialoog: error: line 3: bad\n")
    verdict = own_lab._judge(Case([]), result, own_lab.template_db, "/x/notes.txt")
    assert verdict.outcome == UNCLEAN


def test_a_run_past_its_deadline_is_a_hang(world_files, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(world_files[0], db)  # never the prepared database: it might stay open
    result = invoke(["--db", str(db), "sessions"], hang_s=0.000_1)
    assert result.code is None
