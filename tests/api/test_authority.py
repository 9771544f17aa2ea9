"""Authority comes from the case's own history: each attack a hostile institution tried on the
gateway (issue 9) now fails the way the law says it should, and is kept in the message log.

- A court is seized by a police report filed to it, a remand production, a committal or a
  superior court's transfer (BNSS ss.58, 187, 193, 232, 446-448); any other court is refused.
- A prison admits only on a warrant or order of a court seized naming it (BNSS ss.187, 346).
- A message naming an institution the directory lacks is 422 at that field.
- A caller that may not read a case gets the very answer an unknown case gets.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from canonical_model.events import CourtCaseRegistered, OrderIssued
from gateway.bootstrap import Gateway
from gateway.cli import scenario

CASE = scenario.refs(417)
JSON = "application/json"


def post(http: TestClient, path: str, headers: dict[str, str], body: bytes) -> Any:
    return http.post(path, content=body, headers=headers | {"Content-Type": JSON})


def police_post(http: TestClient, police: dict[str, str], message: dict[str, Any]) -> Any:
    return post(http, "/v1/police/messages", police, json.dumps(message).encode())


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def court_body(gateway: Gateway, payload: Any) -> bytes:
    body: bytes = gateway.adapters.get("courts").encode(payload, media_type=JSON)  # type: ignore[attr-defined]
    return body


def registration_by(court: str, case: scenario.CaseRefs = CASE) -> CourtCaseRegistered:
    """A case registration as court ``court`` would send it for ``case``'s FIR."""
    data = scenario.court_case(case)
    data["cnr"] = f"{court}{case.cnr.serial:06d}{case.cnr.year}"
    data["establishment"] = court
    data["filing_number"] = data["registration_number"] = (
        f"{court}/RCC/{case.cnr.serial}/{case.cnr.year}"
    )
    return CourtCaseRegistered.model_validate({"court_case": data})


def release_order_by(court: str, case: scenario.CaseRefs = CASE) -> OrderIssued:
    order = scenario.remand_order(case) | {
        "cnr": f"{court}{case.cnr.serial:06d}{case.cnr.year}",
        "kind": "release",
        "order_number": f"REL/{case.cnr.serial}",
    }
    return OrderIssued.model_validate({"order": order})


def fir_only(http: TestClient, police: dict[str, str], case: scenario.CaseRefs = CASE) -> str:
    message = copy.deepcopy(scenario.fir_registered(case))
    case_id: str = accepted(police_post(http, police, message))["case_ids"][0]
    return case_id


def charge_sheeted(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> str:
    """The scenario case: FIR, arrest produced before MHAU01, charge sheet to MHAU01,
    registered by MHAU01, A1 remanded to HARSUL_CP and admitted there."""
    case_id = fir_only(http, police)
    accepted(police_post(http, police, scenario.person_arrested(CASE)))
    accepted(police_post(http, police, scenario.chargesheet_filed(CASE)))
    registration = CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})
    accepted(post(http, "/v1/courts/messages", court, court_body(gateway, registration)))
    remand = OrderIssued.model_validate({"order": scenario.remand_order(CASE)})
    accepted(post(http, "/v1/courts/messages", court, court_body(gateway, remand)))
    return case_id


def logged(http: TestClient, operator: dict[str, str], receipt_id: str) -> dict[str, Any]:
    found = http.get(f"/v1/messages/{receipt_id}", headers=operator)
    assert found.status_code == 200, found.text
    view: dict[str, Any] = found.json()
    return view


