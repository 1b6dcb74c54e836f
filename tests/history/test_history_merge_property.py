"""Hypothesis: two laptops edit one session; bundles merge in any order, any number of times.

Two copies of a session (with a few shared notes) receive random additions,
edits, deletions and restores, interleaved in time. Their bundles are imported
into copies of the starting database in random sequences (each bundle at least
once, some repeatedly) and into each other. Every sequence must give the same
database, every revision text ever saved must be there, and each note's current
text must be its newest revision's.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialoog.history.bundle import export_bundle, import_file
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote

TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda t: t.strip())

OP = st.one_of(
    st.tuples(st.just("add"), st.integers(1, 8), TEXTS),
    st.tuples(st.just("edit"), st.integers(0, 50), TEXTS),
    st.tuples(st.just("delete"), st.integers(0, 50), st.just("")),
    st.tuples(st.just("restore"), st.integers(0, 50), st.just("")),
    st.tuples(st.just("draft"), st.integers(1, 8), TEXTS),
)
SCRIPT = st.lists(st.tuples(st.sampled_from("AB"), OP), max_size=14)
ORDER = st.lists(st.sampled_from("ab"), min_size=0, max_size=5)


def snapshot(path: Path, exact: bool = True) -> dict:
    """The merged data; ``exact=False`` compares deleted_at as deleted-or-not."""
    with Store.open(path) as s:
        notes = [
            r if exact else {**r, "deleted_at": r["deleted_at"] is not None}
            for r in s.db.query("SELECT * FROM notes ORDER BY id")
        ]
        revs = list(s.db.query("SELECT * FROM note_revisions ORDER BY note_id, rev"))
        drafts = list(s.db.query("SELECT * FROM typing_drafts ORDER BY table_no"))
    return {"notes": notes, "revisions": revs, "drafts": drafts}


def apply(store: Store, sid: str, op: tuple, saved: set[str]) -> None:
    """Run one operation; remember every text saved."""
    action, n, text = op
    ids = [str(note.id) for note in store.list_notes(sid, include_deleted=True)]
    if action == "add":
        note = store.add_note(sid, NewNote(n, 4, text))
        saved.add(note.text)
    elif action == "draft":
        store.save_draft(sid, n, text, item=4)
    elif ids:
        target = ids[n % len(ids)]
        deleted = store.get_note(target).deleted
        if action == "edit":
            saved.add(store.edit_note(target, text=text).text)
        elif action == "delete" and not deleted:
            store.delete_note(target)
        elif action == "restore" and deleted:
            store.restore_note(target)


def run_scenario(script: list, orders: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base = tmp_path / "base.db"
        with Store.open(base) as s:
            sid = s.create_session(find_plan("skills")).id
            s.add_notes(sid, [NewNote(t, 4, f"gedeeld {t}") for t in (1, 2, 3)])
            saved = {f"gedeeld {t}" for t in (1, 2, 3)}
        laptops = {k: tmp_path / f"{k}.db" for k in "AB"}
        for p in laptops.values():
            shutil.copyfile(base, p)
        stores = {k: Store.open(p) for k, p in laptops.items()}
        try:
            for side, op in script:
                apply(stores[side], sid, op, saved)
            bundles = {}
            for k, s in stores.items():
                bundles[k.lower()] = tmp_path / f"{k}.json"
                export_bundle(s, sid, bundles[k.lower()])
        finally:
            for s in stores.values():
                s.close()

        results = []
        for n, order in enumerate([["a", "b"], ["b", "a"], *orders]):
            sequence = order + [b for b in "ab" if b not in order]  # each at least once
            target = tmp_path / f"merge{n}.db"
            shutil.copyfile(base, target)
            with Store.open(target) as s:
                for name in sequence:
                    import_file(s, bundles[name])
            results.append(snapshot(target))
        assert all(r == results[0] for r in results)

        merged = results[0]
        texts = {r["text"] for r in merged["revisions"]}
        assert saved <= texts, "no text lost"
        by_note: dict[str, list[dict]] = {}
        for r in merged["revisions"]:
            by_note.setdefault(r["note_id"], []).append(r)
        for note in merged["notes"]:
            revs = by_note[note["id"]]
            assert [r["rev"] for r in revs] == list(range(1, len(revs) + 1))
            assert note["text"] == revs[-1]["text"] and note["rev"] == len(revs)

        # Each laptop importing the other's bundle ends where the secretary did.
        with Store.open(laptops["A"]) as s:
            import_file(s, bundles["b"])
        with Store.open(laptops["B"]) as s:
            import_file(s, bundles["a"])
        loose = snapshot(target, exact=False)
        assert snapshot(laptops["A"], exact=False) == loose
        assert snapshot(laptops["B"], exact=False) == loose


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=SCRIPT, orders=st.lists(ORDER, max_size=2))
def test_merge_in_any_order_any_number_of_times(script: list, orders: list) -> None:
    run_scenario(script, orders)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(st.tuples(st.sampled_from("AB"), OP), max_size=40), orders=st.lists(ORDER))
def test_merge_in_any_order_many_examples(script: list, orders: list) -> None:
    run_scenario(script, orders)


# -- any text a bundle may carry -------------------------------------------

#: Any text at all: controls, NULs, lone surrogates, combining marks, line separators.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=30)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A valid bundle of one note with one revision, to put hostile text into."""
    from dialoog.history.bundle import build_bundle

    path = tmp_path_factory.mktemp("any-text") / "laptop.db"
    with Store.open(path) as s:
        sid = s.create_session(find_plan("skills")).id
        s.add_note(sid, NewNote(1, 4, "gedeeld"))
        return build_bundle(s, sid)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(texts=["gewoon", "ook\x00 goed\x1b[2J"], tag="tag", draft="half\x00")
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=3), tag=ANY_TEXT, draft=ANY_TEXT)
def test_any_text_is_stored_clean_or_refused_in_one_line(
    exported: dict, texts: list[str], tag: str, draft: str
) -> None:
    """A bundle with any text is imported clean, or refused with a BundleError: nothing else.

    Imported, the note's text is its newest revision's, both free of control
    characters (a NUL used to cut ``notes.text`` short), and importing again adds
    nothing.
    """
    import copy
    import json

    from dialoog.history.bundle import BundleError, checksum_of, import_bundle, parse_bundle
    from dialoog.markers import clean_text

    payload = copy.deepcopy(exported)
    note = payload["notes"][0]
    first = note["revisions"][0]
    note["revisions"] = [
        {**first, "rev": n, "action": "edit", "text": t, "tags": [tag],
         "created_at": first["created_at"][:-12] + f"{n:06d}+00:00"}
        for n, t in enumerate(texts, start=1)
    ]  # fmt: skip
    payload["drafts"] = [{"table": 1, "item": 4, "text": draft, "updated_at": payload["made_at"]}]
    try:
        payload["checksum"] = checksum_of(payload)
    except UnicodeEncodeError:
        payload["checksum"] = "sha256:none can be taken over a lone surrogate"
    raw = json.dumps(payload).encode()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "t.db") as store:
        try:
            bundle = parse_bundle(raw, "b.json")
        except BundleError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("b.json")
            assert texts[0] != "gewoon", exc  # the explicit example is imported
            return
        import_bundle(store, bundle)
        row = store.get_note(note["id"])
        assert row.text == row.revisions[-1].text
        for text in [row.text, *(r.text for r in row.revisions), *row.tags]:
            assert text and text == clean_text(text).strip()
        assert store.load_draft(payload["session"]["id"], 1, item=4) == clean_text(draft)
        assert not import_bundle(store, parse_bundle(raw, "b.json")).changed
