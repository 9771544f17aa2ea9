"""The small ports the gateway's services depend on.

Adapters satisfy :class:`PillarAdapter` structurally, without importing this
module: that is what keeps them free of the gateway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from canonical_model.competence import Directory
from canonical_model.events import EventPayload
from canonical_model.lifecycle import CaseStatus
from canonical_model.messages import DecodedMessage, FeedItem
from canonical_model.privacy import ReaderRole


class PillarPolicy(Protocol):
    """Who a pillar's institutions are, what they may send, which cases they may read
    (:class:`canonical_model.policy.Policy` is the base every built-in one extends)."""

    @property
    def pillar(self) -> str:
        """The pillar's name, as in the API paths."""
        ...

    @property
    def noun(self) -> str:
        """What one of its institutions is called."""
        ...

    @property
    def institution_help(self) -> str:
        """What ``--institution`` means for a key of this pillar."""
        ...

    @property
    def feed_parameter(self) -> str | None:
        """The query parameter naming the institution whose feed is read."""
        ...

    @property
    def message_types(self) -> tuple[str, ...]:
        """The canonical names of the events the pillar may send."""
        ...

    def normalise_institution(self, code: str) -> str:
        """The institution code in canonical form; ValueError naming the expected form."""
        ...

    def may_send(self, institution: str, payload: EventPayload) -> None:
        """Raise Forbidden unless the pillar sends ``payload`` and speaks for itself in it."""
        ...

    def check_case(
        self,
        institution: str,
        payload: EventPayload,
        *,
        status: CaseStatus,
        directory: Directory,
    ) -> None:
        """Raise when the case's history gives the institution no authority for it."""
        ...

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """Whether the institution may read the case."""
        ...

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """What the institution is to the case for personal data by law."""
        ...


class PillarAdapter(Protocol):
    """A translator between one pillar's formats and the canonical model.

    Its descriptive members are read-only, so that an adapter may hold them as class
    attributes (``ToolkitAdapter`` does) and its policy may be any :class:`PillarPolicy`.
    """

    @property
    def pillar(self) -> str:
        """The pillar's name, as in the API paths."""
        ...

    @property
    def policy(self) -> PillarPolicy:
        """Who the pillar's institutions are, what they may send and read."""
        ...

    @property
    def media_types(self) -> tuple[str, ...]:
        """The media types the pillar's messages and feeds come in."""
        ...

    @property
    def inbound_message_types(self) -> tuple[str, ...]:
        """The message types the pillar sends to the gateway."""
        ...

    @property
    def feed_event_types(self) -> tuple[str, ...]:
        """The canonical events that go on the pillar's feeds."""
        ...

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
