"""Inbound messages: decode, authorise, and apply them to cases in one transaction.

Every message ends in the message log as accepted, held or rejected, with its
raw bytes. A held message waits for a crosswalk key (an FIR, a CNR) and is
re-run from its stored bytes, in the same transaction that makes the key
known, so an early message is applied exactly when its case appears.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from canonical_model.errors import (
    MAX_PROBLEMS,
    Conflict,
    ContractViolation,
    FatalError,
    HeldError,
    IcjsError,
    Problem,
    RetriableError,
    UnknownMessageType,
    UnsupportedMediaType,
)
from canonical_model.events import (
    CloudEvent,
    EventPayload,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.forensics import check_forensic_message
from canonical_model.identifiers import PrisonerNumber
from canonical_model.lifecycle import CaseStatus, apply_in_place
from canonical_model.messages import POLICE_MESSAGE_TYPES, DecodedMessage, parse_canonical_message
from canonical_model.prosecution import (
    check_prosecution_message,
    stamp_prosecution,
)
from contracts.loader import parse_json
from gateway.messaging.kafka.codec import headers_to_json, to_record
from gateway.messaging.ports import PillarPolicy
from gateway.services.auth import Client
from gateway.services.competence import Sender, check_competence
from gateway.services.policies import PolicyRegistry
from gateway.services.registry import AdapterRegistry
from gateway.services.vehicles import (
    GATEWAY_SOURCE,
    PERSON_EVENTS,
    is_register_event,
    record_accused_licences,
    record_licence_order,
    record_registry,
    record_vehicle_report,
    registry_subject,
    written_numbers,
)
from gateway.store import audit
from gateway.store.db import Database
from gateway.store.ids import new_case_id, new_event_id, new_receipt_id
from gateway.store.tables import (
    CaseRow,
    CrosswalkRow,
    EventRow,
    HeldKeyRow,
    MessageRow,
    OutboxRow,
    utcnow,
)

log = structlog.get_logger(__name__)

CASES = CaseRow.__table__  # type: ignore[attr-defined]
CROSSWALK = CrosswalkRow.__table__  # type: ignore[attr-defined]
EVENTS = EventRow.__table__  # type: ignore[attr-defined]
OUTBOX = OutboxRow.__table__  # type: ignore[attr-defined]
_INSERT_CASE = insert(CASES)
_UPDATE_CASE = update(CASES).where(CASES.c.id == bindparam("case_id"))
_INSERT_CROSSWALK = insert(CROSSWALK)
_INSERT_EVENT = insert(EVENTS)
_INSERT_OUTBOX = insert(OUTBOX)
_SELECT_STATUS_FOR_UPDATE = (
    core_select(CASES.c.status).where(CASES.c.id == bindparam("case_id")).with_for_update()
)
MESSAGES = MessageRow.__table__  # type: ignore[attr-defined]
_INSERT_MESSAGE = insert(MESSAGES)
_SELECT_DUPLICATE = core_select(
    MESSAGES.c.id,
    MESSAGES.c.status,
    MESSAGES.c.received_at,
    MESSAGES.c.message_type,
    MESSAGES.c.case_ids,
    MESSAGES.c.event_ids,
    MESSAGES.c.waiting_for,
).where(
    MESSAGES.c.client_id == bindparam("client_id"),
    MESSAGES.c.sha256 == bindparam("sha256"),
    MESSAGES.c.status.in_(("accepted", "held")),
)
_SELECT_OWNERS = core_select(CROSSWALK.c.key, CROSSWALK.c.case_id).where(
    CROSSWALK.c.key.in_(bindparam("keys", expanding=True))
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
        if self.error is not None:
            body.update(self.error.as_dict())
        return body


def topic_for(payload: EventPayload) -> str:
    """The bus topic of an event: its family and schema version (``icjs.case.v1``)."""
    return f"icjs.{payload.family}.v1"


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
        #: ICJS_REJECTED_BODY_QUOTA_BYTES: bytes of rejected bodies kept whole per client;
        #: past it a rejected body keeps its hash, size and first 64 KiB only.
        self.rejected_body_quota = 50 * 1024 * 1024
        # Bytes of rejected bodies kept whole, by client: read from the message log the first
        # time a client's message is rejected in this process, then counted here.
        self._rejected_kept: dict[int, int] = {}
        self._quota_lock = threading.Lock()

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
            return self._ingest(
                client=client,
                pillar=pillar,
                body=body,
                media_type=media_type,
                request_id=request_id,
            )
        finally:
            MAX_PROBLEMS.reset(cap)

    def _ingest(
        self,
        *,
        client: Client,
        pillar: str,
        body: bytes,
        media_type: str | None,
        request_id: str | None,
    ) -> Receipt:
        sha256 = hashlib.sha256(body).hexdigest()
        receipt_id = new_receipt_id()
        structlog.contextvars.bind_contextvars(message_id=receipt_id)
        row = MessageRow(
            id=receipt_id,
            client_id=client.id,
            caller=client.label,
            pillar=pillar,
            institution=client.institution,
            media_type=media_type,
            body=body,
            size=len(body),
            sha256=sha256,
            status="received",
            request_id=request_id,
        )
        try:
            decoded = self.decode(pillar=pillar, body=body, media_type=media_type or "")
            row.message_type = decoded.message_type
            authorise(self.policies.get(client.pillar), client, decoded.payloads)
            with self.db.session(write=True) as session:
                # In the transaction that would apply it, so that a retry costs no extra
                # round trip; a message rejected before is tried again, not deduplicated.
                duplicate = _find_duplicate(session, client=client, sha256=sha256)
                if duplicate is not None:
                    return duplicate
                self._apply_message(session, row, decoded)
                # A Core insert: the unit of work's flush costs more than the statement.
                session.execute(_INSERT_MESSAGE, _message_values(row))
                audit.touch(session, "message", row.id)
                self._release_held(session, introduced=_introduced_keys(decoded))
        except HeldError as held:
            return self._record_held(row, held)
        except FatalError as error:
            if row.message_type is None:
                row.message_type = self._sniff(pillar, body, media_type or "")
            return self._record_rejected(row, error)
        except Exception as failure:
            # Not the sender's fault: keep the message as "failed" so it is not lost, and
            # tell the sender to retry when the cause is transient (a busy or absent database).
            self._record_failed(row, failure)
            if isinstance(failure, OperationalError):
                raise RetriableError(
                    f"the gateway's database is unavailable; retry later (receipt {row.id})"
                ) from failure
            raise
        log.info(
            "message accepted",
            pillar=pillar,
            message_type=row.message_type,
            events=len(row.event_ids),
            cases=row.case_ids,
        )
        return _receipt(row)

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
        return self._record_rejected(row, error)

    def decode(self, *, pillar: str, body: bytes, media_type: str) -> DecodedMessage:
        """Translate a pillar's message to canonical events (no database work)."""
        if pillar == "police":
            return decode_police(body, media_type)
        adapter = self.adapters.get(pillar)
        decoded = adapter.decode(body, media_type=media_type)
        if decoded.message_type not in adapter.inbound_message_types:
            raise UnknownMessageType(
                f"{pillar} do not send {decoded.message_type!r} messages; "
                f"this endpoint takes: {', '.join(adapter.inbound_message_types)}"
            )
        return decoded

    # -- applying -------------------------------------------------------------------

    def _apply_message(self, session: Session, row: MessageRow, decoded: DecodedMessage) -> None:
        event_ids: list[str] = []
        case_ids: list[str] = []
        source = f"/icjs/{row.pillar}/{row.institution}"
        for payload in decoded.payloads:
            if payload.family == "registry":
                event_ids.append(
                    self._apply_registry(session, payload, source=source, receipt=row.id).id
                )
                continue
            try:
                event = self._apply_payload(
                    session,
                    payload,
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

    def _apply_payload(
        self,
        session: Session,
        payload: EventPayload,
        *,
        source: str,
        receipt: str,
        sender: Sender | None = None,
    ) -> CloudEvent:
        # Core statements rather than ORM objects: this runs once per event on the hot path,
        # and the unit of work's bookkeeping cost more than the SQL itself.
        needs = payload.needs()
        introduces = payload.introduces()
        owners = _owners(session, [*needs, *introduces])
        case_id = next((owners[key] for key in needs if key in owners), None)
        if needs and case_id is None:
            raise HeldError(
                f"{payload.name} refers to {' or '.join(needs)}, which the gateway does not know yet; "
                "the message is held and will be applied when it arrives",
                waiting_for=needs,
            )
        known = {key: owners.get(key) for key in introduces}
        now = utcnow()
        if case_id is None:
            clash = {k: v for k, v in known.items() if v is not None}
            if clash:
                key, owner = next(iter(clash.items()))
                raise Conflict(f"{key.partition(':')[2]} is already registered as case {owner}")
            case_id = new_case_id()
            status = CaseStatus(case_id=case_id)
            is_new = True
        else:
            for key, other in known.items():
                if other is not None and other != case_id:
                    raise Conflict(
                        f"{key.partition(':')[2]} already belongs to case {other}, not to case {case_id}"
                    )
            # Row lock: two messages for one case at once must not each overwrite the
            # status projected by the other (lost update on PostgreSQL).
            stored = session.execute(
                _SELECT_STATUS_FOR_UPDATE, {"case_id": case_id}
            ).scalar_one_or_none()
            if stored is None:  # a crosswalk row always points at a case (foreign key)
                raise Conflict(f"case {case_id} is missing")
            status = CaseStatus.model_validate(stored)
            is_new = False
            # Forensic messages must agree with the case's requests (addressed lab, one report
            # then revisions, known exhibits): a rule on the case, so it is checked here.
            check_forensic_message(status.forensic_requests, payload)
            # Prosecution messages: the office's area, and the report or judgment they name.
            check_prosecution_message(
                payload,
                status=status.prosecution,
                police_station=status.police_station,
                judgment_date=status.judgment_date,
            )
        if sender is not None:
            # Authority comes from the case as it is now (also for a held message being
            # released), never from what the message claims.
            check_competence(
                session,
                policy=self.policies.get(sender.pillar),
                sender=sender,
                status=status,
                payload=payload,
            )
        payload = with_inmates(payload, status)
        payload = stamp_prosecution(payload, status.prosecution)
        event = CloudEvent.wrap(
            payload,
            event_id=new_event_id(),
            source=source,
            subject=case_id,
            time=now,
            receipt=receipt,
        )
        envelope = event.model_dump(mode="json")
        # The status was read (or made) for this event alone: fold it in place.
        apply_in_place(status, payload, time=event.time)
        projected = {
            "status": status.model_dump(mode="json"),
            "updated_at": now,
            "police_station": status.police_station,
            "court": status.court,
        }
        # The statements are built once (module constants) and given parameters, so that
        # SQLAlchemy finds them in its compiled cache instead of building each anew.
        if is_new:
            session.execute(_INSERT_CASE, {"id": case_id, "created_at": now, **projected})
        else:
            session.execute(_UPDATE_CASE, {"case_id": case_id, **projected})
        fresh = [key for key, other in known.items() if other is None]
        if fresh:
            session.execute(
                _INSERT_CROSSWALK,
                [{"key": k, "case_id": case_id, "created_at": now} for k in fresh],
            )
        _append(session, event, envelope, payload, case_id=case_id, key=case_id)
        return event

    # (the gateway's own events, such as a vehicle link, have no sender to check)

    def _apply_registry(
        self, session: Session, payload: EventPayload, *, source: str, receipt: str
    ) -> CloudEvent:
        """A registry record (Vahan, Sarathi) belongs to no case: it goes to the event log and
        the outbox under its vehicle or licence number, and into the register."""
        subject, key = registry_subject(payload)
        event = CloudEvent.wrap(
            payload,
            event_id=new_event_id(),
            source=source,
            subject=subject,
            time=utcnow(),
            receipt=receipt,
        )
        _append(session, event, event.model_dump(mode="json"), payload, case_id=None, key=key)
        record_registry(session, payload=payload, event=event)
        return event

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
            return self._apply_payload(session, linked, source=GATEWAY_SOURCE, receipt=receipt)

        record_vehicle_report(
            session, payload=payload, event=event, written=written_numbers(body), emit=emit
        )

    def _release_held(self, session: Session, *, introduced: list[str]) -> None:
        """Apply every held message that waited for one of ``introduced``, transitively."""
        queue = list(introduced)
        while queue:
            keys, queue = queue, []
            waiting = session.exec(
                select(HeldKeyRow.message_id).where(col(HeldKeyRow.key).in_(keys)).distinct()
            ).all()
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
                    held.errors = _errors(error)
                    held.updated_at = utcnow()
                    session.add(held)
                    _delete_held_keys(session, held.id)
                    log.warning(
                        "held message rejected on release", message=held.id, error=error.message
                    )
                    continue
                _delete_held_keys(session, held.id)
                log.info("held message released", message=held.id, events=len(held.event_ids))
                queue.extend(_introduced_keys(decoded))

    # -- recording outcomes -----------------------------------------------------------

    def _record_held(self, row: MessageRow, held: HeldError) -> Receipt:
        row.status = "held"
        row.waiting_for = held.waiting_for
        row.errors = [{"location": "/", "message": held.message}]
        row.event_ids = []
        row.case_ids = []
        with self.db.session(write=True) as session:
            session.add(row)
            session.flush()  # the held keys refer to the message row
            for key in held.waiting_for:
                session.add(HeldKeyRow(key=key, message_id=row.id))
            audit.touch(session, "message", row.id)
        log.info("message held", waiting_for=held.waiting_for, message_type=row.message_type)
        receipt = _receipt(row)
        receipt.error = held
        return receipt

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

    def _record_rejected(self, row: MessageRow, error: FatalError) -> Receipt:
        row.status = "rejected"
        self._within_quota(row)
        # Bounded whatever the sender sent: at most ICJS_MAX_ERRORS problems, each clipped.
        error.capped(self.max_errors)
        row.errors = _errors(error)
        row.event_ids = []
        row.case_ids = []
        row.waiting_for = []
        with self.db.session(write=True) as session:
            session.add(row)
            audit.touch(session, "message", row.id)
        log.info(
            "message rejected", code=error.code, error=error.message, message_type=row.message_type
        )
        receipt = _receipt(row)
        receipt.error = error
        return receipt

    def _record_failed(self, row: MessageRow, failure: Exception) -> None:
        row.status = "failed"
        row.errors = [{"location": "/", "message": f"internal error: {type(failure).__name__}"}]
        row.event_ids, row.case_ids, row.waiting_for = [], [], []
        try:
            with self.db.session(write=True) as session:
                session.merge(row)
                audit.touch(session, "message", row.id)
        except Exception:
            log.exception("could not record a failed message", message=row.id)
        log.error("message failed", error=repr(failure), message_type=row.message_type)

    def _sniff(self, pillar: str, body: bytes, media_type: str) -> str | None:
        if pillar == "police":
            try:
                document = parse_json(body)
            except FatalError:
                return None
            kind = document.get("type") if isinstance(document, dict) else None
            return kind if isinstance(kind, str) else None
        try:
            return self.adapters.get(pillar).sniff_type(body, media_type=media_type)
        except FatalError:
            return None


def _append(
    session: Session,
    event: CloudEvent,
    envelope: dict[str, Any],
    payload: EventPayload,
    *,
    case_id: str | None,
    key: str,
) -> None:
    """Append an event to the log and to the outbox (keyed by case, or by number for a
    registry event), in the caller's transaction."""
    # The statements are module constants given parameters: SQLAlchemy finds them compiled.
    audit.touch(session, "event", event.id)
    session.execute(
        _INSERT_EVENT,
        {
            "id": event.id,
            "type": event.type,
            "case_id": case_id,
            "pillar": payload.pillar,
            "source": event.source,
            "time": event.time,
            "receipt": event.icjsreceipt,
            "envelope": envelope,
        },
    )
    value, headers = to_record(envelope)
    session.execute(
        _INSERT_OUTBOX,
        {
            "event_id": event.id,
            "topic": topic_for(payload),
            "key": key,
            "envelope": envelope,
            "record_value": value,
            "record_headers": headers_to_json(headers),
            "created_at": event.time,
        },
    )


def append_case_event(
    session: Session, payload: EventPayload, *, case_id: str, source: str
) -> CloudEvent | None:
    """Append an event of the gateway's own (a deadline announcement) to a known case, in the
    caller's transaction: the case row is locked, the status folds the event, and the event
    goes to the log and the outbox as an accepted message's would. None when the case is gone.
    """
    stored = session.execute(_SELECT_STATUS_FOR_UPDATE, {"case_id": case_id}).scalar_one_or_none()
    if stored is None:
        return None
    status = CaseStatus.model_validate(stored)
    now = utcnow()
    event = CloudEvent.wrap(
        payload, event_id=new_event_id(), source=source, subject=case_id, time=now
    )
    envelope = event.model_dump(mode="json")
    apply_in_place(status, payload, time=event.time)
    session.execute(
        _UPDATE_CASE,
        {
            "case_id": case_id,
            "status": status.model_dump(mode="json"),
            "updated_at": now,
            "police_station": status.police_station,
            "court": status.court,
        },
    )
    _append(session, event, envelope, payload, case_id=case_id, key=case_id)
    return event


def _message_values(row: MessageRow) -> dict[str, Any]:
    return {column.name: getattr(row, column.name) for column in MESSAGES.columns}


def _find_duplicate(session: Session, *, client: Client, sha256: str) -> Receipt | None:
    """A message the same caller already sent, byte for byte, is answered with its first
    receipt: retries after a lost response must not apply anything twice."""
    found = session.execute(_SELECT_DUPLICATE, {"client_id": client.id, "sha256": sha256}).first()
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


def decode_police(body: bytes, media_type: str) -> DecodedMessage:
    """The police system speaks canonical JSON, so its decoder is the canonical parser."""
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"police messages are canonical JSON: send Content-Type application/json, not {media_type or 'none'}",
            [
                Problem(
                    "header:Content-Type",
                    f"expected application/json, got {media_type or 'nothing'}",
                )
            ],
        )
    return parse_canonical_message(parse_json(body), allowed_types=POLICE_MESSAGE_TYPES)


