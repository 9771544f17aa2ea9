"""The vehicle and licence register: which vehicles and driving licences the gateway knows,
what the police reported about them in which cases, what Vahan and Sarathi hold, what the
courts ordered; and the links between a theft in one case and a recovery or seizure of the
same vehicle in another.

This module is the register's storage: its tables, read and written. Everything here is a
projection of the event log, written in the transaction that accepts the event
(:mod:`gateway.services.ingest` calls in) and rebuilt from the log by
:func:`rebuild_register`; :mod:`gateway.services.vehicle_lookups` reads it.

Which known vehicle a police report names is decided by the rules of
:mod:`gateway.services.vehicle_matching` (pure, no database): this module finds the candidates
each number of the report points at (the vehicles' own numbers, and those the police reported
them under: a vehicle seized under false plates is found again by those plates), lets
:func:`~gateway.services.vehicle_matching.choose` decide, and files the result.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from canonical_model.entities import CourtOrder
from canonical_model.events import (
    VEHICLE_EVENTS,
    ChargesheetFiled,
    CloudEvent,
    EventPayload,
    FirRegistered,
    LicenceRecordReceived,
    OrderIssued,
    PersonArrested,
    VehicleLinked,
    VehicleRecordReceived,
)
from canonical_model.identifiers import Fir
from canonical_model.transport import VehicleLink, VehicleMatch, VehicleReportKind
from gateway.services.vehicle_matching import (
    Candidates,
    Match,
    Numbers,
    absorbed,
    chassis_compatible,
    choose,
    link_basis,
    new_vehicle_numbers,
)
from gateway.store.ids import ulid
from gateway.store.tables import (
    EventRow,
    LicenceMentionRow,
    LicenceRow,
    MessageRow,
    VehicleLinkRow,
    VehicleMentionRow,
    VehicleRow,
)

#: Makes a gateway event in a case, in the caller's transaction (the ingestor's apply).
Emit = Callable[[EventPayload], CloudEvent]

#: Where the events the gateway makes itself come from (CloudEvents ``source``).
GATEWAY_SOURCE = "/icjs/gateway"
VEHICLE_PREFIX = "veh_"

STOLEN = VehicleReportKind.STOLEN.value
#: The kind of a licence mention made by an accused who holds the licence.
ACCUSED = "accused"
#: The police messages that name persons, whose accused may hold driving licences.
PERSON_EVENTS: tuple[type[EventPayload], ...] = (FirRegistered, PersonArrested, ChargesheetFiled)
FOUND = (VehicleReportKind.RECOVERED.value, VehicleReportKind.SEIZED.value)


def new_vehicle_id() -> str:
    """A new vehicle id (``veh_01J...``): sortable by creation time, like every gateway id."""
    return VEHICLE_PREFIX + ulid()


# -- the numbers as written ---------------------------------------------------------------


def written_numbers(body: bytes) -> dict[str, str]:
    """The vehicle numbers exactly as the police message wrote them (canonical JSON
    ``data.report.vehicle``): the event keeps them normalised, the message log as sent."""
    try:
        vehicle = json.loads(body)["data"]["report"]["vehicle"]
    except (ValueError, KeyError, TypeError):
        return {}
    if not isinstance(vehicle, dict):
        return {}
    return {
        key: value
        for key in ("registration", "chassis", "engine")
        if isinstance(value := vehicle.get(key), str)
    }


# -- reading the register --------------------------------------------------------------------


def vehicles_known_by(
    session: Session, vehicle_column: Any, mention_column: Any, value: str
) -> set[str]:
    """The vehicles whose own number ``value`` is; failing that, those the police reported
    under it (false plates are found again, but never outrank the vehicle they belong to)."""
    own = set(session.exec(select(VehicleRow.id).where(vehicle_column == value)).all())
    if own:
        return own
    return {
        vid
        for vid in session.exec(
            select(VehicleMentionRow.vehicle_id).where(
                mention_column == value, col(VehicleMentionRow.vehicle_id).is_not(None)
            )
        ).all()
        if vid is not None
    }


def candidates(session: Session, numbers: Numbers) -> Candidates:
    """The known vehicles each of ``numbers`` points at (the vehicles' own numbers and those
    the police reported them under)."""
    chassis: set[str] = set()
    suffix: set[str] = set()
    if numbers.chassis is not None:
        if numbers.short_chassis:
            suffix = set(
                session.exec(
                    select(VehicleRow.id).where(VehicleRow.chassis_suffix == numbers.chassis)
                ).all()
            )
        else:
            chassis = vehicles_known_by(
                session, VehicleRow.chassis, VehicleMentionRow.chassis, numbers.chassis
            )
            # Vehicles known only by the last characters of their chassis.
            suffix = set(
                session.exec(
                    select(VehicleRow.id).where(VehicleRow.chassis == numbers.suffix)
                ).all()
            )
    engine = (
        vehicles_known_by(session, VehicleRow.engine, VehicleMentionRow.engine, numbers.engine)
        if numbers.engine
        else set()
    )
    registration = (
        vehicles_known_by(
            session, VehicleRow.registration, VehicleMentionRow.registration, numbers.registration
        )
        if numbers.registration
        else set()
    )
    contradicted: set[str] = set()
    if numbers.chassis is not None:
        for vid in (engine | registration | suffix) - chassis:
            known = session.exec(select(VehicleRow.chassis).where(VehicleRow.id == vid)).first()
            if not chassis_compatible(known, numbers.chassis):
                contradicted.add(vid)
    return Candidates(
        chassis=sorted(chassis),
        engine=sorted(engine),
        registration=sorted(registration),
        chassis_suffix=sorted(suffix),
        contradicted=frozenset(contradicted),
    )


def _lock(session: Session, numbers: Numbers) -> None:
    """Serialise reports naming the same numbers (PostgreSQL): two reports of a new vehicle
    at once must not make two vehicles. Transaction-scoped advisory locks, taken in a fixed
    order so that two transactions never wait on each other crosswise."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite has one writer at a time
    keys = {f"reg:{numbers.registration}", f"eng:{numbers.engine}", f"sfx:{numbers.suffix}"}
    if numbers.chassis and not numbers.short_chassis:
        keys.add(f"vin:{numbers.chassis}")
    codes = sorted({zlib.crc32(key.encode()) - 2**31 for key in keys if not key.endswith("None")})
    for code in codes:
        # Two-key form: the first key keeps these apart from the relay's lock (gateway.messaging.kafka).
        session.execute(text("SELECT pg_advisory_xact_lock(471465986, :k)"), {"k": code})


