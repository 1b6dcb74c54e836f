"""Hostile note text comes out literally and safely in Markdown, HTML and .docx."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialoog.demo import create_demo
from dialoog.markers import clean_text
from dialoog.plans import find_plan
from dialoog.storage.store import NewNote, Store
from dialoog.synthesis.context import build_context, clean
from dialoog.synthesis.render import md_escape, render

from .helpers import docx_text, squash

FIXED = dt.datetime(2015, 3, 1, tzinfo=dt.UTC)

HOSTILE = [
    "<script>alert('x')</script> & <b>vet</b>",
    "{{ report.title }} {% for x in y %}{% endfor %} {# c #}",
    "back\\slash \\n and \\\\ double",
    "emoji 🎓👩‍🏫 and RTL: مرحبا بالعالم שלום",
    "R&D &amp; &lt;tag&gt; &#60; AT&T",
    "# not a heading\n- not a list\n1. not numbered\n> not a quote",
    "*stars* _under_ `code` [link](http://x) ![img](y) | pipe | ~strike~ $math$ @cite ^sup",
    'quotes "double" ‘single’ -- dashes ... dots',
    "control\x07chars\x1b[31m removed",
]


class _Collect(HTMLParser):
    """Collects start tags and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser


def _session_with(store: Store, texts: list[str]) -> str:
    session = store.create_session(find_plan("skills"), session_id="t")
    item = store.resolve_item(session, "ronde-1")
    store.add_notes(session.id, [NewNote(1 + i % 8, item, t) for i, t in enumerate(texts)])
    return session.id


def _expected(text: str) -> str:
    return squash(clean_text(text))


def test_html_has_no_element_from_note_text(store: Store) -> None:
    benign = [f"gewone notitie {i}" for i in range(len(HOSTILE))]
    sid = _session_with(store, HOSTILE)
    hostile_html = render(
        build_context(store, sid, generated_at=FIXED).to_template_data(), fmt="html"
    )
    other = Store.open(store.path.with_name("other.db"))
    sid2 = _session_with(other, benign)
    benign_html = render(
        build_context(other, sid2, generated_at=FIXED).to_template_data(), fmt="html"
    )
    hostile, plain = _parse(hostile_html.text), _parse(benign_html.text)
    assert hostile.tags == plain.tags  # the same elements, whatever the notes say
    text = squash(" ".join(hostile.text))
    for note in HOSTILE:
        assert _expected(note) in text


@pytest.mark.parametrize("template", ["verslag", "tafelverslag"])
def test_docx_keeps_every_note_for_python_docx_and_pandoc(
    store: Store, template: str, tmp_path
) -> None:
    sid = _session_with(store, HOSTILE)
    data = build_context(store, sid, generated_at=FIXED).to_template_data()
    output = render(data, template, "docx").output
    path = tmp_path / "out.docx"
    path.write_bytes(output)
    read_back = docx_text(output)
    by_pandoc = squash(
        pypandoc.convert_file(str(path), "plain", format="docx", extra_args=["--wrap=none"])
    )
    for note in HOSTILE:
        assert _expected(note) in read_back
        assert _expected(note) in by_pandoc


def test_markdown_reads_back_literally_with_pandoc(store: Store) -> None:
    sid = _session_with(store, HOSTILE)
    md = render(build_context(store, sid, generated_at=FIXED).to_template_data(), fmt="md").text
    plain = squash(
        pypandoc.convert_text(md, "plain", format="markdown-smart", extra_args=["--wrap=none"])
    )
    html = pypandoc.convert_text(md, "html", format="commonmark")
    assert "<script" not in html and "<b>" not in html
    for note in HOSTILE:
        assert _expected(note) in plain


def test_docx_of_demo_has_structure_and_all_note_text(store: Store, tmp_path) -> None:
    create_demo(store)
    data = build_context(store, "demo", generated_at=FIXED).to_template_data()
    output = render(data, "verslag", "docx").output
    import io

    import docx

    document = docx.Document(io.BytesIO(output))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("Opbrengsten dialoogtafels") for h in headings)
    assert "Bijlagen" in headings
    assert any(p.style.name == "Title" for p in document.paragraphs)
    text = docx_text(output)
    path = tmp_path / "demo.docx"
    path.write_bytes(output)
    by_pandoc = squash(
        pypandoc.convert_file(str(path), "plain", format="docx", extra_args=["--wrap=none"])
    )
    for note in store.list_notes("demo"):
        if note.item in (1, 6):  # opening and closing are not part of the verslag
            continue
        assert squash(note.text) in text
        assert squash(note.text) in by_pandoc


def _unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.replace("\\\n  ", "\n"))


@given(st.text(min_size=1, max_size=60))
def test_md_escape_round_trips(text: str) -> None:
    escaped = md_escape(text)
    normalised = clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in normalised.split("\n")]
    assert _unescape_md(escaped) == "\n".join(line for line in lines if line) or not escaped


note_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda t: clean_text(t).strip())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(note_text, min_size=1, max_size=3))
def test_any_note_text_survives_every_format(store: Store, texts: list[str]) -> None:
    sid = f"h{abs(hash(tuple(texts))) % 10**9}"
    session = store.create_session(find_plan("skills"), session_id=sid)
    item = store.resolve_item(session, "ronde-1")
    store.add_notes(session.id, [NewNote(1, item, t) for t in texts])
    data = build_context(store, session.id, generated_at=FIXED).to_template_data()
    stored = [_expected(n.text) for n in store.list_notes(session.id)]
    html = _parse(render(data, "verslag", "html").text)
    html_text = squash(" ".join(html.text))
    docx_all = docx_text(render(data, "verslag", "docx").output)
    md = _unescape_md(render(data, "verslag", "md").text)
    for text in stored:
        assert text in html_text
        assert text in docx_all
        assert text in squash(md)
    assert "script" not in html.tags


def _md_escape_reference(value: object) -> str:
    """md_escape as it was before it was made fast (issue 13): regular expressions only."""
    text = clean(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"([\\`*_\[\]<>|$~^@])", r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    start = re.compile(r"^(#{1,6}(?=\s|$)|[-+=:](?=\s|$)|\d+(?=[.)])|~~~|\s*```)")
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        match = start.match(line)
        if match:
            mark = match.group(1)
            line = mark + "\\" + line[len(mark) :] if mark[0].isdigit() else "\\" + line
        lines.append(line)
    return "\\\n  ".join(line for line in lines if line) if len(lines) > 1 else lines[0]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab #-+=:1.)~`\\*_[]<>|$~^@&;\n\r\t\x07é“")))
def test_fast_md_escape_equals_the_reference(text: str) -> None:
    assert md_escape(text) == _md_escape_reference(text)
