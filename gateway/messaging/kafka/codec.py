"""CloudEvents as Kafka records in the binary content mode (CloudEvents Kafka protocol
binding, github.com/cloudevents/spec ``kafka-protocol-binding.md``): the attributes are
``ce_*`` headers, the value is the event data. Pure: no broker, no database.

The ingest path encodes each event's record once, into the outbox row, so that the relay
sends bytes and parses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

Headers = list[tuple[str, bytes]]

_CE_ATTRIBUTES = (
    "id",
    "source",
    "specversion",
    "type",
    "subject",
    "time",
    "dataschema",
    "icjspillar",
    "icjsreceipt",
)


def to_record(envelope: dict[str, Any]) -> tuple[bytes, Headers]:
    """A CloudEvent (JSON mapping) as a Kafka value and binary-mode headers."""
    headers = [
        (f"ce_{name}", str(envelope[name]).encode())
        for name in _CE_ATTRIBUTES
        if envelope.get(name) is not None
    ]
    headers.append(
        ("content-type", str(envelope.get("datacontenttype", "application/json")).encode())
    )
    value = orjson.dumps(envelope.get("data"))
    return value, headers


def from_record(value: bytes | None, headers: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
    """A CloudEvent (JSON mapping) from a binary-mode Kafka record."""
    envelope: dict[str, Any] = {}
    for name, raw in headers:
        if name.startswith("ce_"):
            envelope[name[3:]] = raw.decode()
        elif name == "content-type":
            envelope["datacontenttype"] = raw.decode()
    envelope["data"] = orjson.loads(value) if value else None
    return envelope


def headers_to_json(headers: Headers) -> list[list[str]]:
    """Headers as JSON-storable pairs (the outbox keeps them so; the values are text)."""
    return [[name, value.decode()] for name, value in headers]


def headers_from_json(stored: list[list[str]]) -> Headers:
    """Headers back from :func:`headers_to_json`."""
    return [(name, value.encode()) for name, value in stored]
