"""The queries behind search: the word and trigram indexes, and the synthesis tables.

:mod:`dialoog.history.search` decides the tiers and the ranking; this module is
the only one that names the indexes (``notes_fts``: whole words, accents ignored,
bm25; ``notes_trigram``: any run of three or more characters, kept up to date
just before it is queried, m007) and builds the SQL of the filters. A part of a
word that few words contain is looked up through the word list of
:mod:`dialoog.storage.word_parts` (m010) as those whole words instead of
through the notes' trigrams, and the texts found are checked for every part.

Each index hands its matches over newest first (by rowid) and the query stops
after :data:`CANDIDATES` of them that pass the filters, so a query matching half
the database costs what a rare one does (see the module doc of
:mod:`dialoog.history.search` for the price).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from dialoog.models import NoteKind
from dialoog.storage.connection import write
from dialoog.storage.trigram import catch_up_trigram, trigram_pending
from dialoog.storage.word_parts import catch_up_words, fold_word, words_containing, words_pending

if TYPE_CHECKING:
    from dialoog.storage.store import Store

#: What a search can look in.
SOURCES = ("notes", "themes", "summaries", "drafts")

#: How many of the newest matching notes (after filters) are ranked.
CANDIDATES = 2_000

_ROUND_REF = re.compile(r"(?:gespreks)?(?:ronde|round)[\s-]*(\d+)", re.IGNORECASE)


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


class NoteMatch(NamedTuple):
    """A matching note with where it was said (session, agenda item, table)."""

    rowid: int
    id: str
    session_id: str
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
    created_at: str | None


class OtherMatch(NamedTuple):
    """A matching theme, item summary or report draft, with its place."""

    source: str
    """``theme``, ``summary`` or ``draft``."""
    id: str
    session_id: str | None
    session_title: str | None
    session_date: str | None
    series: str | None
    item_title: str | None
    item_key: str | None
    item: int | None
    text: str
    template: str | None
    """A draft's template and format (``None`` for themes and summaries)."""
    created_at: str | None
    formats: tuple[str, ...] = ()
    """A draft's render in every format kept (``md``, ``html``, ``docx``), one hit for all."""
    draft_ids: tuple[int, ...] = ()
    """The drafts of that render, one per format (newest first)."""


def table_names(store: Store) -> set[str]:
    """The tables of the database (the synthesis tables exist only once migrated)."""
    return {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def catch_up_parts(store: Store) -> None:
    """Index the notes saved since the trigram index and the word list last caught up.

    Both in one write transaction (m007, m010); nothing is written when nothing
    is pending.

    Raises:
        sqlite3.OperationalError: the database is read-only or busy.
    """
    db = store.db
    if not trigram_pending(db) and not words_pending(db):
        return
    with write(db):
        catch_up_trigram(db)
        catch_up_words(db)


def _like_param(term: str) -> str:
    return "%" + re.sub(r"([%_\\])", r"\\\1", term) + "%"


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


def _rowid_bounds(store: Store, f: SearchFilters) -> tuple[Any, Any] | None:
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
    return store.db.execute(
        "SELECT min(n.rowid), max(n.rowid) FROM notes n WHERE n.session_id IN"
        f" (SELECT s.id FROM sessions s WHERE {' AND '.join(where)})",
        params,
    ).fetchone()


def _newest_matches(
    store: Store,
    index: str,
    match: str,
    f: SearchFilters,
    count: int,
    short_terms: list[str],
    parts_of: tuple[str, ...] = (),
) -> list[tuple[Any, ...]]:
    """The newest ``count`` matches of ``match`` in ``index``: rowid, bm25 (word index), text.

    ``parts_of``: terms the (case-folded) text must contain as well, checked by a
    function of this connection before the limit applies.
    """
    where, params = _note_filters(f)
    for term in short_terms:
        where += " AND n.text LIKE ? ESCAPE '\\'"
        params.append(_like_param(term))
    if parts_of:
        store.db.conn.create_function(_HAS_PARTS, 2, _has_parts, deterministic=True)
        where += f" AND {_HAS_PARTS}(n.text, ?)"
        params.append(_PART_SEP.join(parts_of))
    bounds = _rowid_bounds(store, f)
    if bounds is not None:
        if bounds[0] is None:
            return []
        where += f" AND {index}.rowid BETWEEN ? AND ?"
        params += list(bounds)
    needs_session = f.series or f.date_from or f.date_to
    join_sessions = "JOIN sessions s ON s.id = n.session_id" if needs_session else ""
    use_bm25 = index == "notes_fts" and not parts_of
    score = f"bm25({index})" if use_bm25 else "NULL"
    sql = (
        f"SELECT n.rowid, {score}, {'NULL' if use_bm25 else 'n.text'} FROM {index}"
        f" JOIN notes n ON n.rowid = {index}.rowid {join_sessions}"
        f" WHERE {index} MATCH ? AND {where} ORDER BY {index}.rowid DESC LIMIT ?"
    )
    return store.db.execute(sql, [match, *params, count]).fetchall()


_HAS_PARTS = "dialoog_has_parts"
_PART_SEP = "\x1f"  # a control character: cleaned out of every stored text and query


def _has_parts(text: str | None, parts: str) -> bool:
    """Whether the case-folded ``text`` contains every part (the part tier's definition)."""
    if text is None:
        return False
    folded = text.casefold()
    return all(p in folded for p in parts.split(_PART_SEP))


#: Parts found through the word list: letters and digits of the Latin script only,
#: where SQLite's tokenizer and Python agree on what a letter is and how it folds.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")
_NOT_LETTERS = re.compile(r"[\u00d7\u00f7]")  # the two symbols inside that range

#: Past this many words containing a part, the trigram index of the notes is faster.
WORDS_PER_PART = 300


def _words_ready(store: Store) -> bool:
    """Whether the word list holds the words of every note (it may lag on a read-only file)."""
    try:
        return not words_pending(store.db)
    except sqlite3.OperationalError:  # a database from before m010, opened read-only
        return False


def word_match_for_parts(store: Store, terms: list[str]) -> str | None:
    """A word-index query for notes that may contain every term as a part, or None.

    The terms are case-folded, each of three or more characters. Of those that
    are one word of Latin letters and digits, the one contained in the fewest
    words of the word list (m010) is taken: any note that contains it has one of
    those words, so ``"w1" OR "w2" OR …`` on ``notes_fts`` finds every such note
    (and some more, e.g. ``financiële`` for ``financiele``: the caller checks the
    text). ``""`` when no word contains it (no note can); None when no term fits
    or every part is too common (the caller uses the trigram index).
    """
    best: list[str] | None = None
    for term in terms:
        if not _WORDLIKE.fullmatch(term) or _NOT_LETTERS.search(term):
            continue
        folded = fold_word(store.db, term)
        if folded is None or len(folded) < 3:
            continue
        words = words_containing(store.db, folded, WORDS_PER_PART)
        if words is None:
            continue
        if not words:
            return ""
        if best is None or len(words) < len(best):
            best = words
    if best is None:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in best)


