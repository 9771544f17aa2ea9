"""A case is found by the numbers the other pillars give it (embedded mode, SQLite and
PostgreSQL): a prison's prisoner number, a laboratory's case number and a prosecution
office's number, in any of their spellings; the laboratory reads the cases it examines
exhibits of, and no other; an unknown or malformed number is answered clearly."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from canonical_model.events import CourtCaseRegistered, payload_class
from gateway.bootstrap import Gateway
from gateway.cli import scenario

CASE = scenario.refs(731)
JSON = "application/json"


def send(http: TestClient, pillar: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    response = http.post(
        f"/v1/{pillar}/messages", content=body, headers=headers | {"Content-Type": JSON}
    )
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def encoded(gateway: Gateway, pillar: str, name: str, data: dict[str, Any]) -> bytes:
    payload = payload_class(name).model_validate(data)
    body: bytes = gateway.adapters.get(pillar).encode(payload, media_type=JSON)  # type: ignore[attr-defined]
    return body


def test_a_case_is_found_by_its_prisoner_lab_case_and_prosecution_numbers(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    police = key_for("police", "MH/AU")
    court = key_for("courts", str(CASE.court))
    prison = key_for("prisons", scenario.PRISON)
    lab = key_for("forensics", scenario.LAB)
    office = key_for("prosecution", scenario.PROSECUTION_OFFICE)

    case_id = send(http, "police", police, json.dumps(scenario.fir_registered(CASE)).encode())[
        "case_ids"
    ][0]
    send(http, "police", police, json.dumps(scenario.forensic_requested(CASE)).encode())
    # Produced before the court for remand: the court is seized (BNSS ss.58, 187).
    send(http, "police", police, json.dumps(scenario.person_arrested(CASE)).encode())
    send(
        http,
        "forensics",
        lab,
        encoded(
            gateway, "forensics", "forensic.acknowledged", scenario.forensic_acknowledgement(CASE)
        ),
    )
    send(
        http,
        "courts",
        court,
        encoded(
            gateway,
            "courts",
            CourtCaseRegistered.name,
            {"court_case": scenario.court_case(CASE)},
        ),
    )
    # The court remands A1 to the prison (the prison's authority to admit, BNSS s.187).
    send(
        http,
        "courts",
        court,
        encoded(gateway, "courts", "order.issued", {"order": scenario.remand_order(CASE)}),
    )
    send(http, "prisons", prison, json.dumps(scenario.admission(CASE)).encode())
    send(
        http,
        "prosecution",
        office,
        encoded(
            gateway,
            "prosecution",
            "prosecution.prosecutor_assigned",
            scenario.prosecutor_assignment(CASE),
        ),
    )

    prisoner = f"{scenario.PRISON}:UT/{CASE.cnr.serial}/{CASE.cnr.year}"
    numbers = {
        "prisoner": prisoner,
        "prisoner, spelled loosely": prisoner.lower().replace(":", " : "),
        "lab case": scenario.lab_case_number(CASE),
        "prosecution": scenario.prosecution_number(CASE),
    }
    for what, number in numbers.items():
        found = http.get(f"/v1/cases/{number}", headers=police)
        assert found.status_code == 200, f"{what}: {found.text}"
        assert found.json()["case_id"] == case_id, what

    # The laboratory reads the case it examines exhibits of, by its own case number ...
    by_lab = http.get(f"/v1/cases/{scenario.lab_case_number(CASE)}", headers=lab)
    assert by_lab.status_code == 200, by_lab.text
    assert by_lab.json()["forensic_requests"][0]["lab"] == scenario.LAB
    # ... and to another laboratory it is as unknown as a case that does not exist.
    other_lab = key_for("forensics", "FSL_MUMBAI")
    hidden = http.get(f"/v1/cases/{case_id}", headers=other_lab)
    assert hidden.status_code == 404
    assert hidden.json()["message"] == f"no case known by '{case_id}' that this key may read"

    # An unknown prisoner number gets the answer any unknown case gets.
    unknown_number = f"{scenario.PRISON}:UT/99999/2026"
    unknown = http.get(f"/v1/cases/{unknown_number}", headers=police)
    assert unknown.status_code == 404
    assert (
        unknown.json()["message"] == f"no case known by '{unknown_number}' that this key may read"
    )
    malformed = http.get("/v1/cases/:UT/1/2026", headers=police)
    assert malformed.status_code == 422, malformed.text
