"""Keys over HTTP: expiry, rotation with an overlap, revocation within the credential cache's
window, and the last use recorded at most once a minute; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from canonical_model.errors import Unauthenticated
from gateway.bootstrap import Gateway
from gateway.services.auth import (
    Client,
    CredentialCache,
    UsageRecorder,
    authenticate,
    create_client,
    key_state,
    parse_duration,
    record_use,
    revoke_client,
    rotate_client,
)
from gateway.store.tables import ClientRow, RetiredKeyRow, utcnow

FEED = ("/v1/courts/feed", {"court": "MHAU01"})


def get_feed(http: TestClient, key: str) -> Any:
    return http.get(FEED[0], params=FEED[1], headers={"Authorization": f"Bearer {key}"})


def new_key(gateway: Gateway, **kwargs: Any) -> tuple[int, str]:
    with gateway.db.session(write=True) as session:
        row, key = create_client(
            session, name="court", pillar="courts", institution="MHAU01", **kwargs
        )
        assert row.id is not None
        return row.id, key


def client_row(gateway: Gateway, client_id: int) -> ClientRow:
    with gateway.db.session() as session:
        row = session.get(ClientRow, client_id)
    assert row is not None
    return row


class FakeClock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_durations_read_as_the_cli_takes_them() -> None:
    assert parse_duration("90d") == dt.timedelta(days=90)
    assert parse_duration("24h") == dt.timedelta(hours=24)
    assert parse_duration(" 30m ") == dt.timedelta(minutes=30)
    assert parse_duration("2w") == dt.timedelta(weeks=2)
    assert parse_duration("0s") == dt.timedelta(0)
    for bad in ("90", "d", "1.5d", "-1d", "90 days", ""):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)


def test_an_expired_key_answers_401_expired(gateway: Gateway, http: TestClient) -> None:
    gateway.credentials.ttl = 0
    _, live = new_key(gateway, expires_in=dt.timedelta(days=90))
    _, dead = new_key(gateway, expires_in=dt.timedelta(days=1), now=utcnow() - dt.timedelta(days=2))
    assert get_feed(http, live).status_code == 200
    refused = get_feed(http, dead)
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    assert refused.json()["message"] == "expired API key"
    assert refused.headers["www-authenticate"] == "Bearer"


def test_a_key_expiring_while_cached_is_refused_on_time(gateway: Gateway, http: TestClient) -> None:
    clock = FakeClock()
    gateway.credentials.clock = clock
    gateway.credentials.ttl = 3600
    client_id, key = new_key(gateway, expires_in=dt.timedelta(days=1))
    assert get_feed(http, key).status_code == 200  # cached now, for an hour of the fake clock
    with gateway.db.session(write=True) as session:
        row = session.get(ClientRow, client_id)
        assert row is not None
        row.expires_at = utcnow() - dt.timedelta(seconds=1)
        session.add(row)
    # The database says expired, the cache's entry still carries the old expiry: it answers
    # within its window (the documented ICJS_AUTH_CACHE_SECONDS)...
    assert get_feed(http, key).status_code == 200
    # ...but an entry whose own expiry has come is never answered from the cache.
    cache = CredentialCache(3600)
    past = Client(1, "c", "courts", "MHAU01", valid_until=utcnow() - dt.timedelta(seconds=1))
    cache.put("Bearer x", past)
    assert cache.get("Bearer x") is None
    cache.put("Bearer y", Client(1, "c", "courts", "MHAU01", valid_until=None))
    assert cache.get("Bearer y") is not None


def test_a_revoked_key_answers_401_within_the_cache_window(
    gateway: Gateway, http: TestClient
) -> None:
    clock = FakeClock()
    gateway.credentials.clock = clock
    ttl = gateway.settings.auth_cache_seconds
    assert ttl > 0, "the default settings cache verified keys"
    client_id, key = new_key(gateway)
    assert get_feed(http, key).status_code == 200
    with gateway.db.session(write=True) as session:
        revoke_client(session, client_id=client_id)
    clock.now += ttl / 2
    assert get_feed(http, key).status_code == 200, "still in the cache's window"
    clock.now += ttl / 2 + 0.01
    refused = get_feed(http, key)
    assert refused.status_code == 401, "past the window the database is asked"
    assert refused.json()["message"] == "unknown or revoked API key"


def test_rotation_keeps_the_old_key_for_the_overlap_then_refuses_it(
    gateway: Gateway, http: TestClient
) -> None:
    gateway.credentials.ttl = 0
    client_id, old = new_key(gateway, expires_in=dt.timedelta(days=30))
    before = client_row(gateway, client_id)
    with gateway.db.session(write=True) as session:
        row, new = rotate_client(session, client_id=client_id, overlap=dt.timedelta(hours=24))
        assert (row.id, row.pillar, row.institution, row.name) == (
            client_id,
            "courts",
            "MHAU01",
            "court",
        )
    assert new != old and new.startswith("icjs_courts_")
    after = client_row(gateway, client_id)
    assert after.key_prefix != before.key_prefix and new.startswith(after.key_prefix)
    assert after.expires_at is not None and before.expires_at is not None
    lifetime = after.expires_at - after.created_at
    assert lifetime == dt.timedelta(days=30), "the new key has the old one's lifetime"
    for key in (old, new):
        answer = get_feed(http, key)
        assert answer.status_code == 200
    with gateway.db.session() as session:
        retired = session.exec(select(RetiredKeyRow)).all()
        assert key_state(after, list(retired)) == "rotating"
    # The overlap ends: the old key answers 401, the new one works on.
    with gateway.db.session(write=True) as session:
        for old_row in session.exec(select(RetiredKeyRow)).all():
            old_row.valid_until = utcnow() - dt.timedelta(seconds=1)
            session.add(old_row)
    refused = get_feed(http, old)
    assert refused.status_code == 401
    assert "overlap has ended" in refused.json()["message"]
    assert get_feed(http, new).status_code == 200
    with gateway.db.session() as session:
        assert key_state(after, list(session.exec(select(RetiredKeyRow)).all())) == "active"


def test_revoking_a_rotating_client_refuses_both_keys(gateway: Gateway, http: TestClient) -> None:
    gateway.credentials.ttl = 0
    client_id, old = new_key(gateway)
    with gateway.db.session(write=True) as session:
        _, new = rotate_client(session, client_id=client_id)
    assert get_feed(http, old).status_code == 200
    with gateway.db.session(write=True) as session:
        revoke_client(session, client_id=client_id)
        with pytest.raises(ValueError, match="is revoked"):
            rotate_client(session, client_id=client_id)
    assert get_feed(http, old).status_code == 401
    assert get_feed(http, new).status_code == 401


def test_rotation_refuses_a_negative_overlap_and_an_unknown_client(gateway: Gateway) -> None:
    client_id, _ = new_key(gateway)
    with gateway.db.session(write=True) as session:
        with pytest.raises(ValueError, match="negative"):
            rotate_client(session, client_id=client_id, overlap=dt.timedelta(hours=-1))
        with pytest.raises(ValueError, match="no client with id 9999"):
            rotate_client(session, client_id=9999)


def test_an_old_key_expires_at_its_own_expiry_even_in_its_overlap(gateway: Gateway) -> None:
    now = utcnow()
    with gateway.db.session(write=True) as session:
        row, old = create_client(
            session,
            name="c",
            pillar="courts",
            institution="MHAU01",
            expires_in=dt.timedelta(hours=1),
            now=now,
        )
        rotate_client(session, client_id=row.id, overlap=dt.timedelta(days=7), now=now)
    with gateway.db.session() as session:
        seen = authenticate(session, f"Bearer {old}", now=now + dt.timedelta(minutes=30))
        assert seen.retired and seen.valid_until == now + dt.timedelta(hours=1)
        with pytest.raises(Unauthenticated, match=r"^expired API key$"):
            authenticate(session, f"Bearer {old}", now=now + dt.timedelta(hours=2))


def test_last_use_is_written_at_most_once_a_minute(gateway: Gateway, http: TestClient) -> None:
    clock = FakeClock()
    gateway.usage = UsageRecorder(clock=clock)
    client_id, key = new_key(gateway)
    assert client_row(gateway, client_id).last_used_at is None
    assert get_feed(http, key).status_code == 200
    first = client_row(gateway, client_id).last_used_at
    assert first is not None and abs(first - utcnow()) < dt.timedelta(minutes=5)
    with gateway.db.session(write=True) as session:  # forget it, to see whether it is written
        row = session.get(ClientRow, client_id)
        assert row is not None
        row.last_used_at = None
        session.add(row)
    for _ in range(5):
        assert get_feed(http, key).status_code == 200
    assert client_row(gateway, client_id).last_used_at is None, "no write per request"
    clock.now += 61
    assert get_feed(http, key).status_code == 200
    assert client_row(gateway, client_id).last_used_at is not None, "written after a minute"


def test_record_use_skips_a_use_written_less_than_a_minute_ago(gateway: Gateway) -> None:
    client_id, key = new_key(gateway)
    client = Client(client_id, "court", "courts", "MHAU01")
    start = utcnow().replace(microsecond=0)
    header = f"Bearer {key}"
    for offset, expected in ((0, 0), (30, 0), (61, 61)):
        with gateway.db.session(write=True) as session:
            record_use(session, header, client, start + dt.timedelta(seconds=offset))
        assert client_row(gateway, client_id).last_used_at == start + dt.timedelta(seconds=expected)


def test_a_retired_keys_use_is_written_to_its_own_row(gateway: Gateway) -> None:
    client_id, old = new_key(gateway)
    with gateway.db.session(write=True) as session:
        rotate_client(session, client_id=client_id)
    with gateway.db.session() as session:
        seen = authenticate(session, f"Bearer {old}")
    assert seen.retired
    now = utcnow()
    with gateway.db.session(write=True) as session:
        record_use(session, f"Bearer {old}", seen, now)
    with Session(gateway.db.engine) as session:
        retired = session.exec(select(RetiredKeyRow)).one()
        assert retired.last_used_at == now
        assert session.get(ClientRow, client_id).last_used_at is None  # type: ignore[union-attr]
