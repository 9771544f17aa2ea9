"""Canonical -> laboratory format: the documents the gateway gives a laboratory, in JSON or XML.

A canonical payload becomes a laboratory document tree (:func:`lab_document`), which is written
as JSON (:func:`write_json`) or XML (:func:`write_xml`). Output is deterministic: members and
elements come in the order of the contracts, absent values are left out rather than written
empty, JSON is indented UTF-8 and XML is indented UTF-8 with a declaration.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from adapters.forensics import formats
from adapters.forensics.formats import Format, Shape
from canonical_model.errors import UnknownMessageType
from canonical_model.events import (
    EventPayload,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.messages import FeedItem

Document = dict[str, Any]

#: The canonical events the laboratory formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    ForensicRequested.name,
    ForensicAcknowledged.name,
    ForensicCustodyRecorded.name,
    ForensicReported.name,
    ForensicReportRevised.name,
)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def lab_fields(data: Mapping[str, Any], shape: Shape) -> Document:
    """The laboratory object ``shape`` writes for canonical (``model_dump(mode="json")``)
    ``data``."""
    out: Document = {}
    for field in shape:
        value: Any = data.get(field.canonical)
        if _empty(value):
            continue
        if field.shape is not None and field.many:
            out[field.lab] = [lab_fields(item, field.shape) for item in value]
        elif field.shape is not None:
            out[field.lab] = lab_fields(value, field.shape)
        else:
            out[field.lab] = value
    return out


def lab_document(payload: EventPayload, *, case_id: str | None = None) -> tuple[Format, Document]:
    """The laboratory document carrying ``payload``; ``case_id`` goes into a request."""
    match payload:
        case ForensicRequested():
            return formats.EXAMINATION_REQUEST, _request(payload, case_id)
        case ForensicAcknowledged():
            data = payload.acknowledgement.model_dump(mode="json")
            return formats.ACKNOWLEDGEMENT, _typed(
                formats.ACKNOWLEDGEMENT, lab_fields(data, formats.ACKNOWLEDGEMENT_FIELDS)
            )
        case ForensicCustodyRecorded():
            data = payload.custody.model_dump(mode="json")
            return formats.CUSTODY, _typed(
                formats.CUSTODY, lab_fields(data, formats.CUSTODY_FIELDS)
            )
        case ForensicReportRevised():
            data = payload.report.model_dump(mode="json")
            return formats.REPORT_REVISION, _typed(
                formats.REPORT_REVISION, lab_fields(data, formats.REVISION_FIELDS)
            )
        case ForensicReported():
            data = payload.report.model_dump(mode="json")
            return formats.REPORT, _typed(formats.REPORT, lab_fields(data, formats.REPORT_FIELDS))
    raise UnknownMessageType(
        f"the laboratory formats carry no {payload.name} event; they carry: {', '.join(ENCODABLE)}"
    )


def _typed(fmt: Format, document: Document) -> Document:
    return {"messageType": fmt.message_type, **document}


def _request(payload: ForensicRequested, case_id: str | None) -> Document:
    request = payload.request
    data = request.model_dump(mode="json")
    document: Document = {"messageType": formats.EXAMINATION_REQUEST.message_type}
    if case_id:
        document["caseId"] = case_id
    document |= lab_fields(data, formats.REQUEST_HEAD)
    document["firNo"] = str(request.fir)
    document["policeStation"] = str(request.fir.police_station)
    document |= lab_fields(data, formats.REQUEST_TAIL)
    return document


def feed_document(
    items: Sequence[FeedItem], *, institution: str, next_cursor: str | None
) -> Document:
    """One page of a laboratory's examination-request feed."""
    return {
        "lab": institution,
        "items": [
            {
                "cursor": item.cursor,
                "caseId": item.case_id,
                "eventId": item.event_id,
                "recordedAt": _timestamp(item.recorded_at),
                "examinationRequest": _feed_entry(item),
            }
            for item in items
        ],
        "nextCursor": next_cursor,
    }


def _feed_entry(item: FeedItem) -> Document:
    if not isinstance(item.payload, ForensicRequested):
        raise UnknownMessageType(
            f"the examination-request feed carries {ForensicRequested.name} events, "
            f"not {item.payload.name}"
        )
    return _request(item.payload, item.case_id)


def _timestamp(value: dt.datetime) -> str:
    """RFC 3339 with an offset; a naive time is UTC (how the gateway stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


# -- writing ---------------------------------------------------------------------------


def write_json(document: Document) -> bytes:
    """A laboratory document as JSON: UTF-8, indented, members in contract order."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_xml(document: Document, root: str) -> bytes:
    """A laboratory document as XML: UTF-8 with a declaration, indented, contract order."""
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
    """A canonical payload as a laboratory JSON document."""
    _, document = lab_document(payload, case_id=case_id)
    return write_json(document)


def encode_xml(payload: EventPayload, *, case_id: str | None = None) -> bytes:
    """A canonical payload as a laboratory XML document."""
    fmt, document = lab_document(payload, case_id=case_id)
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
    return write_xml(document, formats.EXAMINATION_REQUEST_FEED.root)
