"""Bundles: round trip, idempotent and ordered-free merges, and every broken bundle refused."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dialoog.history.bundle import (
    FORMAT_VERSION,
    MAX_DRAFT_LENGTH,
    BundleError,
    checksum_of,
    export_bundle,
    import_file,
)
from dialoog.history.search import search
from dialoog.kinds import MAX_NOTE_LENGTH
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote
from dialoog.storage.trigram import catch_up_trigram, trigram_pending


def state(db_path: Path, exact_deleted_at: bool = True) -> dict:
    """Everything an import may touch, as plain sorted data."""
    with Store.open(db_path) as s:
        notes = [
            dict(r) if exact_deleted_at else {**r, "deleted_at": r["deleted_at"] is not None}
            for r in s.db.query("SELECT * FROM notes ORDER BY id")
        ]
        revs = list(s.db.query("SELECT * FROM note_revisions ORDER BY note_id, rev"))
        drafts = list(s.db.query("SELECT * FROM typing_drafts ORDER BY session_id, table_no, item"))
        sessions = list(s.db.query("SELECT id, slug, date, plan_json FROM sessions ORDER BY id"))
    return {"notes": notes, "revisions": revs, "drafts": drafts, "sessions": sessions}


def copy_db(src: Path, dest: Path) -> Path:
    shutil.copyfile(src, dest)
    return dest


@pytest.fixture
def base(tmp_path: Path) -> tuple[Path, str, list[str]]:
    """A closed database with the skills session and three notes, to copy to 'laptops'."""
    path = tmp_path / "base.db"
    with Store.open(path) as s:
        session = s.create_session(find_plan("skills"))
        ids = s.add_notes(
            session.id,
            [NewNote(1, 4, "Eerste notitie"), NewNote(2, 4, "Tweede"), NewNote(3, 5, "Derde")],
        )
    return path, session.id, ids


def test_round_trip_into_an_empty_database(base, tmp_path: Path) -> None:
    path, sid, ids = base
    with Store.open(path) as s:
        s.edit_note(ids[0], text="Eerste, verbeterd")
        s.delete_note(ids[1])
        s.save_draft(sid, 3, "half getypt", item=4)
        export_bundle(s, sid, tmp_path / "b.json")
    target = tmp_path / "empty.db"
    with Store.open(target) as t:
        result = import_file(t, tmp_path / "b.json")
        assert result.created_session and result.new_notes == 3 and result.drafts == 1
        note = t.get_note(ids[0])
        assert [r.text for r in note.revisions] == ["Eerste notitie", "Eerste, verbeterd"]
        assert note.text == "Eerste, verbeterd"
        assert t.get_note(ids[1]).deleted
        assert t.load_draft(sid, 3, item=4) == "half getypt"
        assert t.get_session(sid).plan == find_plan("skills")
    assert state(target, False)["revisions"] == state(path, False)["revisions"]
    assert state(target, False)["notes"] == state(path, False)["notes"]


def test_same_bundle_twice_adds_nothing(base, tmp_path: Path) -> None:
    path, sid, _ids = base
    with Store.open(path) as s:
        export_bundle(s, sid, tmp_path / "b.json")
    target = tmp_path / "t.db"
    with Store.open(target) as t:
        import_file(t, tmp_path / "b.json")
    before = state(target)
    with Store.open(target) as t:
        again = import_file(t, tmp_path / "b.json")
    assert not again.changed
    assert state(target) == before


def test_both_sides_edited_keeps_every_revision_newest_current(base, tmp_path: Path) -> None:
    path, sid, ids = base
    a, b = copy_db(path, tmp_path / "a.db"), copy_db(path, tmp_path / "b.db")
    with Store.open(a) as s:
        s.edit_note(ids[0], text="Versie van laptop A")
        export_bundle(s, sid, tmp_path / "a.json")
    with Store.open(b) as s:
        s.edit_note(ids[0], text="Versie van laptop B, later")
        export_bundle(s, sid, tmp_path / "b.json")
    with Store.open(a) as s:
        import_file(s, tmp_path / "b.json")
        note = s.get_note(ids[0])
    assert [r.text for r in note.revisions] == [
        "Eerste notitie",
        "Versie van laptop A",
        "Versie van laptop B, later",
    ]
    assert [r.rev for r in note.revisions] == [1, 2, 3]
    assert note.text == "Versie van laptop B, later" and note.rev == 3


def test_three_laptops_in_every_order(base, tmp_path: Path) -> None:
    path, sid, ids = base
    bundles = []
    for n in range(3):
        laptop = copy_db(path, tmp_path / f"laptop{n}.db")
        with Store.open(laptop) as s:
            s.add_note(sid, NewNote(n + 1, 5, f"Nieuw van tafel {n + 1}"))
            s.edit_note(ids[n], text=f"Bewerkt op laptop {n}")
            if n == 2:
                s.delete_note(ids[0])
            s.save_draft(sid, n + 1, f"concept {n}", item=4)
            bundles.append(export_bundle(s, sid, tmp_path / f"l{n}.json", table=None))
    results = []
    for order in itertools.permutations(range(3)):
        secretary = copy_db(path, tmp_path / f"sec-{''.join(map(str, order))}.db")
        with Store.open(secretary) as s:
            for n in order:
                import_file(s, tmp_path / f"l{n}.json")
        results.append(state(secretary))
    assert all(r == results[0] for r in results)
    texts = {r["text"] for r in results[0]["revisions"]}
    assert {f"Nieuw van tafel {n + 1}" for n in range(3)} <= texts
    assert {f"Bewerkt op laptop {n}" for n in range(3)} <= texts
    assert len(results[0]["notes"]) == 6
    assert len(results[0]["drafts"]) == 3


def index_differences(db_path: Path) -> dict[str, list]:
    """Per word/trigram index: how it differs from a fresh index of the live notes.

    ``fts5vocab`` lists every (term, note, offset) an index holds; a reference
    index with the same tokenizer, filled from the notes that are not deleted,
    shows what it should hold. Empty lists: the indexes are exactly in sync.
    The trigram index is first caught up with notes saved since (m007), as a
    search would.
    """
    out: dict[str, list] = {}
    with Store.open(db_path) as s:
        catch_up_trigram(s.db)
        conn = s.db.conn
        for name in ("notes_fts", "notes_trigram"):
            conn.execute(f"INSERT INTO {name}({name}) VALUES('integrity-check')")
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()
            tokenize = re.search(r"tokenize\s*=\s*'([^']*)'", sql[0]).group(1)
            conn.execute(f"CREATE VIRTUAL TABLE temp.ref USING fts5(text, tokenize='{tokenize}')")
            conn.execute(
                "INSERT INTO temp.ref (rowid, text) SELECT rowid, text FROM notes"
                " WHERE deleted_at IS NULL"
            )
            conn.execute(f"CREATE VIRTUAL TABLE temp.v_got USING fts5vocab(main, {name}, instance)")
            conn.execute("CREATE VIRTUAL TABLE temp.v_want USING fts5vocab(temp, ref, instance)")
            cols = "term, doc, offset"
            out[name] = conn.execute(
                f"SELECT * FROM (SELECT {cols} FROM temp.v_got"
                f" EXCEPT SELECT {cols} FROM temp.v_want) UNION ALL SELECT * FROM"
                f" (SELECT {cols} FROM temp.v_want EXCEPT SELECT {cols} FROM temp.v_got)"
            ).fetchall()
            conn.execute("DROP TABLE temp.v_got")
            conn.execute("DROP TABLE temp.v_want")
            conn.execute("DROP TABLE temp.ref")
    return out


def test_search_indexes_in_sync_after_import_and_merge(base, tmp_path: Path) -> None:
    """New notes go into both indexes in one statement; merges update them; deletes leave."""
    path, sid, ids = base
    a, b = copy_db(path, tmp_path / "a.db"), copy_db(path, tmp_path / "b.db")
    with Store.open(a) as s:
        new = s.add_notes(
            sid,
            [NewNote(t, 4, f"Verkeersveiligheid aan tafel {t}, financiële ruimte") for t in (1, 2)],
        )
        s.edit_note(ids[0], text="Levenlanglerenbeleid op laptop A")
        s.delete_note(new[1])
        s.delete_note(ids[2])
        export_bundle(s, sid, tmp_path / "a.json")
    with Store.open(b) as s:
        s.edit_note(ids[0], text="Kwaliteitsborging op laptop B")
        s.delete_note(ids[1])
        s.add_note(sid, NewNote(5, 5, "Werkgeversbetrokkenheid"))
        export_bundle(s, sid, tmp_path / "b.json")
    fresh = tmp_path / "fresh.db"
    with Store.open(fresh) as s:
        import_file(s, tmp_path / "a.json")  # the one-statement path: every note is new
        assert not trigram_pending(s.db)  # the import caught the trigram index up
    assert index_differences(fresh) == {"notes_fts": [], "notes_trigram": []}
    with Store.open(fresh) as s:
        import_file(s, tmp_path / "b.json")  # a merge: new notes, updates and a delete
        assert not trigram_pending(s.db)
    with Store.open(b) as s:
        import_file(s, tmp_path / "a.json")
        assert not trigram_pending(s.db)
    for db_path in (fresh, b):
        assert index_differences(db_path) == {"notes_fts": [], "notes_trigram": []}
        with Store.open(db_path) as s:
            assert [h.id for h in search(s, "veiligheid")] == [str(new[0])]
            assert [h.id for h in search(s, "financiele")] == [str(new[0])]
            assert {h.id for h in search(s, "laptop")} == {str(ids[0])}
            assert search(s, "tweede") == []  # deleted on laptop B


def test_export_one_table(base, tmp_path: Path) -> None:
    path, sid, _ids = base
    with Store.open(path) as s:
        payload = export_bundle(s, sid, tmp_path / "t2.json", table=2)
        with pytest.raises(Exception, match="no table 99"):
            export_bundle(s, sid, tmp_path / "t99.json", table=99)
    assert [n["table"] for n in payload["notes"]] == [2]
    assert payload["table"] == 2
    assert not (tmp_path / "t99.json").exists()


# -- broken bundles --------------------------------------------------------


def _valid(base, tmp_path: Path) -> dict:
    path, sid, ids = base
    with Store.open(path) as s:
        s.edit_note(ids[0], text="Bewerkt")
        return export_bundle(s, sid, tmp_path / "valid.json")


def test_a_format_1_bundle_draft_goes_to_the_programmes_item(base, tmp_path: Path) -> None:
    """Format 1 kept one draft per table; it lands at the item the programme is at."""
    path, sid, _ids = base
    with Store.open(path) as s:
        s.save_draft(sid, 3, "half getypt", item=5)
        payload = json.loads(json.dumps(export_bundle(s, sid, tmp_path / "b.json")))
    assert payload["format_version"] == 2 and payload["drafts"][0]["item"] == 5
    payload["format_version"] = 1
    for draft in payload["drafts"]:
        del draft["item"]
    (tmp_path / "old.json").write_text(json.dumps(_resign(payload)), encoding="utf-8")
    with Store.open(tmp_path / "central.db") as central:
        central.create_session(find_plan("skills"))
        central.set_clock(sid, current_item=4, state="idle")
        assert import_file(central, tmp_path / "old.json").drafts == 1
        assert central.load_drafts(sid, 3) == {4: "half getypt"}


def _resign(payload: dict) -> dict:
    payload["checksum"] = checksum_of(payload)
    return payload


def _broken_bundles(valid: dict) -> dict[str, bytes]:
    text = json.dumps(valid, ensure_ascii=False, indent=1)
    tampered = json.loads(text)
    tampered["notes"][0]["revisions"][0]["text"] = "Iets anders"
    newer = _resign({**json.loads(text), "format_version": FORMAT_VERSION + 1})
    other = json.loads(text)
    other["session"]["slug"] = "samenwerking"
    other["session"]["date"] = "2015-05-12"
    bad_table = json.loads(text)
    bad_table["notes"][0]["table"] = 99
    bad_field = json.loads(text)
    bad_field["notes"][0]["revisions"][0]["kind"] = "gossip"
    bad_uuid = json.loads(text)
    bad_uuid["notes"][0]["id"] = "not-a-uuid"
    wrong_format = _resign({**json.loads(text), "format": "something-else"})
    no_checksum = json.loads(text)
    del no_checksum["checksum"]
    hostile = {
        name: json.dumps(_resign(change(json.loads(text)))).encode()
        for name, change in HOSTILE.items()
    }
    surrogates = {
        name: json.dumps(change(json.loads(text))).encode() for name, change in SURROGATES.items()
    }
    return {
        **hostile,
        **surrogates,
        "nested brackets": b'{"format": "dialoog-bundle", "notes": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}",
        "huge number": json.dumps(valid)
        .replace('"rev": 1,', '"rev": 1' + "0" * 5000 + ",", 1)
        .encode(),
        "truncated": text[: len(text) // 2].encode(),
        "not json": b"Dit is geen JSON maar een notitie\n",
        "empty": b"",
        "binary": bytes(range(256)),
        "tampered": json.dumps(tampered).encode(),
        "newer format": json.dumps(newer).encode(),
        "other session": json.dumps(_resign(other)).encode(),
        "unknown table": json.dumps(_resign(bad_table)).encode(),
        "bad field": json.dumps(_resign(bad_field)).encode(),
        "bad uuid": json.dumps(_resign(bad_uuid)).encode(),
        "not a bundle": json.dumps(wrong_format).encode(),
        "json list": b"[1, 2, 3]",
        "no checksum": json.dumps(no_checksum).encode(),
    }


def _change(path: str, value: object) -> Callable[[dict], dict]:
    """A change to a bundle: set the field at ``path`` (``a.b[2].c``) to ``value``."""
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]

    def change(payload: dict) -> dict:
        target = payload
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = value
        return payload

    return change


def _with_draft(text: str, table: int = 1, item: int | None = 4) -> Callable[[dict], dict]:
    def change(payload: dict) -> dict:
        draft = {"table": table, "item": item, "text": text, "updated_at": payload["made_at"]}
        payload["drafts"].append(draft)
        return payload

    return change


def _note_twice(payload: dict) -> dict:
    payload["notes"].append(payload["notes"][0])
    return payload


def _draft_twice(payload: dict) -> dict:
    return _with_draft("twee")(_with_draft("een")(payload))


BAD_STAMP = "9999-99-99T99:99:99.000000+00:00"
#: Bundles that pass the checksum and are still broken (issue 14, item 2).
HOSTILE: dict[str, Callable[[dict], dict]] = {
    "plan without tables": _change("session.plan.tables", []),
    "plan duration 10^30": _change("session.plan.agenda[3].duration_minutes", 10**30),
    "plan bad series slug": _change("session.plan.series", "Geen Slug!"),
    "plan round without questions": _change("session.plan.agenda[3].questions", []),
    "plan is a series": _change("session.plan.type", "series"),
    "session bad slug": _change("session.slug", "Geen Slug!"),
    "session bad series": _change("session.series", "Geen Slug!"),
    "session empty title": _change("session.title", " \x1b "),
    "note listed twice": _note_twice,
    "note time not a time": _change("notes[0].created_at", BAD_STAMP),
    "revision time not a time": _change("notes[0].revisions[0].created_at", BAD_STAMP),
    "bundle time not a time": _change("made_at", "2026-02-30T10:00:00.000000+00:00"),
    "draft time not a time": lambda p: _change("drafts[0].updated_at", BAD_STAMP)(
        _with_draft("x")(p)
    ),
    "session time not a time": _change("session.created_at", BAD_STAMP),
    "revision empty text": _change("notes[0].revisions[0].text", ""),
    "revision only controls": _change("notes[0].revisions[0].text", "\x00\x1b\x07 \t\r\n"),
    "note empty text": _change("notes[0].text", "  "),
    "revision too long": _change("notes[0].revisions[0].text", "x" * (MAX_NOTE_LENGTH + 1)),
    "draft too long": _with_draft("x" * (MAX_DRAFT_LENGTH + 1)),
    "draft listed twice": _draft_twice,
    "note table 10^30": _change("notes[0].table", 10**30),
    "note question 7": _change("notes[0].question", 7),
    "empty tag": _change("notes[0].revisions[0].tags", ["goed", "\x07"]),
}
#: Lone surrogates: no checksum can be taken over them, so none is.
SURROGATES: dict[str, Callable[[dict], dict]] = {
    "surrogate in text": _change("notes[0].revisions[0].text", "a\ud800b"),
    "surrogate in title": _change("session.title", "\udfff"),
    "surrogate in a key": _change("notes[0].revisions[0].\ud800", 1),
}
#: What the refusal of each of those names: the field path.
HOSTILE_PATHS = {
    "plan without tables": "session.plan.tables",
    "plan duration 10^30": "session.plan.agenda[3].duration_minutes",
    "plan bad series slug": "session.plan.series",
    "plan round without questions": "session.plan.agenda[3]",
    "session empty title": "session.title",
    "note listed twice": "notes[3].id",
    "note time not a time": "notes[0].created_at: not a timestamp",
    "revision time not a time": "notes[0].revisions[0].created_at: not a timestamp",
    "revision empty text": "notes[0].revisions[0].text: empty",
    "revision too long": "notes[0].revisions[0].text",
    "draft too long": "drafts[0].text",
    "draft listed twice": "drafts[1]",
    "surrogate in text": "notes[0].revisions[0].text: holds a lone surrogate",
    "surrogate in title": "session.title: holds a lone surrogate",
    "nested brackets": "nested",
    "huge number": "not valid JSON",
}


BROKEN = [
    *HOSTILE,
    *SURROGATES,
    "nested brackets",
    "huge number",
    "truncated",
    "not json",
    "empty",
    "binary",
    "tampered",
    "newer format",
    "other session",
    "unknown table",
    "bad field",
    "bad uuid",
    "not a bundle",
    "json list",
    "no checksum",
]


@pytest.mark.parametrize("target_kind", ["laptop", "empty"])
@pytest.mark.parametrize("kind", BROKEN)
def test_broken_bundle_leaves_database_byte_identical(
    base, tmp_path: Path, kind: str, target_kind: str
) -> None:
    """Refused with one line naming the file; the target is as it was, to the byte.

    The target is the same session on another laptop that took notes of its own,
    or a database that has never seen the session (so the bundle would create it).
    """
    if target_kind == "empty" and kind == "other session":
        pytest.skip("into an empty database, another session is simply a new one")
    path, sid, _ids = base
    valid = _valid(base, tmp_path)
    bundle = tmp_path / "broken.json"
    bundle.write_bytes(_broken_bundles(valid)[kind])
    if target_kind == "laptop":
        target = copy_db(path, tmp_path / "target.db")
        with Store.open(target) as s:
            s.add_note(sid, NewNote(4, 4, "Lokaal"))
    else:
        target = tmp_path / "empty.db"
        Store.open(target).close()
    before = target.read_bytes()
    with Store.open(target) as s, pytest.raises(BundleError) as info:
        import_file(s, bundle)
    message = str(info.value)
    assert "\n" not in message and str(bundle) in message
    assert target.read_bytes() == before
    assert not Path(str(target) + "-wal").exists() or Path(str(target) + "-wal").stat().st_size == 0


def test_messages_say_what_is_wrong(base, tmp_path: Path) -> None:
    broken = _broken_bundles(_valid(base, tmp_path))
    expected = {
        "truncated": "truncated",
        "tampered": "checksum mismatch",
        "newer format": "newer dialoog",
        "other session": "another session",
        "not json": "not valid JSON",
        "bad field": re.escape("notes[0].revisions[0].kind"),
        "unknown table": "table 99",
    }
    target = base[0]
    for kind, words in expected.items():
        bundle = tmp_path / f"{kind}.json"
        bundle.write_bytes(broken[kind])
        with Store.open(target) as s, pytest.raises(BundleError, match=words):
            import_file(s, bundle)


def test_hostile_bundles_name_the_field(base, tmp_path: Path) -> None:
    """Each refusal names the file and the field path of what is wrong."""
    broken = _broken_bundles(_valid(base, tmp_path))
    target = tmp_path / "empty.db"
    for kind, words in HOSTILE_PATHS.items():
        bundle = tmp_path / f"{kind}.json"
        bundle.write_bytes(broken[kind])
        with Store.open(target) as s, pytest.raises(BundleError) as info:
            import_file(s, bundle)
        assert str(info.value).startswith(f"{bundle}: "), (kind, str(info.value))
        assert words in str(info.value), (kind, str(info.value))


def test_text_is_cleaned_the_way_typed_text_is(base, tmp_path: Path) -> None:
    """Controls (a NUL, escapes) are stripped, text put in NFC and stripped, as when typed.

    A NUL used to cut ``notes.text`` short (SQLite's JSON functions stop at it)
    while ``note_revisions.text`` kept it: the two disagreed.
    """
    _path, sid, ids = base
    payload = _valid(base, tmp_path)
    note = payload["notes"][0]
    for rev in note["revisions"]:
        rev["text"] = " Voor\x00 na\x1b[2J e\u0301\u0301n "
        rev["tags"] = ["t\x1b]0;titel\x07ag"]
    note["text"] = note["revisions"][-1]["text"]
    payload["drafts"].append(
        {"table": 1, "item": 4, "text": "half\x00\x1b[31m", "updated_at": payload["made_at"]}
    )
    bundle = tmp_path / "controls.json"
    bundle.write_text(json.dumps(_resign(payload)), encoding="utf-8")
    target = tmp_path / "t.db"
    with Store.open(target) as t:
        import_file(t, bundle)
        imported = t.get_note(ids[0])
        assert imported.text == "Voor na[2J \u00e9\u0301n"
        assert {r.text for r in imported.revisions} == {imported.text}
        assert imported.tags == ["t]0;titelag"]
        assert t.load_draft(sid, 1, item=4) == "half[31m"
        again = import_file(t, bundle)
    assert not again.changed


def test_an_oversized_bundle_is_refused_before_it_is_read(
    base, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dialoog.history import bundle_format as bundle_module

    bundle = tmp_path / "big.json"
    payload = _valid(base, tmp_path)
    bundle.write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.setattr(bundle_module, "MAX_BUNDLE_BYTES", 1000, raising=False)
    target = tmp_path / "t.db"
    Store.open(target).close()
    before = target.read_bytes()
    with Store.open(target) as s, pytest.raises(BundleError, match="larger than"):
        import_file(s, bundle)
    assert target.read_bytes() == before


def test_format_1_bundles_are_checked_alike(base, tmp_path: Path) -> None:
    """Format 1 (one draft per table, no item) goes through the same checks."""
    path, sid, _ids = base
    with Store.open(path) as s:
        s.save_draft(sid, 3, "half getypt", item=5)
        payload = json.loads(json.dumps(export_bundle(s, sid, tmp_path / "b.json")))
    payload["format_version"] = 1
    for draft in payload["drafts"]:
        del draft["item"]
    cases = {
        "draft listed twice": (
            lambda p: p["drafts"].append(dict(p["drafts"][0])),
            "drafts[1]",
        ),
        "draft too long": (
            lambda p: p["drafts"][0].update(text="x" * (MAX_DRAFT_LENGTH + 1)),
            "drafts[0].text",
        ),
        "draft time": (
            lambda p: p["drafts"][0].update(updated_at=BAD_STAMP),
            "drafts[0].updated_at: not a timestamp",
        ),
        "revision text": (
            lambda p: p["notes"][1]["revisions"][0].update(text=""),
            "notes[1].revisions[0].text",
        ),
    }
    target = tmp_path / "t.db"
    Store.open(target).close()
    before = target.read_bytes()
    for name, (change, words) in cases.items():
        broken = json.loads(json.dumps(payload))
        change(broken)
        bundle = tmp_path / f"{name}.json"
        bundle.write_text(json.dumps(_resign(broken)), encoding="utf-8")
        with Store.open(target) as s, pytest.raises(BundleError) as info:
            import_file(s, bundle)
        assert words in str(info.value), (name, str(info.value))
        assert target.read_bytes() == before


@pytest.mark.parametrize("kind", ["plan without tables", "nested brackets", "surrogate in text"])
def test_cli_refuses_hostile_bundles_with_one_line(base, tmp_path: Path, kind: str) -> None:
    _path, _sid, _ids = base
    bundle = tmp_path / "hostile.json"
    bundle.write_bytes(_broken_bundles(_valid(base, tmp_path))[kind])
    target = tmp_path / "t.db"
    Store.open(target).close()
    before = target.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(target), "import", str(bundle)],
        capture_output=True,
        timeout=60,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and str(bundle) in err and "Traceback" not in err
    assert target.read_bytes() == before


def test_cli_import_refuses_with_exit_code_2(base, tmp_path: Path) -> None:
    path, _sid, _ids = base
    bundle = tmp_path / "x.json"
    bundle.write_text("{not json", encoding="utf-8")
    before = path.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(path), "import", str(bundle)],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "not valid JSON" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_cli_export_then_import(base, tmp_path: Path) -> None:
    path, sid, _ids = base
    bundle = tmp_path / "out.json"
    target = tmp_path / "t.db"
    run = [sys.executable, "-m", "dialoog"]
    out = subprocess.run(
        [*run, "--db", str(path), "export", sid, "-o", str(bundle)], capture_output=True
    )
    assert out.returncode == 0, out.stderr
    first = subprocess.run([*run, "--db", str(target), "import", str(bundle)], capture_output=True)
    second = subprocess.run([*run, "--db", str(target), "import", str(bundle)], capture_output=True)
    assert first.returncode == second.returncode == 0
    assert b"3 new notes" in first.stdout and b"0 new notes" in second.stdout


def test_a_draft_saved_as_a_note_does_not_come_back_from_an_older_bundle(tmp_path: Path) -> None:
    """Early and final bundles of one laptop, merged in either order: the emptied draft wins."""
    from dialoog.history.bundle import build_bundle, import_bundle, parse_bundle

    laptop = Store.open(tmp_path / "laptop.db")
    sid = laptop.create_session(find_plan("skills")).id
    laptop.save_draft(sid, 3, "half getypt", item=4)
    early = build_bundle(laptop, sid)
    laptop.add_typed_note(sid, table=3, item=4, raw="half getypt", consume_draft=True)
    final = build_bundle(laptop, sid)
    laptop.close()
    for order in (("early", "final"), ("final", "early")):
        central = Store.open(tmp_path / f"central-{order[0]}.db")
        for name in order:
            bundle = {"early": early, "final": final}[name]
            import_bundle(central, parse_bundle(json.dumps(bundle).encode(), name))
        assert central.load_draft(sid, 3, item=4) == "", order
        assert [n.text for n in central.list_notes(sid)] == ["half getypt"]
        central.close()
