"""The draft read as the SER's secretary would (issue 11): one test per defect found.

Each defect is checked in the demo's draft and in a freshly captured session's
draft, in Markdown, HTML and Word; the Word file is read back with python-docx
and, independently, with pandoc.
"""

from __future__ import annotations

import html
import io
import re
import tomllib
from pathlib import Path

import docx
import pypandoc
import pytest

from dialoog.markers import parse_note
from dialoog.models import NoteKind
from dialoog.participants.service import add_person, set_convention
from dialoog.participants.sorting import Convention
from dialoog.paths import bundled_sessions_dir
from dialoog.plans import find_plan
from dialoog.storage.store import Store
from dialoog.synthesis import themes
from dialoog.synthesis.context import build_context
from dialoog.synthesis.render import render

from .conftest import FIXED_TIME

FORMATS = ("md", "html", "docx")

#: Typed at two tables of the first round, interleaved as a real capture saves them.
CAPTURE = [
    (2, "Samenwerken door bijna iedereen genoemd", 1),
    (1, "Omgaan met mensen blijft de kernvaardigheid", 1),
    (2, '"Het is een drama!" over de btw-plicht', 2),
    (1, "Bel de gemeente over de stageplekken #actie", None),
    (3, '"Een diploma zegt steeds minder"', 2),
    (1, "Leren leren is de belangrijkste skill", 2),
    (2, "Digitale geletterdheid als basisvaardigheid", 1),
]


def fresh(store: Store) -> str:
    """A session captured from scratch: notes typed at tables in turn, one theme."""
    session = store.create_session(find_plan("skills"), session_id="vers")
    ronde = store.resolve_item(session, "ronde-1")
    ids = []
    for table, raw, question in CAPTURE:
        note = store.add_typed_note(session.id, table=table, item=ronde, raw=raw, question=question)
        ids.append(note.id)
    themes.create_theme(store, session.id, ronde, "Samenwerken", note_ids=[ids[0], ids[6]])
    return session.id


def outputs(store: Store, session_id: str, language: str | None = None) -> dict[str, str]:
    """The draft in each format as text: headings marked with '#' for all three."""
    data = build_context(
        store, session_id, language=language, generated_at=FIXED_TIME
    ).to_template_data()
    template = "report" if language == "en" else "verslag"
    found = {}
    for fmt in FORMATS:
        rendered = render(data, template, fmt)
        if fmt == "md":
            found[fmt] = rendered.text
        elif fmt == "html":
            text = re.sub(
                r"<h(\d)[^>]*>(.*?)</h\1>",
                lambda m: "\n" + "#" * int(m.group(1)) + " " + m.group(2) + "\n",
                rendered.text,
                flags=re.S,
            )
            text = re.sub(r"<(li|p|blockquote)\b", "\n<\\1", text)
            found[fmt] = html.unescape(re.sub(r"<[^>]+>", "", text))
        else:
            document = docx.Document(io.BytesIO(rendered.output))
            lines = []
            for p in document.paragraphs:
                style = p.style.name
                level = {"Title": 1}.get(style) or (
                    int(style.split()[-1]) + 1 if style.startswith("Heading") else 0
                )
                lines.append(("#" * level + " " if level else "") + p.text)
            found[fmt] = "\n".join(lines)
    return found


@pytest.fixture(params=["demo", "fresh"])
def drafts(request: pytest.FixtureRequest, demo: Store) -> tuple[Store, str, dict[str, str]]:
    """The Dutch draft of the demo or of a fresh session, in every format."""
    session_id = "demo" if request.param == "demo" else fresh(demo)
    return demo, session_id, outputs(demo, session_id)


def headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]


def test_title_is_not_repeated_under_itself(drafts) -> None:
    store, session_id, found = drafts
    title = store.get_session(session_id).plan.title
    for fmt, text in found.items():
        with_title = [h for h in headings(text) if title.replace("(", "\\(") in h or title in h]
        assert len(with_title) == 1, (fmt, with_title)


def test_headings_do_not_repeat_words(drafts) -> None:
    _store, _id, found = drafts
    for fmt, text in found.items():
        for heading in headings(text):
            words = [w.casefold() for w in re.findall(r"\w{4,}", heading)]
            assert len(words) == len(set(words)), (fmt, heading)


