"""Benchmark: theme suggestions and "more like this" on notes reconstructed from a real meeting.

Reads ``benchmarks/data/suggest_eval.toml`` (notes of five rounds of the first two
SER meetings, each labelled with the theme under which the report discusses it;
its header says how it was made). Every note goes through the marker grammar as
typed (so ``#tag`` becomes a tag), then, per round and overall:

* **groups**: pairwise precision and recall of the offered groups (a pair of notes
  in one offered group is right when the report discusses both under one theme;
  recall counts the report's same-theme pairs that an offered group holds) and the
  adjusted Rand index of the offered groups (the rest as single notes) against the
  report's themes;
* **more like this**: mean average precision of ranking the round's other notes
  for a theme seeded with its title and one or two of its notes (every choice of
  seed notes; themes of at least three notes);

each next to two baselines computed in the same run: **random** (random groups of
the same sizes as the offered ones / a random ranking; the median over
``--seeds`` seeds) and **question** (group the notes by the question they answer /
rank the notes that answer the theme's question first, randomly within).

Usage::

    python benchmarks/bench_suggest.py [--seeds 200] [--json] [--check]

Targets (issue 11): pairwise precision of offered groups >= 0.5 and >= 2x random;
"more like this" MAP >= 0.5 and >= 2.5x random; neither below the question baseline.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

from dialoog.markers import parse_note
from dialoog.synthesis.features import Doc
from dialoog.synthesis.similar import rank_like
from dialoog.synthesis.suggest import NoteText, Params, suggest_groups

DATA = Path(__file__).parent / "data" / "suggest_eval.toml"


@dataclass(frozen=True)
class EvalNote:
    """One note of the evaluation set, as typed, with the report's theme."""

    id: str
    table: int
    text: str
    tags: tuple[str, ...]
    question: int | None
    theme: str


@dataclass(frozen=True)
class EvalRound:
    """A round of the evaluation set: its notes and the report's theme titles."""

    key: str
    themes: dict[str, str]
    notes: list[EvalNote]


