"""Theme suggestions: group similar notes across tables, offline and deterministic.

Each note becomes a TF-IDF vector over character n-grams (3 to 5 characters, within
words, after dropping Dutch and English stop words and accents), so "vaardigheden"
and "basisvaardigheden" or "leren" and "leert" still meet. Notes are grouped by
average-linkage agglomerative clustering on cosine similarity: two groups merge
while the mean similarity between their notes is at least ``threshold``. Groups of
at least two notes from at least ``min_tables`` tables are offered, labelled with
their most telling words. Nothing is applied: :func:`accept_suggestion` makes a
theme only when the secretary accepts one.

Pure Python, no numpy: a round of a real meeting (a few hundred notes) takes well
under a second. The same notes always give the same suggestions.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from dialoog.models import Theme
from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.text import fold

#: Default mean cosine similarity at which two groups merge.
DEFAULT_THRESHOLD = 0.2
NGRAM_SIZES = (3, 4, 5)

_STOP_TEXT = """
aan al alle alleen als altijd ander andere anders bij bijna bv daar daarom dan dat de
deel des die dit doen door dus een eens eigen eigenlijk en er ergens geen gewoon goed
haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij juist
kan kun kunnen maar meer men met mij mijn moet moeten na naar net niet niets nog nu of
om omdat ons onze ook op over steeds te tegen toch tot u uit van veel voor vooral waar
wanneer wat we wel welke werd wie wij wil worden wordt zal ze zelf zich zij zijn zo
zoals zonder zou zouden zeer ca etc vs
a about all also an and are as at be because been but by can do does for from has have
how if in into is it its more most much no not of on only or other our should so some
such than that the their them then there these they this to up very was we what when
which who will with would you
"""
#: Dutch and English words too common to say what a note is about.
STOP_WORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The meaningful words of a text: folded, no stop words, at least three characters."""
    return [w for w in _WORD.findall(fold(text)) if len(w) >= 3 and w not in STOP_WORDS]


