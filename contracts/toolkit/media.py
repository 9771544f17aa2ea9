"""Which syntax a media type asks for (JSON or XML), and the best-effort message type of a body
for the message log, the same for every pillar."""

from __future__ import annotations

from typing import Literal

from lxml import etree

from canonical_model.errors import Problem, UnsupportedMediaType
from contracts.loader import parse_json, parse_xml
from contracts.toolkit.formats import Pillar

#: The two syntaxes every pillar format has.
Syntax = Literal["json", "xml"]


def syntax_of(media_type: str, pillar: Pillar) -> Syntax:
    """JSON or XML for a media type (parameters such as ``charset`` are ignored); raise
    UnsupportedMediaType naming the pillar's accepted types otherwise."""
    bare = (media_type or "").split(";", 1)[0].strip().lower()
    if bare == "application/json" or (bare.startswith("application/") and bare.endswith("+json")):
        return "json"
    if bare in ("application/xml", "text/xml") or (
        bare.startswith("application/") and bare.endswith("+xml")
    ):
        return "xml"
    accepted = ", ".join(pillar.media_types)
    raise UnsupportedMediaType(
        f"{pillar.speakers} speak {accepted}, not {media_type or 'no media type'}",
        [Problem("Content-Type", f"use one of: {accepted}")],
    )


def sniff_type(body: bytes, *, media_type: str, pillar: Pillar) -> str | None:
    """The message type a body claims, for the message log; None when it cannot tell.

    Never raises: a JSON ``messageType`` as written, or the message type of a known XML root
    element (the root's local name otherwise).
    """
    try:
        if syntax_of(media_type, pillar) == "json":
            document = parse_json(body)
            kind = document.get("messageType") if isinstance(document, dict) else None
            return kind if isinstance(kind, str) else None
        root = parse_xml(body)
        name = etree.QName(root).localname
        fmt = pillar.by_root.get(name)
        return fmt.message_type if fmt is not None else name
    except Exception:
        return None
