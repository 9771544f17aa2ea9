"""What an adapter hands the gateway and what the gateway hands an adapter.

These are the two shapes that cross the adapter boundary, so they live in the
innermost layer where both sides can see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from canonical_model.errors import (
    ContractViolation,
    InvalidIdentifier,
    Problem,
    UnknownMessageType,
)
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


#: An example of each ISO 8601 value a message carries (the zone is India's, +05:30).
DATE_TIME_EXAMPLE = "2026-08-14T10:30:00+05:30"
DATE_EXAMPLE = "2026-08-14"

_DATE_TIME = f"an ISO 8601 date-time such as {DATE_TIME_EXAMPLE}"
_DATE = f"an ISO 8601 date such as {DATE_EXAMPLE}"
#: What was expected, by the type of a pydantic error about a date or time: pydantic's own
#: words ("invalid character in year") name the parser's complaint, not the form to write.
_EXPECTED_BY_ERROR: Mapping[str, str] = {
    "datetime_parsing": _DATE_TIME,
    "datetime_from_date_parsing": _DATE_TIME,
    "datetime_type": _DATE_TIME,
    "datetime_object_invalid": _DATE_TIME,
    "timezone_aware": f"an ISO 8601 date-time with its UTC offset, such as {DATE_TIME_EXAMPLE}",
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_inexact": f"{_DATE}, without a time of day",
    "time_parsing": "an ISO 8601 time such as 10:30:00",
    "time_type": "an ISO 8601 time such as 10:30:00",
}
#: The most of a sender's value an error quotes.
_QUOTED_MAX = 80


def validation_message(item: Mapping[str, Any]) -> str:
    """The message of one pydantic error (an item of ``ValidationError.errors()``) as the
    gateway says it: an identifier's error states its form and an example; a date or time
    that does not parse, the ISO 8601 form with an example and the value sent."""
    error = (item.get("ctx") or {}).get("error")
    if isinstance(error, InvalidIdentifier):
        return error.message
    expected = _EXPECTED_BY_ERROR.get(str(item.get("type", "")))
    if expected is not None:
        shown = repr(item.get("input"))
        if len(shown) > _QUOTED_MAX:
            shown = shown[: _QUOTED_MAX - 1] + "\u2026"
        return f"expected {expected}, got {shown}"
    message = str(item.get("msg", "invalid"))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def problems_from_validation(
    error: ValidationError, *, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Every pydantic validation error as a located problem (:func:`validation_message`)."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(
            p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        problems.append(Problem(json_pointer(prefix + loc), validation_message(item)))
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
