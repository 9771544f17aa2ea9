"""Vehicles and driving licences: look-ups in the register by any spelling of their numbers."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request

from gateway.api.access import recorded_read
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import Licence, Vehicle, answers
from gateway.services.vehicle_lookups import (
    check_can_look_up,
    find_licence,
    find_vehicle,
    licence_view,
    vehicle_view,
)

router = APIRouter(prefix="/v1", tags=["transport"])

#: Whether a suspension is in force is judged on the calendar day in India.
IST = ZoneInfo("Asia/Kolkata")


@router.get(
    "/vehicles/{ref:path}",
    summary="A vehicle by registration, chassis or engine number",
    responses=answers(Vehicle, 403, 404, 409, 422),
)
def get_vehicle(
    ref: str, request: Request, gateway: GatewayDep, client: ClientDep
) -> dict[str, Any]:
    """`ref` is a registration mark (`MH12AB1234`, `mh-12-ab-1234`, `MH 12 AB 1234`), a chassis
    number (the full VIN, or its last 5 characters where only one known vehicle's chassis ends
    so) or an engine number; case, spaces, dashes, dots and slashes do not matter.

    Answers the vehicle's numbers, its Vahan record, what the police last reported
    (stolen, recovered, seized, with dates), every case it appears in (case id, FIR, police
    station, what was reported, when, and the numbers as the police wrote them) and the links
    the gateway made between a theft and a recovery or seizure. 404 when no report or record
    names it; 409 with `candidates` when the last 5 characters of a chassis fit several
    vehicles; 422 naming the part when `ref` cannot be a vehicle number. Police (any
    station), transport registries, courts and operators may ask."""
    with recorded_read(gateway, request, client) as read:
        check_can_look_up(client)
        with gateway.db.session() as session:
            vehicle, matched_on = find_vehicle(session, ref=ref)
            view = vehicle_view(session, vehicle=vehicle, matched_on=matched_on)
        read.extend(_case_ids(view))
    return view


@router.get(
    "/licences/{number:path}",
    summary="A driving licence by its number",
    responses=answers(Licence, 403, 404, 422),
)
def get_licence(
    number: str, request: Request, gateway: GatewayDep, client: ClientDep
) -> dict[str, Any]:
    """`number` is a driving licence number in any spelling (`MH1420110012345`,
    `MH14 20110012345`, `mh-14-2011-0012345`).

    Answers the Sarathi record, the court's latest suspension or revocation (period, order,
    CNR, whether it is in force today) and every case whose court ordered on the licence.
    404 when nothing names it; 422 naming the part of a malformed number. Police, transport
    registries, courts and operators may ask."""
    with recorded_read(gateway, request, client) as read:
        check_can_look_up(client)
        today = gateway.clock().astimezone(IST).date()
        with gateway.db.session() as session:
            licence = find_licence(session, number=number)
            view = licence_view(session, licence=licence, today=today)
        read.extend(_case_ids(view))
    return view


def _case_ids(view: dict[str, Any]) -> list[str]:
    """The case ids a look-up answers: its cases, and the case of its police state or order."""
    found = [c["case_id"] for c in view.get("cases") or () if c.get("case_id")]
    for link in view.get("links") or ():
        found.extend(link[k] for k in ("stolen_case_id", "found_case_id") if link.get(k))
    for part in view.values():
        if isinstance(part, dict) and isinstance(part.get("case_id"), str):
            found.append(part["case_id"])
    return found
