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

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

#: The most located problems an error answer (and its message log entry) lists; the rest are
#: counted. The gateway sets it from ``ICJS_MAX_ERRORS`` around each request.
MAX_PROBLEMS: ContextVar[int] = ContextVar("icjs_max_problems", default=100)
#: The longest location or message one problem keeps (a sender's value quoted in a message,
#: a key in a pointer); longer ones are cut with an ellipsis.
PROBLEM_TEXT_MAX = 300


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

    def clipped(self) -> Problem:
        """The problem with its location and message cut to :data:`PROBLEM_TEXT_MAX`."""
        if len(self.location) <= PROBLEM_TEXT_MAX and len(self.message) <= PROBLEM_TEXT_MAX:
            return self
        return Problem(clip(self.location), clip(self.message))


def clip(text: str, limit: int = PROBLEM_TEXT_MAX) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class ProblemCollector:
    """Collects located problems in linear time: repeats are dropped through a set of the
    (location, message) pairs seen, at most ``limit`` are kept and the rest only counted."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_PROBLEMS.get() if limit is None else limit
        self.problems: list[Problem] = []
        self.omitted = 0
        self._seen: set[tuple[str, str]] = set()

    def add(self, location: str, message: str) -> bool:
        """Note one problem; False when it was seen before (nothing changes)."""
        key = (location, message)
        if key in self._seen:
            return False
        self._seen.add(key)
        if len(self.problems) < self.limit:
            self.problems.append(Problem(location, message).clipped())
        else:
            self.omitted += 1
        return True

    def extend(self, problems: Iterable[Problem]) -> ProblemCollector:
        """Note every problem of ``problems``."""
        for problem in problems:
            self.add(problem.location, problem.message)
        return self

    @property
    def full(self) -> bool:
        """Whether further problems are only counted."""
        return len(self.problems) >= self.limit

    @property
    def total(self) -> int:
        """Distinct problems noted, kept or counted."""
        return len(self.problems) + self.omitted


class IcjsError(Exception):
    """Root of every error the gateway raises on purpose."""

    #: A short machine-readable code, stable across versions.
    code: str = "icjs_error"

    def __init__(
        self, message: str, problems: list[Problem] | None = None, *, omitted: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])
        #: Problems found but not listed (beyond the cap); said in the last entry of ``errors``.
        self.omitted = omitted

    def capped(self, limit: int | None = None) -> IcjsError:
        """Cut the error to at most ``limit`` problems (default :data:`MAX_PROBLEMS`), each
        location and message clipped, the rest counted in :attr:`omitted`; returns itself."""
        limit = MAX_PROBLEMS.get() if limit is None else limit
        if len(self.problems) > limit:
            self.omitted += len(self.problems) - limit
            self.problems = self.problems[:limit]
        self.problems = [p.clipped() for p in self.problems]
        self.message = clip(self.message, 4 * PROBLEM_TEXT_MAX)
        return self

    def as_dict(self) -> dict[str, object]:
        """Return the error as a JSON-ready mapping; it always names at least one problem.
        At most :data:`MAX_PROBLEMS` problems, each clipped, whoever raised the error; those
        beyond are counted in ``errors_omitted`` and a last entry at ``/``."""
        problems = self.problems or [Problem("/", self.message)]
        limit = MAX_PROBLEMS.get()
        omitted = self.omitted + max(len(problems) - limit, 0)
        errors = [p.clipped().as_dict() for p in problems[:limit]]
        message = clip(self.message, 4 * PROBLEM_TEXT_MAX)
        body: dict[str, object] = {"code": self.code, "message": message, "errors": errors}
        if omitted:
            more = f"error{'s' if omitted != 1 else ''}"
            errors.append({"location": "/", "message": f"... and {omitted} more {more}"})
            body["errors_omitted"] = omitted
        return body


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
    """An identifier does not parse; ``problems`` names the part that is wrong.

    ``expected`` is the identifier's written form with an example (``an FIR number
    STATE/DISTRICT/STATION/YEAR/SERIAL, e.g. MH/AU/CIDCO/2024/0123``): with it the message
    leads with what was expected and what was sent, then names the part at fault, so that a
    sender who wrote the whole thing another way (dashes for slashes) sees the form first.
    """

    code = "invalid_identifier"

    def __init__(
        self, kind: str, value: object, part: str, reason: str, *, expected: str | None = None
    ) -> None:
        if expected is None:
            message = f"invalid {kind} {value!r}: {part}: {reason}"
        else:
            # The part's reason often quotes the whole value again ("..., got 'X'"): once is enough.
            said = reason.removesuffix(f", got {value!r}")
            message = f"expected {expected}; got {value!r} ({part}: {said})"
        super().__init__(message, [Problem(part, message if expected else reason)])
        self.kind = kind
        self.value = value
        self.part = part
        self.reason = reason
        self.expected = expected


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
