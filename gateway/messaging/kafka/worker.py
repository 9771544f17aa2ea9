"""A pillar's worker: the Kafka consumer group ``icjs-<pillar>`` filing the pillar's feed."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaTimeoutError

from gateway.errors import Dependency, unreachable_dependency
from gateway.messaging.consumers import DeliveryPolicy, Outage, Stopped, deliver
from gateway.messaging.feed import FeedProjector
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
            bootstrap_servers=bootstrap_servers(settings),
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
            await quietly_stop(consumer)
        if dlq is not None:
            await quietly_stop(dlq)
        log.info("worker stopped", pillar=pillar)


async def _mirror(stop: asyncio.Event, stopping: threading.Event) -> None:
    """Set ``stopping`` (seen by threads) when ``stop`` is set."""
    await stop.wait()
    stopping.set()
