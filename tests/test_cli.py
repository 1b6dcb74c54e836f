"""The command line: help everywhere, exit codes 0 and 2 where they belong."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from dialoog.cli import cli, main


def run(
    *args: str, stdin: bytes | None = None, db: Path | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``dialoog`` as a user would (a subprocess, ``python -m dialoog``)."""
    argv = [sys.executable, "-m", "dialoog"]
    if db is not None:
        argv += ["--db", str(db)]
    return subprocess.run([*argv, *args], input=stdin, capture_output=True, timeout=60)


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda p: " ".join(p) or "dialoog")
def test_every_command_has_help(path: tuple[str, ...], capsys: pytest.CaptureFixture) -> None:
    try:
        main([*path, "--help"])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr().out
    assert code in (0, None)
    assert "Usage:" in out
    command = cli
    for name in path:
        command = command.get_command(click.Context(command), name)
    assert command.help, f"{' '.join(path)} has no help text"


def test_help_in_dutch_and_english(monkeypatch: pytest.MonkeyPatch) -> None:
    dutch = run("--lang", "nl", "notes", "add", "--help")
    assert dutch.returncode == 0, dutch.stderr
    out = dutch.stdout.decode()
    assert "Bewaar één notitie" in out  # the command's docstring
    assert "Tafelnummer." in out  # an option's help
    assert "-h, --help" in out and "Toon deze hulptekst en stop." in out
    english = run("--lang=en", "notes", "add", "-h")
    assert english.returncode == 0, english.stderr
    out = english.stdout.decode()
    assert "Save one note" in out and "Table number." in out
    assert "Bewaar" not in out
    monkeypatch.setenv("DIALOOG_LANG", "nl")
    root = run("--help")
    assert root.returncode == 0, root.stderr
    out = root.stdout.decode()
    assert "Zonder opdracht opent de terminal-app" in out
    assert "Taal (standaard: $DIALOOG_LANG" in out
    assert "Notities toevoegen, importeren en tonen." in out  # a command's short help


def test_help_switches_back_to_english_in_one_process(capsys: pytest.CaptureFixture) -> None:
    """Translating the help in place keeps the English source for the next run."""
    for lang, expected in (("nl", "Tafelnummer."), ("en", "Table number."), ("nl", "Tafelnummer.")):
        try:
            main(["--lang", lang, "notes", "add", "--help"])
        except SystemExit as exc:
            assert exc.code in (0, None)
        assert expected in capsys.readouterr().out


def test_new_prints_id_on_last_line(db_path: Path) -> None:
    result = run("new", "--plan", "skills", db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[-1] == "2015-02-19-skills"
    again = run(
        "new", "--plan", "skills", "--title", "Skills opnieuw", "--date", "2016-02-19", db=db_path
    )
    assert again.stdout.decode().splitlines()[-1] == "2016-02-19-skills-opnieuw"
    listing = run("sessions", db=db_path).stdout.decode()
    assert listing.index("2016-02-19") < listing.index("2015-02-19")


def test_import_1000_lines_and_list_them(db_path: Path, tmp_path: Path) -> None:
    assert run("new", "--plan", "skills", db=db_path).returncode == 0
    marks = ["", "!", "?", '"', "> ", ""]
    kinds = ["observation", "recommendation", "question", "quote", "quote", "bottleneck"]
    lines = [
        f"{marks[i % 6]}notitie {i} over één ding" + (" #knelpunt" if i % 6 == 5 else "")
        for i in range(1000)
    ]
    source = tmp_path / "notes.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "notes",
        "import",
        str(source),
        "--session",
        "2015-02-19-skills",
        "--table",
        "3",
        "--item",
        "ronde-1",
        db=db_path,
    )
    assert result.returncode == 0, result.stderr
    listed = run("notes", "list", "--session", "2015-02-19-skills", "--format", "json", db=db_path)
    notes = json.loads(listed.stdout)
    assert len(notes) == 1000
    assert [n["text"] for n in notes] == [f"notitie {i} over één ding" for i in range(1000)]
    assert [n["kind"] for n in notes] == [kinds[i % 6] for i in range(1000)]
    text = run("notes", "list", "--session", "2015-02-19-skills", "--table", "3", db=db_path)
    assert len(text.stdout.decode().splitlines()) == 1000


def test_import_from_stdin(db_path: Path) -> None:
    run("new", "--plan", "skills", db=db_path)
    result = run(
        "notes",
        "import",
        "-",
        "--session",
        "2015-02-19-skills",
        "--table",
        "1",
        "--item",
        "round 2",
        stdin="!één\n\n?twee\n".encode(),
        db=db_path,
    )
    assert result.returncode == 0, result.stderr
    notes = json.loads(
        run(
            "notes", "list", "--session", "2015-02-19-skills", "--format", "json", db=db_path
        ).stdout
    )
    assert [(n["kind"], n["text"], n["item"]) for n in notes] == [
        ("recommendation", "één", 5),
        ("question", "twee", 5),
    ]


