"""Fixtures of the ``dialoog serve`` tests: a database with a ten-table session, served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_client import Served, start_server

from dialoog.models import Table
from dialoog.plans import find_plan
from dialoog.storage import Store


@pytest.fixture
def room_db(tmp_path: Path) -> tuple[Path, str]:
    """A database holding one session with ten tables (the SER's largest rooms); its id."""
    db = tmp_path / "room.db"
    plan = find_plan("skills")
    plan = plan.model_copy(
        update={"tables": [Table(number=n, name=f"Tafel {n}") for n in range(1, 11)]}
    )
    with Store.open(db) as store:
        session = store.create_session(plan)
    return db, session.id


@pytest.fixture
def served(room_db: tuple[Path, str]) -> Iterator[Served]:
    """``dialoog serve`` of the ten-table session, on a free loopback port."""
    db, session = room_db
    server = start_server(db, session)
    try:
        yield server
    finally:
        server.stop()
