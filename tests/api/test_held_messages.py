"""Messages that arrive before the case they refer to are held, never rejected or lost,
and applied when the case becomes known."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from canonical_model.events import CourtCaseRegistered, HearingRecorded
from gateway.bootstrap import Gateway
from gateway.cli import scenario

CASE = scenario.refs(42)


def send_police(http: TestClient, headers: dict[str, str], message: dict[str, Any]) -> Any:
    return http.post(
        "/v1/police/messages",
        content=json.dumps(message),
        headers=headers | {"Content-Type": "application/json"},
    )


def send_court(http: TestClient, gateway: Gateway, headers: dict[str, str], payload: Any) -> Any:
    body = gateway.adapters.get("courts").encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
    return http.post(
        "/v1/courts/messages", content=body, headers=headers | {"Content-Type": "application/xml"}
    )


def test_a_hearing_before_the_cnr_is_linked_waits_for_it(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    police = key_for("police", "MH")
    court = key_for("courts", "MHAU01")
    operator = key_for("operator", "NIC")
    assert send_police(http, police, scenario.fir_registered(CASE)).status_code == 202
    # Produced before the court for remand: the court is seized (BNSS ss.58, 187).
    assert send_police(http, police, scenario.person_arrested(CASE)).status_code == 202
    early = send_court(
        http,
        gateway,
        court,
        HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[1]}),
    )
    assert early.status_code == 202
    held = early.json()
    assert held["status"] == "held"
    assert held["waiting_for"] == [CASE.cnr.key()]
    assert held["event_ids"] == []
    log_entry = http.get(f"/v1/messages/{held['receipt_id']}", headers=operator).json()
    assert log_entry["status"] == "held"

    registered = send_court(
        http,
        gateway,
        court,
        CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)}),
    )
    assert registered.json()["status"] == "accepted"

    released = http.get(f"/v1/messages/{held['receipt_id']}", headers=court).json()
    assert released["status"] == "accepted"
    assert len(released["event_ids"]) == 1
    assert released["waiting_for"] == []
    status = http.get(f"/v1/cases/{CASE.cnr}", headers=police).json()
    assert status["next_hearing_date"] == "2026-12-16"
    types = [
        e["type"]
        for e in http.get(f"/v1/cases/{CASE.cnr}/timeline", headers=police).json()["events"]
    ]
    assert types == [
        "icjs.fir.registered",
        "icjs.person.arrested",
        "icjs.court_case.registered",
        "icjs.hearing.recorded",
    ]


def test_a_chain_of_early_messages_is_released_in_order(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    """Charge sheet before its FIR, hearing before the registration, registration before the FIR:
    the FIR releases the charge sheet and the registration, which releases the hearing."""
    police = key_for("police", "MH/AU/CIDCO")
    court = key_for("courts", "MHAU01")
    assert send_police(http, police, scenario.chargesheet_filed(CASE)).json()["status"] == "held"
    assert (
        send_court(
            http,
            gateway,
            court,
            HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]}),
        ).json()["status"]
        == "held"
    )
    assert (
        send_court(
            http,
            gateway,
            court,
            CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)}),
        ).json()["status"]
        == "held"
    )
    feed = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court).json()
    assert feed["items"] == []

    fir = send_police(http, police, scenario.fir_registered(CASE)).json()
    assert fir["status"] == "accepted"

    events = http.get(f"/v1/cases/{CASE.fir}/timeline", headers=police).json()["events"]
    assert [e["type"] for e in events] == [
        "icjs.fir.registered",
        "icjs.chargesheet.filed",
        "icjs.court_case.registered",
        "icjs.hearing.recorded",
    ]
    feed = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court).json()
    assert [i["caseId"] for i in feed["items"]] == [fir["case_ids"][0]]
    status = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()
    assert status["court_stage"] == "pending"
    assert status["next_hearing_date"] == "2026-11-25"