# -- applying events -----------------------------------------------------------------------


def _absorb(vehicle: VehicleRow, numbers: Numbers) -> None:
    """Give a vehicle the numbers it lacked (a short chassis grows into the full one)."""
    merged = absorbed(vehicle_numbers(vehicle), numbers)
    vehicle.registration = merged.registration
    vehicle.chassis = merged.chassis
    vehicle.engine = merged.engine
    vehicle.chassis_suffix = merged.suffix


def _police_state(vehicle: VehicleRow, *, kind: str, on: dt.date, case_id: str) -> None:
    dated = f"{kind}_on"
    if getattr(vehicle, dated) is None or on >= getattr(vehicle, dated):
        setattr(vehicle, dated, on)
    if vehicle.state_on is None or on >= vehicle.state_on:
        vehicle.state, vehicle.state_on, vehicle.state_case_id = kind, on, case_id


def _vehicle_for(
    session: Session, numbers: Numbers, *, at: dt.datetime
) -> tuple[VehicleRow | None, Match]:
    _lock(session, numbers)
    match = choose(candidates(session, numbers))
    if match.vehicle_id is not None:
        vehicle = session.get(VehicleRow, match.vehicle_id)
        assert vehicle is not None
        return vehicle, match
    own = new_vehicle_numbers(numbers, match)
    if own is None:
        return None, match
    vehicle = VehicleRow(id=new_vehicle_id(), created_at=at, updated_at=at)
    _absorb(vehicle, own)
    return vehicle, match