BAD_CALLS = [
    (
        ("notes", "add", "--session", "nope", "--table", "1", "--item", "1", "x"),
        "no session 'nope'",
    ),
    (
        ("notes", "add", "--session", "2015-02-19-skills", "--table", "99", "--item", "1", "x"),
        "no table 99",
    ),
    (
        (
            "notes",
            "add",
            "--session",
            "2015-02-19-skills",
            "--table",
            "1",
            "--item",
            "ronde-7",
            "x",
        ),
        "no agenda item",
    ),
    (
        ("notes", "add", "--session", "2015-02-19-skills", "--table", "1", "--item", "1", "  "),
        "empty note",
    ),
    (("notes", "add", "--session", "2015-02-19-skills", "--table", "1"), "Missing"),
    (("new", "--plan", "nonexistent"), "no plan file or bundled plan"),
    (("new", "--plan", "skills", "--date", "19-02-2015"), "YYYY-MM-DD"),
    (("capture", "--session", "nope", "--table", "1"), "no session 'nope'"),
    (("frobnicate",), "No such command"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_CALLS, ids=lambda a: " ".join(a) if isinstance(a, tuple) else ""
)
def test_bad_calls_exit_2_with_one_line(db_path: Path, args: tuple[str, ...], message: str) -> None:
    run("new", "--plan", "skills", db=db_path)
    before = run(
        "notes", "list", "--session", "2015-02-19-skills", "--format", "json", db=db_path
    ).stdout
    result = run(*args, db=db_path)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    after = run(
        "notes", "list", "--session", "2015-02-19-skills", "--format", "json", db=db_path
    ).stdout
    assert after == before


def test_non_utf8_import_writes_nothing(db_path: Path, tmp_path: Path) -> None:
    run("new", "--plan", "skills", db=db_path)
    source = tmp_path / "latin1.txt"
    source.write_bytes("goed\ncaf\xe9\n".encode("latin-1"))
    result = run(
        "notes",
        "import",
        str(source),
        "--session",
        "2015-02-19-skills",
        "--table",
        "1",
        "--item",
        "1",
        db=db_path,
    )
    assert result.returncode == 2
    assert "line 2: not UTF-8" in result.stderr.decode()
    notes = json.loads(
        run(
            "notes", "list", "--session", "2015-02-19-skills", "--format", "json", db=db_path
        ).stdout
    )
    assert notes == []


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("hello")
    for args in (("sessions",), ()):
        result = run(*args, db=bogus)
        assert result.returncode == 2
        assert "not a dialoog database" in result.stderr.decode()
        assert "Traceback" not in result.stderr.decode()
    assert bogus.read_text() == "hello"


def test_plan_validate(tmp_path: Path) -> None:
    from dialoog.paths import bundled_sessions_dir

    good = sorted(str(p) for p in bundled_sessions_dir().glob("*.toml"))
    result = run("plan", "validate", *good)
    assert result.returncode == 0, result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'slug = "x"\ntitle = "X"\n[[tables]]\nnumber = 1\n[[agenda]]\nkind = "round"\ntitle = "R"\n'
    )
    result = run("plan", "validate", good[0], str(bad))
    assert result.returncode == 2
    assert (
        result.stderr.decode().strip()
        == f"{bad}: agenda[0]: a round (gespreksronde) needs one to three questions"
    )


def test_demo_is_created_once(db_path: Path) -> None:
    first = run("demo", db=db_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.decode().splitlines()[-1] == "demo"
    second = run("demo", db=db_path)
    assert "already exists" in second.stdout.decode()
    notes = json.loads(
        run("notes", "list", "--session", "demo", "--format", "json", db=db_path).stdout
    )
    assert len(notes) >= 60
    rounds = {(n["item"], n["table"]) for n in notes}
    assert {t for i, t in rounds if i == 4} == set(range(1, 9))
    assert {t for i, t in rounds if i == 5} == set(range(1, 9))
    assert len({n["kind"] for n in notes}) == 7


def test_doctor(db_path: Path) -> None:
    missing = run("doctor", db=db_path)
    assert missing.returncode == 0
    assert "not created yet" in missing.stdout.decode()
    run("demo", db=db_path)
    out = run("doctor", db=db_path).stdout.decode()
    for label in (
        "Python",
        "SQLite",
        "textual",
        "schema version",
        "journal mode",
        "integrity_check",
    ):
        assert label in out
    assert "wal" in out


def test_dutch_interface(db_path: Path) -> None:
    result = run(
        "--lang",
        "nl",
        "notes",
        "add",
        "--session",
        "x",
        "--table",
        "1",
        "--item",
        "1",
        "y",
        db=db_path,
    )
    assert "fout" in result.stderr.decode()


def test_a_new_empty_database_is_announced(db_path: Path) -> None:
    """A mistyped --db, or a database removed while in use, never silently starts afresh."""
    first = run("sessions", db=db_path)
    assert first.returncode == 0, first.stderr
    assert f"started a new, empty database: {db_path}" in first.stderr.decode()
    again = run("sessions", db=db_path)
    assert again.returncode == 0 and b"new, empty database" not in again.stderr


def test_command_modules_load_only_when_used() -> None:
    """``import dialoog.cli`` loads no command module; ``notes add`` loads only its own."""
    code = (
        "import sys\n"
        "import click\n"
        "import dialoog.cli\n"
        "before = sorted(m for m in sys.modules if m.startswith('dialoog.cli.'))\n"
        "ctx = click.Context(dialoog.cli.cli)\n"
        "dialoog.cli.cli.get_command(ctx, 'notes')\n"
        "after = sorted(m for m in sys.modules if m.startswith('dialoog.cli.'))\n"
        "print(before, after)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['dialoog.cli.support'] ['dialoog.cli.notes', 'dialoog.cli.support']"
    )


def test_every_lazy_command_resolves() -> None:
    """Each entry of the root group's table names a command that exists."""
    from dialoog.cli import COMMANDS

    ctx = click.Context(cli)
    for name in COMMANDS:
        assert isinstance(cli.get_command(ctx, name), click.Command), name
