"""Which message of a pillar's format a document is: by ``messageType`` in JSON, by the
root element (in the pillar's namespace) in XML. Shared by every adapter, so that an
unknown message is refused in the same words, located the same way, whatever the pillar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from lxml import etree

from canonical_model.errors import Problem, UnknownMessageType
from contracts.loader import element_path
from contracts.toolkit.formats import Format, Pillar


class MessageFormat(Protocol):
    """What dispatch needs of a pillar's message format."""

    @property
    def message_type(self) -> str:
        """The ``messageType`` of its JSON form."""
        ...

    @property
    def root(self) -> str:
        """The root element of its XML form."""
        ...


F = TypeVar("F", bound=MessageFormat)


def json_message_format(document: Any, *, messages: Mapping[str, F], noun: str) -> F:
    """The format a JSON document says it is, from its ``messageType``; ``noun`` names the
    pillar's messages in errors ("court", "prison")."""
    known = ", ".join(messages)
    if not isinstance(document, dict):
        raise UnknownMessageType(
            f"a {noun} message is a JSON object with a messageType; one of: {known}",
            [Problem("/", "expected a JSON object")],
        )
    message_type = document.get("messageType")
    fmt = messages.get(message_type) if isinstance(message_type, str) else None
    if fmt is None:
        said = "no messageType" if message_type is None else f"messageType {message_type!r}"
        raise UnknownMessageType(
            f"unknown {noun} message type: {said}; known types: {known}",
            [Problem("/messageType", f"must be one of: {known}")],
        )
    return fmt


def xml_message_format(
    root: etree._Element,
    *,
    messages: Mapping[str, F],
    namespace: str,
    prefixes: Mapping[str, str],
    noun: str,
) -> F:
    """The format an XML document is, from its root element in ``namespace``."""
    qname = etree.QName(root)
    known = ", ".join(f"{f.root} ({f.message_type})" for f in messages.values())
    fmt = next((f for f in messages.values() if f.root == qname.localname), None)
    if qname.namespace != namespace or fmt is None:
        where = element_path(root, dict(prefixes))
        if qname.namespace != namespace:
            reason = f"the root element must be in namespace {namespace}"
        else:
            reason = f"root element {qname.localname!r} is not a {noun} message"
        raise UnknownMessageType(
            f"unknown {noun} message type: {reason}; known root elements: {known}",
            [Problem(where, f"{reason}; expected one of: {known}")],
        )
    return fmt


def json_format(document: Any, pillar: Pillar) -> Format:
    """The message of ``pillar`` a JSON document says it is, from its ``messageType``."""
    return json_message_format(document, messages=pillar.by_type, noun=pillar.noun)


def xml_format(root: etree._Element, pillar: Pillar) -> Format:
    """The message of ``pillar`` an XML document is, from its root element."""
    return xml_message_format(
        root,
        messages=pillar.by_type,
        namespace=pillar.namespace,
        prefixes=pillar.prefixes,
        noun=pillar.noun,
    )
