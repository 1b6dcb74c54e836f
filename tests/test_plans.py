"""Session plans: the bundled ones validate; broken ones get one clear line each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.errors import PlanError
from dialoog.models import ItemKind, SeriesPlan, SessionPlan
from dialoog.paths import bundled_sessions_dir
from dialoog.plans import discover_plans, find_plan, load_plan

BUNDLED = sorted(bundled_sessions_dir().glob("*.toml"))


def test_there_are_bundled_plans() -> None:
    names = {p.name for p in BUNDLED}
    assert {
        "2015-02-19-skills.toml",
        "2015-03-30-leven-lang-leren.toml",
        "2015-05-12-samenwerking.toml",
        "leren-in-de-toekomst.toml",
    } <= names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_plan_validates(path: Path) -> None:
    assert isinstance(load_plan(path), SessionPlan | SeriesPlan)


def test_ser_meetings_follow_the_seed() -> None:
    skills = find_plan("skills")
    assert str(skills.date) == "2015-02-19"
    assert skills.chair_of_day and skills.chair_of_day.name == "Mariëtte Hamer"
    assert [r.key for r in skills.rounds] == ["ronde-1", "ronde-2"]
    assert skills.rounds[1].questions == [
        "Wanneer, hoe en waar kunnen skills het beste worden aangeleerd?"
    ]
    keynote = next(i for i in skills.agenda if i.kind is ItemKind.KEYNOTE)
    assert keynote.speakers[0].name == "Lex Borghans"

    lll = find_plan("leven-lang-leren")
    kinds = [i.kind for i in lll.agenda]
    # keynote, round 1, presentation, round 2, presentation, round 3, inventory
    core = [k for k in kinds if k not in (ItemKind.OPENING, ItemKind.CLOSING)]
    assert core == [
        ItemKind.KEYNOTE,
        ItemKind.ROUND,
        ItemKind.PRESENTATION,
        ItemKind.ROUND,
        ItemKind.PRESENTATION,
        ItemKind.ROUND,
        ItemKind.INVENTORY,
    ]
    assert lll.rounds[2].questions == ["Hoe kan informeel leren bevorderd worden?"]

    samen = find_plan("samenwerking")
    assert str(samen.date) == "2015-05-12"
    assert len(samen.rounds) == 2 and all(len(r.questions) == 3 for r in samen.rounds)


def test_series_lists_the_three_sessions() -> None:
    series = [p.plan for p in discover_plans() if isinstance(p.plan, SeriesPlan)]
    assert series[0].sessions == ["skills", "leven-lang-leren", "samenwerking"]


GOOD = """
slug = "test"
title = "Test"
date = 2015-02-19

[[tables]]
number = 1

[[agenda]]
kind = "keynote"
title = "Inleiding"

