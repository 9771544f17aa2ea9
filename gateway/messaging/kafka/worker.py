"""A worker: a Kafka consumer group applying events to one consumer. ``icjs-<pillar>`` files
a pillar's feed; ``icjs-persons`` keeps the person index."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaTimeoutError

from gateway.errors import Dependency, unreachable_dependency
from gateway.messaging.consumers import (
    BatchConsumer,
    DeliveryPolicy,
    Outage,
    Stopped,
    deliver_batch,
)
from gateway.messaging.kafka.clients import make_producer, quietly_stop
from gateway.messaging.kafka.codec import from_record, to_record
from gateway.messaging.kafka.topics import (
    bootstrap_servers,
    case_topic,
    consumer_group,
    dlq_topic,
)
from gateway.settings import Settings
from gateway.store.db import Database, describe_url
from gateway.store.tables import DeadLetterRow

log = structlog.get_logger(__name__)

T = TypeVar("T")

#: Events filed in one transaction at most. A backlog is filed in several transactions per
#: fetched batch, its offsets committed once after them: the transaction's cost is shared by
#: many events, and a worker that dies mid-batch has filed (and the inbox absorbs on
#: redelivery) only whole chunks.
FILE_BATCH = 25
#: Seconds at most between offset commits while events keep coming.
COMMIT_INTERVAL = 1.0


def _event_type(headers: Sequence[tuple[str, bytes]]) -> str:
    """The CloudEvents type of a binary-mode record, read from its headers alone."""
    for name, value in headers:
        if name == "ce_type":
            return value.decode()
    return ""


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
    consumer: BatchConsumer,
    label: str,
    stop: asyncio.Event,
    policy: DeliveryPolicy,
    topics: Sequence[str] | None = None,
) -> None:
    """Apply the events of ``topics`` (the case topic by default) that ``consumer`` wants, in
    the Kafka consumer group ``icjs-<label>`` (a pillar's name for its feed, ``persons``).

    Events are filed in batches (up to :data:`FILE_BATCH` in one transaction with their inbox
    rows); offsets are committed only after that (every :data:`COMMIT_INTERVAL` seconds, and
    whenever the topic goes quiet), so a crash redelivers and the inbox absorbs what was filed.

    Outages never stop it and never make dead letters: a broker that is down when the
    worker starts is waited for, a database or broker that goes away while it runs is
    waited out (backoff with jitter, a log line at each wait naming what is down), and the
    worker carries on from the event in hand when it answers again.
    """
    pillar = label
    subscribed = list(topics) if topics else [case_topic(settings)]
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
            *subscribed,
            bootstrap_servers=bootstrap_servers(settings),
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=int(timeout * 1000) + 35000,
            client_id=settings.kafka_client_id or f"icjs-worker-{pillar}",
        )

    kafka_consumer: AIOKafkaConsumer | None = None
    dlq: AIOKafkaProducer | None = None
    loop = asyncio.get_running_loop()

    async def start_consumer() -> AIOKafkaConsumer:
        candidate = new_consumer()
        try:
            await candidate.start()
        except BaseException:
            await quietly_stop(candidate)
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
                await quietly_stop(producer)
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
        assert kafka_consumer is not None
        while True:
            try:
                await asyncio.wait_for(kafka_consumer.commit({tp: offset}), timeout=timeout * 2)
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
                if tp not in kafka_consumer.assignment():
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

    async def file(envelopes: list[dict[str, Any]], origins: list[str]) -> None:
        await asyncio.to_thread(
            deliver_batch,
            db=db,
            consumer=consumer,
            envelopes=envelopes,
            origins=origins,
            policy=policy,
            on_dead_letter=send_dead_letter,
            outage=delivery_outage,
        )

    try:
        log.info("worker starting", pillar=pillar, group=group, topic=",".join(subscribed))
        # A broker that is down (or not there yet) at start is waited for, however long.
        active: AIOKafkaConsumer = await _on_broker(
            start_consumer, outage=broker_outage, stop=stop, timeout=timeout * 4, step="start"
        )
        kafka_consumer = active
        log.info("worker started", pillar=pillar, group=group, topic=",".join(subscribed))
        uncommitted: dict[TopicPartition, int] = {}
        committed_at = time.monotonic()
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
                partition = f"{tp.topic}/{tp.partition}"
                done: int | None = None
                revoked = False
                envelopes: list[dict[str, Any]] = []
                origins: list[str] = []
                for record in records:
                    if tp not in active.assignment():
                        # A rebalance gave the partition to another worker while this batch
                        # ran: it reads on from the committed offset, so stop here.
                        log.info(
                            "partition revoked during a batch; its new owner takes over",
                            partition=partition,
                            offset=record.offset,
                        )
                        revoked = True
                        break
                    # The type is a header: events for other pillars are skipped unparsed.
                    if consumer.wants(_event_type(record.headers)):
                        envelopes.append(from_record(record.value, record.headers))
                        origins.append(f"{partition}/{record.offset}")
                        if len(envelopes) >= FILE_BATCH:
                            await file(envelopes, origins)
                            envelopes, origins = [], []
                    done = record.offset
                if envelopes:
                    await file(envelopes, origins)
                    if not revoked and tp not in active.assignment():
                        # Revoked while the batch's last events were being filed: the same
                        # hand-over, seen after the fact (the new owner files them again and
                        # finds them filed).
                        log.info(
                            "partition revoked during a batch; its new owner takes over",
                            partition=partition,
                            offset=done,
                        )
                if done is not None:
                    uncommitted[tp] = done + 1
            # Offsets go to the broker once a second under load, and at once when the topic
            # goes quiet (so that the group's lag reads 0): a commit per fetched batch was a
            # broker round trip per few events. A worker that dies meanwhile gets the filed
            # events again and the inbox absorbs them.
            quiet = not batches
            if uncommitted and (quiet or time.monotonic() - committed_at >= COMMIT_INTERVAL):
                assigned = active.assignment()
                for tp, offset in list(uncommitted.items()):
                    # A partition that went to another worker meanwhile is its to commit: an
                    # offset of ours could only move its committed offset back.
                    if tp in assigned:
                        await commit(tp, offset)
                    del uncommitted[tp]
                committed_at = time.monotonic()
        if uncommitted:
            # Asked to stop: what was filed is committed, once and briefly, so that the next
            # worker starts after it (if this fails it gets those events again, absorbed).
            assigned = active.assignment()
            mine = {tp: offset for tp, offset in uncommitted.items() if tp in assigned}
            with contextlib.suppress(Exception):
                if mine:
                    await asyncio.wait_for(active.commit(mine), timeout=timeout)
    except Stopped:
        # Asked to stop while waiting for a dependency: the event in hand was not applied
        # and its offset not committed, so it is delivered again later.
        log.info("worker asked to stop while waiting for a dependency", pillar=pillar)
    finally:
        watcher.cancel()
        if kafka_consumer is not None:
            await quietly_stop(kafka_consumer)
        if dlq is not None:
            await quietly_stop(dlq)
        log.info("worker stopped", pillar=pillar)


async def _mirror(stop: asyncio.Event, stopping: threading.Event) -> None:
    """Set ``stopping`` (seen by threads) when ``stop`` is set."""
    await stop.wait()
    stopping.set()
