"""Search across sessions: compound parts, every filter, ranking, deletes, themes."""

from __future__ import annotations

import datetime as dt

import pytest

from dialoog.history.search import Query, SearchError, SearchFilters, search, snippet
from dialoog.models import NoteKind
from dialoog.plans import find_plan
from dialoog.storage import Store, write
from dialoog.storage import search as stored_search
from dialoog.storage.store import NewNote


def ids(hits) -> list[str]:
    return [h.id for h in hits]


@pytest.fixture
def three(store: Store):
    """Three sessions: skills (19 Feb 2015), leven lang leren (30 Mar 2015), an English one."""
    skills = store.create_session(find_plan("skills"))
    lll = store.create_session(find_plan("leven-lang-leren"))
    en = store.create_session(find_plan("liveable-neighbourhoods"))
    add = store.add_note
    notes = {
        # skills: items 4 = ronde-1, 5 = ronde-2
        "s_r1_t1": add(skills.id, NewNote(1, 4, "Kwaliteit van docenten telt", tags=["docent"])),
        "s_r1_t2_quote": add(
            skills.id,
            NewNote(2, 4, "Kwaliteit is geen toeval", NoteKind.QUOTE, tags=["knelpunt"]),
        ),
        "s_r2_t1": add(skills.id, NewNote(1, 5, "Kwaliteit van stages moet omhoog")),
        # leven lang leren: item 3 = ronde-1, 4 = presentatie-1
        "l_r1_t1": add(lll.id, NewNote(1, 3, "Kwaliteit van scholing voor werkenden")),
        "l_p1_t3": add(lll.id, NewNote(3, 4, "Kwaliteit van opleidingen in de zorg")),
        "en_r1_t1": add(en.id, NewNote(1, 3, "Kwaliteit of quality of the streets")),
    }
    return store, {"skills": skills, "lll": lll, "en": en}, {k: str(v.id) for k, v in notes.items()}


def test_finds_parts_of_dutch_compounds(store: Store, session) -> None:
    add = store.add_note
    traffic = add(session.id, NewNote(1, 4, "Verkeersveiligheid rond de school is een zorg"))
    policy = add(
        session.id, NewNote(2, 4, "Het levenlanglerenbeleid ontbreekt bij kleine bedrijven")
    )
    add(session.id, NewNote(3, 4, "Iets heel anders over stages"))
    assert ids(search(store, "veiligheid")) == [str(traffic.id)]
    assert ids(search(store, "leren")) == [str(policy.id)]
    hit = search(store, "VEILIGHEID")[0]  # case does not matter
    assert hit.match == "part"
    assert "«veiligheid»" in hit.snippet
    assert (hit.session_id, hit.item, hit.item_key, hit.table) == (session.id, 4, "ronde-1", 1)


def test_accents_ignored_for_whole_words(store: Store, session) -> None:
    note = store.add_note(session.id, NewNote(1, 4, "De financiële ruimte is klein"))
    assert ids(search(store, "financiele")) == [str(note.id)]