@pytest.fixture
def operator(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("operator", "NIC")
    return headers


# -- 1. a court that is not seized -----------------------------------------------------------


def test_another_court_cannot_register_a_case_charge_sheeted_elsewhere(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    operator: dict[str, str],
    key_for: Any,
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)
    intruder = key_for("courts", "MHAU02")

    answer = post(
        http, "/v1/courts/messages", intruder, court_body(gateway, registration_by("MHAU02"))
    )

    assert answer.status_code == 403, answer.text
    assert "MHAU02 is not seized" in answer.json()["message"]
    assert "MHAU01" in answer.json()["message"]
    assert logged(http, operator, answer.json()["receipt_id"])["status"] == "rejected"
    # The case stays before MHAU01, which still reads it; MHAU02 learns nothing.
    status = http.get(f"/v1/cases/{case_id}", headers=court)
    assert status.status_code == 200, status.text
    assert status.json()["court"] == "MHAU01"
    assert http.get(f"/v1/cases/{case_id}", headers=intruder).status_code == 404

    # Its release order is refused too, and never reaches the prison's feed.
    release = post(
        http, "/v1/courts/messages", intruder, court_body(gateway, release_order_by("MHAU02"))
    )
    assert release.status_code in (202, 403), release.text
    if release.status_code == 202:  # its own CNR is unknown: held, then never applied
        assert release.json()["status"] == "held"
    prison = key_for("prisons", scenario.PRISON)
    feed = http.get("/v1/prisons/feed", params={"prison": scenario.PRISON}, headers=prison)
    assert feed.status_code == 200
    assert [item["courtOrder"]["orderType"] for item in feed.json()["items"]] == ["remand"]


def test_a_court_of_another_district_cannot_take_a_case_without_a_charge_sheet(
    http: TestClient, gateway: Gateway, police: dict[str, str], key_for: Any
) -> None:
    fir_only(http, police)
    pune = key_for("courts", "MHPU01")

    answer = post(http, "/v1/courts/messages", pune, court_body(gateway, registration_by("MHPU01")))

    assert answer.status_code == 403, answer.text
    assert "no court is seized of the case" in answer.json()["message"]


def test_a_registration_held_before_its_fir_grants_nothing_when_the_fir_arrives(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    operator: dict[str, str],
    key_for: Any,
) -> None:
    pune = key_for("courts", "MHPU01")
    early = post(http, "/v1/courts/messages", pune, court_body(gateway, registration_by("MHPU01")))
    assert early.status_code == 202, early.text
    assert early.json()["status"] == "held"

    case_id = fir_only(http, police)

    kept = logged(http, operator, early.json()["receipt_id"])
    assert kept["status"] == "rejected"
    assert "not seized" in kept["errors"][0]["message"]
    assert http.get(f"/v1/cases/{case_id}", headers=pune).status_code == 404
    assert http.get(f"/v1/cases/{case_id}", headers=police).json()["court"] is None


def test_the_court_a_charge_sheet_is_filed_in_registers_it(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)

    status = http.get(f"/v1/cases/{case_id}", headers=police).json()

    assert status["court"] == "MHAU01"
    grounds = [(s["court"], s["ground"]) for s in status["seized_courts"]]
    assert grounds == [("MHAU01", "remand_production")]  # the charge sheet went to the same court
    assert status["court_stage"] == "pending"


def test_committal_moves_the_case_to_the_court_of_session(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str], key_for: Any
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)
    committal = OrderIssued.model_validate(
        {
            "order": {
                "cnr": str(CASE.cnr),
                "order_number": "COM/417/2026",
                "order_date": "2026-11-02",
                "kind": "committal",
                "to_court": "MHAU03",
                "text": "Case committed to the Court of Session (BNSS s.232).",
            }
        }
    )
    accepted(post(http, "/v1/courts/messages", court, court_body(gateway, committal)))
    sessions = key_for("courts", "MHAU03")

    registered = post(
        http, "/v1/courts/messages", sessions, court_body(gateway, registration_by("MHAU03"))
    )
    accepted(registered)
    # The magistrate, no longer seized, can no longer make orders in the case.
    late = OrderIssued.model_validate(
        {"order": scenario.remand_order(CASE) | {"order_number": "RO/2", "kind": "other"}}
    )
    refused = post(http, "/v1/courts/messages", court, court_body(gateway, late))

    assert refused.status_code == 403, refused.text
    status = http.get(f"/v1/cases/{case_id}", headers=sessions).json()
    assert status["court"] == "MHAU03"
    assert [s["ground"] for s in status["seized_courts"]][-1] == "committal"
    assert status["seized_courts"][-1]["by"] == "MHAU01"


def test_a_committal_to_a_court_that_is_not_a_court_of_session_is_refused_at_its_field(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> None:
    charge_sheeted(http, gateway, police, court)
    committal = OrderIssued.model_validate(
        {
            "order": {
                "cnr": str(CASE.cnr),
                "order_number": "COM/417/2026",
                "order_date": "2026-11-02",
                "kind": "committal",
                "to_court": "MHAU02",
            }
        }
    )

    answer = post(http, "/v1/courts/messages", court, court_body(gateway, committal))

    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["location"] == "/toCourt"


def test_the_high_court_transfers_a_case_and_a_district_court_may_not(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str], key_for: Any
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)

    def transfer(issuer: str) -> OrderIssued:
        return OrderIssued.model_validate(
            {
                "order": {
                    "cnr": str(CASE.cnr),
                    "order_number": f"TR/{issuer}/1",
                    "order_date": "2026-11-05",
                    "kind": "transfer",
                    "to_court": "MHAU02",
                    "issued_by": issuer,
                }
            }
        )

    pune = key_for("courts", "MHPU02")
    refused = post(http, "/v1/courts/messages", pune, court_body(gateway, transfer("MHPU02")))
    assert refused.status_code == 403, refused.text

    high_court = key_for("courts", "MHHC01")
    accepted(post(http, "/v1/courts/messages", high_court, court_body(gateway, transfer("MHHC01"))))

    status = http.get(f"/v1/cases/{case_id}", headers=police).json()
    assert status["court"] == "MHAU02"
    assert status["seized_courts"][-1] | {"on": None} == {
        "court": "MHAU02",
        "ground": "transfer",
        "on": None,
        "reference": "TR/MHHC01/1",
        "by": "MHHC01",
    }


# -- 2. a prison without a warrant -----------------------------------------------------------


