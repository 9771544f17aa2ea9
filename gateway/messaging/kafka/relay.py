"""The outbox relay to Kafka: publishes the outbox in sequence order, one gateway at a time
(:class:`~gateway.messaging.kafka.lock.RelayLock`), marking rows only after the broker acked."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy.exc import SQLAlchemyError

from gateway.messaging.kafka.clients import make_producer, quietly_stop
from gateway.messaging.kafka.lock import LeadershipLost, RelayLock
from gateway.messaging.kafka.topics import kafka_topic
from gateway.messaging.outbox import PendingEvent
from gateway.settings import Settings
from gateway.store.db import Database

log = structlog.get_logger(__name__)


@dataclass
class RelayHealth:
    """What ``/readyz`` reports about the relay."""

    kafka: str = "not connected yet"
    is_leader: bool = False
    last_published_at: float | None = None
    last_error: str | None = None


class KafkaRelay:
    """Relays the outbox to Kafka in sequence order, marking rows only after the broker acked.

    A relay that dies mid-batch leaves its unacknowledged rows unpublished: the
    next relay sends them again (consumers dedupe by event id), so nothing is skipped.
    """

    PROBE_INTERVAL_SECONDS = 2.0
    #: Batches one call of publish_batch relays before the loop looks at its stop signal.
    MAX_BATCHES = 20

    def __init__(self, *, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.lock = RelayLock(db)
        self.health = RelayHealth()
        self.wakeup = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._last_probe = 0.0

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = make_producer(self.settings)
            try:
                await asyncio.wait_for(
                    producer.start(), timeout=self.settings.kafka_timeout_seconds
                )
            except BaseException:
                await quietly_stop(producer)
                raise
            self._producer = producer
            self._answered()
        return self._producer

    def _answered(self) -> None:
        """The broker answered: /readyz says so at once, not only when a round ends (a round
        may be long, or held up by the database)."""
        self.health.kafka = "ok"
        self.health.last_error = None

    async def _probe(self) -> None:
        """While idle, ask the broker for metadata now and then, so that readiness reports a
        broker that went away before any event needs it."""
        now = time.monotonic()
        if now - self._last_probe < self.PROBE_INTERVAL_SECONDS:
            return
        self._last_probe = now
        producer = await self._ensure_producer()
        await asyncio.wait_for(
            producer.client.fetch_all_metadata(), timeout=self.settings.kafka_timeout_seconds
        )

    async def _drop_producer(self) -> None:
        self._last_probe = 0.0  # the next idle round checks the broker again
        producer, self._producer = self._producer, None
        if producer is not None:
            await quietly_stop(producer)

    async def publish_batch(self) -> int:
        """Publish what waits in the outbox, a batch at a time (up to ``MAX_BATCHES``
        batches); return how many events the broker acknowledged.

        One batch is in flight at a time, so that a failure never lets a later batch
        overtake an earlier one. While the broker acknowledges a batch the next one is
        read from the outbox, and while it is sent the previous one is marked published.
        """
        size = self.settings.relay_batch_size
        rows = await asyncio.to_thread(self.lock.fetch, size)
        if not rows:
            await self._probe()
            return 0
        producer = await self._ensure_producer()
        total = 0
        marking: asyncio.Future[None] | None = None
        try:
            for batch in range(self.MAX_BATCHES):
                futures = await self._send(producer, rows)
                if marking is not None:
                    # The lock session does one thing at a time: the previous mark first.
                    await marking
                    marking = None
                more = len(rows) >= size and batch + 1 < self.MAX_BATCHES
                fetching = (
                    asyncio.ensure_future(
                        asyncio.to_thread(self.lock.fetch, size, rows[-1].sequence)
                    )
                    if more
                    else None
                )
                acked: list[int] = []
                try:
                    for row, future in zip(rows, futures, strict=True):
                        await asyncio.wait_for(future, timeout=self.settings.kafka_timeout_seconds)
                        acked.append(row.sequence)
                finally:
                    following = await fetching if fetching is not None else []
                    # Only the acknowledged prefix is marked: what follows a failure goes
                    # again, so a case's events never reach the topic out of order.
                    if acked:
                        marking = asyncio.ensure_future(asyncio.to_thread(self.lock.mark, acked))
                total += len(acked)
                self.health.last_published_at = time.time()
                self._answered()
                if not following:
                    break
                rows = following
        finally:
            if marking is not None:
                await marking
        return total

    async def _send(self, producer: AIOKafkaProducer, rows: list[PendingEvent]) -> list[Any]:
        futures = []
        for row in rows:
            value, headers = row.record()
            # Outbox rows name the logical topic (icjs.case.v1); the broker topic carries the
            # configured prefix, as the workers' subscriptions do.
            futures.append(
                await producer.send(
                    kafka_topic(self.settings, row.topic),
                    value=value,
                    key=row.key.encode(),
                    headers=headers,
                )
            )
        return futures

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop`` is set; survives a broker that is down, slow or hung."""
        backoff = self.settings.relay_interval_seconds
        while not stop.is_set():
            try:
                # Held already: no thread and no round trip (this runs once per message).
                self.health.is_leader = self.lock.held or await asyncio.to_thread(
                    self.lock.try_acquire
                )
                if self.health.is_leader:
                    count = await self.publish_batch()
                else:
                    # A standby gateway (another process holds the relay lock) still asks the
                    # broker now and then, so that its readiness says whether Kafka is there.
                    count = 0
                    await self._probe()
                self.health.kafka = "ok"
                self.health.last_error = None
                backoff = self.settings.relay_interval_seconds
                if count >= self.settings.relay_batch_size * self.MAX_BATCHES:
                    continue
            except LeadershipLost:
                # Not the broker's fault: the next round tries to win the lock again.
                self.health.is_leader = False
            except SQLAlchemyError as error:
                # The outbox (the database) failed, not the broker: /readyz reports the
                # database from its own check, and Kafka keeps its last known state.
                log.warning(
                    "relay could not read the outbox", error=f"{type(error).__name__}: {error}"
                )
                backoff = min(max(backoff * 2, 0.5), 10.0)
            except Exception as error:
                self.health.kafka = "unreachable"
                self.health.last_error = f"{type(error).__name__}: {error}"
                log.warning(
                    "relay could not publish; events wait in the outbox",
                    error=self.health.last_error,
                )
                await self._drop_producer()
                backoff = min(max(backoff * 2, 0.5), 10.0)
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=backoff)
        await self._drop_producer()
        await asyncio.to_thread(self.lock.release)
