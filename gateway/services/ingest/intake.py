"""The ingest service: a pillar's message in, its fate in the message log, its events applied.

The steps live in their own modules: reading and authorising the message
(:mod:`.authorisation`), appending its events to their cases (:mod:`.append`), and what the
sender is told and the log keeps (:mod:`.receipts`). This module runs them in order, in one
unit of work per message, which shares the group-commit writer's transaction with the
messages that arrived at the same time (:mod:`gateway.store.writer`).
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
from typing import Any

import structlog
from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import (
    MAX_PROBLEMS,
    ContractViolation,
    FatalError,
    HeldError,
    Problem,
    RetriableError,
)
from canonical_model.events import CloudEvent, EventPayload, OrderIssued
from canonical_model.messages import DecodedMessage
from gateway.services.auth import Client
from gateway.services.citizen import issue_at_registration
from gateway.services.competence import Sender
from gateway.services.ingest.append import apply_registry, apply_to_case
from gateway.services.ingest.authorisation import authorise, decode_message, sniff_type
from gateway.services.ingest.receipts import (
    INSERT_MESSAGE,
    TRUNCATED_BODY_KEEP,
    TRUNCATED_OVER_SIZE,
    Incoming,
    Message,
    Outcomes,
    Receipt,
    delete_held_keys,
    errors_of,
    find_duplicate,
    message_values,
    receipt_of,
)
from gateway.services.policies import PolicyRegistry
from gateway.services.registry import AdapterRegistry
from gateway.services.vehicles import (
    GATEWAY_SOURCE,
    PERSON_EVENTS,
    is_register_event,
    record_accused_licences,
    record_licence_order,
    record_vehicle_report,
    written_numbers,
)
from gateway.store import audit
from gateway.store.db import Database
from gateway.store.ids import new_receipt_id
from gateway.store.raw import RawStatement, connection_of, current_connection
from gateway.store.tables import FeedEntryRow, HeldKeyRow, MessageRow, utcnow

log = structlog.get_logger(__name__)

_HELD_KEYS = HeldKeyRow.__table__  # type: ignore[attr-defined]
# Run for every accepted message (does it release a held one?): built once, so that
# SQLAlchemy finds it compiled; almost always it finds nothing.
_WAITING_ON = RawStatement(
    core_select(_HELD_KEYS.c.message_id).where(_HELD_KEYS.c.key == bindparam("key"))
)

_FEED = FeedEntryRow.__table__  # type: ignore[attr-defined]
# Is the event a reply names on the replying institution's own feed? (the unique
# (pillar, institution, event_id) constraint's index answers it)
_ON_FEED = RawStatement(
    core_select(_FEED.c.sequence).where(
        _FEED.c.pillar == bindparam("pillar"),
        _FEED.c.institution == bindparam("institution"),
        _FEED.c.event_id == bindparam("event_id"),
    )
)

#: Bodies up to this size are decoded on the event loop: the work is a fraction of a
#: millisecond, less than handing it to a thread. Larger ones go to a thread.
DECODE_INLINE_BYTES = 64 * 1024


class Ingestor:
    """Takes pillar messages in; the only writer of events, cases and the crosswalk."""

    def __init__(
        self,
        *,
        db: Database,
        adapters: AdapterRegistry,
        policies: PolicyRegistry | None = None,
        max_errors: int = 100,
    ) -> None:
        self.db = db
        self.adapters = adapters
        self.policies = policies or PolicyRegistry.from_adapters(adapters)
        #: ICJS_MAX_ERRORS: the most located errors a rejection lists (the rest are counted).
        self.max_errors = max_errors
        self.outcomes = Outcomes(db=db, max_errors=max_errors)

    @property
    def rejected_body_quota(self) -> int:
        """ICJS_REJECTED_BODY_QUOTA_BYTES (see :class:`Outcomes`)."""
        return self.outcomes.rejected_body_quota

    @rejected_body_quota.setter
    def rejected_body_quota(self, value: int) -> None:
        self.outcomes.rejected_body_quota = value

    # -- entry points ---------------------------------------------------------------

    def ingest(
        self,
        *,
        client: Client,
        pillar: str,
        body: bytes,
        media_type: str | None,
        request_id: str | None = None,
    ) -> Receipt:
        """Decode, authorise and apply one message; always leaves it in the message log."""
        # Every collector of located errors below keeps at most ICJS_MAX_ERRORS of them.
        cap = MAX_PROBLEMS.set(self.max_errors)
        try:
            row = self._new_row(client, pillar, body, media_type, request_id)
            try:
                decoded = self._read(row, client)
                receipt = self.db.write(self._unit(row, decoded, client))
            except Exception as failure:
                return self._outcome(row, failure)
            return self._accepted(row, receipt)
        finally:
            MAX_PROBLEMS.reset(cap)

    async def ingest_async(
        self,
        *,
        client: Client,
        pillar: str,
        body: bytes,
        media_type: str | None,
        request_id: str | None = None,
    ) -> Receipt:
        """:meth:`ingest` for the event loop: the unit of work is queued for the group-commit
        writer and awaited, no thread held."""
        writer = self.db.writer
        cap = MAX_PROBLEMS.set(self.max_errors)
        try:
            row = self._new_row(client, pillar, body, media_type, request_id)
            try:
                if len(body) <= DECODE_INLINE_BYTES:
                    decoded = self._read(row, client)
                else:
                    decoded = await run_in_threadpool(self._read, row, client)
                receipt = await asyncio.wrap_future(writer.submit(self._unit(row, decoded, client)))
            except Exception as failure:
                # Recording the outcome writes: in a thread, not on the loop.
                return await run_in_threadpool(self._outcome, row, failure)
            return self._accepted(row, receipt)
        finally:
            MAX_PROBLEMS.reset(cap)

    def record_refused(
        self,
        *,
        client: Client,
        pillar: str,
        body: bytes,
        media_type: str | None,
        error: FatalError,
        request_id: str | None = None,
        size: int | None = None,
    ) -> Receipt:
        """Log a message refused before it could be read in full (too large, wrong type)."""
        # Cut here, or not read in full (refused on its declared size, or past the limit).
        truncated = len(body) > TRUNCATED_BODY_KEEP or (size is not None and size > len(body))
        row = MessageRow(
            id=new_receipt_id(),
            client_id=client.id,
            caller=client.label,
            pillar=pillar,
            institution=client.institution,
            media_type=media_type,
            body=body[:TRUNCATED_BODY_KEEP],
            body_truncated=truncated,
            body_truncated_reason=TRUNCATED_OVER_SIZE if truncated else None,
            size=size if size is not None else len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            status="received",
            request_id=request_id,
        )
        return self.outcomes.rejected(row, error)

    def decode(self, *, pillar: str, body: bytes, media_type: str) -> DecodedMessage:
        """Translate a pillar's message to canonical events (no database work)."""
        return decode_message(self.adapters, pillar=pillar, body=body, media_type=media_type)

    # -- the steps ------------------------------------------------------------------

    @staticmethod
    def _new_row(
        client: Client, pillar: str, body: bytes, media_type: str | None, request_id: str | None
    ) -> Incoming:
        receipt_id = new_receipt_id()
        structlog.contextvars.bind_contextvars(message_id=receipt_id)
        return Incoming(
            id=receipt_id,
            client_id=client.id,
            caller=client.label,
            pillar=pillar,
            institution=client.institution,
            media_type=media_type,
            body=body,
            size=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            request_id=request_id,
        )

    def _read(self, row: Incoming, client: Client) -> DecodedMessage:
        decoded = self.decode(pillar=row.pillar, body=row.body, media_type=row.media_type or "")
        row.message_type = decoded.message_type
        authorise(self.policies.get(client.pillar), client, decoded.payloads)
        return decoded

    def _unit(self, row: Incoming, decoded: DecodedMessage, client: Client) -> Any:
        """The message's unit of work, run in the caller's context (its log fields and its
        cap on located errors) whichever thread runs it."""
        context = contextvars.copy_context()

        def unit(session: Session) -> Receipt:
            return context.run(self._accept, session, row=row, decoded=decoded, client=client)

        return unit

    def _accept(
        self, session: Session, *, row: Incoming, decoded: DecodedMessage, client: Client
    ) -> Receipt:
        # In the transaction that would apply it, so that a retry costs no extra round
        # trip; a message rejected before is tried again, not deduplicated.
        duplicate = find_duplicate(session, client=client, sha256=row.sha256)
        if duplicate is not None:
            return duplicate
        self._apply_message(session, row, decoded)
        # A Core insert: the unit of work's flush costs more than the statement.
        INSERT_MESSAGE.execute(current_connection(session), message_values(row))
        audit.touch(session, "message", row.id)
        self._release_held(session, introduced=_introduced_keys(decoded))
        receipt = receipt_of(row)
        # The informant's access code, printed with the FIR copy (BNSS s.173(2)).
        issued = issue_at_registration(
            session, decoded.payloads, issued_by=row.caller, now=row.updated_at
        )
        if issued is not None:
            receipt.citizen_access = issued.as_dict()
        return receipt

    def _accepted(self, row: Incoming, receipt: Receipt) -> Receipt:
        if not receipt.duplicate:
            log.info(
                "message accepted",
                pillar=row.pillar,
                message_type=row.message_type,
                events=len(receipt.event_ids),
                cases=receipt.case_ids,
            )
        return receipt

    def _outcome(self, row: Incoming, failure: Exception) -> Receipt:
        """Keep a message that was not applied, and answer for it (or raise, when it is not
        the sender's fault)."""
        if isinstance(failure, HeldError):
            return self.outcomes.held(row, failure)
        if isinstance(failure, FatalError):
            if row.message_type is None:
                row.message_type = sniff_type(
                    self.adapters, pillar=row.pillar, body=row.body, media_type=row.media_type or ""
                )
            return self.outcomes.rejected(row, failure)
        # Not the sender's fault: keep the message as "failed" so it is not lost, and
        # tell the sender to retry when the cause is transient (a busy or absent database).
        self.outcomes.failed(row, failure)
        if isinstance(failure, OperationalError):
            raise RetriableError(
                f"the gateway's database is unavailable; retry later (receipt {row.id})"
            ) from failure
        raise failure

    # -- applying -------------------------------------------------------------------

    def _apply_message(self, session: Session, row: Message, decoded: DecodedMessage) -> None:
        event_ids: list[str] = []
        case_ids: list[str] = []
        source = f"/icjs/{row.pillar}/{row.institution}"
        for payload in decoded.payloads:
            self._check_reply(session, row, decoded, payload)
            if payload.family == "registry":
                event_ids.append(apply_registry(session, payload, source=source, receipt=row.id).id)
                continue
            try:
                event = apply_to_case(
                    session,
                    payload,
                    policies=self.policies,
                    source=source,
                    receipt=row.id,
                    sender=Sender(pillar=row.pillar, institution=row.institution),
                )
            except ContractViolation as violation:
                # Found against the case, in canonical terms: said where the sender wrote it.
                raise ContractViolation(
                    violation.message, decoded.locate(violation.problems)
                ) from None
            event_ids.append(event.id)
            if event.subject and event.subject not in case_ids:
                case_ids.append(event.subject)
            if is_register_event(payload):
                self._register(session, payload, event, body=row.body, receipt=row.id)
        row.status = "accepted"
        row.event_ids = event_ids
        row.case_ids = case_ids
        row.waiting_for = []
        row.errors = []
        row.updated_at = utcnow()
        # A held message being released is loaded in this session, which tracks the change;
        # a new one is inserted by the caller.

    @staticmethod
    def _check_reply(
        session: Session, row: Message, decoded: DecodedMessage, payload: EventPayload
    ) -> None:
        """A reply (a Vahan record answering a look-up) must name an item of the replying
        institution's own feed: a reply to an event that does not exist, or that was on
        another institution's feed, is refused at ``in_reply_to`` (where the sender wrote it),
        with the same words for both, so that a reply is no oracle of other feeds' events."""
        event_id = getattr(payload, "in_reply_to", None)
        if event_id is None:
            return
        found = _ON_FEED.first(
            connection_of(session),
            {"pillar": row.pillar, "institution": row.institution, "event_id": event_id},
        )
        if found is not None:
            return
        problem = Problem(
            "/in_reply_to",
            f"{event_id!r} is no item of the {row.pillar} feed of {row.institution}: a reply "
            f"names the eventId of an item read from GET /v1/{row.pillar}/feed",
        )
        raise ContractViolation(
            f"{payload.name} answers {event_id!r}, which is no item of {row.institution}'s feed",
            decoded.locate([problem]),
        )

    def _register(
        self,
        session: Session,
        payload: EventPayload,
        event: CloudEvent,
        *,
        body: bytes,
        receipt: str,
    ) -> None:
        """File a case event that names a vehicle or a driving licence in the register; a
        vehicle found in another case is linked there by events of the gateway's own."""
        if isinstance(payload, OrderIssued):
            record_licence_order(session, order=payload.order, event=event)
            return
        if isinstance(payload, PERSON_EVENTS):
            record_accused_licences(session, payload=payload, event=event)
            return

        def emit(linked: EventPayload) -> CloudEvent:
            return apply_to_case(
                session, linked, policies=self.policies, source=GATEWAY_SOURCE, receipt=receipt
            )

        record_vehicle_report(
            session, payload=payload, event=event, written=written_numbers(body), emit=emit
        )

    def _release_held(self, session: Session, *, introduced: list[str]) -> None:
        """Apply every held message that waited for one of ``introduced``, transitively."""
        queue = list(introduced)
        while queue:
            keys, queue = queue, []
            conn = connection_of(session)
            waiting = list(
                dict.fromkeys(
                    found[0] for key in keys for found in _WAITING_ON.all(conn, {"key": key})
                )
            )
            if not waiting:
                continue
            rows = session.exec(
                select(MessageRow)
                .where(col(MessageRow.id).in_(waiting), MessageRow.status == "held")
                .order_by(col(MessageRow.received_at), col(MessageRow.id))
            ).all()
            for held in rows:
                decoded = self.decode(
                    pillar=held.pillar, body=held.body, media_type=held.media_type or ""
                )
                savepoint = session.begin_nested()
                position = audit.mark(session)
                # The held message changes whatever happens: its new state is a new link.
                audit.touch(session, "message", held.id)
                try:
                    self._apply_message(session, held, decoded)
                    savepoint.commit()
                except HeldError as still:
                    savepoint.rollback()
                    audit.rewind(session, position + 1)
                    held.waiting_for = still.waiting_for
                    session.add(held)
                    continue
                except FatalError as error:
                    savepoint.rollback()
                    audit.rewind(session, position + 1)
                    held.status = "rejected"
                    held.errors = errors_of(error)
                    held.updated_at = utcnow()
                    session.add(held)
                    delete_held_keys(session, held.id)
                    log.warning(
                        "held message rejected on release", message=held.id, error=error.message
                    )
                    continue
                delete_held_keys(session, held.id)
                log.info("held message released", message=held.id, events=len(held.event_ids))
                queue.extend(_introduced_keys(decoded))


def _introduced_keys(decoded: DecodedMessage) -> list[str]:
    return [key for payload in decoded.payloads for key in payload.introduces()]
