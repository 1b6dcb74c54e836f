"""The report context: coverage, frequency phrases, appendix order, Chatham House."""

from __future__ import annotations

import json

import pytest

from dialoog.participants.service import appendix, set_convention
from dialoog.participants.sorting import Convention
from dialoog.storage.store import Store
from dialoog.synthesis.context import (
    NoteContext,
    build_context,
    frequency_key,
    frequency_phrase,
)
from dialoog.synthesis.themes import create_theme

from .conftest import FIXED_TIME


@pytest.mark.parametrize(
    ("covered", "of", "key"),
    [
        (0, 8, "none"),
        (1, 8, "one"),
        (2, 8, "some"),
        (3, 8, "some"),
        (4, 8, "several"),
        (6, 8, "several"),
        (7, 8, "almost_all"),
        (8, 8, "almost_all"),
        (2, 2, "several"),
        (3, 3, "almost_all"),
    ],
)
def test_frequency_thresholds(covered: int, of: int, key: str) -> None:
    assert frequency_key(covered, of) == key


def test_frequency_phrases_in_both_languages() -> None:
    assert frequency_phrase(1, 7, "nl") == "aan één van de tafels"
    assert frequency_phrase(5, 7, "nl") == "aan verschillende tafels"
    assert frequency_phrase(7, 7, "en") == "at almost all tables"


def test_theme_coverage_counts_tables_of_the_round(demo: Store) -> None:
    session = demo.get_session("demo")
    item = demo.resolve_item(session, "ronde-2")
    notes = demo.list_notes("demo", item=item)
    picked = [n for n in notes if n.table in (1, 2, 3, 4)][:8]
    create_theme(demo, "demo", item, "Werkplek", note_ids=[n.id for n in picked])
    context = build_context(demo, "demo", generated_at=FIXED_TIME)
    round2 = next(r for r in context.sessions[0].rounds if r.position == item)
    theme = round2.themes[0]
    tables = {n.table for n in picked}
    assert theme.coverage.tables == len(tables)
    assert theme.coverage.of == len({n.table for n in notes})
    assert theme.coverage.text == f"{len(tables)} van {theme.coverage.of} tafels"
    assert theme.coverage.phrase == frequency_phrase(len(tables), theme.coverage.of)
    themed = {n.text for n in theme.notes}
    assert all(n.text not in themed for n in round2.unthemed_notes)
    assert len(round2.unthemed_notes) + len(themed) == len(notes)


def test_appendix_sorted_by_surname_without_tussenvoegsel(demo: Store) -> None:
    context = build_context(demo, "demo", generated_at=FIXED_TIME)
    names = [p.text for p in context.participants]
    assert names == [
        "Jan Aalders (Gemeente Utrecht)",
        "Ria van den Bergh (ROC Midden)",
        "Annemieke Bok (Rabobank)",
        "Claire Boonstra (United4Education en Operation Education)",
        "Lex Borghans (Maastricht University)",
        "Mariëtte Hamer (Sociaal-Economische Raad, SER)",
        "Rein Meester (Duurzaamheidsfabriek, Dordrecht)",
        "Anna de Vries (Universiteit Leiden)",
        "Kees Zwart",
    ]  # "Geheim" is not in the appendix; the programme's people are (issue 11)


def test_appendix_honours_belgian_order_set_on_the_session(demo: Store) -> None:
    """Belgian order: the tussenvoegsel is part of the surname ("van den Bergh" under V)."""
    set_convention(demo, "demo", Convention.BELGIAN)
    context = build_context(demo, "demo", generated_at=FIXED_TIME)
    expected = [
        "Jan Aalders (Gemeente Utrecht)",
        "Anna de Vries (Universiteit Leiden)",
        "Ria van den Bergh (ROC Midden)",
        "Kees Zwart",
    ]
    imported = [p.text for p in context.sessions[0].participants if p.text in expected]
    assert imported == expected
    assert [p.text for p in context.participants if p.text in expected] == expected
    # The same order as the participants screen and CLI show.
    assert imported == [e["line"] for e in appendix(demo, "demo")]


def test_notes_are_never_attributed_to_people(demo: Store) -> None:
    assert not {"author", "person", "participant", "name", "chair"} & set(NoteContext.model_fields)
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    dumped = json.dumps(data["sessions"][0]["rounds"], ensure_ascii=False)
    for person in ("Aalders", "Bergh", "Vries", "Zwart"):
        assert person not in dumped
    talks = data["sessions"][0]["talks"]
    assert talks[0]["speakers"][0]["name"] == "Lex Borghans"  # speakers are named


def test_context_is_plain_data_and_hash_ignores_time(demo: Store) -> None:
    first = build_context(demo, "demo", generated_at=FIXED_TIME)
    data = first.to_template_data()
    assert json.loads(json.dumps(data)) == data
    later = build_context(demo, "demo")
    assert later.content_hash() == first.content_hash()
    create_theme(demo, "demo", 5, "Nieuw")
    assert build_context(demo, "demo").content_hash() != first.content_hash()


def test_series_renders_a_chapter_per_session(store: Store) -> None:
    from dialoog.plans import find_plan

    for name in ("skills", "samenwerking"):
        store.create_session(find_plan(name))
    context = build_context(store, "leren-in-de-toekomst", generated_at=FIXED_TIME)
    assert context.series is not None and context.title == "Leren in de toekomst"
    assert [s.slug for s in context.sessions] == ["skills", "samenwerking"]


def test_template_data_equals_the_pydantic_dump(demo: Store) -> None:
    context = build_context(demo, "demo", generated_at=FIXED_TIME)
    assert context.to_template_data() == context.model_dump(mode="json")
