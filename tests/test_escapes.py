"""Issue 14, items 3, 4 and part of 6: control characters in and out, bad arguments, deep TOML.

Terminal escapes in note text, tags, titles and names are cleaned on the way
in and made visible (never acted on) on the way out; a non-UTF-8 argument, a
plan nested thousands deep and a 5 MB imported line give one clear line and
exit code 2; a lone surrogate does not stop a note being stored; Unicode line
separators do not split an imported line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.cli import main
from dialoog.plans import find_plan, load_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote
from dialoog.text import clean_line, clean_text, json_terminal_safe, terminal_safe

CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
WINDOW_TITLE = "\x1b]0;pwned\x07"
HOSTILE = (CLEAR, CLIPBOARD, WINDOW_TITLE, "\x9b31m", "\x00", "\r")


def run_cli(capsys: pytest.CaptureFixture, db: Path, *args: str) -> tuple[int, str, str]:
    """Run ``dialoog --db db args`` in this process: exit code, stdout, stderr."""
    try:
        main(["--db", str(db), *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def assert_no_controls(text: str) -> None:
    """No control character that a terminal acts on (newline and tab are fine)."""
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert not bad, f"control characters {bad!r} in {text!r}"


# -- the cleaning functions -------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_clean_text_drops_what_makes_an_escape(hostile: str) -> None:
    cleaned = clean_text(f"voor{hostile}na")
    assert_no_controls(cleaned)
    assert cleaned.startswith("voor") and cleaned.endswith("na")


def test_clean_text_keeps_lines_tabs_and_turns_every_line_break_into_newline() -> None:
    assert clean_text("a\tb\nc") == "a\tb\nc"
    for sep in ("\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"):
        assert clean_text(f"een{sep}twee") == "een\ntwee", repr(sep)


def test_clean_text_replaces_lone_surrogates() -> None:
    assert clean_text("a\ud800b\udcffc") == "a\ufffdb\ufffdc"


def test_clean_line_is_one_line() -> None:
    assert clean_line("  Titel\x1b[2J\n met\tregels  ") == "Titel[2J met regels"


def test_terminal_safe_makes_controls_visible() -> None:
    assert terminal_safe(f"a{CLEAR}b") == "a\\x1b[2Jb"
    assert terminal_safe("a\x07\x9b\x7fb") == "a\\x07\\x9b\\x7fb"
    assert terminal_safe("a\nb\tc") == "a\nb\tc"
    assert terminal_safe("a\nb\tc", one_line=True) == "a b c"
    assert terminal_safe("a\u2028b") == "a\nb"
    assert terminal_safe("a\ud800b") == "a\ufffdb"
    plain = "Gewone tekst, één ’quote’ 🎓"
    assert terminal_safe(plain) is plain


def test_json_terminal_safe_escapes_what_json_dumps_leaves() -> None:
    import json

    dumped = json.dumps({"t": "a\x9bb\u2028c\ud800"}, ensure_ascii=False)
    safe = json_terminal_safe(dumped)
    assert_no_controls(safe)
    assert json.loads(safe) == json.loads(dumped)


# -- on the way in ----------------------------------------------------------------------


def test_tags_and_text_from_any_path_are_stored_clean(store: Store, session) -> None:
    note = store.add_note(
        session.id, NewNote(1, 1, f"tekst{CLEAR}", tags=(f"tag{CLIPBOARD}", "  ", "ok"))
    )
    stored = store.get_note(note.id)
    assert stored.text == "tekst[2J"
    assert stored.tags == ["tag]52;c;ZXZpbA==", "ok"]
    edited = store.edit_note(note.id, tags=[f"x{WINDOW_TITLE}"])
    assert edited.tags == ["x]0;pwned"]
    assert_no_controls(repr(edited.revisions[-1].tags))


def test_lone_surrogate_in_note_is_stored_as_replacement_character(store: Store, session) -> None:
    note = store.add_note(session.id, NewNote(1, 1, "half \ud800 an emoji"))
    assert store.get_note(note.id).text == "half \ufffd an emoji"
    edited = store.edit_note(note.id, text="again \udcff")
    assert edited.text == "again \ufffd"


def test_session_title_is_stored_clean(store: Store) -> None:
    created = store.create_session(find_plan("skills"), title=f"Titel{WINDOW_TITLE}")
    assert store.get_session(created.id).title == "Titel]0;pwned"


def test_plan_texts_are_cleaned(tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text(
        'slug = "p"\n'
        'title = "Plan \\u001b[2J titel"\n'
        'description = "regel\\u001b]0;x\\u0007\\neen"\n'
        "[[tables]]\nnumber = 1\n"
        '[[agenda]]\nkind = "round"\ntitle = "Ronde\\u009b"\n'
        'questions = ["Vraag \\u001b]52;c;eA==\\u0007?"]\n',
        encoding="utf-8",
    )
    loaded = load_plan(plan)
    assert loaded.title == "Plan [2J titel"
    assert loaded.description == "regel]0;x\neen"
    assert loaded.agenda[0].title == "Ronde"
    assert loaded.agenda[0].questions == ["Vraag ]52;c;eA==?"]


# -- on the way out ---------------------------------------------------------------------


@pytest.fixture
def dirty_db(db_path: Path) -> Path:
    """A database with escapes stored raw, as an older dialoog or a bundle left them."""
    with Store.open(db_path) as store:
        session = store.create_session(find_plan("skills"))
        note = store.add_note(session.id, NewNote(2, 1, "onderwijs placeholder", tags=("t",)))
        # Written behind the store's back: the state of a database from before the fix.
        store.db.execute(
            "UPDATE notes SET text = ?, tags_json = ? WHERE id = ?",
            [f"onderwijs {CLEAR}{CLIPBOARD}{WINDOW_TITLE}", '["t\\u001b[31m"]', str(note.id)],
        )
        store.db.execute(
            "UPDATE sessions SET plan_json = json_set(plan_json, '$.title', ?) WHERE id = ?",
            [f"Sessie{WINDOW_TITLE}", session.id],
        )
        store.db.conn.commit()
    return db_path


def test_cli_never_writes_stored_escapes_raw(dirty_db: Path, capsys: pytest.CaptureFixture) -> None:
    session = "2015-02-19-skills"
    for args in (
        ("sessions",),
        ("notes", "list", "--session", session),
        ("notes", "list", "--session", session, "--format", "json"),
        ("search", "onderwijs"),
    ):
        code, out, err = run_cli(capsys, dirty_db, *args)
        assert code == 0, err
        assert_no_controls(out)
        assert_no_controls(err)
    code, out, _err = run_cli(capsys, dirty_db, "notes", "list", "--session", session)
    assert "\\x1b[2J" in out  # visible, not acted on


def test_error_messages_never_write_escapes_raw(
    db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, out, err = run_cli(capsys, db_path, "notes", "list", "--session", f"nee{CLEAR}")
    assert code == 2
    assert_no_controls(out + err)


def test_participants_from_csv_and_command_line_are_clean(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    with Store.open(db_path) as store:
        store.create_session(find_plan("skills"))
    session = "2015-02-19-skills"
    csv = tmp_path / "deelnemers.csv"
    csv.write_text(f"naam,organisatie\nRia van Dijk{CLEAR},SER{CLIPBOARD}\n", encoding="utf-8")
    code, out, err = run_cli(capsys, db_path, "participants", "import", session, str(csv))
    assert code == 0, err
    code, out, err = run_cli(
        capsys, db_path, "participants", "add", session, f"Jan Bos{WINDOW_TITLE}"
    )
    assert code == 0, err
    assert_no_controls(out + err)
    code, out, err = run_cli(capsys, db_path, "participants", "list", session, "--details")
    assert code == 0, err
    assert_no_controls(out)
    assert "[2J" in out and "]0;pwned" in out


# -- arguments that are not UTF-8 -------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("notes", "add", "--session", "s", "--table", "1", "--item", "1", "bad \udcff byte"),
        ("notes", "list", "--session", "bad\udcffsession"),
        ("participants", "add", "s", "Jan \udcffBos"),
    ],
    ids=["note text", "--session", "participants add"],
)
def test_non_utf8_argument_is_refused(
    args: tuple[str, ...], db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, _out, err = run_cli(capsys, db_path, *args)
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "UTF-8" in lines[0] and "\\xff" in lines[0], err
    assert not db_path.exists()  # refused before anything is opened or written


def test_non_utf8_argument_from_a_real_shell(tmp_path: Path) -> None:
    """As the shell passes ``$'bad \\xff byte'``: bytes, decoded by Python with surrogateescape."""
    db = tmp_path / "x.db"
    argv = [sys.executable, "-m", "dialoog", "--db", str(db), "notes", "add"]
    argv += ["--session", "s", "--table", "1", "--item", "1", b"bad \xff byte"]  # type: ignore[list-item]
    result = subprocess.run(argv, capture_output=True, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err and "UTF-8" in err


# -- plans nested thousands deep --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 3000 + "1" + "}" * 3000,
        'slug = "p"\n[' + ".".join(["t"] * 3000) + "]\n",
    ],
    ids=["5000 nested arrays", "3000 nested inline tables", "3000 nested tables"],
)
def test_deeply_nested_plan_is_refused_naming_the_file(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    plan = tmp_path / "diep.toml"
    plan.write_text(body, encoding="utf-8")
    code, _out, err = run_cli(capsys, tmp_path / "x.db", "plan", "validate", str(plan))
    assert code == 2
    assert "Traceback" not in err and "RecursionError" not in err
    assert err.strip() and all(str(plan) in line for line in err.strip().splitlines())


# -- notes import: line separators and a 5 MB line --------------------------------------


def test_import_splits_on_newlines_only(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    with Store.open(db_path) as store:
        store.create_session(find_plan("skills"))
    lines = tmp_path / "notes.txt"
    lines.write_text(
        "een\u2028twee\x85drie\x0bvier\x0cvijf\x1czes\u2029zeven\r\ntweede notitie\n",
        encoding="utf-8",
    )
    session = "2015-02-19-skills"
    args = ("notes", "import", str(lines), "--session", session, "--table", "1", "--item", "1")
    code, out, err = run_cli(capsys, db_path, *args)
    assert code == 0, err
    assert "Imported 2 notes." in out
    with Store.open(db_path) as store:
        texts = [n.text for n in store.list_notes(session)]
    assert texts == ["een\ntwee\ndrie\nvier\nvijf\nzes\nzeven", "tweede notitie"]


def test_five_megabyte_line_names_file_and_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    with Store.open(db_path) as store:
        store.create_session(find_plan("skills"))
    big = tmp_path / "groot.txt"
    big.write_text("eerste\n" + "x" * 5_000_000 + "\nderde\n", encoding="utf-8")
    session = "2015-02-19-skills"
    args = ("notes", "import", str(big), "--session", session, "--table", "1", "--item", "1")
    code, _out, err = run_cli(capsys, db_path, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(big) in lines[0] and "line 2" in lines[0], err
    with Store.open(db_path) as store:
        assert store.list_notes(session) == []
