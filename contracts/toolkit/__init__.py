"""The shared adapter toolkit: what every pillar adapter does the same way, parameterised by
one frozen description of the pillar's formats (:class:`Pillar`).

- :mod:`.formats`: :class:`Format`, :class:`Field`, :data:`Shape`, :class:`Pillar`.
- :mod:`.dispatch`: which message a JSON or XML document is.
- :mod:`.media`: JSON or XML for a media type; the message type a body claims.
- :mod:`.xml_tree`: XML read into the tree its JSON twin has, with an XPath for every pointer.
- :mod:`.translation`: decode (parse, validate, translate, locate errors); :class:`Translation`.
- :mod:`.writing`: canonical data -> pillar tree by shape; the tree as JSON or XML.
- :mod:`.feeds`: the feed page skeleton; the deadline entry every feed writes alike.
- :mod:`.shapes`: the field correspondences every format shares (offence, document, sentence,
  verdict, deadline).
- :mod:`.adapter`: :class:`ToolkitAdapter`, the base of a pillar adapter.

Pure: no I/O; imports only ``canonical_model``, ``contracts``, lxml, pydantic and stdlib.
"""

from contracts.toolkit.adapter import ToolkitAdapter
from contracts.toolkit.dispatch import json_format, xml_format
from contracts.toolkit.feeds import DEADLINE_EVENTS, FeedEntry, deadline_entry, feed_page
from contracts.toolkit.formats import MEDIA_TYPES, Document, Field, Format, Pillar, Shape
from contracts.toolkit.media import Syntax, sniff_type, syntax_of
from contracts.toolkit.translation import (
    Loc,
    Translation,
    Translator,
    decode_json,
    decode_xml,
    located,
    translate,
)
from contracts.toolkit.writing import (
    document_fields,
    not_carried,
    timestamp,
    typed,
    write,
    write_json,
    write_xml,
)
from contracts.toolkit.xml_tree import Locator, json_locator, read_xml, xml_locator

__all__ = [
    "DEADLINE_EVENTS",
    "MEDIA_TYPES",
    "Document",
    "FeedEntry",
    "Field",
    "Format",
    "Loc",
    "Locator",
    "Pillar",
    "Shape",
    "Syntax",
    "ToolkitAdapter",
    "Translation",
    "Translator",
    "deadline_entry",
    "decode_json",
    "decode_xml",
    "document_fields",
    "feed_page",
    "json_format",
    "json_locator",
    "located",
    "not_carried",
    "read_xml",
    "sniff_type",
    "syntax_of",
    "timestamp",
    "translate",
    "typed",
    "write",
    "write_json",
    "write_xml",
    "xml_format",
    "xml_locator",
]
