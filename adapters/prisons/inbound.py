"""Prison format -> canonical: the translator of each prison message.

Parsing, contract checks, reading XML into the tree the JSON format has and locating every
error in the prison's own document are the shared toolkit's
(``contracts.toolkit.translation``); what is the prisons' own is here: which canonical
payload each message becomes, and the prisoner number joined from a prison code and a
number local to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.prisons import formats
from canonical_model.errors import InvalidIdentifier
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
)
from canonical_model.identifiers import PrisonerNumber
from contracts.toolkit import Document, Loc, Translation, Translator


def _prisoner(
    t: Translation,
    doc: Mapping[str, Any],
    path: Loc,
    *,
    code: str = "prisonCode",
    number: str = "prisonerNumber",
) -> str | None:
    """The institution-qualified prisoner number from a prison code and a local number."""
    t.origins[path] = f"/{number}"
    try:
        return str(PrisonerNumber.parse(f"{doc.get(code, '')}:{doc.get(number, '')}"))
    except InvalidIdentifier as exc:
        t.problem(f"/{code}" if exc.part == "institution" else f"/{number}", exc.message)
        return None


def _admission(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("admission",)
    data = t.shape(doc, "", path, formats.ADMISSION_FIELDS)
    data.setdefault("inmate", {})["prisoner"] = _prisoner(t, doc, (*path, "inmate", "prisoner"))
    warrant = doc.get("warrant")
    if isinstance(warrant, Mapping) and not (warrant.get("cnr") or warrant.get("firNo")):
        t.problem("/warrant", "the warrant must name the case by CNR or FIR (cnr, firNo)")
    return InmateAdmitted, {"admission": data}


def _production(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("production",)
    data = t.shape(doc, "", path, formats.PRODUCTION_FIELDS)
    data["prisoner"] = _prisoner(t, doc, (*path, "prisoner"))
    return InmateProduced, {"production": data}


def _release(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    reason = doc.get("reason")
    if reason in ("death", "escape"):
        # A death or an escape is not a release a court ordered: it is its own event, which
        # every pillar watching the case sees (and a death calls for an inquiry, BNSS s.196).
        if doc.get("order") is not None:
            t.problem("/order", f"a {reason} rests on no court order; leave the order out")
        name = "death" if reason == "death" else "escape"
        path: Loc = (name,)
        t.origins[path] = "/"
        data: Document = {"prisoner": _prisoner(t, doc, (*path, "prisoner"))}
        date_field, text_field = (
            ("died_on", "cause") if name == "death" else ("escaped_on", "circumstances")
        )
        data[date_field] = doc.get("releaseDate")
        t.origins[(*path, date_field)] = "/releaseDate"
        if doc.get("remarks") is not None:
            data[text_field] = doc["remarks"]
            t.origins[(*path, text_field)] = "/remarks"
        cls: type[EventPayload] = (
            CustodialDeathReported if name == "death" else CustodyEscapeReported
        )
        return cls, {name: data}
    path = ("release",)
    data = t.shape(doc, "", path, formats.RELEASE_FIELDS)
    data["prisoner"] = _prisoner(t, doc, (*path, "prisoner"))
    return InmateReleased, {"release": data}


def _transfer(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("transfer",)
    data = t.shape(doc, "", path, formats.TRANSFER_FIELDS)
    data["prisoner"] = _prisoner(t, doc, (*path, "prisoner"))
    data["to_prisoner"] = _prisoner(
        t, doc, (*path, "to_prisoner"), code="toPrisonCode", number="toPrisonerNumber"
    )
    return InmateTransferred, {"transfer": data}


def _readmission(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("readmission",)
    data = t.shape(doc, "", path, formats.READMISSION_FIELDS)
    data["prisoner"] = _prisoner(t, doc, (*path, "prisoner"))
    return InmateReadmitted, {"readmission": data}


def _conviction(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("conviction",)
    data = t.shape(doc, "", path, formats.CONVICTION_FIELDS)
    data["prisoner"] = _prisoner(t, doc, (*path, "prisoner"))
    return InmateConvicted, {"conviction": data}


#: The translator of every prison message, by message type.
TRANSLATORS: dict[str, Translator] = {
    formats.ADMISSION.message_type: _admission,
    formats.PRODUCTION.message_type: _production,
    formats.RELEASE.message_type: _release,
    formats.TRANSFER.message_type: _transfer,
    formats.READMISSION.message_type: _readmission,
    formats.CONVICTION.message_type: _conviction,
}
