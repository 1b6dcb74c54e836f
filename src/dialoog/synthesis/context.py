"""The report context: everything a report template can use, as one documented structure.

Templates never see the database or Python objects: :func:`build_context` reads a
session (or a whole series) and returns a :class:`ReportContext`, and
:meth:`ReportContext.to_template_data` dumps it to plain dicts, lists, strings,
numbers and booleans. Every field below is available to templates under the same
name (``report.sessions[0].rounds[0].themes[0].coverage.phrase``).

Shape, for template authors::

    report                      ReportContext
      .title .subtitle .author .language .generated_at .generated_date_text
      .series                   SeriesContext or none
      .sessions[]               SessionContext, in date order (one for a session report)
        .title .theme .date .date_text .venue .organiser .chair_of_day (PersonContext)
        .discussion_paper .description .table_count .note_count
        .programme[]            ItemContext for every agenda item, in order
        .talks[]                keynote, panel and presentation items
          .heading              "Inleiding Lex Borghans – Title", no word said twice
          .speakers[]           PersonContext (.name .function .organisation .description)
        .rounds[]               round and inventory items
          .title .questions[] (.number .text .note_count)
          .themes[]             ThemeContext, in the secretary's order
            .title .synthesis .contested .coverage (CoverageContext)
            .notes[] .quotes[]  NoteContext
          .unthemed_notes[]     notes of the item in no theme yet, by table, then time
          .by_question          true when the notes carry questions; then also
            .questions[].themes[] .questions[].unthemed_notes[]   per question, and
            .other_themes[] .other_notes[]                        what answers none
          .tables[]             TableNotes: .number .label .notes[]
        .recommendations[] .bottlenecks[] .examples[] .open_questions[] .actions[]
        .participants[]         AppendixEntry (.name .organisation .text): everyone who
                                took part, programme people included, in the session's order
        .initiatives[]          InitiativeContext (.title .author .organisation .text)
      .participants[] .initiatives[]    the same, over all sessions
      .frequency_thresholds     the rule behind coverage phrases (see below)

Chatham House: a :class:`NoteContext` carries its table, never a person; speakers,
panel members, presenters and the chair of the day are named.

Frequency phrases (``coverage.phrase``), from the number of tables a theme's notes
come from (*covered*) out of the tables that took notes in that item (*of*; the
session's table count when no table did):

====================  ==========================  =====================
covered / of          Dutch                       English
====================  ==========================  =====================
1 table               aan één van de tafels       at one of the tables
2+ and share < 50 %   aan enkele tafels           at some tables
share 50 % to < 85 %  aan verschillende tafels    at several tables
  (or 2 of 2)
share >= 85 %, 3+     aan vrijwel alle tafels     at almost all tables
====================  ==========================  =====================
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from typing import Any

from dialoog import __version__
from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.models import ItemKind, NoteKind, Session
from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.synthesis.context_models import (
    CoverageContext,
    InitiativeContext,
    ItemContext,
    NoteContext,
    QuestionContext,
    ReportContext,
    SeriesContext,
    SessionContext,
    TableNotes,
    ThemeContext,
)
from dialoog.synthesis.context_people import AppendixEntry, PersonContext, appendix_entries
from dialoog.synthesis.context_people import appendix_order as appendix_order
from dialoog.synthesis.context_people import person as _person

# The words and thresholds live in phrases.py; templates and callers know them from here.
from dialoog.synthesis.phrases import (
    ALMOST_ALL_MIN,
    ALMOST_ALL_SHARE,
    ITEM_KIND_NAMES,
    KIND_NAMES,
    PHRASES,
    SEVERAL_SHARE,
    clean,
    date_text,
    frequency_key,
)
from dialoog.synthesis.phrases import (
    MONTHS as MONTHS,
)
from dialoog.synthesis.phrases import (
    frequency_phrase as frequency_phrase,
)
from dialoog.times import parse_stamp

# -- building ---------------------------------------------------------------


_NOTE_FIELDS = frozenset(NoteContext.model_fields)


def _note(**fields: Any) -> NoteContext:
    """A NoteContext from trusted values, without validation (as ``model_construct``, faster)."""
    note = NoteContext.__new__(NoteContext)
    object.__setattr__(note, "__dict__", fields)
    object.__setattr__(note, "__pydantic_fields_set__", _NOTE_FIELDS)
    object.__setattr__(note, "__pydantic_extra__", None)
    object.__setattr__(note, "__pydantic_private__", None)
    return note


def _coverage(table_numbers: set[int], of: int, language: str) -> CoverageContext:
    covered = len(table_numbers)
    key = frequency_key(covered, of)
    of = max(of, covered)
    word = "van" if language == "nl" else "of"
    tables = "tafels" if language == "nl" else "tables"
    return CoverageContext(
        tables=covered,
        of=of,
        table_numbers=sorted(table_numbers),
        share=round(covered / of, 3) if of else 0.0,
        key=key,
        phrase=PHRASES[language][key],
        phrase_nl=PHRASES["nl"][key],
        phrase_en=PHRASES["en"][key],
        text=f"{covered} {word} {of} {tables}",
    )


_WORD = re.compile(r"\w+")


def item_heading(kind_label: str, title: str, kind: str, speakers: list[PersonContext]) -> str:
    """ "Inleiding Lex Borghans – Title", leaving out what the title already says.

    "Reflectie – Reflectie met enkele deelnemers" becomes "Reflectie met enkele
    deelnemers"; a speaker named in the title is not named again.
    """
    in_title = {w.casefold() for w in _WORD.findall(title)}
    if title and kind_label.casefold() in in_title:
        # The title says what it is ("Presentatie Stichting Kwadrant"); the line
        # under the heading names the speakers.
        return title[:1].upper() + title[1:]
    lead = [kind_label[:1].upper() + kind_label[1:]]
    if kind != "panel":
        # A speaker whose surname the title already gives is not named again.
        names = [
            p.name for p in speakers if p.name and p.name.split()[-1].casefold() not in in_title
        ]
        if names:
            lead.append(", ".join(names))
    return f"{' '.join(lead)} – {title}" if title else " ".join(lead)


def _by_question(
    questions: list[QuestionContext], themes: list[ThemeContext], unthemed: list[NoteContext]
) -> tuple[list[ThemeContext], list[NoteContext]] | None:
    """Sort a round's themes and loose notes under the questions they answer.

    Only where the notes carry questions and the round has more than one. A theme
    goes under the question most of its notes answer (the first on a tie).
    Returns the themes and notes that answer no question, or None when the round is
    not grouped.
    """
    if len(questions) < 2 or not any(
        n.question for n in (*unthemed, *(n for t in themes for n in t.notes))
    ):
        return None
    by_number = {q.number: q for q in questions}
    other_themes: list[ThemeContext] = []
    other_notes: list[NoteContext] = []
    for theme in themes:
        counts = Counter(n.question for n in theme.notes if n.question in by_number)
        if counts:
            best = max(counts.values())
            number = min(q for q, c in counts.items() if c == best)
            by_number[number].themes.append(theme)
        else:
            other_themes.append(theme)
    for note in unthemed:
        target = by_number.get(note.question) if note.question else None
        (target.unthemed_notes if target else other_notes).append(note)
    return other_themes, other_notes


def _session_context(store: Store, session: Session, language: str) -> SessionContext:
    plan = session.plan
    table_labels = {t.number: clean(t.label) for t in plan.tables}
    agenda = plan.agenda
    kinds = KIND_NAMES[language]
    local_offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)
    item_titles = {p: clean(i.title) for p, i in enumerate(agenda, start=1)}
    notes_by_id: dict[str, NoteContext] = {}
    # Filled in the same pass: notes per item and table (in the order taken), per kind,
    # and how many notes answer each question of each item.
    by_item: dict[int, dict[int, list[NoteContext]]] = defaultdict(lambda: defaultdict(list))
    answered: Counter[tuple[int, int | None]] = Counter()
    by_kind: dict[str, list[NoteContext]] = defaultdict(list)
    clock: dict[str, str] = {}  # "HH:MM" local, per stored minute: 16,000 notes, few minutes
    labels: dict[int, str] = {}
    # One pass over bare rows: no record or model per note is validated on the way.
    for note_id, table, item, question, kind, text, tags, created in store.report_note_rows(
        session.id
    ):
        minute = created[:16]
        time = clock.get(minute)
        if time is None:
            taken = parse_stamp(created) + local_offset
            time = clock[minute] = f"{taken.hour:02d}:{taken.minute:02d}"
        label = labels.get(table)
        if label is None:
            label = labels[table] = table_labels.get(table, str(table))
        note = _note(
            table=table,
            table_label=label,
            item=item,
            item_title=item_titles.get(item, str(item)),
            kind=kind,
            kind_label=kinds.get(kind, kind),
            text=clean(text),
            tags=[clean(t) for t in json.loads(tags)] if tags and tags != "[]" else [],
            question=question,
            time=time,
        )
        notes_by_id[note_id] = note
        by_item[item][table].append(note)
        by_kind[kind].append(note)
        answered[item, question] += 1

    themes = theme_store.list_themes(store, session.id)
    themes_by_item: dict[int, list] = defaultdict(list)
    for theme in themes:
        themes_by_item[theme.item].append(theme)
    written = theme_store.summaries(store, session.id)

    quote = NoteKind.QUOTE.value
    counters: dict[str, int] = defaultdict(int)
    programme: list[ItemContext] = []
    for position, item in enumerate(agenda, start=1):
        counters[item.kind.value] += 1
        per_table = by_item.get(position, {})
        of = len(per_table) or len(plan.tables)
        themed: set[int] = set()  # id() of the notes in a theme
        theme_contexts = []
        for theme in themes_by_item.get(position, []):
            t_notes = [notes_by_id[i] for i in map(str, theme.note_ids) if i in notes_by_id]
            themed.update(map(id, t_notes))
            theme_contexts.append(
                ThemeContext(
                    id=theme.id or 0,
                    title=clean(theme.title),
                    synthesis=clean(theme.synthesis),
                    contested=theme.contested,
                    position=theme.position,
                    coverage=_coverage({n.table for n in t_notes}, of, language),
                    notes=t_notes,
                    quotes=[n for n in t_notes if n.kind == quote],
                )
            )
        # By table, then in the order taken.
        unthemed = [n for t in sorted(per_table) for n in per_table[t] if id(n) not in themed]
        kind_label = ITEM_KIND_NAMES[language][item.kind.value]
        speakers = [_person(p.name, p.organisation, p.function) for p in item.speakers]
        questions = [
            QuestionContext(
                number=i,
                text=clean(q),
                note_count=answered[position, i],
            )
            for i, q in enumerate(item.questions, start=1)
        ]
        grouped = _by_question(questions, theme_contexts, unthemed)
        programme.append(
            ItemContext(
                position=position,
                number=counters[item.kind.value],
                key=item.key or str(position),
                kind=item.kind.value,
                kind_label=kind_label,
                title=clean(item.title),
                description=clean(item.description),
                duration_minutes=item.duration_minutes,
                speakers=speakers,
                moderator=clean(item.moderator),
                questions=questions,
                summary=clean(written.get(position, "")),
                themes=theme_contexts,
                unthemed_notes=unthemed,
                tables=[
                    TableNotes(number=t, label=table_labels.get(t, str(t)), notes=per_table[t])
                    for t in sorted(per_table)
                ],
                note_count=sum(map(len, per_table.values())),
                tables_with_notes=len(per_table),
                heading=item_heading(kind_label, clean(item.title), item.kind.value, speakers),
                by_question=grouped is not None,
                other_themes=grouped[0] if grouped else [],
                other_notes=grouped[1] if grouped else [],
            )
        )

    def of_kind(kind: NoteKind) -> list[NoteContext]:
        return by_kind.get(kind.value, [])

    talk_kinds = {ItemKind.KEYNOTE.value, ItemKind.PANEL.value, ItemKind.PRESENTATION.value}
    round_kinds = {ItemKind.ROUND.value, ItemKind.INVENTORY.value}
    chair = plan.chair_of_day
    return SessionContext(
        id=session.id,
        slug=plan.slug,
        title=clean(plan.title),
        theme=clean(plan.theme),
        date=plan.date.isoformat() if plan.date else "",
        date_text=date_text(plan.date, language),
        venue=clean(plan.venue),
        organiser=clean(plan.organiser),
        chair_of_day=_person(chair.name, chair.organisation, chair.function) if chair else None,
        discussion_paper=clean(plan.discussion_paper),
        description=clean(plan.description),
        table_count=len(plan.tables),
        note_count=len(notes_by_id),
        programme=programme,
        talks=[i for i in programme if i.kind in talk_kinds],
        rounds=[i for i in programme if i.kind in round_kinds],
        recommendations=of_kind(NoteKind.RECOMMENDATION),
        bottlenecks=of_kind(NoteKind.BOTTLENECK),
        examples=of_kind(NoteKind.EXAMPLE),
        open_questions=of_kind(NoteKind.QUESTION),
        actions=of_kind(NoteKind.ACTION),
        participants=appendix_entries(store, session),
        initiatives=[
            InitiativeContext(
                title=clean(i.title),
                author=clean(i.author),
                organisation=clean(i.organisation),
                text=clean(i.text),
            )
            for i in theme_store.list_initiatives(store, session.id)
        ],
    )


def _series(store: Store, slug: str) -> tuple[SeriesContext, list[Session]] | None:
    record = store.get_series(slug)
    if record is None:
        return None
    title, organiser, description = record.title, record.organiser, record.description
    if title == slug:  # the store records a series by its slug; the plan knows its title
        from dialoog.plans import discover_plans

        for plan_file in discover_plans():
            plan = plan_file.plan
            if plan.type == "series" and plan.slug == slug:
                title, organiser, description = plan.title, plan.organiser, plan.description
                break
    series = SeriesContext(
        slug=slug, title=clean(title), organiser=clean(organiser), description=clean(description)
    )
    return series, store.series_sessions(slug)


def build_context(
    store: Store,
    subject: str,
    *,
    language: str | None = None,
    generated_at: dt.datetime | None = None,
) -> ReportContext:
    """Read a session, or every session of a series, into a :class:`ReportContext`.

    Args:
        store: the open store.
        subject: a session id, or a series slug for one report with a chapter per session.
        language: ``nl`` or ``en`` for phrases and labels (default: the session's language).
        generated_at: the time to print as generation time (fixed in tests for golden files).
    """
    series: SeriesContext | None = None
    try:
        sessions = [store.get_session(subject)]
    except NotFoundError:
        found = _series(store, subject)
        if found is None:
            raise NotFoundError(
                _("no session or series {id!r} (see: dialoog sessions)").format(id=subject)
            ) from None
        series, sessions = found
        if not sessions:
            raise NotFoundError(
                _("series {id!r} has no sessions in this database").format(id=subject)
            ) from None
    language = language or sessions[0].plan.language
    if language not in PHRASES:
        language = "en"
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    chapters = [_session_context(store, s, language) for s in sessions]
    seen: set[str] = set()
    participants: list[AppendixEntry] = []
    for entry in sorted(
        (e for c in chapters for e in c.participants), key=lambda e: (e.sort_key, e.text)
    ):
        if entry.text not in seen:
            seen.add(entry.text)
            participants.append(entry)
    title = series.title if series else chapters[0].title
    author = (series.organiser if series else "") or chapters[0].organiser or "dialoog"
    subtitle = series.organiser if series else chapters[0].theme
    return ReportContext(
        language=language,
        title=title,
        subtitle=subtitle,
        author=author,
        generated_at=generated_at.isoformat(timespec="seconds"),
        generated_date_text=date_text(generated_at.date(), language),
        dialoog_version=__version__,
        series=series,
        sessions=chapters,
        participants=participants,
        initiatives=[i for c in chapters for i in c.initiatives],
        note_count=sum(c.note_count for c in chapters),
        frequency_thresholds={
            "several_share": SEVERAL_SHARE,
            "almost_all_share": ALMOST_ALL_SHARE,
            "almost_all_min_tables": ALMOST_ALL_MIN,
        },
    )
