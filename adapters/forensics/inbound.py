"""Laboratory format -> canonical: parse safely, check the contract, translate, locate every
error.

The steps are the same for JSON and XML: parse (``contracts.loader``), find the message type,
validate against the contract, then translate the laboratory document (an XML document is first
read into the same tree the JSON format has) into a canonical payload. Whatever the canonical
model still refuses is reported in the laboratory document's own terms: a JSON pointer or an
XPath to the offending field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree
from pydantic import ValidationError

from adapters.forensics import formats
from adapters.forensics.formats import Field, Format, Shape
from canonical_model.errors import ContractViolation, InvalidIdentifier, Problem
from canonical_model.events import (
    EventPayload,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.identifiers import Fir
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
#: A location in canonical data, as pydantic reports it: ("report", "signed_on").
Loc = tuple[str | int, ...]
#: Turns a JSON pointer into the laboratory document into the location reported to the sender.
Locator = Callable[[str], str]


def decode_json(body: bytes) -> DecodedMessage:
    """Decode a laboratory message in JSON."""
    document = parse_json(body)
    fmt = json_format(document)
    require_valid_json(fmt.json_contract, document)
    return translate(fmt, document, lambda pointer: pointer or "/")


def decode_xml(body: bytes) -> DecodedMessage:
    """Decode a laboratory message in XML."""
    root = parse_xml(body)
    fmt = xml_format(root)
    require_valid_xml(fmt.xml_contract, root)
    document, locations = read_xml(root)
    return translate(fmt, document, _xml_locator(locations))


def json_format(document: Any) -> Format:
    """The laboratory message a JSON document says it is, from its ``messageType``."""
    return json_message_format(document, messages=formats.MESSAGES, noun="laboratory")


def xml_format(root: etree._Element) -> Format:
    """The laboratory message an XML document is, from its root element."""
    return xml_message_format(
        root,
        messages=formats.MESSAGES,
        namespace=formats.NAMESPACE,
        prefixes=formats.PREFIXES,
        noun="laboratory",
    )


# -- XML into the JSON-shaped tree ------------------------------------------------------


def read_xml(root: etree._Element) -> tuple[Document, dict[str, str]]:
    """Read a (valid) laboratory XML document into the tree its JSON twin has.

    Returns the tree and, for every JSON pointer in it, the XPath of the element it came from.
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
            items.append(_read_value(child, name, child_pointer, locations))
        else:
            out[name] = _read_value(child, name, f"{pointer}/{name}", locations)
    return out


def _read_value(element: etree._Element, name: str, pointer: str, locations: dict[str, str]) -> Any:
    if name in formats.CONTAINERS:
        return _read_container(element, pointer, locations)
    locations[pointer] = element_path(element, formats.PREFIXES)
    text = (element.text or "").strip()
    if name in formats.INTEGERS:
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
    """Builds canonical data from a laboratory document and remembers where each part came
    from."""

    def __init__(self) -> None:
        self.origins: dict[Loc, str] = {}
        self.problems: list[Problem] = []

    def shape(self, source: Mapping[str, Any], pointer: str, path: Loc, shape: Shape) -> Document:
        """The canonical object ``shape`` reads from laboratory object ``source`` at ``pointer``."""
        self.origins[path] = pointer or "/"
        out: Document = {}
        for field in shape:
            if field.lab not in source or source[field.lab] is None:
                continue
            out[field.canonical] = self.field(
                field, source[field.lab], f"{pointer}/{field.lab}", (*path, field.canonical)
            )
        return out

    def field(self, field: Field, value: Any, pointer: str, path: Loc) -> Any:
        """One laboratory field's value, as the canonical field wants it."""
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
        """The laboratory pointer a canonical error location comes from: the nearest known
        origin, with list indices below it carried over."""
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
    """Translate a contract-valid laboratory document to canonical events."""
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


_TRANSLATORS: dict[str, Translator] = {
    formats.EXAMINATION_REQUEST.message_type: _request,
    formats.ACKNOWLEDGEMENT.message_type: _acknowledgement,
    formats.CUSTODY.message_type: _custody,
    formats.REPORT.message_type: _report,
    formats.REPORT_REVISION.message_type: _revision,
}
