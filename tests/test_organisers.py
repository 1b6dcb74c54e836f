"""An organiser's first hour from the README (issue 15): commands that say what they did.

Each test runs the real ``dialoog`` in a subprocess, as a user would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, db: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """``dialoog --db DB ARGS`` in the given interface language."""
    env = {**os.environ, "DIALOOG_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_sessions_stay_aligned_with_long_ids(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    long_title = "Een bijzonder lange titel voor een dialoogbijeenkomst over leren"
    for title in ("Kort", long_title):
        assert (
            run(
                "new", "--plan", "skills", "--title", title, "--date", "2026-03-12", db=db
            ).returncode
            == 0
        )
    lines = run("sessions", db=db).stdout.splitlines()
    assert len(lines) == 2
    # the date starts in the same column on every line
    columns = {line.index("2026-03-12 ") for line in lines}
    assert len(columns) == 1, lines


def test_new_from_a_bundled_meeting_on_a_fresh_install(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    result = run("new", "--from", "2015-03-30-leven-lang-leren", "--title", "Leven lang leren 2",
                 "--date", "2016-03-30", db=db)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "bundled plan" in result.stdout
    assert result.stdout.splitlines()[-1] == "2016-03-30-leven-lang-leren-2"
    missing = run("new", "--from", "no-such-meeting", db=db)
    assert missing.returncode == 2 and "no session" in missing.stderr


def test_click_speaks_dutch_under_dialoog_lang_nl(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    out = run("search", "--help", db=db, lang="nl").stdout
    assert out.startswith("Gebruik: dialoog search")
    assert "\nOpties:\n" in out
    assert "[standaard: 20; 1<=x<=10000]" in out
    assert "--kind [observatie|citaat|aanbeveling|knelpunt|goed-voorbeeld|open-vraag|actie]" in out
    assert "Usage" not in out and "Options" not in out and "default:" not in out
    required = run("capture", "--help", db=db, lang="nl").stdout
    assert "Uw tafelnummer.  [verplicht]" in required
    assert "Opdrachten:" in run("--help", db=db, lang="nl").stdout
    english = run("search", "--help", db=db, lang="en").stdout
    assert english.startswith("Usage: dialoog search") and "[default: 20; 1<=x<=10000]" in english


def test_kind_takes_the_name_in_either_language(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    assert run("demo", db=db).returncode == 0
    dutch = run("search", "stage", "--kind", "aanbeveling", db=db, lang="nl")
    english = run("search", "stage", "--kind", "recommendation", db=db, lang="en")
    assert dutch.returncode == english.returncode == 0
    assert "aanbeveling" in dutch.stdout and "recommendation" in english.stdout
    wrong = run("search", "stage", "--kind", "foo", db=db, lang="nl")
    assert wrong.returncode == 2
    assert "'foo' is geen soort notitie; kies uit: observatie, citaat" in wrong.stderr


def test_one_is_singular_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    assert run("demo", db=db).returncode == 0
    one_note = tmp_path / "een.txt"
    one_note.write_text("Eén notitie\n", encoding="utf-8")
    args = ("notes", "import", str(one_note), "--session", "demo", "--table", "2", "--item", "1")
    assert run(*args, db=db).stdout.strip() == "Imported 1 note."
    assert run(*args, db=db, lang="nl").stdout.strip() == "1 notitie geïmporteerd."
    one_person = tmp_path / "een.csv"
    one_person.write_text("naam\nRia van ’t Klooster\n", encoding="utf-8")
    imported = run("participants", "import", "demo", str(one_person), db=db)
    assert imported.stdout.startswith("Imported 1 participant (")
    seated = run("participants", "seat", "demo", db=db, lang="nl")
    assert seated.returncode == 0, seated.stderr
    assert seated.stdout.startswith("1 persoon ingedeeld aan 8 tafels voor ")
