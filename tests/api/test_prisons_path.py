"""The prisons pillar end to end over HTTP (embedded mode): police FIR and arrest, the court
registers the case and remands the accused, the prison reads the warrant on its feed, admits
and produces the inmate, the case shows custody per accused, the prison lists its undertrials
under BNSS s.479, releases on bail; an early admission is held until its case arrives; a death
in custody reaches every pillar's timeline; credentials and bad input are refused, located
and logged."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from canonical_model.events import CourtCaseRegistered, JudgmentDelivered, OrderIssued
from contracts.loader import validate_json, validate_xml
from contracts.toolkit import ToolkitAdapter
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.cases import rebuild_status

CASE = scenario.refs(417)
LATE_CASE = scenario.refs(418)
PRISON = scenario.PRISON
JSON = "application/json"
XML = "application/xml"
ADMITTED = dt.date(2026, 8, 18)


def theft_fir(case: scenario.CaseRefs) -> dict[str, Any]:
    """The scenario FIR charged as theft only (BNS s.303(2), at most 5 years in the law table)."""
    message = copy.deepcopy(scenario.fir_registered(case))
    message["data"]["fir"]["offences"] = [{"act": "BNS", "section": "303(2)"}]
    return message


def post(
    http: TestClient, path: str, headers: dict[str, str], body: bytes, media_type: str = JSON
) -> Any:
    return http.post(path, content=body, headers=headers | {"Content-Type": media_type})


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def court_message(gateway: Gateway, payload: Any, media_type: str) -> bytes:
    body: bytes = gateway.adapters.get("courts").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    return body


def prison_xml(gateway: Gateway, document: dict[str, Any]) -> bytes:
    """A prison JSON document written as the prison's XML (decode, then encode)."""
    adapter = gateway.adapters.get("prisons")
    assert isinstance(adapter, ToolkitAdapter)
    (payload,) = adapter.decode(json.dumps(document).encode(), media_type=JSON).payloads
    body: bytes = adapter.encode(payload, media_type=XML)
    return body


def order(case: scenario.CaseRefs, **changes: Any) -> OrderIssued:
    return OrderIssued.model_validate({"order": scenario.remand_order(case) | changes})


def registration(case: scenario.CaseRefs) -> CourtCaseRegistered:
    return CourtCaseRegistered.model_validate({"court_case": scenario.court_case(case)})


def arrest_of(case: scenario.CaseRefs, ref: str = "A1") -> dict[str, Any]:
    """The police message of the arrest of accused ``ref``, produced before the scenario court
    for remand: the court is seized of the case from then on (BNSS ss.58, 187)."""
    message = scenario.person_arrested(case)
    (person,) = [
        p for p in scenario.fir_registered(case)["data"]["fir"]["accused"] if p["ref"] == ref
    ]
    message["data"]["arrest"]["person"] = person
    return message


def remanded(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    case: scenario.CaseRefs,
) -> None:
    """What the prison's authority to admit A1 rests on: the arrest of A1, produced before the
    court (which is then seized), the court's registration of the case and its order remanding
    A1 to the prison (BNSS s.187)."""
    accepted(post(http, "/v1/police/messages", police, json.dumps(arrest_of(case)).encode()))
    accepted(
        post(http, "/v1/courts/messages", court, court_message(gateway, registration(case), JSON))
    )
    accepted(post(http, "/v1/courts/messages", court, court_message(gateway, order(case), JSON)))


