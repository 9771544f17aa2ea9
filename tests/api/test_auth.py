"""Every /v1 call needs a key bound to a pillar and an institution: 401 without a good key,
403 with a good key on someone else's data."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.store.tables import ClientRow

CASE = scenario.refs(9)


def test_missing_or_unknown_key_is_401(http: TestClient) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer icjs_police_" + "x" * 43},
        {"Authorization": "Basic abc"},
    ):
        response = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["code"] == "unauthenticated"
    assert http.get("/v1/contracts").status_code == 401
    assert http.post("/v1/police/messages", content=b"{}").status_code == 401


def test_keys_are_stored_hashed(gateway: Gateway, key_for: Any) -> None:
    header = key_for("courts", "MHAU01")["Authorization"]
    key = header.removeprefix("Bearer ")
    with gateway.db.session() as session:
        row = session.exec(select(ClientRow)).one()
    assert key not in (row.key_hash, row.key_prefix)
    assert len(row.key_hash) == 64 and key.startswith(row.key_prefix)


def test_a_court_reads_only_its_own_feed(http: TestClient, key_for: Any) -> None:
    court = key_for("courts", "MHAU01")
    assert http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court).status_code == 200
    other = http.get("/v1/courts/feed", params={"court": "MHPU02"}, headers=court)
    assert other.status_code == 403
    assert "MHAU01" in other.json()["message"]
    police = key_for("police", "MH")
    assert (
        http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=police).status_code == 403
    )


def test_police_send_only_for_their_own_stations(http: TestClient, key_for: Any) -> None:
    pune = key_for("police", "MH/PU")
    response = http.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(CASE)),
        headers=pune | {"Content-Type": "application/json"},
    )
    assert response.status_code == 403
    assert "MH/AU/CIDCO" in response.json()["message"]
    court = key_for("courts", "MHAU01")
    wrong_pillar = http.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(CASE)),
        headers=court | {"Content-Type": "application/json"},
    )
    assert wrong_pillar.status_code == 403


def test_cases_are_read_only_within_jurisdiction(http: TestClient, key_for: Any) -> None:
    police = key_for("police", "MH/AU/CIDCO")
    http.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(CASE)),
        headers=police | {"Content-Type": "application/json"},
    )
    assert http.get(f"/v1/cases/{CASE.fir}", headers=police).status_code == 200
    assert http.get(f"/v1/cases/{CASE.fir}", headers=key_for("police", "MH")).status_code == 200
    # A case outside the caller's rights is answered as an unknown one would be (no oracle).
    assert http.get(f"/v1/cases/{CASE.fir}", headers=key_for("police", "MH/PU")).status_code == 404
    assert http.get(f"/v1/cases/{CASE.fir}", headers=key_for("courts", "MHAU01")).status_code == 404
    assert http.get(f"/v1/cases/{CASE.fir}", headers=key_for("operator", "NIC")).status_code == 200


def test_only_operators_search_the_message_log(http: TestClient, key_for: Any) -> None:
    assert http.get("/v1/admin/messages", headers=key_for("police", "MH")).status_code == 403
    assert http.get("/v1/admin/messages", headers=key_for("operator", "NIC")).status_code == 200