def record_vehicle_report(
    session: Session,
    *,
    payload: EventPayload,
    event: CloudEvent,
    written: dict[str, str],
    emit: Emit | None,
) -> VehicleMentionRow:
    """Record a police report about a vehicle (stolen, recovered, seized) in its case, match
    it to a known vehicle, and (with ``emit``: not when rebuilding, where the log already
    holds them) link it to the other cases that reported the same vehicle."""
    assert isinstance(payload, VEHICLE_EVENTS) and event.subject is not None
    report = payload.report  # type: ignore[attr-defined]
    kind = payload.name.removeprefix("vehicle.")
    numbers = Numbers.of(report.vehicle)
    vehicle, match = _vehicle_for(session, numbers, at=event.time)
    if vehicle is not None:
        if match.vehicle_id is not None:
            _absorb(vehicle, numbers)
        _police_state(vehicle, kind=kind, on=report.on, case_id=event.subject)
        vehicle.updated_at = event.time
        session.add(vehicle)
    mention = VehicleMentionRow(
        event_id=event.id,
        vehicle_id=vehicle.id if vehicle is not None else None,
        case_id=event.subject,
        fir=str(report.fir),
        police_station=str(report.fir.police_station),
        kind=kind,
        occurred_on=report.on,
        reported_at=event.time,
        registration=numbers.registration,
        chassis=numbers.chassis,
        engine=numbers.engine,
        written=written,
        match=match.label,
        match_note=match.note,
        candidates=list(match.ambiguous),
    )
    session.add(mention)
    session.flush()
    if emit is not None and vehicle is not None:
        _link(session, mention, emit)
    return mention


def _link(session: Session, mention: VehicleMentionRow, emit: Emit) -> None:
    """Link a report to every report of the same vehicle on the other side (a theft for a
    recovery or seizure, and the other way round) in another case: once per theft case,
    case found in and kind, so a report sent again links nothing twice."""
    other_kinds = FOUND if mention.kind == STOLEN else (STOLEN,)
    others = session.exec(
        select(VehicleMentionRow)
        .where(
            VehicleMentionRow.vehicle_id == mention.vehicle_id,
            col(VehicleMentionRow.kind).in_(other_kinds),
            VehicleMentionRow.case_id != mention.case_id,
        )
        .order_by(col(VehicleMentionRow.id))
    ).all()
    for other in others:
        stolen, found = (mention, other) if mention.kind == STOLEN else (other, mention)
        linked = session.exec(
            select(VehicleLinkRow.id).where(
                VehicleLinkRow.vehicle_id == mention.vehicle_id,
                VehicleLinkRow.stolen_case_id == stolen.case_id,
                VehicleLinkRow.found_case_id == found.case_id,
                VehicleLinkRow.found_kind == found.kind,
            )
        ).first()
        if linked is not None:
            continue
        matched_on = link_basis(
            mention_numbers(mention), mention_numbers(other), one_matched=mention.match
        )
        mine = emit(VehicleLinked(link=_link_payload(mention, other, matched_on)))
        theirs = emit(VehicleLinked(link=_link_payload(other, mention, matched_on)))
        session.add(
            VehicleLinkRow(
                vehicle_id=mention.vehicle_id,
                stolen_event=stolen.event_id,
                found_event=found.event_id,
                stolen_case_id=stolen.case_id,
                found_case_id=found.case_id,
                found_kind=found.kind,
                matched_on=matched_on.value,
                stolen_link_event=(mine if stolen is mention else theirs).id,
                found_link_event=(theirs if stolen is mention else mine).id,
                created_at=mine.time,
            )
        )


def mention_numbers(mention: VehicleMentionRow) -> Numbers:
    """The numbers a police report gave the vehicle (normalised)."""
    return Numbers(mention.registration, mention.chassis, mention.engine)


def vehicle_numbers(vehicle: VehicleRow) -> Numbers:
    """The numbers the register knows a vehicle by (normalised)."""
    return Numbers(vehicle.registration, vehicle.chassis, vehicle.engine)


def _link_payload(
    mine: VehicleMentionRow, other: VehicleMentionRow, matched_on: VehicleMatch
) -> VehicleLink:
    fir = Fir.parse(mine.fir)
    other_fir = Fir.parse(other.fir)
    return VehicleLink(
        fir=fir,
        report_event=mine.event_id,
        kind=VehicleReportKind(mine.kind),
        vehicle=mention_numbers(mine).identity(),
        matched_on=matched_on,
        other_case_id=other.case_id,
        other_fir=other_fir,
        other_police_station=other.police_station,
        other_kind=VehicleReportKind(other.kind),
        other_on=other.occurred_on,
        other_vehicle=mention_numbers(other).identity(),
        other_event=other.event_id,
    )