def load(path: Path = DATA) -> list[EvalRound]:
    """The rounds of the evaluation set; each note parsed as capture would."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rounds = []
    for r in raw["rounds"]:
        notes = []
        for n, note in enumerate(r["notes"]):
            parsed = parse_note(note["text"])
            notes.append(
                EvalNote(
                    f"{r['key']}/{n}",
                    note["table"],
                    parsed.text,
                    tuple(parsed.tags),
                    note.get("question"),
                    note["theme"],
                )
            )
        rounds.append(EvalRound(r["key"], dict(r["themes"]), notes))
    return rounds


# -- measures -----------------------------------------------------------------


def pairs_of(groups: list[list[int]]) -> set[tuple[int, int]]:
    """Every unordered pair of indices that share a group."""
    return {(a, b) for g in groups for a, b in itertools.combinations(sorted(g), 2)}


def pairwise(groups: list[list[int]], gold: list[str]) -> tuple[float, float]:
    """Pairwise precision and recall of ``groups`` against gold labels."""
    found = pairs_of(groups)
    right = sum(1 for a, b in found if gold[a] == gold[b])
    total_gold = sum(comb(k, 2) for k in Counter(gold).values())
    precision = right / len(found) if found else 0.0
    recall = right / total_gold if total_gold else 0.0
    return precision, recall


def ari(groups: list[list[int]], gold: list[str]) -> float:
    """Adjusted Rand index of a partition (groups, the rest single) against gold labels."""
    n = len(gold)
    label = list(range(n, 2 * n))  # every note alone unless grouped
    for k, g in enumerate(groups):
        for i in g:
            label[i] = k
    table = Counter(zip(label, gold, strict=True))
    sum_cells = sum(comb(v, 2) for v in table.values())
    sum_a = sum(comb(v, 2) for v in Counter(label).values())
    sum_b = sum(comb(v, 2) for v in Counter(gold).values())
    expected = sum_a * sum_b / comb(n, 2)
    top = (sum_a + sum_b) / 2
    return (sum_cells - expected) / (top - expected) if top != expected else 0.0


def average_precision(ranking: list[int], relevant: set[int]) -> float:
    """Average precision of a ranking of indices for a set of relevant ones."""
    hits, total = 0, 0.0
    for rank, i in enumerate(ranking, start=1):
        if i in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


# -- groups: ours and baselines ------------------------------------------------


def offered(r: EvalRound, params: Params | None = None) -> list[list[int]]:
    """The groups suggest_groups offers for a round, as lists of note indices."""
    index = {n.id: i for i, n in enumerate(r.notes)}
    notes = [NoteText(n.id, n.table, n.text, n.question, n.tags) for n in r.notes]
    return [[index[i] for i in s.note_ids] for s in suggest_groups(notes, params=params)]


def random_groups(sizes: list[int], n: int, rng: random.Random) -> list[list[int]]:
    """Random disjoint groups of the given sizes out of n notes."""
    order = list(range(n))
    rng.shuffle(order)
    groups, at = [], 0
    for size in sizes:
        groups.append(order[at : at + size])
        at += size
    return groups


def question_groups(r: EvalRound) -> list[list[int]]:
    """Notes grouped by the question they answer (notes without one left alone)."""
    by: dict[int, list[int]] = {}
    for i, n in enumerate(r.notes):
        if n.question is not None:
            by.setdefault(n.question, []).append(i)
    return [g for g in by.values() if len(g) >= 2]


# -- more like this: ours and baselines ------------------------------------------


def queries(r: EvalRound) -> list[tuple[str, list[int], set[int]]]:
    """(theme title, seed note indices, relevant indices) for every seed of 1 and 2 notes."""
    out = []
    for theme, title in r.themes.items():
        members = [i for i, n in enumerate(r.notes) if n.theme == theme]
        if len(members) < 3:
            continue
        for k in (1, 2):
            for seed in itertools.combinations(members, k):
                out.append((title, list(seed), set(members) - set(seed)))
    return out


def rank_ours(r: EvalRound, title: str, seed: list[int], **knobs: Any) -> list[int]:
    """The round's other notes ranked by :func:`rank_like` (``knobs``: its keyword options)."""
    others = [i for i in range(len(r.notes)) if i not in seed]

    def doc(i: int) -> Doc:
        n = r.notes[i]
        return Doc(n.text, n.question, n.tags)

    ranked = rank_like(
        title, [doc(i) for i in seed], [(str(i), 0, doc(i)) for i in others], **knobs
    )
    return [int(x.id) for x in ranked]


def rank_random(r: EvalRound, seed: list[int], rng: random.Random) -> list[int]:
    """The round's other notes in random order."""
    others = [i for i in range(len(r.notes)) if i not in seed]
    rng.shuffle(others)
    return others


def rank_question(r: EvalRound, seed: list[int], rng: random.Random) -> list[int]:
    """Notes that answer the seed's question first, each part in random order."""
    questions = {r.notes[i].question for i in seed}
    others = rank_random(r, seed, rng)
    return sorted(others, key=lambda i: r.notes[i].question not in questions)


# -- the run ----------------------------------------------------------------------


