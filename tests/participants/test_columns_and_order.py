"""An organiser's participant list as it comes (issue 15): extra columns, and the order.

A registration export has columns dialoog has no place for (``functie``, a
diet): the known columns are imported and each other one is named in a warning,
with or without ``--skip-bad``. ``participants order`` says what it changed.
Each test runs the real ``dialoog`` in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.participants import service
from dialoog.storage import Store


def run(db: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """``dialoog --db DB ARGS`` in the given language."""
    env = {**os.environ, "DIALOOG_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    argv = [sys.executable, "-m", "dialoog", "--db", str(db), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with the demo session."""
    path = tmp_path / "d.db"
    assert run(path, "demo").returncode == 0
    return path


@pytest.mark.parametrize("skip_bad", [False, True])
def test_unknown_columns_are_left_out_with_a_warning(
    db: Path, tmp_path: Path, skip_bad: bool
) -> None:
    csv = tmp_path / "aanmeldingen.csv"
    csv.write_text(
        "voornaam;achternaam;organisatie;functie;rol;dieet\n"
        "Ria;Klooster;Gemeente Zwolle;directeur;tafelvoorzitter;vegan\n"
        "Jan;Jansen;ROC Midden;docent;;\n",
        encoding="utf-8",
    )
    result = run(db, "participants", "import", "demo", str(csv), *(["--skip-bad"] * skip_bad))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 participants" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2
    assert "column D ('functie')" in warnings[0] and "job titles" in warnings[0]
    assert "column F ('dieet')" in warnings[1] and "unknown column" in warnings[1]
    with Store.open(db) as store:
        people = {p.surname: p for p in service.list_people(store, "demo")}
    assert people["Klooster"].organisation == "Gemeente Zwolle"
    assert "table_chair" in {r.value for r in people["Klooster"].roles}


def test_a_file_of_only_unknown_columns_still_has_no_name(db: Path, tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("functie;dieet\ndirecteur;vegan\n", encoding="utf-8")
    result = run(db, "participants", "import", "demo", str(csv))
    assert result.returncode == 2
    assert "no name column" in result.stderr and "Traceback" not in result.stderr


def test_order_says_what_changed(db: Path, tmp_path: Path) -> None:
    csv = tmp_path / "g.csv"
    csv.write_text("naam\nRia van den Bergh\nPiet Aalders\nKees Wit\n", encoding="utf-8")
    assert run(db, "participants", "import", "demo", str(csv)).returncode == 0
    belgian = run(db, "participants", "order", "demo", "belgian")
    assert belgian.returncode == 0
    assert belgian.stdout.strip().startswith("Appendix order: Belgian (was Dutch)")
    assert "Van den Bergh under V" in belgian.stdout
    assert "names move in the appendix" in belgian.stdout
    again = run(db, "participants", "order", "demo", "belgian")
    assert "already Belgian; nothing changed" in again.stdout
    dutch = run(db, "participants", "order", "demo", "dutch", lang="nl")
    assert dutch.stdout.startswith("Volgorde van de bijlage: Nederlands (was Belgisch)")
    assert run(db, "participants", "order", "demo").stdout.strip() == "dutch"