def record_vehicle_record(
    session: Session, *, payload: VehicleRecordReceived, event: CloudEvent
) -> None:
    """File a Vahan record on its vehicle (found by its numbers, or new). The registry is the
    authority on a vehicle's numbers: the newest record's numbers become the vehicle's."""
    record = payload.record
    numbers = Numbers(str(record.registration), record.chassis, record.engine)
    vehicle, _ = _vehicle_for(session, numbers, at=event.time)
    assert vehicle is not None  # a record has a registration and an engine number
    _absorb(vehicle, numbers)
    if vehicle.record_as_of is None or record.as_of >= vehicle.record_as_of:
        vehicle.registration = numbers.registration
        vehicle.chassis = numbers.chassis
        vehicle.chassis_suffix = numbers.suffix
        vehicle.engine = numbers.engine
        vehicle.record = record.model_dump(mode="json")
        vehicle.record_as_of = record.as_of
        vehicle.record_event_id = event.id
    vehicle.updated_at = event.time
    session.add(vehicle)


def _licence_row(session: Session, number: str, *, at: dt.datetime) -> LicenceRow:
    row = session.get(LicenceRow, number)
    return row if row is not None else LicenceRow(number=number, updated_at=at)


def record_licence_record(
    session: Session, *, payload: LicenceRecordReceived, event: CloudEvent
) -> None:
    """File a Sarathi record on its licence (the newest by the registry's date wins)."""
    record = payload.record
    row = _licence_row(session, str(record.licence), at=event.time)
    if row.record_as_of is None or record.as_of >= row.record_as_of:
        row.record = record.model_dump(mode="json")
        row.record_as_of = record.as_of
        row.record_event_id = event.id
    row.updated_at = event.time
    session.add(row)


def record_licence_order(session: Session, *, order: CourtOrder, event: CloudEvent) -> None:
    """File a court's suspension or revocation of a driving licence (the latest order wins)."""
    action = order.licence
    assert action is not None and event.subject is not None
    number = str(action.licence)
    row = _licence_row(session, number, at=event.time)
    if row.order_date is None or order.order_date >= row.order_date:
        row.order_kind = order.kind.value
        row.order_number = order.order_number
        row.order_date = order.order_date
        row.effective_from = action.effective_from
        row.effective_until = action.effective_until
        row.cnr = str(order.cnr)
        row.case_id = event.subject
    row.updated_at = event.time
    session.add(row)
    session.add(
        LicenceMentionRow(
            event_id=event.id,
            licence=number,
            case_id=event.subject,
            cnr=str(order.cnr),
            kind=order.kind.value,
            order_number=order.order_number,
            order_date=order.order_date,
            effective_from=action.effective_from,
            effective_until=action.effective_until,
        )
    )


def accused_licences(payload: EventPayload) -> list[tuple[str, str]]:
    """The (person ref, licence number) of every accused a police message names with a driving
    licence. Only the accused: a licence look-up must not tell who the victims or witnesses
    of a case are (a victim of a sexual offence is never to be identified, BNS s.72)."""
    match payload:
        case FirRegistered(fir=record):
            people = record.accused
        case PersonArrested(arrest=arrest):
            people = [arrest.person]
        case ChargesheetFiled(report=report):
            people = [charged.person for charged in report.accused]
        case _:
            return []
    return [(p.ref, str(p.driving_licence)) for p in people if p.driving_licence is not None]


def record_accused_licences(session: Session, *, payload: EventPayload, event: CloudEvent) -> None:
    """File the driving licences of a case's accused, once per case, person and licence."""
    assert event.subject is not None
    for ref, number in accused_licences(payload):
        known = session.exec(
            select(LicenceMentionRow.id).where(
                LicenceMentionRow.licence == number,
                LicenceMentionRow.case_id == event.subject,
                LicenceMentionRow.kind == ACCUSED,
                LicenceMentionRow.person_ref == ref,
            )
        ).first()
        if known is not None:
            continue
        session.add(_licence_row(session, number, at=event.time))
        session.add(
            LicenceMentionRow(
                event_id=event.id,
                licence=number,
                case_id=event.subject,
                kind=ACCUSED,
                person_ref=ref,
            )
        )
        session.flush()  # the next person of the same message sees this one


