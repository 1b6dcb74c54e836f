"""Seating quality against random assignment (issue 5).

60 people from 25 organisations (sizes 1 to 6, fixed), 8 of them table chairs,
at 8 tables over 3 rounds with rotation (World Café). For each of several
seeds, dialoog's plan (greedy + swap local search, :mod:`dialoog.participants.seating`)
and a random assignment (chairs one per table, everyone else shuffled into
even tables every round) are scored; the medians are printed, with the time
dialoog takes per plan.

Run: ``python benchmarks/bench_seating.py [--seeds 11]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time

from dialoog.participants.seating import (
    Seat,
    plan_seating,
    quality,
    random_seating,
    unavoidable_org_clashes,
)

#: 25 organisations, 60 people: a few big delegations (SER, a ministry) and many singles.
SIZES = [6, 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
TABLES = list(range(1, 9))
ROUNDS = 3


def people() -> list[Seat]:
    """The benchmark population; every 7th person is a table chair (8 in all)."""
    out: list[Seat] = []
    for org, size in enumerate(SIZES):
        for _ in range(size):
            out.append(Seat(len(out) + 1, f"org{org}"))
    assert len(out) == 60 and len(SIZES) == 25
    return [Seat(p.id, p.organisation, chair=(i % 7 == 3 and i < 56)) for i, p in enumerate(out)]


def main() -> None:
    """Print the medians for dialoog and random over the seeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=11)
    args = parser.parse_args()
    crowd = people()
    chairs = [p.id for p in crowd if p.chair]
    fixed = {(r, pid): t for r in range(ROUNDS) for pid, t in zip(chairs, TABLES, strict=True)}
    ours, rand, times = [], [], []
    for seed in range(args.seeds):
        start = time.perf_counter()
        plan = plan_seating(crowd, TABLES, ROUNDS, rotate=True, seed=seed, fixed=fixed)
        times.append(time.perf_counter() - start)
        ours.append(quality(crowd, plan))
        rand.append(quality(crowd, random_seating(crowd, TABLES, ROUNDS, seed=seed)))

    def med(values: list, field: str) -> float:
        return statistics.median(getattr(q, field) for q in values)

    print(f"# bench_seating  {dt.date.today()}  {platform.node()}  {platform.processor() or ''}")
    print(f"# python {platform.python_version()}, {args.seeds} seeds, medians")
    print(f"# 60 people, 25 organisations, 8 tables, {ROUNDS} rounds, rotating, 8 chairs pinned")
    print(f"# fewest organisation clashes possible: {unavoidable_org_clashes(crowd, 8, ROUNDS)}")
    print(f"{'':10} {'org clashes':>12} {'repeated pairs':>15} {'extra meetings':>15}")
    for label, values in (("dialoog", ours), ("random", rand)):
        print(
            f"{label:10} {med(values, 'org_clashes'):12g} {med(values, 'repeated_pairs'):15g}"
            f" {med(values, 'extra_meetings'):15g}"
        )
    times.sort()
    print(
        f"# dialoog plan time: median {statistics.median(times) * 1000:.0f} ms,"
        f" max {times[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
