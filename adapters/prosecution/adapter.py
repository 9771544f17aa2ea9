"""The prosecution adapter the gateway registers: the shared toolkit's media-type dispatch over
the prosecution formats, with the office translators and documents."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from adapters.prosecution import formats, inbound, outbound
from adapters.prosecution.policy import ProsecutionPolicy
from canonical_model.events import ChargesheetFiled, EventPayload, JudgmentDelivered
from canonical_model.messages import DecodedMessage, FeedItem
from canonical_model.policy import Policy
from canonical_model.prosecution import route_police_report
from contracts.toolkit import Document, ToolkitAdapter, syntax_of


class ProsecutionAdapter(ToolkitAdapter):
    """Translates between the prosecution office formats (JSON and XML) and canonical events.

    Inbound (office -> gateway): ``prosecutor_assignment``, ``scrutiny_result``,
    ``legal_opinion``, ``appeal_recommendation``. Outbound: the feed each office pulls of the
    police reports routed to it under BNSS s.20 (charge sheets, closure and untraced reports,
    supplementary reports, re-filed versions) and of the judgments of its cases.
    """

    pillar: ClassVar[str] = "prosecution"
    policy: ClassVar[Policy] = ProsecutionPolicy()
    description = formats.PILLAR
    translators = inbound.TRANSLATORS
    inbound_message_types: ClassVar[tuple[str, ...]] = tuple(
        fmt.message_type for fmt in formats.INBOUND
    )
    feed_event_types: ClassVar[tuple[str, ...]] = (ChargesheetFiled.name, JudgmentDelivered.name)

    def decode(self, body: bytes, *, media_type: str) -> DecodedMessage:
        """Validate and translate a message (the toolkit's), and say where its top-level fields
        are in the office's document, so that the gateway locates errors found against the case."""
        decoded = super().decode(body, media_type=media_type)
        syntax = syntax_of(media_type, self.description)
        return dataclasses.replace(decoded, origins=inbound.origins(decoded.message_type, syntax))

    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """The prosecution document carrying ``payload`` and its root element."""
        return outbound.prosecution_document(payload)

    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """A police report or a judgment on an office's feed."""
        return outbound.feed_entry(item)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """The first of :meth:`feed_institutions`: for a police report, the office that
        scrutinises it."""
        offices = self.feed_institutions(payload)
        return offices[0] if offices else None

    def feed_institutions(self, payload: EventPayload) -> tuple[str, ...]:
        """The offices whose feeds an event goes to, from the event alone: a police report to
        the district's Deputy Director for scrutiny (BNSS s.20(8)) and to the office that
        monitors the case by its gravest offence when that is another (s.20(7), (9)); a
        judgment to the office handling the case (the gateway writes it in at ingest)."""
        if isinstance(payload, ChargesheetFiled):
            return tuple(str(o) for o in route_police_report(payload.report).offices())
        if isinstance(payload, JudgmentDelivered) and payload.prosecution_office is not None:
            return (str(payload.prosecution_office),)
        return ()
