"""Laboratory format -> canonical: the translator of each laboratory message.

Parsing, contract checks, reading XML into the tree the JSON format has and locating every
error in the laboratory document (a JSON pointer or an XPath) are the shared toolkit's
(``contracts.toolkit.translation``); what is the laboratories' own is here: which canonical
payload each message becomes, and the parts that must agree with the FIR.
"""

from __future__ import annotations

from typing import Any

from adapters.forensics import formats
from canonical_model.errors import InvalidIdentifier
from canonical_model.events import (
    EventPayload,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.identifiers import Fir
from contracts.toolkit import Document, Loc, Translation, Translator


def _request(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("request",)
    data = t.shape(doc, "", path, formats.REQUEST_HEAD)
    data["fir"] = doc.get("firNo")
    t.origins[(*path, "fir")] = "/firNo"
    _check_station(t, doc.get("firNo"), doc.get("policeStation"))
    _check_request_id(t, doc.get("firNo"), doc.get("requestId"))
    data |= t.shape(doc, "", path, formats.REQUEST_TAIL)
    return ForensicRequested, {"request": data}


def _check_station(t: Translation, fir_no: Any, station: Any) -> None:
    """The police station must be the FIR's."""
    try:
        fir = Fir.parse(str(fir_no or ""))
    except InvalidIdentifier:
        return  # reported against /firNo by the canonical model
    if station != str(fir.police_station):
        t.problem(
            "/policeStation",
            f"{station!r} is not the police station of FIR {fir} ({fir.police_station})",
        )


def _check_request_id(t: Translation, fir_no: Any, request_id: Any) -> None:
    """The police-side request id is the FIR, a slash and a serial: it must name this FIR."""
    try:
        fir = Fir.parse(str(fir_no or ""))
    except InvalidIdentifier:
        return
    if not str(request_id or "").startswith(f"{fir}/"):
        t.problem(
            "/requestId", f"{request_id!r} must be the FIR {fir} followed by '/' and a serial"
        )


def _acknowledgement(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    data = t.shape(doc, "", ("acknowledgement",), formats.ACKNOWLEDGEMENT_FIELDS)
    return ForensicAcknowledged, {"acknowledgement": data}


def _custody(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    return ForensicCustodyRecorded, {
        "custody": t.shape(doc, "", ("custody",), formats.CUSTODY_FIELDS)
    }


def _report(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    return ForensicReported, {"report": t.shape(doc, "", ("report",), formats.REPORT_FIELDS)}


def _revision(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    return ForensicReportRevised, {"report": t.shape(doc, "", ("report",), formats.REVISION_FIELDS)}


#: The translator of every laboratory message, by message type.
TRANSLATORS: dict[str, Translator] = {
    formats.EXAMINATION_REQUEST.message_type: _request,
    formats.ACKNOWLEDGEMENT.message_type: _acknowledgement,
    formats.CUSTODY.message_type: _custody,
    formats.REPORT.message_type: _report,
    formats.REPORT_REVISION.message_type: _revision,
}
