"""A (contract-valid) pillar XML document read into the tree its JSON twin has, with the XPath
of the element behind every JSON pointer, so that errors found later in the tree are reported
where the sender wrote them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree

from contracts.loader import element_path
from contracts.toolkit.formats import Document, Pillar

#: Turns a JSON pointer into the pillar document into the location reported to the sender.
Locator = Callable[[str], str]


def read_xml(root: etree._Element, pillar: Pillar) -> tuple[Document, dict[str, str]]:
    """Read a (valid) XML document of ``pillar`` into the tree its JSON twin has.

    Returns the tree (with the ``messageType`` its root element stands for) and, for every
    JSON pointer in it, the XPath of the element it came from.
    """
    locations: dict[str, str] = {}
    document = _read_container(root, "", locations, pillar)
    fmt = pillar.by_root.get(etree.QName(root).localname)
    if fmt is not None:
        document = {"messageType": fmt.message_type, **document}
    return document, locations


def _read_container(
    element: etree._Element, pointer: str, locations: dict[str, str], pillar: Pillar
) -> Document:
    path = element_path(element, pillar.prefixes)
    locations[pointer or "/"] = path
    parent = etree.QName(element).localname
    members = pillar.item_members
    out: Document = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions carry nothing
        name = etree.QName(child).localname
        member = members.get(name)
        if member is not None:
            items = out.setdefault(member, [])
            locations.setdefault(f"{pointer}/{member}", f"{path}/{pillar.prefix}:{name}")
            child_pointer = f"{pointer}/{member}/{len(items)}"
            items.append(_read_value(child, parent, name, child_pointer, locations, pillar))
        else:
            out[name] = _read_value(child, parent, name, f"{pointer}/{name}", locations, pillar)
    return out


def _read_value(
    element: etree._Element,
    parent: str,
    name: str,
    pointer: str,
    locations: dict[str, str],
    pillar: Pillar,
) -> Any:
    if name in pillar.containers:
        return _read_container(element, pointer, locations, pillar)
    locations[pointer] = element_path(element, pillar.prefixes)
    text = (element.text or "").strip()
    if name in pillar.integers or (parent, name) in pillar.integers:
        return int(text)
    if name in pillar.booleans:
        return text in ("true", "1")
    return text


def json_locator(pointer: str) -> str:
    """The location of a JSON pointer in a JSON document: the pointer itself (``/`` for the
    whole document)."""
    return pointer or "/"


def xml_locator(locations: Mapping[str, str]) -> Locator:
    """A locator for an XML document read by :func:`read_xml`: the XPath of the nearest
    element a pointer (or one of its parents) came from."""

    def locate(pointer: str) -> str:
        probe = pointer or "/"
        while probe not in locations and probe not in ("", "/"):
            probe = probe.rsplit("/", 1)[0] or "/"
        return locations.get(probe, locations.get("/", "/"))

    return locate
