"""Nothing lost through the browser: many chairs at once, a dropped connection (issue 10).

Every count is read by a fresh process after the fact, never by the server.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import aiohttp
import pytest
from serve_client import Served, Tab, eventually, fresh_rows, notes_of

pytestmark = pytest.mark.asyncio


async def _chairs_type_notes(served: Served, chairs: int, notes: int) -> None:
    """``chairs`` tabs, one per table, each saving ``notes`` numbered notes; all checked."""
    async with aiohttp.ClientSession() as http:
        tables = list(range(1, chairs + 1))
        tabs = [await Tab(http, served.ws_url(served.links[f"table-{t}"])).open() for t in tables]
        for table, tab in zip(tables, tabs, strict=True):
            await tab.wait_for(f"Table {table}")

        async def chair(table: int, tab: Tab) -> None:
            for n in range(notes):
                await tab.type(f"tafel {table} notitie {n} over leren")
                await tab.type("\r")
                await asyncio.sleep(0.01)

        await asyncio.gather(*(chair(t, tab) for t, tab in zip(tables, tabs, strict=True)))
        want = chairs * notes
        await eventually(lambda: len(notes_of(served.db, served.session)) >= want, timeout=300)
        await asyncio.sleep(2)  # a note saved twice would show by now
        for tab in tabs:
            await tab.close()
    found = Counter(notes_of(served.db, served.session))
    expected = {(t, f"tafel {t} notitie {n} over leren") for t in tables for n in range(notes)}
    assert set(found) == expected
    assert [row for row, count in found.items() if count > 1] == []
    assert sum(found.values()) == want


async def test_three_chairs_save_twenty_notes_each(served: Served) -> None:
    await _chairs_type_notes(served, 3, 20)


@pytest.mark.slow
async def test_ten_chairs_save_two_hundred_notes_each(served: Served) -> None:
    """The issue's load: 2,000 notes through ten connections, none lost, none doubled."""
    await _chairs_type_notes(served, 10, 200)


async def test_a_dropped_connection_gets_its_half_typed_text_back(served: Served) -> None:
    token = served.links["table-5"]
    async with aiohttp.ClientSession() as http:
        tab = await Tab(http, served.ws_url(token)).open()
        await tab.wait_for("Table 5")
        await tab.type("Half getypt, de wifi valt weg")
        await tab.wait_for("Half getypt, de wifi valt weg")
        # The capture screen keeps typing as a draft within a second of the last key.
        assert await eventually(
            lambda: (
                fresh_rows(
                    served.db,
                    "SELECT text FROM typing_drafts WHERE session_id = ? AND table_no = 5",
                    served.session,
                )
                == [("Half getypt, de wifi valt weg",)]
            ),
            timeout=30,
        )
        await tab.drop()
        # The server notices the lost connection and ends the app process.
        assert await eventually(lambda: not served.app_processes(), timeout=60)
        again = await Tab(http, served.ws_url(token)).open()
        await again.wait_for("Half getypt, de wifi valt weg")
        await again.type(" maar niets is weg\r")
        assert await eventually(
            lambda: (
                (5, "Half getypt, de wifi valt weg maar niets is weg")
                in notes_of(served.db, served.session)
            ),
            timeout=30,
        )
        await again.close()


async def test_two_tabs_on_one_table_see_each_others_notes(served: Served) -> None:
    """A note saved in one tab shows in the other tab of the same table (its 1 s count poll)."""
    url = served.ws_url(served.links["table-6"])
    async with aiohttp.ClientSession() as http:
        first = await Tab(http, url).open()
        second = await Tab(http, url).open()
        await first.wait_for("Table 6")
        await second.wait_for("Table 6")
        await asyncio.sleep(3)  # both have read their table (a later read would show the note)
        await first.type("Geschreven in het eerste tabblad\r")
        await first.wait_for("Geschreven in het eerste tabblad")
        # The issue asks for two seconds; the margin is for a loaded test machine.
        await second.wait_for("Geschreven in het eerste tabblad", timeout=10)
        await first.close()
        await second.close()


async def test_three_tables_notes_reach_the_chair_of_the_days_overview(served: Served) -> None:
    """The issue's "done when": three tables type, the chair of the day's overview shows it."""
    async with aiohttp.ClientSession() as http:
        chair = await Tab(http, served.ws_url(served.links["chair"])).open()
        await chair.wait_for("o overview")
        await asyncio.sleep(1)
        await chair.type("o")
        tables = [
            await Tab(http, served.ws_url(served.links[f"table-{t}"])).open() for t in (1, 2, 3)
        ]
        for number, tab in enumerate(tables, 1):
            await tab.wait_for(f"Table {number}")
        for number, tab in enumerate(tables, 1):
            await tab.type(f"Overzicht tafel {number} ziet dit\r")
        # The overview reads every two seconds; the margin is for a loaded test machine.
        for number in (1, 2, 3):
            await chair.wait_for(f"Overzicht tafel {number} ziet dit", timeout=15)
        for tab in [chair, *tables]:
            await tab.close()
