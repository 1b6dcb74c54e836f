"""Seating time and quality at 60, 250 and 1,000 people, next to random seating.

Scenarios (3 rounds, rotating World Café style, one table chair pinned per table):

* ``60``: 60 people from 25 organisations (sizes 1 to 6) at 8 tables, the SER's size;
* ``250x8``: 250 people from the same 25 organisations scaled up (sizes 4 to 25) at
  the issue's 8 tables; organisation clashes are then unavoidable, the floor is printed;
* ``250x32``: the same 250 people at 32 tables (about 8 a table);
* ``1000``: 1,000 people from 100 organisations (sizes 4 to 25) at 125 tables.

For every seed, dialoog's plan (:func:`dialoog.participants.seating.plan_seating`)
is timed and scored, and a random assignment (chairs one per table, everyone
else shuffled into even tables every round) is scored in the same run. Printed:
median and range of the plan time, medians of organisation clashes, repeated pairs
(distinct pairs sharing a table more than once) and extra meetings, and the load.

Run: ``python benchmarks/bench_seating.py [--seeds 11] [--seeds-large 5] [--only 60,1000]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from dataclasses import dataclass

from dialoog.participants.seating import (
    Quality,
    Seat,
    plan_seating,
    quality,
    random_seating,
    unavoidable_org_clashes,
)

#: 25 organisations, 60 people: a few big delegations (SER, a ministry) and many singles.
SIZES = [6, 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
ROUNDS = 3


@dataclass(frozen=True)
class Scenario:
    """One benchmark case."""

    label: str
    people: int
    organisations: int
    tables: int


SCENARIOS = [
    Scenario("60", 60, 25, 8),
    Scenario("250x8", 250, 25, 8),
    Scenario("250x32", 250, 25, 32),
    Scenario("1000", 1000, 100, 125),
]


def org_sizes(n: int, organisations: int) -> list[int]:
    """``SIZES`` repeated to ``organisations`` entries, scaled to ``n`` people in all."""
    pattern = (SIZES * (organisations // len(SIZES) + 1))[:organisations]
    scale = n / sum(pattern)
    exact = [s * scale for s in pattern]
    sizes = [int(x) for x in exact]
    # Largest remainders get the people left over, so the sizes add up to n.
    order = sorted(range(organisations), key=lambda i: exact[i] - sizes[i], reverse=True)
    for i in order[: n - sum(sizes)]:
        sizes[i] += 1
    return sizes


def population(sc: Scenario) -> tuple[list[Seat], dict[tuple[int, int], int]]:
    """The people of a scenario and the pinned seats of its table chairs."""
    people: list[Seat] = []
    for org, size in enumerate(org_sizes(sc.people, sc.organisations)):
        for _ in range(size):
            people.append(Seat(len(people) + 1, f"org{org}"))
    step = sc.people // sc.tables
    chairs = {t * step + step // 2: t + 1 for t in range(sc.tables)}
    people = [Seat(p.id, p.organisation, chair=i in chairs) for i, p in enumerate(people)]
    fixed = {(r, people[i].id): table for r in range(ROUNDS) for i, table in chairs.items()}
    return people, fixed


def run(sc: Scenario, seeds: int) -> None:
    """Time and score dialoog and random seating for one scenario; print one block."""
    crowd, fixed = population(sc)
    tables = list(range(1, sc.tables + 1))
    ours: list[Quality] = []
    rand: list[Quality] = []
    times: list[float] = []
    for seed in range(seeds):
        start = time.perf_counter()
        plan = plan_seating(crowd, tables, ROUNDS, rotate=True, seed=seed, fixed=fixed)
        times.append(time.perf_counter() - start)
        ours.append(quality(crowd, plan))
        rand.append(quality(crowd, random_seating(crowd, tables, ROUNDS, seed=seed)))

    def med(values: list[Quality], field: str) -> float:
        return statistics.median(getattr(q, field) for q in values)

    floor = unavoidable_org_clashes(crowd, sc.tables, ROUNDS)
    print(
        f"## {sc.label}: {sc.people} people, {sc.organisations} organisations,"
        f" {sc.tables} tables, {ROUNDS} rounds; {seeds} seeds;"
        f" fewest org clashes possible {floor}; load {os.getloadavg()[0]:.2f}"
    )
    for label, values in (("dialoog", ours), ("random", rand)):
        print(
            f"{label:10} org clashes {med(values, 'org_clashes'):6g}"
            f" (max {max(q.org_clashes for q in values):g})"
            f"  repeated pairs {med(values, 'repeated_pairs'):6g}"
            f" (max {max(q.repeated_pairs for q in values):g})"
            f"  extra meetings {med(values, 'extra_meetings'):6g}"
            f"  chair clashes {med(values, 'chair_clashes'):g}"
        )
    print(
        f"dialoog time: median {statistics.median(times):.2f} s,"
        f" range {min(times):.2f}-{max(times):.2f} s",
        flush=True,
    )


def main() -> None:
    """Run the chosen scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=11, help="seeds up to 250 people")
    parser.add_argument("--seeds-large", type=int, default=5, help="seeds at 1,000 people")
    parser.add_argument(
        "--only", help="comma separated scenario labels: " + ",".join(s.label for s in SCENARIOS)
    )
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else {s.label for s in SCENARIOS}
    print(f"# bench_seating  {dt.date.today()}  {platform.node()}  {platform.processor() or ''}")
    print(f"# python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    for sc in SCENARIOS:
        if sc.label in chosen:
            run(sc, args.seeds if sc.people <= 250 else args.seeds_large)


if __name__ == "__main__":
    main()