def registry_subject(payload: EventPayload) -> tuple[str, str]:
    """The CloudEvents subject (``vehicle:MH12AB1234``, ``dl:MH1420110012345``) and the Kafka
    key (the number) of a registry event, which belongs to no case."""
    match payload:
        case VehicleRecordReceived(record=record):
            return record.registration.key(), str(record.registration)
        case LicenceRecordReceived(record=record):
            return record.licence.key(), str(record.licence)
    raise TypeError(f"{payload.name} is not a registry event")


def record_registry(session: Session, *, payload: EventPayload, event: CloudEvent) -> None:
    """File a registry event (Vahan or Sarathi record) in the register."""
    match payload:
        case VehicleRecordReceived():
            record_vehicle_record(session, payload=payload, event=event)
        case LicenceRecordReceived():
            record_licence_record(session, payload=payload, event=event)


# -- rebuilding --------------------------------------------------------------------------------

_REGISTER_CLASSES: tuple[type[EventPayload], ...] = (
    *VEHICLE_EVENTS,
    *PERSON_EVENTS,
    VehicleLinked,
    VehicleRecordReceived,
    LicenceRecordReceived,
    OrderIssued,
)
_REGISTER_TYPES = tuple(cls.event_type() for cls in _REGISTER_CLASSES)


def rebuild_register(session: Session) -> int:
    """Rebuild the vehicle and licence register from the event log alone (and the police
    messages, for the numbers as written); returns how many events were applied.

    The links are not made again: the log holds the gateway's link events, which are filed
    as they are. Vehicle ids are new.
    """
    for table in (VehicleLinkRow, VehicleMentionRow, VehicleRow, LicenceMentionRow, LicenceRow):
        session.execute(delete(table))
    rows = session.exec(
        select(EventRow)
        .where(col(EventRow.type).in_(_REGISTER_TYPES))
        .order_by(col(EventRow.sequence))
    ).all()
    applied = 0
    for row in rows:
        event = CloudEvent.model_validate(row.envelope)
        payload = event.payload()
        if isinstance(payload, VEHICLE_EVENTS):
            message = session.get(MessageRow, row.receipt) if row.receipt else None
            written = written_numbers(message.body) if message is not None else {}
            record_vehicle_report(session, payload=payload, event=event, written=written, emit=None)
        elif isinstance(payload, VehicleLinked):
            _restore_link(session, payload.link, event)
        elif isinstance(payload, OrderIssued):
            if payload.order.licence is None:
                continue
            record_licence_order(session, order=payload.order, event=event)
        elif isinstance(payload, PERSON_EVENTS):
            if not accused_licences(payload):
                continue
            record_accused_licences(session, payload=payload, event=event)
        else:
            record_registry(session, payload=payload, event=event)
        session.flush()
        applied += 1
    return applied


def _restore_link(session: Session, link: VehicleLink, event: CloudEvent) -> None:
    mine_stolen = link.kind is VehicleReportKind.STOLEN
    stolen_event = link.report_event if mine_stolen else link.other_event
    found_event = link.other_event if mine_stolen else link.report_event
    row = session.exec(
        select(VehicleLinkRow).where(
            VehicleLinkRow.stolen_event == stolen_event, VehicleLinkRow.found_event == found_event
        )
    ).first()
    if row is None:
        mention = session.exec(
            select(VehicleMentionRow).where(VehicleMentionRow.event_id == link.report_event)
        ).first()
        assert event.subject is not None
        row = VehicleLinkRow(
            vehicle_id=mention.vehicle_id if mention is not None else None,
            stolen_event=stolen_event,
            found_event=found_event,
            stolen_case_id=event.subject if mine_stolen else link.other_case_id,
            found_case_id=link.other_case_id if mine_stolen else event.subject,
            found_kind=(link.other_kind if mine_stolen else link.kind).value,
            matched_on=link.matched_on.value,
            created_at=event.time,
        )
    if mine_stolen:
        row.stolen_link_event = event.id
    else:
        row.found_link_event = event.id
    session.add(row)


def is_register_event(payload: EventPayload) -> bool:
    """Whether a case event touches the register: a police vehicle report, a court order on a
    driving licence, or a police message naming an accused's licence."""
    if isinstance(payload, OrderIssued):
        return payload.order.licence is not None
    return isinstance(payload, VEHICLE_EVENTS) or bool(accused_licences(payload))
