"""The one place where the error tree meets HTTP and dead-letter handling."""

from __future__ import annotations

from enum import StrEnum

from canonical_model.errors import (
    Conflict,
    ContractViolation,
    FatalError,
    Forbidden,
    HeldError,
    IcjsError,
    InvalidIdentifier,
    MalformedMessage,
    NotFound,
    PayloadTooLarge,
    RetriableError,
    Unauthenticated,
    UnknownMessageType,
    UnsupportedMediaType,
)
from gateway.limits import RateLimited, RequestTimeout

# Most specific first: the first class an error is an instance of decides.
_HTTP_STATUS: tuple[tuple[type[IcjsError], int], ...] = (
    (Unauthenticated, 401),
    (RateLimited, 429),
    (RequestTimeout, 408),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (PayloadTooLarge, 413),
    (UnsupportedMediaType, 415),
    (MalformedMessage, 400),
    (InvalidIdentifier, 422),
    (UnknownMessageType, 422),
    (ContractViolation, 422),
    (FatalError, 400),
    (HeldError, 202),
    (RetriableError, 503),
)


def http_status(error: IcjsError) -> int:
    """The HTTP status an error is answered with."""
    for cls, status in _HTTP_STATUS:
        if isinstance(error, cls):
            return status
    return 500


class Disposition(StrEnum):
    """What a consumer does with an event whose handling failed."""

    RETRY = "retry"
    DEAD_LETTER = "dead_letter"


def disposition(error: BaseException) -> Disposition:
    """A fatal error will fail the same way every time, so it goes straight to the dead
    letters; anything else (retriable or unexpected) is retried with backoff first."""
    if isinstance(error, FatalError):
        return Disposition.DEAD_LETTER
    return Disposition.RETRY
