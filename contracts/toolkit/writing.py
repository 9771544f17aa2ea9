"""Canonical -> pillar document: the tree a :data:`Shape` writes, and that tree as JSON or XML.

Output is deterministic: members and elements come in the order of the contracts (the order
of the shapes and of the document built from them), absent values are left out rather than
written empty, JSON is indented UTF-8 and XML is indented UTF-8 with a declaration.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from canonical_model.errors import UnknownMessageType
from canonical_model.events import EventPayload
from contracts.toolkit.formats import Document, Format, Pillar, Shape


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def document_fields(data: Mapping[str, Any], shape: Shape) -> Document:
    """The pillar object ``shape`` writes for canonical (``model_dump(mode="json")``) ``data``.

    A false, empty or absent value is left out unless its field says ``always`` (then only an
    absent one is).
    """
    out: Document = {}
    for field in shape:
        value: Any = data.get(field.canonical)
        if field.inline:
            out |= document_fields(value or {}, field.shape or ())
            continue
        if _empty(value) and not (field.always and value is not None):
            continue
        if field.shape is not None and field.many:
            out[field.name] = [document_fields(item, field.shape) for item in value]
        elif field.shape is not None:
            out[field.name] = document_fields(value, field.shape)
        else:
            out[field.name] = value
    return out


def typed(fmt: Format, document: Document) -> Document:
    """``document`` headed by the ``messageType`` of ``fmt`` (XML names it by the root)."""
    return {"messageType": fmt.message_type, **document}


def timestamp(value: dt.datetime) -> str:
    """RFC 3339 with an offset; a naive time is UTC (how the gateway stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def not_carried(
    pillar: Pillar, payload: EventPayload, carried: Iterable[str]
) -> UnknownMessageType:
    """The error for an event the pillar's formats cannot write (raise it)."""
    return UnknownMessageType(
        f"the {pillar.noun} formats carry no {payload.name} event; they carry: {', '.join(carried)}"
    )


def write_json(document: Document) -> bytes:
    """A pillar document as JSON: UTF-8, indented, members in the document's order."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_xml(document: Document, root: str, pillar: Pillar) -> bytes:
    """A pillar document as XML under ``root`` in the pillar's namespace: UTF-8 with a
    declaration, indented, elements in the document's order.

    ``messageType`` is left out (the root element names it), so are None values (a JSON
    ``null`` is an absent element); a list is a run of elements named by
    ``pillar.item_elements``.
    """
    nsmap: Any = {None: pillar.namespace}
    element = etree.Element(_tag(pillar, root), nsmap=nsmap)
    _write_members(element, document, pillar)
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write(document: Document, *, root: str, syntax: str, pillar: Pillar) -> bytes:
    """A pillar document in ``syntax`` (``json`` or ``xml``, see :func:`media.syntax_of`)."""
    if syntax == "json":
        return write_json(document)
    return write_xml(document, root, pillar)


def _tag(pillar: Pillar, name: str) -> str:
    return f"{{{pillar.namespace}}}{name}"


def _write_members(parent: etree._Element, document: Mapping[str, Any], pillar: Pillar) -> None:
    for name, value in document.items():
        if name == "messageType" or value is None:
            continue  # the root element names the message type
        if isinstance(value, list):
            for item in value:
                _write_value(parent, pillar.item_elements[name], item, pillar)
        else:
            _write_value(parent, name, value, pillar)


def _write_value(parent: etree._Element, name: str, value: Any, pillar: Pillar) -> None:
    element = etree.SubElement(parent, _tag(pillar, name))
    if isinstance(value, Mapping):
        _write_members(element, value, pillar)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
