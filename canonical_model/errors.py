"""The one error tree of the gateway.

Every failure anywhere in the gateway is one of three kinds, and the kind alone
decides what happens to the message that caused it:

* :class:`FatalError` — the message can never succeed as sent (bad syntax,
  broken contract, invalid identifier). Answered 4xx, kept as *rejected*, and a
  consumer sends such an event straight to the dead-letter topic.
* :class:`RetriableError` — a transient failure (database busy, broker away).
  Answered 503 and retried with backoff by consumers.
* :class:`HeldError` — the message is sound but refers to something the
  gateway does not know yet (an FIR, a CNR). It is kept as *held* and applied
  when that reference becomes known; it is never rejected for arriving early.

The mapping of these kinds to HTTP statuses and to dead-letter handling lives
in one place in the gateway (``gateway/errors.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a message.

    ``location`` is a JSON pointer (``/data/accused/0/name``) for JSON input,
    an XPath (``/chargeSheet/accused[1]/name``) for XML input, or the name of
    an identifier part (``serial``) for identifier errors.
    """

    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the problem as a JSON-ready mapping."""
        return {"location": self.location, "message": self.message}


class IcjsError(Exception):
    """Root of every error the gateway raises on purpose."""

    #: A short machine-readable code, stable across versions.
    code: str = "icjs_error"

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def as_dict(self) -> dict[str, object]:
        """Return the error as a JSON-ready mapping; it always names at least one problem."""
        problems = self.problems or [Problem("/", self.message)]
        return {
            "code": self.code,
            "message": self.message,
            "errors": [p.as_dict() for p in problems],
        }


class FatalError(IcjsError):
    """The input can never be accepted as sent; retrying will not help."""

    code = "fatal"


class RetriableError(IcjsError):
    """A transient failure; the same input may succeed later."""

    code = "retriable"


class HeldError(IcjsError):
    """The input is valid but waits for a reference the gateway does not know yet.

    ``waiting_for`` lists crosswalk keys (``fir:...``, ``cnr:...``) any one of
    which, once known, releases the message.
    """

    code = "held"

    def __init__(self, message: str, *, waiting_for: list[str]) -> None:
        super().__init__(message)
        self.waiting_for = list(waiting_for)


class InvalidIdentifier(FatalError, ValueError):
    """An identifier does not parse; ``problems`` names the part that is wrong."""

    code = "invalid_identifier"

    def __init__(self, kind: str, value: object, part: str, reason: str) -> None:
        super().__init__(f"invalid {kind} {value!r}: {part}: {reason}", [Problem(part, reason)])
        self.kind = kind
        self.value = value
        self.part = part
        self.reason = reason


class MalformedMessage(FatalError):
    """The bytes are not well-formed JSON or XML, or use forbidden XML features."""

    code = "malformed"


class ContractViolation(FatalError):
    """The message is well-formed but breaks its contract (schema or domain rule)."""

    code = "contract_violation"


class UnknownMessageType(FatalError):
    """The message names a type this pillar's contract does not define."""

    code = "unknown_message_type"


class UnsupportedMediaType(FatalError):
    """The Content-Type or Accept header names a format the pillar does not speak."""

    code = "unsupported_media_type"


class PayloadTooLarge(FatalError):
    """The body is larger than the configured limit."""

    code = "payload_too_large"


class NotFound(FatalError):
    """A case, contract or record asked for does not exist."""

    code = "not_found"


class Unauthenticated(FatalError):
    """No credential, or one the gateway does not know."""

    code = "unauthenticated"


class Forbidden(FatalError):
    """A known credential asking for data outside its pillar or institution."""

    code = "forbidden"


class Conflict(FatalError):
    """The message contradicts what the gateway already holds (e.g. an FIR registered twice
    with different content)."""

    code = "conflict"


class Ambiguous(Conflict):
    """A reference names more than one thing (a chassis number's last five characters shared
    by several vehicles); ``candidates`` lists them so the caller can ask again precisely."""

    code = "ambiguous"

    def __init__(self, message: str, *, candidates: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)

    def as_dict(self) -> dict[str, object]:
        """The error with its candidates."""
        return super().as_dict() | {"candidates": self.candidates}
