"""/readyz names the dependency that is down: a database error the Kafka relay meets is not
reported as the broker's (issue 10)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.exc import OperationalError

from gateway.messaging.kafka.relay import KafkaRelay
from gateway.settings import Settings


class _LockOnADeadDatabase:
    """A relay lock whose database is away; it stops the relay after the first round."""

    held = False  # not yet: the relay asks try_acquire

    def __init__(self, stop: asyncio.Event) -> None:
        self.stop = stop
        self.calls = 0

    def try_acquire(self) -> bool:
        self.calls += 1
        self.stop.set()
        raise OperationalError(
            "SELECT pg_try_advisory_lock(1)", {}, Exception("connection refused")
        )

    def release(self) -> None:
        return None


def test_a_database_error_in_the_relay_leaves_kafka_unblamed() -> None:
    settings = Settings(
        database_url="sqlite://", kafka_bootstrap_servers="127.0.0.1:1", relay_interval_seconds=0.01
    )
    relay = KafkaRelay(db=Any, settings=settings)  # type: ignore[arg-type]

    async def run() -> _LockOnADeadDatabase:
        stop = asyncio.Event()
        lock = _LockOnADeadDatabase(stop)
        relay.lock = lock  # type: ignore[assignment]
        await relay.run(stop)
        return lock

    lock = asyncio.run(run())
    assert lock.calls == 1
    assert relay.health.kafka == "not connected yet"  # not "unreachable"
    assert relay.health.last_error is None
