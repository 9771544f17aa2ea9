"""The prisons adapter the gateway registers: the shared toolkit's media-type dispatch over the
prison formats, with the prison translators and documents."""

from __future__ import annotations

from typing import ClassVar

from adapters.prisons import formats, inbound, outbound
from adapters.prisons.policy import PrisonsPolicy
from canonical_model.events import (
    DeadlineBreached,
    DeadlineDueSoon,
    EventPayload,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.messages import FeedItem
from canonical_model.policy import Policy
from contracts.toolkit import DEADLINE_EVENTS, Document, ToolkitAdapter


class PrisonsAdapter(ToolkitAdapter):
    """Translates between the e-Prisons formats (JSON and XML) and canonical events.

    Inbound (prison -> gateway): ``admission``, ``production``, ``release`` (a death or
    an escape becomes its own event), ``transfer``, ``readmission``, ``conviction``.
    Outbound: the feed each prison pulls of the court orders and judgments that
    concern its inmates, and of the BNSS s.479 clocks of its undertrials as they fall due or
    run out (``encode`` writes custody events back in the prison format; ``case_id`` is not
    part of it).
    """

    pillar: ClassVar[str] = "prisons"
    policy: ClassVar[Policy] = PrisonsPolicy()
    description = formats.PILLAR
    translators = inbound.TRANSLATORS
    inbound_message_types: ClassVar[tuple[str, ...]] = tuple(formats.PILLAR.by_type)
    feed_event_types: ClassVar[tuple[str, ...]] = (
        OrderIssued.name,
        JudgmentDelivered.name,
        *DEADLINE_EVENTS,
    )

    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """The prison document carrying ``payload`` (a court document for an order or a
        judgment) and its root element."""
        _, root, document = outbound.prison_document(payload)
        return root, document

    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """A court order, a judgment or a deadline on a prison's feed."""
        return outbound.feed_entry(item)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """The first of :meth:`feed_institutions`; None for an event on no prison's feed."""
        prisons = self.feed_institutions(payload)
        return prisons[0] if prisons else None

    def feed_institutions(self, payload: EventPayload) -> tuple[str, ...]:
        """The prisons whose feeds an order or judgment goes to: the prison the order names,
        else every prison holding an accused it concerns (the gateway writes their prisoner
        numbers into the event at ingest), for an order of a kind a prison acts on
        (:data:`formats.FEED_ORDER_KINDS`; a licence suspension concerning an inmate is
        Sarathi's, not the prison's); for a deadline, the prison that must act on it (a
        clock of the prisons pillar only: the s.479 clocks, the Superintendent's duty under
        s.479(3))."""
        if isinstance(payload, OrderIssued):
            if payload.order.kind not in formats.FEED_ORDER_KINDS:
                return ()
            return tuple(payload.prisons())
        if isinstance(payload, JudgmentDelivered):
            return tuple(payload.prisons())
        if isinstance(payload, DeadlineDueSoon | DeadlineBreached):
            notice = payload.deadline
            if notice.pillar == self.pillar and notice.institution is not None:
                return (notice.institution,)
        return ()
