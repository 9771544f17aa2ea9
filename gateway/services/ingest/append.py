"""Appending accepted events: the case they belong to (found by its crosswalk keys, or
opened), its status folded forward, the event log and the outbox, all in the caller's
transaction. Registry records (Vahan, Sarathi) belong to no case and go to the log and the
outbox under their number."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy import select as core_select
from sqlmodel import Session

from canonical_model.errors import Conflict, HeldError
from canonical_model.events import (
    ChargesheetFiled,
    CloudEvent,
    EventPayload,
    FirRegistered,
    JudgmentDelivered,
    OrderIssued,
    PersonArrested,
)
from canonical_model.forensics import check_forensic_message
from canonical_model.identifiers import PrisonerNumber
from canonical_model.lifecycle import CaseStatus, apply_in_place
from canonical_model.parties import known_persons, with_known_persons
from canonical_model.prosecution import check_prosecution_message, stamp_prosecution
from gateway.messaging.kafka.codec import headers_to_json, to_record
from gateway.services.competence import Sender, check_competence
from gateway.services.policies import PolicyRegistry
from gateway.services.vehicles import record_registry, registry_subject
from gateway.store import audit
from gateway.store.ids import new_case_id, new_event_id
from gateway.store.raw import RawStatement, connection_of, current_connection
from gateway.store.tables import CaseRow, CrosswalkRow, EventRow, OutboxRow, utcnow

CASES = CaseRow.__table__  # type: ignore[attr-defined]
CROSSWALK = CrosswalkRow.__table__  # type: ignore[attr-defined]
EVENTS = EventRow.__table__  # type: ignore[attr-defined]
OUTBOX = OutboxRow.__table__  # type: ignore[attr-defined]


def _insert(table: Any, *names: str) -> RawStatement:
    return RawStatement(insert(table).values({name: bindparam(name) for name in names}))


# Run for every accepted event: compiled once per dialect, run on the DB-API cursor
# (gateway.store.raw), since SQLAlchemy's own cost per statement was most of the time.
_INSERT_CASE = _insert(CASES, "id", "created_at", "updated_at", "status", "police_station", "court")
_UPDATE_CASE = RawStatement(
    update(CASES)
    .where(CASES.c.id == bindparam("case_id"))
    .values(
        status=bindparam("new_status"),
        updated_at=bindparam("new_updated_at"),
        police_station=bindparam("new_police_station"),
        court=bindparam("new_court"),
    )
)
_INSERT_CROSSWALK = _insert(CROSSWALK, "key", "case_id", "created_at")
_INSERT_EVENT = _insert(
    EVENTS, "id", "type", "case_id", "pillar", "source", "time", "receipt", "envelope"
)
# The case's events that describe persons, oldest first (read for a police report only).
_PERSON_EVENTS = (
    core_select(EVENTS.c.envelope)
    .where(
        EVENTS.c.case_id == bindparam("case_id"),
        EVENTS.c.type.in_(
            [cls.event_type() for cls in (FirRegistered, PersonArrested, ChargesheetFiled)]
        ),
    )
    .order_by(EVENTS.c.sequence)
)
_INSERT_OUTBOX = _insert(
    OUTBOX, "event_id", "topic", "key", "envelope", "record_value", "record_headers", "created_at"
)
_SELECT_STATUS_FOR_UPDATE = RawStatement(
    core_select(CASES.c.status).where(CASES.c.id == bindparam("case_id")).with_for_update()
)
_SELECT_OWNER = RawStatement(
    core_select(CROSSWALK.c.case_id).where(CROSSWALK.c.key == bindparam("key"))
)


def _locked_status(session: Session, case_id: str) -> Any:
    found = _SELECT_STATUS_FOR_UPDATE.first(connection_of(session), {"case_id": case_id})
    return None if found is None else found[0]


def _update_case(session: Session, case_id: str, projected: dict[str, Any]) -> None:
    _UPDATE_CASE.execute(
        current_connection(session),
        {"case_id": case_id, **{f"new_{name}": value for name, value in projected.items()}},
    )


def topic_for(payload: EventPayload) -> str:
    """The bus topic of an event: its family and schema version (``icjs.case.v1``)."""
    return f"icjs.{payload.family}.v1"


def apply_to_case(
    session: Session,
    payload: EventPayload,
    *,
    policies: PolicyRegistry,
    source: str,
    receipt: str,
    sender: Sender | None = None,
) -> CloudEvent:
    """Apply one case event: find or open its case by the keys it needs and introduces, check
    it against the case (forensic and prosecution rules, the sender's competence), fold it
    into the status, and append it to the log and the outbox, in the caller's transaction."""
    # Core statements rather than ORM objects: this runs once per event on the hot path,
    # and the unit of work's bookkeeping cost more than the SQL itself.
    needs = payload.needs()
    introduces = payload.introduces()
    owners = case_owners(session, [*needs, *introduces])
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
        stored = _locked_status(session, case_id)
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
            policy=policies.get(sender.pillar),
            sender=sender,
            status=status,
            payload=payload,
        )
    payload = with_inmates(payload, status)
    if isinstance(payload, ChargesheetFiled) and not is_new:
        payload = with_known_persons(payload, _known_persons(session, case_id))
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
    if is_new:
        _INSERT_CASE.execute(
            current_connection(session), {"id": case_id, "created_at": now, **projected}
        )
    else:
        _update_case(session, case_id, projected)
    fresh = [key for key, other in known.items() if other is None]
    if fresh:
        _INSERT_CROSSWALK.execute_many(
            current_connection(session),
            [{"key": k, "case_id": case_id, "created_at": now} for k in fresh],
        )
    append_event(session, event, envelope, payload, case_id=case_id, key=case_id)
    return event


def apply_registry(
    session: Session, payload: EventPayload, *, source: str, receipt: str
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
    append_event(session, event, event.model_dump(mode="json"), payload, case_id=None, key=key)
    record_registry(session, payload=payload, event=event)
    return event


def append_event(
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
    audit.touch(session, "event", event.id)
    conn = current_connection(session)
    _INSERT_EVENT.execute(
        conn,
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
    _INSERT_OUTBOX.execute(
        conn,
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
    stored = _locked_status(session, case_id)
    if stored is None:
        return None
    status = CaseStatus.model_validate(stored)
    now = utcnow()
    event = CloudEvent.wrap(
        payload, event_id=new_event_id(), source=source, subject=case_id, time=now
    )
    envelope = event.model_dump(mode="json")
    apply_in_place(status, payload, time=event.time)
    _update_case(
        session,
        case_id,
        {
            "status": status.model_dump(mode="json"),
            "updated_at": now,
            "police_station": status.police_station,
            "court": status.court,
        },
    )
    append_event(session, event, envelope, payload, case_id=case_id, key=case_id)
    return event


def _known_persons(session: Session, case_id: str) -> dict[str, dict[str, Any]]:
    """What the case's events say of each of its persons (:mod:`canonical_model.parties`)."""
    rows = session.execute(_PERSON_EVENTS, {"case_id": case_id}).all()
    return known_persons(CloudEvent.model_validate(row[0]).payload() for row in rows)


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


def case_owners(session: Session, keys: list[str]) -> dict[str, str]:
    """The case each of ``keys`` (``fir:...``, ``cnr:...``) belongs to, for those known."""
    if not keys:
        return {}
    conn = connection_of(session)
    owners: dict[str, str] = {}
    # One look-up per key (an event names one to three): a fixed statement, compiled once.
    for key in dict.fromkeys(keys):
        found = _SELECT_OWNER.first(conn, {"key": key})
        if found is not None:
            owners[key] = found[0]
    return owners
