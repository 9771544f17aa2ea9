"""Prison format -> canonical: parse safely, check the contract, translate, locate every error.

The same steps as every pillar: parse (``contracts.loader``), find the message type,
validate against the contract, read an XML document into the tree its JSON twin
has, translate, and report whatever the canonical model still refuses at a JSON
pointer or XPath into the prison's own document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree
from pydantic import ValidationError

from adapters.prisons import formats
from adapters.prisons.formats import Format, Shape
from canonical_model.errors import ContractViolation, InvalidIdentifier, Problem
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
#: A location in canonical data, as pydantic reports it: ("admission", "warrant", "cnr").
Loc = tuple[str | int, ...]
#: Turns a JSON pointer into the prison document into the location reported to the sender.
Locator = Callable[[str], str]


def decode_json(body: bytes) -> DecodedMessage:
    """Decode a prison message in JSON."""
    document = parse_json(body)
    fmt = json_format(document)
    require_valid_json(fmt.json_contract, document)
    return translate(fmt, document, lambda pointer: pointer or "/")


def decode_xml(body: bytes) -> DecodedMessage:
    """Decode a prison message in XML."""
    root = parse_xml(body)
    fmt = xml_format(root)
    require_valid_xml(fmt.xml_contract, root)
    document, locations = read_xml(root)
    return translate(fmt, document, _xml_locator(locations))


def json_format(document: Any) -> Format:
    """The prison message a JSON document says it is, from its ``messageType``."""
    return json_message_format(document, messages=formats.MESSAGES, noun="prison")


def xml_format(root: etree._Element) -> Format:
    """The prison message an XML document is, from its root element."""
    return xml_message_format(
        root,
        messages=formats.MESSAGES,
        namespace=formats.NAMESPACE,
        prefixes=formats.PREFIXES,
        noun="prison",
    )


# -- XML into the JSON-shaped tree ------------------------------------------------------


def read_xml(root: etree._Element) -> tuple[Document, dict[str, str]]:
    """Read a (valid) prison XML document into the tree its JSON twin has, with the XPath of
    the element behind every JSON pointer."""
    locations: dict[str, str] = {}
    document = _read_container(root, "", locations)
    fmt = formats.MESSAGES_BY_ROOT.get(etree.QName(root).localname)
    if fmt is not None:
        document = {"messageType": fmt.message_type, **document}
    return document, locations


def _read_container(element: etree._Element, pointer: str, locations: dict[str, str]) -> Document:
    locations[pointer or "/"] = element_path(element, formats.PREFIXES)
    out: Document = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions carry nothing
        name = etree.QName(child).localname
        child_pointer = f"{pointer}/{name}"
        if name in formats.CONTAINERS:
            out[name] = _read_container(child, child_pointer, locations)
            continue
        locations[child_pointer] = element_path(child, formats.PREFIXES)
        text = (child.text or "").strip()
        if name in formats.INTEGERS:
            out[name] = int(text)
        elif name in formats.BOOLEANS:
            out[name] = text in ("true", "1")
        else:
            out[name] = text
    return out


def _xml_locator(locations: Mapping[str, str]) -> Locator:
    def locate(pointer: str) -> str:
        probe = pointer or "/"
        while probe not in locations and probe not in ("", "/"):
            probe = probe.rsplit("/", 1)[0] or "/"
        return locations.get(probe, locations.get("/", "/"))

    return locate


# -- translation ------------------------------------------------------------------------


class Translation:
    """Builds canonical data from a prison document and remembers where each part came from."""

    def __init__(self) -> None:
        self.origins: dict[Loc, str] = {}
        self.problems: list[Problem] = []

    def shape(self, source: Mapping[str, Any], pointer: str, path: Loc, shape: Shape) -> Document:
        """The canonical object ``shape`` reads from prison object ``source`` at ``pointer``."""
        self.origins[path] = pointer or "/"
        out: Document = {}
        for field in shape:
            value = source.get(field.prison)
            if value is None:
                continue
            here, at = f"{pointer}/{field.prison}", (*path, field.canonical)
            self.origins[at] = here
            if field.shape is not None and isinstance(value, Mapping):
                out[field.canonical] = self.shape(value, here, at, field.shape)
            else:
                out[field.canonical] = value
        return out

    def prisoner(
        self,
        doc: Mapping[str, Any],
        path: Loc,
        *,
        code: str = "prisonCode",
        number: str = "prisonerNumber",
    ) -> str | None:
        """The institution-qualified prisoner number from a prison code and a local number."""
        self.origins[path] = f"/{number}"
        try:
            return str(PrisonerNumber.parse(f"{doc.get(code, '')}:{doc.get(number, '')}"))
        except InvalidIdentifier as exc:
            self.problem(f"/{code}" if exc.part == "institution" else f"/{number}", exc.message)
            return None

    def problem(self, pointer: str, message: str) -> None:
        """Note a problem the contract cannot express."""
        self.problems.append(Problem(pointer, message))

    def pointer(self, loc: Loc) -> str:
        """The prison pointer a canonical error location comes from (the nearest known origin)."""
        for cut in range(len(loc), -1, -1):
            origin = self.origins.get(loc[:cut])
            if origin is not None:
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
    """Translate a contract-valid prison document to canonical events."""
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


def _admission(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("admission",)
    data = t.shape(doc, "", path, formats.ADMISSION_FIELDS)
    data.setdefault("inmate", {})["prisoner"] = t.prisoner(doc, (*path, "inmate", "prisoner"))
    warrant = doc.get("warrant")
    if isinstance(warrant, Mapping) and not (warrant.get("cnr") or warrant.get("firNo")):
        t.problem("/warrant", "the warrant must name the case by CNR or FIR (cnr, firNo)")
    return InmateAdmitted, {"admission": data}


def _production(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("production",)
    data = t.shape(doc, "", path, formats.PRODUCTION_FIELDS)
    data["prisoner"] = t.prisoner(doc, (*path, "prisoner"))
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
        data: Document = {"prisoner": t.prisoner(doc, (*path, "prisoner"))}
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
    data["prisoner"] = t.prisoner(doc, (*path, "prisoner"))
    return InmateReleased, {"release": data}


def _transfer(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("transfer",)
    data = t.shape(doc, "", path, formats.TRANSFER_FIELDS)
    data["prisoner"] = t.prisoner(doc, (*path, "prisoner"))
    data["to_prisoner"] = t.prisoner(
        doc, (*path, "to_prisoner"), code="toPrisonCode", number="toPrisonerNumber"
    )
    return InmateTransferred, {"transfer": data}


def _readmission(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("readmission",)
    data = t.shape(doc, "", path, formats.READMISSION_FIELDS)
    data["prisoner"] = t.prisoner(doc, (*path, "prisoner"))
    return InmateReadmitted, {"readmission": data}


def _conviction(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    path: Loc = ("conviction",)
    data = t.shape(doc, "", path, formats.CONVICTION_FIELDS)
    data["prisoner"] = t.prisoner(doc, (*path, "prisoner"))
    return InmateConvicted, {"conviction": data}


_TRANSLATORS: dict[str, Translator] = {
    formats.ADMISSION.message_type: _admission,
    formats.PRODUCTION.message_type: _production,
    formats.RELEASE.message_type: _release,
    formats.TRANSFER.message_type: _transfer,
    formats.READMISSION.message_type: _readmission,
    formats.CONVICTION.message_type: _conviction,
}
