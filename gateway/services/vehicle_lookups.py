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

from sqlalchemy import Integer, Select, String, Table, bindparam, literal_column, select, union_all
from sqlalchemy.engine import Row, RowMapping
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from canonical_model.errors import Ambiguous, Forbidden, InvalidIdentifier, NotFound
from canonical_model.identifiers import DrivingLicence
from canonical_model.lifecycle import CaseStatus
from canonical_model.privacy import ProtectedPerson, Redactor
from canonical_model.transport import VehicleMatch
from gateway.services.auth import Client
from gateway.services.vehicle_matching import Sighting, looked_up, read_reference
from gateway.services.vehicles import mention_numbers
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


# -- the statements: built once, plain Core (a look-up pays no ORM query building or loading) ----

_VEHICLES: Table = VehicleRow.__table__  # type: ignore[attr-defined]
_MENTIONS: Table = VehicleMentionRow.__table__  # type: ignore[attr-defined]
_LINKS: Table = VehicleLinkRow.__table__  # type: ignore[attr-defined]
_LICENCES: Table = LicenceRow.__table__  # type: ignore[attr-defined]
_LICENCE_MENTIONS: Table = LicenceMentionRow.__table__  # type: ignore[attr-defined]
_CASES: Table = CaseRow.__table__  # type: ignore[attr-defined]

#: What each branch of :data:`_SIGHTINGS` reads (by its number): the reading, whether it is
#: the vehicles' own number (or a police report's), the table and column, and the parameter.
_READINGS: tuple[tuple[VehicleMatch, bool, Table, str, str], ...] = (
    (VehicleMatch.REGISTRATION, True, _VEHICLES, "registration", "registration"),
    (VehicleMatch.REGISTRATION, False, _MENTIONS, "registration", "registration"),
    (VehicleMatch.CHASSIS, True, _VEHICLES, "chassis", "chassis"),
    (VehicleMatch.CHASSIS, False, _MENTIONS, "chassis", "chassis"),
    (VehicleMatch.ENGINE, True, _VEHICLES, "engine", "engine"),
    (VehicleMatch.ENGINE, False, _MENTIONS, "engine", "engine"),
    # A chassis written short against the last characters of every known chassis ...
    (VehicleMatch.CHASSIS_SUFFIX, True, _VEHICLES, "chassis_suffix", "short_chassis"),
    # ... and a longer reference's last characters against chassis known only by theirs.
    (VehicleMatch.CHASSIS_SUFFIX, True, _VEHICLES, "chassis", "suffix_of_long"),
)


def _reading(number: int) -> Select[tuple[int, str]]:
    _, own, table, column, parameter = _READINGS[number]
    vehicle_id = table.c.id if own else table.c.vehicle_id
    query = select(
        literal_column(str(number), Integer).label("reading"), vehicle_id.label("vehicle_id")
    ).where(table.c[column] == bindparam(parameter, type_=String))
    return query if own else query.where(vehicle_id.is_not(None))


#: Every vehicle each reading of a reference points at, in one statement: one branch per
#: reading and table, each on the column's own index (a reading the reference does not have
#: is asked as NULL, which finds nothing).
_SIGHTINGS = union_all(*(_reading(n) for n in range(len(_READINGS))))
_VEHICLES_BY_ID = select(_VEHICLES).where(_VEHICLES.c.id.in_(bindparam("ids", expanding=True)))
#: A vehicle's police reports, oldest first, each with its case's stored status.
_VEHICLE_MENTIONS = (
    select(_MENTIONS, _CASES.c.status.label("case_status"))
    .select_from(_MENTIONS.outerjoin(_CASES, _CASES.c.id == _MENTIONS.c.case_id))
    .where(_MENTIONS.c.vehicle_id == bindparam("vehicle_id", type_=String))
    .order_by(_MENTIONS.c.id)
)
_VEHICLE_LINKS = (
    select(_LINKS)
    .where(_LINKS.c.vehicle_id == bindparam("vehicle_id", type_=String))
    .order_by(_LINKS.c.id)
)
_LICENCE = select(_LICENCES).where(_LICENCES.c.number == bindparam("number", type_=String))
#: The cases naming a licence, oldest first, each with its case's stored status.
_LICENCE_CASES = (
    select(_LICENCE_MENTIONS, _CASES.c.status.label("case_status"))
    .select_from(_LICENCE_MENTIONS.outerjoin(_CASES, _CASES.c.id == _LICENCE_MENTIONS.c.case_id))
    .where(_LICENCE_MENTIONS.c.licence == bindparam("licence", type_=String))
    .order_by(_LICENCE_MENTIONS.c.id)
)


