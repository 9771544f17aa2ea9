"""Court format -> canonical: parse safely, check the contract, translate, locate every error.

The steps are the same for JSON and XML: parse (``contracts.loader``), find the
message type, validate against the contract, then translate the court document
(an XML document is first read into the same tree the JSON format has) into a
canonical payload. Whatever the canonical model still refuses is reported in the
court document's own terms: a JSON pointer or an XPath to the offending field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree
from pydantic import ValidationError

from adapters.courts import formats
from adapters.courts.formats import Field, Format, Shape
from canonical_model.errors import ContractViolation, InvalidIdentifier, Problem
from canonical_model.events import (
    ChargesheetFiled,
    CourtCaseRegistered,
    EventPayload,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import CourtCaseNumber, EstablishmentCode, Fir
from canonical_model.messages import DecodedMessage
from contracts.dispatch import json_message_format, xml_message_format
from contracts.loader import (
    element_path,
    parse_json,
    parse_xml,
    require_valid_json,
    require_valid_xml,
)

Document = dict[str, Any]
#: A location in canonical data, as pydantic reports it: ("hearing", "next_date").
Loc = tuple[str | int, ...]
#: Turns a JSON pointer into the court document into the location reported to the sender.
Locator = Callable[[str], str]


def decode_json(body: bytes) -> DecodedMessage:
    """Decode a court message in JSON."""
    document = parse_json(body)
    fmt = json_format(document)
    require_valid_json(fmt.json_contract, document)
    return translate(fmt, document, lambda pointer: pointer or "/")


def decode_xml(body: bytes) -> DecodedMessage:
    """Decode a court message in XML."""
    root = parse_xml(body)
    fmt = xml_format(root)
    require_valid_xml(fmt.xml_contract, root)
    document, locations = read_xml(root)
    return translate(fmt, document, _xml_locator(locations))


def json_format(document: Any) -> Format:
    """The court message a JSON document says it is, from its ``messageType``."""
    return json_message_format(document, messages=formats.MESSAGES, noun="court")


def xml_format(root: etree._Element) -> Format:
    """The court message an XML document is, from its root element."""
    return xml_message_format(
        root,
        messages=formats.MESSAGES,
        namespace=formats.NAMESPACE,
        prefixes=formats.PREFIXES,
        noun="court",
    )


# -- XML into the JSON-shaped tree ------------------------------------------------------


def read_xml(root: etree._Element) -> tuple[Document, dict[str, str]]:
    """Read a (valid) court XML document into the tree its JSON twin has.

    Returns the tree and, for every JSON pointer in it, the XPath of the element
    it came from.
    """
    locations: dict[str, str] = {}
    document = _read_container(root, "", locations)
    fmt = formats.MESSAGES_BY_ROOT.get(etree.QName(root).localname)
    if fmt is not None:
        document = {"messageType": fmt.message_type, **document}
    return document, locations


def _read_container(element: etree._Element, pointer: str, locations: dict[str, str]) -> Document:
    path = element_path(element, formats.PREFIXES)
    locations[pointer or "/"] = path
    parent = etree.QName(element).localname
    out: Document = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions carry nothing
        name = etree.QName(child).localname
        member = formats.LIST_MEMBERS.get(name)
        if member is not None:
            items = out.setdefault(member, [])
            locations.setdefault(
                f"{pointer}/{member}", f"{path}/{formats.PREFIXES[formats.NAMESPACE]}:{name}"
            )
            child_pointer = f"{pointer}/{member}/{len(items)}"
            items.append(_read_value(child, parent, name, child_pointer, locations))
        else:
            out[name] = _read_value(child, parent, name, f"{pointer}/{name}", locations)
    return out


def _read_value(
    element: etree._Element, parent: str, name: str, pointer: str, locations: dict[str, str]
) -> Any:
    if name in formats.CONTAINERS:
        return _read_container(element, pointer, locations)
    locations[pointer] = element_path(element, formats.PREFIXES)
    text = (element.text or "").strip()
    if name in formats.INTEGERS or (parent, name) in formats.INTEGERS:
        return int(text)
    if name in formats.BOOLEANS:
        return text in ("true", "1")
    return text


def _xml_locator(locations: Mapping[str, str]) -> Locator:
    def locate(pointer: str) -> str:
        probe = pointer or "/"
        while probe not in locations and probe not in ("", "/"):
            probe = probe.rsplit("/", 1)[0] or "/"
        return locations.get(probe, locations.get("/", "/"))

    return locate


# -- translation ------------------------------------------------------------------------


class Translation:
    """Builds canonical data from a court document and remembers where each part came from."""

    def __init__(self) -> None:
        self.origins: dict[Loc, str] = {}
        self.problems: list[Problem] = []

    def shape(self, source: Mapping[str, Any], pointer: str, path: Loc, shape: Shape) -> Document:
        """The canonical object ``shape`` reads from court object ``source`` at ``pointer``."""
        self.origins[path] = pointer or "/"
        out: Document = {}
        for field in shape:
            if field.inline:
                assert field.shape is not None
                out[field.canonical] = self.shape(
                    source, pointer, (*path, field.canonical), field.shape
                )
                continue
            if field.court not in source or source[field.court] is None:
                continue
            out[field.canonical] = self.field(
                field, source[field.court], f"{pointer}/{field.court}", (*path, field.canonical)
            )
        return out

    def field(self, field: Field, value: Any, pointer: str, path: Loc) -> Any:
        """One court field's value, as the canonical field wants it."""
        self.origins[path] = pointer
        if field.many and isinstance(value, list):
            if field.shape is None:
                return list(value)
            return [
                self.shape(item, f"{pointer}/{i}", (*path, i), field.shape)
                for i, item in enumerate(value)
            ]
        if field.shape is not None and isinstance(value, Mapping):
            return self.shape(value, pointer, path, field.shape)
        return value

    def problem(self, pointer: str, message: str) -> None:
        """Note a problem the contract cannot express (parts that must agree)."""
        self.problems.append(Problem(pointer, message))

    def pointer(self, loc: Loc) -> str:
        """The court pointer a canonical error location comes from: the nearest known origin,
        with list indices below it carried over (a list of plain values maps one to one)."""
        for cut in range(len(loc), -1, -1):
            origin = self.origins.get(loc[:cut])
            if origin is not None:
                rest = loc[cut:]
                if rest and all(isinstance(p, int) for p in rest):
                    return origin.rstrip("/") + "".join(f"/{p}" for p in rest)
                return origin
        return "/"