def evaluate(rounds: list[EvalRound], seeds: int) -> dict[str, dict[str, float]]:
    """Figures per round and overall (overall: pairs and queries pooled over rounds)."""
    results: dict[str, dict[str, float]] = {}
    pooled: dict[str, list[float]] = {}
    pooled_groups: dict[str, list[tuple[list[list[int]], list[str], int]]] = {}

    def add(key: str, value: float) -> None:
        pooled.setdefault(key, []).append(value)

    for r in rounds:
        gold = [n.theme for n in r.notes]
        ours = offered(r)
        by_question = question_groups(r)
        sizes = [len(g) for g in ours]
        row: dict[str, float] = {"notes": len(r.notes), "themes": len(r.themes)}
        row["groups"] = len(ours)
        row["p"], row["r"] = pairwise(ours, gold)
        row["ari"] = ari(ours, gold)
        row["p_question"], row["r_question"] = pairwise(by_question, gold)
        row["ari_question"] = ari(by_question, gold)
        rand_p, rand_r, rand_ari = [], [], []
        for s in range(seeds):
            groups = random_groups(sizes, len(gold), random.Random(s))
            p, rc = pairwise(groups, gold)
            rand_p.append(p)
            rand_r.append(rc)
            rand_ari.append(ari(groups, gold))
        row["p_random"] = statistics.median(rand_p) if ours else 0.0
        row["r_random"] = statistics.median(rand_r) if ours else 0.0
        row["ari_random"] = statistics.median(rand_ari) if ours else 0.0
        qs = queries(r)
        ap_ours = [average_precision(rank_ours(r, t, seed), rel) for t, seed, rel in qs]
        ap_rand, ap_quest = [], []
        for s in range(min(seeds, 50)):
            rng = random.Random(10_000 + s)
            ap_rand.append(
                statistics.fmean(
                    average_precision(rank_random(r, seed, rng), rel) for _t, seed, rel in qs
                )
            )
            ap_quest.append(
                statistics.fmean(
                    average_precision(rank_question(r, seed, rng), rel) for _t, seed, rel in qs
                )
            )
        row["map"] = statistics.fmean(ap_ours)
        row["map_random"] = statistics.median(ap_rand)
        row["map_question"] = statistics.median(ap_quest)
        row["queries"] = len(qs)
        results[r.key] = row
        for key in ("map", "map_random", "map_question"):
            add(key, row[key] * len(qs))
        add("queries", len(qs))
        pooled_groups.setdefault("ours", []).append((ours, gold, 0))
        pooled_groups.setdefault("question", []).append((by_question, gold, 0))
    overall: dict[str, float] = {
        "notes": sum(len(r.notes) for r in rounds),
        "themes": sum(len(r.themes) for r in rounds),
    }
    # Pool pairs: rounds are disjoint, so their groups and gold labels concatenate.
    for name, suffix in (("ours", ""), ("question", "_question")):
        groups_all, gold_all, offset = [], [], 0
        for groups, gold, _ in pooled_groups[name]:
            groups_all += [[offset + i for i in g] for g in groups]
            gold_all += [f"{offset}:{g}" for g in gold]
            offset += len(gold)
        p, rc = pairwise(groups_all, gold_all)
        overall["p" + suffix], overall["r" + suffix] = p, rc
        overall["ari" + suffix] = ari(groups_all, gold_all)
        if name == "ours":
            overall["groups"] = len(groups_all)
    for key in ("p_random", "r_random", "ari_random"):
        overall[key] = statistics.fmean(results[r.key][key] for r in rounds)
    q = sum(pooled["queries"])
    overall["queries"] = q
    for key in ("map", "map_random", "map_question"):
        overall[key] = sum(pooled[key]) / q if q else 0.0
    results["overall"] = overall
    return results


# -- held out: tune on one meeting, report on the other --------------------------

#: The grid of knobs tuned (every combination): see :class:`Params`. The first
#: value of each is the default; ties go to the earlier setting.
GRID = {
    "threshold": (0.25, 0.15, 0.2, 0.3),
    "strength": (2.0, 1.5, 3.0),
    "min_shared": (1, 2),
    "max_share": (1.0, 0.15),
    "bigram_weight": (0.0, 0.5),
}
#: A setting is eligible only when it offers at least this many groups per round
#: on the tuning rounds: a setting that offers one sure group is no help.
MIN_GROUPS_PER_ROUND = 3


def meeting(r: EvalRound) -> str:
    """The meeting a round belongs to: its key up to "-ronde"."""
    return r.key.split("-ronde")[0]


def pooled_pairs(rounds_groups: list[tuple[list[list[int]], list[str]]]) -> tuple[int, int, int]:
    """(right pairs, offered pairs, gold pairs) summed over rounds."""
    right = found = gold_pairs = 0
    for groups, gold in rounds_groups:
        pairs = pairs_of(groups)
        found += len(pairs)
        right += sum(1 for a, b in pairs if gold[a] == gold[b])
        gold_pairs += sum(comb(k, 2) for k in Counter(gold).values())
    return right, found, gold_pairs


