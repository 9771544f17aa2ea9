"""Canonical -> transport registry format: the documents the gateway gives Vahan and Sarathi.

Vahan is told of vehicles the police report stolen, recovered or seized (``vehicleFlag``);
Sarathi of court orders suspending or revoking a driving licence (``licenceOrder``). Each feed
item says which record answers it (``replyWith``). Writing JSON and XML, and the feed page's
skeleton, are the shared toolkit's.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.transport import formats
from canonical_model.entities import LICENCE_ORDER_KINDS, CourtOrder, LicenceAction
from canonical_model.events import (
    VEHICLE_EVENTS,
    EventPayload,
    LicenceRecordReceived,
    OrderIssued,
    VehicleRecordReceived,
    VehicleRecovered,
    VehicleReportedStolen,
    VehicleSeized,
)
from canonical_model.messages import FeedItem
from contracts.toolkit import Document, Format, document_fields, feed_page, not_carried, typed

#: The canonical events the transport formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    *(event.name for event in VEHICLE_EVENTS),
    f"{OrderIssued.name} (licence suspension or revocation)",
    VehicleRecordReceived.name,
    LicenceRecordReceived.name,
)


def registry_of(payload: EventPayload) -> str | None:
    """The registry told of an event: Vahan of the police's vehicle reports, Sarathi of the
    court orders acting on a driving licence; None for every other event (an ordinary court
    order goes to no registry)."""
    if isinstance(payload, VEHICLE_EVENTS):
        return formats.VAHAN
    if isinstance(payload, OrderIssued) and payload.order.kind in LICENCE_ORDER_KINDS:
        return formats.SARATHI
    return None


def registry_document(
    payload: EventPayload, *, case_id: str | None = None
) -> tuple[Format, Document]:
    """The registry document carrying ``payload``; ``case_id`` goes into a flag or an order."""
    case: Document = {"caseId": case_id} if case_id else {}
    match payload:
        case VehicleReportedStolen() | VehicleRecovered() | VehicleSeized():
            flag = {"flag": report_kind(payload)}
            report = document_fields(
                payload.report.model_dump(mode="json"), formats.VEHICLE_FLAG_FIELDS
            )
            return formats.VEHICLE_FLAG, typed(formats.VEHICLE_FLAG, case | flag | report)
        case OrderIssued(order=CourtOrder(licence=LicenceAction() as licence) as order):
            action = {"action": formats.ACTION_OF[order.kind]}
            period = document_fields(licence.model_dump(mode="json"), formats.LICENCE_ACTION_FIELDS)
            court = document_fields(order.model_dump(mode="json"), formats.LICENCE_ORDER_FIELDS)
            document = case | action | period | court
            return formats.LICENCE_ORDER, typed(formats.LICENCE_ORDER, document)
        case VehicleRecordReceived() | LicenceRecordReceived():
            return _record(payload)
    raise not_carried(formats.PILLAR, payload, ENCODABLE)


def report_kind(payload: EventPayload) -> str:
    """``stolen``, ``recovered`` or ``seized``: the police event's name without its family."""
    return payload.name.removeprefix("vehicle.")


def _record(payload: VehicleRecordReceived | LicenceRecordReceived) -> tuple[Format, Document]:
    if isinstance(payload, VehicleRecordReceived):
        fmt, shape = formats.VEHICLE_RECORD, formats.VEHICLE_RECORD_FIELDS
    else:
        fmt, shape = formats.LICENCE_RECORD, formats.LICENCE_RECORD_FIELDS
    reply: Document = {"inReplyTo": payload.in_reply_to} if payload.in_reply_to else {}
    return fmt, typed(fmt, reply | document_fields(payload.record.model_dump(mode="json"), shape))


def feed_entry(item: FeedItem) -> tuple[str, Document]:
    """A feed item's entry: a vehicle flag (Vahan) or a licence order (Sarathi)."""
    if registry_of(item.payload) is None:
        raise not_carried(formats.PILLAR, item.payload, ENCODABLE[:4])
    fmt, document = registry_document(item.payload, case_id=item.case_id)
    return fmt.root, document


def feed_document(
    items: Sequence[FeedItem], *, institution: str, next_cursor: str | None
) -> Document:
    """One page of a registry's feed; each item names the message that answers it
    (``replyWith``), placed before the entry as the contract orders it."""
    page = feed_page(
        items,
        institution=institution,
        next_cursor=next_cursor,
        pillar=formats.PILLAR,
        entry=feed_entry,
    )
    page["items"] = [_with_reply(item) for item in page["items"]]
    return page


def _with_reply(item: Document) -> Document:
    out: Document = {}
    for member, value in item.items():
        if member in formats.REPLY_WITH:
            out["replyWith"] = formats.REPLY_WITH[member]
        out[member] = value
    return out
