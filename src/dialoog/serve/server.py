"""The web server of ``dialoog serve``: textual-serve's server with a key on every door.

textual-serve (:class:`textual_serve.server.Server`, aiohttp) renders a page at
``/``, starts one app process per websocket connection at ``/ws`` and hands out
files at ``/download/{key}``; it checks nobody. :class:`DialoogServer` keeps its
machinery and changes the doors:

- ``/t/{token}`` is a link's page, ``/ws/{token}`` its websocket. The token is
  checked (:func:`dialoog.serve.tokens.verify`) *before* the upgrade, so a wrong,
  missing, revoked or expired token gets a refusal page in the visitor's
  language and no process is started. ``/`` and ``/ws`` without a token are refused.
- What a token opens is fixed by the server, not asked of the visitor: a table's
  token starts ``dialoog capture --session S --table N``, the chair's the clock
  (from which the overview opens), the secretary's the synthesis screen. Every
  process gets the same ``--db``.
- ``/download/{key}`` hands a file only to the token whose app offered it (the
  page adds its token to the download address, see ``templates/app_index.html``).
- At most ``max_apps`` app processes run at once (default: tables + 4); the
  next visitor gets a page saying the server is full, and nothing starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import gettext
import hmac
import html
import ipaddress
import logging
import shlex
import sys
from asyncio.subprocess import Process
from functools import cache
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from dialoog.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, N_
from dialoog.serve.tokens import Grant, verify
from dialoog.storage import Store

log = logging.getLogger("dialoog.serve")

TEMPLATES = Path(__file__).parent / "templates"

#: App processes allowed beyond one per table: the chair, the secretary, two spare.
EXTRA_APPS = 4

#: Seconds an app process gets to quit (and save its draft) before it is killed.
STOP_WAIT = 10.0

#: The words of the link's page (textual-serve's template, translated at each request).
PAGE_WORDS = {
    "start": N_("Start"),
    "restart": N_("Restart"),
    "ended": N_("The screen has closed. Press Restart to open it again."),
}

_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English when there is none)."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def request_language(request: web.BaseRequest, default: str) -> str:
    """The first of dialoog's languages the visitor's ``Accept-Language`` names, or ``default``."""
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return default


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(db_path: Path, grant: Grant, lang: str) -> list[str]:
    """The command line of the app process a grant opens, on the database ``db_path``."""
    base = [sys.executable, "-m", "dialoog", "--db", str(db_path), "--lang", lang]
    session = ["--session", grant.session_id]
    if grant.role == "table":
        return [*base, "capture", *session, "--table", str(grant.table)]
    if grant.role == "chair":
        return [*base, "clock", *session]
    return [*base, "synthesis", *session]


class DialoogAppService(AppService):
    """One app process, started for one grant by the token that opened it.

    The process is started from its argument list, without a shell: nothing in
    it is parsed again, and the app is the server's own child (one process per
    connection, which the tests count).
    """

    def __init__(self, argv: list[str], *, grant: Grant, token: str, **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.grant = grant
        self.token = token

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """Start the app with textual-serve's environment, from :attr:`argv`."""
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's environment, marked as served (the app then stays on its screen)."""
        environment = super()._build_environment(width, height)
        environment["DIALOOG_SERVED"] = "1"
        return environment

    async def run(self) -> None:
        """Relay the app's output; once the process has ended, close the browser's websocket.

        textual-serve closes the websocket only when the app says it exits. An
        app process that is killed or crashes says nothing: the tab would keep
        showing a screen that no longer listens, and its place under the cap
        would stay taken until the tab is closed. Closing the websocket makes
        the page show "the screen has closed" with its Restart button, which
        opens the link again (and the draft with it).
        """
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()

    @property
    def pid(self) -> int | None:
        """The app process's id, once started."""
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the app to quit; kill it if it has not within :data:`STOP_WAIT` seconds."""
        try:
            await asyncio.wait_for(super().stop(), STOP_WAIT)
        except TimeoutError:
            if self._process is not None and self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
            self._task = None


class DialoogServer(Server):
    """Serve one session's screens, each behind its own token (see the module docstring)."""

    def __init__(
        self,
        db_path: Path,
        session_id: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        max_apps: int | None = None,
        language: str = "en",
    ) -> None:
        self.db_path = Path(db_path).resolve()
        self.session_id = session_id
        self.store = Store.open(self.db_path, create=False)
        session = self.store.get_session(session_id)
        super().__init__(
            "dialoog",
            host=host,
            port=port,
            title=f"dialoog · {session.plan.title}",
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.fixed_url = public_url is not None
        self.language = language
        self.max_apps = max_apps or len(session.plan.tables) + EXTRA_APPS
        self.services: set[DialoogAppService] = set()
        self.opening = 0
        """Connections past the token check whose app process is being started or runs."""

    # -- the doors -------------------------------------------------------------

    def check(self, token: str | None) -> Grant | None:
        """The grant of a live token of the served session, else ``None``."""
        return verify(self.store, self.session_id, token)

    def full(self) -> bool:
        """Whether as many app processes run (or are starting) as allowed."""
        return self.opening >= self.max_apps

    def page(self, request: web.BaseRequest, status: int, title: str, text: str) -> web.Response:
        """A plain page in the visitor's language (``title`` and ``text`` are catalogue ids)."""
        lang = request_language(request, self.language)
        tr = translator(lang).gettext
        body = (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(tr(title))}</title></head>"
            '<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">'
            f"<h1>{html.escape(tr(title))}</h1><p>{html.escape(tr(text).format(count=self.max_apps))}</p>"
            "</body></html>"
        )
        return web.Response(text=body, status=status, content_type="text/html", headers=_HEADERS)

    def refusal(self, request: web.BaseRequest) -> web.Response:
        """The page for a wrong, missing, revoked or expired token (403; nothing started)."""
        return self.page(
            request,
            403,
            N_("No access"),
            N_(
                "This link does not open anything: it is wrong, revoked or expired. "
                "Ask the secretary for the link of your table."
            ),
        )

    def full_page(self, request: web.BaseRequest) -> web.Response:
        """The page for a visitor when every allowed app process runs (503; nothing started)."""
        return self.page(
            request,
            503,
            N_("The server is full"),
            N_(
                "All {count} screens this server allows are open. Close a tab you no "
                "longer use and open the link again, or ask the secretary to serve more "
                "(dialoog serve --max-apps)."
            ),
        )

    async def _make_app(self) -> web.Application:
        """The routes: a token on every door but the library's static files."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_refused),
                web.get("/t/{token}", self.handle_index, name="index"),
                web.get("/ws", self.handle_refused),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_refused(self, request: web.Request) -> web.Response:
        """A door without a token."""
        return self.refusal(request)

    def base_url(self, request: web.BaseRequest) -> str:
        """Where the visitor reached this server (``--public-url`` when given)."""
        if self.fixed_url:
            return self.public_url.rstrip("/")
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
        return f"{'https' if scheme == 'https' else 'http'}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """A link's page: the terminal in the browser, if the token opens something."""
        token = request.match_info["token"]
        if self.check(token) is None:
            return self.refusal(request)
        if self.full():
            return self.full_page(request)
        lang = request_language(request, self.language)
        tr = translator(lang).gettext
        base = self.base_url(request)
        ws_base = "wss" + base[5:] if base.startswith("https") else "ws" + base[4:]
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_base}/ws/{token}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
            "token": token,
            "lang": lang,
            **{key: tr(words) for key, words in PAGE_WORDS.items()},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers.update(_HEADERS)
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """Start the grant's app process for a websocket whose token opens something."""
        token = request.match_info["token"]
        grant = self.check(token)
        if grant is None:
            return self.refusal(request)
        if self.full():
            return self.full_page(request)
        self.opening += 1  # taken before any await, so two visitors cannot both pass the cap
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: DialoogAppService | None = None
        try:
            await websocket.prepare(request)
            lang = request_language(request, self.language)
            service = DialoogAppService(
                app_command(self.db_path, grant, lang),
                grant=grant,
                token=token,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.services.add(service)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
                self.services.discard(service)
            self.opening -= 1
        return websocket

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file an app offered, only to the token that opened that app."""
        token = request.query.get("token", "")
        key = request.match_info["key"]
        try:
            owner = (await self.download_manager.get_download_metadata(key)).app_service
        except KeyError:
            owner = None
        # One answer for a wrong token and an unknown key: no oracle for either.
        if (
            self.check(token) is None
            or not isinstance(owner, DialoogAppService)
            or not hmac.compare_digest(owner.token.encode(), token.encode())
        ):
            return self.refusal(request)
        return await super().handle_download(request)

    async def on_startup(self, app: web.Application) -> None:
        """Say where the server listens (the links were printed by the command)."""
        self.console.print(
            f"dialoog serve: {self.session_id} on http://{self.host}:{self.port} "
            f"(at most {self.max_apps} screens; Ctrl+C stops)",
            highlight=False,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """Let every app process quit (saving its draft), then close the database."""
        await asyncio.gather(*(s.stop() for s in list(self.services)), return_exceptions=True)
        self.store.close()
