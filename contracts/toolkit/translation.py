"""Pillar document -> canonical: parse safely, check the contract, translate, locate every error.

The steps are the same for every pillar and for JSON and XML: parse (``contracts.loader``),
find the message type (:mod:`contracts.toolkit.dispatch`), validate against the contract, read
an XML document into the tree its JSON twin has (:mod:`contracts.toolkit.xml_tree`), then run
the pillar's translator for that message. Whatever the translator or the canonical model
refuses is reported in the sender's own terms: a JSON pointer or an XPath to the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from canonical_model.errors import ContractViolation, Problem, ProblemCollector
from canonical_model.events import EventPayload
from canonical_model.messages import DecodedMessage, pointer_path, validation_message
from contracts.loader import parse_json, parse_xml, require_valid_json, require_valid_xml
from contracts.toolkit.dispatch import json_format, xml_format
from contracts.toolkit.formats import Document, Field, Format, Pillar, Shape
from contracts.toolkit.xml_tree import Locator, json_locator, read_xml, xml_locator

#: A location in canonical data, as pydantic reports it: ("hearing", "next_date").
Loc = tuple[str | int, ...]


class Translation:
    """Builds canonical data from a pillar document and remembers where each part came from."""

    def __init__(self) -> None:
        self.origins: dict[Loc, str] = {}
        self.problems: list[Problem] = []

    def shape(self, source: Mapping[str, Any], pointer: str, path: Loc, shape: Shape) -> Document:
        """The canonical object ``shape`` reads from pillar object ``source`` at ``pointer``."""
        self.origins[path] = pointer or "/"
        out: Document = {}
        for field in shape:
            if field.inline:
                assert field.shape is not None
                out[field.canonical] = self.shape(
                    source, pointer, (*path, field.canonical), field.shape
                )
                continue
            if field.name not in source or source[field.name] is None:
                continue
            out[field.canonical] = self.field(
                field, source[field.name], f"{pointer}/{field.name}", (*path, field.canonical)
            )
        return out

    def field(self, field: Field, value: Any, pointer: str, path: Loc) -> Any:
        """One pillar field's value, as the canonical field wants it."""
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
        """The pillar pointer a canonical error location comes from: the nearest known origin,
        with list indices below it carried over (a list of plain values maps one to one)."""
        for cut in range(len(loc), -1, -1):
            origin = self.origins.get(loc[:cut])
            if origin is not None:
                rest = loc[cut:]
                if rest and all(isinstance(p, int) for p in rest):
                    return origin.rstrip("/") + "".join(f"/{p}" for p in rest)
                return origin
        return "/"


#: A pillar's translator for one message: canonical payload class and the data to validate.
Translator = Callable[[Translation, Document], tuple[type[EventPayload], Document]]


def decode_json(
    body: bytes, *, pillar: Pillar, translators: Mapping[str, Translator]
) -> DecodedMessage:
    """Decode a JSON message of ``pillar``; ``translators`` maps each message type to its
    translator."""
    document = parse_json(body)
    fmt = json_format(document, pillar)
    require_valid_json(fmt.json_contract, document)
    return translate(fmt, document, json_locator, translators=translators)


def decode_xml(
    body: bytes, *, pillar: Pillar, translators: Mapping[str, Translator]
) -> DecodedMessage:
    """Decode an XML message of ``pillar``; errors are located by XPath."""
    root = parse_xml(body)
    fmt = xml_format(root, pillar)
    require_valid_xml(fmt.xml_contract, root)
    document, locations = read_xml(root, pillar)
    return translate(fmt, document, xml_locator(locations), translators=translators)


def translate(
    fmt: Format, document: Document, locate: Locator, *, translators: Mapping[str, Translator]
) -> DecodedMessage:
    """Translate a contract-valid pillar document to canonical events.

    Raises ContractViolation with every problem the translator noted, else every error the
    canonical model finds, each located by ``locate`` in the sender's document.
    """
    translation = Translation()
    payload_class, data = translators[fmt.message_type](translation, document)
    if translation.problems:
        found = _located(translation.problems, locate)
        raise ContractViolation(
            _summary(fmt, found.problems, found.total), found.problems, omitted=found.omitted
        )
    try:
        payload = payload_class.model_validate(data)
    except ValidationError as exc:
        problems = []
        for item in exc.errors(include_url=False):
            loc = tuple(
                p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            problems.append(Problem(translation.pointer(loc), _message(item)))
        found = _located(problems, locate)
        raise ContractViolation(
            _summary(fmt, found.problems, found.total), found.problems, omitted=found.omitted
        ) from None
    return DecodedMessage(
        message_type=fmt.message_type,
        payloads=[payload],
        locator=lambda pointer: locate(translation.pointer(pointer_path(pointer))),
    )


def located(problems: list[Problem], locate: Locator) -> list[Problem]:
    """The problems with their locations in the sender's document, without repeats (a set
    of those seen: linear), at most the cap of them (:data:`canonical_model.errors.MAX_PROBLEMS`)."""
    return _located(problems, locate).problems


def _located(problems: list[Problem], locate: Locator) -> ProblemCollector:
    collector = ProblemCollector()
    for problem in problems:
        collector.add(locate(problem.location), problem.message)
    return collector


def _message(item: Mapping[str, Any]) -> str:
    return validation_message(item)


def _summary(fmt: Format, problems: list[Problem], total: int | None = None) -> str:
    first = problems[0]
    total = len(problems) if total is None else total
    more = f" (and {total - 1} more)" if total > 1 else ""
    return (
        f"the {fmt.message_type} message is not acceptable: {first.location}: {first.message}{more}"
    )