def settings() -> list[Params]:
    """Every combination of :data:`GRID`."""
    keys = list(GRID)
    return [Params(**dict(zip(keys, v, strict=True))) for v in itertools.product(*GRID.values())]


def choose(
    rounds: list[EvalRound], table: dict[tuple[Params, str], list[list[int]]]
) -> tuple[Params, float]:
    """The setting with the best pooled pairwise precision on ``rounds`` (and its precision).

    Only settings that offer :data:`MIN_GROUPS_PER_ROUND` groups per round are
    eligible; ties go to more pairs, then to the earlier setting in the grid.
    """
    best: tuple[float, int, int] | None = None
    chosen = Params()
    for k, params in enumerate(settings()):
        per_round = [(table[params, r.key], [n.theme for n in r.notes]) for r in rounds]
        groups = sum(len(g) for g, _ in per_round)
        if groups < MIN_GROUPS_PER_ROUND * len(rounds):
            continue
        right, found, _ = pooled_pairs(per_round)
        key = (right / found if found else 0.0, found, -k)
        if best is None or key > best:
            best, chosen = key, params
    return chosen, (best[0] if best else 0.0)


def heldout(rounds: list[EvalRound]) -> list[dict[str, object]]:
    """Leave one meeting out: tune on the other meeting's rounds, report on its own.

    Also the setting tuned on all rounds (in-sample) and the defaults, on every
    meeting, so the optimism of tuning in-sample shows next to the held-out figure.
    """
    table = {(p, r.key): offered(r, p) for p in settings() for r in rounds}
    meetings = sorted({meeting(r) for r in rounds})
    rows: list[dict[str, object]] = []

    def report(name: str, params: Params, tuned_on: str, on: list[EvalRound], fit: float) -> None:
        per_round = [(table[params, r.key], [n.theme for n in r.notes]) for r in on]
        right, found, gold_pairs = pooled_pairs(per_round)
        rows.append(
            {
                "row": name,
                "tuned on": tuned_on,
                "reported on": "+".join(sorted({meeting(r) for r in on})),
                "fit": fit,
                "p": right / found if found else 0.0,
                "r": right / gold_pairs if gold_pairs else 0.0,
                "groups": sum(len(g) for g, _ in per_round),
                "params": params,
            }
        )

    defaults = Params()
    held: list[tuple[list[list[int]], list[str]]] = []
    for m in meetings:
        own = [r for r in rounds if meeting(r) == m]
        other = [r for r in rounds if meeting(r) != m]
        params, fit = choose(other, table)
        report("held out", params, "+".join(sorted({meeting(r) for r in other})), own, fit)
        held += [(table[params, r.key], [n.theme for n in r.notes]) for r in own]
        in_params, in_fit = choose(own, table)
        report("in sample", in_params, m, own, in_fit)
        report("defaults", defaults, "-", own, 0.0)
    right, found, gold_pairs = pooled_pairs(held)
    rows.append(
        {
            "row": "held out",
            "tuned on": "the other",
            "reported on": "both",
            "fit": 0.0,
            "p": right / found if found else 0.0,
            "r": right / gold_pairs if gold_pairs else 0.0,
            "groups": sum(len(g) for g, _ in held),
            "params": None,
        }
    )
    params, fit = choose(rounds, table)
    report("in sample", params, "all", rounds, fit)
    report("defaults", defaults, "-", rounds, 0.0)
    report("first pass", Params(threshold=0.2), "-", rounds, 0.0)
    return rows


#: The grid of "more like this" knobs tuned (every combination): see :func:`rank_like`.
#: The first value of each is the default, so the first setting is the defaults.
LIKE_GRID = {
    "bigram_weight": (0.5, 0.0),
    "feedback": (3, 0),
    "title_weight": (2.0, 1.0),
}


