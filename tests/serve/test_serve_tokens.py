"""The links' tokens: kept hashed, checked, revoked, reissued, renewed, expired (issue 10)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from serve_client import free_port

from dialoog.models import Session
from dialoog.serve.tokens import (
    Grant,
    default_expiry,
    ensure_tokens,
    hash_token,
    issue,
    links_path,
    read_links,
    renew,
    revoke,
    verify,
)
from dialoog.storage import Store


def test_tokens_are_kept_hashed_and_each_opens_its_own_grant(
    store: Store, session: Session, db_path: Path
) -> None:
    tokens = ensure_tokens(store, db_path, session.id)
    assert sorted(g.key for g in tokens) == sorted(
        [f"table-{n}" for n in range(1, 9)] + ["chair", "secretary"]
    )
    stored = {r.token_hash for r in store.serve_tokens(session.id)}
    for grant, token in tokens.items():
        assert len(token) >= 43  # 256 random bits
        assert hashlib.sha256(token.encode()).hexdigest() in stored
        assert verify(store, session.id, token) == grant
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert not any(token in dump for token in tokens.values())
    # The plain tokens are only in the links file beside the database, for its owner.
    assert links_path(db_path).stat().st_mode & 0o077 == 0
    assert ensure_tokens(store, db_path, session.id) == tokens  # kept, not reissued


def test_wrong_other_revoked_and_expired_tokens_open_nothing(
    store: Store, session: Session, db_path: Path
) -> None:
    tokens = {g.key: t for g, t in ensure_tokens(store, db_path, session.id).items()}
    assert verify(store, session.id, None) is None
    assert verify(store, session.id, "") is None
    assert verify(store, session.id, tokens["table-1"][:-1] + "x") is None
    assert verify(store, "another-session", tokens["table-1"]) is None
    assert revoke(store, db_path, session.id, "table", 1) == 1
    assert verify(store, session.id, tokens["table-1"]) is None
    assert verify(store, session.id, tokens["table-2"]) == Grant(session.id, "table", 2)
    assert "table-1" not in read_links(db_path)[session.id]
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    store.renew_serve_tokens(session.id, past, "table", 2)
    assert verify(store, session.id, tokens["table-2"]) is None
    assert renew(store, session.id, "table", 2, days=1) == 1
    assert verify(store, session.id, tokens["table-2"]) == Grant(session.id, "table", 2)


def test_reissue_replaces_the_old_token(store: Store, session: Session, db_path: Path) -> None:
    grant = Grant(session.id, "chair")
    old = issue(store, db_path, grant, expires_at=default_expiry(session.date))
    new = issue(store, db_path, grant, expires_at=default_expiry(session.date))
    assert verify(store, session.id, old) is None
    assert verify(store, session.id, new) == grant
    assert [r.role for r in store.serve_tokens(session.id)] == ["chair"]
    assert len(store.serve_tokens(session.id, live_only=False)) == 2
    assert hash_token(new) == store.serve_tokens(session.id)[0].token_hash


def test_a_token_expires_the_day_after_its_session() -> None:
    today = dt.datetime.now(dt.UTC).date()
    coming = today + dt.timedelta(days=10)
    assert default_expiry(coming) == dt.datetime.combine(
        coming + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC
    )
    # A past session served today keeps its links until the end of tomorrow.
    assert default_expiry(dt.date(2015, 2, 19)) == dt.datetime.combine(
        today + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC
    )


def _dialoog(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dialoog", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_tokens_commands(store: Store, session: Session, db_path: Path) -> None:
    links = _dialoog(db_path, "serve", session.id, "--links", "--no-qr", "--port", "8123")
    assert links.returncode == 0, links.stderr
    assert links.stdout.count("http://127.0.0.1:8123/t/") == 10
    assert "Table 3 (Tafel 3)" in links.stdout
    listed = _dialoog(db_path, "serve", "tokens", "list", session.id)
    assert listed.stdout.count(" live ") == 10
    assert _dialoog(db_path, "serve", "tokens", "revoke", session.id, "3").stdout.strip() == (
        "Revoked: 1"
    )
    assert _dialoog(db_path, "serve", "tokens", "list", session.id).stdout.count(" live ") == 9
    reissued = _dialoog(db_path, "serve", "tokens", "reissue", session.id, "table-3", "--no-qr")
    assert reissued.returncode == 2  # no such option: one line, exit 2
    reissued = _dialoog(db_path, "serve", "tokens", "reissue", session.id, "table-3")
    assert reissued.returncode == 0, reissued.stderr
    assert "/t/" in reissued.stdout
    renewed = _dialoog(db_path, "serve", "tokens", "renew", session.id, "--days", "3")
    assert renewed.stdout.strip() == "Renewed: 10"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "tokens", "revoke", "SESSION", "tafel"], "not a table number"),
        (["serve", "tokens", "revoke", "SESSION"], "give WHO"),
        (["serve", "tokens", "reissue", "SESSION", "99"], "has no table 99"),
        (["serve", "nosuchsession", "--links"], "no session 'nosuchsession'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    store: Store, session: Session, db_path: Path, args: list[str], message: str
) -> None:
    done = _dialoog(db_path, *[session.id if a == "SESSION" else a for a in args])
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_serving_beyond_this_machine_without_tls_warns(
    store: Store, session: Session, db_path: Path
) -> None:
    from dialoog.serve.server import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    store.close()
    # The warning comes before the server starts; it is stopped at once.
    argv = [sys.executable, "-m", "dialoog", "--db", str(db_path), "serve", session.id]
    proc = subprocess.Popen(
        [*argv, "--host", "0.0.0.0", "--port", str(free_port()), "--no-qr"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
    finally:
        proc.terminate()
        proc.wait(30)
    assert "without TLS" in first
