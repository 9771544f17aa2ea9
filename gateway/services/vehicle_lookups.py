"""Look-ups in the vehicle and licence register (:mod:`gateway.services.vehicles`): a vehicle by any
spelling of its registration, chassis (in full, or its last five characters where only one
known vehicle fits) or engine number (what a reference can be is read by
:func:`gateway.services.vehicle_matching.read_reference`); a driving licence by its number; and
who may ask.

Look-ups are a register open to the police of every station, the registries and the courts, so
they carry no protected identity for anyone (BNS s.72; JJ Act 2015 s.74; BNSS s.398): they
never give a case's sections, persons of a case appear by label (a vehicle's owner or a
licence's holder too, when that is a protected person of a case listed), and a licence is not
linked to a case whose protected person holds it or whose protected person its holder's name
would make known (a child accused; the father of a victim). Those entitled read the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from canonical_model.errors import Ambiguous, Forbidden, InvalidIdentifier, NotFound
from canonical_model.identifiers import DrivingLicence
from canonical_model.lifecycle import CaseStatus
from canonical_model.privacy import ProtectedPerson, Redactor
from canonical_model.transport import VehicleMatch
from gateway.services.auth import Client
from gateway.services.disclosure import statuses_of
from gateway.services.vehicle_matching import read_reference
from gateway.services.vehicles import mention_numbers, vehicles_known_by
from gateway.store.tables import (
    CaseRow,
    LicenceMentionRow,
    LicenceRow,
    VehicleLinkRow,
    VehicleMentionRow,
    VehicleRow,
)

#: Who may look vehicles and licences up: a stolen vehicle is every police station's business;
#: the registries answer about their own records; courts order on licences and vehicles;
#: operators see everything. Prisons, laboratories and prosecutors have no use for it.
READERS = ("police", "transport", "courts", "operator")


def check_can_look_up(client: Client) -> None:
    """Police, transport registries, courts and operators may look vehicles and licences up."""
    if client.pillar not in READERS:
        raise Forbidden(
            f"{client.pillar} clients may not look up vehicles or licences; "
            f"the register is open to {', '.join(READERS)}"
        )


def find_vehicle(session: Session, *, ref: str) -> tuple[VehicleRow, VehicleMatch]:
    """The vehicle ``ref`` names (registration, chassis or engine number in any spelling, or a
    chassis's last characters where only one vehicle's ends so) and how it matched."""
    reference = read_reference(ref)
    compact = reference.compact
    how: dict[str, VehicleMatch] = {}
    suffixed: dict[str, VehicleMatch] = {}
    if reference.registration is not None:
        for vid in vehicles_known_by(
            session, VehicleRow.registration, VehicleMentionRow.registration, reference.registration
        ):
            how.setdefault(vid, VehicleMatch.REGISTRATION)
    if reference.chassis is not None:
        for vid in vehicles_known_by(
            session, VehicleRow.chassis, VehicleMentionRow.chassis, reference.chassis
        ):
            how.setdefault(vid, VehicleMatch.CHASSIS)
    for vid in vehicles_known_by(
        session, VehicleRow.engine, VehicleMentionRow.engine, reference.engine
    ):
        how.setdefault(vid, VehicleMatch.ENGINE)
    if reference.suffix is not None:
        suffix_column = VehicleRow.chassis_suffix if reference.written_short else VehicleRow.chassis
        for vid in session.exec(
            select(VehicleRow.id).where(suffix_column == reference.suffix)
        ).all():
            suffixed.setdefault(vid, VehicleMatch.CHASSIS_SUFFIX)
    found = how or {vid: m for vid, m in suffixed.items() if vid not in how}
    if not found:
        raise NotFound(
            f"no vehicle known by registration, chassis or engine number {compact} "
            f"(asked for {ref.strip()!r}): no police report or registry record names it"
        )
    if len(found) > 1:
        vehicles = [session.get(VehicleRow, vid) for vid in sorted(found)]
        raise Ambiguous(
            f"{compact} names {len(found)} vehicles; ask again by a full number of one of them",
            candidates=[
                {
                    "vehicle_id": v.id,
                    "registration": v.registration,
                    "chassis": v.chassis,
                    "engine": v.engine,
                    "matched_on": found[v.id].value,
                }
                for v in vehicles
                if v is not None
            ],
        )
    ((vid, matched),) = found.items()
    vehicle = session.get(VehicleRow, vid)
    assert vehicle is not None
    return vehicle, matched


def vehicle_view(
    session: Session, *, vehicle: VehicleRow, matched_on: VehicleMatch
) -> dict[str, Any]:
    """A vehicle as the look-up answers it: numbers, Vahan record, police state, every case."""
    mentions = session.exec(
        select(VehicleMentionRow)
        .where(VehicleMentionRow.vehicle_id == vehicle.id)
        .order_by(col(VehicleMentionRow.id))
    ).all()
    links = session.exec(
        select(VehicleLinkRow)
        .where(VehicleLinkRow.vehicle_id == vehicle.id)
        .order_by(col(VehicleLinkRow.id))
    ).all()
    statuses = statuses_of(session, [m.case_id for m in mentions])
    redactor = Redactor(_protected(statuses.values()))
    view: dict[str, Any] = redactor.redact(
        {
            "vehicle_id": vehicle.id,
            "matched_on": matched_on.value,
            "registration": vehicle.registration,
            "chassis": vehicle.chassis,
            "engine": vehicle.engine,
            "police": {
                "state": vehicle.state,
                "on": _iso(vehicle.state_on),
                "case_id": vehicle.state_case_id,
                "stolen_on": _iso(vehicle.stolen_on),
                "recovered_on": _iso(vehicle.recovered_on),
                "seized_on": _iso(vehicle.seized_on),
            },
            "vahan": vehicle.record,
            "cases": [_mention_view(m) for m in mentions],
            "links": [
                {
                    "stolen_case_id": link.stolen_case_id,
                    "found_case_id": link.found_case_id,
                    "found_kind": link.found_kind,
                    "matched_on": link.matched_on,
                    "events": [e for e in (link.stolen_link_event, link.found_link_event) if e],
                }
                for link in links
            ],
        }
    )
    return view


def _protected(statuses: Iterable[CaseStatus]) -> list[ProtectedPerson]:
    """Every protected person of the cases: a look-up shows none of them."""
    return [p for status in statuses for p in status.protected_persons if p.protection]


def _mention_view(mention: VehicleMentionRow) -> dict[str, Any]:
    return {
        "case_id": mention.case_id,
        "fir": mention.fir,
        "police_station": mention.police_station,
        "kind": mention.kind,
        "on": mention.occurred_on.isoformat(),
        "reported_at": mention.reported_at.isoformat(),
        "event_id": mention.event_id,
        "as_written": mention.written,
        "numbers": {
            "registration": mention.registration,
            "chassis": mention.chassis,
            "engine": mention.engine,
        },
        "match": mention.match,
        "match_note": mention.match_note,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def find_licence(session: Session, *, number: str) -> LicenceRow:
    """The licence ``number`` names (any spelling: spaces, dashes, case)."""
    try:
        licence = DrivingLicence.parse(number.strip().upper())
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(
            "driving licence", number, exc.part, f"{exc.reason} (e.g. MH14 20110012345)"
        ) from None
    row = session.get(LicenceRow, str(licence))
    if row is None:
        raise NotFound(_unknown_licence(str(licence)))
    return row


def _unknown_licence(number: str) -> str:
    return f"no driving licence {number} is known: no Sarathi record or court order names it"


def licence_view(session: Session, *, licence: LicenceRow, today: dt.date) -> dict[str, Any]:
    """A licence as the look-up answers it: Sarathi record, the court's order on it (and
    whether it is in force ``today``), and every case whose court ordered on it."""
    order = None
    if licence.order_kind is not None:
        until = licence.effective_until
        started = licence.effective_from is not None and licence.effective_from <= today
        in_force = started and (until is None or today <= until)
        order = {
            "kind": licence.order_kind,
            "effective_from": _iso(licence.effective_from),
            "effective_until": _iso(until),
            "order_number": licence.order_number,
            "order_date": _iso(licence.order_date),
            "cnr": licence.cnr,
            "case_id": licence.case_id,
            "in_force": in_force,
        }
    mentions = session.exec(
        select(LicenceMentionRow)
        .where(LicenceMentionRow.licence == licence.number)
        .order_by(col(LicenceMentionRow.id))
    ).all()
    statuses = statuses_of(session, {m.case_id for m in mentions})
    mentions = [m for m in mentions if not _holder_protected(m, statuses.get(m.case_id))]
    if licence.record is None and order is None and not mentions:
        # Known only through a case it may not be linked to: as unknown as any other number.
        raise NotFound(_unknown_licence(licence.number))
    firs = _case_firs(session, {m.case_id for m in mentions})
    redactor = Redactor(_protected(statuses[m.case_id] for m in mentions if m.case_id in statuses))
    view: dict[str, Any] = redactor.redact(
        {
            "licence": licence.number,
            "sarathi": licence.record,
            "court_order": order,
            "cases": [
                {
                    "case_id": m.case_id,
                    "fir": firs.get(m.case_id),
                    "kind": m.kind,
                    "person_ref": m.person_ref,
                    "cnr": m.cnr,
                    "order_number": m.order_number,
                    "order_date": _iso(m.order_date),
                    "effective_from": _iso(m.effective_from),
                    "effective_until": _iso(m.effective_until),
                    "event_id": m.event_id,
                }
                for m in mentions
            ],
        }
    )
    return view


def _holder_protected(mention: LicenceMentionRow, status: CaseStatus | None) -> bool:
    """Whether linking the licence to the mention's case would make a protected person of the
    case known: the holder is one (a child accused), or the holder's name is among the names of
    one (a victim's father accused of the offence against her)."""
    if status is None or mention.person_ref is None:
        return False
    protected = _protected([status])
    if any(p.ref == mention.person_ref for p in protected):
        return True
    others = Redactor(p for p in protected if p.ref != mention.person_ref)
    holder = next((a for a in status.accused if a.ref == mention.person_ref), None)
    names = [holder.name, holder.father_name] if holder is not None else []
    return any(name and others.scrub(name) != name for name in names)


def _case_firs(session: Session, case_ids: Iterable[str]) -> dict[str, str | None]:
    firs: dict[str, str | None] = {}
    for case_id in case_ids:
        case = session.get(CaseRow, case_id)
        fir = ((case.status or {}).get("identifiers") or {}).get("fir") if case else None
        firs[case_id] = fir[0] if fir else None
    return firs


def with_vehicle_matches(session: Session, status: CaseStatus) -> CaseStatus:
    """The status with what the gateway could not match about the case's vehicles (a chassis
    written short that several known vehicles end with): read from the register."""
    if not status.vehicles:
        return status
    notes = session.exec(
        select(VehicleMentionRow).where(
            VehicleMentionRow.case_id == status.case_id,
            col(VehicleMentionRow.match_note).is_not(None),
        )
    ).all()
    if not notes:
        return status
    status = status.model_copy(deep=True)
    for vehicle in status.vehicles:
        said = [
            m.match_note
            for m in notes
            if m.match_note and vehicle.names(mention_numbers(m).identity())
        ]
        if said:
            vehicle.match = "; ".join(dict.fromkeys(said))
    return status
