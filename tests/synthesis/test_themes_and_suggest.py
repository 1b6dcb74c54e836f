"""Theme store operations and offline theme suggestions."""

from __future__ import annotations

import random

import pytest

from dialoog.demo import create_demo
from dialoog.errors import DialoogError, NotFoundError
from dialoog.storage.store import Store
from dialoog.synthesis import themes
from dialoog.synthesis.suggest import (
    NoteText,
    accept_suggestion,
    suggest_groups,
    suggest_themes,
)


@pytest.fixture
def demo_plain(store: Store) -> Store:
    create_demo(store)
    return store


def test_theme_lifecycle(demo_plain: Store) -> None:
    store = demo_plain
    notes = store.list_notes("demo", item=4)
    a = themes.create_theme(store, "demo", 4, "Eerste", note_ids=[notes[0].id])
    b = themes.create_theme(store, "demo", 4, "Tweede")
    themes.assign_notes(store, b.id, [notes[1].id, notes[2].id, notes[1].id])
    assert len(themes.get_theme(store, b.id).note_ids) == 2
    themes.rename_theme(store, a.id, "Hernoemd")
    themes.set_contested(store, a.id)
    themes.move_theme(store, b.id, -1)
    listed = themes.list_themes(store, "demo", 4)
    assert [t.title for t in listed] == ["Tweede", "Hernoemd"]
    assert listed[1].contested
    merged = themes.merge_themes(store, a.id, [b.id])
    assert {str(i) for i in merged.note_ids} == {str(n.id) for n in notes[:3]}
    themes.unassign_notes(store, a.id, [notes[0].id])
    assert len(themes.get_theme(store, a.id).note_ids) == 2
    themes.delete_theme(store, a.id)
    assert themes.list_themes(store, "demo", 4) == []
    assert len(store.list_notes("demo", item=4)) == len(notes)  # notes stay


def test_theme_errors(demo_plain: Store) -> None:
    with pytest.raises(DialoogError):
        themes.create_theme(demo_plain, "demo", 4, "   ")
    with pytest.raises(NotFoundError):
        themes.create_theme(demo_plain, "demo", 4, "X", note_ids=["no-such-note"])
    with pytest.raises(NotFoundError):
        themes.get_theme(demo_plain, 999)


def test_groups_similar_notes_from_several_tables() -> None:
    notes = [
        NoteText("a", 1, "Programmeren is het nieuwe lezen en schrijven"),
        NoteText("b", 2, "Iedereen zou moeten leren programmeren"),
        NoteText("c", 3, "Werkplek is de beste leerplek"),
        NoteText("d", 4, "Op de werkplek leer je het meest"),
        NoteText("e", 5, "Vitaliteit en werkdruk"),
    ]
    groups = suggest_groups(notes)
    as_sets = [set(g.note_ids) for g in groups]
    assert {"a", "b"} in as_sets and {"c", "d"} in as_sets
    assert all("e" not in s for s in as_sets)
    assert any("programmeren" in g.keywords for g in groups)


def test_same_table_only_groups_are_not_offered() -> None:
    notes = [NoteText("a", 1, "Programmeren leren"), NoteText("b", 1, "Programmeren leren nu")]
    assert suggest_groups(notes) == []
    assert len(suggest_groups(notes, min_tables=1)) == 1


def test_suggestions_are_deterministic_and_order_free(demo_plain: Store) -> None:
    first = suggest_themes(demo_plain, "demo", 4)
    second = suggest_themes(demo_plain, "demo", 4)
    assert first == second and first
    notes = [
        NoteText(str(n.id), n.table, n.text, n.question, tuple(n.tags))
        for n in demo_plain.list_notes("demo", item=4)
    ]
    shuffled = notes[:]
    random.Random(7).shuffle(shuffled)
    assert {frozenset(g.note_ids) for g in suggest_groups(shuffled)} == {
        frozenset(g.note_ids) for g in first
    }


def test_nothing_applied_until_accepted(demo_plain: Store) -> None:
    groups = suggest_themes(demo_plain, "demo", 4)
    assert themes.list_themes(demo_plain, "demo") == []
    theme = accept_suggestion(demo_plain, "demo", 4, groups[0])
    assert {str(i) for i in theme.note_ids} == set(groups[0].note_ids)
    assert theme.title.lower() == groups[0].label.lower()
    after = suggest_themes(demo_plain, "demo", 4)  # accepted notes are not offered again
    assert not set(groups[0].note_ids) & {i for g in after for i in g.note_ids}
