"""Readable labels for a group of notes: a short phrase in the notes' own words.

The label is taken from the group's most central note (the one closest to the
others): within one clause of it (notes are cut at punctuation), the run of at
most :data:`MAX_WORDS` consecutive words that carries most of what the group
shares.
Words at either end that are common in the language at large ("de", "en", "moet")
are trimmed by their background frequency, not by a list of filler words, so
the label starts and ends on a word that says something. A note that is only
common words is never chosen while another note has a telling word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from dialoog.synthesis.features import background_weight, raw_words, stem
from dialoog.text import fold

#: Longest label, in words.
MAX_WORDS = 7
#: A word weighing at most this (background weight) may not start or end a label.
EDGE_WEIGHT = 0.3
#: What a word must add to a label to be worth its place (background weight,
#: times one plus the number of other notes that share it).
WORD_COST = 0.3
#: Fewest words in a label, where the clause has them.
MIN_WORDS = 3

_TOKEN = re.compile(r"\S+")
#: Where a clause ends: punctuation, an arrow, a dash between spaces.
_CLAUSE = re.compile(r"[,;:.!?()\[\]→⇒]|\s[-–—]\s")
_STRIP = "\"'“”‘’()[]{}.,;:!?…-–—=+/*&"


def _telling(token: str, language: str) -> float:
    """How much a surface token says: the background weight of its rarest word."""
    words = [w for w in raw_words(token) if len(w) > 1 and not w.isdigit()]
    if not words:
        return 0.0
    return max(background_weight(w, language) for w in words)


def _clauses(text: str) -> list[list[str]]:
    """The clauses of a note (split at punctuation), each a list of clean tokens."""
    out = []
    for clause in _CLAUSE.split(text):
        tokens = [t.strip(_STRIP) for t in _TOKEN.findall(clause)]
        tokens = [t for t in tokens if t and not t.startswith("#")]
        if tokens:
            out.append(tokens)
    return out


def phrase(
    text: str,
    shared: Counter[str] | None = None,
    language: str = "nl",
    max_words: int = MAX_WORDS,
) -> str:
    """A short phrase of ``text``: the clause window of words that best covers ``shared`` stems.

    Empty when the text has only words common in the language at large.

    Args:
        text: one note's text.
        shared: stem → how many other notes of the group have it (more is better).
        language: "nl" or "en", for stemming and word frequencies.
        max_words: the longest phrase.
    """
    shared = shared or Counter()

    def shares(token: str) -> int:
        return max((shared.get(stem(w, language), 0) for w in raw_words(token)), default=0)

    def score(token: str) -> float:
        return _telling(token, language) * (1.0 + shares(token))

    def weak(token: str) -> bool:
        return _telling(token, language) <= EDGE_WEIGHT

    # A window's value: what its words say, less a cost per word, so a phrase
    # grows only by words that add something; ties go to the shorter, earlier one.
    best: tuple[float, int, int, list[str]] | None = None
    for number, tokens in enumerate(_clauses(text)):
        scores = [score(t) - WORD_COST for t in tokens]
        shortest = min(MIN_WORDS, len(tokens))
        for i in range(len(tokens)):
            for j in range(i + shortest, min(len(tokens), i + max_words) + 1):
                candidate = (sum(scores[i:j]), -(j - i), -number, tokens[i:j])
                if best is None or candidate[:3] > best[:3]:
                    best = candidate
    if best is None or not any(not weak(t) for t in best[3]):
        return ""  # only common words: no label rather than a filler one
    words = best[3]
    while len(words) > 1 and weak(words[0]):
        words = words[1:]
    while len(words) > 1 and weak(words[-1]):
        words = words[:-1]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def group_label(texts: Sequence[str], centrality: Sequence[float], language: str = "nl") -> str:
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
    for i in order:
        label = phrase(texts[i], shared, language)
        if label:
            return label
    return ""
