"""What a sender is told, and what the message log keeps: receipts, duplicates, and the
recording of messages that were held, rejected or failed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog
from sqlalchemy import bindparam, func, insert, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from canonical_model.errors import FatalError, HeldError, IcjsError
from gateway.services.auth import Client
from gateway.store import audit
from gateway.store.db import Database
from gateway.store.raw import RawStatement, connection_of
from gateway.store.tables import HeldKeyRow, MessageRow, utcnow

log = structlog.get_logger(__name__)

T = TypeVar("T")

MESSAGES = MessageRow.__table__  # type: ignore[attr-defined]
# Both run for every message: compiled once per dialect, run on the DB-API cursor.
INSERT_MESSAGE = RawStatement(
    insert(MESSAGES).values({column.name: bindparam(column.name) for column in MESSAGES.columns})
)
_SELECT_DUPLICATE = RawStatement(
    core_select(
        MESSAGES.c.id,
        MESSAGES.c.status,
        MESSAGES.c.received_at,
        MESSAGES.c.message_type,
        MESSAGES.c.case_ids,
        MESSAGES.c.event_ids,
        MESSAGES.c.waiting_for,
    )
    .where(
        MESSAGES.c.client_id == bindparam("client_id"),
        MESSAGES.c.sha256 == bindparam("sha256"),
        or_(MESSAGES.c.status == "accepted", MESSAGES.c.status == "held"),
    )
    .limit(1)
)


#: How much of a body over the size limit is still kept in the message log.
TRUNCATED_BODY_KEEP = 64 * 1024
#: Why a body was cut (``messages.body_truncated_reason``).
TRUNCATED_OVER_SIZE = (
    "the body is over the size limit (ICJS_MAX_BODY_BYTES): its size is kept, and what was "
    "read of it up to its first 64 KiB"
)
TRUNCATED_OVER_QUOTA = (
    "the client's rejected bodies kept whole passed their quota "
    "(ICJS_REJECTED_BODY_QUOTA_BYTES): its hash and size are kept, and its first 64 KiB"
)


@dataclass(slots=True)
class Receipt:
    """What the caller is told about its message."""

    receipt_id: str
    status: str
    received_at: dt.datetime
    message_type: str | None = None
    case_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    waiting_for: list[str] = field(default_factory=list)
    duplicate: bool = False
    error: IcjsError | None = None
    #: The informant's access code of the FIR an accepted ``fir.registered`` registered
    #: (``gateway.services.citizen``): in this answer only, never kept in clear, so a
    #: duplicate's receipt has none (the police of the case issue a new one).
    citizen_access: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The receipt as the HTTP API answers it."""
        body: dict[str, Any] = {
            "receipt_id": self.receipt_id,
            "status": self.status,
            "received_at": self.received_at.isoformat(),
            "message_type": self.message_type,
            "case_ids": self.case_ids,
            "event_ids": self.event_ids,
        }
        if self.waiting_for:
            body["waiting_for"] = self.waiting_for
        if self.duplicate:
            body["duplicate"] = True
        if self.citizen_access is not None:
            body["citizen_access"] = self.citizen_access
        if self.error is not None:
            body.update(self.error.as_dict())
        return body


@dataclass(slots=True)
class Incoming:
    """A message as it arrives, with the columns of :class:`MessageRow` but none of the ORM's
    bookkeeping: one is made for every request, and an accepted message is written with a Core
    insert. The held, rejected and failed ones become rows (:meth:`to_row`)."""

    id: str
    client_id: int | None
    caller: str
    pillar: str
    institution: str
    media_type: str | None
    body: bytes
    size: int
    sha256: str
    request_id: str | None
    status: str = "received"
    message_type: str | None = None
    received_at: dt.datetime = field(default_factory=utcnow)
    updated_at: dt.datetime = field(default_factory=utcnow)
    body_truncated: bool = False
    body_truncated_reason: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    waiting_for: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)

    def to_row(self) -> MessageRow:
        """The message as an ORM row of the log."""
        return MessageRow(
            **{column.name: getattr(self, column.name) for column in MESSAGES.columns}
        )


#: A message of the log, new (:class:`Incoming`) or loaded (a held one being released).
Message = MessageRow | Incoming


def _as_row(message: Message) -> MessageRow:
    return message.to_row() if isinstance(message, Incoming) else message


def receipt_of(row: Message) -> Receipt:
    """The receipt of a message as the log holds it now."""
    return Receipt(
        receipt_id=row.id,
        status=row.status,
        received_at=row.received_at,
        message_type=row.message_type,
        case_ids=list(row.case_ids),
        event_ids=list(row.event_ids),
        waiting_for=list(row.waiting_for),
    )


def message_values(row: Message) -> dict[str, Any]:
    """The message row as the values of a Core insert (cheaper than the unit of work's)."""
    return {column.name: getattr(row, column.name) for column in MESSAGES.columns}