def like_heldout(rounds: list[EvalRound]) -> list[dict[str, object]]:
    """Leave one meeting out for "more like this": tune MAP on one meeting, report on the other."""
    keys = list(LIKE_GRID)
    grid = [dict(zip(keys, v, strict=True)) for v in itertools.product(*LIKE_GRID.values())]
    # Sum of average precision and number of queries per (setting, meeting).
    table: dict[tuple[int, str], tuple[float, int]] = {}
    for k, knobs in enumerate(grid):
        for r in rounds:
            qs = queries(r)
            total = sum(average_precision(rank_ours(r, t, s, **knobs), rel) for t, s, rel in qs)
            old = table.get((k, meeting(r)), (0.0, 0))
            table[k, meeting(r)] = (old[0] + total, old[1] + len(qs))

    def mean_ap(k: int, ms: list[str]) -> float:
        total = sum(table[k, m][0] for m in ms)
        count = sum(table[k, m][1] for m in ms)
        return total / count if count else 0.0

    meetings = sorted({meeting(r) for r in rounds})
    rows: list[dict[str, object]] = []
    for m in meetings:
        others = [x for x in meetings if x != m]
        # Ties go to the earlier setting: the grid lists the defaults first.
        chosen = max(range(len(grid)), key=lambda k: (round(mean_ap(k, others), 6), -k))
        in_sample = max(range(len(grid)), key=lambda k: (round(mean_ap(k, [m]), 6), -k))
        for name, k, tuned in (("held out", chosen, "+".join(others)), ("in sample", in_sample, m)):
            rows.append(
                {
                    "row": name,
                    "tuned on": tuned,
                    "reported on": m,
                    "fit": mean_ap(k, others if name == "held out" else [m]),
                    "map": mean_ap(k, [m]),
                    "knobs": grid[k],
                }
            )
        first = grid.index({"bigram_weight": 0.0, "feedback": 3, "title_weight": 1.0})
        for name, k in (("defaults", 0), ("first pass", first)):
            rows.append(
                {
                    "row": name,
                    "tuned on": "-",
                    "reported on": m,
                    "fit": 0.0,
                    "map": mean_ap(k, [m]),
                    "knobs": grid[k],
                }
            )
    return rows


def print_like_heldout(rows: list[dict[str, object]]) -> None:
    """The leave-one-meeting-out table of "more like this"."""
    print()
    print('leave one meeting out ("more like this" mean average precision):')
    head = f"{'row':10} {'tuned on':12} {'reported on':12} {'fit':>5} {'MAP':>5}  setting"
    print(head)
    print("-" * len(head))
    for row in rows:
        knobs = " ".join(f"{k} {v}" for k, v in row["knobs"].items())  # type: ignore[attr-defined]
        print(
            f"{row['row']:10} {row['tuned on']:12} {row['reported on']:12} "
            f"{row['fit']:5.3f} {row['map']:5.3f}  {knobs}"
        )


