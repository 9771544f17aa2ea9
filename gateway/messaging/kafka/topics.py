"""Where the gateway's events live on Kafka: topic and consumer-group names under the
configured prefix, and the bootstrap servers."""

from __future__ import annotations

from gateway.settings import Settings


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


def bootstrap_servers(settings: Settings) -> list[str]:
    """The configured bootstrap servers, one ``host:port`` each."""
    assert settings.kafka_bootstrap_servers, "Kafka is not configured"
    return [s.strip() for s in settings.kafka_bootstrap_servers.split(",") if s.strip()]
