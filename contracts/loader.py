"""Find the contract files, parse untrusted JSON and XML safely, and validate against a contract.

A contract is named by its path under this package, ``<pillar>/<version>/<file>``:
``courts/v1/hearing.xsd`` or ``courts/v1/hearing.schema.json``. Every problem a
validation finds is returned, each located where a sender can find it: a JSON
pointer (``/accused/0/name``) for JSON, an XPath (``/c:hearing/c:nextDate``) for
XML, or ``line L column C`` when the document is not even well-formed.

Safety rules, because every body comes from outside:

* JSON must be UTF-8; ``NaN`` and ``Infinity`` are refused.
* Every JSON integer must fit in a signed 64-bit integer (the database and every consumer
  take it); a longer one is refused at its JSON pointer before Python converts it (no
  5,000-digit conversions).
* No string may carry a character XML 1.0 cannot carry (C0 controls other than tab, line
  feed and carriage return, U+FFFE, U+FFFF, lone surrogates), in JSON as in XML: every
  message may end up in an XML feed, so it is refused at ingest, located, not at the feed.
* XML may not carry a DOCTYPE at all. The prolog is read by a gate parser that
  stops at the DOCTYPE, before a single entity declaration is parsed, so
  neither XXE (external entities) nor entity expansion bombs can happen. The
  document parser itself never resolves entities, never loads a DTD and never
  touches the network.
* Schemas are read from this package only. A JSON Schema ``$ref`` resolves
  against the files of its own folder; an XSD may include or import sibling
  files only. Nothing is ever fetched.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from canonical_model.errors import (
    ContractViolation,
    MalformedMessage,
    NotFound,
    Problem,
    ProblemCollector,
)

#: The folder holding ``<pillar>/<version>/<file>`` contract files.
CONTRACTS_DIR = Path(__file__).resolve().parent

JSON_SCHEMA_SUFFIX = ".schema.json"
XSD_SUFFIX = ".xsd"
XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema"

_PILLAR = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_VERSION = re.compile(r"^v[1-9][0-9]{0,2}$")
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


@dataclass(frozen=True, slots=True, order=True)
class ContractRef:
    """One contract file: ``courts/v1/hearing.xsd`` is pillar ``courts``, version ``v1``."""

    pillar: str
    version: str
    filename: str

    @property
    def name(self) -> str:
        """The contract's name, its path under the package: ``courts/v1/hearing.xsd``."""
        return f"{self.pillar}/{self.version}/{self.filename}"

    @property
    def is_xsd(self) -> bool:
        """Whether this is an XML Schema (else a JSON Schema)."""
        return self.filename.endswith(XSD_SUFFIX)

    @property
    def media_type(self) -> str:
        """The media type the file is served as."""
        return "application/xml" if self.is_xsd else "application/schema+json"

    @property
    def path(self) -> Path:
        """Where the file is (it may not exist: see :func:`contract_path`)."""
        return CONTRACTS_DIR / self.pillar / self.version / self.filename

    @classmethod
    def parse(cls, name: str) -> ContractRef:
        """Split a contract name; NotFound when it cannot name a contract file."""
        parts = name.split("/") if isinstance(name, str) else []
        if (
            len(parts) != 3
            or not _PILLAR.match(parts[0])
            or not _VERSION.match(parts[1])
            or not _FILENAME.match(parts[2])
            or ".." in parts[2]
            or not parts[2].endswith((JSON_SCHEMA_SUFFIX, XSD_SUFFIX))
        ):
            raise _not_found(name)
        return cls(parts[0], parts[1], parts[2])


def _not_found(name: object) -> NotFound:
    return NotFound(
        f"no contract named {name!r}",
        [Problem("name", "a contract is named <pillar>/<version>/<file>.schema.json or .xsd")],
    )


def list_contracts() -> list[ContractRef]:
    """Every contract file in the package, sorted by name."""
    found: list[ContractRef] = []
    for pillar in sorted(
        p for p in CONTRACTS_DIR.iterdir() if p.is_dir() and _PILLAR.match(p.name)
    ):
        for version in sorted(v for v in pillar.iterdir() if v.is_dir() and _VERSION.match(v.name)):
            for file in sorted(version.iterdir()):
                if file.is_file() and file.name.endswith((JSON_SCHEMA_SUFFIX, XSD_SUFFIX)):
                    found.append(ContractRef(pillar.name, version.name, file.name))
    return found


