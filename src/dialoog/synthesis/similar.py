""" "More like this": the round's unassigned notes ranked by closeness to a theme.

A theme being built (its title and the notes already in it) becomes one query:
the mean of the title's and its notes' vectors in the round's feature space
(:mod:`dialoog.synthesis.features`). Every candidate note is scored by its
cosine similarity to that query; a candidate that answers the same question as
the theme's notes is preferred (its score is not damped), and one that shares
a ``#tag`` with them gains through the tag feature. Best first; ties keep the
candidates' order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dialoog.storage.store import Store
from dialoog.synthesis import themes as theme_store
from dialoog.synthesis.features import Doc, build_space, centroid, cosine

#: Factor on the score of a candidate that answers another question than the theme.
OTHER_QUESTION = 0.5
#: How many of the closest notes widen the query (pseudo-relevance feedback; 0: none).
FEEDBACK = 3
#: Their weight next to the theme itself.
FEEDBACK_WEIGHT = 0.5


@dataclass(frozen=True)
class Ranked:
    """A candidate note and how close it is to the theme (0 to 1)."""

    id: str
    table: int
    text: str
    score: float


def rank_like(
    title: str,
    theme_docs: Sequence[Doc],
    candidates: Sequence[tuple[str, int, Doc]],
    language: str | None = None,
) -> list[Ranked]:
    """Rank ``candidates`` (id, table, doc) by closeness to a theme, best first.

    Args:
        title: the theme's title (may be empty).
        theme_docs: the notes already in the theme.
        candidates: the notes to rank.
        language: "nl" or "en"; guessed from the texts when not given.
    """
    if not candidates:
        return []
    docs = [Doc(title), *theme_docs, *(c[2] for c in candidates)]
    space = build_space(docs, language)
    seeds = space.vectors[: 1 + len(theme_docs)]
    query = centroid(v for v in seeds if v)
    questions = Counter(d.question for d in theme_docs if d.question is not None)
    theme_question = questions.most_common(1)[0][0] if questions else None
    vectors = space.vectors[len(seeds) :]

    def scores(q: dict[str, float]) -> list[float]:
        out = []
        for (_id, _table, doc), vec in zip(candidates, vectors, strict=True):
            score = cosine(q, vec)
            if theme_question is not None and doc.question not in (None, theme_question):
                score *= OTHER_QUESTION
            out.append(score)
        return out

    first = scores(query)
    if FEEDBACK:
        # Pseudo-relevance feedback (Rocchio): the closest few notes widen the query a
        # little, so notes that share words with them but not with the seed rise too.
        top = sorted(range(len(first)), key=lambda i: (-first[i], i))[:FEEDBACK]
        extra = centroid(vectors[i] for i in top if vectors[i])
        widened = {k: v for k, v in query.items()}
        for k, v in extra.items():
            widened[k] = widened.get(k, 0.0) + FEEDBACK_WEIGHT * v
        widened = centroid([widened])
        second = scores(widened)
        first = [(a + b) / 2 for a, b in zip(first, second, strict=True)]
    ranked = [
        Ranked(note_id, table, doc.text, round(score, 4))
        for (note_id, table, doc), score in zip(candidates, first, strict=True)
    ]
    order = sorted(range(len(ranked)), key=lambda i: (-ranked[i].score, i))
    return [ranked[i] for i in order]


def more_like_theme(store: Store, theme_id: int, *, include_themed: bool = False) -> list[Ranked]:
    """The notes of a theme's agenda item not yet in any theme, closest to the theme first."""
    theme = theme_store.get_theme(store, theme_id)
    notes = store.list_notes(theme.session_id, item=theme.item)
    members = {str(i) for i in theme.note_ids}
    themed: set[str] = set()
    if not include_themed:
        for other in theme_store.list_themes(store, theme.session_id, theme.item):
            themed.update(str(i) for i in other.note_ids)
    theme_docs = [Doc(n.text, n.question, tuple(n.tags)) for n in notes if str(n.id) in members]
    candidates = [
        (str(n.id), n.table, Doc(n.text, n.question, tuple(n.tags)))
        for n in notes
        if str(n.id) not in members and str(n.id) not in themed
    ]
    return rank_like(theme.title, theme_docs, candidates)
