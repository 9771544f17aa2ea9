"""Limits: per-client rate limits (a fake clock, no sleeping), failed keys limited per
address, body and header deadlines (408, connection closed; the headers' on a real
``icjs serve``), rejected bodies kept whole up to a quota per client, and the SQLite files
readable by their owner only."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import select
import socket
import stat
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.limits import Limits, RateLimiter
from gateway.services.auth import create_client
from gateway.services.ingest import TRUNCATED_BODY_KEEP
from gateway.settings import Settings
from gateway.store.db import make_engine

ICJS = [sys.executable, "-m", "gateway"]
FEED = ("/v1/courts/feed", {"court": "MHAU01"})
UNKNOWN = {"Authorization": "Bearer icjs_courts_" + "u" * 43}


class FakeClock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def feed(http: TestClient, headers: dict[str, str]) -> httpx.Response:
    response: httpx.Response = http.get(FEED[0], params=FEED[1], headers=headers)
    return response


# -- the token bucket ---------------------------------------------------------------------------


def test_a_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    clock = FakeClock()
    bucket = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a") == pytest.approx(1.0), "one token a second: wait a second"
    assert bucket.take("b") == 0.0, "each key its own bucket"
    clock.now += 0.5
    assert bucket.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert bucket.take("a") == 0.0
    clock.now += 3600
    assert [bucket.take("a") for _ in range(4)][-1] > 0, "never more than the burst at once"
    assert bucket.wait("a") > 0 and bucket.wait("c") == 0.0


def test_a_per_minute_figure_of_zero_disables_the_limit() -> None:
    bucket = RateLimiter(per_minute=0, clock=FakeClock())
    assert not bucket.enabled
    assert all(bucket.take("a") == 0.0 for _ in range(10_000))


def test_the_burst_defaults_to_the_per_minute_figure(settings: Settings) -> None:
    assert Settings().rate_limit_per_minute == 600 and Settings().rate_limit_burst is None
    built = build_gateway(settings.model_copy(update={"rate_limit_per_minute": 120}))
    try:
        assert (built.limits.clients.per_minute, built.limits.clients.burst) == (120, 120)
        assert (built.limits.strangers.per_minute, built.limits.strangers.burst) == (12, 12)
    finally:
        built.close()
    burst = settings.model_copy(update={"rate_limit_per_minute": 120, "rate_limit_burst": 10})
    built = build_gateway(burst)
    try:
        assert (built.limits.clients.per_minute, built.limits.clients.burst) == (120, 10)
    finally:
        built.close()


# -- over HTTP --------------------------------------------------------------------------------


def test_a_client_past_its_bucket_gets_429_with_retry_after(
    gateway: Gateway, http: TestClient, key_for: Any
) -> None:
    clock = FakeClock()
    gateway.limits = Limits(per_minute=60, burst=3, clock=clock)
    court = key_for("courts", "MHAU01")
    assert [feed(http, court).status_code for _ in range(3)] == [200, 200, 200]
    refused = feed(http, court)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert "ICJS_RATE_LIMIT_PER_MINUTE" in body["message"]
    assert body["errors"] and body["request_id"] == refused.headers["x-request-id"]
    assert refused.headers["retry-after"] == "1"
    other = key_for("courts", "MHAU01")
    assert feed(http, other).status_code == 200, "another client has its own bucket"
    clock.now += 1
    assert feed(http, court).status_code == 200
    assert feed(http, court).status_code == 429
    gateway.limits = Limits(per_minute=6, burst=1, clock=clock)
    assert feed(http, court).status_code == 200
    slow = feed(http, court)
    assert slow.status_code == 429 and slow.headers["retry-after"] == "10"


def test_failed_keys_are_limited_per_address(
    gateway: Gateway, http: TestClient, key_for: Any
) -> None:
    clock = FakeClock()
    gateway.limits = Limits(per_minute=600, clock=clock)  # failures: 60 a minute per address
    court = key_for("courts", "MHAU01")
    answers = Counter(feed(http, UNKNOWN).status_code for _ in range(100))
    assert answers == Counter({401: 60, 429: 40})
    absent = http.get(FEED[0], params=FEED[1])
    assert absent.status_code == 429 and absent.json()["code"] == "rate_limited"
    assert int(absent.headers["retry-after"]) >= 1
    assert feed(http, court).status_code == 200, "a valid key from the address still works"
    clock.now += 60
    assert feed(http, UNKNOWN).status_code == 401, "the bucket refills"


def test_no_limit_when_disabled(gateway: Gateway, http: TestClient, key_for: Any) -> None:
    gateway.limits = Limits(per_minute=0, clock=FakeClock())
    court = key_for("courts", "MHAU01")
    assert Counter(feed(http, UNKNOWN).status_code for _ in range(100)) == Counter({401: 100})
    assert Counter(feed(http, court).status_code for _ in range(100)) == Counter({200: 100})


# -- a body that comes too slowly -------------------------------------------------------------


def test_a_body_that_does_not_arrive_in_time_is_408_and_closes(settings: Settings) -> None:
    slow = settings.model_copy(update={"body_timeout_seconds": 0.5})
    app = create_app(settings=slow)
    gateway: Gateway = app.state.gateway
    with gateway.db.session(write=True) as session:
        _, key = create_client(session, name="p", pillar="police", institution="MH")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/police/messages",
        "raw_path": b"/v1/police/messages",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"authorization", f"Bearer {key}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", b"100"),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def run() -> None:
        first = [{"type": "http.request", "body": b'{"ty', "more_body": True}]
        never = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if first:
                return first.pop()
            await never.wait()  # the rest of the body never comes
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(dict(message))

        await asyncio.wait_for(app(scope, receive, send), timeout=60)

    try:
        asyncio.run(run())
    finally:
        gateway.close()
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 408
    assert headers["connection"] == "close"
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert b'"code":"request_timeout"' in body and b"ICJS_BODY_TIMEOUT_SECONDS" in body


# -- a real server: headers and bodies trickled ------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """``icjs serve`` on a SQLite file, headers and bodies due within 1 s; its port and a
    police key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")}
    env |= {
        "ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "ICJS_HEADER_TIMEOUT_SECONDS": "1",
        "ICJS_BODY_TIMEOUT_SECONDS": "1",
    }

    def icjs(*args: str) -> str:
        done = subprocess.run(
            [*ICJS, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    icjs("institutions", "import", "--sample")
    key = icjs("clients", "add", "--pillar", "police", "--institution", "MH").strip()
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*ICJS, "serve", "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield port, key
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def trickle(port: int, pieces: list[bytes], interval: float = 0.3) -> bytes:
    """Send ``pieces`` one every ``interval`` seconds until the server answers; then read
    until it closes the connection (a socket timeout of 30 s fails the test)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        for piece in pieces:
            try:
                sock.sendall(piece)
            except OSError:
                break
            readable, _, _ = select.select([sock], [], [], interval)
            if readable:
                break
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break  # closed by the server
            chunks.append(data)
    return b"".join(chunks)


def head_and_body(answer: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return status, headers, body


def test_headers_trickled_are_answered_408_and_the_connection_closed(
    served: tuple[int, str],
) -> None:
    port, key = served
    pieces = [b"POST /v1/police/messages HTTP/1.1\r\n", b"Host: gateway\r\n"]
    pieces += [f"X-Line-{i}: slowly\r\n".encode() for i in range(200)]  # 60 s at this pace
    status, headers, body = head_and_body(trickle(port, pieces))
    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["connection"] == "close"
    assert b'"code":"request_timeout"' in body and b"ICJS_HEADER_TIMEOUT_SECONDS" in body
    # An ordinary client is served as before, two requests on one connection.
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/v1/contracts", headers={"Authorization": f"Bearer {key}"}).is_success


def test_a_silent_connection_is_answered_408_and_closed(served: tuple[int, str]) -> None:
    port, _ = served
    status, headers, _ = head_and_body(trickle(port, []))
    assert status == "HTTP/1.1 408 Request Timeout" and headers["connection"] == "close"


def test_a_body_trickled_is_answered_408_and_the_connection_closed(
    served: tuple[int, str],
) -> None:
    port, key = served
    head = (
        "POST /v1/police/messages HTTP/1.1\r\nHost: gateway\r\n"
        f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\n"
        "Content-Length: 200\r\n\r\n"
    ).encode()
    pieces = [head] + [b"{"] + [b" "] * 199  # a byte every 0.3 s: 60 s for the whole body
    status, headers, body = head_and_body(trickle(port, pieces))
    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["connection"] == "close"
    assert b'"code":"request_timeout"' in body and b"ICJS_BODY_TIMEOUT_SECONDS" in body


# -- rejected bodies kept whole up to a quota -------------------------------------------------


def logged(http: TestClient, headers: dict[str, str], receipt_id: str) -> dict[str, Any]:
    answer = http.get(f"/v1/messages/{receipt_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def send_rejected(http: TestClient, headers: dict[str, str], body: bytes) -> str:
    answer = http.post(
        "/v1/police/messages", content=body, headers=headers | {"Content-Type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    receipt: str = answer.json()["receipt_id"]
    return receipt


def unparseable(size: int, fill: bytes) -> bytes:
    """A body that is not JSON, of ``size`` bytes."""
    return (b"{" + fill * size)[:size]


def test_rejected_bodies_are_kept_whole_up_to_the_quota_then_cut(settings: Settings) -> None:
    quota = settings.model_copy(update={"rejected_body_quota_bytes": 200_000})
    gateway = build_gateway(quota)
    try:
        with gateway.db.session(write=True) as session:
            _, key = create_client(session, name="p", pillar="police", institution="MH")
        police = {"Authorization": f"Bearer {key}"}
        first, second, small = (
            unparseable(150_000, b"a"),
            unparseable(150_000, b"b"),
            unparseable(1000, b"c"),
        )
        with TestClient(create_app(gateway)) as http:
            kept = logged(http, police, send_rejected(http, police, first))
            cut = logged(http, police, send_rejected(http, police, second))
            little = logged(http, police, send_rejected(http, police, small))
        assert kept["body_truncated"] is False and "body_truncated_reason" not in kept
        assert base64.b64decode(kept["body_base64"]) == first
        assert cut["body_truncated"] is True
        assert "ICJS_REJECTED_BODY_QUOTA_BYTES" in cut["body_truncated_reason"]
        assert base64.b64decode(cut["body_base64"]) == second[:TRUNCATED_BODY_KEEP]
        assert cut["size"] == 150_000 and cut["sha256"] == hashlib.sha256(second).hexdigest()
        assert cut["status"] == "rejected" and cut["errors"], "the rejection itself is whole"
        assert little["body_truncated"] is False, "a body within 64 KiB is kept whole anyway"
    finally:
        gateway.close()
    # Another process counts what the message log already keeps for the client.
    again = build_gateway(quota)
    try:
        with TestClient(create_app(again)) as http:
            later = logged(http, police, send_rejected(http, police, unparseable(100_000, b"d")))
        assert later["body_truncated"] is True and later["size"] == 100_000
    finally:
        again.close()


def test_a_body_over_the_size_limit_says_why_it_is_cut(settings: Settings) -> None:
    small = settings.model_copy(update={"max_body_bytes": 2048})
    gateway = build_gateway(small)
    try:
        with gateway.db.session(write=True) as session:
            _, key = create_client(session, name="p", pillar="police", institution="MH")
        police = {"Authorization": f"Bearer {key}"}
        with TestClient(create_app(gateway)) as http:
            answer = http.post(
                "/v1/police/messages",
                content=unparseable(5000, b"x"),
                headers=police | {"Content-Type": "application/json"},
            )
            assert answer.status_code == 413
            view = logged(http, police, answer.json()["receipt_id"])
        assert view["body_truncated"] is True and view["size"] == 5000
        assert "ICJS_MAX_BODY_BYTES" in view["body_truncated_reason"]
    finally:
        gateway.close()


# -- the SQLite files ------------------------------------------------------------------------


def test_the_sqlite_file_and_its_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    old = os.umask(0o022)  # a umask that would leave them readable by everyone
    try:
        engine = make_engine(f"sqlite:///{path}")
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE t (x INTEGER)"))
                conn.execute(text("INSERT INTO t VALUES (1)"))
            with engine.connect() as conn:  # the WAL and SHM exist while a connection is open
                assert conn.execute(text("SELECT x FROM t")).scalar() == 1
                files = [path, tmp_path / "private.db-wal", tmp_path / "private.db-shm"]
                modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
        finally:
            engine.dispose()
    finally:
        os.umask(old)
    assert modes == {"private.db": 0o600, "private.db-wal": 0o600, "private.db-shm": 0o600}


def test_an_existing_sqlite_file_readable_by_others_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
