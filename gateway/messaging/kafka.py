"""Apache Kafka transport (aiokafka): the outbox relay's publisher and the pillar workers.

Events travel as CloudEvents in Kafka's binary content mode (CloudEvents Kafka
protocol binding, github.com/cloudevents/spec ``kafka-protocol-binding.md``):
the attributes are ``ce_*`` headers, the value is the event data, the key is
the case id so that one case's events stay in one partition, in order.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaTimeoutError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gateway.errors import Dependency, unreachable_dependency
from gateway.messaging.consumers import DeliveryPolicy, Outage, Stopped, deliver
from gateway.messaging.feed import FeedProjector
from gateway.messaging.kafka_codec import from_record, to_record
from gateway.messaging.outbox import (
    PendingEvent,
    fetch_records,
    fetch_records_on,
    mark_published,
    mark_published_on,
)
from gateway.settings import Settings
from gateway.store.db import Database, describe_url
from gateway.store.tables import DeadLetterRow

log = structlog.get_logger(__name__)

T = TypeVar("T")


def kafka_topic(settings: Settings, logical: str) -> str:
    """The broker topic for a logical topic (``icjs.case.v1``) under the configured prefix, so
    that several exchanges (or test runs) can share one cluster."""
    return settings.kafka_topic_prefix + logical.removeprefix("icjs")


def case_topic(settings: Settings) -> str:
    """The topic of case lifecycle events (``icjs.case.v1``)."""
    return kafka_topic(settings, "icjs.case.v1")


def dlq_topic(settings: Settings, pillar: str) -> str:
    """The dead-letter topic of a pillar's workers (``icjs.dlq.courts``)."""
    return kafka_topic(settings, f"icjs.dlq.{pillar}")


def consumer_group(settings: Settings, pillar: str) -> str:
    """The consumer group of a pillar's workers (``icjs-courts``)."""
    return f"{settings.kafka_topic_prefix}-{pillar}"


def _servers(settings: Settings) -> list[str]:
    assert settings.kafka_bootstrap_servers, "Kafka is not configured"
    return [s.strip() for s in settings.kafka_bootstrap_servers.split(",") if s.strip()]


def make_producer(settings: Settings) -> AIOKafkaProducer:
    """An idempotent producer (no duplicates or reordering from its own retries) with timeouts."""
    return AIOKafkaProducer(
        bootstrap_servers=_servers(settings),
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        request_timeout_ms=int(settings.kafka_timeout_seconds * 1000),
        retry_backoff_ms=200,
        client_id=settings.kafka_client_id or "icjs-gateway",
    )


class LeadershipLost(Exception):
    """The relay lock's session ended: another gateway may be relaying now."""


class RelayLock:
    """Lets exactly one gateway process relay at a time.

    On PostgreSQL a session-level advisory lock held on a dedicated connection:
    if the process dies the connection closes and the lock is freed for another.
    Elsewhere (SQLite, one process) it is always granted.
    """

    KEY = 0x1C15_0001

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: Any = None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True while this process holds it.

        Once held, whether it is still held is learnt from the lock session's next use
        (:meth:`fetch`, :meth:`mark`): the relay reads and marks the outbox on that same
        session, so it never relays a row on a session that has lost the lock.
        """
        if self.db.engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            return True
        conn = self.db.engine.connect()
        try:
            got = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.KEY}).scalar()
            )
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def fetch(self, limit: int, after: int = 0) -> list[PendingEvent]:
        """The next unpublished outbox rows, read on the lock session (PostgreSQL)."""
        if self._conn is None:
            return fetch_records(self.db, limit, after=after)
        try:
            return fetch_records_on(self._conn, limit, after=after)
        except Exception as error:
            self._lost(error)
            raise LeadershipLost(str(error)) from error

    def mark(self, sequences: list[int]) -> None:
        """Mark rows published, on the lock session (PostgreSQL)."""
        if self._conn is None:
            mark_published(self.db, sequences)
            return
        try:
            mark_published_on(self._conn, sequences)
        except Exception as error:
            self._lost(error)
            raise LeadershipLost(str(error)) from error

    def _lost(self, error: BaseException) -> None:
        # The lock lives as long as its session: if that session was ended under us
        # (terminated, server restarted, network cut) the server has freed the lock and
        # another gateway may hold it now, so this one stops until it wins the lock again.
        log.warning(
            "relay lock session lost; this gateway stops relaying until it wins the lock again",
            error=f"{type(error).__name__}: {error}",
        )
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()
                conn.close()

    def release(self) -> None:
        """Give the lock up (closing its connection frees it)."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.KEY})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None


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
                await _quietly_stop(producer)
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
            await _quietly_stop(producer)

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
                self.health.is_leader = await asyncio.to_thread(self.lock.try_acquire)
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


