"""Transport registry format -> canonical: one translator per message type.

Parsing, contract validation, reading XML into the JSON-shaped tree and locating errors are the
shared toolkit's (``contracts.toolkit``). The translators only say which canonical fields each
registry field carries; identifiers arrive in any spelling (``mh-12 ab 1234``) and the
canonical model normalises them, or refuses them with the sender's own JSON pointer or XPath.
"""

from __future__ import annotations

from adapters.transport import formats
from canonical_model.events import (
    EventPayload,
    LicenceRecordReceived,
    OrderIssued,
    VehicleRecordReceived,
    VehicleRecovered,
    VehicleReportedStolen,
    VehicleSeized,
)
from canonical_model.transport import VehicleReportKind
from contracts.toolkit import Document, Translation, Translator

#: The police event for each ``flag`` of a vehicle flag.
FLAG_EVENTS: dict[VehicleReportKind, type[EventPayload]] = {
    VehicleReportKind.STOLEN: VehicleReportedStolen,
    VehicleReportKind.RECOVERED: VehicleRecovered,
    VehicleReportKind.SEIZED: VehicleSeized,
}


def _reply(t: Translation, doc: Document, data: Document) -> Document:
    """The event data with the feed event a record answers, when it names one."""
    if doc.get("inReplyTo") is not None:
        t.origins[("in_reply_to",)] = "/inReplyTo"
        data["in_reply_to"] = doc["inReplyTo"]
    return data


def _vehicle_record(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    record = t.shape(doc, "", ("record",), formats.VEHICLE_RECORD_FIELDS)
    return VehicleRecordReceived, _reply(t, doc, {"record": record})


def _licence_record(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    record = t.shape(doc, "", ("record",), formats.LICENCE_RECORD_FIELDS)
    # The record's one rule across fields is its validity period: point at its end.
    t.origins[("record",)] = "/validUntil"
    return LicenceRecordReceived, _reply(t, doc, {"record": record})


def _vehicle_flag(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    # The contract admits only the three flags, so the look-up cannot miss.
    event = FLAG_EVENTS[formats.FLAGS[doc["flag"]]]
    return event, {"report": t.shape(doc, "", ("report",), formats.VEHICLE_FLAG_FIELDS)}


def _licence_order(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    order = t.shape(doc, "", ("order",), formats.LICENCE_ORDER_FIELDS)
    order["kind"] = formats.ACTIONS[doc["action"]].value
    t.origins[("order", "kind")] = "/action"
    order["licence"] = t.shape(doc, "", ("order", "licence"), formats.LICENCE_ACTION_FIELDS)
    # The order's rules across fields are all about the period (a suspension ends, a
    # revocation does not, neither ends before it starts): point at its end.
    t.origins[("order",)] = t.origins[("order", "licence")] = "/effectiveUntil"
    return OrderIssued, {"order": order}


#: Every message of the transport formats by its ``messageType``.
TRANSLATORS: dict[str, Translator] = {
    formats.VEHICLE_RECORD.message_type: _vehicle_record,
    formats.LICENCE_RECORD.message_type: _licence_record,
    formats.VEHICLE_FLAG.message_type: _vehicle_flag,
    formats.LICENCE_ORDER.message_type: _licence_order,
}
