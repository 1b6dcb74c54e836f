"""Seating: organisation clashes and repeated pairs against random assignment, manual moves."""

from __future__ import annotations

import random
import statistics
from collections import Counter

from dialoog.participants.seating import (
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
