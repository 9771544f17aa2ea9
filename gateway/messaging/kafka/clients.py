"""The Kafka clients the gateway makes: its producer's settings, and stopping any client
without letting a broker that is away hang the caller."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer

from gateway.messaging.kafka.topics import bootstrap_servers
from gateway.settings import Settings

log = structlog.get_logger(__name__)


def make_producer(settings: Settings) -> AIOKafkaProducer:
    """An idempotent producer (no duplicates or reordering from its own retries) with timeouts."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(settings),
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        request_timeout_ms=int(settings.kafka_timeout_seconds * 1000),
        retry_backoff_ms=200,
        client_id=settings.kafka_client_id or "icjs-gateway",
    )


async def quietly_stop(client: Any) -> None:
    """Stop a producer, consumer or admin client, giving up after 5 s."""
    try:
        await asyncio.wait_for(client.stop(), timeout=5)
    except Exception:
        log.debug("kafka client did not stop cleanly")
