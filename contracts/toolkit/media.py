"""Which syntax a media type asks for (JSON or XML), and the best-effort message type of a body
for the message log, the same for every pillar."""

from __future__ import annotations

import re
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


#: The first character of a body after a byte order mark and white space (no copy of the body).
_FIRST = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*(.)", re.DOTALL)
#: The media type a body of each syntax is sent with.
MEDIA_TYPE_OF: dict[Syntax, str] = {"json": "application/json", "xml": "application/xml"}


def body_syntax(body: bytes) -> Syntax | None:
    """The syntax a body shows by its first character other than white space (and a UTF-8
    byte order mark): ``<`` can only begin XML, ``{`` or ``[`` only JSON. None when the first
    character shows neither (an empty body, a JSON scalar, text): the parser says what it is."""
    found = _FIRST.match(body)
    first = found.group(1) if found is not None else b""
    if first == b"<":
        return "xml"
    if first in (b"{", b"["):
        return "json"
    return None


def mismatch(
    found: Syntax, media_type: str, *, speakers: str, accepted: tuple[str, ...], where: str
) -> UnsupportedMediaType:
    """The 415 for a body whose first character shows the other syntax than its Content-Type
    (RFC 9110 s.15.5.16: 415 is also for a format found by inspecting the content): it names the
    Content-Type sent and the one the body needs, or what the pillar speaks when it does not
    speak the body's syntax at all."""
    sent = media_type or "no Content-Type"
    name = found.upper()
    article = "an" if found == "xml" else "a"
    body = f"the body is {name} (it begins with {'<' if found == 'xml' else '{ or ['})"
    needed = MEDIA_TYPE_OF[found]
    if needed in accepted:
        message = f"{body} but its Content-Type is {sent}: send it with Content-Type {needed}"
        said = f"expected {needed} for {article} {name} body, got {sent}"
    else:
        only = ", ".join(accepted)
        message = (
            f"{body} but its Content-Type is {sent}; {speakers} speak only {only}: send the "
            f"message in that format"
        )
        said = f"got {sent} with {article} {name} body; expected a body in {only}"
    return UnsupportedMediaType(message, [Problem(where, said)])


def check_body_syntax(body: bytes, media_type: str, pillar: Pillar) -> Syntax:
    """The syntax ``media_type`` asks for (:func:`syntax_of`), after checking that the body does
    not show the other one (XML sent as ``application/json``): UnsupportedMediaType naming both
    otherwise, rather than a parser's complaint about the first character."""
    syntax = syntax_of(media_type, pillar)
    found = body_syntax(body)
    if found is not None and found != syntax:
        raise mismatch(
            found,
            media_type,
            speakers=pillar.speakers,
            accepted=pillar.media_types,
            where="Content-Type",
        )
    return syntax


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
