"""Kafka stops while 500 messages come in: the gateway keeps accepting them, /readyz answers
200 "degraded" saying Kafka (and only Kafka) is unreachable (messages are still accepted), with the relay's lag; when the broker returns the backlog drains by itself
and every accepted charge sheet reaches the courts feed exactly once."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
from production_harness import ROOT, Stack, kafka_ready

from gateway.cli import scenario

CASES = 250  # an FIR and a charge sheet each: 500 messages while the broker is down


def services_sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "services.sh"), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def start_kafka(prod: Stack) -> None:
    """Start the broker again and wait until it answers (other tests need it)."""
    started = services_sh("up", "kafka")
    assert started.returncode == 0, f"services.sh up kafka failed:\n{started.stderr[-3000:]}"
    prod.wait_for(lambda: kafka_ready(prod.services.kafka), "Kafka to answer again", timeout=120)


def test_kafka_outage_backlog_drains_exactly_once(prod: Stack) -> None:
    server = prod.serve()
    prod.worker()
    # One case through the whole path first, so that the topic, the group and the producer
    # all exist before the broker goes away.
    warm = prod.post([server], [scenario.fir_registered(scenario.refs(1))])
    warm += prod.post([server], [scenario.chargesheet_filed(scenario.refs(1))])
    prod.wait_for_feed(1)
    expected = {warm[1]["event_ids"][0]}

    stopped = services_sh("down", "kafka")
    try:
        assert stopped.returncode == 0, f"services.sh down kafka failed:\n{stopped.stderr}"
        assert not kafka_ready(prod.services.kafka), "Kafka still answers after `down kafka`"

        cases = [scenario.refs(n) for n in range(2, CASES + 2)]
        firs = prod.post([server], [scenario.fir_registered(c) for c in cases])
        sheets = prod.post([server], [scenario.chargesheet_filed(c) for c in cases])
        assert all(r["status"] == "accepted" for r in firs + sheets)
        expected |= {r["event_ids"][0] for r in sheets}

        def kafka_down() -> dict[str, Any] | None:
            response = httpx.get(f"{server.url}/readyz", timeout=10)
            ready: dict[str, Any] = response.json()
            if ready["kafka"] == "unreachable" and ready["relay_lag_events"] > 0:
                # Still taking messages into the outbox: degraded, not out of service.
                assert response.status_code == 200, ready
                return ready
            return None

        ready = prod.wait_for(kafka_down, "/readyz to report Kafka unreachable", timeout=60)
        assert ready["status"] == "degraded" and ready["down"] == ["kafka"], ready
        assert ready["kafka_error"], ready
        assert ready["database"] == "ok" and ready["mode"] == "production", ready
        assert ready["relay_lag_events"] == 2 * CASES, ready
        assert ready["relay_lag_seconds"] > 0, ready
        assert prod.unpublished() == 2 * CASES
        assert prod.feed_count() == 1
    finally:
        start_kafka(prod)

    # Nobody restarts anything: the relay and the worker find the broker again.
    prod.wait_for_feed(len(expected), timeout=180)
    prod.wait_for(
        lambda: (lambda r: r["kafka"] == "ok" and r["relay_lag_events"] == 0 and r)(
            server.readyz()
        ),
        "/readyz to report the backlog drained",
        timeout=60,
    )
    assert server.readyz()["status"] == "ready"
    prod.assert_exactly_once(server, expected)
    assert all(p.alive() for p in prod.procs), prod.logs()
