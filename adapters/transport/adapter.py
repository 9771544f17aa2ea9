"""The transport adapter the gateway registers: the Vahan and Sarathi formats over the shared
adapter toolkit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from adapters.transport import formats, inbound, outbound
from adapters.transport.policy import TransportPolicy
from canonical_model.events import (
    VEHICLE_EVENTS,
    EventPayload,
    OrderIssued,
)
from canonical_model.messages import FeedItem
from canonical_model.policy import Policy
from contracts.toolkit import Document, Pillar, ToolkitAdapter, Translator, syntax_of, write


class TransportAdapter(ToolkitAdapter):
    """Translates between the transport registries' formats (JSON and XML) and canonical
    events.

    Inbound (registry -> gateway): ``vehicle_record`` (Vahan) and ``licence_record``
    (Sarathi), pushed or answering a feed item (``inReplyTo``). Outbound: the feed each
    registry pulls (``GET /v1/transport/feed?registry=VAHAN|SARATHI``): vehicles the police
    report stolen, recovered or seized for Vahan, court orders suspending or revoking a
    driving licence for Sarathi.
    """

    pillar: ClassVar[str] = formats.PILLAR.name
    policy: ClassVar[Policy] = TransportPolicy()
    description: ClassVar[Pillar] = formats.PILLAR
    translators: ClassVar[dict[str, Translator]] = inbound.TRANSLATORS
    inbound_message_types: ClassVar[tuple[str, ...]] = (
        formats.VEHICLE_RECORD.message_type,
        formats.LICENCE_RECORD.message_type,
    )
    feed_event_types: ClassVar[tuple[str, ...]] = (
        *(event.name for event in VEHICLE_EVENTS),
        OrderIssued.name,
    )

    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """A vehicle flag, a licence order or a registry record; ``case_id`` goes into a flag
        or an order."""
        fmt, document = outbound.registry_document(payload, case_id=case_id)
        return fmt.root, document

    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """A feed item's entry: a vehicle flag or a licence order."""
        return outbound.feed_entry(item)

    def encode_feed(
        self,
        items: Sequence[FeedItem],
        *,
        institution: str,
        next_cursor: str | None,
        media_type: str,
    ) -> bytes:
        """One page of a registry's feed; each item names the record that answers it."""
        syntax = syntax_of(media_type, self.description)
        page = outbound.feed_document(items, institution=institution, next_cursor=next_cursor)
        return write(page, root=formats.TRANSPORT_FEED.root, syntax=syntax, pillar=self.description)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """``VAHAN`` for the police's vehicle reports, ``SARATHI`` for court orders acting on
        a driving licence, None otherwise (ordinary court orders go to no registry)."""
        return outbound.registry_of(payload)
