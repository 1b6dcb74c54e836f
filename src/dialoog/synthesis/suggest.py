"""Theme suggestions: group similar notes across tables, offline and deterministic.

Each note becomes a vector of Snowball stems, compound parts and tags, weighted by
rarity in the round and in the language at large (:mod:`dialoog.synthesis.features`).
Two notes that answer different round questions (F9 at capture) count as less
similar (:data:`OTHER_QUESTION`), so groups form within a question first; a
shared ``#tag`` pulls notes together. Notes are grouped by average-linkage
agglomerative clustering on cosine similarity: two groups merge while the mean
similarity between their notes is at least the threshold.

**Calibration per round.** A group is offered only when its cohesion (mean
similarity between its notes) is clearly above what random groups of the same
size drawn from the same notes reach: at least :data:`STRENGTH` standard
deviations above their mean (in a round of at least :data:`CALIBRATE_FROM`
notes; fewer say too little about chance). On notes with nothing in common, no group passes,
and the screen and the CLI say "no strong groups". Offered groups have at least
two notes from at least ``min_tables`` tables; each is labelled with a short
phrase in its notes' own words (:mod:`dialoog.synthesis.labels`). Nothing is
applied: :func:`accept_suggestion` makes a theme only when the secretary accepts one.

Pure Python, no numpy. The same notes always give the same suggestions.
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from dialoog.models import Theme
from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.synthesis.features import Doc, Space, build_space, cosine, raw_words, stem
from dialoog.synthesis.labels import group_label

#: Default mean cosine similarity at which two groups merge.
DEFAULT_THRESHOLD = 0.2
#: Factor on the similarity of two notes that answer different questions.
OTHER_QUESTION = 0.3
#: How many standard deviations above random groups a group's cohesion must be.
STRENGTH = 2.0
#: Fewest notes in a round for calibration: fewer give too few random groups to
#: tell chance from a theme, and groups are offered on the threshold alone.
CALIBRATE_FROM = 12
#: Random groups drawn per group size to calibrate against.
RANDOM_GROUPS = 200


def words(text: str) -> list[str]:
    """The words of a text that features are made of: folded, at least two letters."""
    return [w for w in raw_words(text) if len(w) >= 2 and not w.isdigit()]


def similarities(texts: Sequence[str] | Sequence[Doc]) -> list[list[float]]:
    """The cosine similarity of every pair of notes (a full symmetric matrix).

    Notes may be plain texts or :class:`~dialoog.synthesis.features.Doc` (text,
    question, tags); two notes with different questions count as less similar.
    """
    docs = [d if isinstance(d, Doc) else Doc(d) for d in texts]
    return _matrix(docs, build_space(docs))


def _matrix(docs: Sequence[Doc], space: Space) -> list[list[float]]:
    vectors = space.vectors
    n = len(docs)
    sims = [[0.0] * n for _ in range(n)]
    for i in range(n):
        sims[i][i] = 1.0
        for j in range(i + 1, n):
            s = cosine(vectors[i], vectors[j])
            qi, qj = docs[i].question, docs[j].question
            if qi is not None and qj is not None and qi != qj:
                s *= OTHER_QUESTION
            sims[i][j] = sims[j][i] = s
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
    question: int | None = None
    tags: tuple[str, ...] = ()

    @property
    def doc(self) -> Doc:
        """The note as features see it."""
        return Doc(self.text, self.question, tuple(self.tags))


@dataclass(frozen=True)
class Suggestion:
    """A proposed theme: similar notes from several tables, with a phrase as its label."""

    keywords: list[str]
    """Telling words the group's notes share (surface forms), most telling first."""
    note_ids: list[str]
    tables: list[int]
    cohesion: float
    """Mean similarity between the group's notes (0 to 1)."""
    texts: list[str] = field(default_factory=list)
    title: str = ""
    """A short phrase from the notes' own words, to keep as the theme's title."""
    strength: float = 0.0
    """How many standard deviations the cohesion is above random groups of the round."""

    @property
    def label(self) -> str:
        """A title proposal: the phrase, else the keywords joined."""
        return self.title or ", ".join(self.keywords)