def contract_path(name: str) -> Path:
    """The file of contract ``name``; NotFound for anything not a contract of the package."""
    ref = ContractRef.parse(name)
    path = ref.path.resolve()
    if not path.is_relative_to(CONTRACTS_DIR) or not path.is_file():
        raise _not_found(name)
    return path


# -- JSON -----------------------------------------------------------------------------


def _line_column(data: bytes | str, offset: int) -> str:
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1
    column = offset - (data.rfind(newline, 0, offset) + 1) + 1
    return f"line {line} column {column}"


class _NonFiniteNumber(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _refuse_constant(literal: str) -> Any:
    raise _NonFiniteNumber(literal)


#: The range of a JSON integer the gateway takes: signed 64-bit.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_INT64_DIGITS = 19
#: Characters XML 1.0 cannot carry (its Char production), refused in every inbound string.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: JSON text that may decode to such a character (an escape of a control or a surrogate, or
#: U+FFFE/FFFF written as is); only when it is there is the parsed tree searched.
_MAYBE_XML_ILLEGAL = re.compile(r"\\u(?:00[01]|[dD][89a-fA-F]|[fF][fF][fF][eEfF])|[\ufffe\uffff]")


def _may_hold_illegal(text: str) -> bool:
    # Substring tests run in C at memory speed; the pattern's search took longer than the
    # whole JSON parse of a typical message, and almost no message has an escape.
    return "\\u" in text or "\ufffe" in text or "\uffff" in text


class _OutOfRange:
    """Stands in the parsed tree for a number the gateway does not take."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def reason(self) -> str:
        shown = (
            self.literal
            if len(self.literal) <= 40
            else f"{self.literal[:20]}... ({len(self.literal)} digits)"
        )
        return f"{shown} is out of range: integers must lie within signed 64 bits ({INT64_MIN} to {INT64_MAX})"


def _strict_loads(text: str) -> tuple[Any, bool]:
    """``json.loads`` with integers beyond 64 bits (and infinite numbers) left as markers;
    also says whether any was found."""
    found = False

    def parse_int(literal: str) -> Any:
        nonlocal found
        if len(literal) - literal.startswith("-") <= _INT64_DIGITS:
            value = int(literal)
            if INT64_MIN <= value <= INT64_MAX:
                return value
        found = True
        return _OutOfRange(literal)

    def parse_float(literal: str) -> Any:
        nonlocal found
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            found = True
            return _OutOfRange(literal)
        return value

    document = json.loads(
        text, parse_constant=_refuse_constant, parse_int=parse_int, parse_float=parse_float
    )
    return document, found


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def inbound_problems(document: Any, collector: ProblemCollector | None = None) -> ProblemCollector:
    """Every number out of range and every string (key or value) with a character XML 1.0
    cannot carry in a parsed JSON ``document``, at its JSON pointer; one pass, no recursion."""
    problems = collector if collector is not None else ProblemCollector()
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{pointer}/{_escape_pointer(key)}"
                bad = XML_ILLEGAL.search(key)
                if bad is not None:
                    problems.add(child, _illegal_reason(bad.group(), "a member name"))
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", item) for i, item in enumerate(value))
        elif isinstance(value, str):
            bad = XML_ILLEGAL.search(value)
            if bad is not None:
                problems.add(pointer or "/", _illegal_reason(bad.group(), "a string"))
        elif isinstance(value, _OutOfRange):
            problems.add(pointer or "/", value.reason())
    return problems


def _illegal_reason(char: str, where: str) -> str:
    return (
        f"{where} holds U+{ord(char):04X}, a character XML 1.0 cannot carry (control characters "
        "other than tab, line feed and carriage return, U+FFFE, U+FFFF and lone surrogates are "
        "refused)"
    )


def parse_json(body: bytes) -> Any:
    """Parse a JSON body; MalformedMessage located at ``line L column C`` when it is not JSON,
    ContractViolation at the JSON pointer of an integer beyond 64 bits or of a string holding
    a character XML 1.0 cannot carry."""
    data = bytes(body)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedMessage(
            "the body is not valid UTF-8",
            [
                Problem(
                    _line_column(data, exc.start),
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8; send JSON as UTF-8",
                )
            ],
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise MalformedMessage(
            "the body is empty", [Problem("line 1 column 1", "expected a JSON document")]
        )
    try:
        document, out_of_range = _strict_loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise MalformedMessage(
            f"the body is not valid JSON: {exc.msg} at {where}", [Problem(where, exc.msg)]
        ) from None
    except _NonFiniteNumber as exc:
        where = _line_column(text, max(text.find(exc.literal), 0))
        raise MalformedMessage(
            f"the body is not valid JSON: {exc.literal} is not a JSON number",
            [Problem(where, f"{exc.literal} is not a JSON number")],
        ) from None
    except RecursionError:
        raise MalformedMessage(
            "the body is not acceptable JSON: nested too deeply",
            [Problem("/", "nested too deeply")],
        ) from None
    if out_of_range or (_may_hold_illegal(text) and _MAYBE_XML_ILLEGAL.search(text)):
        found = inbound_problems(document)
        if found.problems:
            first = found.problems[0]
            raise ContractViolation(
                f"the body is not acceptable: {first.location}: {first.message}",
                found.problems,
                omitted=found.omitted,
            )
    return document


@functools.cache
def _registry(pillar: str, version: str) -> Registry[Any]:
    """Every JSON Schema of one folder, by its ``$id`` and by its file name. No retrieval."""
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted((CONTRACTS_DIR / pillar / version).glob("*" + JSON_SCHEMA_SUFFIX)):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((path.name, resource))
        if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
            resources.append((contents["$id"], resource))
    return Registry().with_resources(resources)


@functools.cache
def _json_validator(name: str) -> Draft202012Validator:
    ref = ContractRef.parse(name)
    if ref.is_xsd:
        raise _not_found(name)
    schema = json.loads(contract_path(name).read_text(encoding="utf-8"))
    return Draft202012Validator(
        schema,
        registry=_registry(ref.pillar, ref.version),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def json_pointer(path: Iterable[str | int]) -> str:
    """An RFC 6901 JSON pointer; the root is ``/``."""
    pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)
    return pointer or "/"


def _leaf(error: ValidationError) -> ValidationError:
    """For ``oneOf``/``anyOf`` failures, the most relevant error among the alternatives."""
    while error.context:
        best = best_match(error.context)
        if best is None:
            break
        error = best
    return error


def _json_message(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    description = schema.get("description")
    if error.validator in ("pattern", "minLength", "maxLength") and isinstance(description, str):
        return f"{error.instance!r} is not valid: {description}"
    return error.message


def _sort_key(path: Iterable[str | int]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def validate_json(name: str, document: Any) -> list[Problem]:
    """Every way ``document`` breaks JSON Schema contract ``name``, located by JSON pointer."""
    return _json_problems(name, document).problems


@functools.cache
def _fast_validator(name: str) -> Any:
    """The same contract compiled by ``jsonschema_rs`` (Rust, some hundred times faster), with
    the same registry of the folder's schemas; None when it cannot compile it."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a dependency of the gateway
        return None
    ref = ContractRef.parse(name)
    resources: list[tuple[str, Any]] = []
    for path in sorted((CONTRACTS_DIR / ref.pillar / ref.version).glob("*" + JSON_SCHEMA_SUFFIX)):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, contents))
        if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
            resources.append((contents["$id"], contents))
    schema = json.loads(contract_path(name).read_text(encoding="utf-8"))
    try:
        registry = jsonschema_rs.Registry(resources)
        return jsonschema_rs.validator_for(schema, registry=registry, validate_formats=True)
    except Exception:  # pragma: no cover - every shipped contract compiles (tested)
        return None


