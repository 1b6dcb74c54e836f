"""Readable labels for a group of notes: a short phrase in the notes' own words.

The label is taken from the group's most central note (the one closest to the
others): the whole note when it is short, else the run of at most
:data:`MAX_WORDS` consecutive words that carries most of what the group shares.
Words at either end that are common in the language at large ("de", "en", "moet")
are trimmed by their background frequency, not by a list of filler words, so
the label starts and ends on a word that says something. A note that is only
common words is never chosen while another note has a telling word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from dialoog.synthesis.features import background_weight, fold, raw_words, stem

#: Longest label, in words.
MAX_WORDS = 7
#: A word weighing at most this (background weight) may not start or end a label.
EDGE_WEIGHT = 0.35

_TOKEN = re.compile(r"\S+")
_STRIP = "\"'“”‘’()[]{}.,;:!?…-–—=+/*&"


def _telling(token: str, language: str) -> float:
    """How much a surface token says: the background weight of its rarest word."""
    words = raw_words(token)
    if not words or all(w.isdigit() for w in words):
        return 0.0
    return max(background_weight(w, language) for w in words if not w.isdigit())


def phrase(
    text: str,
    shared: Counter[str] | None = None,
    language: str = "nl",
    max_words: int = MAX_WORDS,
) -> str:
    """A short phrase of ``text``: the window of words that best covers ``shared`` stems.

    Args:
        text: one note's text.
        shared: stem → how many of the group's notes have it (more is better).
        language: "nl" or "en", for stemming and word frequencies.
        max_words: the longest phrase.
    """
    tokens = [t.strip(_STRIP) for t in _TOKEN.findall(text)]
    tokens = [t for t in tokens if t and not t.startswith("#")]
    if not tokens:
        return ""
    shared = shared or Counter()

    def score(token: str) -> float:
        value = _telling(token, language)
        stems = {stem(w, language) for w in raw_words(token)}
        return value * (1.0 + max((shared.get(s, 0) for s in stems), default=0))

    scores = [score(t) for t in tokens]
    best = (0, min(len(tokens), max_words))
    if len(tokens) > max_words:
        window = [
            (sum(scores[i : i + max_words]), -i) for i in range(len(tokens) - max_words + 1)
        ]
        _total, neg = max(window)
        best = (-neg, -neg + max_words)
    start, end = best
    while end - start > 1 and _telling(tokens[start], language) <= EDGE_WEIGHT:
        start += 1
    while end - start > 1 and _telling(tokens[end - 1], language) <= EDGE_WEIGHT:
        end -= 1
    words = tokens[start:end]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def group_label(
    texts: Sequence[str], centrality: Sequence[float], language: str = "nl"
) -> str:
    """The label of a group: a phrase of its most central telling note.

    Args:
        texts: the notes' texts.
        centrality: per note, its mean similarity to the others (higher is more central).
        language: "nl" or "en".
    """
    if not texts:
        return ""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({stem(w, language) for w in raw_words(text) if not w.isdigit()})
    shared = Counter({s: k - 1 for s, k in counts.items() if k > 1})

    def telling(text: str) -> bool:
        return any(_telling(t, language) > EDGE_WEIGHT for t in text.split())

    order = sorted(
        range(len(texts)),
        key=lambda i: (not telling(texts[i]), -centrality[i], len(texts[i]), fold(texts[i])),
    )
    return phrase(texts[order[0]], shared, language)