def test_organisation_named_in_the_function_is_not_repeated(drafts) -> None:
    _store, _id, found = drafts
    for fmt, text in found.items():
        assert "Operation Education (United4Education" not in text, fmt
        assert "Claire Boonstra, drijvende kracht" in text, fmt
        assert "directeur (Duurzaamheidsfabriek, Dordrecht)" in text, fmt


SECTION_REF = re.compile(r"\(\d+(\.\d+)+(\s*[,–-]\s*\d+(\.\d+)*)*\)|\(\d\.\d")


def test_no_section_references_leak_from_plans(drafts) -> None:
    _store, _id, found = drafts
    for fmt, text in found.items():
        assert not SECTION_REF.search(text.replace("\\", "")), (fmt, SECTION_REF.search(text))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("path", sorted(bundled_sessions_dir().glob("*.toml")), ids=str)
def test_bundled_plans_keep_sources_in_comments(path: Path) -> None:
    data = tomllib.loads(path.read_text("utf-8"))
    for text in _strings(data):
        assert not SECTION_REF.search(text), (path.name, text)


def test_unassigned_notes_listed_by_table_then_time(demo: Store) -> None:
    session_id = fresh(demo)
    found = outputs(demo, session_id)
    unthemed = [t for table, t, _q in CAPTURE if "#actie" not in t and "Samenwerken" not in t]
    expected = [
        "Omgaan met mensen",
        "Leren leren",
        "Het is een drama!",
        "Een diploma zegt",
    ]
    assert len(unthemed) >= 4
    for fmt, text in found.items():
        positions = [text.find(e) for e in expected]
        assert all(p >= 0 for p in positions), (fmt, positions)
        assert positions == sorted(positions), (fmt, positions)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_actions_have_a_section_of_their_own(demo: Store, language: str) -> None:
    session_id = fresh(demo)
    heading = "Acties en afspraken" if language == "nl" else "Actions and agreements"
    for fmt, text in outputs(demo, session_id, language).items():
        found = [h for h in headings(text) if h.endswith(heading)]
        assert len(found) == 1, fmt
        section = text.split(heading, 1)[1]
        section = section.split("\n#", 1)[0]
        assert "Bel de gemeente over de stageplekken" in section, fmt


def _appendix(text: str) -> list[str]:
    section = re.split(r"\n#+ (?:Bijlage|Appendix) 1 \w+\n", text)[1]
    section = re.split(r"\n#", section)[0]
    return [
        line.lstrip("-* ").strip() for line in section.splitlines() if line.strip() and "(" in line
    ]


def test_appendix_lists_everyone_who_took_part(drafts) -> None:
    store, session_id, found = drafts
    add_person(store, session_id, "Lex Borghans", organisation="Maastricht University")
    add_person(store, session_id, "Jan van Dijk", organisation="ROC")
    found = outputs(store, session_id)
    for fmt, text in found.items():
        entries = _appendix(text)
        joined = "\n".join(entries)
        for name in ("Lex Borghans", "Annemieke Bok", "Claire Boonstra", "Rein Meester"):
            assert joined.count(name) == 1, (fmt, name, entries)
        assert "Mariëtte Hamer" in joined, fmt
        assert "Jan van Dijk (ROC)" in joined, fmt
        surnames = [re.sub(r" \(.*", "", e).split()[-1] for e in entries]
        assert surnames.index("Bok") < surnames.index("Borghans") < surnames.index("Dijk")
        assert surnames.index("Dijk") < surnames.index("Hamer") < surnames.index("Meester")


def test_appendix_of_programme_people_honours_belgian_order(demo: Store) -> None:
    set_convention(demo, "demo", Convention.BELGIAN)
    add_person(demo, "demo", "Jan van Dijk", organisation="ROC")
    for fmt, text in outputs(demo, "demo").items():
        joined = "\n".join(_appendix(text))
        # Belgian: "van Dijk" sorts under V (after "van den Bergh"), "de Vries" under D.
        order = ["Anna de Vries", "Rein Meester", "Ria van den Bergh", "Jan van Dijk"]
        assert sorted(order, key=joined.index) == order, fmt