def _json_problems(name: str, document: Any) -> ProblemCollector:
    """The problems of ``document`` against contract ``name``, sorted by location, without
    repeats (a set of those seen), at most the cap of them kept and the rest counted.

    A document the fast validator finds valid is done with in linear time of the Rust
    validator. Otherwise ``jsonschema`` finds the problems (its messages and locations are the
    contract's word), but only until one more than the cap are found: the errors beyond are
    counted by the fast validator, so a document with 25,000 bad entries costs a hundred
    errors of the slow validator, not 25,000."""
    validator = _json_validator(name)  # NotFound for anything but a JSON Schema contract
    fast = _fast_validator(name)
    if fast is not None and fast.is_valid(document):
        return ProblemCollector()
    collector = ProblemCollector()
    seen: set[tuple[str, str]] = set()
    keyed: list[tuple[Any, str, str]] = []
    stopped = False
    for error in validator.iter_errors(document):
        leaf = _leaf(error)
        pointer, message = json_pointer(leaf.absolute_path), _json_message(leaf)
        if (pointer, message) in seen:
            continue
        seen.add((pointer, message))
        keyed.append((_sort_key(leaf.absolute_path), pointer, message))
        if len(keyed) > collector.limit:
            stopped = True
            break
    keyed.sort(key=lambda k: (k[0], k[2]))
    for _key, pointer, message in keyed:
        collector.add(pointer, message)
    if stopped and fast is not None:
        counted = sum(1 for _ in fast.iter_errors(document))
        collector.omitted = max(collector.omitted, counted - len(collector.problems))
    return collector


