"""Identifiers the gateway mints: case ids, receipt ids and event ids.

They are ULIDs (github.com/ulid/spec: 48-bit millisecond time + 80 random bits,
Crockford base32) behind a prefix, so they sort by creation time and say what
they name.
"""

from __future__ import annotations

import os
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

CASE_PREFIX = "case_"
RECEIPT_PREFIX = "msg_"
EVENT_PREFIX = "evt_"


def ulid() -> str:
    """A new ULID as 26 Crockford base32 characters."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_case_id() -> str:
    """A new gateway case id (``case_01J...``)."""
    return CASE_PREFIX + ulid()


def new_receipt_id() -> str:
    """A new message receipt id (``msg_01J...``)."""
    return RECEIPT_PREFIX + ulid()


def new_event_id() -> str:
    """A new event id (``evt_01J...``)."""
    return EVENT_PREFIX + ulid()


def is_case_id(text: str) -> bool:
    """Whether ``text`` has the shape of a gateway case id."""
    return text.startswith(CASE_PREFIX) and len(text) == len(CASE_PREFIX) + 26
