"""The spine end to end over HTTP: police register an FIR and file a charge sheet, the court
pulls it, registers the case and records hearings, the police read the status."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from canonical_model.events import (
    CourtCaseRegistered,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from contracts.loader import validate_json, validate_xml
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.cases import rebuild_status

CASE = scenario.refs(123)
POLICE = "MH/AU"


def post_police(
    http: TestClient, headers: dict[str, str], message: dict[str, Any]
) -> dict[str, Any]:
    response = http.post(
        "/v1/police/messages",
        content=json.dumps(message),
        headers=headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


def post_court(
    http: TestClient, gateway: Gateway, headers: dict[str, str], payload: Any, media_type: str
) -> dict[str, Any]:
    body = gateway.adapters.get("courts").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    response = http.post(
        "/v1/courts/messages", content=body, headers=headers | {"Content-Type": media_type}
    )
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.fixture
def police(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("police", POLICE)
    return headers


@pytest.fixture
def court(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("courts", str(CASE.court))
    return headers


def registration() -> CourtCaseRegistered:
    return CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})


def hearing(n: int) -> HearingRecorded:
    return HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[n]})


def test_the_whole_path(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> None:
    fir = post_police(http, police, scenario.fir_registered(CASE))
    assert fir["status"] == "accepted" and fir["message_type"] == "fir.registered"
    case_id = fir["case_ids"][0]
    arrest = post_police(http, police, scenario.person_arrested(CASE))
    assert arrest["case_ids"] == [case_id]
    sheet = post_police(http, police, scenario.chargesheet_filed(CASE))
    assert sheet["status"] == "accepted"

    # The court pulls its feed in both of its formats, each valid against its contract.
    as_json = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court)
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith(
        "application/json"
    )
    page = as_json.json()
    assert validate_json("courts/v1/chargesheet-feed.schema.json", page) == []
    assert len(page["items"]) == 1
    item = page["items"][0]
    assert item["caseId"] == case_id
    assert str(CASE.fir) in json.dumps(item)
    assert "Ramesh Shankar Jadhav" in json.dumps(item)
    as_xml = http.get(
        "/v1/courts/feed", params={"court": "MHAU01"}, headers=court | {"Accept": "application/xml"}
    )
    assert as_xml.status_code == 200 and as_xml.headers["content-type"].startswith(
        "application/xml"
    )
    root = etree.fromstring(as_xml.content)
    assert validate_xml("courts/v1/chargesheet-feed.xsd", root) == []
    assert as_xml.text.count("Salim Yusuf Shaikh") >= 1

    # The court registers the case (JSON) and records two hearings (XML).
    reg = post_court(http, gateway, court, registration(), "application/json")
    assert reg["status"] == "accepted" and reg["case_ids"] == [case_id]
    for n in (0, 1):
        assert (
            post_court(http, gateway, court, hearing(n), "application/xml")["status"] == "accepted"
        )

    status = http.get(f"/v1/cases/{CASE.fir}", headers=police)
    assert status.status_code == 200, status.text
    body = status.json()
    assert body["case_id"] == case_id
    assert body["identifiers"]["fir"] == [str(CASE.fir)]
    assert body["identifiers"]["cnr"] == [str(CASE.cnr)]
    assert body["police_stage"] == "charge_sheet_filed"
    assert body["court_stage"] == "pending"
    assert body["court"] == "MHAU01"
    assert body["next_hearing_date"] == "2026-12-16"
    assert body["last_hearing"]["purpose"] == "Framing of charge"
    accused = {a["ref"]: a for a in body["accused"]}
    assert accused["A1"]["police_status"] == "charge_sheeted"
    assert accused["A1"]["arrested_at"] is not None
    assert accused["A1"]["custody"] == "judicial_custody"
    assert accused["A1"]["court_status"] == "under_trial"
    assert accused["A2"]["custody"] == "absconding"

    # Every identifier of the case reaches the same status; the court may read it too.
    for ref in (
        case_id,
        str(CASE.cnr),
        CASE.cnr.dashed(),
        str(CASE.fir),
        f"MHAU01/RCC/{CASE.cnr.serial}/2026",
    ):
        again = http.get(f"/v1/cases/{ref}", headers=court)
        assert again.status_code == 200, (ref, again.text)
        assert again.json()["case_id"] == case_id

    timeline = http.get(f"/v1/cases/{CASE.cnr}/timeline", headers=police).json()["events"]
    assert [e["type"] for e in timeline] == [
        "icjs.fir.registered",
        "icjs.person.arrested",
        "icjs.chargesheet.filed",
        "icjs.court_case.registered",
        "icjs.hearing.recorded",
        "icjs.hearing.recorded",
    ]
    assert [e["pillar"] for e in timeline] == ["police"] * 3 + ["courts"] * 3
    assert [e["sequence"] for e in timeline] == sorted(e["sequence"] for e in timeline)
    assert all(e["summary"] for e in timeline)
    court_view = http.get(f"/v1/cases/{case_id}/timeline", headers=court).json()["events"]
    assert all("data" not in e for e in court_view), "courts get summaries, not raw event data"

    # The stored status is exactly the fold of the event log.
    with gateway.db.session() as session:
        # (forensic_visit, the BNSS s.176(3) check, and the statutory clocks are computed when
        # read and never stored.)
        assert body["clocks"], "the read shows the case's clocks"
        assert rebuild_status(session, case_id).model_dump(mode="json") == {
            **body,
            "forensic_visit": None,
            "clocks": None,
        }


def test_orders_and_judgment_reach_each_accused(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> None:
    post_police(http, police, scenario.fir_registered(CASE))
    post_police(http, police, scenario.chargesheet_filed(CASE))
    post_court(http, gateway, court, registration(), "application/xml")
    bail = OrderIssued.model_validate(
        {
            "order": {
                "cnr": str(CASE.cnr),
                "order_number": "ORD-1",
                "order_date": "2026-11-02",
                "kind": "bail_granted",
                "accused_refs": ["A1"],
                "text": "A1 released on bail on a bond of Rs. 25,000 with one surety.",
            }
        }
    )
    post_court(http, gateway, court, bail, "application/json")
    judgment = JudgmentDelivered.model_validate(
        {
            "judgment": {
                "cnr": str(CASE.cnr),
                "judgment_date": "2027-03-15",
                "verdicts": [
                    {
                        "accused_ref": "A1",
                        "verdict": "convicted",
                        "offences": [{"act": "BNS", "section": "309(6)"}],
                        "sentence": {"imprisonment_months": 84, "fine_inr": 10000},
                    },
                    {"accused_ref": "A2", "verdict": "acquitted"},
                ],
            }
        }
    )
    post_court(http, gateway, court, judgment, "application/xml")
    body = http.get(f"/v1/cases/{CASE.cnr}", headers=police).json()
    assert body["court_stage"] == "disposed"
    assert body["judgment_date"] == "2027-03-15"
    assert body["next_hearing_date"] is None
    accused = {a["ref"]: a for a in body["accused"]}
    assert accused["A1"]["verdict"] == "convicted"
    assert accused["A1"]["sentence"]["imprisonment_months"] == 84
    assert accused["A1"]["last_order"] == "bail_granted on 2026-11-02"
    assert accused["A2"]["verdict"] == "acquitted"
    assert accused["A2"]["sentence"] is None


def test_feed_pages_are_stable_and_complete(
    http: TestClient, police: dict[str, str], court: dict[str, str]
) -> None:
    cases = [scenario.refs(n) for n in range(1, 8)]
    for case in cases:
        post_police(http, police, scenario.fir_registered(case))
        post_police(http, police, scenario.chargesheet_filed(case))
    seen: list[str] = []
    cursors: list[str] = []
    after: str | None = None
    for _ in range(10):
        params = {"court": "MHAU01", "limit": "3"} | ({"after": after} if after else {})
        page = http.get("/v1/courts/feed", params=params, headers=court).json()
        seen += [i["caseId"] for i in page["items"]]
        cursors += [i["cursor"] for i in page["items"]]
        after = page.get("nextCursor")
        if not after:
            break
    assert len(seen) == 7 and len(set(seen)) == 7
    assert [int(c) for c in cursors] == sorted(int(c) for c in cursors)
    # Reading again from the start gives the same order.
    again = http.get(
        "/v1/courts/feed", params={"court": "MHAU01", "limit": "7"}, headers=court
    ).json()
    assert [i["caseId"] for i in again["items"]] == seen
    # Resuming after the last item gives nothing new.
    tail = http.get(
        "/v1/courts/feed", params={"court": "MHAU01", "after": cursors[-1]}, headers=court
    ).json()
    assert tail["items"] == []


def test_a_resent_message_is_answered_with_its_first_receipt(
    http: TestClient, police: dict[str, str]
) -> None:
    first = post_police(http, police, scenario.fir_registered(CASE))
    again = http.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(CASE)),
        headers=police | {"Content-Type": "application/json"},
    )
    assert again.status_code == 200
    assert again.json()["receipt_id"] == first["receipt_id"]
    assert again.json()["duplicate"] is True
    timeline = http.get(f"/v1/cases/{CASE.fir}/timeline", headers=police).json()["events"]
    assert len(timeline) == 1


def test_a_second_registration_of_the_same_fir_is_a_conflict(
    http: TestClient, police: dict[str, str]
) -> None:
    post_police(http, police, scenario.fir_registered(CASE))
    changed = scenario.fir_registered(CASE)
    changed["data"]["fir"]["brief_facts"] = "A different story."
    response = http.post(
        "/v1/police/messages",
        content=json.dumps(changed),
        headers=police | {"Content-Type": "application/json"},
    )
    assert response.status_code == 409
    assert str(CASE.fir) in response.json()["message"]