def require_valid_json(name: str, document: Any) -> None:
    """Raise ContractViolation with every problem when ``document`` breaks contract ``name``."""
    found = _json_problems(name, document)
    if found.problems:
        raise ContractViolation(
            _violation_message(name, found.problems, found.total),
            found.problems,
            omitted=found.omitted,
        )


def _violation_message(name: str, problems: list[Problem], total: int | None = None) -> str:
    total = len(problems) if total is None else total
    count = f"{total} problem" + ("s" if total != 1 else "")
    first = problems[0]
    return (
        f"the document breaks contract {name} ({count}; first: {first.location}: {first.message})"
    )


# -- XML ------------------------------------------------------------------------------


class _DoctypeFound(Exception):
    pass


class _PrologEnd(Exception):
    pass


class _PrologGate:
    """A parser target that only reads the prolog: it stops at the DOCTYPE or the root element,
    whichever comes first, so nothing of a DTD is ever parsed."""

    def doctype(self, name: str | None, pubid: str | None, system: str | None) -> None:
        raise _DoctypeFound(name or "")

    def start(self, tag: str, attrib: Any, nsmap: Any = None) -> None:
        raise _PrologEnd

    def close(self) -> None:
        return None


def _safe_parser(**extra: Any) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        **extra,
    )


def _malformed_xml(exc: etree.XMLSyntaxError) -> MalformedMessage:
    line, column = exc.position if exc.position else (exc.lineno or 1, 1)
    reason = _LXML_POSITION.sub("", str(exc.msg or exc)).strip() or "not well-formed"
    where = f"line {line} column {column}"
    return MalformedMessage(
        f"the body is not well-formed XML: {reason} at {where}", [Problem(where, reason)]
    )


def _doctype_refused(data: bytes) -> MalformedMessage:
    offset = data.find(b"<!DOCTYPE")
    where = _line_column(data, offset) if offset >= 0 else "line 1 column 1"
    reason = "a DOCTYPE is not allowed: DTDs and entity declarations are refused"
    return MalformedMessage(f"the XML document is refused: {reason}", [Problem(where, reason)])


def parse_xml(body: bytes) -> etree._Element:
    """Parse an XML body safely and return its root element.

    MalformedMessage, located at ``line L column C``, when the body is not
    well-formed or carries a DOCTYPE (and with it any entity declaration).
    """
    data = bytes(body)
    try:
        etree.fromstring(data, _safe_parser(target=_PrologGate()))
    except _PrologEnd:
        pass
    except _DoctypeFound:
        raise _doctype_refused(data) from None
    except etree.XMLSyntaxError as exc:
        raise _malformed_xml(exc) from None
    try:
        root = etree.fromstring(data, _safe_parser(remove_comments=True, remove_pis=True))
    except etree.XMLSyntaxError as exc:
        raise _malformed_xml(exc) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _doctype_refused(data)
    return root


def element_step(node: etree._Element, prefixes: Mapping[str, str]) -> str:
    """One step of an XPath naming ``node`` among its siblings, without the position."""
    qname = etree.QName(node)
    if qname.namespace is None:
        return qname.localname
    if qname.namespace in prefixes:
        return f"{prefixes[qname.namespace]}:{qname.localname}"
    return f"*[local-name()='{qname.localname}']"


def element_path(node: etree._Element, prefixes: Mapping[str, str]) -> str:
    """An XPath to ``node`` from the document root, with namespaces written as the prefixes of
    ``prefixes`` (namespace URI -> prefix): ``/c:chargeSheet/c:accused[2]/c:name``.

    One node's path costs its depth and the siblings of its ancestors; a reader locating
    every element of a document computes paths top-down instead (see
    ``contracts.toolkit.xml_tree``)."""
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        parent = current.getparent()
        step = element_step(current, prefixes)
        if parent is not None:
            before = sum(1 for _ in current.itersiblings(current.tag, preceding=True))
            after = next(current.itersiblings(current.tag), None) is not None
            if before or after:
                step += f"[{before + 1}]"
        steps.append(step)
        current = parent
    return "/" + "/".join(reversed(steps))


@dataclass(frozen=True)
class _CompiledXsd:
    schema: etree.XMLSchema
    prefixes: dict[str, str]
    lock: threading.Lock


