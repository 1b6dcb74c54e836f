"""Generate the default Word templates (``templates/*.docx``) with python-docx.

The .docx templates are docxtpl templates: ordinary Word documents whose text
holds Jinja tags. A paragraph holding only ``{%p ... %}`` is a block tag that
docxtpl removes with its paragraph. Run from the repository root::

    /work/venv/bin/python scripts/make_docx_template.py

and commit the regenerated files. Rendering always uses ``autoescape=True``
(docxtpl drops text after a ``<`` or ``&`` without it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]

# Paragraphs: (style, text) or (style, [(text, bold, italic), ...]); style None = Normal.
Para = tuple[str | None, str | list[tuple[str, bool, bool]]]

WORDS = {
    "nl": {
        "draft": "Conceptverslag, gemaakt met dialoog {{ report.dialoog_version }} op "
        "{{ report.generated_date_text }}.",
        "chapter": "{{ ch }} {% if report.series %}{{ s.title }}{% else %}"
        "Verslag van de bijeenkomst{% endif %}",
        "intro": "{% if s.date_text %}Op {{ s.date_text }}{% else %}Op deze dag{% endif %} "
        "vond de dialoogbijeenkomst {{ s.title }} plaats"
        "{% if s.venue %} ({{ s.venue }}){% endif %}.",
        "chair": "{% if s.chair_of_day %}De bijeenkomst stond onder leiding van voorzitter "
        "{{ s.chair_of_day.name }}. {% endif %}Aan {{ s.table_count }} dialoogtafels werden "
        "{{ s.note_count }} notities gemaakt.",
        "led_by": ", onder leiding van ",
        "todo_summary": "[Samenvatting nog te schrijven. Notities tijdens dit onderdeel:]",
        "todo_summary_only": "[Samenvatting nog te schrijven.]",
        "tables": "Opbrengsten dialoogtafels",
        "question": "Vraag",
        "todo_synthesis": "[Synthese nog te schrijven: dit thema kwam {{ th.coverage.phrase }} "
        "aan bod.]",
        "contested": " Over dit thema wordt verschillend gedacht; er ontstaat discussie.",
        "unthemed": "Nog niet ingedeelde notities:",
        "no_question": "Notities zonder vraag",
        "actions": "Acties en afspraken",
        "no_actions": "Geen acties of afspraken genoteerd.",
        "bottlenecks": "Knelpunten",
        "no_bottlenecks": "Geen knelpunten genoteerd.",
        "recommendations": "Aanbevelingen",
        "no_recommendations": "Geen aanbevelingen genoteerd.",
        "examples": "Goede voorbeelden en open vragen",
        "example": "Goed voorbeeld: ",
        "open_question": "Open vraag: ",
        "appendices": "Bijlagen",
        "participants": "Bijlage 1 Deelnemers",
        "no_participants": "Nog geen deelnemers ingevoerd.",
        "initiatives": "Bijlage 2 Voorbeeldinitiatieven",
        "no_initiatives": "Nog geen voorbeeldinitiatieven ingevoerd.",
    },
    "en": {
        "draft": "Draft report, made with dialoog {{ report.dialoog_version }} on "
        "{{ report.generated_date_text }}.",
        "chapter": "{{ ch }} {% if report.series %}{{ s.title }}{% else %}"
        "Report of the meeting{% endif %}",
        "intro": "The dialogue meeting {{ s.title }} took place"
        "{% if s.date_text %} on {{ s.date_text }}{% endif %}"
        "{% if s.venue %} ({{ s.venue }}){% endif %}.",
        "chair": "{% if s.chair_of_day %}The meeting was chaired by "
        "{{ s.chair_of_day.name }}. {% endif %}At {{ s.table_count }} dialogue tables, "
        "{{ s.note_count }} notes were taken.",
        "led_by": ", led by ",
        "todo_summary": "[Summary to be written. Notes taken during this item:]",
        "todo_summary_only": "[Summary to be written.]",
        "tables": "What the dialogue tables said",
        "question": "Question",
        "todo_synthesis": "[Synthesis to be written: this theme came up {{ th.coverage.phrase }}.]",
        "contested": " Views on this theme differ; it led to discussion.",
        "unthemed": "Notes not yet in a theme:",
        "no_question": "Notes answering no question",
        "actions": "Actions and agreements",
        "no_actions": "No actions or agreements noted.",
        "bottlenecks": "Bottlenecks",
        "no_bottlenecks": "No bottlenecks noted.",
        "recommendations": "Recommendations",
        "no_recommendations": "No recommendations noted.",
        "examples": "Good examples and open questions",
        "example": "Good example: ",
        "open_question": "Open question: ",
        "appendices": "Appendices",
        "participants": "Appendix 1 Participants",
        "no_participants": "No participants entered yet.",
        "initiatives": "Appendix 2 Example initiatives",
        "no_initiatives": "No example initiatives entered yet.",
    },
}


def themes_and_notes(w: dict[str, str], themes: str, notes: str) -> list[Para]:
    """A round's (or a question's) themes, then the notes in no theme yet."""
    return [
        (f"{{%p for th in {themes} %}}", ""),
        (
            None,
            [
                ("{{ th.title }}", True, False),
                (" ({{ th.coverage.text }}). ", False, False),
                ("{% if th.synthesis %}{{ th.synthesis }}{% endif %}", False, False),
                ("{% if not th.synthesis %}" + w["todo_synthesis"] + "{% endif %}", False, True),
                ("{% if th.contested %}" + w["contested"] + "{% endif %}", False, True),
            ],
        ),
        ("{%p for q in th.quotes %}", ""),
        ("Quote", "“{{ q.text }}”"),
        ("{%p endfor %}", ""),
        ("{%p if not th.synthesis %}", ""),
        ('{%p for n in th.notes if n.kind != "quote" %}', ""),
        ("List Bullet", "{{ n.text }} ({{ n.table_label }})"),
        ("{%p endfor %}", ""),
        ("{%p endif %}", ""),
        ("{%p endfor %}", ""),
        (f"{{%p if {notes} %}}", ""),
        (None, [(w["unthemed"], False, True)]),
        (f"{{%p for n in {notes} %}}", ""),
        ("List Bullet", "{{ n.text }} ({{ n.table_label }}, {{ n.kind_label }})"),
        ("{%p endfor %}", ""),
        ("{%p endif %}", ""),
    ]


def report_paragraphs(w: dict[str, str]) -> list[Para]:
    """The paragraphs of the draft report (verslag / report)."""
    return [
        ("Title", "{{ report.title }}"),
        ("Subtitle", "{{ report.subtitle }}"),
        (None, [(w["draft"], False, True)]),
        ("{%p if report.series and report.series.description %}", ""),
        (None, "{{ report.series.description }}"),
        ("{%p endif %}", ""),
        ("{%p for s in report.sessions %}", ""),
        ("{%p set ch = loop.index %}", ""),
        ("{%p set sec = namespace(n=0) %}", ""),
        ("Heading 1", w["chapter"]),
        (None, "{% if s.description %}{{ s.description }}{% else %}" + w["intro"] + "{% endif %}"),
        (None, w["chair"]),
        ("{%p if s.discussion_paper %}", ""),
        (None, "{{ s.discussion_paper }}"),
        ("{%p endif %}", ""),
        ("{%p for t in s.talks %}", ""),
        ("{%p set sec.n = sec.n + 1 %}", ""),
        ("Heading 2", "{{ ch }}.{{ sec.n }} {{ t.heading }}"),
        ("{%p if t.speakers %}", ""),
        (
            None,
            [
                (
                    '{% if t.kind == "panel" %}Panel: {% endif %}'
                    "{% for p in t.speakers %}{{ p.description }}{% if not loop.last %}; "
                    "{% endif %}{% endfor %}{% if t.moderator %}"
                    + w["led_by"]
                    + "{{ t.moderator }}{% endif %}.",
                    False,
                    True,
                )
            ],
        ),
        ("{%p endif %}", ""),
        ("{%p if t.summary %}", ""),
        (None, "{{ t.summary }}"),
        ("{%p elif not t.unthemed_notes %}", ""),
        (None, [(w["todo_summary_only"], False, True)]),
        ("{%p else %}", ""),
        (None, [(w["todo_summary"], False, True)]),
        ("{%p for n in t.unthemed_notes %}", ""),
        ("List Bullet", "{{ n.text }}"),
        ("{%p endfor %}", ""),
        ("{%p endif %}", ""),
        ("{%p endfor %}", ""),
        ("{%p set sec.n = sec.n + 1 %}", ""),
        ("Heading 2", "{{ ch }}.{{ sec.n }} " + w["tables"]),
        ("{%p for r in s.rounds %}", ""),
        ("Heading 3", "{{ ch }}.{{ sec.n }}.{{ loop.index }} {{ r.title }}"),
        ("{%p if not r.by_question %}", ""),
        ("{%p for q in r.questions %}", ""),
        ("List Bullet", w["question"] + " {{ q.number }}: {{ q.text }}"),
        ("{%p endfor %}", ""),
        ("{%p endif %}", ""),
        ("{%p if r.summary %}", ""),
        (None, "{{ r.summary }}"),
        ("{%p endif %}", ""),
        ("{%p if r.by_question %}", ""),
        ("{%p for q in r.questions %}", ""),
        ("Heading 4", w["question"] + " {{ q.number }}: {{ q.text }}"),
        *themes_and_notes(w, "q.themes", "q.unthemed_notes"),
        ("{%p endfor %}", ""),
        ("{%p if r.other_themes or r.other_notes %}", ""),
        ("Heading 4", w["no_question"]),
        *themes_and_notes(w, "r.other_themes", "r.other_notes"),
        ("{%p endif %}", ""),
        ("{%p else %}", ""),
        *themes_and_notes(w, "r.themes", "r.unthemed_notes"),
        ("{%p endif %}", ""),
        ("{%p endfor %}", ""),
        ("{%p set sec.n = sec.n + 1 %}", ""),
        ("Heading 2", "{{ ch }}.{{ sec.n }} " + w["bottlenecks"]),
        ("{%p for n in s.bottlenecks %}", ""),
        ("List Bullet", "{{ n.text }}"),
        ("{%p else %}", ""),
        (None, [(w["no_bottlenecks"], False, True)]),
        ("{%p endfor %}", ""),
        ("{%p set sec.n = sec.n + 1 %}", ""),
        ("Heading 2", "{{ ch }}.{{ sec.n }} " + w["recommendations"]),
        ("{%p for n in s.recommendations %}", ""),
        ("List Bullet", "{{ n.text }}"),
        ("{%p else %}", ""),
        (None, [(w["no_recommendations"], False, True)]),
        ("{%p endfor %}", ""),
        ("{%p set sec.n = sec.n + 1 %}", ""),
        ("Heading 2", "{{ ch }}.{{ sec.n }} " + w["actions"]),
        ("{%p for n in s.actions %}", ""),
        ("List Bullet", "{{ n.text }} ({{ n.table_label }})"),
        ("{%p else %}", ""),
        (None, [(w["no_actions"], False, True)]),
        ("{%p endfor %}", ""),
        ("{%p if s.examples or s.open_questions %}", ""),
        ("{%p set sec.n = sec.n + 1 %}", ""),
        ("Heading 2", "{{ ch }}.{{ sec.n }} " + w["examples"]),
        ("{%p for n in s.examples %}", ""),
        ("List Bullet", w["example"] + "{{ n.text }}"),
        ("{%p endfor %}", ""),
        ("{%p for n in s.open_questions %}", ""),
        ("List Bullet", w["open_question"] + "{{ n.text }}"),
        ("{%p endfor %}", ""),
        ("{%p endif %}", ""),
        ("{%p endfor %}", ""),
        ("Heading 1", w["appendices"]),
        ("Heading 2", w["participants"]),
        ("{%p for p in report.participants %}", ""),
        ("List Bullet", "{{ p.text }}"),
        ("{%p else %}", ""),
        (None, [(w["no_participants"], False, True)]),
        ("{%p endfor %}", ""),
        ("Heading 2", w["initiatives"]),
        ("{%p for i in report.initiatives %}", ""),
        ("Heading 3", "{{ i.title }}"),
        (
            None,
            [
                (
                    "{{ i.author }}{% if i.author and i.organisation %}, {% endif %}"
                    "{{ i.organisation }}",
                    False,
                    True,
                )
            ],
        ),
        (None, "{{ i.text }}"),
        ("{%p else %}", ""),
        (None, [(w["no_initiatives"], False, True)]),
        ("{%p endfor %}", ""),
    ]


def table_paragraphs() -> list[Para]:
    """The paragraphs of the tafelverslag: raw notes per item and table."""
    return [
        ("Title", "Tafelverslag: {{ report.title }}"),
        (
            None,
            [
                (
                    "Ruwe notities per tafel en onderdeel, gemaakt met dialoog "
                    "{{ report.dialoog_version }} op {{ report.generated_date_text }}. "
                    'Totaal: {{ ngettext("{n} notitie", "{n} notities", report.note_count) }}.',
                    False,
                    True,
                )
            ],
        ),
        ("{%p for s in report.sessions %}", ""),
        (
            "Heading 1",
            "{% if report.series %}{{ s.title }}{% if s.date_text %} ({{ s.date_text }})"
            "{% endif %}{% else %}Notities{% if s.date_text %} van {{ s.date_text }}"
            "{% endif %}{% endif %}",
        ),
        ("{%p for item in s.programme if item.note_count %}", ""),
        ("Heading 2", "{{ item.position }}. {{ item.title }}"),
        ("{%p for t in item.tables %}", ""),
        ("Heading 3", "{{ t.label }}"),
        ("{%p for n in t.notes %}", ""),
        (
            "List Bullet",
            [
                (
                    "[{{ n.kind_label }}{% if n.question %}, vraag {{ n.question }}{% endif %}] ",
                    False,
                    True,
                ),
                ("{{ n.text }}", False, False),
            ],
        ),
        ("{%p endfor %}", ""),
        ("{%p endfor %}", ""),
        ("{%p endfor %}", ""),
        ("{%p endfor %}", ""),
    ]


def _page_number_footer(section) -> None:
    """A centred PAGE field in the footer, so Word numbers the pages itself."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 1  # centre
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            number = OxmlElement("w:t")
            number.text = "1"
            run._r.append(number)


def build(paragraphs: list[Para], path: Path, language: str) -> None:
    """Write one template document."""
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    # The render fills title and author from the session; these are placeholders.
    document.core_properties.title = "dialoog"
    document.core_properties.author = "dialoog"
    document.core_properties.comments = ""
    document.core_properties.language = language
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, as the SER prints
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    _page_number_footer(section)
    for style, content in paragraphs:
        if style and style.startswith("{%p"):
            document.add_paragraph(style)
            continue
        paragraph = document.add_paragraph(style=style)
        runs = [(content, False, False)] if isinstance(content, str) else content
        for text, bold, italic in runs:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
    document.save(path)


def main() -> int:
    """Generate every default .docx template into ``templates/``."""
    out = ROOT / "templates"
    build(report_paragraphs(WORDS["nl"]), out / "verslag.docx", "nl-NL")
    build(report_paragraphs(WORDS["en"]), out / "report.docx", "en-GB")
    build(table_paragraphs(), out / "tafelverslag.docx", "nl-NL")
    for name in ("verslag", "report", "tafelverslag"):
        print(out / f"{name}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
