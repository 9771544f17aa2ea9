"""A (contract-valid) pillar XML document read into the tree its JSON twin has, with the XPath
of the element behind every JSON pointer, so that errors found later in the tree are reported
where the sender wrote them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree

from canonical_model.errors import ContractViolation, Problem
from contracts.loader import INT64_MAX, INT64_MIN, element_step
from contracts.toolkit.formats import Document, Pillar

#: Turns a JSON pointer into the pillar document into the location reported to the sender.
Locator = Callable[[str], str]


def read_xml(root: etree._Element, pillar: Pillar) -> tuple[Document, dict[str, str]]:
    """Read a (valid) XML document of ``pillar`` into the tree its JSON twin has.

    Returns the tree (with the ``messageType`` its root element stands for) and, for every
    JSON pointer in it, the XPath of the element it came from.
    """
    locations: dict[str, str] = {}
    document = _read_container(
        root, "", locations, pillar, "/" + element_step(root, pillar.prefixes)
    )
    fmt = pillar.by_root.get(etree.QName(root).localname)
    if fmt is not None:
        document = {"messageType": fmt.message_type, **document}
    return document, locations


def _read_container(
    element: etree._Element, pointer: str, locations: dict[str, str], pillar: Pillar, path: str
) -> Document:
    """``path`` is the element's XPath: children's paths are made from it top-down (their
    positions from one count of the tags), so reading is linear in the document."""
    locations[pointer or "/"] = path
    parent = etree.QName(element).localname
    members = pillar.item_members
    children = [child for child in element if isinstance(child.tag, str)]
    # comments and processing instructions carry nothing
    repeated = {tag for tag, n in Counter(child.tag for child in children).items() if n > 1}
    positions: Counter[Any] = Counter()
    out: Document = {}
    for child in children:
        child_path = f"{path}/{element_step(child, pillar.prefixes)}"
        if child.tag in repeated:
            positions[child.tag] += 1
            child_path += f"[{positions[child.tag]}]"
        name = etree.QName(child).localname
        member = members.get(name)
        if member is not None:
            items = out.setdefault(member, [])
            locations.setdefault(f"{pointer}/{member}", f"{path}/{pillar.prefix}:{name}")
            child_pointer = f"{pointer}/{member}/{len(items)}"
            items.append(
                _read_value(child, parent, name, child_pointer, locations, pillar, child_path)
            )
        else:
            out[name] = _read_value(
                child, parent, name, f"{pointer}/{name}", locations, pillar, child_path
            )
    return out


def _read_value(
    element: etree._Element,
    parent: str,
    name: str,
    pointer: str,
    locations: dict[str, str],
    pillar: Pillar,
    path: str,
) -> Any:
    if name in pillar.containers:
        return _read_container(element, pointer, locations, pillar, path)
    locations[pointer] = path
    text = (element.text or "").strip()
    if name in pillar.integers or (parent, name) in pillar.integers:
        value = int(text) if len(text.lstrip("+-")) <= 19 else None
        if value is None or not INT64_MIN <= value <= INT64_MAX:
            reason = f"{text[:40]} is out of range: integers must lie within signed 64 bits"
            raise ContractViolation(
                f"the document is not acceptable: {path}: {reason}", [Problem(path, reason)]
            )
        return value
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
