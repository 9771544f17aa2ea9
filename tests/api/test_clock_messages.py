"""The statutory clocks' messages end to end, on both stores: the police's remand kind and
investigation steps (canonical JSON), the court's cognizance, hearing stages, an extension and
a High Court's stay and its vacating (the courts' JSON and XML) reach the clocks of the case,
GET /v1/deadlines for the police and the court, and the deadline events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import col, select

from canonical_model.clock_facts import IST
from canonical_model.events import CourtCaseRegistered, HearingRecorded, OrderIssued
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.deadlines import emit_deadlines
from gateway.store.tables import EventRow
from tests.conftest import as_json

CASE = scenario.refs(211)
RAPE = [{"act": "BNS", "section": "64(1)"}]
JSON = "application/json"
XML = "application/xml"


def _police(http: TestClient, police: dict[str, str], message: dict[str, Any]) -> str:
    answer = http.post(
        "/v1/police/messages",
        content=as_json(message),
        headers=police | {"Content-Type": JSON},
    )
    assert answer.status_code == 202, answer.text
    case_id: str = answer.json()["case_ids"][0]
    return case_id


def _court(
    http: TestClient, gateway: Gateway, headers: dict[str, str], payload: Any, media_type: str
) -> int:
    body = gateway.adapters.get("courts").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    answer = http.post(
        "/v1/courts/messages", content=body, headers=headers | {"Content-Type": media_type}
    )
    status: int = answer.status_code
    return status


def _order(number: str, on: str, kind: str, **more: Any) -> OrderIssued:
    data = {"cnr": str(CASE.cnr), "order_number": number, "order_date": on, "kind": kind}
    return OrderIssued.model_validate({"order": data | more})


def _hearing(on: str, stage: str) -> HearingRecorded:
    data = {"cnr": str(CASE.cnr), "hearing_date": on, "purpose": stage, "stage": stage}
    return HearingRecorded.model_validate({"hearing": data})


def _step(kind: str, on: str, **more: Any) -> dict[str, Any]:
    step = {"fir": str(CASE.fir), "kind": kind, "on": on} | more
    return {"type": "investigation.step", "data": {"step": step}}


def _deadlines(http: TestClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    answer = http.get("/v1/deadlines", headers=headers)
    assert answer.status_code == 200, answer.text
    return {d["key"]: d for d in answer.json()["deadlines"]}


def test_the_clock_messages_reach_the_clocks_and_the_deadline_events(
    http: TestClient, gateway: Gateway, police: dict[str, str], key_for: Any
) -> None:
    fir = scenario.fir_registered(CASE)
    fir["data"]["fir"]["offences"] = RAPE
    case_id = _police(http, police, fir)
    # Produced on 18 August and remanded to police custody to 21 August (s.187(2)).
    arrest = scenario.person_arrested(CASE)
    arrest["data"]["arrest"] |= {"remanded_to": "police", "remanded_until": "2026-08-21"}
    _police(http, police, arrest)
    _police(
        http, police, _step("medical_examination", "2026-08-15", at="2026-08-15T09:00:00+05:30")
    )
    sheet = scenario.chargesheet_filed(CASE)  # filed on 9 October in MHAU01
    sheet["data"]["report"]["offences"] = RAPE
    for charged in sheet["data"]["report"]["accused"]:
        charged["offences"] = RAPE
    _police(http, police, sheet)

    court = key_for("courts", str(CASE.court))
    registration = CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})
    assert _court(http, gateway, court, registration, JSON) == 202
    assert _court(http, gateway, court, _order("C1", "2026-10-12", "cognizance"), XML) == 202
    assert _court(http, gateway, court, _hearing("2026-10-28", "appearance"), JSON) == 202
    extension = _order("E1", "2026-12-20", "extension", provision="BNSS 232", until="2027-03-01")
    assert _court(http, gateway, court, extension, XML) == 202
    # The High Court stays the proceedings from 1 to 5 November; a Magistrate's court that is
    # not seized may not.
    high_court = key_for("courts", "MHHC01")
    stay = _order("HC1", "2026-11-01", "stay", issued_by="MHHC01")
    assert (
        _court(
            http,
            gateway,
            key_for("courts", "MHAU02"),
            stay.model_copy(
                update={"order": stay.order.model_copy(update={"issued_by": "MHAU02"})}
            ),
            JSON,
        )
        == 403
    )
    assert _court(http, gateway, high_court, stay, JSON) == 202
    vacated = _order("HC2", "2026-11-05", "stay_vacated", issued_by="MHHC01")
    assert _court(http, gateway, high_court, vacated, XML) == 202

    # 17 November: the copies of s.230 (due 11 November, five days of stay added: 16 November)
    # were not furnished; the committal (s.232) is due on 10 January 2027, plus the stay.
    gateway.clock = lambda: dt.datetime(2026, 11, 17, 12, 0, tzinfo=IST)
    mine = _deadlines(http, court)
    assert mine["BNSS 230"]["state"] == "overdue"
    assert mine["BNSS 230"]["due_on"] == "2026-11-16"
    assert mine["BNSS 230"]["institution"] == str(CASE.court)
    assert (mine["BNSS 232"]["state"], mine["BNSS 232"]["due_on"]) == ("due", "2027-01-15")
    written = emit_deadlines(gateway.db, settings=gateway.settings, now=gateway.clock())
    assert written >= 1
    with gateway.db.session() as session:
        logged = session.exec(
            select(EventRow).where(
                EventRow.case_id == case_id, col(EventRow.type) == "icjs.deadline.breached"
            )
        ).all()
    breached = {e.envelope["data"]["deadline"]["provision"] for e in logged}
    assert "BNSS 230" in breached and "BNSS 232" not in breached

    # 21 December: the extension to 1 March 2027 (and the five days stayed) holds the committal.
    gateway.clock = lambda: dt.datetime(2026, 12, 21, 12, 0, tzinfo=IST)
    mine = _deadlines(http, court)
    committal = mine["BNSS 232"]
    assert (committal["due_on"], committal["extended"], committal["state"]) == (
        "2027-03-06",
        True,
        "due",
    )
    assert "E1" in committal["extended_by"]
    theirs = _deadlines(http, police)
    assert theirs["BNSS 187(2)/A1"]["state"] == "met"  # four days of police custody
    assert theirs["BNSS 184(1)"]["state"] == "met"
    assert theirs["BNSS 184(6)"]["state"] == "overdue"  # no report from the practitioner
    assert theirs["BNSS 193(3)(ii)"]["state"] == "met"  # the charge sheet came first
    case = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()
    assert {c["key"] for c in case["clocks"]} >= {"BNSS 187(2)/A1", "BNSS 230", "BNSS 232"}
