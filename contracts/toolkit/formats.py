"""What a pillar's formats are made of: message formats, field correspondences and the one
frozen description (:class:`Pillar`) every toolkit function is parameterised by.

A pillar's ``formats.py`` declares its :class:`Format` values, its :data:`Shape` tables and
one :class:`Pillar`; both directions of its translator read those, so a field is named in
one place only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

#: A pillar document as a JSON-shaped tree (the JSON format itself, or XML read into it).
Document = dict[str, Any]

#: The media types every pillar speaks, in the order they are offered.
MEDIA_TYPES: tuple[str, ...] = ("application/json", "application/xml")
#: The array of a feed page and the XML element of each of its items, in every pillar.
FEED_ITEMS, FEED_ITEM = "items", "item"


@dataclass(frozen=True, slots=True)
class Format:
    """One document type of a pillar: its JSON ``messageType``, XML root element and contract.

    ``contract`` is the file stem (``hearing`` for ``hearing.schema.json`` and
    ``hearing.xsd``) inside ``folder``, the pillar's contract folder (``courts/v1``).
    """

    message_type: str
    root: str
    contract: str
    folder: str

    @property
    def json_contract(self) -> str:
        """The JSON Schema contract name, e.g. ``courts/v1/hearing.schema.json``."""
        return f"{self.folder}/{self.contract}.schema.json"

    @property
    def xml_contract(self) -> str:
        """The XSD contract name, e.g. ``courts/v1/hearing.xsd``."""
        return f"{self.folder}/{self.contract}.xsd"


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a pillar document and the canonical field it carries.

    ``name`` is the member (JSON) or element (XML) name in the pillar's document.
    ``shape`` describes a nested object; ``many`` makes it a list (of ``shape`` objects or
    of plain values); ``always`` writes it even when false or empty (a false boolean is
    otherwise left out); ``inline`` spreads the canonical object under ``canonical`` into
    the pillar object itself (a court's accused record is the canonical person plus the
    charge).
    """

    name: str
    canonical: str
    shape: tuple[Field, ...] | None = None
    many: bool = False
    always: bool = False
    inline: bool = False


#: The fields of one pillar object, in the order of its contract.
Shape = tuple[Field, ...]


@dataclass(frozen=True, eq=False)
class Pillar:
    """Everything the toolkit needs to know of one pillar's formats, declared once.

    - ``name``: the pillar (``courts``); ``noun``: what its messages are called in errors
      (``court``: "unknown court message type"); ``speakers``: who speaks the formats, in
      the media-type error (``courts``, ``forensic laboratories``).
    - ``namespace`` and ``prefix``: the XML namespace and the prefix XPath locations use for
      it (the XSDs declare the same); ``contract_folder``: ``courts/v1``.
    - ``messages``: the inbound and outbound message formats; ``feed``: the feed page format
      (a document the gateway serves, never a message); ``institution_member``: the member of
      a feed page naming whose feed it is (``court``, ``prison``, ``lab``).
    - XML layout: ``list_items`` maps a JSON array member to the XML element name of each
      item (a JSON array is a run of repeated elements; every other member is an element of
      the same name, in the XSD's order); a feed page's ``items`` are ``item`` elements
      without saying. ``list_members`` is the reverse map used when
      reading XML; it defaults to the inverse of ``list_items`` (give ``{}`` when inbound
      messages carry no lists). ``containers`` are the elements holding other elements;
      ``integers`` the text elements holding integers, by name or by (parent, name) where
      the name is ambiguous; ``booleans`` those holding ``xs:boolean``.
    """

    name: str
    noun: str
    speakers: str
    namespace: str
    prefix: str
    contract_folder: str
    messages: tuple[Format, ...]
    feed: Format
    institution_member: str
    list_items: Mapping[str, str] = field(default_factory=dict)
    list_members: Mapping[str, str] | None = None
    containers: frozenset[str] = frozenset()
    integers: frozenset[str | tuple[str, str]] = frozenset()
    booleans: frozenset[str] = frozenset()
    media_types: tuple[str, ...] = MEDIA_TYPES

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Namespace -> prefix, as ``contracts.loader.element_path`` wants it."""
        return {self.namespace: self.prefix}

    @cached_property
    def by_type(self) -> dict[str, Format]:
        """Every message format by its ``messageType``."""
        return {f.message_type: f for f in self.messages}

    @cached_property
    def by_root(self) -> dict[str, Format]:
        """Every message format by its XML root element's local name."""
        return {f.root: f for f in self.messages}

    @cached_property
    def item_elements(self) -> dict[str, str]:
        """JSON array member -> XML item element, for writing XML (feed ``items`` included)."""
        return {FEED_ITEMS: FEED_ITEM, **self.list_items}

    @cached_property
    def item_members(self) -> dict[str, str]:
        """XML item element -> JSON array member, for reading XML."""
        if self.list_members is not None:
            return dict(self.list_members)
        return {item: member for member, item in self.item_elements.items()}
