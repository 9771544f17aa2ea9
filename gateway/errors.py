"""The one place where the error tree meets HTTP and dead-letter handling."""

from __future__ import annotations

from enum import StrEnum

from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

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
    #: Not the event's fault: a dependency is unreachable. Wait for it (with backoff), count
    #: no attempt, never dead-letter.
    WAIT = "wait"


class Dependency(StrEnum):
    """What the gateway depends on, named as ``/readyz`` and the workers' log lines name it."""

    DATABASE = "database"
    KAFKA = "kafka"


#: Errors of the database driver that mean "cannot reach the database", not "bad statement".
DATABASE_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError)
#: Every error of the database driver (SQLAlchemy wraps each in this class): the API answers
#: one that is :func:`database_unreachable` with 503, any other with 500 (gateway.api.failures).
DATABASE_ERROR = DBAPIError

# SQLSTATEs of a server that is going away or not there yet: connection exceptions (class 08),
# admin and crash shutdown, cannot connect now (starting up), too many connections.
_DOWN_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})


def database_unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (rather than a bad statement)."""
    if isinstance(error, DATABASE_UNREACHABLE):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def database_down(error: BaseException) -> bool:
    """Whether ``error`` is the database server being away (refused, restarting, shut down,
    the connection dropped), as opposed to a statement that failed on a live server (a lock
    timeout, a cancelled query): only the former is waited out without counting attempts."""
    if isinstance(error, DisconnectionError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    # No SQLSTATE: the client could not talk to a server at all (refused, closed, timed out;
    # SQLite's file unavailable or locked).
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _DOWN_SQLSTATES


def kafka_down(error: BaseException) -> bool:
    """Whether ``error`` is the broker being away or not answering in time (a retriable
    Kafka error, a connection failure, a timeout), not something wrong with a record."""
    if isinstance(error, KafkaConnectionError | KafkaTimeoutError):
        return True
    return isinstance(error, KafkaError) and bool(getattr(error, "retriable", False))


def unreachable_dependency(error: BaseException) -> Dependency | None:
    """The dependency whose outage ``error`` is, or None when it is not an outage."""
    if database_down(error):
        return Dependency.DATABASE
    if kafka_down(error):
        return Dependency.KAFKA
    return None


def disposition(error: BaseException) -> Disposition:
    """An outage of a dependency (database or broker unreachable) is waited out: the event is
    not at fault. A fatal error will fail the same way every time, so it goes straight to the
    dead letters; anything else (retriable or unexpected) is retried with backoff first."""
    if unreachable_dependency(error) is not None:
        return Disposition.WAIT
    if isinstance(error, FatalError):
        return Disposition.DEAD_LETTER
    return Disposition.RETRY
