"""Court format -> canonical: the translator of each court message.

Parsing, contract checks, reading XML into the tree the JSON format has and locating every
error in the court document (a JSON pointer or an XPath) are the shared toolkit's
(``contracts.toolkit.translation``); what is the courts' own is here: which canonical
payload each message becomes, and the parts that must agree (CNR and establishment, FIR and
its parts, case numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.courts import formats
from canonical_model.errors import InvalidIdentifier
from canonical_model.events import (
    ChargesheetFiled,
    CourtCaseRegistered,
    EventPayload,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import CourtCaseNumber, EstablishmentCode, Fir
from contracts.toolkit import Document, Loc, Translation, Translator


def _case_registration(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("court_case",)
    data = t.shape(doc, "", path, formats.REGISTRATION_HEAD)
    data |= t.shape(doc, "", path, formats.REGISTRATION_TAIL)
    establishment = _establishment(t, doc)
    for stage, canonical in (("filing", "filing_number"), ("registration", "registration_number")):
        number = _case_number(t, doc, establishment, stage)
        if number is not None:
            data[canonical] = number
            t.origins[(*path, canonical)] = f"/{stage}Number"
    return CourtCaseRegistered, {"court_case": data}


def _establishment(t: Translation, doc: Document) -> EstablishmentCode | None:
    """The establishment code, which must be the one the CNR starts with."""
    try:
        establishment = EstablishmentCode.parse(str(doc.get("establishmentCode", "")))
    except InvalidIdentifier as exc:
        t.problem("/establishmentCode", exc.message)
        return None
    cnr = str(doc.get("cnr", "")).replace("-", "").strip().upper()
    if len(cnr) == 16 and not cnr.startswith(str(establishment)):
        t.problem(
            "/establishmentCode",
            f"{establishment} is not the establishment of CNR {doc['cnr']} ({cnr[:6]})",
        )
    return establishment


def _case_number(
    t: Translation, doc: Document, establishment: EstablishmentCode | None, stage: str
) -> CourtCaseNumber | None:
    """A filing or registration number from its parts: case type, number and year."""
    parts = {"case_type": "caseType", "number": f"{stage}Number", "year": f"{stage}Year"}
    values: dict[str, Any] = {part: doc.get(name) for part, name in parts.items()}
    if values["number"] is None and values["year"] is None:
        return None
    missing = [parts[part] for part, value in values.items() if value is None]
    for name in missing:
        t.problem("/", f"'{name}' is required with a {stage} number")
    if missing or establishment is None:
        return None
    try:
        return CourtCaseNumber(
            establishment, str(values["case_type"]), values["number"], values["year"]
        )
    except InvalidIdentifier as exc:
        t.problem("/" + parts.get(exc.part, f"{stage}Number"), exc.message)
        return None


def _hearing(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    return HearingRecorded, {"hearing": t.shape(doc, "", ("hearing",), formats.HEARING_FIELDS)}


def _order(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    return OrderIssued, {"order": t.shape(doc, "", ("order",), formats.ORDER_FIELDS)}


def _judgment(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    return JudgmentDelivered, {"judgment": t.shape(doc, "", ("judgment",), formats.JUDGMENT_FIELDS)}


def _chargesheet(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("report",)
    data = t.shape(doc, "", path, formats.REPORT_HEAD)
    reference = doc.get("fir")
    if isinstance(reference, Mapping):
        data["fir"] = reference.get("firNo")
        t.origins[(*path, "fir")] = "/fir/firNo"
        _check_fir_parts(t, reference, doc.get("policeStation"))
    data |= t.shape(doc, "", path, formats.REPORT_TAIL)
    return ChargesheetFiled, {"report": data}


def _check_fir_parts(t: Translation, reference: Mapping[str, Any], station: Any) -> None:
    """The FIR's parts and the police station must say what the FIR text says."""
    try:
        fir = Fir.parse(str(reference.get("firNo", "")))
    except InvalidIdentifier:
        return  # reported against /fir/firNo by the canonical model
    expected: dict[str, Any] = {
        "state": fir.state,
        "district": fir.district,
        "stationCode": fir.station,
        "year": fir.year,
        "number": fir.serial,
    }
    for name, value in expected.items():
        if reference.get(name) != value:
            t.problem(
                f"/fir/{name}",
                f"{reference.get(name)!r} disagrees with FIR {fir}, whose {name} is {value!r}",
            )
    if station is not None and station != str(fir.police_station):
        t.problem(
            "/policeStation",
            f"{station!r} is not the police station of FIR {fir} ({fir.police_station})",
        )


#: The translator of every court message, by message type.
TRANSLATORS: dict[str, Translator] = {
    formats.CASE_REGISTRATION.message_type: _case_registration,
    formats.HEARING.message_type: _hearing,
    formats.ORDER.message_type: _order,
    formats.JUDGMENT.message_type: _judgment,
    formats.CHARGESHEET.message_type: _chargesheet,
}
