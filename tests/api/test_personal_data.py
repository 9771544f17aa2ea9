"""Personal data by law over HTTP (embedded mode, SQLite and PostgreSQL): each way a protected
identity used to leak, and what the law has every reader see now.

- A child in conflict with law (JJ Act 2015 s.74), flagged or aged 15 without the flag: by
  name to the police of the case, the Juvenile Justice Board seized of the child and operators;
  by label ("juvenile A2") to the magistrate trying the adult co-accused, the prison, the
  laboratory and the prosecution, in the case status, the timeline and every feed, JSON and XML.
- The victim of a sexual offence (BNS s.64, protected by s.72): by name to the court seized
  and the prosecution office handling the case (the charge sheet's summary reaches them whole);
  by label to the laboratory (exhibit description, place of seizure, questions), the prison
  and the registries (a vehicle flag's remarks, the owner on Vahan's record).
- Look-ups: Sarathi's licence look-up gives no section of a BNS 64 case, and does not link a
  licence to a case whose protected person holds it or whom its holder's name would make known.

Messages of other pillars are written in their own formats by the real adapters.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from canonical_model.events import EventPayload, payload_class
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.bootstrap import Gateway
from gateway.cli import scenario

JSON = "application/json"
XML = "application/xml"
CHILD_CASE = scenario.refs(901)
UNFLAGGED_CASE = scenario.refs(902)
VICTIM_CASE = scenario.refs(903)
PRISON = scenario.PRISON
LAB = scenario.LAB
DOP = scenario.PROSECUTION_OFFICE
BOARD = "MHAU04"  # a Juvenile Justice Board in the SAMPLE institution directory
CHILD = "Salim Yusuf Shaikh"
VICTIM = "Sunita Devi Pawar"
VICTIM_FATHER = "Ramrao Sopan Pawar"


# -- sending -----------------------------------------------------------------------------------


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def police_post(http: TestClient, headers: dict[str, str], message: dict[str, Any]) -> Any:
    return accepted(
        http.post(
            "/v1/police/messages",
            content=json.dumps(message),
            headers=headers | {"Content-Type": JSON},
        )
    )


def pillar_post(
    http: TestClient,
    gateway: Gateway,
    pillar: str,
    headers: dict[str, str],
    name: str,
    data: dict[str, Any],
    media_type: str = JSON,
) -> Any:
    """Canonical data sent in the pillar's own format, written by its adapter."""
    payload: EventPayload = payload_class(name).model_validate(data)
    body = gateway.adapters.get(pillar).encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    return accepted(
        http.post(
            f"/v1/{pillar}/messages", content=body, headers=headers | {"Content-Type": media_type}
        )
    )


# -- reading -----------------------------------------------------------------------------------


