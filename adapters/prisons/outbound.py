"""Canonical -> prison format: the documents the gateway gives a prison, in JSON or XML.

Custody events are written back in the prison's own message format (what the
round-trip tests hold the translator to); court orders and judgments that concern
an inmate go on the prison's feed. Output is deterministic: members and elements in
the order of the contracts, absent values left out, indented UTF-8.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from adapters.prisons import formats
from adapters.prisons.formats import Format, Shape
from canonical_model.errors import UnknownMessageType
from canonical_model.events import (
    CustodialDeathReported,
    CustodyEscapeReported,
    EventPayload,
    InmateAdmitted,
    InmateConvicted,
    InmateProduced,
    InmateReadmitted,
    InmateReleased,
    InmateTransferred,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import PrisonerNumber
from canonical_model.messages import FeedItem

Document = dict[str, Any]

#: The canonical events the prison formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    InmateAdmitted.name,
    InmateProduced.name,
    InmateReleased.name,
    InmateTransferred.name,
    InmateReadmitted.name,
    InmateConvicted.name,
    CustodialDeathReported.name,
    CustodyEscapeReported.name,
    OrderIssued.name,
    JudgmentDelivered.name,
)
#: Root element of a single court order or judgment written for a prison.
ORDER_ROOT = "courtOrder"
JUDGMENT_ROOT = "judgment"


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def prison_fields(data: Mapping[str, Any], shape: Shape) -> Document:
    """The prison object ``shape`` writes for canonical (``model_dump(mode="json")``) ``data``."""
    out: Document = {}
    for field in shape:
        value: Any = data.get(field.canonical)
        if _empty(value) and not (field.always and value is not None):
            continue
        if field.shape is not None and field.many:
            out[field.prison] = [prison_fields(item, field.shape) for item in value]
        elif field.shape is not None:
            out[field.prison] = prison_fields(value, field.shape)
        else:
            out[field.prison] = value
    return out


def _head(fmt: Format, prisoner: PrisonerNumber) -> Document:
    return {
        "messageType": fmt.message_type,
        "prisonCode": prisoner.institution,
        "prisonerNumber": prisoner.number,
    }


def prison_document(payload: EventPayload) -> tuple[Format | None, str, Document]:
    """The prison document carrying ``payload``: its format (None for a court document), its XML
    root element and its tree."""
    match payload:
        case InmateAdmitted(admission=a):
            data = a.model_dump(mode="json")
            doc = _head(formats.ADMISSION, a.inmate.prisoner) | prison_fields(
                data, formats.ADMISSION_FIELDS
            )
            return formats.ADMISSION, formats.ADMISSION.root, doc
        case InmateProduced(production=p):
            doc = _head(formats.PRODUCTION, p.prisoner) | prison_fields(
                p.model_dump(mode="json"), formats.PRODUCTION_FIELDS
            )
            return formats.PRODUCTION, formats.PRODUCTION.root, doc
        case InmateReleased(release=r):
            doc = _head(formats.RELEASE, r.prisoner) | prison_fields(
                r.model_dump(mode="json"), formats.RELEASE_FIELDS
            )
            return formats.RELEASE, formats.RELEASE.root, doc
        case CustodialDeathReported(death=d):
            doc = _head(formats.RELEASE, d.prisoner) | {"releaseDate": d.died_on.isoformat()}
            doc["reason"] = "death"
            if d.cause:
                doc["remarks"] = d.cause
            return formats.RELEASE, formats.RELEASE.root, doc
        case CustodyEscapeReported(escape=e):
            doc = _head(formats.RELEASE, e.prisoner) | {"releaseDate": e.escaped_on.isoformat()}
            doc["reason"] = "escape"
            if e.circumstances:
                doc["remarks"] = e.circumstances
            return formats.RELEASE, formats.RELEASE.root, doc
        case InmateTransferred(transfer=t):
            doc = _head(formats.TRANSFER, t.prisoner) | {
                "transferDate": t.transferred_on.isoformat(),
                "toPrisonCode": t.to_prisoner.institution,
                "toPrisonerNumber": t.to_prisoner.number,
            }
            doc |= prison_fields(
                {"order": t.model_dump(mode="json")["order"]}, formats.TRANSFER_FIELDS[1:]
            )
            return formats.TRANSFER, formats.TRANSFER.root, doc
        case InmateReadmitted(readmission=r):
            doc = _head(formats.READMISSION, r.prisoner) | prison_fields(
                r.model_dump(mode="json"), formats.READMISSION_FIELDS
            )
            return formats.READMISSION, formats.READMISSION.root, doc
        case InmateConvicted(conviction=c):
            doc = _head(formats.CONVICTION, c.prisoner) | prison_fields(
                c.model_dump(mode="json"), formats.CONVICTION_FIELDS
            )
            return formats.CONVICTION, formats.CONVICTION.root, doc
        case OrderIssued():
            return None, ORDER_ROOT, court_order(payload)
        case JudgmentDelivered():
            return None, JUDGMENT_ROOT, judgment(payload)
    raise UnknownMessageType(
        f"the prison formats carry no {payload.name} event; they carry: {', '.join(ENCODABLE)}"
    )


def court_order(payload: OrderIssued) -> Document:
    """A court order as a prison reads it, with the prisoner numbers it concerns."""
    doc = prison_fields(payload.order.model_dump(mode="json"), formats.ORDER_FIELDS)
    text = doc.pop("orderText", None)
    if payload.inmates:
        doc["prisonerNumbers"] = [str(p) for p in payload.inmates]
    if text is not None:
        doc["orderText"] = text
    return doc


def judgment(payload: JudgmentDelivered) -> Document:
    """A judgment as a prison reads it: verdicts and sentences (the conviction warrant's
    substance, or the acquittal that ends custody), with the prisoner numbers it concerns."""
    doc = prison_fields(payload.judgment.model_dump(mode="json"), formats.JUDGMENT_FIELDS)
    if payload.inmates:
        doc["prisonerNumbers"] = [str(p) for p in payload.inmates]
    return doc


def feed_document(
    items: Sequence[FeedItem], *, institution: str, next_cursor: str | None
) -> Document:
    """One page of a prison's order feed."""
    entries = []
    for item in items:
        entry: Document = {
            "cursor": item.cursor,
            "caseId": item.case_id,
            "eventId": item.event_id,
            "recordedAt": _timestamp(item.recorded_at),
        }
        match item.payload:
            case OrderIssued():
                entry["courtOrder"] = court_order(item.payload)
            case JudgmentDelivered():
                entry["judgment"] = judgment(item.payload)
            case _:
                raise UnknownMessageType(
                    f"the prison feed carries court orders and judgments, not {item.payload.name}"
                )
        entries.append(entry)
    return {"prison": institution, "items": entries, "nextCursor": next_cursor}


def _timestamp(value: dt.datetime) -> str:
    """RFC 3339 with an offset; a naive time is UTC (how the gateway stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


# -- writing ---------------------------------------------------------------------------


def write_json(document: Document) -> bytes:
    """A prison document as JSON: UTF-8, indented, members in contract order."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_xml(document: Document, root: str) -> bytes:
    """A prison document as XML: UTF-8 with a declaration, indented, elements in contract order."""
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


def encode_json(payload: EventPayload) -> bytes:
    """A canonical payload as a prison JSON document."""
    return write_json(prison_document(payload)[2])


def encode_xml(payload: EventPayload) -> bytes:
    """A canonical payload as a prison XML document."""
    _, root, document = prison_document(payload)
    return write_xml(document, root)


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
    return write_xml(document, formats.ORDER_FEED.root)
