"""Labels that end well, the knobs of suggest_groups, and the benchmark's held-out split."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialoog.synthesis.features import Doc, build_space, note_terms, raw_words
from dialoog.synthesis.labels import FUNCTION_WORDS, group_label, is_function_word, phrase
from dialoog.synthesis.similar import rank_like
from dialoog.synthesis.suggest import NoteText, Params, suggest_groups

BENCH = Path(__file__).parents[2] / "benchmarks"

#: Words a label may never end on (the test's own list, from the issue's examples).
BAD_ENDS = {"vooral", "de", "van", "is", "het", "een", "nog", "niet", "mag", "om", "te", "the"}


@pytest.mark.parametrize(
    ("text", "bad_end"),
    [
        ("evc kijkt vooral naar wat je nog niet kan", "vooral"),
        ("gevolgen van technologie zijn vooral", "vooral"),
        ("werkgevers investeren te weinig in de", "de"),
        ("samenwerking tussen sectoren van", "van"),
        ("het doel van leren is", "is"),
        ("fouten maken mag", "mag"),
        ("informeel leren is belangrijk voor de", "de"),
        ("skills of the", "the"),
    ],
)
def test_a_phrase_never_ends_on_a_closed_class_word(text: str, bad_end: str) -> None:
    label = phrase(text)
    assert label, text
    last = raw_words(label)[-1]
    assert last != bad_end
    assert last not in BAD_ENDS
    assert not is_function_word(label.split()[0])


def test_the_evc_group_is_labelled_by_a_whole_clause() -> None:
    texts = [
        "instrumentarium EVC voldoet (nog) niet",
        "weinig resultaten met EVC",
        "EVC te duur",
        "evc kijkt vooral naar wat je nog niet kan",
    ]
    # The last note is the most central: its phrase would be "Evc kijkt (vooral)".
    label = group_label(texts, [0.3, 0.3, 0.3, 0.5])
    assert "kijkt" not in label.lower()
    assert raw_words(label)[-1] not in FUNCTION_WORDS
    assert "evc" in raw_words(label)


_WORDS = [
    *sorted(FUNCTION_WORDS)[:60],
    "leervermogen",
    "werkgevers",
    "informeel",
    "opleidingsfondsen",
    "zelfstandigen",
    "basisvaardigheid",
    "kijkt",
    "fouten",
    "rendement",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14), st.sampled_from(", ;:"))
def test_no_label_starts_or_ends_on_a_closed_class_word(words: list[str], cut: str) -> None:
    text = " ".join(words[:5]) + cut + " ".join(words[5:])
    label = phrase(text)
    if label:  # empty only when every word is common
        tokens = label.split()
        assert not is_function_word(tokens[0])
        assert not is_function_word(tokens[-1])
    else:
        assert all(w in FUNCTION_WORDS or w == "kijkt" for w in raw_words(text))


def _notes(texts: list[str]) -> list[NoteText]:
    return [NoteText(f"n{k:02}", k % 4 + 1, t) for k, t in enumerate(texts)]


def test_min_shared_drops_a_group_held_by_one_word() -> None:
    pair = ["eerst zelf verantwoordelijk voor loopbaan", "werkgevers deels verantwoordelijk"]
    rest = [f"los punt {w}" for w in ("tuinbouw", "scheepvaart", "bakkerij", "havens")]
    rich = ["lager opgeleiden motiveren via meester", "lager opgeleiden motiveren via gezel"]
    notes = _notes(pair + rich + rest)
    loose = [
        set(s.note_ids) for s in suggest_groups(notes, params=Params(threshold=0.1, strength=0))
    ]
    strict = [
        set(s.note_ids)
        for s in suggest_groups(notes, params=Params(threshold=0.1, strength=0, min_shared=2))
    ]
    assert {"n00", "n01"} in loose
    assert {"n00", "n01"} not in strict
    assert {"n02", "n03"} in strict  # "lager", "opgeleiden", "motiveren" shared


def test_max_share_caps_a_catch_all_group() -> None:
    notes = _notes([f"leercultuur in bedrijf {w}" for w in ("a", "b", "c", "d", "e", "f")])
    assert any(len(s.note_ids) == 6 for s in suggest_groups(notes, min_tables=1))
    capped = suggest_groups(notes, min_tables=1, params=Params(max_share=0.5))
    assert all(len(s.note_ids) <= 3 for s in capped)


def test_bigrams_of_telling_words_are_features() -> None:
    terms = note_terms("informeel leren op de werkplek", set(), "nl", bigram_weight=0.5)
    assert any(" " in t for t in terms)
    assert not any(" " in t for t in note_terms("informeel leren", set(), "nl"))
    # "op de" carries no weight: no bigram through it.
    assert not any(t.startswith("op ") or t.endswith(" de") for t in terms)
    space = build_space([], "nl", bigram_weight=0.5)
    assert space.vectors == []


def test_the_benchmark_splits_by_meeting_and_pools_pairs() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import bench_suggest as bench
    finally:
        sys.path.remove(str(BENCH))
    rounds = bench.load()
    assert {bench.meeting(r) for r in rounds} == {"skills", "lll"}
    right, found, gold = bench.pooled_pairs([([[0, 1], [2, 3]], ["a", "a", "b", "c"])])
    assert (right, found, gold) == (1, 2, 1)
    assert Params() in bench.settings()


def test_more_like_this_prefers_the_shared_phrase_to_the_same_words_apart() -> None:
    theme = [Doc("lager opgeleiden motiveren")]
    candidates = [
        ("apart", 1, Doc("opgeleiden uit de bouw, lager in rang")),
        ("phrase", 2, Doc("lager opgeleiden in de bouw")),
    ]
    ranked = rank_like("", theme, candidates, "nl", feedback=0)
    assert [r.id for r in ranked] == ["phrase", "apart"]
    flat = rank_like("", theme, candidates, "nl", feedback=0, bigram_weight=0.0)
    by_id = {r.id: r.score for r in flat}
    assert ranked[0].score - ranked[1].score > by_id["phrase"] - by_id["apart"]


def test_the_title_weighs_more_than_one_note() -> None:
    theme = [Doc("rendement telt voor werkgever")]
    candidates = [
        ("note", 1, Doc("rendement voor werkgever")),
        ("title", 2, Doc("leercultuur op orde")),
    ]
    light = rank_like("leercultuur", theme, candidates, "nl", feedback=0, title_weight=0.2)
    heavy = rank_like("leercultuur", theme, candidates, "nl", feedback=0, title_weight=5.0)
    assert light[0].id == "note"
    assert heavy[0].id == "title"
