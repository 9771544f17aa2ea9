"""Who read what: every read is recorded on the audit chain (caller, institution, pillar, path,
case ids, time, request id, X-Purpose), failed reads too; operators query the access log by
any identifier of a case, client and time; the police of a case see who read it."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.audit_ops import verify_store
from gateway.services.cases import not_known

CASE = scenario.refs(11)
UNKNOWN_FIR = "MH/AU/CIDCO/2026/9999"


def post(http: TestClient, headers: dict[str, str], message: dict[str, Any]) -> dict[str, Any]:
    response = http.post(
        "/v1/police/messages",
        content=json.dumps(message),
        headers=headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def reads(http: TestClient, operator: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """The access log as an operator queries it (the query is a read, recorded after it)."""
    response = http.get("/v1/admin/access-log", params=params, headers=operator)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["reads"]
    return found


def case_reads(http: TestClient, operator: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """The reads of case endpoints (not the operator's own queries of the log)."""
    return [r for r in reads(http, operator, **params) if r["path"].startswith("/v1/cases/")]


def test_reads_are_recorded_and_operators_query_them(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    police = key_for("police", "MH/AU")
    operator = key_for("operator", "NIC")
    case_id = post(http, police, scenario.fir_registered(CASE))["case_ids"][0]
    asked = police | {"X-Purpose": "bail hearing on 12 Dec", "X-Request-ID": "req-access-1"}
    assert http.get(f"/v1/cases/{CASE.fir}", headers=asked).status_code == 200
    assert http.get(f"/v1/cases/{case_id}/timeline", headers=police).status_code == 200
    assert http.get(f"/v1/cases/{UNKNOWN_FIR}", headers=police).status_code == 404

    by_case = case_reads(http, operator, case=CASE.fir)
    assert [r["path"] for r in by_case] == [
        f"/v1/cases/{case_id}/timeline",
        f"/v1/cases/{CASE.fir}",
    ]
    status_read = by_case[1]
    assert status_read["case_ids"] == [case_id]
    assert status_read["client_name"] == "test-police"
    assert (status_read["institution"], status_read["pillar"]) == ("MH/AU", "police")
    assert (status_read["method"], status_read["status"]) == ("GET", 200)
    assert status_read["request_id"] == "req-access-1"
    assert status_read["purpose"] == "bail hearing on 12 Dec"
    assert by_case[0]["purpose"] is None and by_case[0]["request_id"]
    # the same case by its case id; the operator's query by case is a read of the case too
    again = reads(http, operator, case=case_id)
    assert [r["id"] for r in again if r["path"].startswith("/v1/cases/")] == [
        r["id"] for r in by_case
    ]
    assert [r["path"] for r in again if r["pillar"] == "operator"] == ["/v1/admin/access-log"]

    everything = reads(http, operator)
    failed = [r for r in everything if r["path"] == f"/v1/cases/{UNKNOWN_FIR}"]
    assert len(failed) == 1
    assert failed[0]["status"] == 404 and failed[0]["case_ids"] == []
    # the operator's own queries are reads too
    assert any(
        r["path"] == "/v1/admin/access-log" and r["pillar"] == "operator" for r in everything
    )

    police_client = status_read["client_id"]
    mine = reads(http, operator, client=police_client)
    assert {r["client_id"] for r in mine} == {police_client} and len(mine) == 3
    assert reads(http, operator, case=CASE.fir, **{"from": "2100-01-01T00:00:00"}) == []
    assert reads(http, operator, case=CASE.fir, to="2000-01-01T00:00:00Z") == []
    assert len(case_reads(http, operator, case=CASE.fir, to="2100-01-01T00:00:00Z")) == 2

    refused = http.get("/v1/admin/access-log", headers=police)
    assert refused.status_code == 403
    unknown = http.get("/v1/admin/access-log", params={"case": UNKNOWN_FIR}, headers=operator)
    assert unknown.status_code == 404
    denied = [r for r in reads(http, operator) if r["status"] in (403, 404)]
    assert {(r["pillar"], r["status"]) for r in denied} >= {("police", 403), ("operator", 404)}

    report = verify_store(gateway.db, gateway.settings)
    assert report.ok, [str(f) for f in report.findings]


def test_the_police_of_a_case_see_who_read_it_and_no_one_else_does(
    http: TestClient, key_for: Any
) -> None:
    police = key_for("police", "MH/AU")
    operator = key_for("operator", "NIC")
    elsewhere = key_for("police", "MH/PU")
    court = key_for("courts", "MHAU01")
    case_id = post(http, police, scenario.fir_registered(CASE))["case_ids"][0]
    seen = http.get(f"/v1/cases/{CASE.fir}", headers=operator | {"X-Purpose": "inspection"})
    assert seen.status_code == 200
    assert http.get(f"/v1/cases/{CASE.fir}", headers=elsewhere).status_code == 404

    log = http.get(f"/v1/cases/{CASE.fir}/access-log", headers=police)
    assert log.status_code == 200, log.text
    body = log.json()
    assert body["case_id"] == case_id
    operator_read = [r for r in body["reads"] if r["pillar"] == "operator"]
    assert len(operator_read) == 1 and operator_read[0]["purpose"] == "inspection"
    # a read that failed names no case, so it is not the case's
    assert all(r["status"] == 200 for r in body["reads"])

    for other in (elsewhere, court):
        refused = http.get(f"/v1/cases/{CASE.fir}/access-log", headers=other)
        assert refused.status_code == 404
        assert refused.json()["message"] == not_known(str(CASE.fir))


def test_feed_pages_messages_and_look_ups_are_recorded(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    police = key_for("police", "MH/AU")
    court = key_for("courts", "MHAU01")
    operator = key_for("operator", "NIC")
    fir = post(http, police, scenario.fir_registered(CASE))
    case_id = fir["case_ids"][0]
    post(http, police, scenario.chargesheet_filed(CASE))
    feed = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court)
    assert feed.status_code == 200
    assert http.get(f"/v1/messages/{fir['receipt_id']}", headers=police).status_code == 200
    assert http.get("/v1/vehicles/MH12ZZ0001", headers=police).status_code == 404
    assert http.get("/v1/admin/messages", headers=operator).status_code == 200

    log = {r["path"]: r for r in reads(http, operator)}
    assert log["/v1/courts/feed"]["case_ids"] == [case_id]
    assert log["/v1/courts/feed"]["pillar"] == "courts"
    assert log[f"/v1/messages/{fir['receipt_id']}"]["case_ids"] == [case_id]
    assert log["/v1/vehicles/MH12ZZ0001"]["status"] == 404
    assert log["/v1/admin/messages"]["case_ids"] == [case_id]


def test_recording_reads_can_be_turned_off_for_a_benchmark_baseline(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    police = key_for("police", "MH/AU")
    operator = key_for("operator", "NIC")
    post(http, police, scenario.fir_registered(CASE))
    gateway.settings = gateway.settings.model_copy(update={"audit_record_reads": False})
    assert http.get(f"/v1/cases/{CASE.fir}", headers=police).status_code == 200
    gateway.settings = gateway.settings.model_copy(update={"audit_record_reads": True})
    assert case_reads(http, operator, case=CASE.fir) == []
    assert http.get(f"/v1/cases/{CASE.fir}", headers=police).status_code == 200
    assert len(case_reads(http, operator, case=CASE.fir)) == 1


def test_undertrials_licences_and_operators_views_are_recorded(
    http: TestClient, key_for: Any
) -> None:
    prison = key_for("prisons", "HARSUL_CP")
    police = key_for("police", "MH/AU")
    operator = key_for("operator", "NIC")
    assert http.get("/v1/prisons/HARSUL_CP/undertrials", headers=prison).status_code == 200
    assert http.get("/v1/prisons/OTHER_CP/undertrials", headers=prison).status_code == 403
    assert http.get("/v1/licences/MH1420110012345", headers=police).status_code == 404
    assert http.get("/v1/admin/dead-letters", headers=operator).status_code == 200
    assert http.get("/v1/admin/institutions", headers=operator).status_code == 200

    log = {(r["path"], r["status"]): r for r in reads(http, operator)}
    assert log[("/v1/prisons/HARSUL_CP/undertrials", 200)]["pillar"] == "prisons"
    assert log[("/v1/prisons/OTHER_CP/undertrials", 403)]["institution"] == "HARSUL_CP"
    assert log[("/v1/licences/MH1420110012345", 404)]["case_ids"] == []
    assert ("/v1/admin/dead-letters", 200) in log
    assert ("/v1/admin/institutions", 200) in log
