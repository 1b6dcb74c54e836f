"""Reuse: a new session from an earlier one, and plan files that round-trip."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.history.reuse import export_plan, new_from_session, plan_to_toml, session_plan
from dialoog.plans import discover_plans, load_plan
from dialoog.storage import Store, write
from dialoog.storage.store import NewNote


def structure(store: Store, session_id: str) -> dict:
    """The stored structure: programme rows and tables, without the session id."""
    items = [
        r[1:]
        for r in store.db.execute(
            "SELECT session_id, position, key, kind, title, questions_json, duration_minutes"
            " FROM agenda_items WHERE session_id = ? ORDER BY position",
            [session_id],
        )
    ]
    tables = [
        r
        for r in store.db.execute(
            "SELECT number, name, chair FROM session_tables WHERE session_id = ? ORDER BY number",
            [session_id],
        )
    ]
    return {"items": items, "tables": tables}


SESSION_PLANS = [p for p in discover_plans() if p.plan.type == "session"]


@pytest.mark.parametrize("plan_file", SESSION_PLANS, ids=lambda p: p.path.stem)
def test_every_bundled_plan_round_trips_through_toml(plan_file, tmp_path: Path) -> None:
    plan = plan_file.plan
    out = tmp_path / "plan.toml"
    out.write_text(plan_to_toml(plan, "comment"), encoding="utf-8")
    assert load_plan(out) == plan


def test_new_from_copies_structure_not_notes(store: Store, session) -> None:
    store.add_note(session.id, NewNote(1, 4, "Deze notitie gaat niet mee"))
    with write(store.db):
        store.db.execute(
            "UPDATE session_tables SET chair = 'Fatima' WHERE session_id = ? AND number = 2",
            [session.id],
        )
    copy = new_from_session(store, session.id, title="Vervolg", date=dt.date(2015, 6, 1))
    assert copy.id == "2015-06-01-vervolg"
    assert copy.note_count == 0 and store.list_notes(copy.id, include_deleted=True) == []
    assert structure(store, copy.id) == structure(store, session.id)
    assert copy.plan.agenda == session.plan.agenda
    assert copy.plan.tables[1].chair == "Fatima"
    assert copy.title == "Vervolg"


def test_with_participants(store: Store, session) -> None:
    with write(store.db):
        store.db["participants"].insert_all(
            [
                {
                    "session_id": session.id,
                    "given_name": "Ria",
                    "tussenvoegsel": "van ’t",
                    "surname": "Klooster",
                    "organisation": "SER",
                },
                {
                    "session_id": session.id,
                    "given_name": "",
                    "tussenvoegsel": "",
                    "surname": "Bok",
                    "organisation": "UvA",
                },
            ]
        )
    bare = new_from_session(store, session.id)
    full = new_from_session(store, session.id, with_participants=True)

    def people(sid: str) -> list[tuple]:
        return store.db.execute(
            "SELECT given_name, tussenvoegsel, surname, organisation FROM participants"
            " WHERE session_id = ? ORDER BY surname",
            [sid],
        ).fetchall()

    assert people(bare.id) == []
    assert people(full.id) == people(session.id) and len(people(full.id)) == 2


def test_with_participants_copies_seating(store: Store, session) -> None:
    with write(store.db):
        pid = (
            store.db["participants"]
            .insert(
                {
                    "session_id": session.id,
                    "given_name": "Lex",
                    "tussenvoegsel": "",
                    "surname": "Borghans",
                }
            )
            .last_pk
        )
        store.db["seating"].insert(
            {"session_id": session.id, "item": 4, "participant_id": pid, "table_no": 3, "manual": 1}
        )
    full = new_from_session(store, session.id, with_participants=True)
    rows = store.db.execute(
        "SELECT p.surname, s.item, s.table_no, s.manual FROM seating s"
        " JOIN participants p ON p.id = s.participant_id WHERE s.session_id = ?",
        [full.id],
    ).fetchall()
    assert rows == [("Borghans", 4, 3, 1)]


def test_plan_export_validates_and_gives_the_same_structure(
    store: Store, session, tmp_path: Path
) -> None:
    out = tmp_path / "mei.toml"
    plan = export_plan(store, session.id, out)
    assert load_plan(out) == plan == session_plan(store, session.id)
    again = store.create_session(load_plan(out))
    assert structure(store, again.id) == structure(store, session.id)


def test_cli_new_from_and_plan_export(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    run = [sys.executable, "-m", "dialoog", "--db", str(db)]
    first = subprocess.run(
        [*run, "new", "--plan", "leven-lang-leren"], capture_output=True, text=True
    )
    sid = first.stdout.strip().splitlines()[-1]
    made = subprocess.run(
        [*run, "new", "--from", sid, "--date", "2015-05-12", "--title", "Mei"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().splitlines()[-1] == "2015-05-12-mei"
    out = tmp_path / "p.toml"
    exported = subprocess.run(
        [*run, "plan", "export", sid, "-o", str(out)], capture_output=True, text=True
    )
    assert exported.returncode == 0, exported.stderr
    valid = subprocess.run([*run, "plan", "validate", str(out)], capture_output=True, text=True)
    assert valid.returncode == 0 and "ok" in valid.stdout
    both = subprocess.run(
        [*run, "new", "--plan", "skills", "--from", sid], capture_output=True, text=True
    )
    neither = subprocess.run([*run, "new"], capture_output=True, text=True)
    unknown = subprocess.run([*run, "new", "--from", "nope"], capture_output=True, text=True)
    assert both.returncode == neither.returncode == unknown.returncode == 2
    assert "exactly one" in both.stderr and "no session 'nope'" in unknown.stderr