def _check_schema_locations(path: Path, seen: set[Path]) -> None:
    """Refuse an XSD that includes or imports anything but a sibling file of the package."""
    if path in seen:
        return
    seen.add(path)
    doc = etree.parse(str(path), _safe_parser())
    for node in doc.getroot().iter(
        f"{{{XSD_NAMESPACE}}}include", f"{{{XSD_NAMESPACE}}}import", f"{{{XSD_NAMESPACE}}}redefine"
    ):
        location = node.get("schemaLocation")
        if location is None:
            continue
        sibling = path.parent / location
        if not _FILENAME.match(location) or ".." in location or not sibling.is_file():
            raise ValueError(
                f"{path.name}: schemaLocation {location!r} is not a sibling contract file"
            )
        _check_schema_locations(sibling, seen)


@functools.cache
def _xsd(name: str) -> _CompiledXsd:
    ref = ContractRef.parse(name)
    if not ref.is_xsd:
        raise _not_found(name)
    path = contract_path(name)
    _check_schema_locations(path, set())
    doc = etree.parse(str(path), _safe_parser())
    prefixes = {
        uri: prefix
        for prefix, uri in doc.getroot().nsmap.items()
        if prefix is not None and uri != XSD_NAMESPACE
    }
    return _CompiledXsd(etree.XMLSchema(doc), prefixes, threading.Lock())


def namespace_prefixes(name: str) -> dict[str, str]:
    """The prefixes (namespace URI -> prefix) XSD contract ``name`` declares: locations are
    written with them."""
    return dict(_xsd(name).prefixes)


def _xml_message(message: str, prefixes: Mapping[str, str]) -> str:
    for uri, prefix in prefixes.items():
        message = message.replace("{" + uri + "}", prefix + ":")
    return message.strip()


def _locate(
    root: etree._Element, libxml_path: str | None, prefixes: Mapping[str, str]
) -> str | None:
    if not libxml_path:
        return None
    try:
        found = root.getroottree().xpath(libxml_path)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return element_path(found[0], prefixes)
    return None


def validate_xml(name: str, root: etree._Element) -> list[Problem]:
    """Every way the document at ``root`` breaks XSD contract ``name``, located by XPath."""
    return _xml_problems(name, root).problems


#: No element of a contract carries more attributes than this (the shipped XSDs declare
#: none): an element with more is refused before the schema validator meets it, so 300,000
#: attributes cost one count, not 300,000 schema errors.
MAX_XML_ATTRIBUTES = 64


def _crowded_elements(root: etree._Element, prefixes: Mapping[str, str]) -> ProblemCollector:
    """Elements with more than :data:`MAX_XML_ATTRIBUTES` attributes, located (up to the
    cap; the rest counted); one pass over the elements."""
    collector = ProblemCollector()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        count = len(element.attrib)
        if count <= MAX_XML_ATTRIBUTES:
            continue
        if collector.full:
            collector.omitted += 1
            continue
        collector.add(
            element_path(element, prefixes),
            f"the element carries {count} attributes; a contract's elements carry at most "
            f"{MAX_XML_ATTRIBUTES}",
        )
    return collector


def _xml_problems(name: str, root: etree._Element) -> ProblemCollector:
    """The schema's errors in log order without repeats (a set of the (path, message) pairs
    seen); only the first of them up to the cap are located (an XPath query each), the rest
    are counted as the validator reports them, so the work is linear in the errors however
    many there are."""
    compiled = _xsd(name)
    crowded = _crowded_elements(root, compiled.prefixes)
    if crowded.problems:
        return crowded
    with compiled.lock:
        valid = compiled.schema.validate(root)
        entries: list[Any] = [] if valid else list(iter(compiled.schema.error_log))  # type: ignore[call-overload]
    collector = ProblemCollector()
    seen: set[tuple[str | None, str]] = set()
    for index, entry in enumerate(entries):
        if collector.full:
            # The rest are only counted: not even read (each read makes two strings).
            collector.omitted += len(entries) - index
            break
        key = (entry.path, entry.message)
        if key in seen:
            continue
        seen.add(key)
        location = _locate(root, entry.path, compiled.prefixes) or f"line {entry.line}"
        collector.add(location, _xml_message(entry.message, compiled.prefixes))
    return collector


def require_valid_xml(name: str, root: etree._Element) -> None:
    """Raise ContractViolation with every problem when the XML breaks contract ``name``."""
    found = _xml_problems(name, root)
    if found.problems:
        raise ContractViolation(
            _violation_message(name, found.problems, found.total),
            found.problems,
            omitted=found.omitted,
        )
