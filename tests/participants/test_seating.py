"""Seating: clashes and repeated pairs against random assignment, manual moves, fast costs."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from dialoog.participants.seating import (
    CHAIR_WEIGHT,
    ORG_WEIGHT,
    REPEAT_WEIGHT,
    SPREAD_WEIGHT,
    Planner,
    Seat,
    plan_seating,
    quality,
    random_seating,
    unavoidable_org_clashes,
)

TABLES = list(range(1, 9))


def population(n: int, organisations: int, chairs: int, seed: int = 0) -> list[Seat]:
    """``n`` people from ``organisations`` organisations of uneven size (at most 8 each)."""
    rng = random.Random(seed)
    orgs = [f"org{i}" for i in range(organisations)] * 8
    rng.shuffle(orgs)
    sizes = Counter(orgs[:n])
    names = [o for o, c in sizes.items() for _ in range(c)]
    people = [Seat(i + 1, org) for i, org in enumerate(names)]
    for i in rng.sample(range(n), chairs):
        people[i] = Seat(people[i].id, people[i].organisation, chair=True)
    return people


def test_sixty_people_beat_random_assignment() -> None:
    people = population(60, 25, chairs=8)
    ours = [quality(people, plan_seating(people, TABLES, 3, seed=s)) for s in range(3)]
    rand = [quality(people, random_seating(people, TABLES, 3, seed=s)) for s in range(3)]
    assert max(q.org_clashes for q in ours) == 0
    assert statistics.median(q.org_clashes for q in rand) > 0
    assert statistics.median(q.repeated_pairs for q in ours) < statistics.median(
        q.repeated_pairs for q in rand
    )
    assert all(q.chair_clashes == 0 and q.tables_without_chair == 0 for q in ours)


def test_150_people_three_rounds_clash_free_when_possible() -> None:
    people = population(150, 40, chairs=8, seed=3)
    assert max(Counter(p.organisation for p in people).values()) <= len(TABLES)
    assert unavoidable_org_clashes(people, len(TABLES), 3) == 0
    plans = plan_seating(people, TABLES, 3, rotate=True, seed=1)
    assert quality(people, plans).org_clashes == 0
    for plan in plans:
        sizes = Counter(plan.values())
        assert max(sizes.values()) - min(sizes.values()) <= 1
        assert set(plan) == {p.id for p in people}


def test_as_few_clashes_as_possible_when_some_are_unavoidable() -> None:
    people = [Seat(i, "SER" if i < 11 else f"org{i % 9}") for i in range(40)]
    floor = unavoidable_org_clashes(people, len(TABLES), 2)
    assert floor > 0
    assert quality(people, plan_seating(people, TABLES, 2, seed=0)).org_clashes == floor


def test_without_rotation_everyone_keeps_their_table() -> None:
    people = population(30, 12, chairs=4)
    plans = plan_seating(people, TABLES, 3, rotate=False, seed=2)
    assert plans[0] == plans[1] == plans[2]


def test_manual_moves_and_pinned_chairs_win() -> None:
    people = population(40, 15, chairs=0)
    somebody, other = people[0].id, people[1].id
    fixed = {(0, somebody): 5, (1, somebody): 5, (1, other): 5}
    plans = plan_seating(people, TABLES, 2, seed=4, fixed=fixed)
    assert plans[0][somebody] == 5 and plans[1][somebody] == 5 and plans[1][other] == 5


def test_same_seed_same_plan() -> None:
    people = population(60, 25, chairs=8)
    assert plan_seating(people, TABLES, 3, seed=7) == plan_seating(people, TABLES, 3, seed=7)


def test_committee_members_spread_over_tables() -> None:
    people = [Seat(i, f"org{i}", spread=i < 8) for i in range(48)]
    plan = plan_seating(people, TABLES, 1, seed=0)[0]
    assert len({plan[i] for i in range(8)}) == 8


# -- the search's cost bookkeeping and guarantees (issue 14, item 5) ---------------


def reference_cost(people: list[Seat], plans: list[dict[int, int]], rotate: bool) -> int:
    """The plan cost as the module docstring states it, pair by pair."""
    by_id = {p.id: p for p in people}
    meetings: Counter[tuple[int, int]] = Counter()
    total = 0
    for plan in plans:
        at: dict[int, list[int]] = {}
        for pid, table in plan.items():
            at.setdefault(table, []).append(pid)
        for members in at.values():
            for a, b in combinations(sorted(members), 2):
                pa, pb = by_id[a], by_id[b]
                meetings[(a, b)] += 1
                total += ORG_WEIGHT * bool(pa.organisation and pa.organisation == pb.organisation)
                total += CHAIR_WEIGHT * (pa.chair and pb.chair)
                total += SPREAD_WEIGHT * (pa.spread and pb.spread)
    if rotate:
        total += sum(REPEAT_WEIGHT * k * (k - 1) for k in meetings.values())
    return total


@st.composite
def seating_cases(draw: st.DrawFn) -> tuple[list[Seat], list[int], int, bool, int]:
    n = draw(st.integers(2, 30))
    orgs = draw(st.integers(1, 6))
    people = [
        Seat(
            i + 1,
            draw(st.sampled_from([None, *(f"org{k}" for k in range(orgs))])),
            chair=draw(st.booleans()),
            spread=draw(st.booleans()),
        )
        for i in range(n)
    ]
    tables = list(range(1, draw(st.integers(2, 6)) + 1))
    return people, tables, draw(st.integers(1, 3)), draw(st.booleans()), draw(st.integers(0, 99))


@settings(max_examples=150, deadline=None)
@given(seating_cases(), st.randoms(use_true_random=False))
def test_swap_delta_equals_full_recomputation(case, rnd: random.Random) -> None:
    people, tables, rounds, rotate, seed = case
    planner = Planner(people, tables, rounds, rotate, {}, random.Random(seed))
    for r in range(rounds):
        planner.focus(r)
        planner.build_round(r)
    assert planner.total_cost() == reference_cost(people, planner.plans(), rotate)
    for _ in range(25):
        r = rnd.randrange(rounds)
        planner.focus(r)
        a, b = rnd.randrange(len(people)), rnd.randrange(len(people))
        before = planner.total_cost()
        delta = planner.swap_delta(a, b)
        planner.swap(a, b)
        assert planner.total_cost() - before == delta
        assert planner.total_cost() == reference_cost(people, planner.plans(), rotate)
        # The counters the search keeps must match a fresh focus on the same plan.
        cached = [dict(+row) for row in planner.rep]
        planner.focus(r)
        assert cached == [dict(+row) for row in planner.rep]


@settings(max_examples=60, deadline=None)
@given(seating_cases())
def test_everyone_seated_once_at_even_tables(case) -> None:
    people, tables, rounds, rotate, seed = case
    plans = plan_seating(people, tables, rounds, rotate=rotate, seed=seed)
    assert len(plans) == rounds
    for plan in plans:
        assert set(plan) == {p.id for p in people}
        assert set(plan.values()) <= set(tables)
        sizes = [list(plan.values()).count(t) for t in tables]
        assert max(sizes) - min(sizes) <= 1


def test_same_seed_same_plan_with_manual_moves_at_scale() -> None:
    people = population(200, 40, chairs=0, seed=5)
    tables = list(range(1, 26))
    fixed = {(1, people[0].id): 3, (2, people[1].id): 3}
    first = plan_seating(people, tables, 3, seed=11, fixed=fixed)
    assert first == plan_seating(people, tables, 3, seed=11, fixed=fixed)
    assert first != plan_seating(people, tables, 3, seed=12, fixed=fixed)


def test_manual_placements_win_even_when_they_clash_and_overfill() -> None:
    people = [Seat(i, "SER" if i < 6 else f"org{i}") for i in range(24)]
    fixed = {(r, i): 2 for r in range(2) for i in range(6)}  # six of one organisation at table 2
    plans = plan_seating(people, [1, 2, 3, 4], 2, seed=0, fixed=fixed)
    for plan in plans:
        assert all(plan[i] == 2 for i in range(6))
        assert set(plan) == {p.id for p in people}
        # Nobody else is sent to the overfilled table.
        assert Counter(plan.values())[2] == 6


def test_120_people_clash_free_and_better_than_random() -> None:
    people = population(120, 25, chairs=15, seed=8)
    tables = list(range(1, 16))
    assert unavoidable_org_clashes(people, len(tables), 3) == 0
    chairs = [p.id for p in people if p.chair]
    fixed = {(r, pid): t for r in range(3) for pid, t in zip(chairs, tables, strict=True)}
    for seed in range(3):
        ours = quality(people, plan_seating(people, tables, 3, seed=seed, fixed=fixed))
        rand = quality(people, random_seating(people, tables, 3, seed=seed))
        assert ours.org_clashes == 0 and ours.chair_clashes == 0
        assert ours.tables_without_chair == 0
        assert ours.repeated_pairs <= rand.repeated_pairs // 4


def test_progress_counts_up_to_the_total() -> None:
    people = population(60, 25, chairs=0)
    calls: list[tuple[int, int]] = []
    plan_seating(
        people, TABLES, 3, seed=1, progress=lambda done, total: calls.append((done, total))
    )
    assert calls and calls[-1][0] == calls[-1][1]
    assert len({total for _done, total in calls}) == 1
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


@settings(max_examples=40, deadline=None)
@given(seating_cases())
def test_polishing_never_costs_more_and_keeps_counters_right(case) -> None:
    people, tables, rounds, _rotate, seed = case
    fixed = {(0, people[0].id): tables[-1]}
    planner = Planner(people, tables, rounds, True, fixed, random.Random(seed))
    for r in range(rounds):
        planner.focus(r)
        planner.build_round(r)
    before = planner.total_cost()
    planner.polish(20_000)
    assert planner.total_cost() <= before
    assert planner.total_cost() == reference_cost(people, planner.plans(), True)
    assert planner.plans()[0][people[0].id] == tables[-1]
    cached = [dict(+row) for row in planner.rep]
    planner.focus(planner.cur)
    assert cached == [dict(+row) for row in planner.rep]
    for r in range(rounds):
        for t, members in enumerate(planner.members[r]):
            orgs = Counter(planner.org[i] for i in members if planner.org[i] >= 0)
            assert +planner.org_count[r][t] == orgs
            assert planner.chairs[r][t] == sum(planner.chair[i] for i in members)