def authorise(policy: PillarPolicy, client: Client, payloads: list[EventPayload]) -> None:
    """Raise Forbidden when the caller's pillar does not send a message, or the message speaks
    for another institution than the caller's (its policy says which). This grants nothing:
    the case's history is checked when the message is applied."""
    for payload in payloads:
        policy.may_send(client.institution, payload)


def with_inmates(payload: EventPayload, status: CaseStatus) -> EventPayload:
    """A court order or judgment with the prisoner numbers of the accused it concerns who are
    in prison now, as the case's custody shows them.

    The court does not know prisoner numbers; the gateway does. Writing them into the
    event at ingest keeps the prisons adapter a pure translator: its feed routing and its
    documents use only what the event carries. An order naming no accused concerns all.
    """
    match payload:
        case OrderIssued(order=order) if not payload.inmates:
            refs = set(order.accused_refs)
        case JudgmentDelivered(judgment=judgment) if not payload.inmates:
            refs = {verdict.accused_ref for verdict in judgment.verdicts}
        case _:
            return payload
    inmates = [
        PrisonerNumber.parse(person.prisoner_number)
        for person in status.accused
        if person.prison is not None
        and person.prisoner_number is not None
        and (not refs or person.ref in refs)
    ]
    if not inmates:
        return payload
    return payload.model_copy(update={"inmates": inmates})


def _errors(error: IcjsError) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = error.as_dict()["errors"]  # type: ignore[assignment]
    return errors


def _introduced_keys(decoded: DecodedMessage) -> list[str]:
    return [key for payload in decoded.payloads for key in payload.introduces()]


def _owners(session: Session, keys: list[str]) -> dict[str, str]:
    """The case each of ``keys`` (``fir:...``, ``cnr:...``) belongs to, for those known."""
    if not keys:
        return {}
    rows = session.execute(_SELECT_OWNERS, {"keys": keys}).all()
    return {key: case_id for key, case_id in rows}


def _delete_held_keys(session: Session, message_id: str) -> None:
    for held_key in session.exec(
        select(HeldKeyRow).where(HeldKeyRow.message_id == message_id)
    ).all():
        session.delete(held_key)


def _receipt(row: MessageRow) -> Receipt:
    return Receipt(
        receipt_id=row.id,
        status=row.status,
        received_at=row.received_at,
        message_type=row.message_type,
        case_ids=list(row.case_ids),
        event_ids=list(row.event_ids),
        waiting_for=list(row.waiting_for),
    )
