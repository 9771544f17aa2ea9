"""The courts adapter the gateway registers: the shared toolkit's media-type dispatch over the
court formats, with the court translators and documents."""

from __future__ import annotations

from typing import ClassVar

from adapters.courts import formats, inbound, outbound
from adapters.courts.policy import CourtsPolicy
from canonical_model.events import ChargesheetFiled, DeadlineBreached, DeadlineDueSoon, EventPayload
from canonical_model.messages import FeedItem
from canonical_model.policy import Policy
from contracts.toolkit import DEADLINE_EVENTS, Document, ToolkitAdapter


class CourtsAdapter(ToolkitAdapter):
    """Translates between the e-Courts formats (JSON and XML) and canonical events.

    Inbound (court -> gateway): ``case_registration``, ``hearing``, ``order``,
    ``judgment``. Outbound: the feed each court establishment pulls (the charge sheets filed
    in it, and the statutory clocks it must act on as they fall due or run out), and any
    court-side event written in the court's format (``encode``; ``case_id`` goes into a
    charge sheet).
    """

    pillar: ClassVar[str] = "courts"
    policy: ClassVar[Policy] = CourtsPolicy()
    description = formats.PILLAR
    translators = inbound.TRANSLATORS
    inbound_message_types: ClassVar[tuple[str, ...]] = (
        "case_registration",
        "hearing",
        "order",
        "judgment",
    )
    feed_event_types: ClassVar[tuple[str, ...]] = (ChargesheetFiled.name, *DEADLINE_EVENTS)

    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """The court document carrying ``payload`` and its root element."""
        fmt, document = outbound.court_document(payload, case_id=case_id)
        return fmt.root, document

    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """A charge sheet, or a deadline, on a court establishment's feed."""
        return outbound.feed_entry(item)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """The court establishment whose feed an event goes to: the court a charge sheet is filed
        in; the court that must act on a deadline (a clock of the courts pillar only: no other
        pillar's clock reaches a court's feed); None for other events."""
        if isinstance(payload, ChargesheetFiled):
            return str(payload.report.court)
        if isinstance(payload, DeadlineDueSoon | DeadlineBreached):
            notice = payload.deadline
            return notice.institution if notice.pillar == self.pillar else None
        return None
