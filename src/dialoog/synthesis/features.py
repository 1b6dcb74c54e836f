"""Text features of notes for suggestions and "more like this": stems, compound parts, weights.

A note becomes a weighted bag of features:

* **stems**: words (folded, accents off) reduced by the Snowball stemmer of the
  round's language (Dutch or English), so "vaardigheden" and "vaardigheid", or
  "werkgevers" and "werkgever", are one feature;
* **compound parts**: a long word is split into its longest known parts, known
  meaning seen elsewhere in the round or common in the language at large
  ("opleidingsreflex" gives "opleiding" and "reflex", "basisvaardigheden" gives
  "basis" and "vaardigheden"), each part a feature at half weight;
* **tags**: a ``#tag`` the chair typed, a feature of its own with a strong weight.

Each feature is weighted by how rare it is in the round (a smoothed idf) times how
rare the word is in the language at large (the ``wordfreq`` lists of Dutch and
English): "de", "echt" or "moet" weigh almost nothing without a list of filler
words, and a round of forty notes need not estimate on its own which words are
common. ``wordfreq`` is imported lazily, only when suggestions are computed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dialoog.text import fold

#: Weight of a compound part relative to the whole word.
PART_WEIGHT = 0.5
#: Weight of a shared tag, relative to a note's (unit-length) text vector.
TAG_WEIGHT = 1.0
#: Share of character n-grams in a note's vector (the rest: stems, parts).
GRAM_SHARE = 0.3
#: Sizes of the character n-grams.
GRAM_SIZES = (4,)
#: Shortest compound part that counts.
MIN_PART = 4
#: Zipf frequency from which a word is common enough to be a compound part on its own.
PART_ZIPF = 3.0
#: Zipf frequencies between which the background weight falls from 1 to its floor.
RARE_ZIPF, COMMON_ZIPF = 3.5, 7.0
#: The weight left to the commonest words ("de", "the").
FLOOR = 0.02

_WORD = re.compile(r"[a-z0-9]+")
_LANGUAGES = ("nl", "en")


def raw_words(text: str) -> list[str]:
    """The words of a text, folded (lower case, no accents), in order; digits kept."""
    return _WORD.findall(fold(text))


@cache
def _stemmer(language: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("dutch" if language == "nl" else "english")


@cache
def stem(word: str, language: str = "nl") -> str:
    """The Snowball stem of a folded word in ``language`` ("nl" or "en")."""
    return str(_stemmer(language).stemWord(word))


@cache
def frequencies(language: str) -> dict[str, float]:
    """Word → frequency in the language at large (``wordfreq``, its large list)."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a dependency; without it no background
        return {}
    return wordfreq.get_frequency_dict(language, wordlist="large")


def zipf(word: str, language: str = "nl") -> float:
    """How common a folded word is: Zipf scale (0 unknown, 3 uncommon, 7 "de")."""
    freq = frequencies(language).get(word, 0.0)
    return math.log10(freq) + 9.0 if freq > 0 else 0.0


def background_weight(word: str, language: str = "nl") -> float:
    """From 1 (rare in the language) down to :data:`FLOOR` (its commonest words)."""
    z = zipf(word, language)
    if z <= RARE_ZIPF:
        return 1.0
    share = (min(z, COMMON_ZIPF) - RARE_ZIPF) / (COMMON_ZIPF - RARE_ZIPF)
    return max(FLOOR, 1.0 - share * (1.0 - FLOOR))


def guess_language(texts: Iterable[str]) -> str:
    """ "nl" or "en": the language in whose word list the texts' words are commoner."""
    totals = dict.fromkeys(_LANGUAGES, 0.0)
    for text in texts:
        for word in raw_words(text):
            for lang in _LANGUAGES:
                totals[lang] += zipf(word, lang)
    return max(_LANGUAGES, key=lambda lang: (totals[lang], lang == "nl"))