def test_every_filter(three) -> None:
    store, sessions, n = three

    def found(**kw) -> set[str]:
        return set(ids(search(store, "kwaliteit", SearchFilters(**kw), limit=100)))

    assert found() == set(n.values())
    assert found(session=sessions["skills"].id) == {n["s_r1_t1"], n["s_r1_t2_quote"], n["s_r2_t1"]}
    assert found(series="leren-in-de-toekomst") == set(n.values()) - {n["en_r1_t1"]}
    # A key, a title, a position, or "the first round" of each session (as Store.resolve_item).
    assert found(item="presentatie-1") == {n["l_p1_t3"]}
    assert found(item="Afronding") == set()
    assert found(item="ronde-2") == {n["s_r2_t1"]}
    assert found(item="ronde-1") == {n["s_r1_t1"], n["s_r1_t2_quote"], n["l_r1_t1"], n["en_r1_t1"]}
    assert found(item="round 1") == {n["s_r1_t1"], n["s_r1_t2_quote"], n["l_r1_t1"], n["en_r1_t1"]}
    assert found(item="4") == {n["s_r1_t1"], n["s_r1_t2_quote"], n["l_p1_t3"]}
    assert found(kind=NoteKind.QUOTE) == {n["s_r1_t2_quote"]}
    assert found(tag="knelpunt") == {n["s_r1_t2_quote"]}
    assert found(tag="#docent") == {n["s_r1_t1"]}
    assert found(table=3) == {n["l_p1_t3"]}
    assert found(date_from=dt.date(2015, 3, 1)) == {n["l_r1_t1"], n["l_p1_t3"], n["en_r1_t1"]}
    assert found(date_to=dt.date(2015, 3, 1)) == {n["s_r1_t1"], n["s_r1_t2_quote"], n["s_r2_t1"]}
    assert found(date_from=dt.date(2015, 3, 30), date_to=dt.date(2015, 3, 30)) == {
        n["l_r1_t1"],
        n["l_p1_t3"],
    }
    # Filters combine.
    assert found(session=sessions["skills"].id, table=1, item="ronde-2") == {n["s_r2_t1"]}


def test_filters_apply_to_compound_parts_too(three) -> None:
    store, sessions, n = three
    extra = store.add_note(sessions["lll"].id, NewNote(2, 3, "Onderwijskwaliteit staat onder druk"))
    hits = search(store, "kwaliteit", SearchFilters(session=sessions["lll"].id), limit=100)
    assert set(ids(hits)) == {n["l_r1_t1"], n["l_p1_t3"], str(extra.id)}
    assert hits[-1].id == str(extra.id) and hits[-1].match == "part"


def test_ranks_a_labelled_set(store: Store, session) -> None:
    """Both words whole > both words, one as part > one word only; short beats long."""
    texts = {
        "both_short": "Docent moet zelf blijven leren",
        "both_long": "In het gesprek aan tafel kwam naar voren dat een docent in de praktijk "
        "weinig tijd heeft om naast lesgeven, nakijken en vergaderen ook nog zelf te leren",
        "part": "Docenten blijven een leven lang leren",
        "one_word": "Leren gebeurt vooral op de werkplek",
        "none": "Stages moeten beter begeleid worden",
    }
    note_ids = dict(
        zip(
            texts,
            store.add_notes(session.id, [NewNote(1, 4, t) for t in texts.values()]),
            strict=True,
        )
    )
    hits = search(store, "docent leren", limit=10)
    order = [next(k for k, v in note_ids.items() if v == h.id) for h in hits]
    assert order == ["both_short", "both_long", "part", "one_word"]
    assert [h.match for h in hits] == ["word", "word", "part", "some"]
    assert [h.rank for h in hits] == [1, 2, 3, 4]


def test_deleted_notes_leave_and_restored_return(store: Store, session) -> None:
    note = store.add_note(session.id, NewNote(1, 4, "Verkeersveiligheid voor fietsers"))
    store.delete_note(note.id)
    assert search(store, "veiligheid") == []
    assert search(store, "verkeersveiligheid") == []
    store.restore_note(note.id)
    assert ids(search(store, "veiligheid")) == [str(note.id)]
    store.edit_note(note.id, text="Fietsveiligheid")
    assert ids(search(store, "veiligheid")) == [str(note.id)]
    assert search(store, "verkeers") == []


def test_limit_and_short_terms(store: Store, session) -> None:
    store.add_notes(session.id, [NewNote(1, 4, f"ict op school {i}") for i in range(30)])
    assert len(search(store, "ict school", limit=7)) == 7
    hits = search(store, "ict schoolplein", limit=50)  # "ict" whole, "schoolplein" nowhere
    assert all(h.match == "some" for h in hits)


def test_empty_query_is_an_error(store: Store) -> None:
    with pytest.raises(SearchError):
        search(store, "  ?! ")


