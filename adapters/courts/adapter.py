"""The courts adapter the gateway registers: media-type dispatch over the court formats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from lxml import etree

from adapters.courts import formats, inbound, outbound
from canonical_model.errors import Problem, UnsupportedMediaType
from canonical_model.events import ChargesheetFiled, EventPayload
from canonical_model.messages import DecodedMessage, FeedItem
from contracts.loader import parse_json, parse_xml

Syntax = Literal["json", "xml"]


def syntax_of(media_type: str) -> Syntax:
    """JSON or XML for a media type (parameters such as ``charset`` are ignored); raise
    UnsupportedMediaType naming the accepted types otherwise."""
    bare = (media_type or "").split(";", 1)[0].strip().lower()
    if bare == "application/json" or (bare.startswith("application/") and bare.endswith("+json")):
        return "json"
    if bare in ("application/xml", "text/xml") or (
        bare.startswith("application/") and bare.endswith("+xml")
    ):
        return "xml"
    accepted = ", ".join(CourtsAdapter.media_types)
    raise UnsupportedMediaType(
        f"courts speak {accepted}, not {media_type or 'no media type'}",
        [Problem("Content-Type", f"use one of: {accepted}")],
    )


class CourtsAdapter:
    """Translates between the e-Courts formats (JSON and XML) and canonical events.

    Inbound (court -> gateway): ``case_registration``, ``hearing``, ``order``,
    ``judgment``. Outbound: the charge-sheet feed each court establishment pulls,
    and any court-side event written in the court's format (``encode``).
    """

    pillar: ClassVar[str] = "courts"
    media_types: ClassVar[tuple[str, ...]] = ("application/json", "application/xml")
    inbound_message_types: ClassVar[tuple[str, ...]] = (
        "case_registration",
        "hearing",
        "order",
        "judgment",
    )
    feed_event_types: ClassVar[tuple[str, ...]] = (ChargesheetFiled.name,)

    def sniff_type(self, body: bytes, *, media_type: str) -> str | None:
        """The message type the body claims, for the message log; None when it cannot tell.

        Never raises.
        """
        try:
            if syntax_of(media_type) == "json":
                document = parse_json(body)
                kind = document.get("messageType") if isinstance(document, dict) else None
                return kind if isinstance(kind, str) else None
            root = parse_xml(body)
            name = etree.QName(root).localname
            fmt = formats.MESSAGES_BY_ROOT.get(name)
            return fmt.message_type if fmt is not None else name
        except Exception:
            return None

    def decode(self, body: bytes, *, media_type: str) -> DecodedMessage:
        """Validate a court message against its contract and translate it to canonical events.

        Raises MalformedMessage, UnsupportedMediaType, UnknownMessageType or
        ContractViolation, every problem located in the court document.
        """
        if syntax_of(media_type) == "json":
            return inbound.decode_json(body)
        return inbound.decode_xml(body)

    def encode(
        self, payload: EventPayload, *, media_type: str, case_id: str | None = None
    ) -> bytes:
        """Write a canonical event in the court format; ``case_id`` goes into a charge sheet."""
        if syntax_of(media_type) == "json":
            return outbound.encode_json(payload, case_id=case_id)
        return outbound.encode_xml(payload, case_id=case_id)

    def encode_feed(
        self,
        items: Sequence[FeedItem],
        *,
        institution: str,
        next_cursor: str | None,
        media_type: str,
    ) -> bytes:
        """One page of a court establishment's charge-sheet feed."""
        if syntax_of(media_type) == "json":
            return outbound.encode_feed_json(
                items, institution=institution, next_cursor=next_cursor
            )
        return outbound.encode_feed_xml(items, institution=institution, next_cursor=next_cursor)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """The court establishment whose feed a charge sheet goes to; None for other events."""
        if isinstance(payload, ChargesheetFiled):
            return str(payload.report.court)
        return None