def case(http: TestClient, headers: dict[str, str], ref: str) -> dict[str, Any]:
    response = http.get(f"/v1/cases/{ref}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def timeline(http: TestClient, headers: dict[str, str], ref: str) -> list[dict[str, Any]]:
    response = http.get(f"/v1/cases/{ref}/timeline", headers=headers)
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def feed(
    http: TestClient, headers: dict[str, str], pillar: str, param: str, code: str, media: str
) -> Any:
    response = http.get(
        f"/v1/{pillar}/feed", params={param: code}, headers=headers | {"Accept": media}
    )
    assert response.status_code == 200, response.text
    return response


def accused(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["ref"]: a for a in status["accused"]}


def named(text: str, *names: str) -> bool:
    """Whether any part of ``names`` (3 letters or more) is in ``text``, case ignored."""
    lowered = text.lower()
    return any(part.lower() in lowered for name in names for part in name.split() if len(part) > 2)


# -- the child's case --------------------------------------------------------------------------


def child_fir(case: scenario.CaseRefs, *, flagged: bool = True) -> dict[str, Any]:
    """The scenario robbery, its second accused a child: flagged juvenile (aged 16), or only
    aged 15."""
    message = copy.deepcopy(scenario.fir_registered(case))
    record = message["data"]["fir"]
    child = record["accused"][1]
    child.pop("date_of_birth")
    child |= {"age": 16 if flagged else 15, "juvenile": flagged}
    child["driving_licence"] = "MH20 2025 0009012"
    record["accused"][0]["driving_licence"] = "MH20 2019 0004567"
    record["brief_facts"] = (
        "Ramesh Shankar Jadhav and Salim Shaikh (16) threatened the shop owner with a knife; "
        "SALIM took four gold chains."
    )
    return message


def child_sheet(
    case: scenario.CaseRefs, *, court: str, number: str, flagged: bool = True
) -> dict[str, Any]:
    """A police report naming both accused, the child as the police know him."""
    message = copy.deepcopy(scenario.chargesheet_filed(case, report_number=number))
    report = message["data"]["report"]
    report["court"] = court
    child = report["accused"][1]["person"]
    child.pop("date_of_birth")
    child |= {"age": 16 if flagged else 15, "juvenile": flagged}
    report["summary"] = (
        "A1 with the child Salim Yusuf Shaikh (son of Yusuf Shaikh) robbed the shop."
    )
    return message


def child_arrest(case: scenario.CaseRefs) -> dict[str, Any]:
    """The child apprehended (no remand: a child goes before the Board, never to a prison)."""
    message = copy.deepcopy(scenario.person_arrested(case))
    arrest = message["data"]["arrest"]
    arrest["person"] = copy.deepcopy(scenario.fir_registered(case)["data"]["fir"]["accused"][1])
    arrest["person"].pop("date_of_birth")
    arrest["person"] |= {"age": 16, "juvenile": True}
    arrest.pop("produced_before")
    arrest.pop("produced_at")
    return message


def remand(case: scenario.CaseRefs, text: str) -> dict[str, Any]:
    return {"order": scenario.remand_order(case) | {"text": text}}


def file_child_case(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
) -> str:
    """The child's case through police, Board, magistrate and prison: the adult A1 arrested,
    produced and remanded to Harsul; the child A2 apprehended and reported to the Board; both
    charge-sheeted before the magistrate; a forensic request to the laboratory."""
    case_id: str = police_post(http, police, child_fir(CHILD_CASE))["case_ids"][0]
    police_post(http, police, scenario.person_arrested(CHILD_CASE))
    police_post(http, police, child_arrest(CHILD_CASE))
    police_post(http, police, child_sheet(CHILD_CASE, court=BOARD, number="JJB-901/2026"))
    police_post(http, police, child_sheet(CHILD_CASE, court="MHAU01", number="CS-901/2026"))
    registration = {"court_case": scenario.court_case(CHILD_CASE)}
    pillar_post(http, gateway, "courts", court, "court_case.registered", registration)
    text = "A1 remanded till 01-09-2026; the co-accused Salim Shaikh, a child, is before the Board."
    pillar_post(http, gateway, "courts", court, "order.issued", remand(CHILD_CASE, text), XML)
    admission = json.dumps(scenario.admission(CHILD_CASE)).encode()
    accepted(
        http.post(
            "/v1/prisons/messages", content=admission, headers=prison | {"Content-Type": JSON}
        )
    )
    request = copy.deepcopy(scenario.forensic_requested(CHILD_CASE))
    request["data"]["request"]["questions"] = "Are the prints on E1 those of Salim Yusuf Shaikh?"
    police_post(http, police, request)
    return case_id


@pytest.fixture
def prison(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prisons", PRISON)
    return headers


@pytest.fixture
def lab(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("forensics", LAB)
    return headers


@pytest.fixture
def office(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prosecution", DOP)
    return headers


@pytest.fixture
def operator(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("operator", "OPS")
    return headers


def test_a_child_is_named_only_to_the_police_and_operators_and_a_label_to_others(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
    lab: dict[str, str],
    office: dict[str, str],
    operator: dict[str, str],
) -> None:
    case_id = file_child_case(http, gateway, police, court, prison)
    ref = str(CHILD_CASE.fir)

    # Entitled: the police of the case and operators see the child as the police named him.
    for reader in (police, operator):
        status = case(http, reader, ref)
        assert accused(status)["A2"]["name"] == CHILD
        assert accused(status)["A2"]["father_name"] == "Yusuf Shaikh"
        (child,) = [p for p in status["protected_persons"] if p["ref"] == "A2"]
        assert child["protection"] == "child_in_conflict_with_law" and CHILD in child["names"]
    assert any(CHILD in e["summary"] for e in timeline(http, police, ref))

    # The magistrate trying the adult, the prison, the lab and the prosecution: a label.
    for reader in (court, prison, lab, office):
        status = case(http, reader, ref)
        assert accused(status)["A2"]["name"] == "juvenile A2", status["accused"]
        assert accused(status)["A2"]["father_name"] is None
        assert accused(status)["A1"]["name"] == "Ramesh Shankar Jadhav"
        assert not named(json.dumps(status), CHILD), status
        assert {"ref": "A2", "kind": "juvenile", "label": "juvenile A2"} in status[
            "protected_persons"
        ]
        events = timeline(http, reader, ref)
        assert "juvenile A2 (A2) arrested" in [e["summary"] for e in events]
        assert not named(json.dumps(events), CHILD)

    # The courts feed of the magistrate, JSON and XML: the child by label beside the flag.
    page = feed(http, court, "courts", "court", "MHAU01", JSON)
    assert validate_json("courts/v1/chargesheet-feed.schema.json", page.json()) == []
    assert not named(page.text, CHILD), page.text
    (item,) = page.json()["items"]
    assert item["caseId"] == case_id
    assert "juvenile A2" in json.dumps(item) and "Ramesh Shankar Jadhav" in json.dumps(item)
    xml = feed(http, court, "courts", "court", "MHAU01", XML)
    assert validate_xml("courts/v1/chargesheet-feed.xsd", etree.fromstring(xml.content)) == []
    assert not named(xml.text, CHILD), xml.text
    root = etree.fromstring(xml.content)
    flagged = [
        el for el in root.iter() if etree.QName(el).localname == "juvenile" and el.text == "true"
    ]
    assert flagged, "the flag is still there"
    parent = flagged[0].getparent()
    assert parent is not None
    beside = "".join(str(text) for text in parent.itertext())
    assert "juvenile A2" in beside and not named(beside, CHILD)

    # The prosecution's feed (the Director: robbery with hurt carries life), JSON and XML.
    for media in (JSON, XML):
        page = feed(http, office, "prosecution", "office", DOP, media)
        assert not named(page.text, CHILD), page.text
        assert "juvenile A2" in page.text
        if media == JSON:
            schema = "prosecution/v1/prosecution-feed.schema.json"
            assert validate_json(schema, parse_json(page.content)) == []

    # The prison's feed (the remand order's text) and the laboratory's (the questions).
    for media in (JSON, XML):
        prison_page = feed(http, prison, "prisons", "prison", PRISON, media)
        assert "the co-accused juvenile A2, a child" in prison_page.text
        assert not named(prison_page.text, CHILD)
        lab_page = feed(http, lab, "forensics", "lab", LAB, media)
        assert "those of juvenile A2?" in lab_page.text
        assert not named(lab_page.text, CHILD)


def test_the_board_seized_of_the_child_sees_him(
    http: TestClient,
    gateway: Gateway,
    key_for: Any,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
) -> None:
    # A Board is known by its level in the institution directory (MHAU04 in the SAMPLE).
    file_child_case(http, gateway, police, court, prison)
    board = key_for("courts", BOARD)
    status = case(http, board, str(CHILD_CASE.fir))
    assert accused(status)["A2"]["name"] == CHILD
    assert accused(status)["A2"]["father_name"] == "Yusuf Shaikh"
    for media in (JSON, XML):
        board_page = feed(http, board, "courts", "court", BOARD, media)
        assert CHILD in board_page.text and "juvenile A2" not in board_page.text
    # The magistrate's key on the same case still sees a label.
    assert accused(case(http, court, str(CHILD_CASE.fir)))["A2"]["name"] == "juvenile A2"


def test_a_child_of_15_without_the_flag_is_a_child_all_the_same(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    office: dict[str, str],
) -> None:
    police_post(http, police, child_fir(UNFLAGGED_CASE, flagged=False))
    report = child_sheet(UNFLAGGED_CASE, court="MHAU01", number="CS-902/2026", flagged=False)
    police_post(http, police, report)
    ref = str(UNFLAGGED_CASE.fir)
    assert accused(case(http, police, ref))["A2"]["name"] == CHILD
    status = case(http, court, ref)
    assert accused(status)["A2"]["name"] == "juvenile A2"
    assert not named(json.dumps(status), CHILD)
    for media in (JSON, XML):
        for pillar, param, code, headers in (
            ("courts", "court", "MHAU01", court),
            ("prosecution", "office", DOP, office),
        ):
            page = feed(http, headers, pillar, param, code, media)
            assert "juvenile A2" in page.text and not named(page.text, CHILD), page.text


# -- the victim's case -------------------------------------------------------------------------


def victim_fir(case: scenario.CaseRefs) -> dict[str, Any]:
    """A rape (BNS s.64(1)) reported by the victim's mother; the victim's father is the second
    accused; the first accused holds a driving licence."""
    message = copy.deepcopy(scenario.fir_registered(case))
    record = message["data"]["fir"]
    record["offences"] = [{"act": "BNS", "section": "64(1)"}]
    record["complainant"] = {
        "ref": "C1",
        "name": "Kamala Ramrao Pawar",
        "gender": "female",
        "age": 44,
        "addresses": [{"line": "Plot 9, N-4, CIDCO", "state": "MH", "pincode": "431003"}],
    }
    record["victims"] = [
        {
            "ref": "V1",
            "name": f"Kumari {VICTIM}",
            "father_name": VICTIM_FATHER,
            "mother_name": "Kamala Ramrao Pawar",
            "gender": "female",
            "age": 19,
            "addresses": [{"line": "Plot 9, N-4, CIDCO", "state": "MH", "pincode": "431003"}],
        }
    ]
    first = record["accused"][0]
    first["driving_licence"] = "MH20 2019 0004567"
    record["accused"][1] = {
        "ref": "A2",
        "name": VICTIM_FATHER,
        "gender": "male",
        "age": 49,
        "driving_licence": "MH20 2001 0000777",
    }
    record["properties"] = []
    record["brief_facts"] = f"{VICTIM} was assaulted at her house by A1; A2 threatened her."
    return message


def victim_sheet(case: scenario.CaseRefs) -> dict[str, Any]:
    message = copy.deepcopy(scenario.chargesheet_filed(case))
    report = message["data"]["report"]
    report["offences"] = [{"act": "BNS", "section": "64(1)"}]
    report["accused"] = report["accused"][:1]
    report["accused"][0]["offences"] = [{"act": "BNS", "section": "64(1)"}]
    report["witnesses"] = []
    report["summary"] = (
        f"Accused A1 raped SUNITA DEVI PAWAR (daughter of {VICTIM_FATHER}) at her house on "
        "14 August 2026; the medical examination corroborates her statement."
    )
    return message


def victim_request(case: scenario.CaseRefs) -> dict[str, Any]:
    message = copy.deepcopy(scenario.forensic_requested(case))
    request = message["data"]["request"]
    exhibit = request["exhibits"][0]
    exhibit["description"] = "Saree worn by Sunita Devi, stains on the pallu"
    exhibit["seized_from"] = {"description": "House of Ramrao Pawar, Plot 9, N-4, CIDCO"}
    request["exhibits"][1]["description"] = "Blood sample of SunitaDevi in a sealed vial"
    request["questions"] = (
        "Is the semen on E1 of accused A1? Compare with the sample of Sunita   Pawar."
    )
    return message


def vahan_record(case: scenario.CaseRefs) -> dict[str, Any]:
    numbers = scenario.vehicle_numbers(case)
    return {
        "record": {
            "registration": numbers["registration"],
            "chassis": numbers["chassis"],
            "engine": numbers["engine"],
            "owner": {
                "name": "Sunita Ramrao Pawar",
                "father_name": VICTIM_FATHER,
                "address": "Plot 9, N-4, CIDCO",
            },
            "description": {"kind": "scooter", "make": "TVS", "model": "Jupiter"},
            "as_of": "2026-08-20",
        }
    }


def vehicle_seized(case: scenario.CaseRefs) -> dict[str, Any]:
    numbers = scenario.vehicle_numbers(case)
    return {
        "type": "vehicle.seized",
        "data": {
            "report": {
                "fir": str(case.fir),
                "vehicle": {"registration": numbers["registration"]},
                "on": "2026-08-15",
                "remarks": "Scooter of the victim Sunita Pawar, found at the spot.",
            }
        },
    }


def sarathi_record(number: str, holder: str) -> dict[str, Any]:
    return {
        "record": {
            "licence": number,
            "holder": holder,
            "date_of_birth": "1977-02-01",
            "classes": ["LMV"],
            "valid_from": "2001-03-01",
            "valid_until": "2027-02-28",
            "as_of": "2026-10-02",
        }
    }


def test_a_victim_is_named_to_the_court_and_the_prosecution_and_to_no_one_else(
    http: TestClient,
    gateway: Gateway,
    key_for: Any,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
    lab: dict[str, str],
    office: dict[str, str],
) -> None:
    case_id = police_post(http, police, victim_fir(VICTIM_CASE))["case_ids"][0]
    police_post(http, police, scenario.person_arrested(VICTIM_CASE))
    police_post(http, police, victim_request(VICTIM_CASE))
    police_post(http, police, vehicle_seized(VICTIM_CASE))
    police_post(http, police, victim_sheet(VICTIM_CASE))
    registration = {"court_case": scenario.court_case(VICTIM_CASE)}
    pillar_post(http, gateway, "courts", court, "court_case.registered", registration)
    text = "A1 remanded till 01-09-2026; the statement of Sunita Devi Pawar is recorded."
    pillar_post(http, gateway, "courts", court, "order.issued", remand(VICTIM_CASE, text))
    admission = json.dumps(scenario.admission(VICTIM_CASE)).encode()
    accepted(
        http.post(
            "/v1/prisons/messages", content=admission, headers=prison | {"Content-Type": JSON}
        )
    )
    ref = str(VICTIM_CASE.fir)

    # The court seized and the Director of Prosecution read the summary whole, JSON and XML.
    for pillar, param, code, headers in (
        ("courts", "court", "MHAU01", court),
        ("prosecution", "office", DOP, office),
    ):
        for media in (JSON, XML):
            page = feed(http, headers, pillar, param, code, media)
            assert "raped SUNITA DEVI PAWAR (daughter of Ramrao Sopan Pawar)" in page.text, (
                pillar,
                media,
            )
    court_status = case(http, court, ref)
    (victim,) = [p for p in court_status["protected_persons"] if p["ref"] == "V1"]
    assert victim["protection"] == "sexual_offence_victim" and victim["label"] == "victim V1"
    assert f"Kumari {VICTIM}" in victim["names"]

    # The laboratory: the exhibits' descriptions, the place of seizure and the questions.
    for media in (JSON, XML):
        page = feed(http, lab, "forensics", "lab", LAB, media)
        assert not named(page.text, VICTIM, VICTIM_FATHER), page.text
        assert "Saree worn by victim V1, stains on the pallu" in page.text
        assert "Blood sample of victim V1 in a sealed vial" in page.text
        assert "Compare with the sample of victim V1." in page.text
        assert "House of victim V1, Plot 9" in page.text
        if media == XML:
            schema = "forensics/v1/examination-request-feed.xsd"
            assert validate_xml(schema, parse_xml(page.content)) == []
        else:
            schema = "forensics/v1/examination-request-feed.schema.json"
            assert validate_json(schema, parse_json(page.content)) == []
    assert not named(json.dumps(case(http, lab, ref)), VICTIM, VICTIM_FATHER)

    # The prison: the remand order's text, and the case it reads.
    for media in (JSON, XML):
        page = feed(http, prison, "prisons", "prison", PRISON, media)
        assert "the statement of victim V1 is recorded" in page.text
        assert not named(page.text, VICTIM, VICTIM_FATHER)
    prison_status = case(http, prison, ref)
    assert accused(prison_status)["A2"]["name"] == "A2 (name withheld)", "her father names her"
    assert not named(json.dumps(prison_status), VICTIM, VICTIM_FATHER)
    assert not named(json.dumps(timeline(http, prison, ref)), VICTIM, VICTIM_FATHER)

    # The registries: Vahan's flag (the remarks) and Vahan's own record of the owner.
    vahan = key_for("transport", "VAHAN")
    for media in (JSON, XML):
        page = feed(http, vahan, "transport", "registry", "VAHAN", media)
        assert "Scooter of the victim victim V1, found at the spot." in page.text
        assert not named(page.text, VICTIM)
    pillar_post(http, gateway, "transport", vahan, "vehicle.record", vahan_record(VICTIM_CASE))
    registration_mark = scenario.vehicle_numbers(VICTIM_CASE)["registration"]
    for reader in (vahan, police):
        looked = http.get(f"/v1/vehicles/{registration_mark}", headers=reader)
        assert looked.status_code == 200, looked.text
        owner = looked.json()["vahan"]["owner"]
        assert owner["name"] == "victim V1" and owner["address"] is None, owner
        assert owner["father_name"] is None
        assert [c["case_id"] for c in looked.json()["cases"]] == [case_id]

    # The police of the case read it all.
    status = case(http, police, ref)
    assert {p["ref"]: p["protection"] for p in status["protected_persons"]} == {
        "V1": "sexual_offence_victim",
        "C1": "sexual_offence_victim",
    }
    assert VICTIM in json.dumps(timeline(http, police, ref))


def test_sarathi_s_look_up_gives_no_section_and_no_link_that_identifies(
    http: TestClient, gateway: Gateway, key_for: Any, police: dict[str, str]
) -> None:
    case_id = police_post(http, police, victim_fir(VICTIM_CASE))["case_ids"][0]
    police_post(http, police, victim_sheet(VICTIM_CASE))
    child_case = police_post(http, police, child_fir(CHILD_CASE))["case_ids"][0]
    sarathi = key_for("transport", "SARATHI")

    # A1 of the rape case: the case is listed, by FIR, with no section of it.
    found = http.get("/v1/licences/MH20 2019 0004567", headers=sarathi)
    assert found.status_code == 200, found.text
    cases = found.json()["cases"]
    assert [(c["case_id"], c["kind"], c["person_ref"]) for c in cases] == [
        (case_id, "accused", "A1"),
        (child_case, "accused", "A1"),
    ]
    # No section anywhere: no offence list, and neither "64" nor "BNS" anywhere but inside
    # the random ids (a ULID's Crockford base32 can spell either).
    body = {k: v for k, v in found.json().items() if k != "cases"}
    unrandom = json.dumps(
        [body, [{k: v for k, v in listed.items() if not k.endswith("_id")} for listed in cases]]
    )
    assert "64" not in unrandom and "offences" not in unrandom and "BNS" not in unrandom
    assert not named(found.text, VICTIM)

    # A2 of the rape case is the victim's father: his licence is not linked to her case.
    pillar_post(
        http,
        gateway,
        "transport",
        sarathi,
        "licence.record",
        sarathi_record("MH20 2001 0000777", VICTIM_FATHER),
    )
    father = http.get("/v1/licences/MH2020010000777", headers=sarathi)
    assert father.status_code == 200, father.text
    assert father.json()["cases"] == []
    # The child's licence: not linked to his case, for anyone; known by nothing else: unknown.
    for reader in (sarathi, police):
        child = http.get("/v1/licences/MH20 2025 0009012", headers=reader)
        assert child.status_code == 404, child.text
        unknown = http.get("/v1/licences/MH20 2025 0009099", headers=reader)
        assert child.json()["message"].replace("0009012", "") == unknown.json()["message"].replace(
            "0009099", ""
        )
