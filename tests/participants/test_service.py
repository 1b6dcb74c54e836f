"""Participants in the store: roles, privacy, forget, seating with chairs and manual moves."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.cli import main
from dialoog.errors import NotFoundError
from dialoog.models import Role
from dialoog.participants import service
from dialoog.participants.sorting import Convention
from dialoog.storage import Store

#: Prints the bytes of a database and its -wal/-shm/-journal files, run in a child process.
_READ_DB_FILES = (
    "import pathlib, sys; p = pathlib.Path(sys.argv[1]); "
    "sys.stdout.buffer.write(b''.join("
    "f.read_bytes() for f in p.parent.glob(p.name + '*') if f.is_file()))"
)


def _fill(store: Store, session_id: str, n: int = 24) -> list[service.Person]:
    people = []
    for i in range(n):
        roles = [Role.TABLE_CHAIR] if i < 8 else [Role.PARTICIPANT]
        people.append(
            service.add_person(
                store,
                session_id,
                f"Persoon{i:02d} van Achternaam{i:02d}",
                organisation=f"Org {i % 6}",
                roles=roles,
            )
        )
    return people


def test_roles_add_remove_replace(store: Store, session) -> None:
    p = service.add_person(
        store, session.id, "Lex Borghans", organisation="Universiteit Maastricht"
    )
    assert p.roles == (Role.PARTICIPANT,)
    p = service.set_roles(store, session.id, p.id, add=[Role.SPEAKER, Role.PANEL_MEMBER])
    assert p.roles == (Role.PARTICIPANT, Role.SPEAKER, Role.PANEL_MEMBER)
    p = service.set_roles(store, session.id, p.id, remove=[Role.PARTICIPANT])
    assert p.roles == (Role.SPEAKER, Role.PANEL_MEMBER)
    assert not p.seated
    p = service.set_roles(store, session.id, p.id, replace=[Role.COMMITTEE_MEMBER])
    assert p.roles == (Role.COMMITTEE_MEMBER,) and p.seated


def test_hidden_people_stay_out_of_the_appendix(store: Store, session) -> None:
    service.add_person(store, session.id, "Gerard Adema", organisation="CEW")
    hidden = service.add_person(store, session.id, "Sanne Akkerman", in_appendix=False)
    assert [e["line"] for e in service.appendix(store, session.id)] == ["Gerard Adema (CEW)"]
    assert len(service.list_people(store, session.id)) == 2
    service.update_person(store, session.id, hidden.id, in_appendix=True)
    assert service.appendix_text(store, session.id) == "Gerard Adema (CEW) – Sanne Akkerman"


def test_session_convention_setting(store: Store, session) -> None:
    service.add_person(store, session.id, "Jan Van den Bergh")
    service.add_person(store, session.id, "Karel Smet")
    assert [e["surname"] for e in service.appendix(store, session.id)] == ["Bergh", "Smet"]
    service.set_convention(store, session.id, Convention.BELGIAN)
    assert [e["surname"] for e in service.appendix(store, session.id)] == ["Smet", "Bergh"]


def test_find_person_by_number_name_or_part(store: Store, session) -> None:
    a = service.add_person(store, session.id, "Henriëtte ten Berge")
    service.add_person(store, session.id, "Hendrik ten Berge")
    assert service.find_person(store, session.id, "henriette ten berge").id == a.id
    assert service.find_person(store, session.id, str(a.id)).id == a.id
    with pytest.raises(NotFoundError, match="matches 2 participants"):
        service.find_person(store, session.id, "ten Berge")
    with pytest.raises(NotFoundError):
        service.find_person(store, session.id, "nobody")


def test_forget_leaves_nothing_behind(store: Store, session, db_path: Path) -> None:
    _fill(store, session.id)
    secret = service.add_person(
        store,
        session.id,
        "Zwaantje Geheimhouder",
        organisation="Verborgen Stichting",
        email="zwaantje@geheim.example",
        roles=[Role.PARTICIPANT, Role.SECRETARY],
    )
    report = service.seat(store, session.id, rotate=True)
    service.move(store, session.id, report.items[0], secret.id, 3)
    assert store.db.execute(
        "SELECT count(*) FROM seating WHERE participant_id = ?", [secret.id]
    ).fetchone()[0] == len(report.items)

    # Records derived from them: report drafts with the appendix, an initiative they sent in.
    from dialoog.models import ExampleInitiative
    from dialoog.synthesis.drafts import list_drafts, make_draft
    from dialoog.synthesis.themes import add_initiative

    add_initiative(
        store, session.id, ExampleInitiative(title="Geheim plan", author=secret.full_name)
    )
    for fmt in ("md", "html", "docx"):
        make_draft(store, session.id, template="verslag", fmt=fmt)
    make_draft(store, session.id, template="tafelverslag", fmt="md")  # names nobody
    assert len(list_drafts(store, session.id)) == 4

    forgotten = service.forget(store, session.id, "geheimhouder")
    assert forgotten.seats == len(report.items)
    assert (forgotten.drafts, forgotten.initiatives) == (3, 1)
    assert [d.template for d in list_drafts(store, session.id)] == ["tafelverslag"]
    for table in ("participants", "seating"):
        columns = [c.name for c in store.db[table].columns]
        key = "id" if table == "participants" else "participant_id"
        assert key in columns
        assert not store.db.execute(
            f"SELECT count(*) FROM {table} WHERE {key} = ?", [secret.id]
        ).fetchone()[0]
    # Not in any table's text either, nor in the bytes of the database or its log.
    for table in store.db.table_names():
        for row in store.db[table].rows:
            assert "Geheimhouder" not in repr(row)
    # Read by another process: a Python open() here would drop this store's locks.
    raw = subprocess.run(
        [sys.executable, "-c", _READ_DB_FILES, str(db_path)], capture_output=True, check=True
    ).stdout
    for word in ("Geheimhouder", "Verborgen Stichting", "zwaantje@geheim"):
        assert word.encode() not in raw
    # The others are still there and still seated.
    assert len(service.list_people(store, session.id)) == 24
    with pytest.raises(NotFoundError):
        service.get_person(store, session.id, secret.id)


def test_seat_pins_chairs_and_keeps_manual_moves(store: Store, session) -> None:
    people = _fill(store, session.id, 40)
    chairs = [p for p in people if Role.TABLE_CHAIR in p.roles]
    report = service.seat(store, session.id, rotate=True, seed=3)
    assert report.quality.org_clashes == 0
    assert report.quality.tables_without_chair == 0 and report.unseated_tables == []
    _first, second = report.items
    for chair in chairs:
        tables = {report.plans[r][chair.id] for r in range(2)}
        assert len(tables) == 1, "a table chair keeps their table"
    mover = next(p for p in people if Role.TABLE_CHAIR not in p.roles)
    service.move(store, session.id, second, mover.id, 7)
    again = service.seat(store, session.id, rotate=True, seed=99)
    assert again.plans[1][mover.id] == 7
    at_seven = service.seating(store, session.id, second)[7]
    assert (mover.id, True) in [(p.id, manual) for p, manual in at_seven]
    assert Role.TABLE_CHAIR in at_seven[0][0].roles, "the chair is listed first"
    quality = service.seating_quality(store, session.id, again.items)
    assert quality == again.quality


def test_cli_seat_and_export(
    store: Store, session, db_path: Path, capsys: pytest.CaptureFixture
) -> None:
    _fill(store, session.id, 30)

    def run(*args: str) -> int:
        try:
            main(["--db", str(db_path), "participants", *args])
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    assert run("seat", session.id, "--rotate", "--seed", "2") == 0
    assert "0 organisation clashes" in capsys.readouterr().out
    assert run("seating", session.id, "--format", "csv", "--rounds", "ronde-1") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 30 and {r["ronde"] for r in rows} == {"ronde-1"}
    assert {int(r["tafel"]) for r in rows} == set(range(1, 9))
    assert run("seating", session.id, "--format", "md") == 0
    out = capsys.readouterr().out
    assert out.count("### Table") == 16 and out.count("\n- ") == 60
    assert run("forget", session.id, "Persoon29", "--yes") == 0
    assert "(2 seats, 0 report drafts" in capsys.readouterr().out
    assert run("roles", session.id, "Persoon28", "--add", "spreker") == 0
    assert "speaker" in capsys.readouterr().out
    assert run("edit", session.id, "Persoon28", "--surname", "Anders", "--tussenvoegsel", "") == 0
    assert run("list", session.id) == 0
    assert "Persoon28 Anders (Org 4)" in capsys.readouterr().out
