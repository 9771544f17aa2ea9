"""Reading a message and deciding whether its sender may send it: decoding to canonical
payloads (no database work) and the sender's permission for each. Authority that depends on
a case's history is checked later, against the case (:mod:`gateway.services.competence`)."""

from __future__ import annotations

from canonical_model.errors import FatalError, Problem, UnknownMessageType, UnsupportedMediaType
from canonical_model.events import EventPayload
from canonical_model.messages import POLICE_MESSAGE_TYPES, DecodedMessage, parse_canonical_message
from contracts.loader import parse_json
from contracts.toolkit.media import body_syntax, mismatch
from gateway.messaging.ports import PillarPolicy
from gateway.services.auth import Client
from gateway.services.registry import AdapterRegistry


def decode_police(body: bytes, media_type: str) -> DecodedMessage:
    """The police system speaks canonical JSON, so its decoder is the canonical parser."""
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"police messages are canonical JSON: send Content-Type application/json, not {media_type or 'none'}",
            [
                Problem(
                    "header:Content-Type",
                    f"expected application/json, got {media_type or 'nothing'}",
                )
            ],
        )
    found = body_syntax(body)
    if found is not None and found != "json":
        raise mismatch(
            found,
            media_type,
            speakers="police systems",
            accepted=("application/json",),
            where="header:Content-Type",
        )
    return parse_canonical_message(parse_json(body), allowed_types=POLICE_MESSAGE_TYPES)


def decode_message(
    adapters: AdapterRegistry, *, pillar: str, body: bytes, media_type: str
) -> DecodedMessage:
    """Translate a pillar's message to canonical events (no database work)."""
    if pillar == "police":
        return decode_police(body, media_type)
    adapter = adapters.get(pillar)
    decoded = adapter.decode(body, media_type=media_type)
    if decoded.message_type not in adapter.inbound_message_types:
        raise UnknownMessageType(
            f"{pillar} do not send {decoded.message_type!r} messages; "
            f"this endpoint takes: {', '.join(adapter.inbound_message_types)}"
        )
    return decoded


def sniff_type(
    adapters: AdapterRegistry, *, pillar: str, body: bytes, media_type: str
) -> str | None:
    """The message type a rejected message claims, when it can be read at all (for the log)."""
    if pillar == "police":
        try:
            document = parse_json(body)
        except FatalError:
            return None
        kind = document.get("type") if isinstance(document, dict) else None
        return kind if isinstance(kind, str) else None
    try:
        return adapters.get(pillar).sniff_type(body, media_type=media_type)
    except FatalError:
        return None


def authorise(policy: PillarPolicy, client: Client, payloads: list[EventPayload]) -> None:
    """Raise Forbidden when the caller's pillar does not send a message, or the message speaks
    for another institution than the caller's (its policy says which). This grants nothing:
    the case's history is checked when the message is applied."""
    for payload in payloads:
        policy.may_send(client.institution, payload)
