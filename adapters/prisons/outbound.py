"""Canonical -> prison format: the documents the gateway gives a prison.

Custody events are written back in the prison's own message format (what the
round-trip tests hold the translator to); court orders and judgments that concern
an inmate go on the prison's feed. The shared toolkit writes the trees as JSON or XML,
deterministically: members and elements in the order of the contracts, absent values left
out, indented UTF-8.
"""

from __future__ import annotations

from adapters.prisons import formats
from canonical_model.entities import OrderKind
from canonical_model.errors import UnknownMessageType
from canonical_model.events import (
    CustodialDeathReported,
    CustodyEscapeReported,
    DeadlineBreached,
    DeadlineDueSoon,
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
from contracts.toolkit import Document, Format, deadline_entry, document_fields, not_carried

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
            doc = _head(formats.ADMISSION, a.inmate.prisoner) | document_fields(
                data, formats.ADMISSION_FIELDS
            )
            return formats.ADMISSION, formats.ADMISSION.root, doc
        case InmateProduced(production=p):
            doc = _head(formats.PRODUCTION, p.prisoner) | document_fields(
                p.model_dump(mode="json"), formats.PRODUCTION_FIELDS
            )
            return formats.PRODUCTION, formats.PRODUCTION.root, doc
        case InmateReleased(release=r):
            doc = _head(formats.RELEASE, r.prisoner) | document_fields(
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
            doc |= document_fields(
                {"order": t.model_dump(mode="json")["order"]}, formats.TRANSFER_FIELDS[1:]
            )
            return formats.TRANSFER, formats.TRANSFER.root, doc
        case InmateReadmitted(readmission=r):
            doc = _head(formats.READMISSION, r.prisoner) | document_fields(
                r.model_dump(mode="json"), formats.READMISSION_FIELDS
            )
            return formats.READMISSION, formats.READMISSION.root, doc
        case InmateConvicted(conviction=c):
            doc = _head(formats.CONVICTION, c.prisoner) | document_fields(
                c.model_dump(mode="json"), formats.CONVICTION_FIELDS
            )
            return formats.CONVICTION, formats.CONVICTION.root, doc
        case OrderIssued():
            return None, ORDER_ROOT, court_order(payload)
        case JudgmentDelivered():
            return None, JUDGMENT_ROOT, judgment(payload)
    raise not_carried(formats.PILLAR, payload, ENCODABLE)


def court_order(payload: OrderIssued) -> Document:
    """A court order as a prison reads it, with the prisoner numbers it concerns."""
    doc = document_fields(payload.order.model_dump(mode="json"), formats.ORDER_FIELDS)
    text = doc.pop("orderText", None)
    if payload.inmates:
        doc["prisonerNumbers"] = [str(p) for p in payload.inmates]
    if text is not None:
        doc["orderText"] = text
    return doc


def judgment(payload: JudgmentDelivered) -> Document:
    """A judgment as a prison reads it: verdicts and sentences (the conviction warrant's
    substance, or the acquittal that ends custody), with the prisoner numbers it concerns."""
    doc = document_fields(payload.judgment.model_dump(mode="json"), formats.JUDGMENT_FIELDS)
    if payload.inmates:
        doc["prisonerNumbers"] = [str(p) for p in payload.inmates]
    return doc


def feed_entry(item: FeedItem) -> tuple[str, Document]:
    """A prison's feed entry: a court order or a judgment concerning its inmates, or a statutory
    clock the prison must act on (``deadline``, written as every feed writes it)."""
    match item.payload:
        case OrderIssued(order=order):
            entry = court_order(item.payload)
            if order.kind not in formats.FEED_ORDER_KINDS:
                # Filed before the feed kept to the orders a prison acts on (a licence
                # suspension concerning an inmate): still on the feed, so it is written as the
                # contract can carry it, an order of another kind with the court's own words.
                entry["orderType"] = OrderKind.OTHER.value
            return "courtOrder", entry
        case JudgmentDelivered():
            return "judgment", judgment(item.payload)
        case DeadlineDueSoon() | DeadlineBreached():
            return deadline_entry(item.payload)
    raise UnknownMessageType(
        f"the prison feed carries court orders, judgments and deadlines, not {item.payload.name}"
    )
