"""Search against a plain reference: every note read and tested in Python (no index).

The tiers of :mod:`dialoog.history.search` are defined by what a note says, not
by how the indexes find it: whole words (0), every term at least as a part (1),
some terms as whole words (2). Whatever is done to make the indexed search fast
(candidate caps, the deferred trigram index, draft grouping) must give the same
notes in the same tiers as reading every note, on a database small enough to
read.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialoog.history.search import Query, SearchFilters, search
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote
from dialoog.text import fold

WORDS = ["leren", "werk", "school", "veiligheid", "verkeer", "kwaliteit", "docent", "zorg", "ab"]
COMPOUNDS = ["verkeersveiligheid", "schoolleren", "werkschool", "zorgkwaliteit", "docentenwerk"]
FILLER = ["de", "het", "en", "van", "op"]


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    vocab = WORDS + COMPOUNDS + FILLER
    return [" ".join(rng.choices(vocab, k=rng.randint(2, 7))).capitalize() for _ in range(n)]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A database of 300 notes (some deleted) and its live texts by note id."""
    path = tmp_path_factory.mktemp("oracle") / "d.db"
    with Store.open(path) as store:
        session = store.create_session(find_plan("skills"))
        texts = _texts(7, 300)
        ids = store.add_notes(session.id, [NewNote(1 + i % 8, 4, t) for i, t in enumerate(texts)])
        for note_id in ids[::17]:
            store.delete_note(note_id)
        live = {i: t for i, t in zip(ids, texts, strict=True) if i not in set(ids[::17])}
    store = Store.open(path)
    yield store, live
    store.close()


def _whole(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text.casefold()) is not None


def reference(live: dict[str, str], query: str) -> dict[str, set[str]]:
    """The notes of each tier, by reading every note.

    Parts of words are looked for only when a term has three characters or more
    (what a trigram can find; shorter terms then must occur too, as parts).
    """
    terms = Query.parse(query).terms
    parts = any(len(t) >= 3 for t in terms)
    tiers: dict[str, set[str]] = {"word": set(), "part": set(), "some": set()}
    for note_id, text in live.items():
        if all(_whole(text, t) for t in terms):
            tiers["word"].add(note_id)
        elif parts and all(t in text.casefold() for t in terms):
            tiers["part"].add(note_id)
        elif len(terms) > 1 and any(_whole(text, t) for t in terms):
            tiers["some"].add(note_id)
    return tiers


def found(store: Store, query: str) -> dict[str, set[str]]:
    tiers: dict[str, set[str]] = {"word": set(), "part": set(), "some": set()}
    for hit in search(store, query, SearchFilters(sources=("notes",)), limit=10_000):
        tiers[hit.match].add(hit.id)
    return tiers


TABLE = [
    "veiligheid",
    "verkeer veiligheid",
    "school leren",
    "werk",
    "kwaliteit zorg",
    "ab",
    "ab werk",
    "oo",
    "oo school",
    "docent",
    "schoolleren",
    "eilig",
    "veiligheid docent ab",
]


@pytest.mark.parametrize("query", TABLE)
def test_every_tier_holds_what_reading_every_note_finds(small, query: str) -> None:
    store, live = small
    assert found(store, query) == reference(live, query)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(WORDS + COMPOUNDS + ["eilig", "kwal", "ver", "oo"]),
        min_size=1,
        max_size=3,
        unique=True,
    )
)
def test_random_queries_agree_with_the_reference(small, terms: list[str]) -> None:
    store, live = small
    query = " ".join(terms)
    assert found(store, query) == reference(live, query)


def test_ranks_run_from_one_without_gaps(small) -> None:
    store, _live = small
    hits = search(store, "veiligheid school", limit=50)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    tiers = [h.match for h in hits]
    order = {"word": 0, "part": 1, "some": 2}
    assert [order[t] for t in tiers] == sorted(order[t] for t in tiers)


# Accents: whole words ignore them (``financiele`` is the word ``financiële``), parts
# do not (``financiele`` is not a part of ``overheidsfinanciële``). Parts of words
# are found through the word list (m010) and checked against the text, so these
# are the cases where the two could part ways.
ACCENTED = [
    "financiële",
    "overheidsfinanciën",
    "overheidsfinanciele",
    "coördinatie",
    "zorgcoördinatie",
    "café",
    "cafébezoek",
    "leren",
    "de",
]


@pytest.fixture(scope="module")
def accented(tmp_path_factory):
    """A database of 200 notes with accented words and compounds, some edited after indexing."""
    path = tmp_path_factory.mktemp("oracle-accents") / "d.db"
    rng = random.Random(11)
    texts = [" ".join(rng.choices(ACCENTED, k=rng.randint(2, 6))) for _ in range(200)]
    with Store.open(path) as store:
        session = store.create_session(find_plan("skills"))
        ids = store.add_notes(session.id, [NewNote(1 + i % 8, 4, t) for i, t in enumerate(texts)])
        search(store, "leren")  # the indexes catch up; the edits below come after
        for note_id in ids[::9]:
            texts[ids.index(note_id)] = "herziene zorgcoördinatiekosten"
            store.edit_note(note_id, text="herziene zorgcoördinatiekosten")
        live = dict(zip(ids, texts, strict=True))
    store = Store.open(path)
    yield store, live
    store.close()


def _whole_folded(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(term))}(?!\w)", fold(text)) is not None


def reference_accented(live: dict[str, str], query: str) -> dict[str, set[str]]:
    """:func:`reference` with whole words compared without accents, as the word index does."""
    terms = Query.parse(query).terms
    parts = any(len(t) >= 3 for t in terms)
    tiers: dict[str, set[str]] = {"word": set(), "part": set(), "some": set()}
    for note_id, text in live.items():
        if all(_whole_folded(text, t) for t in terms):
            tiers["word"].add(note_id)
        elif parts and all(t in text.casefold() for t in terms):
            tiers["part"].add(note_id)
        elif len(terms) > 1 and any(_whole_folded(text, t) for t in terms):
            tiers["some"].add(note_id)
    return tiers


ACCENT_QUERIES = [
    "financiele",
    "financiële",
    "financiën",
    "financi",
    "coordinatie",
    "coördinatie",
    "kosten",
    "coördinatiekosten zorg",
    "café",
    "cafe",
    "bezoek café",
    "leren cafe",
    "de financiele",
]


@pytest.mark.parametrize("query", ACCENT_QUERIES)
def test_accented_tiers_hold_what_reading_every_note_finds(accented, query: str) -> None:
    store, live = accented
    assert found(store, query) == reference_accented(live, query)
