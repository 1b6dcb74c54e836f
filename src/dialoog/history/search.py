"""Search every session's notes, themes, summaries and report drafts.

Two indexes answer a query (kept by triggers, see migrations m002 and m005; the
trigram index catches up with newly saved notes just before it is queried, m007):

* ``notes_fts``: whole words, accents ignored (``financiele`` finds
  ``financiële``), ranked with bm25;
* ``notes_trigram``: any run of three or more characters, so a part of a Dutch
  compound is found: ``veiligheid`` finds ``verkeersveiligheid`` and ``leren``
  finds ``levenlanglerenbeleid``.

Results come in tiers, best first; inside a tier by bm25:

0. every term occurs as a whole word;
1. every term occurs, some only as part of a longer word (compound parts);
2. (queries of several terms only) some of the terms occur as whole words.

Whole words are ranked with bm25; parts of words by how often the terms occur
relative to the note's length. A lower tier is only queried when the ones above
it gave fewer results than asked for. Each tier ranks at most the
:data:`CANDIDATES` (2,000) newest matching notes that pass the filters, so a
query that matches half of a million notes costs little more than a rare one;
the price is that, for such very common queries, older notes outside the
newest 2,000 matches are not ranked (narrow the search with filters to reach
them). Themes, item
summaries and Markdown/HTML report drafts (tables of the synthesis feature; they
are searched when they exist) are few and are matched by substring, placed
after the notes of the same tier.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from dialoog.errors import DialoogError
from dialoog.i18n import _
from dialoog.models import NoteKind
from dialoog.storage.trigram import catch_up_trigram
from dialoog.text import fold

#: What a search can look in.
SOURCES = ("notes", "themes", "summaries", "drafts")

_TERM = re.compile(r'"([^"]+)"|(\w+)')
_ROUND_REF = re.compile(r"(?:gespreks)?(?:ronde|round)[\s-]*(\d+)", re.IGNORECASE)


class SearchError(DialoogError):
    """A search that cannot be run: an empty query, a bad filter."""


@dataclass(frozen=True)
class SearchFilters:
    """What to narrow a search to; every field is optional."""

    session: str | None = None
    series: str | None = None
    item: str | None = None
    """An agenda item: its position (``4``), key (``ronde-1``) or a round (``round 1``)."""
    kind: NoteKind | None = None
    tag: str | None = None
    table: int | None = None
    date_from: dt.date | None = None
    """First day (the session's date), inclusive."""
    date_to: dt.date | None = None
    """Last day (the session's date), inclusive."""
    sources: tuple[str, ...] = SOURCES

    @property
    def note_only(self) -> bool:
        """Whether a filter applies only to notes (themes and drafts have no kind/tag/table)."""
        return self.kind is not None or self.tag is not None or self.table is not None


@dataclass
class SearchHit:
    """One result, with where it was said: session, agenda item, table."""

    source: str
    """``note``, ``theme``, ``summary`` or ``draft``."""
    id: str
    session_id: str | None
    session_title: str | None
    session_date: str | None
    series: str | None
    item: int | None
    item_title: str | None
    item_key: str | None
    table: int | None
    kind: str | None
    tags: list[str]
    text: str
    snippet: str
    match: str
    """``word`` (whole words), ``part`` (parts of words) or ``some`` (some terms)."""
    score: float
    created_at: str | None = None
    rank: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON output."""
        return asdict(self)


@dataclass(frozen=True)
class Query:
    """A parsed query: its terms, each a word or a quoted phrase, case-folded."""

    terms: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        """Split ``text`` into terms; ``"two words"`` stays one phrase."""
        terms: list[str] = []
        for phrase, word in _TERM.findall(text):
            term = " ".join((phrase or word).split()).casefold()
            if term and term not in terms:
                terms.append(term)
        return cls(tuple(terms))

    @staticmethod
    def _quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def words_all(self) -> str:
        """FTS5 query: every term as a whole word (or phrase of words)."""
        return " AND ".join(self._quote(t) for t in self.terms)

    def words_any(self) -> str:
        """FTS5 query: any of the terms as a whole word."""
        return " OR ".join(self._quote(t) for t in self.terms)

    def trigram_all(self) -> tuple[str | None, list[str]]:
        """Trigram query over the terms of 3+ characters, and the shorter terms left over."""
        long = [t for t in self.terms if len(t) >= 3]
        short = [t for t in self.terms if len(t) < 3]
        return (" AND ".join(self._quote(t) for t in long) or None), short


def whole_word_match(text: str, terms: tuple[str, ...]) -> bool:
    """Whether every term occurs in ``text`` as a whole word (accents ignored)."""
    folded = fold(text)
    return all(re.search(rf"(?<!\w){re.escape(fold(t))}(?!\w)", folded) for t in terms)


def snippet(text: str, terms: tuple[str, ...], width: int = 140) -> str:
    """A short excerpt around the first match, the matched parts in «guillemets»."""
    folded = text.casefold()
    spans = []
    for t in terms:
        for m in re.finditer(re.escape(t), folded):
            spans.append((m.start(), m.end()))
    if not spans or len(folded) != len(text):
        start = 0
    else:
        start = max(0, min(s for s, _e in spans) - width // 3)
    end = min(len(text), start + width)
    piece_spans = sorted((max(s, start), min(e, end)) for s, e in spans if s < end and e > start)
    out, pos = [], start
    for s, e in piece_spans:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append("«" + text[s:e] + "»")
        pos = e
    out.append(text[pos:end])
    body = "".join(out).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _tables(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _item_clause(ref: str, alias: str) -> tuple[str, list[Any]]:
    """SQL matching an agenda item reference against ``{alias}.session_id/item``."""
    text = ref.strip()
    if text.isdigit():
        return f"{alias}.item = ?", [int(text)]
    round_ref = _ROUND_REF.fullmatch(text)
    if round_ref:
        return (
            f"{alias}.item = (SELECT r.position FROM agenda_items r WHERE r.session_id ="
            f" {alias}.session_id AND r.kind = 'round' ORDER BY r.position LIMIT 1 OFFSET ?)",
            [int(round_ref.group(1)) - 1],
        )
    return (
        f"EXISTS (SELECT 1 FROM agenda_items r WHERE r.session_id = {alias}.session_id"
        f" AND r.position = {alias}.item"
        " AND (lower(r.key) = lower(?) OR lower(r.title) = lower(?)))",
        [text, text],
    )


def _common_filters(f: SearchFilters, alias: str, date_expr: str) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.session:
        where.append(f"{alias}.session_id = ?")
        params.append(f.session)
    if f.series:
        where.append("s.series = ?")
        params.append(f.series)
    if f.item:
        clause, p = _item_clause(f.item, alias)
        where.append(clause)
        params.extend(p)
    if f.date_from:
        where.append(f"{date_expr} >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        where.append(f"{date_expr} <= ?")
        params.append(f.date_to.isoformat())
    return where, params


def _note_filters(f: SearchFilters) -> tuple[str, list[Any]]:
    where, params = _common_filters(f, "n", "coalesce(s.date, substr(n.created_at, 1, 10))")
    where.append("n.deleted_at IS NULL")
    if f.kind is not None:
        where.append("n.kind = ?")
        params.append(NoteKind(f.kind).value)
    if f.tag:
        where.append("EXISTS (SELECT 1 FROM json_each(n.tags_json) j WHERE lower(j.value) = ?)")
        params.append(f.tag.lstrip("#").casefold())
    if f.table is not None:
        where.append("n.table_no = ?")
        params.append(f.table)
    return " AND ".join(where), params


#: How many of the newest matching notes (after filters) are ranked; see the module doc.
CANDIDATES = 2_000


def _part_score(text: str, terms: tuple[str, ...]) -> float:
    """Rank of a compound-part match: more occurrences in a shorter note is better (lower)."""
    folded = text.casefold()
    found = sum(folded.count(t) for t in terms)
    return round(-100.0 * found / (len(text) + 30), 4)


def _rowid_bounds(db: sqlite_utils.Database, f: SearchFilters) -> tuple[Any, Any] | None:
    """The rowid range of the notes of the sessions the filters allow, or None (no bound).

    The indexes hand matches over by rowid, so a range lets them skip straight to
    the notes of an old session instead of walking through every newer match.
    """
    where: list[str] = []
    params: list[Any] = []
    if f.session:
        where.append("s.id = ?")
        params.append(f.session)
    if f.series:
        where.append("s.series = ?")
        params.append(f.series)
    if f.date_from:
        where.append("(s.date IS NULL OR s.date >= ?)")
        params.append(f.date_from.isoformat())
    if f.date_to:
        where.append("(s.date IS NULL OR s.date <= ?)")
        params.append(f.date_to.isoformat())
    if not where:
        return None
    return db.execute(
        "SELECT min(n.rowid), max(n.rowid) FROM notes n WHERE n.session_id IN"
        f" (SELECT s.id FROM sessions s WHERE {' AND '.join(where)})",
        params,
    ).fetchone()


def _ranked_notes(
    db: sqlite_utils.Database,
    index: str,
    match: str,
    f: SearchFilters,
    limit: int,
    exclude: set[int],
    terms: tuple[str, ...],
    short_terms: list[str] = (),  # type: ignore[assignment]
) -> list[tuple[int, float]]:
    """Rowids and scores of live notes matching ``match`` in ``index``, best first.

    Only the :data:`CANDIDATES` newest matches that pass the filters are ranked:
    the index hands them over newest first and stops there, so a query matching
    half the database costs what a rare one does. The word index ranks with
    bm25; the trigram index with :func:`_part_score` (bm25 over trigrams would
    have to count every match of every trigram first).
    """
    where, params = _note_filters(f)
    for term in short_terms:
        where += " AND n.text LIKE ? ESCAPE '\\'"
        params.append("%" + re.sub(r"([%_\\])", r"\\\1", term) + "%")
    bounds = _rowid_bounds(db, f)
    if bounds is not None:
        if bounds[0] is None:
            return []
        where += f" AND {index}.rowid BETWEEN ? AND ?"
        params += list(bounds)
    needs_session = f.series or f.date_from or f.date_to
    join_sessions = "JOIN sessions s ON s.id = n.session_id" if needs_session else ""
    use_bm25 = index == "notes_fts"
    score = f"bm25({index})" if use_bm25 else "NULL"
    sql = (
        f"SELECT n.rowid, {score}, {'NULL' if use_bm25 else 'n.text'} FROM {index}"
        f" JOIN notes n ON n.rowid = {index}.rowid {join_sessions}"
        f" WHERE {index} MATCH ? AND {where} ORDER BY {index}.rowid DESC LIMIT ?"
    )
    rows = db.execute(sql, [match, *params, CANDIDATES + len(exclude)]).fetchall()
    ranked = [
        (r[0], r[1] if use_bm25 else _part_score(r[2], terms)) for r in rows if r[0] not in exclude
    ]
    ranked.sort(key=lambda x: (x[1], -x[0]))
    return ranked[:limit]


def _note_hits(
    db: sqlite_utils.Database, ranked: list[tuple[int, float]], match: str, terms: tuple[str, ...]
) -> list[SearchHit]:
    if not ranked:
        return []
    rowids = [r for r, _s in ranked]
    marks = ",".join("?" * len(rowids))
    rows = db.execute(
        "SELECT n.rowid, n.id, n.session_id, s.title, s.date, s.series, n.item, a.title, a.key,"
        " n.table_no, n.kind, n.tags_json, n.text, n.created_at"
        " FROM notes n JOIN sessions s ON s.id = n.session_id"
        " LEFT JOIN agenda_items a ON a.session_id = n.session_id AND a.position = n.item"
        f" WHERE n.rowid IN ({marks})",
        rowids,
    ).fetchall()
    by_rowid = {r[0]: r for r in rows}
    hits = []
    for rowid, score in ranked:
        r = by_rowid[rowid]
        hits.append(
            SearchHit(
                source="note",
                id=r[1],
                session_id=r[2],
                session_title=r[3],
                session_date=r[4],
                series=r[5],
                item=r[6],
                item_title=r[7],
                item_key=r[8],
                table=r[9],
                kind=r[10],
                tags=json.loads(r[11]),
                text=r[12],
                snippet=snippet(r[12], terms),
                match=match,
                score=round(score, 4),
                created_at=r[13],
            )
        )
    return hits


def _like_all(column: str, terms: tuple[str, ...]) -> tuple[str, list[str]]:
    clauses = [f"{column} LIKE ? ESCAPE '\\'" for _t in terms]
    params = ["%" + re.sub(r"([%_\\])", r"\\\1", t) + "%" for t in terms]
    return " AND ".join(clauses), params


def _other_hits(
    db: sqlite_utils.Database, q: Query, f: SearchFilters, tables: set[str]
) -> list[SearchHit]:
    """Themes, item summaries and text report drafts containing every term."""
    if f.note_only:
        return []
    hits: list[SearchHit] = []
    session_cols = (
        "s.title, s.date, s.series, a.title, a.key"  # what every hit shows about its place
    )
    if "themes" in tables and "themes" in f.sources:
        where, params = _common_filters(f, "t", "s.date")
        like, lp = _like_all("(t.title || ' ' || t.synthesis)", q.terms)
        sql = (
            f"SELECT t.id, t.session_id, {session_cols}, t.item, t.title, t.synthesis,"
            " t.updated_at FROM themes t JOIN sessions s ON s.id = t.session_id"
            " LEFT JOIN agenda_items a ON a.session_id = t.session_id AND a.position = t.item"
            f" WHERE {' AND '.join([*where, like])} ORDER BY s.date DESC, t.item, t.position"
        )
        for r in db.execute(sql, [*params, *lp]).fetchall():
            text = f"{r[8]}: {r[9]}" if r[9] else r[8]
            hits.append(_other_hit("theme", str(r[0]), r, text, q))
    if "item_summaries" in tables and "summaries" in f.sources:
        where, params = _common_filters(f, "m", "s.date")
        like, lp = _like_all("m.text", q.terms)
        sql = (
            f"SELECT m.session_id || '/' || m.item, m.session_id, {session_cols}, m.item, m.text,"
            " '', m.updated_at FROM item_summaries m JOIN sessions s ON s.id = m.session_id"
            " LEFT JOIN agenda_items a ON a.session_id = m.session_id AND a.position = m.item"
            f" WHERE {' AND '.join([*where, like])} ORDER BY s.date DESC, m.item"
        )
        for r in db.execute(sql, [*params, *lp]).fetchall():
            hits.append(_other_hit("summary", r[0], r, r[8], q))
    if "report_drafts" in tables and "drafts" in f.sources and not f.item:
        where, params = [], []
        if f.session:
            where.append("d.session_id = ?")
            params.append(f.session)
        if f.series:
            where.append("(d.series = ? OR s.series = ?)")
            params += [f.series, f.series]
        if f.date_from:
            where.append("substr(d.created_at, 1, 10) >= ?")
            params.append(f.date_from.isoformat())
        if f.date_to:
            where.append("substr(d.created_at, 1, 10) <= ?")
            params.append(f.date_to.isoformat())
        like, lp = _like_all("CAST(d.output AS TEXT)", q.terms)
        where += ["d.format IN ('md', 'markdown', 'html', 'txt')", like]
        sql = (
            "SELECT d.id, d.session_id, s.title, s.date, coalesce(s.series, d.series), NULL, NULL,"
            " NULL, CAST(d.output AS TEXT), d.template || ' ' || d.format, d.created_at"
            " FROM report_drafts d LEFT JOIN sessions s ON s.id = d.session_id"
            f" WHERE {' AND '.join(where)} ORDER BY d.created_at DESC"
        )
        for r in db.execute(sql, [*params, *lp]).fetchall():
            hit = _other_hit("draft", str(r[0]), r, r[8], q)
            hit.extra = {"template": r[9]}
            hits.append(hit)
    return hits


def _other_hit(source: str, ident: str, r: tuple, text: str, q: Query) -> SearchHit:
    whole = whole_word_match(text, q.terms)
    return SearchHit(
        source=source,
        id=ident,
        session_id=r[1],
        session_title=r[2],
        session_date=r[3],
        series=r[4],
        item=r[7] if source != "draft" else None,
        item_title=r[5],
        item_key=r[6],
        table=None,
        kind=None,
        tags=[],
        text=text,
        snippet=snippet(text, q.terms),
        match="word" if whole else "part",
        score=0.0,
        created_at=r[-1],
    )


def search(
    db: sqlite_utils.Database,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 50,
) -> list[SearchHit]:
    """Search every session; the best ``limit`` results, best first (see the module doc).

    Raises:
        SearchError: the query has no words in it.
    """
    f = filters or SearchFilters()
    q = Query.parse(query)
    if not q.terms:
        raise SearchError(_("nothing to search for: the query has no words"))
    limit = max(1, int(limit))
    tables = _tables(db)
    others = _other_hits(db, q, f, tables)
    other_word = [h for h in others if h.match == "word"]
    other_part = [h for h in others if h.match == "part"]
    hits: list[SearchHit] = []
    if "notes" in f.sources:
        seen: set[int] = set()
        word = _ranked_notes(db, "notes_fts", q.words_all(), f, limit, seen, q.terms)
        hits += _note_hits(db, word, "word", q.terms)
        seen.update(r for r, _s in word)
        hits += other_word
        if len(hits) < limit:
            trigram, short = q.trigram_all()
            if trigram is not None:
                # Notes saved since the last catch-up (m007). On a read-only or busy
                # database, search what is indexed already.
                with contextlib.suppress(sqlite3.OperationalError):
                    catch_up_trigram(db)
                part = _ranked_notes(
                    db, "notes_trigram", trigram, f, limit - len(hits), seen, q.terms, short
                )
                hits += _note_hits(db, part, "part", q.terms)
                seen.update(r for r, _s in part)
        hits += other_part
        if len(hits) < limit and len(q.terms) > 1:
            some = _ranked_notes(
                db, "notes_fts", q.words_any(), f, limit - len(hits), seen, q.terms
            )
            hits += _note_hits(db, some, "some", q.terms)
    else:
        hits = other_word + other_part
    hits = hits[:limit]
    for n, hit in enumerate(hits, start=1):
        hit.rank = n
    return hits


def plain_bm25(db: sqlite_utils.Database, query: str, limit: int = 50) -> list[tuple[str, float]]:
    """The baseline the benchmark compares with: one FTS5 bm25 query over whole words."""
    q = Query.parse(query)
    return db.execute(
        "SELECT n.id, bm25(notes_fts) AS score FROM notes_fts JOIN notes n"
        " ON n.rowid = notes_fts.rowid WHERE notes_fts MATCH ? ORDER BY score LIMIT ?",
        [q.words_all(), limit],
    ).fetchall()
