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

Tier 1 asks the word list (m010, :mod:`dialoog.storage.word_parts`) which
words contain the rarest part and then the word index for those words, when few
words do (a rare compound costs then what a rare word does); a part that many
words contain is asked of the trigram index. Both roads give the same notes
(``tests/history/test_history_word_parts.py``).

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
after the notes of the same tier. A render kept in several formats (the same
template and report context in md, html and docx) is one hit, which names them.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from dialoog.errors import DialoogError
from dialoog.i18n import _
from dialoog.storage import search as stored
from dialoog.storage.search import CANDIDATES, SOURCES, SearchFilters
from dialoog.text import fold

if TYPE_CHECKING:
    from dialoog.storage.store import Store

__all__ = [
    "CANDIDATES",
    "SOURCES",
    "Query",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "plain_bm25",
    "search",
    "snippet",
    "whole_word_match",
]

_TERM = re.compile(r'"([^"]+)"|(\w+)')


class SearchError(DialoogError):
    """A search that cannot be run: an empty query, a bad filter."""


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


def _part_score(text: str, terms: tuple[str, ...]) -> float:
    """Rank of a compound-part match: more occurrences in a shorter note is better (lower)."""
    folded = text.casefold()
    found = sum(folded.count(t) for t in terms)
    return round(-100.0 * found / (len(text) + 30), 4)


def _ranked_notes(
    store: Store,
    parts: bool,
    match: str,
    f: SearchFilters,
    limit: int,
    exclude: set[int],
    terms: tuple[str, ...],
    short_terms: list[str] = (),  # type: ignore[assignment]
) -> list[tuple[int, float]]:
    """Rowids and scores of live notes matching ``match``, best first.

    Only the :data:`CANDIDATES` newest matches that pass the filters are ranked
    (see :mod:`dialoog.storage.search`). Whole words (``parts`` False) rank with
    bm25; parts of words with :func:`_part_score` (bm25 over trigrams would have
    to count every match of every trigram first).
    """
    count = CANDIDATES + len(exclude)
    if parts:
        scored = [
            (r, _part_score(text, terms))
            for r, text in stored.part_matches(
                store, match, f, count, short_terms, tuple(t for t in terms if len(t) >= 3)
            )
        ]
    else:
        scored = stored.word_matches(store, match, f, count)
    ranked = [(r, s) for r, s in scored if r not in exclude]
    ranked.sort(key=lambda x: (x[1], -x[0]))
    return ranked[:limit]


def _note_hits(
    store: Store, ranked: list[tuple[int, float]], match: str, terms: tuple[str, ...]
) -> list[SearchHit]:
    if not ranked:
        return []
    by_rowid = stored.notes_by_rowid(store, [r for r, _s in ranked])
    hits = []
    for rowid, score in ranked:
        n = by_rowid[rowid]
        hits.append(
            SearchHit(
                source="note",
                id=n.id,
                session_id=n.session_id,
                session_title=n.session_title,
                session_date=n.session_date,
                series=n.series,
                item=n.item,
                item_title=n.item_title,
                item_key=n.item_key,
                table=n.table,
                kind=n.kind,
                tags=n.tags,
                text=n.text,
                snippet=snippet(n.text, terms),
                match=match,
                score=round(score, 4),
                created_at=n.created_at,
            )
        )
    return hits


def _other_hits(store: Store, q: Query, f: SearchFilters) -> list[SearchHit]:
    """Themes, item summaries and text report drafts containing every term."""
    hits = []
    for m in stored.other_matches(store, q.terms, f):
        hit = SearchHit(
            source=m.source,
            id=m.id,
            session_id=m.session_id,
            session_title=m.session_title,
            session_date=m.session_date,
            series=m.series,
            item=m.item if m.source != "draft" else None,
            item_title=m.item_title,
            item_key=m.item_key,
            table=None,
            kind=None,
            tags=[],
            text=m.text,
            snippet=snippet(m.text, q.terms),
            match="word" if whole_word_match(m.text, q.terms) else "part",
            score=0.0,
            created_at=m.created_at,
        )
        if m.source == "draft":
            # One hit for a render kept in several formats (md, html, docx).
            hit.extra = {
                "template": m.template,
                "formats": list(m.formats),
                "draft_ids": list(m.draft_ids),
            }
        hits.append(hit)
    return hits


def search(
    store: Store,
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
    others = _other_hits(store, q, f)
    other_word = [h for h in others if h.match == "word"]
    other_part = [h for h in others if h.match == "part"]
    hits: list[SearchHit] = []
    if "notes" in f.sources:
        seen: set[int] = set()
        word = _ranked_notes(store, False, q.words_all(), f, limit, seen, q.terms)
        hits += _note_hits(store, word, "word", q.terms)
        seen.update(r for r, _s in word)
        hits += other_word
        if len(hits) < limit:
            trigram, short = q.trigram_all()
            if trigram is not None:
                # Notes saved since the last catch-up (m007). On a read-only or busy
                # database, search what is indexed already.
                with contextlib.suppress(sqlite3.OperationalError):
                    stored.catch_up_parts(store)
                part = _ranked_notes(
                    store, True, trigram, f, limit - len(hits), seen, q.terms, short
                )
                hits += _note_hits(store, part, "part", q.terms)
                seen.update(r for r, _s in part)
        hits += other_part
        if len(hits) < limit and len(q.terms) > 1:
            some = _ranked_notes(store, False, q.words_any(), f, limit - len(hits), seen, q.terms)
            hits += _note_hits(store, some, "some", q.terms)
    else:
        hits = other_word + other_part
    hits = hits[:limit]
    for n, hit in enumerate(hits, start=1):
        hit.rank = n
    return hits


def plain_bm25(store: Store, query: str, limit: int = 50) -> list[tuple[str, float]]:
    """The baseline the benchmark compares with: one FTS5 bm25 query over whole words."""
    return stored.plain_bm25(store, Query.parse(query).words_all(), limit)
