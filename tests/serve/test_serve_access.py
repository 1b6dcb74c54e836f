"""``dialoog serve``: a link opens its own screen, and nothing else opens anything (issue 10).

The real server runs in a subprocess on a loopback port; the client speaks
textual-serve's websocket protocol as the browser does. "No app process started"
is checked by counting the server's child processes.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from serve_client import Served, Tab, dialoog, eventually, notes_of

pytestmark = pytest.mark.asyncio


async def test_a_table_link_opens_its_capture_screen_and_a_typed_note_is_saved(
    served: Served,
) -> None:
    async with aiohttp.ClientSession() as http:
        page = await http.get(f"{served.base}/t/{served.links['table-3']}")
        assert page.status == 200
        assert f"/ws/{served.links['table-3']}" in await page.text()
        tab = await Tab(http, served.ws_url(served.links["table-3"])).open()
        await tab.wait_for("Table 3")
        commands = served.app_command_lines()  # the screen shows: the app is running
        assert len(commands) == 1
        assert commands[0][-5:] == ["capture", "--session", served.session, "--table", "3"]
        assert commands[0][commands[0].index("--db") + 1] == str(served.db.resolve())
        await tab.type("Leren op de werkvloer werkt")
        await asyncio.sleep(0.3)
        await tab.type("\r")
        saved = await eventually(
            lambda: (3, "Leren op de werkvloer werkt") in notes_of(served.db, served.session)
        )
        assert saved
        await tab.close()
    # The closed tab's app process ends.
    assert await eventually(lambda: not served.app_processes(), timeout=30)


async def test_the_chair_and_the_secretary_get_their_own_screens(served: Served) -> None:
    async with aiohttp.ClientSession() as http:
        chair = await Tab(http, served.ws_url(served.links["chair"])).open()
        secretary = await Tab(http, served.ws_url(served.links["secretary"])).open()
        await eventually(lambda: len(served.app_command_lines()) == 2, timeout=30)
        commands = sorted(c[-3:] for c in served.app_command_lines())
        assert commands == [
            ["clock", "--session", served.session],
            ["synthesis", "--session", served.session],
        ]
        await chair.wait_for("o overview")
        await secretary.wait_for("Synthesis")
        await chair.close()
        await secretary.close()


def _other_session_token(served: Served) -> str:
    """A live token of another session in the same database (its table 1)."""
    out = dialoog(served.db, "new", "--plan", "skills", "--title", "Een andere dag")
    other = out.strip().splitlines()[-1].strip()
    csv_text = dialoog(served.db, "serve", other, "--format", "csv")
    return csv_text.splitlines()[1].rsplit("/t/", 1)[1]


def _revoked_token(served: Served) -> str:
    """Table 2's token, revoked (the others stay live)."""
    token = served.links["table-2"]
    dialoog(served.db, "serve", "tokens", "revoke", served.session, "2")
    return token


BAD_TOKENS = {
    "wrong": lambda served: "x" * 43,
    "missing": lambda served: "",
    "other session's": _other_session_token,
    "revoked": _revoked_token,
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
async def test_a_bad_token_is_refused_everywhere_and_starts_nothing(
    served: Served, kind: str
) -> None:
    token = BAD_TOKENS[kind](served)
    page_url = f"{served.base}/t/{token}" if token else f"{served.base}/"
    ws_url = served.ws_url(token) if token else f"ws://127.0.0.1:{served.port}/ws"
    async with aiohttp.ClientSession() as http:
        page = await http.get(page_url, headers={"Accept-Language": "nl-NL,nl;q=0.9"})
        assert page.status == 403
        body = await page.text()
        assert 'lang="nl"' in body
        assert "Geen toegang" in body
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{ws_url}?width=80&height=24")
        assert refused.value.status == 403
        download = await http.get(f"{served.base}/download/anykey?token={token}")
        assert download.status == 403
        time.sleep(1.0)  # a process started by mistake would show by now
        assert served.app_processes() == []


async def test_one_tables_token_opens_only_that_table(served: Served) -> None:
    """Whatever the address asks for, table 4's token opens table 4's capture screen."""
    token = served.links["table-4"]
    async with aiohttp.ClientSession() as http:
        tab = await Tab(http, f"{served.ws_url(token)}").open()
        await tab.wait_for("Table 4")
        assert [c[-1] for c in served.app_command_lines()] == ["4"]
        await tab.close()


async def test_the_cap_on_app_processes_gives_a_clear_page(room_db) -> None:
    from serve_client import start_server

    db, session = room_db
    served = start_server(db, session, "--max-apps", "2")
    try:
        async with aiohttp.ClientSession() as http:
            urls = [served.ws_url(served.links[f"table-{n}"]) for n in (1, 2)]
            tabs = [await Tab(http, url).open() for url in urls]
            for n, tab in zip((1, 2), tabs, strict=True):
                await tab.wait_for(f"Table {n}")
            page = await http.get(f"{served.base}/t/{served.links['table-3']}")
            assert page.status == 503
            assert "full" in await page.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"{served.ws_url(served.links['table-3'])}?width=80")
            assert refused.value.status == 503
            assert len(served.app_processes()) == 2
            await tabs[0].close()
            assert await eventually(lambda: len(served.app_processes()) == 1, timeout=30)
            third = await Tab(http, served.ws_url(served.links["table-3"])).open()
            await third.wait_for("Table 3")
            await third.close()
            await tabs[1].close()
    finally:
        served.stop()


async def test_the_secretary_downloads_the_draft_and_only_with_her_token(served: Served) -> None:
    token = served.links["secretary"]
    async with aiohttp.ClientSession() as http:
        tab = await Tab(http, served.ws_url(token)).open()
        await tab.wait_for("Synthesis")
        await asyncio.sleep(0.5)
        await tab.type("d")
        await tab.wait_for("Word document (.docx)")
        await tab.type("\r")  # the first format: .docx
        started = await eventually(
            lambda: [m[1] for m in tab.messages if m[0] == "deliver_file_start"], timeout=60
        )
        assert len(started) == 1
        url = f"{served.base}/download/{started[0]}"
        # Another table's token, a wrong one, none: refused, and the file stays for hers.
        for other in (served.links["table-1"], "x" * 43, ""):
            refused = await http.get(f"{url}?token={other}")
            assert refused.status == 403
        got = await http.get(f"{url}?token={token}")
        assert got.status == 200
        assert "wordprocessingml" in got.headers["Content-Type"]
        body = await got.read()
        assert body[:2] == b"PK"  # a .docx is a zip file
        await tab.close()