def _ngrams(tokens: Sequence[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for token in tokens:
        padded = f" {token} "
        for n in NGRAM_SIZES:
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
    return grams


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (sublinear tf, smoothed idf) over character n-grams."""
    counts = [_ngrams(words(t)) for t in texts]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(texts)
    idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
    vectors = []
    for c in counts:
        vec = {g: (1.0 + math.log(k)) * idf[g] for g, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({g: v / norm for g, v in vec.items()})
    return vectors


def similarities(texts: Sequence[str]) -> list[list[float]]:
    """The cosine similarity of every pair of texts (a full symmetric matrix)."""
    vectors = _vectors(texts)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for g, v in vec.items():
            postings[g].append((i, v))
    n = len(texts)
    sims = [[0.0] * n for _ in range(n)]
    for plist in postings.values():
        if len(plist) < 2:
            continue
        for a in range(len(plist)):
            i, vi = plist[a]
            row = sims[i]
            for b in range(a + 1, len(plist)):
                j, vj = plist[b]
                row[j] += vi * vj
    for i in range(n):
        sims[i][i] = 1.0
        for j in range(i + 1, n):
            sims[j][i] = sims[i][j]
    return sims


def cluster(sims: list[list[float]], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering; groups of indices in first-index order."""
    n = len(sims)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    link: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    heap: list[tuple[float, int, int]] = []
    for i in range(n):
        for j in range(i + 1, n):
            s = sims[i][j]
            if s > 0:
                link[i][j] = link[j][i] = s
                if s >= threshold:
                    heap.append((-s, i, j))
    heapq.heapify(heap)
    next_id = n
    while heap:
        _neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # a stale pair: one side was merged already
        size_a, size_b = len(members[a]), len(members[b])
        new = next_id
        next_id += 1
        members[new] = sorted(members.pop(a) + members.pop(b))
        link[new] = {}
        for c in set(link[a]) | set(link[b]):
            if c in (a, b) or c not in members:
                continue
            s = (size_a * link[a].get(c, 0.0) + size_b * link[b].get(c, 0.0)) / (size_a + size_b)
            if s > 0:
                link[new][c] = link[c][new] = s
                if s >= threshold:
                    heapq.heappush(heap, (-s, min(c, new), max(c, new)))
        for old in (a, b):
            for c in link.pop(old):
                if c in link:
                    link[c].pop(old, None)
    return sorted(members.values(), key=lambda m: m[0])


@dataclass(frozen=True)
class NoteText:
    """The part of a note that suggestions look at."""

    id: str
    table: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    """A proposed theme: similar notes from several tables, with keywords as its label."""

    keywords: list[str]
    note_ids: list[str]
    tables: list[int]
    cohesion: float
    """Mean similarity between the group's notes (0 to 1)."""
    texts: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """A title proposal: the keywords joined ("leren leren, nieuwsgierigheid")."""
        return ", ".join(self.keywords)


def _keywords(group: list[NoteText], df: Counter[str], n: int, limit: int = 3) -> list[str]:
    surface: dict[str, str] = {}
    in_notes: Counter[str] = Counter()
    for note in group:
        seen = set()
        for raw in re.findall(r"\w+", note.text.casefold()):
            folded = fold(raw)
            if len(folded) < 3 or folded in STOP_WORDS or folded.isdigit():
                continue
            surface.setdefault(folded, raw)
            seen.add(folded)
        in_notes.update(seen)
    scored = sorted(
        in_notes,
        key=lambda w: (-(in_notes[w] * math.log((1 + n) / (1 + df[w]))), -in_notes[w], w),
    )
    shared = [w for w in scored if in_notes[w] >= 2]
    chosen = (shared + [w for w in scored if w not in shared])[:limit]
    return [surface[w] for w in chosen]


def suggest_groups(
    notes: Sequence[NoteText],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_tables: int = 2,
) -> list[Suggestion]:
    """Group similar notes; groups with ≥ 2 notes from ≥ ``min_tables`` tables, best first."""
    if len(notes) < 2:
        return []
    sims = similarities([n.text for n in notes])
    df: Counter[str] = Counter()
    for note in notes:
        df.update(set(words(note.text)))
    found = []
    for group in cluster(sims, threshold):
        if len(group) < 2:
            continue
        tables = sorted({notes[i].table for i in group})
        if len(tables) < min_tables:
            continue
        pairs = [(i, j) for k, i in enumerate(group) for j in group[k + 1 :]]
        cohesion = sum(sims[i][j] for i, j in pairs) / len(pairs)
        members = [notes[i] for i in group]
        found.append(
            Suggestion(
                keywords=_keywords(members, df, len(notes)),
                note_ids=[m.id for m in members],
                tables=tables,
                cohesion=round(cohesion, 3),
                texts=[m.text for m in members],
            )
        )
    found.sort(key=lambda s: (-len(s.tables), -len(s.note_ids), -s.cohesion, s.note_ids[0]))
    return found


def suggest_themes(
    store: Store,
    session_id: str,
    item: int,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_tables: int = 2,
    include_themed: bool = False,
) -> list[Suggestion]:
    """Suggest themes for an agenda item from its live notes not yet in a theme."""
    themed: set[str] = set()
    if not include_themed:
        for theme in theme_store.list_themes(store, session_id, item):
            themed.update(str(i) for i in theme.note_ids)
    notes = [
        NoteText(str(n.id), n.table, n.text)
        for n in store.list_notes(session_id, item=item)
        if str(n.id) not in themed
    ]
    return suggest_groups(notes, threshold=threshold, min_tables=min_tables)


def accept_suggestion(
    store: Store,
    session_id: str,
    item: int,
    suggestion: Suggestion,
    title: str | None = None,
) -> Theme:
    """Make a theme of a suggestion, under the secretary's title (or the keywords)."""
    label = title or suggestion.label[:1].upper() + suggestion.label[1:]
    return theme_store.create_theme(store, session_id, item, label, note_ids=suggestion.note_ids)
