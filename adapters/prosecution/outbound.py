"""Canonical -> prosecution format: the documents the gateway gives a prosecution office.

An office's own messages are written back in its format (what the round-trip tests hold the
translator to); police reports routed to the office, with the routing decision of BNSS s.20 that
sent them there, and the judgments of its cases go on its feed. The shared toolkit writes the
trees as JSON or XML, deterministically (members and elements in the order of the contracts,
absent values left out, indented UTF-8).
"""

from __future__ import annotations

from adapters.prosecution import formats, inbound
from canonical_model.errors import UnknownMessageType
from canonical_model.events import (
    ChargesheetFiled,
    EventPayload,
    JudgmentDelivered,
)
from canonical_model.messages import FeedItem
from canonical_model.prosecution import prosecution_message, route_police_report
from contracts.toolkit import Document, document_fields, not_carried, typed

#: Root element (and feed member) of a police report written for an office.
REPORT_ROOT = "policeReport"
#: Root element (and feed member) of a judgment written for an office.
JUDGMENT_ROOT = "judgment"
#: The office's message each prosecution event is written as.
_FORMATS = {inbound.PAYLOADS[fmt.message_type]: fmt for fmt in formats.INBOUND}
#: The canonical events the prosecution formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    ChargesheetFiled.name,
    JudgmentDelivered.name,
    *(cls.name for cls in _FORMATS),
)


def prosecution_document(payload: EventPayload) -> tuple[str, Document]:
    """The prosecution document carrying ``payload`` and its root element."""
    match payload:
        case ChargesheetFiled():
            return REPORT_ROOT, police_report(payload)
        case JudgmentDelivered():
            return JUDGMENT_ROOT, judgment(payload)
    message, fmt = prosecution_message(payload), _FORMATS.get(type(payload))
    if message is None or fmt is None:
        raise not_carried(formats.PILLAR, payload, ENCODABLE)
    data = message.model_dump(mode="json")
    document = document_fields(data, formats.CASE_HEAD)
    if message.prosecution_number is not None:
        document["prosecutionNumber"] = message.prosecution_number.number
    document |= document_fields(data, formats.BODIES[fmt.message_type][1])
    return fmt.root, typed(fmt, document)


def police_report(payload: ChargesheetFiled, *, office: str | None = None) -> Document:
    """A police report as an office reads it: the report with every document reference, the
    accused with their charges and custody, the witnesses and sections, the version (2 and up
    for a report re-filed under its number), why it is on ``office``'s feed (scrutiny or
    monitoring, BNSS s.20) and where it went."""
    report = payload.report
    routing = route_police_report(report)
    document: Document = {
        "firNo": str(report.fir),
        "policeStation": str(report.fir.police_station),
        "reportNumber": report.report_number,
        "version": payload.report_version or 1,
    }
    if office is not None:
        document["purpose"] = routing.purpose(office)
    document["routing"] = document_fields(routing.model_dump(mode="json"), formats.ROUTING)
    return document | document_fields(report.model_dump(mode="json"), formats.REPORT_FIELDS)


def judgment(payload: JudgmentDelivered) -> Document:
    """A judgment as an office reads it, to recommend whether to appeal (BNSS s.20(7))."""
    data = payload.judgment.model_dump(mode="json")
    if payload.prosecution_office is not None:
        data["prosecution_office"] = str(payload.prosecution_office)
    return document_fields(data, formats.JUDGMENT_FIELDS)


def feed_entry(item: FeedItem) -> tuple[str, Document]:
    """An office's feed entry: a police report for scrutiny or monitoring, or a judgment of its
    case."""
    match item.payload:
        case ChargesheetFiled():
            return REPORT_ROOT, police_report(item.payload, office=item.institution)
        case JudgmentDelivered():
            return JUDGMENT_ROOT, judgment(item.payload)
    raise UnknownMessageType(
        f"the prosecution feed carries police reports and judgments, not {item.payload.name}"
    )