[[agenda]]
kind = "round"
key = "ronde-1"
title = "Ronde 1"
questions = ["Wat?"]
"""

BROKEN = [
    ("syntax", GOOD.replace('title = "Test"', 'title = "Test'), "bad.toml:3:"),
    ("unknown field", 'colour = "red"\n' + GOOD, "bad.toml: colour: unknown field"),
    (
        "missing title",
        GOOD.replace('title = "Test"\n', ""),
        "bad.toml: title: required field is missing",
    ),
    (
        "no questions",
        GOOD.replace('questions = ["Wat?"]', ""),
        "bad.toml: agenda[1]: a round (gespreksronde) needs one to three questions",
    ),
    (
        "four questions",
        GOOD.replace('["Wat?"]', '["a?", "b?", "c?", "d?"]'),
        "agenda[1]: a round (gespreksronde) needs one to three",
    ),
    (
        "empty question",
        GOOD.replace('["Wat?"]', '["Wat?", ""]'),
        "bad.toml: agenda[1].questions[1]:",
    ),
    (
        "unknown kind",
        GOOD.replace('kind = "keynote"', 'kind = "lunch"'),
        "bad.toml: agenda[0].kind: Input should be",
    ),
    ("bad date", GOOD.replace("2015-02-19", '"19 februari"'), "bad.toml: date:"),
    (
        "no tables",
        GOOD.replace("[[tables]]\nnumber = 1\n", ""),
        "bad.toml: tables: required field is missing",
    ),
    ("table zero", GOOD.replace("number = 1", "number = 0"), "bad.toml: tables[0].number:"),
    (
        "duplicate tables",
        GOOD.replace("number = 1", "number = 1\n[[tables]]\nnumber = 1"),
        "bad.toml: tables: Value error, table numbers must be unique".replace("Value error, ", ""),
    ),
    ("bad slug", GOOD.replace('slug = "test"', 'slug = "Test Sessie"'), "bad.toml: slug:"),
    (
        "unknown speaker field",
        GOOD.replace(
            'title = "Inleiding"', 'title = "Inleiding"\n[[agenda.speakers]]\nname = "X"\nage = 3'
        ),
        "bad.toml: agenda[0].speakers[0].age: unknown field",
    ),
    (
        "duration zero",
        GOOD.replace('questions = ["Wat?"]', 'questions = ["Wat?"]\nduration_minutes = 0'),
        "bad.toml: agenda[1].duration_minutes:",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_plan_names_the_problem(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    message = "\n".join(info.value.problems)
    assert expected in message.replace(str(tmp_path) + "/", "")
    assert all(line.startswith(str(path)) for line in info.value.problems)


def test_good_variant_is_good(tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_plan(path).slug == "test"


def test_non_utf8_plan(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(GOOD.replace("Test", "Caf\xe9").encode("latin-1"))
    with pytest.raises(PlanError, match=r"latin\.toml:3: not UTF-8"):
        load_plan(path)


def test_unknown_plan_name() -> None:
    with pytest.raises(PlanError, match="no plan file or bundled plan"):
        find_plan("does-not-exist")


#: A plan with four problems that used to come one wave at a time (issue 15).
WAVES = """slug = "x"
title = "X"
[[tables]]
number = 1
[[tables]]
number = 1
[[agenda]]
kind = "round"
title = "R"
key = "ronde"
questions = ["a", "b", "c", "d"]
duraton_minutes = 30
[[agenda]]
kind = "round"
title = "R2"
key = "ronde"
questions = ["a"]
"""


def validate(path: Path, lang: str) -> subprocess.CompletedProcess[str]:
    """``dialoog plan validate PATH`` in a subprocess, in the given language."""
    env = {**os.environ, "DIALOOG_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    argv = [sys.executable, "-m", "dialoog", "plan", "validate", str(path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)


def test_plan_validate_reports_every_problem_at_once(tmp_path: Path) -> None:
    path = tmp_path / "waves.toml"
    path.write_text(WAVES, encoding="utf-8")
    result = validate(path, "en")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}: agenda[0].duraton_minutes: unknown field; did you mean `duration_minutes`?",
        f"{path}: agenda[0]: a round (gespreksronde) needs one to three questions",
        f"{path}: agenda[0].key, agenda[1].key: agenda item keys must be unique:"
        " 'ronde' is used 2 times",
        f"{path}: tables: table numbers must be unique: 1 is used 2 times",
    ]
    assert "Traceback" not in result.stderr


def test_plan_validate_speaks_dutch(tmp_path: Path) -> None:
    path = tmp_path / "waves.toml"
    path.write_text(WAVES, encoding="utf-8")
    lines = validate(path, "nl").stderr.splitlines()
    assert lines[0].endswith("onbekend veld; bedoelt u `duration_minutes`?")
    assert lines[1].endswith("een gespreksronde heeft één tot drie vragen")
    assert "komt 2 keer voor" in lines[2] and "'ronde'" in lines[2]
    good = validate(bundled_sessions_dir() / "2015-02-19-skills.toml", "nl")
    assert good.returncode == 0 and "(bijeenkomst skills)" in good.stdout
