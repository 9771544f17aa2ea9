"""The in-process bus of the embedded mode: relayed events go straight to local consumers."""

from __future__ import annotations

from typing import Any

from gateway.messaging.consumers import DeliveryPolicy, deliver
from gateway.messaging.ports import Consumer
from gateway.store.db import Database


class InProcessBus:
    """Delivers each published event, synchronously, to every consumer that wants its type.

    Delivery goes through the same retry and dead-letter handling as a Kafka worker,
    so a failing consumer holds up neither the relay nor the other consumers.
    """

    def __init__(self, *, db: Database, policy: DeliveryPolicy) -> None:
        self.db = db
        self.policy = policy
        self._consumers: list[Consumer] = []

    def subscribe(self, consumer: Consumer) -> None:
        """Add a consumer."""
        self._consumers.append(consumer)

    @property
    def consumers(self) -> list[Consumer]:
        """The subscribed consumers."""
        return list(self._consumers)

    def publish(self, *, topic: str, key: str, envelope: dict[str, Any]) -> None:
        """Hand one event to every interested consumer."""
        event_type = str(envelope.get("type", ""))
        for consumer in self._consumers:
            if consumer.wants(event_type):
                deliver(
                    db=self.db,
                    consumer=consumer,
                    envelope=envelope,
                    origin="in-process",
                    policy=self.policy,
                )
