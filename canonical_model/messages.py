"""What an adapter hands the gateway and what the gateway hands an adapter.

These are the two shapes that cross the adapter boundary, so they live in the
innermost layer where both sides can see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from canonical_model.errors import ContractViolation, Problem, UnknownMessageType
from canonical_model.events import EventPayload, payload_class


@dataclass(frozen=True, slots=True)
class DecodedMessage:
    """A pillar message translated to canonical events.

    ``message_type`` is the pillar's own name for the message (``hearing``);
    ``payloads`` are the canonical events it amounts to, in order. ``origins`` says where, in
    the sender's document, canonical fields came from (a canonical JSON pointer such as
    ``/scrutiny/report_number`` -> the JSON pointer or XPath it was read at): the gateway
    locates an error found against the case (a report the case does not have) with it.
    ``locator`` does the same for any canonical field, as the translator saw the document
    (origins win where both know a field).
    """

    message_type: str
    payloads: list[EventPayload] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    locator: Callable[[str], str] | None = field(default=None, compare=False)

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """The problems, each at the sender's location of its canonical field where known."""
        return [Problem(self._where(p.location), p.message) for p in problems]

    def _where(self, pointer: str) -> str:
        if pointer in self.origins:
            return self.origins[pointer]
        if self.locator is not None and pointer.startswith("/"):
            return self.locator(pointer)
        return pointer


def pointer_path(pointer: str) -> tuple[str | int, ...]:
    """A canonical JSON pointer (``/order/accused_refs/0``) as a path of keys and indices."""
    return tuple(
        int(part) if part.isdigit() else part for part in pointer.strip("/").split("/") if part
    )


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a pillar's outbound feed: a canonical event for one institution.

    ``cursor`` is opaque to the pillar and strictly increasing within a feed.
    """

    cursor: str
    case_id: str
    event_id: str
    recorded_at: dt.datetime
    payload: EventPayload
    #: The institution whose feed this is (an entry may say why it is on that feed).
    institution: str | None = None


#: Message types the police system sends in canonical JSON.
POLICE_MESSAGE_TYPES: tuple[str, ...] = (
    "fir.registered",
    "person.arrested",
    "chargesheet.filed",
    # statutory clocks: the informant told, the victim's medical examination, an inquest
    "investigation.step",
    # forensic labs (e-Forensics): the examination request with its exhibits
    "forensic.requested",
    # transport (Vahan): vehicles stolen, recovered or seized
    "vehicle.stolen",
    "vehicle.recovered",
    "vehicle.seized",
)


def json_pointer(loc: tuple[str | int, ...]) -> str:
    """A JSON pointer (RFC 6901) for a pydantic error location."""
    if not loc:
        return "/"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def problems_from_validation(
    error: ValidationError, *, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Every pydantic validation error as a located problem."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(
            p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        problems.append(Problem(json_pointer(prefix + loc), item["msg"]))
    return problems


def parse_canonical_message(document: Any, *, allowed_types: tuple[str, ...]) -> DecodedMessage:
    """Turn a canonical JSON message ``{"type": "fir.registered", "data": {...}}`` into events.

    Raises ContractViolation (located at JSON pointers) or UnknownMessageType.
    """
    if not isinstance(document, dict):
        raise ContractViolation(
            "a canonical message is a JSON object",
            [Problem("/", "expected an object with 'type' and 'data'")],
        )
    problems = [
        Problem(f"/{field_name}", f"'{field_name}' is a required property")
        for field_name in ("type", "data")
        if field_name not in document
    ]
    extra = sorted(set(document) - {"type", "data", "id"})
    problems += [Problem(f"/{name}", f"unexpected property '{name}'") for name in extra]
    if problems:
        raise ContractViolation("the message envelope is not valid", problems)
    message_type = document["type"]
    if not isinstance(message_type, str) or message_type not in allowed_types:
        raise UnknownMessageType(
            f"unknown message type {message_type!r}; this endpoint takes: {', '.join(allowed_types)}",
            [Problem("/type", f"must be one of {', '.join(allowed_types)}")],
        )
    cls = payload_class(message_type)
    try:
        payload = cls.model_validate(document["data"])
    except ValidationError as exc:
        raise ContractViolation(
            f"the {message_type} message breaks its contract",
            problems_from_validation(exc, prefix=("data",)),
        ) from None
    # The sender wrote the canonical payload under "data".
    return DecodedMessage(
        message_type=message_type, payloads=[payload], locator=lambda pointer: "/data" + pointer
    )
