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
from hypothesis import HealthCheck, given, settings
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