def split_compound(word: str, known: set[str] | frozenset[str], language: str = "nl") -> list[str]:
    """The longest known parts of a compound word, head last; ``[]`` when it is not one.

    The head of a Dutch compound comes last, so the longest known tail is taken
    first and the rest split again; a linking "s" or "e(n)" between parts is
    allowed. A part is known when it occurs in ``known`` (the round's words) or
    is common in the language at large; a word commoner than one of its parts is
    not split.
    """

    def is_known(part: str) -> bool:
        return len(part) >= MIN_PART and (part in known or zipf(part, language) >= PART_ZIPF)

    def split(rest: str, top: bool = False) -> list[str] | None:
        if not top and is_known(rest):
            return [rest]
        for cut in range(MIN_PART, len(rest) - MIN_PART + 1):
            head, tail = rest[:cut], rest[cut:]
            if not is_known(tail):
                continue
            for link in ("", "s", "en", "e"):
                if link and not head.endswith(link):
                    continue
                front = head[: len(head) - len(link)] if link else head
                if len(front) < MIN_PART:
                    continue
                parts = split(front)
                if parts:
                    return [*parts, tail]
        return None

    if len(word) < 2 * MIN_PART:
        return []
    parts = split(word, top=True)
    if not parts or len(parts) < 2:
        return []
    # A word commoner than one of its parts is a word of its own ("onderwijs" is not
    # "onder" + "wijs", "programmeren" not "program" + "meren").
    whole = zipf(word, language)
    if whole and whole >= min(zipf(p, language) for p in parts):
        return []
    return parts


@dataclass(frozen=True)
class Doc:
    """What features see of a note (or a theme's title): its text, question and tags."""

    text: str
    question: int | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def note_terms(text: str, known: set[str] | frozenset[str], language: str) -> Counter[str]:
    """Stems of a text's words with their compound parts (half weight), as counts."""
    terms: Counter[str] = Counter()
    for word in raw_words(text):
        if word.isdigit():
            continue
        terms[stem(word, language)] += 1.0
        for part in split_compound(word, known, language):
            terms[stem(part, language)] += PART_WEIGHT
    return terms


@dataclass
class Space:
    """The feature space of one round: term weights, and unit vectors of its documents."""

    language: str
    weights: dict[str, float]
    vectors: list[dict[str, float]]


def _stem_weights(texts: Sequence[str], language: str) -> dict[str, float]:
    """Background weight per stem: that of its commonest surface form in the texts."""
    best: dict[str, float] = {}
    for text in texts:
        for word in raw_words(text):
            s = stem(word, language)
            best[s] = min(best.get(s, 1.0), background_weight(word, language))
    return best


def build_space(docs: Sequence[Doc], language: str | None = None) -> Space:
    """L2-normalised vectors of ``docs``: tf × round idf × background weight, plus tags."""
    texts = [d.text for d in docs]
    lang = language or guess_language(texts)
    known = {w for t in texts for w in raw_words(t) if len(w) >= MIN_PART}
    terms = [note_terms(t, known, lang) for t in texts]
    bg = _stem_weights(texts, lang)
    for t in terms:  # compound parts not seen as words get their own background weight
        for s in t:
            bg.setdefault(s, background_weight(s, lang))
    df: Counter[str] = Counter()
    for t in terms:
        df.update(t.keys())
    n = len(docs)
    weights = {s: (math.log((1 + n) / (1 + d)) + 1.0) * bg[s] for s, d in df.items()}
    grams = [_grams(t, lang) for t in texts]
    gdf: Counter[str] = Counter()
    for g in grams:
        gdf.update(g.keys())
    vectors = []
    for doc, t, g in zip(docs, terms, grams, strict=True):
        vec = _unit({s: (1.0 + math.log(1.0 + k)) * weights[s] for s, k in t.items()})
        if GRAM_SHARE:
            gvec = _unit({x: k * math.log((1 + n) / (1 + gdf[x])) for x, k in g.items()})
            vec = {k: v * (1.0 - GRAM_SHARE) for k, v in vec.items()}
            for x, v in gvec.items():
                vec[x] = v * GRAM_SHARE
            vec = _unit(vec)
        for tag in doc.tags:
            vec["#" + fold(tag)] = TAG_WEIGHT
        vectors.append(_unit(vec))
    return Space(lang, weights, vectors)


def _grams(text: str, language: str) -> Counter[str]:
    """Character n-grams of a text's telling words, weighted by the word's background weight."""
    out: Counter[str] = Counter()
    for word in raw_words(text):
        weight = background_weight(word, language)
        if word.isdigit() or weight <= FLOOR:
            continue
        padded = f" {word} "
        for size in GRAM_SIZES:
            for i in range(len(padded) - size + 1):
                out["~" + padded[i : i + size]] += weight
    return out


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit vectors (their cosine similarity)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def centroid(vectors: Iterable[dict[str, float]]) -> dict[str, float]:
    """The unit-length mean of some vectors."""
    total: Counter[str] = Counter()
    for vec in vectors:
        for k, v in vec.items():
            total[k] += v
    return _unit(dict(total))
