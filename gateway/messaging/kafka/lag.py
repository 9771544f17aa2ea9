"""The lag of each pillar's worker group, read from Kafka for ``/readyz``.

For every pillar with a feed, the group ``icjs-<pillar>`` (under the topic prefix): its
committed offset on each partition of the case topic (the admin API's OffsetFetch,
``AIOKafkaAdminClient.list_consumer_group_offsets``) against the partition's end offset
(``AIOKafkaConsumer.end_offsets``, a consumer of no group), and how many members the group
has (``describe_consumer_groups``). A partition the group has never committed counts from
offset 0, as the workers start from the earliest record.

It is read in the background, every few seconds, every call bounded by a timeout, so that
``/readyz`` answers from memory at once whatever the broker does; the report says when it was
read and, when the last try failed, why.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from gateway.errors import Dependency, unreachable_dependency
from gateway.messaging.kafka.clients import quietly_stop
from gateway.messaging.kafka.topics import bootstrap_servers, case_topic, consumer_group
from gateway.settings import Settings

log = structlog.get_logger(__name__)


@dataclass
class GroupLag:
    """One group's lag on the case topic."""

    group: str
    lag: int
    members: int
    state: str
    partitions: dict[int, dict[str, int | None]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "lag": self.lag,
            "members": self.members,
            "state": self.state,
            "partitions": {str(p): v for p, v in sorted(self.partitions.items())},
        }


@dataclass
class ConsumerLag:
    """Reads and keeps the lag of each pillar's worker group."""

    settings: Settings
    pillars: list[str]
    interval_seconds: float = 2.0
    groups: dict[str, GroupLag] = field(default_factory=dict)
    read_at: float | None = None  # time.time() of the last successful read
    last_error: str | None = None
    #: Whether the last failure was the broker being away (rather than, say, a refusal).
    broker_down: bool = False
    _admin: AIOKafkaAdminClient | None = None
    _offsets: AIOKafkaConsumer | None = None

    @property
    def timeout(self) -> float:
        return min(self.settings.kafka_timeout_seconds, 5.0)

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(
                bootstrap_servers=bootstrap_servers(self.settings),
                request_timeout_ms=int(self.timeout * 1000),
                client_id="icjs-gateway-lag",
            )
            try:
                await asyncio.wait_for(admin.start(), timeout=self.timeout)
            except BaseException:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(admin.close(), timeout=self.timeout)
                raise
            self._admin = admin
        if self._offsets is None:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=bootstrap_servers(self.settings),
                group_id=None,
                enable_auto_commit=False,
                request_timeout_ms=int(self.timeout * 1000),
                client_id="icjs-gateway-lag",
            )
            try:
                await asyncio.wait_for(consumer.start(), timeout=self.timeout)
            except BaseException:
                await quietly_stop(consumer)
                raise
            self._offsets = consumer
        return self._admin, self._offsets

    async def close(self) -> None:
        admin, self._admin = self._admin, None
        consumer, self._offsets = self._offsets, None
        if admin is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(admin.close(), timeout=5)
        if consumer is not None:
            await quietly_stop(consumer)

    async def read(self) -> dict[str, GroupLag]:
        """Read every group's lag now (each call bounded by the timeout)."""
        admin, offsets = await self._clients()
        topic = case_topic(self.settings)
        metadata = await asyncio.wait_for(
            offsets._client.fetch_all_metadata(), timeout=self.timeout
        )
        numbers = sorted(metadata.partitions_for_topic(topic) or ())
        partitions = [TopicPartition(topic, n) for n in numbers]
        ends: dict[TopicPartition, int] = (
            await asyncio.wait_for(offsets.end_offsets(partitions), timeout=self.timeout)
            if partitions
            else {}
        )
        groups = {pillar: consumer_group(self.settings, pillar) for pillar in self.pillars}
        result: dict[str, GroupLag] = {}
        for pillar, group in groups.items():
            # One group per DescribeGroups request: aiokafka 0.14 misreads a response of
            # several groups from Kafka 4.1 (the second group comes back garbled).
            [described] = await asyncio.wait_for(
                admin.describe_consumer_groups([group]), timeout=self.timeout
            )
            _error, _group, state, _type, _protocol, group_members = described.groups[0]
            committed = (
                await asyncio.wait_for(
                    admin.list_consumer_group_offsets(group, partitions=partitions),
                    timeout=self.timeout,
                )
                if partitions
                else {}
            )
            per_partition: dict[int, dict[str, int | None]] = {}
            total = 0
            for tp in partitions:
                meta = committed.get(tp)
                at = meta.offset if meta is not None and meta.offset >= 0 else None
                end = ends.get(tp, 0)
                lag = max(end - (at or 0), 0)
                total += lag
                per_partition[tp.partition] = {"committed": at, "end": end, "lag": lag}
            result[pillar] = GroupLag(
                group=group,
                lag=total,
                members=len(group_members),
                state=state,
                partitions=per_partition,
            )
        return result

    async def refresh(self) -> None:
        """Read the lag once, keeping the result or the error."""
        try:
            self.groups = await self.read()
            self.read_at = time.time()
            self.last_error = None
            self.broker_down = False
        except Exception as error:
            if isinstance(error, TimeoutError):
                error_text = f"KafkaTimeoutError: no answer from the broker in {self.timeout:g}s"
                self.broker_down = True
            else:
                error_text = f"{type(error).__name__}: {str(error).strip()}"
                self.broker_down = unreachable_dependency(error) is Dependency.KAFKA
            if self.last_error is None:
                log.warning("consumer lag could not be read", error=error_text)
            self.last_error = error_text
            await self.close()  # reconnect from scratch next time

    async def run(self, stop: asyncio.Event) -> None:
        """Refresh until ``stop`` is set."""
        try:
            while not stop.is_set():
                await self.refresh()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.interval_seconds)
        finally:
            await self.close()

    def report(self) -> dict[str, Any]:
        """What ``/readyz`` shows: each pillar's group, when it was read, the last error."""
        body: dict[str, Any] = {
            pillar: lag.as_dict() for pillar, lag in sorted(self.groups.items())
        }
        return body
