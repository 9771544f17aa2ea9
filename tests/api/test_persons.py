"""The person index over HTTP (embedded mode, SQLite and PostgreSQL): accused and arrested
persons of FIRs in two States become one person when they carry the same document, search
finds them by any spelling with the reasons, antecedents show both cases with their stages,
victims, complainants, witnesses and children in conflict with law are never shown, every
search states its purpose (kept in the access log), the review queue's decisions take effect
and are kept, and a verifier learns where to refer an applicant, never a case.

Messages go in through the pillars' endpoints; the index is filled by its consumer on the
in-process bus, as in a running gateway.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from canonical_model.identifiers import Fir
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.access_log import read_access_log
from gateway.store.tables import PersonLinkRow, PersonRecordRow

JSON = "application/json"
PURPOSE = {"X-Purpose": "investigation of FIR MH/AU/CIDCO/2026/0001"}
#: The same Aadhaar number (masked as printed) in both FIRs: one person.
AADHAAR = {"kind": "aadhaar", "number": "XXXX-XXXX-4821"}


def fir_message(fir: str, accused: list[dict[str, Any]]) -> dict[str, Any]:
    """The scenario FIR, registered as ``fir`` with ``accused``."""
    message = copy.deepcopy(scenario.fir_registered(scenario.refs(1)))
    message["data"]["fir"]["fir"] = fir
    message["data"]["fir"]["accused"] = accused
    return message


def post(http: TestClient, headers: dict[str, str], message: dict[str, Any]) -> None:
    answer = http.post(
        "/v1/police/messages",
        content=json.dumps(message).encode(),
        headers=headers | {"Content-Type": JSON},
    )
    assert answer.status_code == 202, answer.text


@pytest.fixture
def two_states(http: TestClient, key_for: Any) -> dict[str, dict[str, str]]:
    """Ramesh Shankar Jadhav accused in an FIR of Chhatrapati Sambhajinagar (MH) and, written
    in Devanagari with the same Aadhaar, in one of Bengaluru (KA); a juvenile co-accused in the
    second."""
    mh = key_for("police", "MH/AU/CIDCO")
    ka = key_for("police", "KA")
    post(http, mh, fir_message("MH/AU/CIDCO/2026/0001", scenario._accused()))
    post(http, mh, scenario.person_arrested(scenario.refs(1)))
    ka_fir = fir_message(
        "KA/BN/HALASURU/2026/0042",
        [
            {
                "ref": "A1",
                "name": "रमेश शंकर जाधव",
                "father_name": "शंकर जाधव",
                "gender": "male",
                "age": 28,
                "identity_documents": [AADHAAR],
            },
            {
                "ref": "A2",
                "name": "Raju Ramesh Jadhav",
                "father_name": "Ramesh Jadhav",
                "gender": "male",
                "age": 16,
                "juvenile": True,
            },
        ],
    )
    ka_fir["data"]["fir"]["place"] = {"description": "MG Road", "state": "KA"}
    post(http, ka, ka_fir)
    return {"mh": mh, "ka": ka, "ops": key_for("operator", "NIC")}


def search(http: TestClient, headers: dict[str, str], **params: Any) -> Any:
    answer = http.get("/v1/persons/search", params=params, headers=headers | PURPOSE)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def test_one_person_across_two_states_by_a_shared_document(
    http: TestClient, gateway: Gateway, two_states: dict[str, dict[str, str]]
) -> None:
    with gateway.db.session() as session:
        rows = session.exec(select(PersonRecordRow).order_by(col(PersonRecordRow.id))).all()
    by_name = {r.name: r for r in rows}
    assert set(by_name) == {
        "Ramesh Shankar Jadhav",
        "Salim Yusuf Shaikh",
        "रमेश शंकर जाधव",
        "Raju Ramesh Jadhav",
    }, "the complainant and the witness are not in the index"
    latin, devanagari = by_name["Ramesh Shankar Jadhav"], by_name["रमेश शंकर जाधव"]
    assert latin.person_id == devanagari.person_id
    assert devanagari.linked_by == "identifier"
    assert set(latin.roles) == {"accused", "arrested"}
    assert [f["kind"] for f in latin.facts] == ["named_in_fir", "arrested"]
    assert not any("4821" in i for i in latin.identifiers), "a document number is kept as a digest"
    assert by_name["Salim Yusuf Shaikh"].person_id != latin.person_id

    # Found by another spelling, surname first, with the reasons; both cases listed.
    (first, *_) = search(http, two_states["mh"], name="Jadhav Ramesh", father_name="Shankar")
    assert first["person_id"] == latin.person_id
    assert {c["fir"] for c in first["cases"]} == {
        "MH/AU/CIDCO/2026/0001",
        "KA/BN/HALASURU/2026/0042",
    }
    assert {r["field"] for r in first["reasons"]} >= {"name", "father_name"}

    # The antecedents: both cases with their stage, the arrest in the first.
    record = http.get(f"/v1/persons/{latin.person_id}", headers=two_states["ka"] | PURPOSE)
    assert record.status_code == 200, record.text
    body = record.json()
    assert body["summary"]["cases"] == 2
    assert body["summary"]["states"] == ["KA", "MH"]
    assert body["summary"]["arrests"] == 1
    mh_case = next(c for c in body["cases"] if c["fir"] == "MH/AU/CIDCO/2026/0001")
    assert mh_case["police_stage"] is not None
    assert mh_case["sections"], "the FIR's sections"
    assert any(f["kind"] == "arrested" for f in mh_case["history"])


def test_victims_witnesses_complainants_and_juveniles_are_never_results(
    http: TestClient, gateway: Gateway, two_states: dict[str, dict[str, str]]
) -> None:
    police = two_states["mh"]
    assert search(http, police, name="Vinod Prabhakar Kulkarni") == [], "the complainant"
    assert search(http, police, name="Sunita Ashok Pawar") == [], "the witness"
    with gateway.db.session() as session:
        child = session.exec(
            select(PersonRecordRow).where(col(PersonRecordRow.name) == "Raju Ramesh Jadhav")
        ).one()
    assert child.juvenile
    found = search(http, police, name="Raju Ramesh Jadhav", father_name="Ramesh Jadhav", age=16)
    assert child.person_id not in {r["person_id"] for r in found}, "a child in conflict with law"
    assert "Raju" not in json.dumps(found)
    answer = http.get(f"/v1/persons/{child.person_id}", headers=police | PURPOSE)
    assert answer.status_code == 404
    assert "Raju" not in answer.text


def test_who_may_search_and_every_search_states_its_purpose(
    http: TestClient, gateway: Gateway, two_states: dict[str, dict[str, str]], key_for: Any
) -> None:
    params = {"name": "Ramesh Jadhav"}
    police = two_states["mh"]
    refused = http.get("/v1/persons/search", params=params, headers=police)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == "X-Purpose"
    for pillar, institution in (("prisons", "HARSUL_CP"), ("transport", "VAHAN")):
        answer = http.get(
            "/v1/persons/search", params=params, headers=key_for(pillar, institution) | PURPOSE
        )
        assert answer.status_code == 403, (pillar, answer.text)
    assert http.get("/v1/persons/search", params=params, headers=PURPOSE).status_code == 401
    # A court searches for a case before it, and only such a case.
    court = key_for("courts", "MHAU01")
    answer = http.get("/v1/persons/search", params=params, headers=court | PURPOSE)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["location"] == "case"
    post(http, police, scenario.chargesheet_filed(scenario.refs(1)))
    own = http.get(
        "/v1/persons/search",
        params=params | {"case": "MH/AU/CIDCO/2026/0001"},
        headers=court | PURPOSE,
    )
    assert own.status_code == 200, own.text
    assert own.json()["results"]
    other = http.get(
        "/v1/persons/search",
        params=params | {"case": "KA/BN/HALASURU/2026/0042"},
        headers=court | PURPOSE,
    )
    assert other.status_code == 404
    # The purpose is in the access log with the search.
    with gateway.db.session() as session:
        log = read_access_log(session, limit=50)
    searches = [r for r in log if r["path"] == "/v1/persons/search" and r["status"] == 200]
    assert searches
    assert all(r["purpose"] == PURPOSE["X-Purpose"] for r in searches)


def test_a_verifier_learns_where_to_refer_never_the_case(
    http: TestClient, two_states: dict[str, dict[str, str]], key_for: Any
) -> None:
    verifier = key_for("verifier", "PSK-MUMBAI")
    assert (
        http.get(
            "/v1/persons/search", params={"name": "Ramesh Jadhav"}, headers=verifier | PURPOSE
        ).status_code
        == 403
    )
    nobody = http.get(
        "/v1/persons/verify",
        params={"name": "Anita Deshpande", "father_name": "Vasant Deshpande"},
        headers=verifier,
    )
    assert nobody.status_code == 200, nobody.text
    assert nobody.json()["outcome"] == "no_record"
    found = http.get(
        "/v1/persons/verify",
        params={
            "name": "Ramesh Shankar Jadhav",
            "father_name": "Shankar Jadhav",
            "date_of_birth": "1999-02-01",
            "state": "MH",
        },
        headers=verifier,
    )
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["outcome"] in ("record_found", "manual_review")
    text = found.text
    for detail in ("MH/AU/CIDCO/2026/0001", "case_id", "sections", "309", "Rambo", "cnr"):
        assert detail not in text, f"a verifier is never told {detail!r}"
    stations = body.get("refer_to") or body["candidates"][0]["refer_to"]
    assert "MH/AU/CIDCO" in stations
    police = http.get(
        "/v1/persons/verify", params={"name": "Ramesh Jadhav"}, headers=two_states["mh"]
    )
    assert police.status_code == 403


def test_the_review_queue_confirms_and_splits_and_decisions_stay(
    http: TestClient, gateway: Gateway, two_states: dict[str, dict[str, str]], key_for: Any
) -> None:
    ops = two_states["ops"]
    with gateway.db.session(write=True) as session:
        rows = {r.name: r for r in session.exec(select(PersonRecordRow)).all()}
        salim, raju = rows["Salim Yusuf Shaikh"], rows["Raju Ramesh Jadhav"]
        ramesh = rows["Ramesh Shankar Jadhav"]
        pairs = [
            PersonLinkRow(
                record_a=salim.record_key, record_b=ramesh.record_key, match_probability=0.7
            ),
            PersonLinkRow(
                record_a=ramesh.record_key, record_b=raju.record_key, match_probability=0.65
            ),
        ]
        session.add_all(pairs)
        session.flush()
        confirm_id, split_id = (p.id for p in pairs)
    queue = http.get("/v1/admin/person-links", params={"state": "review"}, headers=ops)
    assert queue.status_code == 200, queue.text
    assert [link["id"] for link in queue.json()["links"]] == [confirm_id, split_id]
    assert queue.json()["links"][0]["records"][0]["name"] == "Salim Yusuf Shaikh"
    police = two_states["mh"]
    assert http.get("/v1/admin/person-links", headers=police).status_code == 403
    assert (
        http.post(f"/v1/admin/person-links/{confirm_id}/confirm", headers=police).status_code == 403
    )

    confirmed = http.post(
        f"/v1/admin/person-links/{confirm_id}/confirm",
        params={"note": "same man, per the KA police"},
        headers=ops,
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "confirmed"
    assert confirmed.json()["decided_by"].startswith("operator:NIC:")
    with gateway.db.session() as session:
        now = {r.name: r for r in session.exec(select(PersonRecordRow)).all()}
    assert now["Salim Yusuf Shaikh"].person_id == now["Ramesh Shankar Jadhav"].person_id
    assert now["रमेश शंकर जाधव"].person_id == now["Ramesh Shankar Jadhav"].person_id

    split = http.post(f"/v1/admin/person-links/{split_id}/split", headers=ops)
    assert split.status_code == 200, split.text
    again = http.post(f"/v1/admin/person-links/{split_id}/split", headers=ops)
    assert again.status_code == 200, "the same decision again changes nothing"
    reversed_ = http.post(f"/v1/admin/person-links/{split_id}/confirm", headers=ops)
    assert reversed_.status_code == 409
    assert http.post("/v1/admin/person-links/999999/confirm", headers=ops).status_code == 404
    decided = http.get("/v1/admin/person-links", params={"state": "confirmed"}, headers=ops)
    assert [link["id"] for link in decided.json()["links"]] == [confirm_id]


def test_a_fir_number_in_the_results_is_canonical(
    http: TestClient, two_states: dict[str, dict[str, str]]
) -> None:
    results = search(http, two_states["ops"], name="Salim Shaikh")
    assert results
    for case in results[0]["cases"]:
        assert str(Fir.parse(case["fir"])) == case["fir"]


def test_the_demo_case_across_five_pillars_is_one_record_of_one_person(
    settings: Any, gateway: Gateway, http: TestClient, key_for: Any
) -> None:
    from gateway.cli.demo import run_demo

    status = run_demo(settings, echo=lambda *_: None)
    with gateway.db.session() as session:
        rows = session.exec(
            select(PersonRecordRow).where(col(PersonRecordRow.case_id) == status.case_id)
        ).all()
    a1 = next(r for r in rows if r.party_ref == "A1")
    inmate = next(r for r in rows if r.party_ref is None)
    assert {"accused", "arrested", "charged"} <= set(a1.roles)
    assert inmate.roles == ["inmate"]
    assert inmate.person_id == a1.person_id and inmate.linked_by == "case"
    assert any(i.startswith("prisoner:") for i in inmate.identifiers)
    record = http.get(
        f"/v1/persons/{a1.person_id}", headers=key_for("operator", "NIC") | PURPOSE
    ).json()
    (case,) = record["cases"]
    assert len(case["recorded_as"]) == 2, "the accused and the inmate: one case"
    kinds = [f["kind"] for f in case["history"]]
    assert {"named_in_fir", "arrested", "admitted"} <= set(kinds)
    assert case["court"] and case["cnr"]


def test_the_index_is_rebuilt_from_the_event_log(
    http: TestClient, gateway: Gateway, settings: Any, two_states: dict[str, dict[str, str]]
) -> None:
    from typer.testing import CliRunner

    from gateway.cli import main as cli

    def records() -> dict[str, tuple[str, ...]]:
        with gateway.db.session() as session:
            return {
                r.record_key: (r.name, r.father_norm or "", *r.roles, *r.identifiers)
                for r in session.exec(select(PersonRecordRow)).all()
            }

    before = records()
    env = {"ICJS_DATABASE_URL": settings.database_url}
    rebuilt = CliRunner().invoke(cli.app, ["persons", "rebuild"], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "4 records" in rebuilt.stdout and "icjs persons link" in rebuilt.stdout
    assert records() == before
    linked = CliRunner().invoke(cli.app, ["persons", "link"], env=env)
    assert linked.exit_code == 0, linked.output
    with gateway.db.session() as session:
        people = {r.name: r.person_id for r in session.exec(select(PersonRecordRow)).all()}
    assert people["Ramesh Shankar Jadhav"] == people["रमेश शंकर जाधव"], "by the shared document"
    assert people["Salim Yusuf Shaikh"] != people["Ramesh Shankar Jadhav"]
