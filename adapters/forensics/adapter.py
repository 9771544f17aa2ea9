"""The forensics adapter the gateway registers: the shared toolkit's media-type dispatch over
the laboratory formats, with the laboratory translators and documents."""

from __future__ import annotations

from typing import ClassVar

from adapters.forensics import formats, inbound, outbound
from adapters.forensics.policy import ForensicsPolicy
from canonical_model.events import EventPayload, ForensicRequested
from canonical_model.messages import FeedItem
from canonical_model.policy import Policy
from contracts.toolkit import Document, ToolkitAdapter


class ForensicsAdapter(ToolkitAdapter):
    """Translates between the laboratory formats (JSON and XML) and canonical events.

    Inbound (laboratory -> gateway): ``acknowledgement``, ``custody``, ``report``,
    ``report_revision``. Outbound: the examination-request feed each laboratory pulls, and any
    forensic event written in the laboratory format (``encode``; ``case_id`` goes into a
    request).
    """

    pillar: ClassVar[str] = "forensics"
    policy: ClassVar[Policy] = ForensicsPolicy()
    description = formats.PILLAR
    translators = inbound.TRANSLATORS
    inbound_message_types: ClassVar[tuple[str, ...]] = (
        "acknowledgement",
        "custody",
        "report",
        "report_revision",
    )
    feed_event_types: ClassVar[tuple[str, ...]] = (ForensicRequested.name,)

    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """The laboratory document carrying ``payload`` and its root element."""
        fmt, document = outbound.lab_document(payload, case_id=case_id)
        return fmt.root, document

    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """An examination request on a laboratory's feed."""
        return outbound.feed_entry(item)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """The laboratory whose feed a request goes to; None for other events."""
        if isinstance(payload, ForensicRequested):
            return payload.request.lab
        return None