def find_duplicate(session: Session, *, client: Client, sha256: str) -> Receipt | None:
    """A message the same caller already sent, byte for byte, is answered with its first
    receipt: retries after a lost response must not apply anything twice."""
    found = _SELECT_DUPLICATE.first(
        connection_of(session), {"client_id": client.id, "sha256": sha256}
    )
    if found is None:
        return None
    receipt_id, status, received_at, message_type, case_ids, event_ids, waiting_for = found
    return Receipt(
        receipt_id=receipt_id,
        status=status,
        received_at=received_at,
        message_type=message_type,
        case_ids=list(case_ids),
        event_ids=list(event_ids),
        waiting_for=list(waiting_for),
        duplicate=True,
    )


def errors_of(error: IcjsError) -> list[dict[str, Any]]:
    """The located errors of ``error`` as the message log keeps them."""
    errors: list[dict[str, Any]] = error.as_dict()["errors"]  # type: ignore[assignment]
    return errors


def delete_held_keys(session: Session, message_id: str) -> None:
    """Forget what a held message waited for (it was applied or rejected)."""
    for held_key in session.exec(
        select(HeldKeyRow).where(HeldKeyRow.message_id == message_id)
    ).all():
        session.delete(held_key)


class Outcomes:
    """Records the messages that were not applied: held, rejected, failed. Each is written in
    a transaction of its own (through ``write``: the group-commit writer on SQLite), so that
    the gateway never loses what a pillar sent, whatever became of it."""

    def __init__(self, *, db: Database, max_errors: int) -> None:
        self.db = db
        self.max_errors = max_errors
        #: ICJS_REJECTED_BODY_QUOTA_BYTES: bytes of rejected bodies kept whole per client;
        #: past it a rejected body keeps its hash, size and first 64 KiB only.
        self.rejected_body_quota = 50 * 1024 * 1024
        # Bytes of rejected bodies kept whole, by client: read from the message log the first
        # time a client's message is rejected in this process, then counted here.
        self._rejected_kept: dict[int, int] = {}
        self._quota_lock = threading.Lock()

    def _write(self, unit: Callable[[Session], T]) -> T:
        return self.db.write(unit)

    def held(self, message: Message, held: HeldError) -> Receipt:
        """Keep a message that waits for a case key, with the keys it waits for."""
        row = _as_row(message)
        row.status = "held"
        row.waiting_for = held.waiting_for
        row.errors = [{"location": "/", "message": held.message}]
        row.event_ids = []
        row.case_ids = []

        def unit(session: Session) -> None:
            session.add(row)
            session.flush()  # the held keys refer to the message row
            for key in held.waiting_for:
                session.add(HeldKeyRow(key=key, message_id=row.id))
            audit.touch(session, "message", row.id)

        self._write(unit)
        log.info("message held", waiting_for=held.waiting_for, message_type=row.message_type)
        receipt = receipt_of(row)
        receipt.error = held
        return receipt

    def rejected(self, message: Message, error: FatalError) -> Receipt:
        """Keep a message that can never apply as it is, with every located error."""
        row = _as_row(message)
        row.status = "rejected"
        self._within_quota(row)
        # Bounded whatever the sender sent: at most ICJS_MAX_ERRORS problems, each clipped.
        error.capped(self.max_errors)
        row.errors = errors_of(error)
        row.event_ids = []
        row.case_ids = []
        row.waiting_for = []

        def unit(session: Session) -> None:
            session.add(row)
            audit.touch(session, "message", row.id)

        self._write(unit)
        log.info(
            "message rejected", code=error.code, error=error.message, message_type=row.message_type
        )
        receipt = receipt_of(row)
        receipt.error = error
        return receipt

    def failed(self, message: Message, failure: Exception) -> None:
        """Keep a message the gateway failed on (not the sender's fault), never raising."""
        row = _as_row(message)
        row.status = "failed"
        row.errors = [{"location": "/", "message": f"internal error: {type(failure).__name__}"}]
        row.event_ids, row.case_ids, row.waiting_for = [], [], []

        def unit(session: Session) -> None:
            session.merge(row)
            audit.touch(session, "message", row.id)

        try:
            self._write(unit)
        except Exception:
            log.exception("could not record a failed message", message=row.id)
        log.error("message failed", error=repr(failure), message_type=row.message_type)

    def _within_quota(self, row: MessageRow) -> None:
        """Keep a rejected body whole while its client's rejected bodies kept whole stay
        within :attr:`rejected_body_quota`; past it, cut it to its first 64 KiB and say why
        (its hash and size were taken from the whole body)."""
        if row.client_id is None or row.body_truncated or len(row.body) <= TRUNCATED_BODY_KEEP:
            return
        with self._quota_lock:
            used = self._rejected_kept.get(row.client_id)
        if used is None:
            with self.db.session() as session:
                used = session.exec(
                    select(func.coalesce(func.sum(MessageRow.size), 0)).where(
                        MessageRow.client_id == row.client_id,
                        MessageRow.status == "rejected",
                        col(MessageRow.body_truncated).is_(False),
                    )
                ).one()
        with self._quota_lock:
            used = max(used, self._rejected_kept.get(row.client_id, 0))
            if used + len(row.body) > self.rejected_body_quota:
                row.body = row.body[:TRUNCATED_BODY_KEEP]
                row.body_truncated = True
                row.body_truncated_reason = TRUNCATED_OVER_QUOTA
            else:
                used += len(row.body)
            self._rejected_kept[row.client_id] = used
