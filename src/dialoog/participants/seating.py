"""Seating people at dialogue tables for one or more rounds.

The cost of a plan, in order of weight, summed over rounds and tables:

* two people of one organisation at a table in a round (1000 per pair),
* two table chairs at one table (1000 per pair; chairs are normally pinned),
* a pair who also sat together in another round (10 per other round, counted
  in every round they meet: a pair together k times costs 10·k·(k-1); only
  when rotating, World Café style),
* two committee members at one table (3 per pair), so they spread out.

The algorithm, per seeded attempt:

1. Greedy construction, round by round: pinned people first, then table chairs
   and the largest organisations, each to the cheapest table that still has
   room (tables filled evenly: sizes differ by at most one).
2. Local search by swaps of two people at different tables of one round, until
   no swap helps. A swap's cost change is computed in constant time, never by
   recomputing the plan: per table and round the number of people of each
   organisation, of chairs and of committee members; per person, how often they
   sat with each other person in the other rounds, and that summed per table of
   the round being improved. Only people who cost something where they sit are
   tried, and only tables where moving them could help.
3. Later rounds change what earlier rounds cost, so every round is improved
   again (a few sweeps) until no sweep helps.

A new attempt (another seed) is made only while the plan has more
organisation or chair clashes than the fewest any plan can have, at most
``restarts`` attempts; the cheapest plan wins. When rotating, that plan is
then polished by iterated local search: a few random swaps of people who cost
something in one round, the swap search again, and the result kept unless it
costs more; it stops when the plan costs nothing or after a budget of work
that grows with the number of people (counted in swaps looked at, not in
seconds, so that the same seed gives the same plan). Time grows roughly with
the number of people times the tables tried per person, not with its square.

Manual placements always win, even where they overfill a table. The same
seed gives the same plan.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

ORG_WEIGHT = 1000
CHAIR_WEIGHT = 1000
REPEAT_WEIGHT = 10
SPREAD_WEIGHT = 3

#: Sweeps over all rounds after construction (later rounds change earlier rounds' cost).
MAX_SWEEPS = 4
#: Passes of the swap search over one round.
MAX_PASSES = 30
#: Work (about one unit per swap looked at) spent polishing a plan, per person seated.
POLISH_WORK_PER_PERSON = 4000
#: At most this much polishing work in all.
POLISH_WORK_MAX = 2_000_000
#: Random swaps per kick, and kicks per round in focus, when polishing.
KICK_SWAPS = 2
KICKS_PER_FOCUS = 20

#: One round's plan: person id → table number.
RoundPlan = dict[int, int]

#: Called as ``progress(done, total)`` while planning; ``done == total`` at the end.
Progress = Callable[[int, int], None]


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


class Planner:
    """The search state of one attempt: who sits where, with counters for fast costs.

    People and tables are numbered from 0 internally. One round at a time is
    *in focus* (:meth:`focus`); :meth:`cost_at` and :meth:`swap_delta` are about
    that round.
    """

    def __init__(
        self,
        people: Sequence[Seat],
        tables: Sequence[int],
        rounds: int,
        rotate: bool,
        fixed: Mapping[tuple[int, int], int],
        rng: random.Random,
    ) -> None:
        self.ids = [p.id for p in people]
        index = {pid: i for i, pid in enumerate(self.ids)}
        org_ids: dict[str, int] = {}
        self.org = [
            org_ids.setdefault(p.organisation, len(org_ids)) if p.organisation else -1
            for p in people
        ]
        self.chair = [p.chair for p in people]
        self.spread = [p.spread for p in people]
        self.org_size = Counter(o for o in self.org if o >= 0)
        self.tables = list(tables)
        n_tables = len(self.tables)
        tindex = {t: i for i, t in enumerate(self.tables)}
        self.rounds = rounds
        self.rotate = rotate
        self.rng = rng
        # Placements for people or tables this plan does not know cannot be kept.
        self.fixed: list[dict[int, int]] = [{} for _ in range(rounds)]
        for (r, pid), table in fixed.items():
            if 0 <= r < rounds and pid in index and table in tindex:
                self.fixed[r][index[pid]] = tindex[table]
        n = len(self.ids)
        self.table_of = [[-1] * n for _ in range(rounds)]
        self.members: list[list[set[int]]] = [
            [set() for _ in range(n_tables)] for _ in range(rounds)
        ]
        self.org_count: list[list[Counter[int]]] = [
            [Counter() for _ in range(n_tables)] for _ in range(rounds)
        ]
        self.chairs = [[0] * n_tables for _ in range(rounds)]
        self.spreads = [[0] * n_tables for _ in range(rounds)]
        self.cur = 0
        self.work = 0
        # For the round in focus: meetings with each other person in the other
        # rounds, and those summed per table of the round in focus.
        self.other: list[dict[int, int]] = [{} for _ in range(n)]
        self.rep: list[Counter[int]] = [Counter() for _ in range(n)]

    # -- state --------------------------------------------------------------

    def place(self, r: int, i: int, t: int) -> None:
        """Seat person ``i`` at table ``t`` in round ``r``, keeping every counter right."""
        old = self.table_of[r][i]
        if old == t:
            return
        org, chair, spread = self.org[i], self.chair[i], self.spread[i]
        if old >= 0:
            self.members[r][old].discard(i)
            if org >= 0:
                self.org_count[r][old][org] -= 1
            self.chairs[r][old] -= chair
            self.spreads[r][old] -= spread
        self.table_of[r][i] = t
        self.members[r][t].add(i)
        if org >= 0:
            self.org_count[r][t][org] += 1
        self.chairs[r][t] += chair
        self.spreads[r][t] += spread
        if r == self.cur:
            rep = self.rep
            for o, c in self.other[i].items():
                if old >= 0:
                    rep[o][old] -= c
                rep[o][t] += c

    def focus(self, r: int) -> None:
        """Make round ``r`` the one whose costs :meth:`cost_at` and :meth:`swap_delta` give."""
        self.cur = r
        n = len(self.ids)
        other: list[dict[int, int]] = [{} for _ in range(n)]
        if self.rotate:
            for rr in range(self.rounds):
                if rr == r:
                    continue
                for members in self.members[rr]:
                    for a, b in combinations(members, 2):
                        other[a][b] = other[a].get(b, 0) + 1
                        other[b][a] = other[b].get(a, 0) + 1
        self.other = other
        table_of = self.table_of[r]
        rep: list[Counter[int]] = [Counter() for _ in range(n)]
        for i in range(n):
            row = rep[i]
            for o, c in other[i].items():
                t = table_of[o]
                if t >= 0:
                    row[t] += c
        self.rep = rep

    # -- costs (round in focus) ---------------------------------------------

    def cost_at(self, i: int, t: int) -> int:
        """What person ``i`` costs with the others at table ``t`` (the total's change
        when ``i`` joins ``t``; when ``i`` sits there, what leaving would save)."""
        r = self.cur
        own = self.table_of[r][i] == t
        cost = 0
        org = self.org[i]
        if org >= 0:
            cost += ORG_WEIGHT * (self.org_count[r][t][org] - own)
        if self.chair[i]:
            cost += CHAIR_WEIGHT * (self.chairs[r][t] - own)
        if self.spread[i]:
            cost += SPREAD_WEIGHT * (self.spreads[r][t] - own)
        # A pair together k times costs REPEAT_WEIGHT·k·(k-1): one meeting more adds
        # 2·REPEAT_WEIGHT per meeting in the other rounds.
        return cost + 2 * REPEAT_WEIGHT * self.rep[i][t]

    def pair_cost(self, a: int, b: int) -> int:
        """What ``a`` and ``b`` at one table add to the round in focus."""
        cost = 0
        if self.org[a] >= 0 and self.org[a] == self.org[b]:
            cost += ORG_WEIGHT
        if self.chair[a] and self.chair[b]:
            cost += CHAIR_WEIGHT
        if self.spread[a] and self.spread[b]:
            cost += SPREAD_WEIGHT
        return cost + 2 * REPEAT_WEIGHT * self.other[a].get(b, 0)

    def swap_delta(self, a: int, b: int) -> int:
        """The change of :meth:`total_cost` if ``a`` and ``b`` swap tables in the round in focus."""
        table_of = self.table_of[self.cur]
        ta, tb = table_of[a], table_of[b]
        if ta == tb:
            return 0
        pab = self.pair_cost(a, b)
        return (
            self.cost_at(a, tb)
            - self.cost_at(a, ta)
            + self.cost_at(b, ta)
            - self.cost_at(b, tb)
            - 2 * pab
        )

    def swap(self, a: int, b: int) -> None:
        """Swap the tables of ``a`` and ``b`` in the round in focus."""
        r = self.cur
        ta, tb = self.table_of[r][a], self.table_of[r][b]
        self.place(r, a, tb)
        self.place(r, b, ta)

    def total_cost(self) -> int:
        """The plan's cost, recomputed from scratch (pair by pair)."""
        meetings: Counter[tuple[int, int]] = Counter()
        total = 0
        for r in range(self.rounds):
            for members in self.members[r]:
                for a, b in combinations(sorted(members), 2):
                    meetings[(a, b)] += 1
                    if self.org[a] >= 0 and self.org[a] == self.org[b]:
                        total += ORG_WEIGHT
                    if self.chair[a] and self.chair[b]:
                        total += CHAIR_WEIGHT
                    if self.spread[a] and self.spread[b]:
                        total += SPREAD_WEIGHT
        if self.rotate:
            total += sum(REPEAT_WEIGHT * k * (k - 1) for k in meetings.values())
        return total

    def hard_clashes(self) -> int:
        """Pairs of one organisation, and pairs of chairs, at one table, over all rounds."""
        count = 0
        for r in range(self.rounds):
            for t in range(len(self.tables)):
                count += sum(c * (c - 1) // 2 for c in self.org_count[r][t].values())
                count += self.chairs[r][t] * (self.chairs[r][t] - 1) // 2
        return count

    # -- search ---------------------------------------------------------------

    def build_round(self, r: int) -> None:
        """Greedy construction of round ``r`` (focus it first)."""
        n_tables = len(self.tables)
        caps = capacities(len(self.ids), range(n_tables), offset=r)
        pinned = self.fixed[r]
        for i, t in pinned.items():
            self.place(r, i, t)
        movable = [i for i in range(len(self.ids)) if i not in pinned]
        self.rng.shuffle(movable)
        # Chairs and the largest organisations first: they are the hardest to spread.
        movable.sort(key=lambda i: (-self.chair[i], -self.org_size.get(self.org[i], 0)))
        members = self.members[r]
        rnd = self.rng.random
        for i in movable:
            free = [t for t in range(n_tables) if len(members[t]) < caps[t]]
            best = min(
                free or range(n_tables),
                key=lambda t: (self.cost_at(i, t), len(members[t]), rnd()),
            )
            self.place(r, i, best)

    def improve_round(self, r: int) -> bool:
        """Swap people of round ``r`` until no swap lowers the cost; True if any did."""
        self.focus(r)
        return self.descend() < 0

    def movable(self) -> list[int]:
        """People of the round in focus whom the search may move."""
        pinned = self.fixed[self.cur]
        return [i for i in range(len(self.ids)) if i not in pinned]

    def descend(self) -> int:
        """Swap people of the round in focus until no swap helps; the cost's change."""
        r = self.cur
        pinned = self.fixed[r]
        movable = self.movable()
        table_of = self.table_of[r]
        members = self.members[r]
        order = list(range(len(self.tables)))
        repeat2 = 2 * REPEAT_WEIGHT
        total = 0
        for _ in range(MAX_PASSES):
            changed = False
            bad = [i for i in movable if self.cost_at(i, table_of[i]) > 0]
            self.work += len(movable)
            self.rng.shuffle(bad)
            for a in bad:
                ta = table_of[a]
                here = self.cost_at(a, ta)
                if here <= 0:
                    continue
                org, chair, spread = self.org[a], self.chair[a], self.spread[a]
                rep_a = self.rep[a]
                self.rng.shuffle(order)
                best, best_b = 0, -1
                for t in order:
                    if t == ta:
                        continue
                    there = self.cost_at(a, t)
                    # The most one person at t can cost ``a``; if even leaving that
                    # one out leaves ``a`` no better off, no swap with t helps a
                    # (one that helps its partner is found from the partner's side).
                    bound = 0
                    if org >= 0 and self.org_count[r][t][org]:
                        bound += ORG_WEIGHT
                    if chair and self.chairs[r][t]:
                        bound += CHAIR_WEIGHT
                    if spread and self.spreads[r][t]:
                        bound += SPREAD_WEIGHT
                    if rep_a[t]:
                        bound += repeat2 * rep_a[t]
                    if there - bound >= here:
                        continue
                    self.work += len(members[t])
                    for b in members[t]:
                        if b in pinned:
                            continue
                        pab = self.pair_cost(a, b)
                        gain_a = there - pab - here
                        if gain_a >= 0:
                            continue
                        delta = gain_a + self.cost_at(b, ta) - pab - self.cost_at(b, t)
                        if delta < best:
                            best, best_b = delta, b
                self.work += len(order)
                if best_b >= 0:
                    self.swap(a, best_b)
                    total += best
                    changed = True
            if not changed:
                break
        return total

    def polish(self, budget: int, progress: Callable[[int], None] | None = None) -> None:
        """Iterated local search: kick a round (a few random swaps of people who cost
        something), descend again, keep the result unless it costs more.

        Stops when the plan costs nothing or after ``budget`` units of work (one unit
        is about one swap looked at), so the same seed still gives the same plan.
        """
        self.work = 0
        cost = self.total_cost()
        slices = 10
        reported = 0
        r = -1
        while self.work < budget and cost > 0:
            r = (r + 1) % self.rounds
            self.focus(r)
            movable = self.movable()
            table_of = self.table_of[r]
            for _kick in range(KICKS_PER_FOCUS):
                bad = [i for i in movable if self.cost_at(i, table_of[i]) > 0]
                self.work += len(movable)
                if not bad:
                    break
                before = table_of[:]
                delta = 0
                for _ in range(KICK_SWAPS):
                    a, b = self.rng.choice(bad), self.rng.choice(movable)
                    delta += self.swap_delta(a, b)
                    self.swap(a, b)
                delta += self.descend()
                if delta <= 0:  # equal cost is kept too: it lets the search drift
                    cost += delta
                else:
                    for i in movable:
                        self.place(r, i, before[i])
                if self.work >= budget:
                    break
            while progress is not None and reported < min(slices, slices * self.work // budget):
                reported += 1
                progress(reported)

    def plans(self) -> list[RoundPlan]:
        """The plan as ``person id → table number`` per round."""
        return [
            {self.ids[i]: self.tables[t] for i, t in enumerate(row) if t >= 0}
            for row in self.table_of
        ]


def plan_seating(
    people: Sequence[Seat],
    tables: Sequence[int],
    rounds: int,
    *,
    rotate: bool = True,
    seed: int = 0,
    fixed: Mapping[tuple[int, int], int] | None = None,
    restarts: int = 4,
    progress: Progress | None = None,
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
        restarts: at most this many seeded attempts; a new one is made only
            while clashes exceed the fewest possible. The cheapest plan wins.
        progress: called as ``progress(done, total)`` after each step, and
            with ``done == total`` at the end.

    Returns:
        One ``person id → table`` mapping per round.
    """
    if not tables:
        raise ValueError("no tables to seat people at")
    fixed = dict(fixed or {})
    attempts = max(1, restarts)
    steps = rounds * (1 + MAX_SWEEPS) if rotate else 1
    polish_steps = 10 if rotate else 0
    total = attempts * steps + polish_steps
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    floor = unavoidable_org_clashes(people, len(tables), rounds)
    best: Planner | None = None
    best_cost = 0
    for attempt in range(attempts):
        rng = random.Random(f"{seed}:{attempt}")
        planner = Planner(people, tables, rounds, rotate, fixed, rng)
        done = attempt * steps
        if rotate:
            for r in range(rounds):
                planner.focus(r)
                planner.build_round(r)
                planner.improve_round(r)
                step()
            for _sweep in range(MAX_SWEEPS):
                improved = False
                for r in range(rounds):
                    improved |= planner.improve_round(r)
                    step()
                if not improved:
                    break
        else:
            planner.focus(0)
            planner.build_round(0)
            planner.improve_round(0)
            for r in range(1, rounds):
                for i, t in enumerate(planner.table_of[0]):
                    planner.place(r, i, planner.fixed[r].get(i, t))
            step()
        cost = planner.total_cost()
        if best is None or cost < best_cost:
            best, best_cost = planner, cost
        if planner.hard_clashes() <= floor:
            break  # restarts only ever fight clashes; repeated pairs are already low
    assert best is not None
    if rotate:
        start = attempts * steps
        best.polish(
            min(POLISH_WORK_MAX, POLISH_WORK_PER_PERSON * len(people)),
            None if progress is None else lambda k: progress(start + k, total),
        )
    if progress is not None:
        progress(total, total)
    return best.plans()


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
