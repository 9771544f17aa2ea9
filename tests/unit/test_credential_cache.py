"""The credential cache: a verified key is trusted for ``ttl`` seconds, then asked again."""

from __future__ import annotations

import pytest

from gateway.services.auth import Client, CredentialCache

COURT = Client(id=1, name="court", pillar="courts", institution="MHAU01")
HEADER = "Bearer icjs_courts_" + "a" * 43


def test_a_verified_key_is_trusted_until_its_time_runs_out(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("gateway.services.auth.time.monotonic", lambda: now[0])
    cache = CredentialCache(5.0)
    assert cache.get(HEADER) is None, "an unknown key is never answered from the cache"
    cache.put(HEADER, COURT)
    assert cache.get(HEADER) == COURT
    assert cache.get(HEADER.replace("a", "b")) is None
    now[0] += 5.5
    assert cache.get(HEADER) is None, "after ttl the database is asked again"


def test_ttl_zero_asks_every_time() -> None:
    cache = CredentialCache(0)
    cache.put(HEADER, COURT)
    assert cache.get(HEADER) is None
    assert cache.get(None) is None
