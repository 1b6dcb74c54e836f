"""Suggestion features and behaviour: tokens, stems, labels, calibration, questions, tags."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dialoog.synthesis.features import (
    Doc,
    build_space,
    raw_words,
    split_compound,
    stem,
    zipf,
)
from dialoog.synthesis.labels import group_label, phrase
from dialoog.synthesis.similar import rank_like
from dialoog.synthesis.suggest import NoteText, suggest_groups

_FILLER = """de het een en of maar dat die dit deze is zijn was wat wie er ook nog al wel niet
echt dient doel moet moeten kan kunnen van voor naar met op in aan bij over om te tot
ook meer veel heel zo dan als the a an and or of to in on for is are it this that"""
#: Filler words a label must never consist of alone (the test's list, not the code's).
STOPWORDS = frozenset(_FILLER.split())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_words_and_stems_of_any_text(text: str) -> None:
    words = raw_words(text)
    assert all(w and w.isascii() and w.isalnum() and w == w.lower() for w in words)
    for word in words:
        assert stem(word, "nl") == stem(word, "nl")  # cached and stable
        assert isinstance(stem(word, "en"), str)
    # Any text gives a unit vector (or an empty one when it has no words).
    (vec,) = build_space([Doc(text)], "nl").vectors
    norm = sum(v * v for v in vec.values())
    assert vec == {} or abs(norm - 1.0) < 1e-9


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=30))
def test_compound_parts_rebuild_the_word(word: str) -> None:
    parts = split_compound(word, set())
    if parts:
        assert len(parts) >= 2
        assert word.endswith(parts[-1])
        assert len("".join(parts)) <= len(word) <= len("".join(parts)) + 2 * (len(parts) - 1)


def test_stems_and_compounds_of_dutch() -> None:
    assert stem("vaardigheden") == stem("vaardigheid")
    assert stem("werkgevers") == stem("werkgever")
    assert split_compound("opleidingsreflex", set()) == ["opleiding", "reflex"]
    assert split_compound("basisvaardigheden", set()) == ["basis", "vaardigheden"]
    assert split_compound("onderwijs", set()) == []  # not "onder" + "wijs"
    assert zipf("de") > 7 > zipf("opleidingsreflex")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=4))
def test_labels_of_any_text_are_words_of_the_note(texts: list[str]) -> None:
    for text in texts:
        label = phrase(text)
        for word in raw_words(label):
            assert word in raw_words(text)


def test_labels_are_never_filler_only() -> None:
    notes = [
        "Het is echt zo dat de diploma's steeds minder zeggen",
        "Een diploma zegt steeds minder over wat iemand echt kan",
        "Dat dient wel een doel: communiceren met elkaar",
        "Communiceren is wat er echt moet",
        "Wat is er dan nog meer?",
        "Ook dat is zo",
    ]
    for text in notes:
        label = phrase(text)
        words = raw_words(label)
        assert not words or not set(words) <= STOPWORDS, (text, label)
        assert len(words) <= 7
    assert phrase("Wat is er dan nog meer?") == ""  # nothing telling: no label
    assert phrase("Ook dat is zo") == ""
    label = group_label(notes, [1.0] * len(notes))
    assert label and not set(raw_words(label)) <= STOPWORDS
    assert group_label(notes[-2:], [1.0, 1.0]) == ""
    assert phrase("Een diploma zegt steeds minder over wat iemand echt kan").startswith("Diploma")


def _random_notes(seed: int, n: int = 40) -> list[NoteText]:
    """Notes of random letters: nothing in them is more alike than chance."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvwz"

    def word() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))

    return [
        NoteText(str(i), i % 8 + 1, " ".join(word() for _ in range(rng.randint(3, 8))))
        for i in range(n)
    ]


def test_no_strong_groups_in_random_text() -> None:
    for seed in range(5):
        assert suggest_groups(_random_notes(seed)) == []


def test_a_planted_group_stands_out_of_random_text() -> None:
    notes = _random_notes(1)
    planted = [
        NoteText("p1", 1, "opleidingsreflex bij werkgevers vermijden"),
        NoteText("p2", 3, "pas op voor de opleidingsreflex"),
        NoteText("p3", 5, "werkgevers grijpen te snel naar een opleiding: reflex"),
    ]
    groups = suggest_groups(notes + planted)
    assert [set(g.note_ids) for g in groups] == [{"p1", "p2", "p3"}]
    assert groups[0].strength >= 2.0
    assert "opleidingsreflex" in groups[0].label.lower()


def test_questions_keep_groups_apart() -> None:
    notes = [
        NoteText("a", 1, "werkplek is de beste leerplek", question=1),
        NoteText("b", 2, "op de werkplek leer je het meest", question=1),
        NoteText("c", 3, "de werkplek verandert door robots", question=2),
        NoteText("d", 4, "robots veranderen elke werkplek", question=2),
        *_random_notes(3, 20),
    ]
    groups = [set(g.note_ids) for g in suggest_groups(notes)]
    assert {"a", "b"} in groups and {"c", "d"} in groups
    assert not any({"a", "c"} <= g or {"b", "d"} <= g for g in groups)


def test_a_shared_tag_pulls_notes_together() -> None:
    base = _random_notes(4, 20)
    tagged = [
        NoteText("t1", 1, "zin en onzin van erkenning", tags=("evc",)),
        NoteText("t2", 6, "eerder verworven competenties", tags=("evc",)),
    ]
    untagged = [NoteText(t.id, t.table, t.text) for t in tagged]
    assert not any({"t1", "t2"} <= set(g.note_ids) for g in suggest_groups(base + untagged))
    assert any({"t1", "t2"} == set(g.note_ids) for g in suggest_groups(base + tagged))


def test_more_like_this_ranks_a_near_duplicate_first() -> None:
    rng = random.Random(5)
    others = [n for n in _random_notes(5, 30)]
    near = ("dup", 4, Doc("Werkgevers moeten ruimte en ruggensteun geven aan hun mensen"))
    candidates = [(n.id, n.table, Doc(n.text)) for n in others]
    candidates.insert(rng.randrange(len(candidates)), near)
    candidates.insert(3, ("half", 2, Doc("ruimte voor iets anders")))
    ranked = rank_like(
        "Rol van de werkgever",
        [Doc("werkgever moet richting, ruimte en ruggensteun geven")],
        candidates,
    )
    assert ranked[0].id == "dup"
    assert ranked[0].score > ranked[1].score
    assert {r.id for r in ranked} == {c[0] for c in candidates}


def test_more_like_this_prefers_the_theme_question_and_tag() -> None:
    seed = [Doc("informeel leren stimuleren", question=2, tags=("werkvloer",))]
    candidates = [
        ("other-q", 1, Doc("informeel leren stimuleren kan beter", question=1)),
        ("same-q", 2, Doc("informeel leren stimuleren kan beter", question=2)),
        ("tag", 3, Doc("iets heel anders", question=2, tags=("werkvloer",))),
        ("none", 4, Doc("iets heel anders", question=2)),
    ]
    order = [r.id for r in rank_like("", seed, candidates)]
    assert order.index("same-q") < order.index("other-q")
    assert order.index("tag") < order.index("none")
