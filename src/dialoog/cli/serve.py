"""``dialoog serve``: every table's screen in a browser, and the links' tokens (issue 10).

``dialoog serve SESSION`` prints one link per table, one for the chair of the day
and one for the secretary, each with a QR code, then serves them until Ctrl+C.
``--links`` prints the links and exits; ``--format csv`` writes them as CSV for
a mail merge. ``dialoog serve tokens list|revoke|reissue|renew`` manages them.
"""

from __future__ import annotations

import csv
import io
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dialoog.cli.support import Context, pass_ctx
from dialoog.cli.support import human_errors as _human
from dialoog.errors import DialoogError
from dialoog.i18n import _

if TYPE_CHECKING:
    from dialoog.serve.tokens import Grant
    from dialoog.storage import Store


class _ServeGroup(click.Group):
    """``serve SESSION`` serves; ``serve tokens ...`` manages the links."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["start", *args]
        return super().resolve_command(ctx, args)


@click.group("serve", cls=_ServeGroup)
def serve() -> None:
    """Serve a session's screens to browsers: `serve SESSION`, `serve tokens ...`.

    `dialoog serve SESSION` prints a link (and a QR code) per table, for the chair
    of the day and for the secretary, then serves them until Ctrl+C.
    """


def link_base(host: str, port: int, public_url: str | None) -> str:
    """The start of every link: ``--public-url``, or this machine's address and the port."""
    if public_url:
        return public_url.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        host = _lan_address()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _lan_address() -> str:
    """This machine's address on the room's network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def _label(grant: Grant, names: dict[int, tuple[str, str]]) -> str:
    """How a link is introduced: ``Table 3 (Zorg; chair: An)``, ``Chair of the day``."""
    if grant.role == "chair":
        return _("Chair of the day (clock and overview)")
    if grant.role == "secretary":
        return _("Secretary (synthesis and downloads)")
    name, chair = names.get(grant.table or 0, ("", ""))
    extra = "; ".join(p for p in (name, chair and _("chair: {name}").format(name=chair)) if p)
    label = _("Table {number}").format(number=grant.table)
    return f"{label} ({extra})" if extra else label


def print_links(
    store: Store,
    tokens: dict[Grant, str],
    base: str,
    *,
    fmt: str = "text",
    qr: bool = True,
) -> None:
    """Print each link, with its QR code (``text``), or all of them as CSV (``csv``)."""
    grants = list(tokens)
    session = store.get_session(grants[0].session_id) if grants else None
    names = {
        t.number: (t.name or "", t.chair or "") for t in (session.plan.tables if session else [])
    }
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["session", "role", "table", "name", "chair", "url"])
        for grant, token in tokens.items():
            name, chair = names.get(grant.table or 0, ("", ""))
            writer.writerow(
                [grant.session_id, grant.role, grant.table or "", name, chair, f"{base}/t/{token}"]
            )
        click.echo(out.getvalue(), nl=False)
        return
    import segno

    for grant, token in tokens.items():
        url = f"{base}/t/{token}"
        click.echo(f"{_label(grant, names)}\n  {url}")
        if qr:
            buffer = io.StringIO()
            segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
            click.echo(buffer.getvalue())


@serve.command("start", hidden=True)
@click.argument("session_id", metavar="SESSION")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--public-url",
    help="The address browsers reach the server at (behind a TLS proxy: https://...).",
)
@click.option("--links", is_flag=True, help="Print the links (and QR codes) and exit.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv"]),
    default="text",
    help="csv: write the links as CSV for a mail merge (and exit).",
)
@click.option("--no-qr", is_flag=True, help="Print the links without QR codes.")
@click.option(
    "--max-apps",
    type=click.IntRange(1, 1000),
    help="Most screens open at once (default: tables + 4).",
)
@pass_ctx
@_human
def start(
    ctx: Context,
    session_id: str,
    host: str,
    port: int,
    public_url: str | None,
    links: bool,
    fmt: str,
    no_qr: bool,
    max_apps: int | None,
) -> None:
    """Serve SESSION's screens: one link per table, the chair of the day, the secretary."""
    from dialoog.i18n import language
    from dialoog.serve.server import is_loopback
    from dialoog.serve.tokens import ensure_tokens

    store = ctx.store()
    db_path = Path(ctx.db_path).expanduser().resolve()
    tokens = ensure_tokens(store, db_path, session_id)
    base = link_base(host, port, public_url)
    print_links(store, tokens, base, fmt=fmt, qr=not no_qr)
    if links or fmt == "csv":
        return
    if not is_loopback(host) and not base.startswith("https://"):
        click.echo(
            _(
                "dialoog: warning: serving on {host} without TLS: anyone on this network "
                "can read the links and the notes. Put a TLS proxy in front (see the README, "
                "'Serve the room') and pass --public-url https://..."
            ).format(host=host),
            err=True,
        )
    ctx.close()
    from dialoog.serve.server import DialoogServer

    server = DialoogServer(
        db_path,
        session_id,
        host=host,
        port=port,
        public_url=public_url,
        max_apps=max_apps,
        language=language(),
    )
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not this machine's
        raise DialoogError(
            _("cannot serve on {host}:{port}: {error}").format(host=host, port=port, error=exc)
        ) from None