@pytest.fixture
def prison(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prisons", PRISON)
    return headers


@pytest.fixture
def other_prison(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prisons", "YERAWADA_CP")
    return headers


def feed(http: TestClient, headers: dict[str, str], media_type: str = JSON) -> Any:
    return http.get(
        "/v1/prisons/feed", params={"prison": PRISON}, headers=headers | {"Accept": media_type}
    )


def test_the_whole_prisons_path(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
) -> None:
    # Police: FIR and the arrest that precedes the remand.
    case_id = accepted(
        post(http, "/v1/police/messages", police, json.dumps(theft_fir(CASE)).encode())
    )["case_ids"][0]
    accepted(
        post(
            http, "/v1/police/messages", police, json.dumps(scenario.person_arrested(CASE)).encode()
        )
    )

    # Court: registers the case (CNR) and remands A1 to the prison (XML).
    accepted(
        post(http, "/v1/courts/messages", court, court_message(gateway, registration(CASE), JSON))
    )
    remand = accepted(
        post(http, "/v1/courts/messages", court, court_message(gateway, order(CASE), XML), XML)
    )
    assert remand["case_ids"] == [case_id]

    # The prison's feed shows the warrant, in JSON and XML, each valid against its contract.
    page = feed(http, prison)
    assert page.status_code == 200, page.text
    assert validate_json("prisons/v1/order-feed.schema.json", page.json()) == []
    (item,) = page.json()["items"]
    assert item["caseId"] == case_id
    assert item["courtOrder"]["orderType"] == "remand"
    assert item["courtOrder"]["prisonCode"] == PRISON
    as_xml = feed(http, prison, XML)
    assert as_xml.status_code == 200 and as_xml.headers["content-type"].startswith(XML)
    assert validate_xml("prisons/v1/order-feed.xsd", etree.fromstring(as_xml.content)) == []

    # The prison admits the inmate (JSON) and produces them by video (XML).
    admission = accepted(
        post(http, "/v1/prisons/messages", prison, json.dumps(scenario.admission(CASE)).encode())
    )
    assert admission["case_ids"] == [case_id]
    assert admission["message_type"] == "admission"
    production = {
        "messageType": "production",
        "prisonCode": PRISON,
        "prisonerNumber": "UT/417/2026",
        "productionDate": "2026-09-01",
        "courtEstablishment": "MHAU01",
        "mode": "video",
        "outcome": "Remand extended",
        "nextDate": "2026-09-15",
    }
    accepted(post(http, "/v1/prisons/messages", prison, prison_xml(gateway, production), XML))

    # The case shows custody per accused: which prison, since when; A2 is not in custody.
    status = http.get(f"/v1/cases/{CASE.cnr}", headers=police)
    assert status.status_code == 200, status.text
    body = status.json()
    a1, a2 = body["accused"]
    assert a1["ref"] == "A1"
    assert a1["prison"] == PRISON
    assert a1["prisoner_number"] == f"{PRISON}:UT/417/2026"
    assert a1["in_prison_since"] == ADMITTED.isoformat()
    assert a1["prison_status"] == "in_custody"
    assert a1["custody"] == "judicial_custody"
    assert a1["inmate_category"] == "undertrial"
    assert a2["prison"] is None
    assert body["identifiers"]["prisoner"] == [f"{PRISON}:UT/417/2026"]
    # The prison holding the accused may read the case; the status is the event log's fold.
    assert http.get(f"/v1/cases/{CASE.cnr}", headers=prison).status_code == 200
    with gateway.db.session() as session:
        assert (
            rebuild_status(session, case_id).model_dump(mode="json")["accused"] == body["accused"]
        )

    # A production order that names no prison reaches the prison holding A1, with its number.
    production_order = order(
        CASE, order_number="PO/1/2026", kind="production", prison=None, appearance_date="2026-09-15"
    )
    accepted(
        post(http, "/v1/courts/messages", court, court_message(gateway, production_order, JSON))
    )
    items = feed(http, prison).json()["items"]
    assert [i["courtOrder"]["orderType"] for i in items] == ["remand", "production"]
    assert items[1]["courtOrder"]["prisonerNumbers"] == [f"{PRISON}:UT/417/2026"]
    assert items[1]["courtOrder"]["appearanceDate"] == "2026-09-15"
    after = feed_after(http, prison, items[0]["cursor"])
    assert [i["courtOrder"]["orderNumber"] for i in after] == ["PO/1/2026"]

    # Undertrials: theft, 3 years on a first conviction (BNS 303(2)); one-half is 18 calendar
    # months from the first day of detention. A1 was arrested on 17 August and admitted on the
    # 18th: the day of arrest counts, and every day is counted both ends included.
    early = undertrials(http, prison, ADMITTED + dt.timedelta(days=100))
    (entry,) = early["undertrials"]
    assert entry["case_id"] == case_id and entry["accused_ref"] == "A1"
    assert entry["days_in_custody"] == 102 and entry["days_before_admission"] == 1
    assert entry["gravest_offence"] == "BNS 303(2)"
    assert entry["max_punishment"]["max_years"] == 3
    # 17 Aug 2026 + 18 months is 17 Feb 2028: 549 days, the last on 16 Feb 2028.
    assert entry["fraction"] == "1/2" and entry["threshold_days"] == 549
    assert entry["crossed"] is False and entry["days_to_threshold"] == 447
    assert [t["fraction"] for t in entry["thresholds"]] == ["1/2", "full"]
    assert undertrials(http, prison, dt.date(2028, 2, 15))["undertrials"][0]["crossed"] is False
    late = undertrials(http, prison, dt.date(2028, 2, 16))
    assert late["undertrials"][0]["crossed"] is True
    assert "BNSS 479(3)" in late["undertrials"][0]["note"]

    # Release on bail: the accused is on bail and leaves the undertrial list.
    release = {
        "messageType": "release",
        "prisonCode": PRISON,
        "prisonerNumber": "UT/417/2026",
        "releaseDate": "2026-09-20",
        "reason": "bail",
        "order": {
            "warrantType": "bail",
            "courtEstablishment": "MHAU01",
            "orderDate": "2026-09-19",
            "cnr": str(CASE.cnr),
        },
    }
    accepted(post(http, "/v1/prisons/messages", prison, json.dumps(release).encode()))
    a1 = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()["accused"][0]
    assert a1["prison"] is None and a1["prison_status"] == "released_bail"
    assert a1["custody"] == "on_bail"
    assert a1["custody_periods"] == [
        {
            "prison": PRISON,
            "prisoner": f"{PRISON}:UT/417/2026",
            "since": "2026-08-18",
            "until": "2026-09-20",
            "kind": "prison",
        }
    ]
    assert undertrials(http, prison, dt.date(2026, 10, 1))["undertrials"] == []

    # The timeline shows every custody event.
    timeline = http.get(f"/v1/cases/{case_id}/timeline", headers=police).json()["events"]
    custody = [e["type"] for e in timeline if e["type"].startswith("icjs.custody.")]
    assert custody == ["icjs.custody.admitted", "icjs.custody.produced", "icjs.custody.released"]


def feed_after(http: TestClient, headers: dict[str, str], cursor: str) -> list[dict[str, Any]]:
    response = http.get(
        "/v1/prisons/feed", params={"prison": PRISON, "after": cursor}, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def undertrials(http: TestClient, headers: dict[str, str], as_of: dt.date) -> dict[str, Any]:
    response = http.get(
        f"/v1/prisons/{PRISON}/undertrials", params={"as_of": as_of.isoformat()}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["prison"] == PRISON and body["as_of"] == as_of.isoformat()
    return body


def test_an_admission_for_an_unknown_case_is_held_until_the_case_arrives_and_a_death_reaches_every_pillar(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
) -> None:
    # The court's remand order and the prison's admission on it reach the gateway before the
    # case does (the warrant names the case by its CNR): both are held. A held message is
    # judged when it is released, so the admission must come after the order it rests on.
    remand = post(
        http, "/v1/courts/messages", court, court_message(gateway, order(LATE_CASE), JSON)
    )
    assert remand.status_code == 202, remand.text
    assert remand.json()["status"] == "held"
    admission = scenario.admission(LATE_CASE, first_offender=True)
    del admission["warrant"]["firNo"]
    early = post(http, "/v1/prisons/messages", prison, json.dumps(admission).encode())
    assert early.status_code == 202, early.text
    held = early.json()
    assert held["status"] == "held"
    assert held["waiting_for"] == [f"cnr:{LATE_CASE.cnr}"]

    # The FIR arrives, and the arrest of A1, produced before the court (which is then seized):
    # the case is known by its FIR, not yet by the CNR the admission waits for.
    fir = accepted(
        post(http, "/v1/police/messages", police, json.dumps(theft_fir(LATE_CASE)).encode())
    )
    case_id = fir["case_ids"][0]
    accepted(post(http, "/v1/police/messages", police, json.dumps(arrest_of(LATE_CASE)).encode()))
    assert http.get(f"/v1/messages/{held['receipt_id']}", headers=prison).json()["status"] == "held"

    # The court registers the case: the remand order, then the admission on it, are applied.
    accepted(
        post(
            http,
            "/v1/courts/messages",
            court,
            court_message(gateway, registration(LATE_CASE), JSON),
        )
    )
    ordered = http.get(f"/v1/messages/{remand.json()['receipt_id']}", headers=court).json()
    assert ordered["status"] == "accepted" and ordered["case_ids"] == [case_id]
    logged = http.get(f"/v1/messages/{held['receipt_id']}", headers=prison).json()
    assert logged["status"] == "accepted" and logged["case_ids"] == [case_id]
    a1 = http.get(f"/v1/cases/{LATE_CASE.fir}", headers=police).json()["accused"][0]
    assert a1["prison"] == PRISON and a1["first_offender"] is True

    # A first offender: one third of 3 years is 12 calendar months from the arrest on
    # 17 August 2026: 365 days, completed on 16 August 2027 (the thief waited 609).
    listed = undertrials(http, prison, dt.date(2027, 8, 15))["undertrials"]
    assert [(e["fraction"], e["threshold_days"], e["crossed"]) for e in listed] == [
        ("1/3", 365, False)
    ]
    listed = undertrials(http, prison, dt.date(2027, 8, 16))["undertrials"]
    assert [(e["fraction"], e["threshold_days"], e["crossed"]) for e in listed] == [
        ("1/3", 365, True)
    ]

    # The court convicts A1: the judgment reaches the prison's feed with the prisoner number,
    # and the prison records the conviction.
    judgment = JudgmentDelivered.model_validate(
        {
            "judgment": {
                "cnr": str(LATE_CASE.cnr),
                "judgment_date": "2026-09-30",
                "verdicts": [
                    {
                        "accused_ref": "A1",
                        "verdict": "convicted",
                        "offences": [{"act": "BNS", "section": "303(2)"}],
                        "sentence": {"imprisonment_months": 12},
                    }
                ],
            }
        }
    )
    accepted(post(http, "/v1/courts/messages", court, court_message(gateway, judgment, XML), XML))
    remand_item, item = feed(http, prison).json()["items"]
    assert remand_item["courtOrder"]["orderType"] == "remand"
    assert item["judgment"]["verdicts"][0]["sentence"] == {"imprisonmentMonths": 12}
    assert item["judgment"]["prisonerNumbers"] == [f"{PRISON}:UT/418/2026"]
    conviction = {
        "messageType": "conviction",
        "prisonCode": PRISON,
        "prisonerNumber": "UT/418/2026",
        "convictionDate": "2026-09-30",
        "warrant": {
            "warrantType": "conviction",
            "courtEstablishment": "MHAU01",
            "orderDate": "2026-09-30",
            "cnr": str(LATE_CASE.cnr),
        },
        "sentence": {"imprisonmentMonths": 12},
    }
    accepted(post(http, "/v1/prisons/messages", prison, json.dumps(conviction).encode()))
    assert (
        http.get(f"/v1/cases/{LATE_CASE.cnr}", headers=court).json()["accused"][0][
            "inmate_category"
        ]
        == "convict"
    )
    assert undertrials(http, prison, dt.date(2026, 10, 1))["undertrials"] == []

    # Then the inmate dies in custody.
    death = {
        "messageType": "release",
        "prisonCode": PRISON,
        "prisonerNumber": "UT/418/2026",
        "releaseDate": "2026-10-05",
        "reason": "death",
        "remarks": "Found unresponsive in barrack 4",
    }
    answer = accepted(post(http, "/v1/prisons/messages", prison, prison_xml(gateway, death), XML))
    assert answer["case_ids"] == [case_id]
    for reader in (police, court, prison):
        events = http.get(f"/v1/cases/{LATE_CASE.cnr}/timeline", headers=reader).json()["events"]
        (alert,) = [e for e in events if e["type"] == "icjs.custody.death"]
        assert alert["pillar"] == "prisons"
        assert "magisterial inquiry" in alert["summary"] and "BNSS s.196" in alert["summary"]
    status = http.get(f"/v1/cases/{LATE_CASE.cnr}", headers=court).json()
    assert status["custody_alerts"] and "death in custody" in status["custody_alerts"][0]
    assert status["accused"][0]["prison_status"] == "died"
    assert undertrials(http, prison, dt.date(2026, 10, 6))["undertrials"] == []


def test_credentials_are_bound_to_the_prison(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
    other_prison: dict[str, str],
) -> None:
    accepted(post(http, "/v1/police/messages", police, json.dumps(theft_fir(CASE)).encode()))
    remanded(http, gateway, police, court, CASE)
    body = json.dumps(scenario.admission(CASE)).encode()
    assert post(http, "/v1/prisons/messages", {}, body).status_code == 401
    assert (
        post(http, "/v1/prisons/messages", {"Authorization": "Bearer nope"}, body).status_code
        == 401
    )
    # The police may not speak for a prison, nor another prison for this one's inmate.
    assert post(http, "/v1/prisons/messages", police, body).status_code == 403
    refused = post(http, "/v1/prisons/messages", other_prison, body)
    assert refused.status_code == 403, refused.text
    assert PRISON in refused.json()["message"]
    # A prison reads only its own feed and undertrials, and only the cases it holds.
    assert feed(http, other_prison).status_code == 403
    assert http.get(f"/v1/prisons/{PRISON}/undertrials", headers=other_prison).status_code == 403
    assert http.get(f"/v1/prisons/{PRISON}/undertrials", headers=police).status_code == 403
    # A case a prison may not read is answered as an unknown case is (no oracle); a warrant
    # naming the prison does not open the case to it before it holds the accused.
    not_yet = http.get(f"/v1/cases/{CASE.fir}", headers=prison)
    assert not_yet.status_code == 404
    assert not_yet.json()["message"] == f"no case known by '{CASE.fir}' that this key may read"
    accepted(post(http, "/v1/prisons/messages", prison, body))
    assert http.get(f"/v1/cases/{CASE.fir}", headers=prison).status_code == 200
    assert http.get(f"/v1/cases/{CASE.fir}", headers=other_prison).status_code == 404


def test_bad_prison_input_is_refused_located_and_logged(
    http: TestClient, gateway: Gateway, prison: dict[str, str], key_for: Any
) -> None:
    malformed = post(http, "/v1/prisons/messages", prison, b'{"messageType": "admission",')
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["location"].startswith("line 1")

    unknown = post(
        http, "/v1/prisons/messages", prison, json.dumps({"messageType": "pardon"}).encode()
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["location"] == "/messageType"

    document = scenario.admission(CASE)
    document["warrant"]["orderDate"] = "2026-02-30"
    broken_xml = prison_xml(gateway, scenario.admission(CASE)).replace(
        b"<category>undertrial</category>", b"<category>remand</category>"
    )
    refused = post(http, "/v1/prisons/messages", prison, broken_xml, XML)
    assert refused.status_code == 422, refused.text
    assert any(e["location"] == "/p:admission/p:category" for e in refused.json()["errors"])
    bad_date = post(http, "/v1/prisons/messages", prison, json.dumps(document).encode())
    assert bad_date.status_code == 422
    assert any(e["location"] == "/warrant/orderDate" for e in bad_date.json()["errors"])

    wrong_type = post(http, "/v1/prisons/messages", prison, b"hello", "text/plain")
    assert wrong_type.status_code == 415

    operator = key_for("operator", "OPS")
    log = http.get(
        "/v1/admin/messages", params={"pillar": "prisons", "status": "rejected"}, headers=operator
    ).json()["messages"]
    assert len(log) == 5
    assert {m["message_type"] for m in log} >= {"admission", "pardon"}
    assert all(m["errors"] and all(e["location"] for e in m["errors"]) for m in log)


def test_a_message_naming_an_unknown_prisoner_is_held_until_the_admission(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
) -> None:
    production = {
        "messageType": "production",
        "prisonCode": PRISON,
        "prisonerNumber": "UT/417/2026",
        "productionDate": "2026-09-01",
        "courtEstablishment": "MHAU01",
        "mode": "in_person",
    }
    early = post(http, "/v1/prisons/messages", prison, json.dumps(production).encode())
    assert early.status_code == 202, early.text
    assert early.json()["status"] == "held"
    assert early.json()["waiting_for"] == [f"prisoner:{PRISON}:UT/417/2026"]

    case_id = accepted(
        post(http, "/v1/police/messages", police, json.dumps(theft_fir(CASE)).encode())
    )["case_ids"][0]
    remanded(http, gateway, police, court, CASE)
    accepted(
        post(http, "/v1/prisons/messages", prison, json.dumps(scenario.admission(CASE)).encode())
    )
    logged = http.get(f"/v1/messages/{early.json()['receipt_id']}", headers=prison).json()
    assert logged["status"] == "accepted" and logged["case_ids"] == [case_id]
    events = http.get(f"/v1/cases/{case_id}/timeline", headers=police).json()["events"]
    assert [e["type"] for e in events][-2:] == ["icjs.custody.admitted", "icjs.custody.produced"]

    # The same prisoner number cannot be admitted for another case, even on that case's warrant.
    other = scenario.refs(419)
    accepted(post(http, "/v1/police/messages", police, json.dumps(theft_fir(other)).encode()))
    remanded(http, gateway, police, court, other)
    clash = scenario.admission(other, number="UT/417/2026")
    refused = post(http, "/v1/prisons/messages", prison, json.dumps(clash).encode())
    assert refused.status_code == 409, refused.text


def test_an_order_for_accused_held_in_two_prisons_reaches_both_prisons_feeds(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
    other_prison: dict[str, str],
) -> None:
    case = scenario.refs(419)
    case_id = accepted(
        post(http, "/v1/police/messages", police, json.dumps(theft_fir(case)).encode())
    )["case_ids"][0]
    # Both accused arrested and produced before the court, which remands each to a prison.
    accepted(post(http, "/v1/police/messages", police, json.dumps(arrest_of(case)).encode()))
    accepted(post(http, "/v1/police/messages", police, json.dumps(arrest_of(case, "A2")).encode()))
    accepted(
        post(http, "/v1/courts/messages", court, court_message(gateway, registration(case), JSON))
    )
    held = {PRISON: ("A1", "Ramesh Shankar Jadhav"), "YERAWADA_CP": ("A2", "Salim Yusuf Shaikh")}
    for code, (ref, _) in held.items():
        remand = order(case, order_number=f"RO/{ref}/419", accused_refs=[ref], prison=code)
        accepted(post(http, "/v1/courts/messages", court, court_message(gateway, remand, JSON)))
    for code, headers in ((PRISON, prison), ("YERAWADA_CP", other_prison)):
        ref, name = held[code]
        admission = scenario.admission(case, prison=code, number=f"UT/{ref}/419")
        admission["inmate"] = {"name": name, "gender": "male", "accusedRef": ref}
        admission["warrant"]["orderNumber"] = f"RO/{ref}/419"
        accepted(post(http, "/v1/prisons/messages", headers, json.dumps(admission).encode()))

    # The court orders both accused produced, naming no prison: each prison holding one of them
    # gets the order on its feed, with the prisoner numbers it concerns.
    production = order(
        case,
        kind="production",
        order_number="PO/419",
        accused_refs=["A1", "A2"],
        prison=None,
        appearance_date="2026-09-01",
    )
    accepted(post(http, "/v1/courts/messages", court, court_message(gateway, production, XML), XML))
    for code, headers in ((PRISON, prison), ("YERAWADA_CP", other_prison)):
        page = http.get("/v1/prisons/feed", params={"prison": code}, headers=headers)
        assert page.status_code == 200, page.text
        orders = [
            i["courtOrder"]
            for i in page.json()["items"]
            if i["caseId"] == case_id and i["courtOrder"]["orderNumber"] == "PO/419"
        ]
        assert len(orders) == 1, f"{code} must get the production order once"
        assert sorted(orders[0]["prisonerNumbers"]) == [
            f"{PRISON}:UT/A1/419",
            "YERAWADA_CP:UT/A2/419",
        ]