async def _quietly_stop(client: Any) -> None:
    try:
        await asyncio.wait_for(client.stop(), timeout=5)
    except Exception:
        log.debug("kafka client did not stop cleanly")


def _outage_target(settings: Settings) -> Callable[[Dependency], str]:
    """Where each dependency is, fit for a log line (no password)."""

    def where(dependency: Dependency) -> str:
        if dependency is Dependency.DATABASE:
            return describe_url(settings.database_url)
        return f"kafka://{settings.kafka_bootstrap_servers}"

    return where


async def _sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``; raise :class:`Stopped` as soon as ``stop`` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    if stop.is_set():
        raise Stopped("kafka")


async def _on_broker(
    call: Callable[[], Awaitable[T]],
    *,
    outage: Outage,
    stop: asyncio.Event,
    timeout: float,
    **context: Any,
) -> T:
    """Await ``call()`` (within ``timeout``) until the broker answers, waiting out its outages
    with the outage's backoff; any other error is raised."""
    while True:
        try:
            try:
                result = await asyncio.wait_for(call(), timeout=timeout)
            except TimeoutError as timed_out:
                raise KafkaTimeoutError(f"no answer from the broker in {timeout:g}s") from timed_out
        except Exception as error:
            if unreachable_dependency(error) is not Dependency.KAFKA:
                raise
            await _sleep_unless_stopped(stop, outage.next_delay(Dependency.KAFKA, error, **context))
            continue
        outage.recovered(**context)
        return result