def word_matches(store: Store, match: str, f: SearchFilters, count: int) -> list[tuple[int, float]]:
    """Rowids and bm25 scores of the ``count`` newest live notes matching an FTS5 query.

    ``match`` is an FTS5 query over whole words; the notes pass the filters ``f``.
    """
    return [(r[0], r[1]) for r in _newest_matches(store, "notes_fts", match, f, count, [])]


def part_matches(
    store: Store,
    match: str,
    f: SearchFilters,
    count: int,
    short_terms: list[str],
    long_terms: tuple[str, ...] = (),
) -> list[tuple[int, str]]:
    """Rowids and texts of the ``count`` newest live notes containing every term as a part.

    ``match`` is the trigram query of the ``long_terms`` (three or more
    characters); ``short_terms`` must each occur in the text too. When the word
    list can narrow the search (:func:`word_match_for_parts`), the word index is
    asked instead and the texts are checked for every long term.
    """
    words = (
        word_match_for_parts(store, list(long_terms))
        if long_terms and _words_ready(store)
        else None
    )
    if words == "":
        return []
    if words is not None:
        rows = _newest_matches(store, "notes_fts", words, f, count, short_terms, long_terms)
    else:
        rows = _newest_matches(store, "notes_trigram", match, f, count, short_terms)
    return [(r[0], r[2]) for r in rows]