def test_query_parsing_and_snippet() -> None:
    q = Query.parse('Leven "lang  leren" leven')
    assert q.terms == ("leven", "lang leren")
    assert q.words_all() == '"leven" AND "lang leren"'
    assert (
        snippet("Een verkeersveiligheid-plan", ("veiligheid",)) == "Een verkeers«veiligheid»-plan"
    )


def test_themes_are_found(store: Store, session) -> None:
    with write(store.db):
        store.db.execute(
            "INSERT INTO themes (session_id, item, title, synthesis, created_at, updated_at)"
            " VALUES (?, 4, 'Verkeersveiligheid', 'Aan verschillende tafels', 'x', 'x')",
            [session.id],
        )
    hits = search(store, "veiligheid")
    assert [(h.source, h.item_key, h.match) for h in hits] == [("theme", "ronde-1", "part")]
    assert search(store, "veiligheid", SearchFilters(kind=NoteKind.QUOTE)) == []
    assert search(store, "veiligheid", SearchFilters(sources=("notes",))) == []


def test_works_without_the_synthesis_tables(
    store: Store, session, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = store.add_note(session.id, NewNote(1, 4, "Verkeersveiligheid"))
    real = stored_search.table_names
    monkeypatch.setattr(
        stored_search,
        "table_names",
        lambda store: real(store) - {"themes", "report_drafts", "item_summaries"},
    )
    assert ids(search(store, "veiligheid")) == [str(note.id)]


def test_search_still_answers_when_the_index_cannot_catch_up(
    store: Store, session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Catching up the trigram index writes; on a read-only or busy file, search what is there."""
    import sqlite3

    store.add_note(session.id, NewNote(1, 4, "verkeersveiligheid bij scholen"))
    stored_search.catch_up_parts(store)
    store.add_note(session.id, NewNote(2, 4, "brandveiligheid in de school"))

    def refuse(db):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(stored_search, "catch_up_trigram", refuse)
    texts = [h.text for h in search(store, "veiligheid")]
    assert "verkeersveiligheid bij scholen" in texts  # indexed before: found by its part
    assert "brandveiligheid in de school" not in texts  # not yet indexed: missed, no error


def test_a_render_in_md_html_and_docx_is_one_hit(store: Store, session) -> None:
    """Issue 15: the same draft in three formats shows once, naming its formats."""
    from dialoog.synthesis.drafts import make_draft

    store.add_note(session.id, NewNote(1, 4, "Zeldzaamwoord in een notitie"))
    made = {fmt: make_draft(store, session.id, fmt=fmt)[1] for fmt in ("md", "html", "docx")}
    hits = search(store, "zeldzaamwoord")
    drafts = [h for h in hits if h.source == "draft"]
    assert [h.source for h in hits].count("note") == 1
    assert len(drafts) == 1, [(h.id, h.extra) for h in drafts]
    hit = drafts[0]
    assert hit.id == str(made["md"].id)  # the plain-text format is the one shown
    assert hit.extra["formats"] == ["docx", "html", "md"]
    assert sorted(hit.extra["draft_ids"]) == sorted(d.id for d in made.values())
    assert "<" not in hit.snippet  # Markdown, not HTML markup
    # Another render (the notes changed, so its context did) is another hit.
    store.add_note(session.id, NewNote(2, 4, "Nog een notitie"))
    make_draft(store, session.id, fmt="html")
    drafts = [h for h in search(store, "zeldzaamwoord") if h.source == "draft"]
    assert [d.extra["formats"] for d in drafts] == [["html"], ["docx", "html", "md"]]


def test_search_prints_a_grouped_draft_once(store: Store, session, db_path) -> None:
    """What the command line shows for a render in three formats: one line that names them."""
    import subprocess
    import sys

    from dialoog.synthesis.drafts import make_draft

    store.add_note(session.id, NewNote(1, 4, "Zeldzaamwoord in een notitie"))
    for fmt in ("md", "html", "docx"):
        make_draft(store, session.id, fmt=fmt)
    result = subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(db_path), "search", "zeldzaamwoord"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "report draft" in line]
    assert len(lines) == 1 and "(docx, html, md)" in lines[0], result.stdout