def test_a_prison_no_court_sent_the_accused_to_cannot_admit_or_read(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    operator: dict[str, str],
    key_for: Any,
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)
    yerawada = key_for("prisons", "YERAWADA_CP")
    admission = scenario.admission(CASE, prison="YERAWADA_CP")

    answer = post(http, "/v1/prisons/messages", yerawada, json.dumps(admission).encode())

    assert answer.status_code == 403, answer.text
    assert "holds no warrant" in answer.json()["message"]
    assert "HARSUL_CP" in answer.json()["message"]
    assert logged(http, operator, answer.json()["receipt_id"])["status"] == "rejected"
    for path in (f"/v1/cases/{case_id}", f"/v1/cases/{case_id}/timeline"):
        assert http.get(path, headers=yerawada).status_code == 404

    # The prison the court named admits A1.
    harsul = key_for("prisons", scenario.PRISON)
    accepted(
        post(http, "/v1/prisons/messages", harsul, json.dumps(scenario.admission(CASE)).encode())
    )
    assert http.get(f"/v1/cases/{case_id}", headers=harsul).status_code == 200


def test_an_admission_by_fir_and_accused_ref_cannot_take_an_absconder_into_custody(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str], key_for: Any
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)
    yerawada = key_for("prisons", "YERAWADA_CP")
    admission = scenario.admission(CASE, prison="YERAWADA_CP", number="UT/9/2026")
    admission["inmate"] = {"name": "Salim Shaikh", "accusedRef": "A2"}
    del admission["warrant"]["cnr"]

    answer = post(http, "/v1/prisons/messages", yerawada, json.dumps(admission).encode())

    assert answer.status_code == 403, answer.text
    accused = http.get(f"/v1/cases/{case_id}", headers=police).json()["accused"]
    a2 = next(person for person in accused if person["ref"] == "A2")
    assert a2["custody"] == "absconding"
    assert a2["prison_status"] is None


def test_an_admission_held_for_a_future_cnr_is_rejected_when_the_case_arrives(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    operator: dict[str, str],
    key_for: Any,
) -> None:
    yerawada = key_for("prisons", "YERAWADA_CP")
    admission = scenario.admission(CASE, prison="YERAWADA_CP")
    del admission["warrant"]["firNo"]
    early = post(http, "/v1/prisons/messages", yerawada, json.dumps(admission).encode())
    assert early.status_code == 202, early.text
    assert early.json()["status"] == "held"

    case_id = charge_sheeted(http, gateway, police, court)

    kept = logged(http, operator, early.json()["receipt_id"])
    assert kept["status"] == "rejected", kept
    assert "holds no warrant" in kept["errors"][0]["message"]
    assert http.get(f"/v1/cases/{case_id}", headers=yerawada).status_code == 404


# -- 3. institutions the directory does not know -----------------------------------------------


@pytest.mark.parametrize("unknown", ["MHAU99", "XXZZ01"])
def test_a_charge_sheet_to_an_unknown_court_is_refused_at_its_field(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    operator: dict[str, str],
    unknown: str,
) -> None:
    case_id = charge_sheeted(http, gateway, police, court)
    message = scenario.chargesheet_filed(CASE, report_number="CS-417/2026-S")
    message["data"]["report"]["court"] = unknown

    answer = police_post(http, police, message)

    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {
            "location": "/data/report/court",
            "message": f"court establishment {unknown} is not in the institution directory",
        }
    ]
    assert logged(http, operator, answer.json()["receipt_id"])["status"] == "rejected"
    assert http.get(f"/v1/cases/{case_id}", headers=police).json()["court"] == "MHAU01"


def test_an_order_naming_an_unknown_prison_is_refused_at_the_courts_own_field(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> None:
    charge_sheeted(http, gateway, police, court)
    order = OrderIssued.model_validate(
        {"order": scenario.remand_order(CASE) | {"order_number": "RO/9", "prison": "NOWHERE_CJ"}}
    )

    answer = post(http, "/v1/courts/messages", court, court_body(gateway, order))

    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["location"] == "/prisonCode"
    assert "NOWHERE_CJ" in answer.json()["errors"][0]["message"]


# -- 7. no existence oracle -----------------------------------------------------------------------


def test_a_case_of_another_area_is_answered_as_if_unknown(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    operator: dict[str, str],
    key_for: Any,
) -> None:
    charge_sheeted(http, gateway, police, court)
    pune = key_for("police", "MH/PU")
    real, unknown = str(CASE.fir), str(scenario.refs(999).fir)

    answers = [
        http.get(f"/v1/cases/{ref}{tail}", headers=pune)
        for ref in (real, unknown)
        for tail in ("", "/timeline")
    ]

    assert [a.status_code for a in answers] == [404] * 4
    # Word for word the same, but for the reference asked about.
    bodies = [
        json.dumps({k: v for k, v in a.json().items() if k != "request_id"}, sort_keys=True)
        .replace(real, "REF")
        .replace(unknown, "REF")
        for a in answers
    ]
    assert bodies[0] == bodies[2]
    assert bodies[1] == bodies[3]
    assert "REF" in bodies[0]
    # Operators see the difference.
    assert http.get(f"/v1/cases/{real}", headers=operator).status_code == 200
    assert http.get(f"/v1/cases/{unknown}", headers=operator).status_code == 404