def test_word_draft_is_a4_with_page_numbers_and_session_metadata(drafts) -> None:
    store, session_id, _found = drafts
    data = build_context(store, session_id, generated_at=FIXED_TIME).to_template_data()
    output = render(data, "verslag", "docx").output
    document = docx.Document(io.BytesIO(output))
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1
    footer = section.footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    plan = store.get_session(session_id).plan
    assert document.core_properties.title == plan.title
    assert document.core_properties.author == plan.organiser
    assert "python-docx" not in (document.core_properties.comments or "")
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles


def test_pandoc_reads_the_word_headings_as_an_outline(tmp_path: Path, demo: Store) -> None:
    """pandoc (a reader independent of python-docx) sees numbered headings at three levels."""
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    path = tmp_path / "verslag.docx"
    path.write_bytes(render(data, "verslag", "docx").output)
    text = pypandoc.convert_file(str(path), "markdown", extra_args=["--wrap=none"])
    found = [line for line in text.splitlines() if re.match(r"#{1,3} ", line)]
    assert "# 1 Verslag van de bijeenkomst" in found
    assert "## 1.3 Opbrengsten dialoogtafels" in found
    assert any(re.match(r"### 1\.3\.1 Gespreksronde 1", line) for line in found), found
    assert "## 1.6 Acties en afspraken" in found


def test_a_note_that_begins_with_a_quotation_is_not_a_quote() -> None:
    parsed = parse_note('"Het is een drama!" over de btw-plicht')
    assert parsed.kind is NoteKind.OBSERVATION
    assert parsed.text == '"Het is een drama!" over de btw-plicht'
    curly = parse_note("“Het is een drama!” zei de ondernemer #btw")
    assert (curly.kind, curly.text, curly.tags) == (
        NoteKind.OBSERVATION,
        "“Het is een drama!” zei de ondernemer",
        ["btw"],
    )
    whole = parse_note('"Het is een drama!"')
    assert (whole.kind, whole.text) == (NoteKind.QUOTE, "Het is een drama!")


def test_quotation_with_comment_keeps_its_marks_in_the_draft(demo: Store) -> None:
    session_id = fresh(demo)
    for fmt, text in outputs(demo, session_id).items():
        assert '"Het is een drama!" over de btw-plicht' in text, fmt
        assert "“Een diploma zegt steeds minder”" in text or "Een diploma" in text, fmt


def test_round_is_structured_by_question_where_notes_carry_questions(demo: Store) -> None:
    """As the SER report does: within a round, themes and notes under their question."""
    session_id = fresh(demo)
    for fmt, text in outputs(demo, session_id).items():
        found = headings(text)
        q1 = "Vraag 1: Wat zijn de belangrijkste skills voor de toekomst?"
        q2 = "Vraag 2: Welke skills zijn van belang voor de toekomstige arbeidsmarkt?"
        assert q1 in found and q2 in found and "Notities zonder vraag" in found, fmt
        first, rest = text.split(q1, 1)[1].split(q2, 1)
        second, other = rest.split("Notities zonder vraag", 1)
        # The theme's notes answer question 1; so does the loose note of table 1.
        assert "Samenwerken" in first and "Omgaan met mensen" in first, fmt
        assert "Leren leren" in second and "Het is een drama!" in second, fmt
        assert "Leren leren" not in first and "Omgaan met mensen" not in second, fmt
        assert "Bel de gemeente" in other.split("\n#", 1)[0], fmt
    # A round whose notes carry no question keeps its questions as a list.
    ronde2 = build_context(demo, session_id, generated_at=FIXED_TIME).sessions[0].rounds[1]
    assert not ronde2.by_question


def test_theme_coverage_is_a_bar_in_html_and_text_elsewhere(demo: Store) -> None:
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    theme = data["sessions"][0]["rounds"][0]["themes"][0]
    assert theme["coverage"]["text"] == "2 van 8 tafels"
    page = render(data, "verslag", "html").text
    assert re.search(
        r'<span class="bar" role="img" aria-label="2 van 8 tafels">'
        r'<span style="width: 25%"></span></span> 2 van 8 tafels',
        page,
    )
    assert "**Kritisch denken** (2 van 8 tafels)." in render(data, "verslag", "md").text
    word = docx.Document(io.BytesIO(render(data, "verslag", "docx").output))
    assert any(p.text.startswith("Kritisch denken (2 van 8 tafels).") for p in word.paragraphs)


