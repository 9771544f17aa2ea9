"""GET /v1/deadlines and the clocks on GET /v1/cases/{ref}, on both stores: who reads which
clocks, the state filter, the access log, and the errors a caller can hit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from canonical_model.clock_facts import IST
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from tests.conftest import as_json

CASE = scenario.refs(41)


def _rape_case(http: TestClient, police: dict[str, str]) -> None:
    fir = scenario.fir_registered(CASE)
    fir["data"]["fir"]["offences"] = [{"act": "BNS", "section": "64(1)"}]
    arrest = scenario.person_arrested(CASE)
    del arrest["data"]["arrest"]["produced_before"]
    del arrest["data"]["arrest"]["produced_at"]
    for message in (fir, arrest):
        answer = http.post(
            "/v1/police/messages",
            content=as_json(message),
            headers=police | {"Content-Type": "application/json"},
        )
        assert answer.status_code == 202, answer.text


def _at(gateway: Gateway, when: str) -> None:
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=IST)
    gateway.clock = lambda: moment


def test_the_police_read_their_clocks_and_the_case_shows_them(
    http: TestClient, gateway: Gateway, police: dict[str, str], key_for: Any
) -> None:
    _rape_case(http, police)
    # Arrested 17 August 11:05; by 18 August 11:06 the 24 hours of s.58 have run out.
    _at(gateway, "2026-08-18T11:06:00")
    answer = http.get("/v1/deadlines", headers=police)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["as_of"], body["pillar"], body["institution"]) == ("2026-08-18", "police", "MH/AU")
    by_provision = {d["provision"]: d for d in body["deadlines"]}
    # Rape is punishable with life: a forensic expert visits the scene too (s.176(3)); the
    # victim is sent for medical examination within 24 hours of the information (s.184(1)),
    # and the informant told of progress within 90 days (s.193(3)(ii)).
    assert set(by_provision) == {
        "BNSS 58",
        "BNSS 193(2)",
        "BNSS 176(3)",
        "BNSS 184(1)",
        "BNSS 193(3)(ii)",
    }
    assert by_provision["BNSS 58"]["state"] == "overdue"
    assert by_provision["BNSS 184(1)"]["state"] == "overdue"
    assert by_provision["BNSS 193(3)(ii)"]["due_on"] == "2026-11-12"
    assert by_provision["BNSS 58"]["accused_ref"] == "A1"
    assert by_provision["BNSS 58"]["fir"] == str(CASE.fir)
    assert by_provision["BNSS 193(2)"]["due_on"] == "2026-10-14"
    assert by_provision["BNSS 193(2)"]["state"] == "due"

    only_overdue = http.get("/v1/deadlines", params={"state": "overdue"}, headers=police).json()
    assert [d["provision"] for d in only_overdue["deadlines"]] == ["BNSS 184(1)", "BNSS 58"]
    station = http.get(
        "/v1/deadlines", params={"institution": "MH/AU/CIDCO"}, headers=police
    ).json()
    assert len(station["deadlines"]) == 5

    case = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()
    assert {c["provision"] for c in case["clocks"]} == set(by_provision)

    operator = key_for("operator", "NIC")
    everything = http.get("/v1/deadlines", headers=operator).json()
    assert {d["provision"] for d in everything["deadlines"]} == set(by_provision)
    # The court is not yet seized: none of these clocks is its.
    court = key_for("courts", "MHAU01")
    assert http.get("/v1/deadlines", headers=court).json()["deadlines"] == []


def test_who_may_not_read_is_told_what_is_wrong(
    http: TestClient, gateway: Gateway, police: dict[str, str], key_for: Any
) -> None:
    _rape_case(http, police)
    other_district = http.get("/v1/deadlines", params={"institution": "MH/PU"}, headers=police)
    assert other_district.status_code == 403
    assert "MH/PU" in other_district.json()["message"]
    lab = http.get("/v1/deadlines", headers=key_for("forensics", "RFSL_AU"))
    assert lab.status_code == 403
    assert "forensics" in lab.json()["message"]
    other_court = http.get(
        "/v1/deadlines", params={"institution": "MHAU02"}, headers=key_for("courts", "MHAU01")
    )
    assert other_court.status_code == 403
    bad_state = http.get("/v1/deadlines", params={"state": "late"}, headers=police)
    assert bad_state.status_code == 422
    assert bad_state.json()["errors"][0]["location"] == "/query/state/0"
    assert http.get("/v1/deadlines").status_code == 401


def test_a_read_of_deadlines_is_in_the_access_log(
    http: TestClient, gateway: Gateway, police: dict[str, str], key_for: Any
) -> None:
    _rape_case(http, police)
    _at(gateway, "2026-08-18T12:00:00")
    assert http.get("/v1/deadlines", headers=police, params={"state": "due"}).status_code == 200
    log = http.get("/v1/admin/access-log", headers=key_for("operator", "NIC")).json()
    reads = [r for r in log["reads"] if r["path"] == "/v1/deadlines"]
    assert len(reads) == 1
    assert reads[0]["pillar"] == "police" and reads[0]["status"] == 200
    assert len(reads[0]["case_ids"]) == 1
