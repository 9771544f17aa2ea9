"""The case status is a fold of the case's events; pure, no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canonical_model.events import CloudEvent, EventPayload, payload_class
from canonical_model.lifecycle import CaseStatus, CourtStage, PoliceStage, apply, project
from gateway.cli import scenario

CASE = scenario.refs(11)
T0 = dt.datetime(2026, 8, 14, tzinfo=dt.UTC)


def event(n: int, message: dict[str, Any]) -> CloudEvent:
    payload: EventPayload = payload_class(message["type"]).model_validate(message["data"])
    return CloudEvent.wrap(
        payload, event_id=f"e{n}", source="/test", subject="case_x", time=T0 + dt.timedelta(hours=n)
    )


def court(n: int, name: str, data: dict[str, Any]) -> CloudEvent:
    return event(n, {"type": name, "data": data})


def test_police_then_court_stages() -> None:
    events = [
        event(0, scenario.fir_registered(CASE)),
        event(1, scenario.person_arrested(CASE)),
        event(2, scenario.chargesheet_filed(CASE)),
    ]
    status = project("case_x", events)
    assert status.police_stage is PoliceStage.CHARGE_SHEET_FILED
    assert status.court_stage is CourtStage.AWAITING_REGISTRATION
    assert status.identifiers == {"fir": [str(CASE.fir)]}
    assert [a.ref for a in status.accused] == ["A1", "A2"]
    assert status.events_count == 3
    status = apply(
        status, court(3, "court_case.registered", {"court_case": scenario.court_case(CASE)})
    )
    assert status.court_stage is CourtStage.PENDING
    assert set(status.identifiers) == {"fir", "cnr", "case_no"}
    assert all(a.court_status == "under_trial" for a in status.accused)


def test_a_late_arriving_earlier_hearing_does_not_move_the_next_date_back() -> None:
    first, second = scenario.hearings(CASE)
    status = CaseStatus(case_id="case_x")
    status = apply(status, court(1, "hearing.recorded", {"hearing": second}))
    status = apply(status, court(2, "hearing.recorded", {"hearing": first}))
    assert status.next_hearing_date == dt.date(2026, 12, 16)
    assert status.last_hearing is not None and status.last_hearing.purpose == "Framing of charge"
    assert status.hearings_count == 2


def test_apply_does_not_change_its_input() -> None:
    status = project("case_x", [event(0, scenario.fir_registered(CASE))])
    before = status.model_dump()
    apply(status, event(1, scenario.person_arrested(CASE)))
    assert status.model_dump() == before


def test_envelope_round_trips_and_names_its_schema() -> None:
    e = event(0, scenario.fir_registered(CASE))
    assert e.type == "icjs.fir.registered"
    assert e.specversion == "1.0"
    assert e.dataschema == "urn:icjs:canonical:v1:fir.registered"
    again = CloudEvent.model_validate(e.model_dump(mode="json"))
    assert again.payload() == e.payload()
