"""Canonical -> laboratory format: the documents the gateway gives a laboratory.

A canonical payload becomes a laboratory document tree (:func:`lab_document`, a feed entry
:func:`feed_entry`); the shared toolkit writes it as JSON or XML, deterministically (members
and elements in the order of the contracts, absent values left out, indented UTF-8).
"""

from __future__ import annotations

from adapters.forensics import formats
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
from contracts.toolkit import Document, Format, document_fields, not_carried, typed

#: The canonical events the laboratory formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    ForensicRequested.name,
    ForensicAcknowledged.name,
    ForensicCustodyRecorded.name,
    ForensicReported.name,
    ForensicReportRevised.name,
)


def lab_document(payload: EventPayload, *, case_id: str | None = None) -> tuple[Format, Document]:
    """The laboratory document carrying ``payload``; ``case_id`` goes into a request."""
    match payload:
        case ForensicRequested():
            return formats.EXAMINATION_REQUEST, _request(payload, case_id)
        case ForensicAcknowledged():
            data = payload.acknowledgement.model_dump(mode="json")
            return formats.ACKNOWLEDGEMENT, typed(
                formats.ACKNOWLEDGEMENT, document_fields(data, formats.ACKNOWLEDGEMENT_FIELDS)
            )
        case ForensicCustodyRecorded():
            data = payload.custody.model_dump(mode="json")
            return formats.CUSTODY, typed(
                formats.CUSTODY, document_fields(data, formats.CUSTODY_FIELDS)
            )
        case ForensicReportRevised():
            data = payload.report.model_dump(mode="json")
            return formats.REPORT_REVISION, typed(
                formats.REPORT_REVISION, document_fields(data, formats.REVISION_FIELDS)
            )
        case ForensicReported():
            data = payload.report.model_dump(mode="json")
            return formats.REPORT, typed(
                formats.REPORT, document_fields(data, formats.REPORT_FIELDS)
            )
    raise not_carried(formats.PILLAR, payload, ENCODABLE)


def _request(payload: ForensicRequested, case_id: str | None) -> Document:
    request = payload.request
    data = request.model_dump(mode="json")
    document: Document = {"messageType": formats.EXAMINATION_REQUEST.message_type}
    if case_id:
        document["caseId"] = case_id
    document |= document_fields(data, formats.REQUEST_HEAD)
    document["firNo"] = str(request.fir)
    document["policeStation"] = str(request.fir.police_station)
    document |= document_fields(data, formats.REQUEST_TAIL)
    return document


def feed_entry(item: FeedItem) -> tuple[str, Document]:
    """A laboratory's feed entry: the examination request, with the gateway's case id."""
    if not isinstance(item.payload, ForensicRequested):
        raise UnknownMessageType(
            f"the examination-request feed carries {ForensicRequested.name} events, "
            f"not {item.payload.name}"
        )
    return "examinationRequest", _request(item.payload, item.case_id)
