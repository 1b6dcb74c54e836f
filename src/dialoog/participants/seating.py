"""Seating people at dialogue tables for one or more rounds.

The heuristic is a seeded greedy construction followed by local search
(pairwise swaps within a round, repeated until no swap helps), restarted a
few times with different seeds; the best plan is kept. The cost of a plan, in
order of weight:

* two people of one organisation at a table in a round (1000 per pair),
* two table chairs at one table (1000 per pair; chairs are normally pinned),
* a pair who already sat together in another round (10 per earlier meeting;
  only when rotating, World Café style),
* two committee members at one table (3 per pair), so they spread out.

Tables are filled evenly (sizes differ by at most one), except where manual
placements overfill a table: manual placements always win. The same seed
gives the same plan.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

ORG_WEIGHT = 1000
CHAIR_WEIGHT = 1000
REPEAT_WEIGHT = 10
SPREAD_WEIGHT = 3

#: One round's plan: person id → table number.
RoundPlan = dict[int, int]


@dataclass(frozen=True)
class Seat:
    """A person to be seated, with what matters for seating."""

    id: int
    organisation: str | None = None
    """A comparison form of the organisation; None when unknown (never clashes)."""
    chair: bool = False
    spread: bool = False
    """Someone to spread over the tables (a committee member)."""


@dataclass(frozen=True)
class Quality:
    """How good a plan is; lower is better for every number."""

    org_clashes: int
    """Pairs of people of one organisation at one table in one round."""
    repeated_pairs: int
    """Distinct pairs of people who share a table in more than one round."""
    extra_meetings: int
    """Meetings of a pair beyond their first (a pair together three times counts 2)."""
    chair_clashes: int
    """Pairs of table chairs at one table in one round."""
    tables_without_chair: int
    """Table-rounds with no chair, counted over all rounds."""


def capacities(n: int, tables: Sequence[int], offset: int = 0) -> dict[int, int]:
    """Even table sizes for ``n`` people; the larger tables rotate with ``offset``."""
    base, extra = divmod(n, len(tables))
    order = list(tables)
    order = order[offset % len(order) :] + order[: offset % len(order)]
    return {t: base + (1 if i < extra else 0) for i, t in enumerate(order)}


class _Planner:
    def __init__(
        self,
        people: Sequence[Seat],
        tables: Sequence[int],
        rounds: int,
        rotate: bool,
        fixed: Mapping[tuple[int, int], int],
        rng: random.Random,
    ) -> None:
        self.people = {p.id: p for p in people}
        self.tables = list(tables)
        self.rounds = rounds
        self.rotate = rotate
        self.fixed = fixed
        self.rng = rng
        self.org_size = Counter(p.organisation for p in people if p.organisation)
        self.plan: list[RoundPlan] = [{} for _ in range(rounds)]
        self.members: list[dict[int, set[int]]] = [
            {t: set() for t in self.tables} for _ in range(rounds)
        ]

    def pair_cost(self, r: int, a: int, b: int) -> int:
        pa, pb = self.people[a], self.people[b]
        cost = 0
        if pa.organisation and pa.organisation == pb.organisation:
            cost += ORG_WEIGHT
        if pa.chair and pb.chair:
            cost += CHAIR_WEIGHT
        if pa.spread and pb.spread:
            cost += SPREAD_WEIGHT
        if self.rotate:
            for other in range(self.rounds):
                if other != r:
                    ta = self.plan[other].get(a)
                    if ta is not None and ta == self.plan[other].get(b):
                        cost += REPEAT_WEIGHT
        return cost

    def cost_at(self, r: int, person: int, table: int, without: int | None = None) -> int:
        return sum(
            self.pair_cost(r, person, o)
            for o in self.members[r][table]
            if o != person and o != without
        )

    def place(self, r: int, person: int, table: int) -> None:
        old = self.plan[r].get(person)
        if old is not None:
            self.members[r][old].discard(person)
        self.plan[r][person] = table
        self.members[r][table].add(person)

    def build_round(self, r: int) -> None:
        ids = list(self.people)
        pinned = {pid: t for (rr, pid), t in self.fixed.items() if rr == r and pid in self.people}
        caps = capacities(len(ids), self.tables, offset=r)
        for pid, table in pinned.items():
            self.place(r, pid, table)
        movable = [pid for pid in ids if pid not in pinned]
        self.rng.shuffle(movable)
        # Largest organisations first: they are the hardest to spread.
        movable.sort(
            key=lambda pid: (
                -self.people[pid].chair,
                -self.org_size.get(self.people[pid].organisation, 0),
            )
        )
        for pid in movable:
            free = [t for t in self.tables if len(self.members[r][t]) < caps[t]]
            if not free:
                free = self.tables
            best = min(
                free,
                key=lambda t: (self.cost_at(r, pid, t), len(self.members[r][t]), self.rng.random()),
            )
            self.place(r, pid, best)

    def improve_round(self, r: int, max_passes: int = 20) -> bool:
        movable = [pid for pid in self.people if (r, pid) not in self.fixed]
        changed_any = False
        for _ in range(max_passes):
            changed = False
            self.rng.shuffle(movable)
            for a, b in combinations(movable, 2):
                ta, tb = self.plan[r][a], self.plan[r][b]
                if ta == tb:
                    continue
                before = self.cost_at(r, a, ta) + self.cost_at(r, b, tb)
                if before == 0:
                    continue
                after = self.cost_at(r, a, tb, without=b) + self.cost_at(r, b, ta, without=a)
                if after < before:
                    self.place(r, a, tb)
                    self.place(r, b, ta)
                    changed = changed_any = True
            if not changed:
                break
        return changed_any

    def hard_clashes(self) -> int:
        """Pairs of one organisation, or of two chairs, at one table, over all rounds."""
        count = 0
        for r in range(self.rounds):
            for members in self.members[r].values():
                for a, b in combinations(members, 2):
                    pa, pb = self.people[a], self.people[b]
                    same_org = pa.organisation and pa.organisation == pb.organisation
                    count += bool(same_org or (pa.chair and pb.chair))
        return count

    def total_cost(self) -> int:
        total = 0
        for r in range(self.rounds):
            for members in self.members[r].values():
                for a, b in combinations(sorted(members), 2):
                    total += self.pair_cost(r, a, b)
        return total


def plan_seating(
    people: Sequence[Seat],
    tables: Sequence[int],
    rounds: int,
    *,
    rotate: bool = True,
    seed: int = 0,
    fixed: Mapping[tuple[int, int], int] | None = None,
    restarts: int = 4,
) -> list[RoundPlan]:
    """Seat ``people`` at ``tables`` for ``rounds`` rounds.

    Args:
        people: who to seat.
        tables: the table numbers.
        rounds: how many rounds (at least one).
        rotate: move people between rounds, keeping repeated pairs low; without
            it everyone keeps the table of the first round.
        seed: the same seed gives the same plan.
        fixed: ``(round index, person id) → table`` placements that must stay
            (manual moves, pinned table chairs).
        restarts: how many seeded attempts to make; the cheapest plan wins.

    Returns:
        One ``person id → table`` mapping per round.
    """
    if not tables:
        raise ValueError("no tables to seat people at")
    fixed = dict(fixed or {})
    best: _Planner | None = None
    best_cost = 0
    for attempt in range(max(1, restarts)):
        rng = random.Random(f"{seed}:{attempt}")
        planner = _Planner(people, tables, rounds, rotate, fixed, rng)
        if rotate:
            for r in range(rounds):
                planner.build_round(r)
                planner.improve_round(r)
            for _sweep in range(3):  # later rounds changed the cost of earlier ones
                if not any(planner.improve_round(r) for r in range(rounds)):
                    break
        else:
            planner.build_round(0)
            planner.improve_round(0)
            for r in range(1, rounds):
                for pid, table in planner.plan[0].items():
                    planner.place(r, pid, fixed.get((r, pid), table))
        cost = planner.total_cost()
        if best is None or cost < best_cost:
            best, best_cost = planner, cost
        if planner.hard_clashes() == 0:
            break  # restarts only ever fight clashes; repeated pairs are already low
    assert best is not None
    return best.plan


def random_seating(
    people: Sequence[Seat],
    tables: Sequence[int],
    rounds: int,
    *,
    seed: int = 0,
) -> list[RoundPlan]:
    """A baseline: chairs one per table, everyone else shuffled into even tables each round."""
    rng = random.Random(seed)
    plans: list[RoundPlan] = []
    chairs = [p.id for p in people if p.chair][: len(tables)]
    for r in range(rounds):
        caps = capacities(len(people), tables, offset=r)
        plan: RoundPlan = {}
        for pid, table in zip(chairs, tables, strict=False):
            plan[pid] = table
            caps[table] -= 1
        seats = [t for t in tables for _ in range(max(0, caps[t]))]
        rest = [p.id for p in people if p.id not in plan]
        rng.shuffle(seats)
        for pid, table in zip(rest, seats, strict=False):
            plan[pid] = table
        plans.append(plan)
    return plans


def quality(people: Sequence[Seat], plans: Sequence[RoundPlan]) -> Quality:
    """Count organisation clashes, repeated pairs and chair problems in ``plans``."""
    by_id = {p.id: p for p in people}
    org = chair = missing = 0
    meetings: Counter[tuple[int, int]] = Counter()
    for plan in plans:
        tables: dict[int, list[int]] = {}
        for pid, table in plan.items():
            tables.setdefault(table, []).append(pid)
        for members in tables.values():
            orgs = Counter(by_id[m].organisation for m in members if by_id[m].organisation)
            org += sum(c * (c - 1) // 2 for c in orgs.values())
            chairs = sum(1 for m in members if by_id[m].chair)
            chair += chairs * (chairs - 1) // 2
            missing += chairs == 0
            for a, b in combinations(sorted(members), 2):
                meetings[(a, b)] += 1
    repeated = sum(1 for c in meetings.values() if c > 1)
    extra = sum(c - 1 for c in meetings.values() if c > 1)
    return Quality(org, repeated, extra, chair, missing)


def unavoidable_org_clashes(people: Sequence[Seat], n_tables: int, rounds: int) -> int:
    """The fewest organisation clashes any plan can have (tables assumed big enough)."""
    total = 0
    for size in Counter(p.organisation for p in people if p.organisation).values():
        q, r = divmod(size, n_tables)
        total += r * (q + 1) * q // 2 + (n_tables - r) * q * (q - 1) // 2
    return total * rounds