def _keywords(texts: Sequence[str], weights: dict[str, float], language: str) -> list[str]:
    """Words shared by at least two of the texts, the most telling first (at most three)."""
    surface: dict[str, str] = {}
    seen_in: dict[str, int] = {}
    for text in texts:
        stems = set()
        for word in words(text):
            s = stem(word, language)
            surface.setdefault(s, word)
            stems.add(s)
        for s in stems:
            seen_in[s] = seen_in.get(s, 0) + 1
    shared = [s for s, k in seen_in.items() if k >= 2 and weights.get(s, 0.0) > 0]
    shared.sort(key=lambda s: (-seen_in[s] * weights[s], surface[s]))
    return [surface[s] for s in shared[:3]]


def _mean_pair(sims: list[list[float]], group: Sequence[int]) -> float:
    pairs = [(i, j) for k, i in enumerate(group) for j in group[k + 1 :]]
    return sum(sims[i][j] for i, j in pairs) / len(pairs) if pairs else 0.0


class Calibration:
    """Cohesion of random groups of a round, per pool of notes and group size."""

    def __init__(self, sims: list[list[float]], draws: int = RANDOM_GROUPS) -> None:
        self.sims = sims
        self.draws = draws
        self._cache: dict[tuple[tuple[int, ...], int], tuple[float, float]] = {}

    def null(self, pool: Sequence[int], size: int) -> tuple[float, float]:
        """Mean and standard deviation of the cohesion of random ``size``-groups of ``pool``."""
        key = (tuple(pool), size)
        if key not in self._cache:
            rng = random.Random(len(pool) * 1009 + size)  # deterministic per round
            values = [
                _mean_pair(self.sims, rng.sample(list(pool), size)) for _ in range(self.draws)
            ]
            self._cache[key] = (statistics.fmean(values), statistics.pstdev(values))
        return self._cache[key]

    def strength(self, group: Sequence[int], pool: Sequence[int]) -> float:
        """How many standard deviations ``group`` is above random groups of ``pool``."""
        size = len(group)
        if size < 2 or len(pool) <= size:
            return 0.0
        mean, sd = self.null(pool, size)
        cohesion = _mean_pair(self.sims, group)
        return (cohesion - mean) / sd if sd > 0 else (math.inf if cohesion > mean else 0.0)


def suggest_groups(
    notes: Sequence[NoteText],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_tables: int = 2,
    strength: float = STRENGTH,
) -> list[Suggestion]:
    """Group similar notes; strong groups with ≥ 2 notes from ≥ ``min_tables`` tables.

    Best first. An empty list means "no strong groups": nothing in the round is
    clearly more alike than random notes of it.
    """
    if len(notes) < 2:
        return []
    notes = sorted(notes, key=lambda n: n.id)  # the same notes in any order: the same groups
    docs = [n.doc for n in notes]
    space = build_space(docs)
    sims = _matrix(docs, space)
    calibration = Calibration(sims)
    found = []
    for group in cluster(sims, threshold):
        if len(group) < 2:
            continue
        tables = sorted({notes[i].table for i in group})
        if len(tables) < min_tables:
            continue
        # Random groups are drawn from the notes the group could have formed from:
        # those of its questions and those without one.
        questions = {notes[i].question for i in group} | {None}
        pool = [i for i, n in enumerate(notes) if n.question in questions]
        if len(pool) <= len(group) + 1:
            pool = list(range(len(notes)))
        score = calibration.strength(group, pool)
        if score < strength and len(notes) >= CALIBRATE_FROM:
            continue
        members = [notes[i] for i in group]
        texts = [m.text for m in members]
        centrality = [sum(sims[i][j] for j in group if j != i) / (len(group) - 1) for i in group]
        found.append(
            Suggestion(
                keywords=_keywords(texts, space.weights, space.language),
                note_ids=[m.id for m in members],
                tables=tables,
                cohesion=round(_mean_pair(sims, group), 3),
                texts=texts,
                title=group_label(texts, centrality, space.language),
                strength=round(min(score, 99.0), 2),
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
        NoteText(str(n.id), n.table, n.text, n.question, tuple(n.tags))
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
