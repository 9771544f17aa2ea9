"""Canonical -> court format: the documents the gateway gives a court.

A canonical payload becomes a court document tree (:func:`court_document`, a feed entry
:func:`feed_entry`); the shared toolkit writes it as JSON or XML, deterministically (members
and elements in the order of the contracts, absent values left out, indented UTF-8).
"""

from __future__ import annotations

from adapters.courts import formats
from canonical_model.errors import ContractViolation, Problem, UnknownMessageType
from canonical_model.events import (
    ChargesheetFiled,
    CourtCaseRegistered,
    DeadlineBreached,
    DeadlineDueSoon,
    EventPayload,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import CourtCaseNumber, Fir
from canonical_model.messages import FeedItem
from contracts.toolkit import Document, Format, deadline_entry, document_fields, not_carried, typed

#: The canonical events the court formats carry, by event name.
ENCODABLE: tuple[str, ...] = (
    ChargesheetFiled.name,
    CourtCaseRegistered.name,
    HearingRecorded.name,
    OrderIssued.name,
    JudgmentDelivered.name,
)


def court_document(payload: EventPayload, *, case_id: str | None = None) -> tuple[Format, Document]:
    """The court document carrying ``payload``; ``case_id`` goes into a charge sheet."""
    match payload:
        case ChargesheetFiled():
            return formats.CHARGESHEET, _chargesheet(payload, case_id)
        case CourtCaseRegistered():
            return formats.CASE_REGISTRATION, _case_registration(payload)
        case HearingRecorded():
            data = payload.hearing.model_dump(mode="json")
            return formats.HEARING, typed(
                formats.HEARING, document_fields(data, formats.HEARING_FIELDS)
            )
        case OrderIssued():
            data = payload.order.model_dump(mode="json")
            return formats.ORDER, typed(formats.ORDER, document_fields(data, formats.ORDER_FIELDS))
        case JudgmentDelivered():
            data = payload.judgment.model_dump(mode="json")
            return formats.JUDGMENT, typed(
                formats.JUDGMENT, document_fields(data, formats.JUDGMENT_FIELDS)
            )
    raise not_carried(formats.PILLAR, payload, ENCODABLE)


def _chargesheet(payload: ChargesheetFiled, case_id: str | None) -> Document:
    report = payload.report
    data = report.model_dump(mode="json")
    fir: Fir = report.fir
    document: Document = {"messageType": formats.CHARGESHEET.message_type}
    if case_id:
        document["caseId"] = case_id
    document |= document_fields(data, formats.REPORT_HEAD)
    document["fir"] = {
        "firNo": str(fir),
        "state": fir.state,
        "district": fir.district,
        "stationCode": fir.station,
        "year": fir.year,
        "number": fir.serial,
    }
    document["policeStation"] = str(fir.police_station)
    document |= document_fields(data, formats.REPORT_TAIL)
    return document


def _case_registration(payload: CourtCaseRegistered) -> Document:
    case = payload.court_case
    data = case.model_dump(mode="json")
    document = typed(formats.CASE_REGISTRATION, document_fields(data, formats.REGISTRATION_HEAD))
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
    document |= document_fields(data, formats.REGISTRATION_TAIL)
    return document


def _number(stage: str, number: CourtCaseNumber) -> Document:
    return {f"{stage}Number": number.number, f"{stage}Year": number.year}


def feed_entry(item: FeedItem) -> tuple[str, Document]:
    """A court's feed entry: a charge sheet, with the gateway's case id; or a statutory clock the
    court must act on (``deadline``, written as every feed writes it)."""
    match item.payload:
        case ChargesheetFiled():
            return "chargeSheet", _chargesheet(item.payload, item.case_id)
        case DeadlineDueSoon() | DeadlineBreached():
            return deadline_entry(item.payload)
    raise UnknownMessageType(
        f"the court feed carries {ChargesheetFiled.name}, {DeadlineDueSoon.name} and "
        f"{DeadlineBreached.name} events, not {item.payload.name}"
    )
