"""Readable labels for a group of notes: a short phrase in the notes' own words.

The label is taken from the group's most central note (the one closest to the
others): within one clause of it (notes are cut at punctuation), the run of at
most :data:`MAX_WORDS` consecutive words that carries most of what the group
shares.
A label starts and ends on a word that says something: never on a word of a
closed class (:data:`FUNCTION_WORDS`: determiners, pronouns, prepositions,
conjunctions, auxiliaries and modals, and the adverbs and particles that grade
or negate: "de", "van", "is", "mag", "vooral", "nog"), nor on a word so common
in the language at large that it says little (its background frequency). The
closed classes are grammar, finite and the same for every topic, so listing
them is no list of filler words; open classes (nouns, adjectives, verbs) are
judged by frequency only. A window that ends badly is not chosen at all, rather
than trimmed afterwards ("Evc kijkt vooral" is no label). A note that is only
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
EDGE_WEIGHT = 0.2
#: What a word must add to a label to be worth its place (background weight,
#: times one plus the number of other notes that share it).
WORD_COST = 0.3
#: Fewest words in a label, where the clause has them.
MIN_WORDS = 3
#: Share of its clause a phrase keeps to count as saying the note's whole point.
WHOLE = 0.5

#: Closed-class words of Dutch and English (folded): a label never starts or ends on one.
_CLOSED = (
    # Dutch: articles, determiners, pronouns
    "de het een die dat deze dit elk elke ieder iedere alle sommige geen enige enkele "
    "welke wat zo'n zulke zulk mijn jouw je jij zijn haar ons onze hun uw hen ik u hij "
    "zij ze wij we jullie men zich zichzelf me mij hem er iets niets iemand niemand alles "
    # prepositions
    "aan achter bij binnen boven buiten door in langs met na naar naast om onder op over "
    "per rond sinds tegen tot tussen uit van vanaf via voor zonder volgens tijdens dankzij "
    # conjunctions
    "en of maar want dus als omdat doordat hoewel terwijl wanneer zodat noch "
    # auxiliaries, modals, copulas
    "is ben bent was waren wordt worden werd werden heeft hebben heb hebt had hadden "
    "kan kunnen kon konden moet moeten moest mag mogen mocht wil willen wilde zal zullen "
    "zou zouden blijft lijkt gaat gaan doet laat "
    # adverbs and particles that grade, negate or point
    "niet nog ook al wel vooral vaak soms meer minder meest zeer erg heel echt juist toch "
    "nu dan daar hier zo te eens weer steeds altijd nooit alleen even eigenlijk misschien "
    "zelfs deels vooral ofwel namelijk "
    # English: articles, determiners, pronouns
    "the a an this that these those some any no every each all my your his her its our "
    "their i you he she it we they me him us them "
    # prepositions, conjunctions
    "of to in on at by for with from about into over under between through during "
    "without within as than and or but so if because while "
    # auxiliaries, modals
    "is are was were be been being has have had do does did can could may might must "
    "shall should will would "
    # adverbs and particles
    "not also very more most less just only even still already often really too then "
    "there here mainly especially"
)
FUNCTION_WORDS = frozenset(_CLOSED.split())

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


def is_function_word(token: str) -> bool:
    """Whether a token is only closed-class words (or no word at all)."""
    return all(w in FUNCTION_WORDS for w in raw_words(token))


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

    Empty when the text has only words common in the language at large. See
    :func:`_window` for the arguments.
    """
    return _window(text, shared, language, max_words)[0]


def _window(
    text: str,
    shared: Counter[str] | None = None,
    language: str = "nl",
    max_words: int = MAX_WORDS,
) -> tuple[str, float]:
    """The phrase of ``text`` and the share of its clause's words that it keeps.

    A phrase that keeps most of its clause says what the note says; one cut out
    of a long clause ("Evc kijkt" of "evc kijkt vooral naar wat je nog niet
    kan") may not.

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
        return is_function_word(token) or _telling(token, language) <= EDGE_WEIGHT

    # A window's value: what its words say, less a cost per word, so a phrase
    # grows only by words that add something; ties go to the shorter, earlier one.
    # Only windows that start and end on a word that says something compete; of
    # those, one of at least MIN_WORDS (where the clause allows) is preferred.
    best: tuple[bool, float, int, int, list[str]] | None = None
    clauses = _clauses(text)
    for number, tokens in enumerate(clauses):
        scores = [score(t) - WORD_COST for t in tokens]
        strong = [not weak(t) for t in tokens]
        shortest = min(MIN_WORDS, len(tokens))
        for i in range(len(tokens)):
            if not strong[i]:
                continue
            for j in range(i + 1, min(len(tokens), i + max_words) + 1):
                if not strong[j - 1]:
                    continue
                candidate = (j - i >= shortest, sum(scores[i:j]), -(j - i), -number, tokens[i:j])
                if best is None or candidate[:4] > best[:4]:
                    best = candidate
    if best is None:
        return "", 0.0  # only common words: no label rather than a filler one
    words = best[4]
    label = " ".join(words)
    return label[:1].upper() + label[1:], len(words) / len(clauses[-best[3]])


def group_label(texts: Sequence[str], centrality: Sequence[float], language: str = "nl") -> str:
    """The label of a group: a phrase of its most central telling note.

    A phrase that keeps at least :data:`WHOLE` of its clause is preferred to one
    cut out of a long clause, so the label says a whole thing where a note of
    the group does.

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
    fallback = ""
    for i in order:
        label, kept = _window(texts[i], shared, language)
        if label and kept >= WHOLE:
            return label
        fallback = fallback or label
    return fallback
