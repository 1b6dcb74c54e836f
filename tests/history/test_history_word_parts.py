"""The word list behind the part tier (m010): complete, current, and equal to the trigram road.

A part of a word is looked up among the words of the word index and then as
whole words; these tests prove that this finds what the trigram index of the
notes finds, through edits, deletes, restores, re-used rowids, accents and a
read-only file, and that the words are exactly the word index's tokens.
"""

from __future__ import annotations

import random
import sqlite3

import pytest
import sqlite_utils

from dialoog.history.search import SearchFilters, search
from dialoog.storage import Store, write
from dialoog.storage import search as stored_search
from dialoog.storage.store import NewNote
from dialoog.storage.word_parts import catch_up_words, fold_word, words_pending

NOTES = SearchFilters(sources=("notes",))


def tiers(store: Store, query: str) -> dict[str, list[str]]:
    """Note texts of each tier, in rank order."""
    out: dict[str, list[str]] = {"word": [], "part": [], "some": []}
    for hit in search(store, query, NOTES, limit=10_000):
        out[hit.match].append(hit.text)
    return out


def by_trigrams(store: Store, query: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The same search with the word list switched off (every part through the trigrams)."""
    with monkeypatch.context() as m:
        m.setattr(stored_search, "WORDS_PER_PART", -1)
        return tiers(store, query)


def vocabulary(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT word FROM note_words")}


def index_terms(store: Store) -> set[str]:
    """Every token ``notes_fts`` holds, read from the index itself."""
    with write(store.db):
        store.db.execute("CREATE VIRTUAL TABLE temp.t_vocab USING fts5vocab(main, notes_fts, row)")
        terms = {r[0] for r in store.db.execute("SELECT term FROM temp.t_vocab")}
        store.db.execute("DROP TABLE temp.t_vocab")
    return terms


def test_the_words_are_the_word_index_tokens(store: Store, session) -> None:
    texts = ["Financiële verkeersveiligheid!", "Straße, İstanbul en œuvre", "de_schoolleren 2025x"]
    for i, text in enumerate(texts):
        store.add_note(session.id, NewNote(1 + i, 4, text))
    stored_search.catch_up_parts(store)
    assert not words_pending(store.db)
    assert index_terms(store) <= vocabulary(store)
    assert "financiele" in vocabulary(store)
    assert fold_word(store.db, "Financiële") == "financiele"
    assert fold_word(store.db, "two words") is None


def test_edits_restores_and_reused_rowids_reach_the_word_list(store: Store, session) -> None:
    first = store.add_note(session.id, NewNote(1, 4, "over de begroting"))
    last = store.add_note(session.id, NewNote(1, 4, "tijdelijk"))
    stored_search.catch_up_parts(store)
    store.edit_note(first.id, text="over de zorgverzekeringswet")
    assert words_pending(store.db)  # edited below the watermark: queued by trigger
    assert tiers(store, "verzekering")["part"] == ["over de zorgverzekeringswet"]
    # A note removed for good frees the highest rowid; the next note gets it again.
    with write(store.db):
        store.db.execute("DELETE FROM note_revisions WHERE note_id = ?", [str(last.id)])
        store.db.execute("DELETE FROM notes WHERE id = ?", [str(last.id)])
    store.add_note(session.id, NewNote(2, 4, "de fietsenstallingplek"))
    assert tiers(store, "stalling")["part"] == ["de fietsenstallingplek"]
    gone = store.add_note(session.id, NewNote(3, 4, "het klimaatakkoord"))
    store.delete_note(gone.id)
    assert tiers(store, "akkoord")["part"] == []
    store.restore_note(gone.id)
    assert tiers(store, "akkoord")["part"] == ["het klimaatakkoord"]


def test_accents_and_phrases_give_what_the_trigrams_give(
    store: Store, session, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        "De financiële ruimte van de overheidsfinanciën",
        "Overheidsfinanciele druk",
        "Café-eigenaren en cafébezoekers",
        "werkgevers_verenigingen en werk gever",
        "ÉÉN OVERHEIDSFINANCIËLE KWESTIE",
    ]
    store.add_notes(session.id, [NewNote(1 + i, 4, t) for i, t in enumerate(texts)])
    queries = [
        "financiële",
        "financiele",
        "financiën",
        "cafébezoek",
        "bezoekers café",
        "verenigingen",
        '"werk gever"',
        "werkgever",
        "één kwestie",
        "overheidsfinanciële",
    ]
    for query in queries:
        assert tiers(store, query) == by_trigrams(store, query, monkeypatch), query
    assert tiers(store, "financiele")["part"] == ["Overheidsfinanciele druk"]


def test_random_notes_and_queries_agree_with_the_trigram_road(
    store: Store, session, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(13)
    parts = ["veilig", "heid", "verkeer", "school", "leren", "zorg", "kwaliteit", "ë", "s"]
    words = ["".join(rng.sample(parts, rng.randint(1, 3))) for _ in range(60)]
    texts = [" ".join(rng.choices(words, k=rng.randint(2, 6))) for _ in range(400)]
    ids = store.add_notes(session.id, [NewNote(1 + i % 8, 4, t) for i, t in enumerate(texts)])
    for note_id in ids[::23]:
        store.delete_note(note_id)
    queries = [" ".join(rng.sample(parts + words[:10], rng.randint(1, 3))) for _ in range(60)]
    for query in queries:
        assert tiers(store, query) == by_trigrams(store, query, monkeypatch), query


def test_a_read_only_file_is_searched_by_what_is_indexed(store: Store, session, db_path) -> None:
    """No catch-up can be written; the part tier then asks the trigram index, as before m010."""
    store.add_note(session.id, NewNote(1, 4, "verkeersveiligheid bij scholen"))
    stored_search.catch_up_parts(store)
    store.add_note(session.id, NewNote(2, 4, "brandveiligheid in de school"))
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    reader = Store(sqlite_utils.Database(conn), db_path)
    try:
        texts = [h.text for h in search(reader, "veiligheid", NOTES)]
        assert texts == ["verkeersveiligheid bij scholen"]
        assert fold_word(reader.db, "Veiligheid") == "veiligheid"  # temp tables still work
    finally:
        reader.close()


def test_catching_up_joins_a_write_transaction(store: Store, session) -> None:
    store.add_note(session.id, NewNote(1, 4, "loopbaanbegeleiding"))
    with pytest.raises(sqlite3.IntegrityError), write(store.db):
        catch_up_words(store.db)
        store.db.execute("INSERT INTO note_words_watermark (id, indexed_to) VALUES (1, 0)")
    assert words_pending(store.db)  # rolled back with the transaction it joined
    assert "loopbaanbegeleiding" not in vocabulary(store)
