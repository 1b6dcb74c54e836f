"""The prepared database the hostile lab copies for every input, and its summary line.

The database holds the ``skills`` session with notes at every table (tags, an
edit, a delete) and a typing draft; the :class:`~hostile.classes.World` holds its
bundle and the bundle of another laptop's session, for checksum-valid mutations.
After the run, the terminal summary prints how many hostile inputs were tried
and how each class fared.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from dialoog.history.bundle import build_bundle
from dialoog.plans import find_plan
from dialoog.storage import Store
from hostile.classes import LAPTOP, SESSION, World
from hostile.harness import STATS, Lab

NOTES = (
    "!Meer stageplekken in het mbo #stage",
    '"Leren is leuk," zei een docent.',
    "?Wie betaalt een leven lang leren",
    "Samenwerking school en bedrijf #knelpunt",
    "De Techniekfabriek in Enschede #voorbeeld",
    "Crème brûlée, naïef, reünie — 日本語 🙂",
    "Regel één\nRegel twee",
    "onderwijs en arbeidsmarkt #actie",
)


def _fill(store: Store, session_id: str, count: int) -> None:
    store.create_session(find_plan("skills"), session_id=session_id)
    ids = []
    for n in range(count):
        note = store.add_typed_note(
            session_id, table=1 + n % 8, item=3 + n % 2, raw=f"{NOTES[n % len(NOTES)]} {n}"
        )
        ids.append(note.id)
    store.edit_typed_note(ids[0], "Bewerkte notitie over onderwijs")
    store.delete_note(ids[1])
    store.save_draft(session_id, 2, "half getypt", item=3)


@pytest.fixture(scope="session")
def world_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The prepared database (closed) and the bundles the strategies mutate."""
    folder = tmp_path_factory.mktemp("hostile-world")
    template = folder / "template.db"
    with Store.open(template) as store:
        _fill(store, SESSION, 24)
        bundle = build_bundle(store, SESSION)
    with Store.open(folder / "laptop.db") as store:
        _fill(store, LAPTOP, 10)
        laptop = build_bundle(store, LAPTOP)
    return template, World(bundle=bundle, laptop_bundle=laptop)


@pytest.fixture
def world(world_files: tuple[Path, World]) -> World:
    """The bundles of the prepared database and of another laptop."""
    return world_files[1]


#: Copies of the database live in memory when they can: every accepted note is an
#: fsync (synchronous=FULL), and on a shared disk the waits, not the work, take the time.
MEMORY_DIR = Path("/dev/shm")


@pytest.fixture
def lab(world_files: tuple[Path, World], tmp_path: Path):
    """A lab that runs cases against copies of the prepared database."""
    if MEMORY_DIR.is_dir() and os.access(MEMORY_DIR, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="dialoog-hostile-", dir=MEMORY_DIR))
        try:
            yield Lab(folder, world_files[0])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        yield Lab(tmp_path / "lab", world_files[0])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The count of hostile inputs, per class, with the first failures of each."""
    if STATS.by_class:
        terminalreporter.section("hostile inputs")
        terminalreporter.write_line(STATS.table())
        terminalreporter.write_line(STATS.summary())