def _message(item: Mapping[str, Any]) -> str:
    message = str(item.get("msg", "invalid"))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _located(problems: list[Problem], locate: Locator) -> list[Problem]:
    out: list[Problem] = []
    for problem in problems:
        located = Problem(locate(problem.location), problem.message)
        if located not in out:
            out.append(located)
    return out


def translate(fmt: Format, document: Document, locate: Locator) -> DecodedMessage:
    """Translate a contract-valid court document to canonical events."""
    translation = Translation()
    payload_class, data = _TRANSLATORS[fmt.message_type](translation, document)
    if translation.problems:
        problems = _located(translation.problems, locate)
        raise ContractViolation(_summary(fmt, problems), problems)
    try:
        payload = payload_class.model_validate(data)
    except ValidationError as exc:
        problems = []
        for item in exc.errors(include_url=False):
            loc = tuple(
                p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            problems.append(Problem(translation.pointer(loc), _message(item)))
        problems = _located(problems, locate)
        raise ContractViolation(_summary(fmt, problems), problems) from None
    return DecodedMessage(message_type=fmt.message_type, payloads=[payload])


def _summary(fmt: Format, problems: list[Problem]) -> str:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (
        f"the {fmt.message_type} message is not acceptable: {first.location}: {first.message}{more}"
    )


Translator = Callable[[Translation, Document], tuple[type[EventPayload], Document]]


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


_TRANSLATORS: dict[str, Translator] = {
    formats.CASE_REGISTRATION.message_type: _case_registration,
    formats.HEARING.message_type: _hearing,
    formats.ORDER.message_type: _order,
    formats.JUDGMENT.message_type: _judgment,
    formats.CHARGESHEET.message_type: _chargesheet,
}