def notes_by_rowid(store: Store, rowids: list[int]) -> dict[int, NoteMatch]:
    """The notes with these rowids, with their session and agenda item, by rowid."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    rows = store.db.execute(
        "SELECT n.rowid, n.id, n.session_id, s.title, s.date, s.series, n.item, a.title, a.key,"
        " n.table_no, n.kind, n.tags_json, n.text, n.created_at"
        " FROM notes n JOIN sessions s ON s.id = n.session_id"
        " LEFT JOIN agenda_items a ON a.session_id = n.session_id AND a.position = n.item"
        f" WHERE n.rowid IN ({marks})",
        rowids,
    ).fetchall()
    return {
        r[0]: NoteMatch(*r[:11], json.loads(r[11]), r[12], r[13])  # type: ignore[arg-type]
        for r in rows
    }


def _like_all(column: str, terms: tuple[str, ...]) -> tuple[str, list[str]]:
    clauses = [f"{column} LIKE ? ESCAPE '\\'" for _t in terms]
    return " AND ".join(clauses), [_like_param(t) for t in terms]


def other_matches(store: Store, terms: tuple[str, ...], f: SearchFilters) -> list[OtherMatch]:
    """Themes, item summaries and text report drafts containing every term (substring).

    In that order; each kind newest session (or draft) first. Kinds whose table
    does not exist yet, or that ``f.sources`` leaves out, are skipped.
    """
    if f.note_only:
        return []
    tables = table_names(store)
    db = store.db
    found: list[OtherMatch] = []
    session_cols = (
        "s.title, s.date, s.series, a.title, a.key"  # what every hit shows about its place
    )
    if "themes" in tables and "themes" in f.sources:
        where, params = _common_filters(f, "t", "s.date")
        like, lp = _like_all("(t.title || ' ' || t.synthesis)", terms)
        sql = (
            f"SELECT t.id, t.session_id, {session_cols}, t.item, t.title, t.synthesis,"
            " t.updated_at FROM themes t JOIN sessions s ON s.id = t.session_id"
            " LEFT JOIN agenda_items a ON a.session_id = t.session_id AND a.position = t.item"
            f" WHERE {' AND '.join([*where, like])} ORDER BY s.date DESC, t.item, t.position"
        )
        for r in db.execute(sql, [*params, *lp]).fetchall():
            text = f"{r[8]}: {r[9]}" if r[9] else r[8]
            found.append(OtherMatch("theme", str(r[0]), *r[1:8], text, None, r[-1]))
    if "item_summaries" in tables and "summaries" in f.sources:
        where, params = _common_filters(f, "m", "s.date")
        like, lp = _like_all("m.text", terms)
        sql = (
            f"SELECT m.session_id || '/' || m.item, m.session_id, {session_cols}, m.item, m.text,"
            " '', m.updated_at FROM item_summaries m JOIN sessions s ON s.id = m.session_id"
            " LEFT JOIN agenda_items a ON a.session_id = m.session_id AND a.position = m.item"
            f" WHERE {' AND '.join([*where, like])} ORDER BY s.date DESC, m.item"
        )
        for r in db.execute(sql, [*params, *lp]).fetchall():
            found.append(OtherMatch("summary", r[0], *r[1:8], r[8], None, r[-1]))
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
        like, lp = _like_all("CAST(d.output AS TEXT)", terms)
        where += ["d.format IN ('md', 'markdown', 'html', 'txt')", like]
        sql = (
            "SELECT d.id, d.session_id, s.title, s.date, coalesce(s.series, d.series), NULL, NULL,"
            " NULL, CAST(d.output AS TEXT), d.template, d.format, d.created_at, d.series,"
            " d.context_hash FROM report_drafts d LEFT JOIN sessions s ON s.id = d.session_id"
            f" WHERE {' AND '.join(where)} ORDER BY d.created_at DESC, d.id DESC"
        )
        found += _one_hit_per_render(db, db.execute(sql, [*params, *lp]).fetchall())
    return found


#: Which of a render's formats a grouped hit shows the text of: plain text first.
_TEXT_FIRST = {"md": 0, "markdown": 0, "txt": 1, "html": 2}


def _one_hit_per_render(db: Any, rows: list[tuple]) -> list[OtherMatch]:
    """One :class:`OtherMatch` per render: a draft's md, html and docx are one hit.

    A render is its subject (session or series), template and context hash: the
    same report in several formats. Groups keep the order of their newest draft;
    the hit's text is the plainest format that matched (Markdown before HTML), and
    ``formats``/``draft_ids`` list every format kept of that render, docx included.
    """
    groups: dict[tuple, list[tuple]] = {}
    for row in rows:
        key = (row[1], row[12], row[9], row[13])
        groups.setdefault(key, []).append(row)
    found = []
    for (session_id, series, template, context_hash), members in groups.items():
        shown = min(members, key=lambda r: _TEXT_FIRST.get(r[10], 9))
        siblings = db.execute(
            "SELECT id, format FROM report_drafts WHERE session_id IS ? AND series IS ?"
            " AND template = ? AND context_hash = ? ORDER BY created_at DESC, id DESC",
            [session_id, series, template, context_hash],
        ).fetchall()
        formats = tuple(dict.fromkeys(f for _i, f in siblings))
        template_format = f"{template} {shown[10]}"
        ids = tuple(i for i, _f in siblings)
        match = OtherMatch(
            "draft", str(shown[0]), *shown[1:8], shown[8], template_format, members[0][11],
            formats, ids,
        )  # fmt: skip
        found.append(match)
    return found


def plain_bm25(store: Store, match: str, limit: int = 50) -> list[tuple[str, float]]:
    """One FTS5 bm25 query over whole words: ids and scores (the benchmark's baseline)."""
    return store.db.execute(
        "SELECT n.id, bm25(notes_fts) AS score FROM notes_fts JOIN notes n"
        " ON n.rowid = notes_fts.rowid WHERE notes_fts MATCH ? ORDER BY score LIMIT ?",
        [match, limit],
    ).fetchall()