def print_heldout(rows: list[dict[str, object]]) -> None:
    """The leave-one-meeting-out table."""
    print()
    print("leave one meeting out (pairwise precision of offered groups, pairs pooled):")
    head = (
        f"{'row':10} {'tuned on':12} {'reported on':12} "
        f"{'fit':>4} {'P':>4} {'R':>4} {'grp':>3}  setting"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        p: Params | None = row["params"]  # type: ignore[assignment]
        setting = (
            "each meeting's own held-out choice"
            if p is None
            else f"thr {p.threshold} z {p.strength} shared {p.min_shared} "
            f"cap {p.max_share} bigram {p.bigram_weight}"
        )
        print(
            f"{row['row']:10} {row['tuned on']:12} {row['reported on']:12} "
            f"{row['fit']:4.2f} {row['p']:4.2f} {row['r']:4.2f} {row['groups']:3}  {setting}"
        )


def verdicts(overall: dict[str, float]) -> list[tuple[str, bool]]:
    """The issue's targets, each met or missed."""
    p, pr, pq = overall["p"], overall["p_random"], overall["p_question"]
    m, mr, mq = overall["map"], overall["map_random"], overall["map_question"]
    return [
        (f"pairwise precision {p:.2f} >= 0.5", p >= 0.5),
        (f"pairwise precision {p:.2f} >= 2 x random {pr:.2f}", p >= 2 * pr),
        (f"pairwise precision {p:.2f} >= question baseline {pq:.2f}", p >= pq),
        (f"more-like-this MAP {m:.2f} >= 0.5", m >= 0.5),
        (f"more-like-this MAP {m:.2f} >= 2.5 x random {mr:.2f}", m >= 2.5 * mr),
        (f"more-like-this MAP {m:.2f} >= question baseline {mq:.2f}", m >= mq),
    ]


def contract_rows(overall: dict[str, float], checks: list[tuple[str, bool]]) -> list[dict]:
    """The two headline figures as rows of ``benchmarks/run``'s ``--json`` contract."""
    p, pr, m, mr = overall["p"], overall["p_random"], overall["map"], overall["map_random"]
    return [
        {
            "name": "suggestions: pairwise precision of offered groups",
            "median": round(p, 3),
            "p99": None,
            "baseline": round(pr, 3),
            "ratio": round(p / pr, 2) if pr else None,
            "target": ">= 0.5 and >= 2x random",
            "met": all(met for _t, met in checks[:3]),
            "unit": "",
            "note": f"baseline: random groups; question baseline {overall['p_question']:.2f}",
        },
        {
            "name": "more like this: mean average precision",
            "median": round(m, 3),
            "p99": None,
            "baseline": round(mr, 3),
            "ratio": round(m / mr, 2) if mr else None,
            "target": ">= 0.5 and >= 2.5x random",
            "met": all(met for _t, met in checks[3:]),
            "unit": "",
            "note": f"baseline: random ranking; question baseline {overall['map_question']:.2f}",
        },
    ]


def print_table(results: dict[str, dict[str, float]]) -> None:
    """One line per round and overall: ours, random, question for each measure."""
    head = (
        f"{'round':16} {'notes':>5} {'thm':>3} {'grp':>3} | "
        f"{'P':>4} {'rnd':>4} {'q':>4} | {'R':>4} {'rnd':>4} {'q':>4} | "
        f"{'ARI':>5} {'rnd':>5} {'q':>5} | {'MAP':>4} {'rnd':>4} {'q':>4}"
    )
    print(head)
    print("-" * len(head))
    for key, row in results.items():
        print(
            f"{key:16} {row['notes']:5.0f} {row['themes']:3.0f} {row['groups']:3.0f} | "
            f"{row['p']:4.2f} {row['p_random']:4.2f} {row['p_question']:4.2f} | "
            f"{row['r']:4.2f} {row['r_random']:4.2f} {row['r_question']:4.2f} | "
            f"{row['ari']:5.2f} {row['ari_random']:5.2f} {row['ari_question']:5.2f} | "
            f"{row['map']:4.2f} {row['map_random']:4.2f} {row['map_question']:4.2f}"
        )


def main() -> int:
    """Run the evaluation, print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=200, help="random baseline seeds")
    parser.add_argument(
        "--json", action="store_true", help="print the headline rows as JSON (benchmarks/run)"
    )
    parser.add_argument("--quick", action="store_true", help="50 random seeds, no held-out")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--data", type=Path, default=DATA, help="the evaluation set")
    parser.add_argument(
        "--no-heldout", action="store_true", help="skip the leave-one-meeting-out tuning"
    )
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.no_heldout = min(args.seeds, 50), True
    started = time.perf_counter()
    rounds = load(args.data)
    results = evaluate(rounds, args.seeds)
    took = time.perf_counter() - started
    checks = verdicts(results["overall"])
    if args.json:
        print(json.dumps(contract_rows(results["overall"], checks)))
    else:
        print(
            f"{time.strftime('%Y-%m-%d %H:%M')}  {platform.platform()}  "
            f"{os.cpu_count()} CPUs  load {os.getloadavg()[0]:.2f}  ({took:.1f} s)"
        )
        print(f"{args.data.name}: {len(rounds)} rounds; random = median of {args.seeds} seeds")
        print_table(results)
        for text, met in checks:
            print(f"  {'met   ' if met else 'MISSED'} {text}")
        if not args.no_heldout:
            print_heldout(heldout(rounds))
            print_like_heldout(like_heldout(rounds))
    return 1 if args.check and not all(met for _t, met in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
