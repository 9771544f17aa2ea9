"""The prisons adapter the gateway registers: media-type dispatch over the prison formats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from lxml import etree

from adapters.prisons import formats, inbound, outbound
from canonical_model.errors import Problem, UnsupportedMediaType
from canonical_model.events import EventPayload, JudgmentDelivered, OrderIssued
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
    accepted = ", ".join(PrisonsAdapter.media_types)
    raise UnsupportedMediaType(
        f"prisons speak {accepted}, not {media_type or 'no media type'}",
        [Problem("Content-Type", f"use one of: {accepted}")],
    )


class PrisonsAdapter:
    """Translates between the e-Prisons formats (JSON and XML) and canonical events.

    Inbound (prison -> gateway): ``admission``, ``production``, ``release`` (a death or
    an escape becomes its own event), ``transfer``, ``readmission``, ``conviction``.
    Outbound: the feed each prison pulls of the court orders and judgments that
    concern its inmates.
    """

    pillar: ClassVar[str] = "prisons"
    media_types: ClassVar[tuple[str, ...]] = ("application/json", "application/xml")
    inbound_message_types: ClassVar[tuple[str, ...]] = tuple(formats.MESSAGES)
    feed_event_types: ClassVar[tuple[str, ...]] = (OrderIssued.name, JudgmentDelivered.name)

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
        """Validate a prison message against its contract and translate it to canonical events.

        Raises MalformedMessage, UnsupportedMediaType, UnknownMessageType or
        ContractViolation, every problem located in the prison document.
        """
        if syntax_of(media_type) == "json":
            return inbound.decode_json(body)
        return inbound.decode_xml(body)

    def encode(
        self, payload: EventPayload, *, media_type: str, case_id: str | None = None
    ) -> bytes:
        """Write a canonical event in the prison format (``case_id`` is not part of it)."""
        if syntax_of(media_type) == "json":
            return outbound.encode_json(payload)
        return outbound.encode_xml(payload)

    def encode_feed(
        self,
        items: Sequence[FeedItem],
        *,
        institution: str,
        next_cursor: str | None,
        media_type: str,
    ) -> bytes:
        """One page of a prison's order feed."""
        if syntax_of(media_type) == "json":
            return outbound.encode_feed_json(
                items, institution=institution, next_cursor=next_cursor
            )
        return outbound.encode_feed_xml(items, institution=institution, next_cursor=next_cursor)

    def feed_institution(self, payload: EventPayload) -> str | None:
        """The prison whose feed an order or judgment goes to: the prison the order names, else
        the one holding the accused (the gateway fills that in at ingest); None otherwise."""
        if isinstance(payload, OrderIssued | JudgmentDelivered):
            return payload.prison()
        return None
