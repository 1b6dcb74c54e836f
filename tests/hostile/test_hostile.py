"""Hostile input of every kind, fed to the real entry points (issue 14).

One test per input class (:data:`hostile.classes.CLASSES`): a few thousand
inputs in all in the default run, over 100,000 under ``-m slow``. A class that
fails on today's main is ``xfail`` with the issue-14 bug it hits (not strict):
once the fix lands, its mark can go. ``DIALOOG_HOSTILE_SCALE`` multiplies every
class's count (``0.1`` for a quick look, ``3`` for a longer run).
"""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from hostile.classes import CLASSES, InputClass, World
from hostile.harness import STATS, Lab

SCALE = float(os.environ.get("DIALOOG_HOSTILE_SCALE", "1"))


def _params(slow: bool):
    for c in CLASSES:
        # raises=AssertionError: a verdict of the lab is expected, a bug of the lab is not.
        known = pytest.mark.xfail(reason=c.known, raises=AssertionError, strict=False)
        marks = [known] if c.known else []
        if slow:
            marks.append(pytest.mark.slow)
        yield pytest.param(c, id=c.name, marks=marks)


def explore(lab: Lab, world: World, cls: InputClass, examples: int) -> None:
    """Feed ``examples`` inputs of ``cls`` to its entry point; fail on any bad outcome.

    Every input is counted (outcomes are recorded, not raised, so Hypothesis
    neither stops at the first failure nor spends the run shrinking it).
    """
    counter = itertools.count()

    @settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cls.strategy(world))
    def feed(material: object) -> None:
        n = next(counter)
        case = cls.build(material)
        lab.run(cls.name, case, child=n % cls.child_every == 0, shown=repr(material))

    feed()
    counts = STATS.by_class[cls.name]
    failures = STATS.failures(cls.name)
    assert not failures, (
        f"{cls.name}: {sum(counts.values())} inputs, {dict(counts)}; first failures:\n"
        + "\n".join(failures)
    )


@pytest.mark.parametrize("cls", _params(slow=False))
def test_hostile_inputs(lab: Lab, world: World, cls: InputClass) -> None:
    explore(lab, world, cls, cls.examples)


@pytest.mark.parametrize("cls", _params(slow=True))
def test_hostile_inputs_many(lab: Lab, world: World, cls: InputClass) -> None:
    explore(lab, world, cls, cls.slow_examples)
    print(STATS.summary())


def test_slow_run_tries_100000_inputs() -> None:
    assert sum(c.slow_examples for c in CLASSES) >= 100_000
