"""The small ports the gateway's services depend on.

Adapters satisfy :class:`PillarAdapter` structurally, without importing this
module: that is what keeps them free of the gateway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from canonical_model.events import EventPayload
from canonical_model.messages import DecodedMessage, FeedItem


class PillarAdapter(Protocol):
    """A translator between one pillar's formats and the canonical model."""

    pillar: str
    media_types: tuple[str, ...]
    inbound_message_types: tuple[str, ...]
    feed_event_types: tuple[str, ...]

    def sniff_type(self, body: bytes, *, media_type: str) -> str | None:
        """Best-effort message type, for the message log; never raises."""
        ...

    def decode(self, body: bytes, *, media_type: str) -> DecodedMessage:
        """Validate against the pillar's contract and translate to canonical events."""
        ...

    def encode_feed(
        self,
        items: Sequence[FeedItem],
        *,
        institution: str,
        next_cursor: str | None,
        media_type: str,
    ) -> bytes:
        """Render one page of an institution's feed in the pillar's format."""
        ...

    def feed_institutions(self, payload: EventPayload) -> Sequence[str]:
        """The institutions whose feeds an event goes to; none for an event on no feed."""
        ...


class Consumer(Protocol):
    """Something the bus delivers events to; it must be idempotent per event id."""

    name: str

    def wants(self, event_type: str) -> bool:
        """Whether this consumer handles events of ``event_type``."""
        ...

    def handle(self, envelope: dict[str, Any]) -> None:
        """Apply one CloudEvent (as a JSON mapping); a redelivery must change nothing."""
        ...


class EventBus(Protocol):
    """Carries relayed events to consumers (in-process) or to a broker (Kafka)."""

    def publish(self, *, topic: str, key: str, envelope: dict[str, Any]) -> None:
        """Publish one event; raises when it could not be handed over."""
        ...
