"""The vehicle events folded into a case's status: the police's reports of a vehicle stolen,
recovered or seized, and the links the gateway finds to other cases that reported it.

The registries' records (Vahan, Sarathi) belong to no case and are not folded.
"""

from __future__ import annotations

from canonical_model.events import (
    VehicleLinked,
    VehicleRecovered,
    VehicleReportedStolen,
    VehicleSeized,
)
from canonical_model.lifecycle.handlers import PillarHandlers
from canonical_model.lifecycle.status import (
    CaseStatus,
    CaseVehicle,
    CaseVehicleLink,
    CaseVehicleReport,
)
from canonical_model.transport import VehicleIdentity, VehicleReportKind


def _case_vehicle(status: CaseStatus, vehicle: VehicleIdentity) -> CaseVehicle | None:
    return next((v for v in status.vehicles if v.names(vehicle)), None)


def _vehicle_reported(
    status: CaseStatus, payload: VehicleReportedStolen | VehicleRecovered | VehicleSeized
) -> None:
    report = payload.report
    kind = VehicleReportKind(payload.name.removeprefix("vehicle."))
    vehicle = _case_vehicle(status, report.vehicle)
    numbers = report.vehicle
    if vehicle is None:
        vehicle = CaseVehicle(state=kind, state_on=report.on)
        status.vehicles.append(vehicle)
    # A later report of the case may give a number the first one lacked.
    if vehicle.registration is None and numbers.registration is not None:
        vehicle.registration = str(numbers.registration)
    if numbers.chassis is not None and (
        vehicle.chassis is None or len(numbers.chassis) > len(vehicle.chassis)
    ):
        vehicle.chassis = numbers.chassis
    vehicle.engine = vehicle.engine or numbers.engine
    vehicle.reports.append(CaseVehicleReport(kind=kind, on=report.on))
    if report.on >= vehicle.state_on:
        vehicle.state, vehicle.state_on = kind, report.on


def _vehicle_linked(status: CaseStatus, payload: VehicleLinked) -> None:
    link = payload.link
    vehicle = _case_vehicle(status, link.vehicle)
    if vehicle is None:  # the report it links is always folded first; kept rather than lost
        vehicle = CaseVehicle(state=link.kind, state_on=link.other_on)
        status.vehicles.append(vehicle)
    other = link.other_vehicle
    vehicle.links.append(
        CaseVehicleLink(
            case_id=link.other_case_id,
            fir=str(link.other_fir),
            police_station=link.other_police_station,
            kind=link.other_kind,
            on=link.other_on,
            matched_on=link.matched_on,
            registration=str(other.registration) if other.registration else None,
            chassis=other.chassis,
            engine=other.engine,
        )
    )


#: The transport handlers, by payload type.
HANDLERS = PillarHandlers("transport")
HANDLERS.add(VehicleReportedStolen, _vehicle_reported)
HANDLERS.add(VehicleRecovered, _vehicle_reported)
HANDLERS.add(VehicleSeized, _vehicle_reported)
HANDLERS.add(VehicleLinked, _vehicle_linked)