async def run_worker(
    *,
    db: Database,
    settings: Settings,
    projector: FeedProjector,
    stop: asyncio.Event,
    policy: DeliveryPolicy,
) -> None:
    """A pillar's outbound consumer in the Kafka consumer group ``icjs-<pillar>``.

    Each event is applied in one transaction with its inbox row; offsets are
    committed only after that, so a crash redelivers and the inbox absorbs it.

    Outages never stop it and never make dead letters: a broker that is down when the
    worker starts is waited for, a database or broker that goes away while it runs is
    waited out (backoff with jitter, a log line at each wait naming what is down), and the
    worker carries on from the event in hand when it answers again.
    """
    pillar = projector.adapter.pillar
    group = consumer_group(settings, pillar)
    timeout = settings.kafka_timeout_seconds
    where = _outage_target(settings)
    # The delivery thread's waits end at once when the worker is asked to stop.
    stopping = threading.Event()
    watcher = asyncio.create_task(_mirror(stop, stopping))

    def sleep_in_thread(seconds: float) -> None:
        stopping.wait(seconds)

    delivery_outage = Outage(
        policy=policy,
        what=f"worker {pillar}",
        where=where,
        sleep=sleep_in_thread,
        stopping=stopping.is_set,
    )
    broker_outage = Outage(policy=policy, what=f"worker {pillar}", where=where)

    def new_consumer() -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            case_topic(settings),
            bootstrap_servers=_servers(settings),
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=int(timeout * 1000) + 35000,
            client_id=settings.kafka_client_id or f"icjs-worker-{pillar}",
        )

    consumer: AIOKafkaConsumer | None = None
    dlq: AIOKafkaProducer | None = None
    loop = asyncio.get_running_loop()

    async def start_consumer() -> AIOKafkaConsumer:
        candidate = new_consumer()
        try:
            await candidate.start()
        except BaseException:
            await _quietly_stop(candidate)
            raise
        return candidate

    async def send_dead_letter_async(
        value: bytes, key: bytes, headers: list[tuple[str, bytes]]
    ) -> None:
        nonlocal dlq
        if dlq is None:
            # Started when first needed: a worker needs no producer to start, nor a broker
            # for it until an event turns out to be a dead letter.
            producer = make_producer(settings)
            try:
                await producer.start()
            except BaseException:
                await _quietly_stop(producer)
                raise
            dlq = producer
        await dlq.send_and_wait(dlq_topic(settings, pillar), value=value, key=key, headers=headers)

    def send_dead_letter(row: DeadLetterRow) -> None:
        value, headers = to_record(row.envelope)
        headers += [
            ("icjs_error", row.error.encode()),
            ("icjs_attempts", str(row.attempts).encode()),
            ("icjs_origin", row.origin.encode()),
            ("icjs_consumer", row.consumer.encode()),
            ("icjs_dead_letter_id", str(row.id).encode()),
        ]
        future = asyncio.run_coroutine_threadsafe(
            send_dead_letter_async(value, (row.case_id or "").encode(), headers), loop
        )
        try:
            future.result(timeout=timeout * 2)
        except concurrent.futures.TimeoutError as timed_out:
            future.cancel()
            raise KafkaTimeoutError(
                f"the dead-letter topic did not acknowledge in {timeout * 2:g}s"
            ) from timed_out

    async def commit(tp: TopicPartition, offset: int) -> None:
        assert consumer is not None
        while True:
            try:
                await asyncio.wait_for(consumer.commit({tp: offset}), timeout=timeout * 2)
                broker_outage.recovered(partition=f"{tp.topic}/{tp.partition}")
                return
            except (CommitFailedError, IllegalStateError) as error:
                # Revoked meanwhile: the partition's new owner gets these events again
                # and the inbox absorbs them. Not a reason for the worker to die.
                log.warning(
                    "offsets not committed after a rebalance; the events will be redelivered",
                    partition=f"{tp.topic}/{tp.partition}",
                    error=f"{type(error).__name__}: {error}",
                )
                return
            except Exception as error:
                if isinstance(error, TimeoutError):
                    error = KafkaTimeoutError("the offset commit was not acknowledged in time")
                if unreachable_dependency(error) is not Dependency.KAFKA:
                    raise
                if tp not in consumer.assignment():
                    log.warning(
                        "offsets not committed: the partition went to another worker during "
                        "the broker's outage; the events will be redelivered",
                        partition=f"{tp.topic}/{tp.partition}",
                    )
                    return
                delay = broker_outage.next_delay(
                    Dependency.KAFKA, error, partition=f"{tp.topic}/{tp.partition}", offset=offset
                )
                await _sleep_unless_stopped(stop, delay)

    try:
        log.info("worker starting", pillar=pillar, group=group, topic=case_topic(settings))
        # A broker that is down (or not there yet) at start is waited for, however long.
        active: AIOKafkaConsumer = await _on_broker(
            start_consumer, outage=broker_outage, stop=stop, timeout=timeout * 4, step="start"
        )
        consumer = active
        log.info("worker started", pillar=pillar, group=group, topic=case_topic(settings))
        while not stop.is_set():
            try:
                batches = await active.getmany(timeout_ms=200, max_records=200)
            except Exception as error:
                if unreachable_dependency(error) is not Dependency.KAFKA:
                    raise
                await _sleep_unless_stopped(
                    stop, broker_outage.next_delay(Dependency.KAFKA, error, step="fetch")
                )
                continue
            for tp, records in batches.items():
                done: int | None = None
                for record in records:
                    if tp not in active.assignment():
                        # A rebalance gave the partition to another worker while this batch
                        # ran: it reads on from the committed offset, so stop here.
                        log.info(
                            "partition revoked during a batch; its new owner takes over",
                            partition=f"{tp.topic}/{tp.partition}",
                            offset=record.offset,
                        )
                        break
                    envelope = from_record(record.value, record.headers)
                    if projector.wants(str(envelope.get("type", ""))):
                        await asyncio.to_thread(
                            deliver,
                            db=db,
                            consumer=projector,
                            envelope=envelope,
                            origin=f"{tp.topic}/{tp.partition}/{record.offset}",
                            policy=policy,
                            on_dead_letter=send_dead_letter,
                            outage=delivery_outage,
                        )
                    done = record.offset
                if done is None:
                    continue
                await commit(tp, done + 1)
    except Stopped:
        # Asked to stop while waiting for a dependency: the event in hand was not applied
        # and its offset not committed, so it is delivered again later.
        log.info("worker asked to stop while waiting for a dependency", pillar=pillar)
    finally:
        watcher.cancel()
        if consumer is not None:
            await _quietly_stop(consumer)
        if dlq is not None:
            await _quietly_stop(dlq)
        log.info("worker stopped", pillar=pillar)


async def _mirror(stop: asyncio.Event, stopping: threading.Event) -> None:
    """Set ``stopping`` (seen by threads) when ``stop`` is set."""
    await stop.wait()
    stopping.set()