# -- tokens ------------------------------------------------------------------


@serve.group("tokens")
def tokens() -> None:
    """The links' tokens: list, revoke, reissue, renew."""


def _who(who: str | None) -> tuple[str | None, int | None]:
    """A WHO argument (``3``, ``table-3``, ``chair``, ``secretary``) as role and table."""
    from dialoog.serve.tokens import parse_who

    if who is None:
        return None, None
    try:
        return parse_who(who)
    except ValueError:
        raise DialoogError(
            _("not a table number, 'chair' or 'secretary': {who!r}").format(who=who)
        ) from None


@tokens.command("list")
@click.argument("session_id", metavar="SESSION")
@click.option("--all", "show_all", is_flag=True, help="Also revoked and expired tokens.")
@pass_ctx
@_human
def tokens_list(ctx: Context, session_id: str, show_all: bool) -> None:
    """List a session's tokens: whom each admits, until when (never the token itself)."""
    from dialoog.times import now

    store = ctx.store()
    store.get_session(session_id)
    at = now()
    records = store.serve_tokens(session_id, live_only=not show_all)
    if not records:
        click.echo(_("No tokens. Make them with: dialoog serve {id} --links").format(id=session_id))
        return
    for r in records:
        who = f"table {r.table}" if r.role == "table" else r.role
        if r.revoked_at is not None:
            state = _("revoked")
        elif not r.live(at):
            state = _("expired")
        else:
            state = _("live")
        expires = r.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        click.echo(f"{r.id:5}  {who:12} {state:8} {expires}  {r.token_hash[:12]}")


@tokens.command("revoke")
@click.argument("session_id", metavar="SESSION")
@click.argument("who", required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of the session.")
@pass_ctx
@_human
def tokens_revoke(ctx: Context, session_id: str, who: str | None, revoke_all: bool) -> None:
    """Revoke the link of WHO (a table number, chair, secretary), or --all."""
    from dialoog.serve.tokens import revoke

    if (who is None) == (not revoke_all):
        raise DialoogError(_("give WHO (a table number, chair, secretary) or --all, not both"))
    role, table = _who(who)
    store = ctx.store()
    store.get_session(session_id)
    count = revoke(store, Path(ctx.db_path).expanduser().resolve(), session_id, role, table)
    click.echo(_("Revoked: {count}").format(count=count))


@tokens.command("reissue")
@click.argument("session_id", metavar="SESSION")
@click.argument("who")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url")
@pass_ctx
@_human
def tokens_reissue(
    ctx: Context, session_id: str, who: str, host: str, port: int, public_url: str | None
) -> None:
    """Give WHO a new link (the old one stops working at once) and print it."""
    from dialoog.serve.tokens import Grant, default_expiry, issue

    role, table = _who(who)
    assert role is not None
    store = ctx.store()
    session = store.get_session(session_id)
    if role == "table":
        store.check_table(session, table or 0)
    grant = Grant(session_id, role, table)
    db_path = Path(ctx.db_path).expanduser().resolve()
    token = issue(store, db_path, grant, expires_at=default_expiry(session.date))
    print_links(store, {grant: token}, link_base(host, port, public_url))


@tokens.command("renew")
@click.argument("session_id", metavar="SESSION")
@click.argument("who", required=False)
@click.option("--days", default=1, show_default=True, type=click.IntRange(0, 365))
@pass_ctx
@_human
def tokens_renew(ctx: Context, session_id: str, who: str | None, days: int) -> None:
    """Keep WHO's link (every link without WHO) working until the end of the day DAYS from now."""
    from dialoog.serve.tokens import renew

    role, table = _who(who)
    store = ctx.store()
    store.get_session(session_id)
    count = renew(store, session_id, role, table, days=days)
    click.echo(_("Renewed: {count}").format(count=count))