def test_word_keeps_line_breaks_of_a_note(demo: Store) -> None:
    """Only paragraphs with a line break get docxtpl's listing work; those still get it."""
    session_id = fresh(demo)
    ronde = demo.resolve_item(demo.get_session(session_id), "ronde-1")
    demo.add_typed_note(session_id, table=4, item=ronde, raw="regel een\nregel twee")
    data = build_context(demo, session_id, generated_at=FIXED_TIME).to_template_data()
    word = docx.Document(io.BytesIO(render(data, "verslag", "docx").output))
    assert any("regel een\nregel twee" in p.text for p in word.paragraphs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_table_report_does_not_repeat_the_title_either(demo: Store, fmt: str) -> None:
    data = build_context(demo, "demo", generated_at=FIXED_TIME).to_template_data()
    rendered = render(data, "tafelverslag", fmt)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(rendered.output))
        text = "\n".join(p.text for p in document.paragraphs)
    else:
        text = html.unescape(re.sub(r"<title>.*?</title>", "", rendered.text))
        text = text.replace("\\", "")
    assert text.count(demo.get_session("demo").plan.title) == 1, fmt
    assert "19 februari 2015" in text


@pytest.mark.parametrize(
    ("kind_label", "title", "kind", "speakers", "heading"),
    [
        (
            "inleiding",
            "Arbeidsmarkt",
            "keynote",
            ["Lex Borghans"],
            "Inleiding Lex Borghans – Arbeidsmarkt",
        ),
        (
            "reflectie",
            "Reflectie met enkele deelnemers",
            "panel",
            ["A B"],
            "Reflectie met enkele deelnemers",
        ),
        (
            "presentatie",
            "Presentatie Stichting Kwadrant",
            "presentation",
            ["Ruud Könemann"],
            "Presentatie Stichting Kwadrant",
        ),
        (
            "inleiding",
            "Golsteyn over leren",
            "keynote",
            ["Bart Golsteyn"],
            "Inleiding – Golsteyn over leren",
        ),
        ("keynote", "", "keynote", ["Lex Borghans"], "Keynote Lex Borghans"),
    ],
)
def test_item_heading_says_each_thing_once(kind_label, title, kind, speakers, heading) -> None:
    from dialoog.synthesis.context import item_heading
    from dialoog.synthesis.context_people import person

    assert item_heading(kind_label, title, kind, [person(n) for n in speakers]) == heading


def test_series_headings_say_each_thing_once(store: Store) -> None:
    for name in ("skills", "leven-lang-leren", "samenwerking"):
        store.create_session(find_plan(name))
    data = build_context(store, "leren-in-de-toekomst", generated_at=FIXED_TIME).to_template_data()
    for fmt in FORMATS:
        if fmt == "docx":
            document = docx.Document(io.BytesIO(render(data, "verslag", fmt).output))
            found = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        else:
            found = headings(render(data, "verslag", fmt).text.replace("<h", "\n#<h"))
        assert any("Presentatie Stichting Kwadrant" in h for h in found), fmt
        for heading in found:
            words = [w.casefold() for w in re.findall(r"\w{4,}", re.sub(r"<[^>]+>", "", heading))]
            assert len(words) == len(set(words)), (fmt, heading)


def test_an_organisation_with_its_own_brackets_is_not_bracketed_twice(drafts) -> None:
    """ "Mariëtte Hamer (Sociaal-Economische Raad (SER))" read badly in every format."""
    store, session_id, _found = drafts
    add_person(store, session_id, "Lex Borghans", organisation="Researchcentrum (ROA)")
    for fmt, text in outputs(store, session_id).items():
        joined = "\n".join(_appendix(text))
        assert "Lex Borghans (Researchcentrum, ROA)" in joined, (fmt, joined)
        assert "))" not in joined, (fmt, joined)
