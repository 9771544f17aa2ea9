"""The in-process bus of the embedded mode: relayed events go straight to local consumers."""

from __future__ import annotations

from typing import Any

from gateway.ports import Consumer


class InProcessBus:
    """Delivers each published event, synchronously, to every consumer that wants its type.

    A consumer that raises stops the delivery; the relay leaves the event in the
    outbox and delivers it again later, which the consumers' inboxes make harmless.
    """

    def __init__(self) -> None:
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
                consumer.handle(envelope)
