"""Canonical -> court format: the documents the gateway gives a court, in JSON or XML.

A canonical payload becomes a court document tree (:func:`court_document`),
which is written as JSON (:func:`write_json`) or XML (:func:`write_xml`). Output
is deterministic: members and elements always come in the order of the
contracts, absent values are left out rather than written empty, JSON is
indented UTF-8 and XML is indented UTF-8 with a declaration.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from adapters.courts import formats
from adapters.courts.formats import Format, Shape
from canonical_model.errors import ContractViolation, Problem, UnknownMessageType
from canonical_model.events import (
    ChargesheetFiled,
    CourtCaseRegistered,
    EventPayload,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import CourtCaseNumber, Fir
from canonical_model.messages import FeedItem

Document = dict[str, Any]

#: The canonical events the court formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    ChargesheetFiled.name,
    CourtCaseRegistered.name,
    HearingRecorded.name,
    OrderIssued.name,
    JudgmentDelivered.name,
)


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def court_fields(data: Mapping[str, Any], shape: Shape) -> Document:
    """The court object ``shape`` writes for canonical (``model_dump(mode="json")``) ``data``."""
    out: Document = {}
    for field in shape:
        value: Any = data.get(field.canonical)
        if field.inline:
            out |= court_fields(value or {}, field.shape or ())
            continue
        if _empty(value) and not (field.always and value is not None):
            continue
        if field.shape is not None and field.many:
            out[field.court] = [court_fields(item, field.shape) for item in value]
        elif field.shape is not None:
            out[field.court] = court_fields(value, field.shape)
        else:
            out[field.court] = value
    return out


def court_document(payload: EventPayload, *, case_id: str | None = None) -> tuple[Format, Document]:
    """The court document carrying ``payload``; ``case_id`` goes into a charge sheet."""
    match payload:
        case ChargesheetFiled():
            return formats.CHARGESHEET, _chargesheet(payload, case_id)
        case CourtCaseRegistered():
            return formats.CASE_REGISTRATION, _case_registration(payload)
        case HearingRecorded():
            data = payload.hearing.model_dump(mode="json")
            return formats.HEARING, _typed(
                formats.HEARING, court_fields(data, formats.HEARING_FIELDS)
            )
        case OrderIssued():
            data = payload.order.model_dump(mode="json")
            return formats.ORDER, _typed(formats.ORDER, court_fields(data, formats.ORDER_FIELDS))
        case JudgmentDelivered():
            data = payload.judgment.model_dump(mode="json")
            return formats.JUDGMENT, _typed(
                formats.JUDGMENT, court_fields(data, formats.JUDGMENT_FIELDS)
            )
    raise UnknownMessageType(
        f"the court formats carry no {payload.name} event; they carry: {', '.join(ENCODABLE)}"
    )


def _typed(fmt: Format, document: Document) -> Document:
    return {"messageType": fmt.message_type, **document}


def _chargesheet(payload: ChargesheetFiled, case_id: str | None) -> Document:
    report = payload.report
    data = report.model_dump(mode="json")
    fir: Fir = report.fir
    document: Document = {"messageType": formats.CHARGESHEET.message_type}
    if case_id:
        document["caseId"] = case_id
    document |= court_fields(data, formats.REPORT_HEAD)
    document["fir"] = {
        "firNo": str(fir),
        "state": fir.state,
        "district": fir.district,
        "stationCode": fir.station,
        "year": fir.year,
        "number": fir.serial,
    }
    document["policeStation"] = str(fir.police_station)
    document |= court_fields(data, formats.REPORT_TAIL)
    return document


def _case_registration(payload: CourtCaseRegistered) -> Document:
    case = payload.court_case
    data = case.model_dump(mode="json")
    document = _typed(formats.CASE_REGISTRATION, court_fields(data, formats.REGISTRATION_HEAD))
    numbers = [
        (s, n)
        for s, n in (("filing", case.filing_number), ("registration", case.registration_number))
        if n
    ]
    problems = [
        Problem(
            f"/court_case/{stage}_number", f"{number} is not a case number of {case.establishment}"
        )
        for stage, number in numbers
        if number.establishment != case.establishment
    ]
    if len({n.case_type for _, n in numbers}) > 1:
        problems.append(
            Problem(
                "/court_case/registration_number",
                "the court format has one case type for both numbers",
            )
        )
    if problems:
        raise ContractViolation("this court case cannot be written in the court format", problems)
    if numbers:
        document["caseType"] = numbers[0][1].case_type
    for stage, number in numbers:
        document |= _number(stage, number)
    document |= court_fields(data, formats.REGISTRATION_TAIL)
    return document


def _number(stage: str, number: CourtCaseNumber) -> Document:
    return {f"{stage}Number": number.number, f"{stage}Year": number.year}


def feed_document(
    items: Sequence[FeedItem], *, institution: str, next_cursor: str | None
) -> Document:
    """One page of a court's charge-sheet feed."""
    return {
        "court": institution,
        "items": [
            {
                "cursor": item.cursor,
                "caseId": item.case_id,
                "eventId": item.event_id,
                "recordedAt": _timestamp(item.recorded_at),
                "chargeSheet": _feed_entry(item),
            }
            for item in items
        ],
        "nextCursor": next_cursor,
    }