def _statuses(rows: Iterable[Row[Any]]) -> dict[str, CaseStatus]:
    """The stored statuses of the rows' cases (``case_status``, joined), in case id order;
    a case without a row or with an empty status has none."""
    stored = {row.case_id: row.case_status for row in rows}
    return {
        case_id: CaseStatus.model_validate(status)
        for case_id, status in sorted(stored.items())
        if status
    }


def find_vehicle(session: Session, *, ref: str) -> tuple[VehicleRow, VehicleMatch]:
    """The vehicle ``ref`` names (registration, chassis or engine number in any spelling, or a
    chassis's last characters where only one vehicle's ends so) and how it matched.

    Two statements: every vehicle each reading of ``ref`` points at
    (:func:`~gateway.services.vehicle_matching.looked_up` decides among them), then the
    vehicles found."""
    reference = read_reference(ref)
    compact = reference.compact
    suffix = reference.suffix
    rows = session.execute(
        _SIGHTINGS,
        {
            "registration": reference.registration,
            "chassis": reference.chassis,
            "engine": reference.engine,
            "short_chassis": suffix if reference.written_short else None,
            "suffix_of_long": None if reference.written_short else suffix,
        },
    ).all()
    found = looked_up(
        Sighting(_READINGS[row.reading][0], _READINGS[row.reading][1], row.vehicle_id)
        for row in rows
    )
    if not found:
        raise NotFound(
            f"no vehicle known by registration, chassis or engine number {compact} "
            f"(asked for {ref.strip()!r}): no police report or registry record names it"
        )
    vehicles = sorted(
        (_vehicle(row._mapping) for row in session.execute(_VEHICLES_BY_ID, {"ids": list(found)})),
        key=lambda v: v.id,
    )
    if len(found) > 1:
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
            ],
        )
    ((vid, matched),) = found.items()
    assert len(vehicles) == 1 and vehicles[0].id == vid
    return vehicles[0], matched


def _vehicle(row: RowMapping) -> VehicleRow:
    """A vehicle of the register as read by a Core statement (for reading only)."""
    return VehicleRow(**row)


def vehicle_view(
    session: Session, *, vehicle: VehicleRow, matched_on: VehicleMatch
) -> dict[str, Any]:
    """A vehicle as the look-up answers it: numbers, Vahan record, police state, every case.
    Two statements: its reports with their cases' statuses, and its links."""
    params = {"vehicle_id": vehicle.id}
    mentions = session.execute(_VEHICLE_MENTIONS, params).all()
    links = session.execute(_VEHICLE_LINKS, params).all()
    statuses = _statuses(mentions)
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


def _mention_view(mention: Row[Any]) -> dict[str, Any]:
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
            "driving licence",
            number,
            exc.part,
            exc.reason,
            expected=f"{DrivingLicence.expected()} (or MH14 20110012345)",
        ) from None
    found = session.execute(_LICENCE, {"number": str(licence)}).first()
    if found is None:
        raise NotFound(_unknown_licence(str(licence)))
    return LicenceRow(**found._mapping)


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
    rows = session.execute(_LICENCE_CASES, {"licence": licence.number}).all()
    statuses = _statuses(rows)
    mentions = [m for m in rows if not _holder_protected(m, statuses.get(m.case_id))]
    if licence.record is None and order is None and not mentions:
        # Known only through a case it may not be linked to: as unknown as any other number.
        raise NotFound(_unknown_licence(licence.number))
    firs = {m.case_id: _fir(m.case_status) for m in mentions}
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


def _holder_protected(mention: Row[Any], status: CaseStatus | None) -> bool:
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


def _fir(status: dict[str, Any] | None) -> str | None:
    """A case's FIR number from its stored status (None for no case, or none known)."""
    fir = ((status or {}).get("identifiers") or {}).get("fir")
    return fir[0] if fir else None


def with_vehicle_matches(session: Session, status: CaseStatus) -> CaseStatus:
    """The status with what the gateway could not match about the case's vehicles (a chassis
    written short that several known vehicles end with): read from the register."""
    if not status.vehicles:
        return status
    notes = session.exec(
        orm_select(VehicleMentionRow).where(
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