def _feed_entry(item: FeedItem) -> Document:
    if not isinstance(item.payload, ChargesheetFiled):
        raise UnknownMessageType(
            f"the charge-sheet feed carries {ChargesheetFiled.name} events, not {item.payload.name}"
        )
    return _chargesheet(item.payload, item.case_id)


def _timestamp(value: dt.datetime) -> str:
    """RFC 3339 with an offset; a naive time is UTC (how the gateway stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


# -- writing ---------------------------------------------------------------------------


def write_json(document: Document) -> bytes:
    """A court document as JSON: UTF-8, indented, members in contract order."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_xml(document: Document, root: str) -> bytes:
    """A court document as XML: UTF-8 with a declaration, indented, elements in contract order."""
    nsmap: Any = {None: formats.NAMESPACE}
    element = etree.Element(_tag(root), nsmap=nsmap)
    _write_members(element, document)
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tag(name: str) -> str:
    return f"{{{formats.NAMESPACE}}}{name}"


def _write_members(parent: etree._Element, document: Mapping[str, Any]) -> None:
    for name, value in document.items():
        if name == "messageType" or value is None:
            continue  # the root element names the message type
        if isinstance(value, list):
            for item in value:
                _write_value(parent, formats.LIST_ITEMS[name], item)
        else:
            _write_value(parent, name, value)


def _write_value(parent: etree._Element, name: str, value: Any) -> None:
    element = etree.SubElement(parent, _tag(name))
    if isinstance(value, Mapping):
        _write_members(element, value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def encode_json(payload: EventPayload, *, case_id: str | None = None) -> bytes:
    """A canonical payload as a court JSON document."""
    _, document = court_document(payload, case_id=case_id)
    return write_json(document)


def encode_xml(payload: EventPayload, *, case_id: str | None = None) -> bytes:
    """A canonical payload as a court XML document."""
    fmt, document = court_document(payload, case_id=case_id)
    return write_xml(document, fmt.root)


def encode_feed_json(
    items: Sequence[FeedItem], *, institution: str, next_cursor: str | None
) -> bytes:
    """A feed page as JSON (``nextCursor`` is null on the last page)."""
    return write_json(feed_document(items, institution=institution, next_cursor=next_cursor))


def encode_feed_xml(
    items: Sequence[FeedItem], *, institution: str, next_cursor: str | None
) -> bytes:
    """A feed page as XML (``nextCursor`` is absent on the last page)."""
    document = feed_document(items, institution=institution, next_cursor=next_cursor)
    return write_xml(document, formats.CHARGESHEET_FEED.root)
