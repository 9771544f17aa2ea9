"""The prosecution pillar end to end over HTTP (embedded mode, SQLite and PostgreSQL): the police
file a charge sheet, which reaches the feed of the office BNSS s.20 routes it to (and no other)
with its documents, accused, witnesses, sections and the routing reason; the office assigns a
prosecutor, returns the report with deficiencies, the police re-file it, both versions are kept,
the office approves the second; the case status shows it all; a judgment reaches the office,
which recommends an appeal. Wrong offices and other States are refused and logged; bad input is
located (JSON pointer, XPath) and logged as rejected."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from canonical_model.events import (
    CourtCaseRegistered,
    EventPayload,
    JudgmentDelivered,
    payload_class,
)
from contracts.loader import validate_json, validate_xml
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.cases import rebuild_status

CASE = scenario.refs(417)
MINOR_CASE = scenario.refs(418)
DOP = scenario.PROSECUTION_OFFICE  # MH/DOP: robbery with hurt is punishable with life
JSON = "application/json"
XML = "application/xml"
REPORT = f"CS-{CASE.fir.serial}/{CASE.fir.year}"


def post(
    http: TestClient, path: str, headers: dict[str, str], body: bytes, media_type: str = JSON
) -> Any:
    return http.post(path, content=body, headers=headers | {"Content-Type": media_type})


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def office_message(gateway: Gateway, name: str, data: dict[str, Any], media_type: str) -> bytes:
    """Canonical prosecution data written in the office's own format (JSON or XML)."""
    payload: EventPayload = payload_class(name).model_validate(data)
    body: bytes = gateway.adapters.get("prosecution").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    return body


def court_message(gateway: Gateway, payload: EventPayload) -> bytes:
    body: bytes = gateway.adapters.get("courts").encode(payload, media_type=JSON)  # type: ignore[attr-defined]
    return body


def refiled(case: scenario.CaseRefs) -> dict[str, Any]:
    """The charge sheet filed again under its number, with the deficiencies cured."""
    message = copy.deepcopy(scenario.chargesheet_filed(case))
    report = message["data"]["report"]
    report["filed_on"] = "2026-10-28"
    report["documents"].append(
        {"title": "Proclamation of A2 under BNSS s.84", "sha256": "b" * 64, "pages": 2}
    )
    return message


def attempted_robbery(case: scenario.CaseRefs) -> dict[str, Any]:
    """A charge sheet for attempted robbery only (BNS s.309(5), seven years): a Deputy
    Director's (BNSS s.20(8))."""
    message = copy.deepcopy(scenario.chargesheet_filed(case))
    report = message["data"]["report"]
    report["offences"] = [{"act": "BNS", "section": "309(5)"}]
    for accused in report["accused"]:
        accused["offences"] = [{"act": "BNS", "section": "309(5)"}]
    return message


def feed(http: TestClient, headers: dict[str, str], office: str, media_type: str = JSON) -> Any:
    return http.get(
        "/v1/prosecution/feed", params={"office": office}, headers=headers | {"Accept": media_type}
    )


def items(http: TestClient, headers: dict[str, str], office: str) -> list[dict[str, Any]]:
    page = feed(http, headers, office)
    assert page.status_code == 200, page.text
    assert validate_json("prosecution/v1/prosecution-feed.schema.json", page.json()) == []
    found: list[dict[str, Any]] = page.json()["items"]
    return found


@pytest.fixture
def director(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prosecution", DOP)
    return headers


@pytest.fixture
def deputy(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prosecution", "MH/AU/DDP")
    return headers


@pytest.fixture
def assistant(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prosecution", "mh/au/adp")
    return headers


def test_the_whole_prosecution_path(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    director: dict[str, str],
    deputy: dict[str, str],
    assistant: dict[str, str],
) -> None:
    # Police: FIR and charge sheet (BNS s.309(6), imprisonment for life).
    case_id = accepted(
        post(
            http, "/v1/police/messages", police, json.dumps(scenario.fir_registered(CASE)).encode()
        )
    )["case_ids"][0]
    accepted(
        post(
            http,
            "/v1/police/messages",
            police,
            json.dumps(scenario.chargesheet_filed(CASE)).encode(),
        )
    )

    # The report is on the district Deputy Director's feed for scrutiny (BNSS s.20(8)) and on
    # the Director's to monitor the case (life: s.20(7)), with everything needed and why.
    (scrutiny_item,) = items(http, deputy, "MH/AU/DDP")
    assert scrutiny_item["policeReport"]["purpose"] == "scrutiny"
    (item,) = items(http, director, DOP)
    assert item["policeReport"]["purpose"] == "monitoring"
    assert item["caseId"] == case_id
    report = item["policeReport"]
    assert (report["firNo"], report["reportNumber"], report["version"]) == (
        str(CASE.fir),
        REPORT,
        1,
    )
    assert [(d["title"], d["pages"]) for d in report["documents"]] == [
        ("Spot panchnama", 3),
        ("CCTV footage certificate (BSA s.63)", 1),
    ]
    assert all(len(d["sha256"]) == 64 for d in report["documents"])
    assert [
        (a["ref"], a["custody"], [o["section"] for o in a["offences"]]) for a in report["accused"]
    ] == [
        ("A1", "judicial_custody", ["309(6)", "3(5)"]),
        ("A2", "absconding", ["309(6)", "3(5)"]),
    ]
    assert [w["name"] for w in report["witnesses"]] == ["Sunita Ashok Pawar"]
    assert [o["section"] for o in report["offences"]] == ["309(6)", "3(5)"]
    routing = report["routing"]
    assert (routing["office"], routing["level"], routing["rule"]) == (
        "MH/AU/DDP",
        "DDP",
        "BNSS s.20(8)",
    )
    assert (routing["monitoringOffice"], routing["monitoringRule"]) == (DOP, "BNSS s.20(7)")
    assert routing["maxPunishment"] == "imprisonment for life"
    assert "BNS 309(6)" in routing["reason"] and "Director of Prosecution" in routing["reason"]
    as_xml = feed(http, director, DOP, XML)
    assert as_xml.status_code == 200 and as_xml.headers["content-type"].startswith(XML)
    assert (
        validate_xml("prosecution/v1/prosecution-feed.xsd", etree.fromstring(as_xml.content)) == []
    )
    assert b"<monitoringRule>BNSS s.20(7)</monitoringRule>" in as_xml.content
    assert b"<purpose>monitoring</purpose>" in as_xml.content
    assert items(http, assistant, "MH/AU/ADP") == []

    # The Directorate assigns a prosecutor (XML); the Deputy Director returns the report with
    # deficiencies (JSON).
    assigned = accepted(
        post(
            http,
            "/v1/prosecution/messages",
            director,
            office_message(
                gateway,
                "prosecution.prosecutor_assigned",
                scenario.prosecutor_assignment(CASE),
                XML,
            ),
            XML,
        )
    )
    assert assigned["case_ids"] == [case_id] and assigned["message_type"] == "prosecutor_assignment"
    accepted(
        post(
            http,
            "/v1/prosecution/messages",
            deputy,
            office_message(
                gateway, "prosecution.scrutiny_completed", scenario.scrutiny_returned(CASE), JSON
            ),
        )
    )
    status = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()["prosecution"]
    assert status["reports"][0]["state"] == "returned_with_deficiencies"

    # The police file the report again under its number: version 2, on the same feed.
    accepted(post(http, "/v1/police/messages", police, json.dumps(refiled(CASE)).encode()))
    first, second = items(http, director, DOP)
    assert first["policeReport"]["version"] == 1 and second["policeReport"]["version"] == 2
    assert len(second["policeReport"]["documents"]) == 3
    status = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()["prosecution"]
    assert status["reports"][0]["state"] == "refiled"

    # The Deputy Director approves version 2 (XML).
    accepted(
        post(
            http,
            "/v1/prosecution/messages",
            deputy,
            office_message(
                gateway, "prosecution.scrutiny_completed", scenario.scrutiny_approved(CASE), XML
            ),
            XML,
        )
    )

    # The case status shows the prosecution state, to the police and to the office.
    body = http.get(f"/v1/cases/{CASE.fir}", headers=police).json()
    prosecution = body["prosecution"]
    assert prosecution["routed_to"] == "MH/AU/DDP" and prosecution["monitored_by"] == DOP
    assert prosecution["routing"]["rule"] == "BNSS s.20(8)"
    assert prosecution["routing"]["monitoring_rule"] == "BNSS s.20(7)"
    assert prosecution["prosecutor"]["prosecutor"]["name"] == "Adv. Sunanda Gaikwad"
    assert prosecution["prosecutor"]["court"] == "MHAU01"
    assert prosecution["prosecutor"]["prosecution_number"] == scenario.prosecution_number(CASE)
    (report_status,) = prosecution["reports"]
    assert report_status["report_number"] == REPORT and report_status["state"] == "approved"
    v1, v2 = report_status["versions"]
    assert (v1["version"], v1["filed_on"], len(v1["documents"])) == (1, "2026-10-09", 2)
    assert (v2["version"], v2["filed_on"], len(v2["documents"])) == (2, "2026-10-28", 3)
    assert [d["field"] for d in v1["scrutiny"][0]["deficiencies"]] == [
        "documents",
        "accused[A2].custody",
    ]
    assert v1["scrutiny"][0]["outcome"] == "returned"
    assert v2["scrutiny"][0]["outcome"] == "approved"
    assert body["police_reports"] == [
        f"charge sheet {REPORT}",
        f"charge sheet {REPORT} (version 2)",
    ]
    assert body["identifiers"]["prosecution_no"] == [scenario.prosecution_number(CASE)]
    assert http.get(f"/v1/cases/{CASE.fir}", headers=director).json()["prosecution"] == prosecution
    assert http.get(f"/v1/cases/{CASE.fir}", headers=deputy).status_code == 200  # s.20(10)

    # A judgment reaches the office that handles the case; it recommends an appeal.
    registration = CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})
    accepted(post(http, "/v1/courts/messages", court, court_message(gateway, registration)))
    judgment = JudgmentDelivered.model_validate(
        {
            "judgment": {
                "cnr": str(CASE.cnr),
                "judgment_date": "2027-03-10",
                "verdicts": [
                    {
                        "accused_ref": "A1",
                        "verdict": "convicted",
                        "sentence": {"imprisonment_months": 84},
                    },
                    {"accused_ref": "A2", "verdict": "acquitted"},
                ],
            }
        }
    )
    accepted(post(http, "/v1/courts/messages", court, court_message(gateway, judgment)))
    *_, delivered = items(http, director, DOP)
    assert delivered["judgment"]["cnr"] == str(CASE.cnr)
    assert delivered["judgment"]["prosecutionOffice"] == DOP
    accepted(
        post(
            http,
            "/v1/prosecution/messages",
            director,
            office_message(
                gateway,
                "prosecution.appeal_recommendation",
                scenario.appeal_recommendation(CASE, judgment_date="2027-03-10"),
                XML,
            ),
            XML,
        )
    )
    accepted(
        post(
            http,
            "/v1/prosecution/messages",
            director,
            office_message(
                gateway, "prosecution.opinion_given", scenario.legal_opinion(CASE), JSON
            ),
        )
    )
    prosecution = http.get(f"/v1/cases/{CASE.cnr}", headers=police).json()["prosecution"]
    (appeal,) = prosecution["appeal_recommendations"]
    assert appeal["recommended"] is True and appeal["accused_refs"] == ["A2"]
    assert prosecution["opinions"][0]["office"] == DOP

    # The status is a fold of the events: rebuilt from them alone, it is the same.
    with gateway.db.session() as session:
        rebuilt = rebuild_status(session, case_id)
    stored = http.get(f"/v1/cases/{case_id}", headers=police).json()
    assert rebuilt.prosecution.model_dump(mode="json") == stored["prosecution"]
    timeline = http.get(f"/v1/cases/{case_id}/timeline", headers=police).json()["events"]
    assert [e["type"] for e in timeline if e["pillar"] == "prosecution"] == [
        "icjs.prosecution.prosecutor_assigned",
        "icjs.prosecution.scrutiny_completed",
        "icjs.prosecution.scrutiny_completed",
        "icjs.prosecution.appeal_recommendation",
        "icjs.prosecution.opinion_given",
    ]


def test_a_report_of_a_lesser_offence_goes_to_the_district_deputy_director_only(
    http: TestClient,
    police: dict[str, str],
    director: dict[str, str],
    deputy: dict[str, str],
    assistant: dict[str, str],
) -> None:
    accepted(
        post(
            http,
            "/v1/police/messages",
            police,
            json.dumps(scenario.fir_registered(MINOR_CASE)).encode(),
        )
    )
    accepted(
        post(
            http, "/v1/police/messages", police, json.dumps(attempted_robbery(MINOR_CASE)).encode()
        )
    )
    (item,) = items(http, deputy, "MH/AU/DDP")
    routing = item["policeReport"]["routing"]
    assert (routing["office"], routing["rule"]) == ("MH/AU/DDP", "BNSS s.20(8)")
    assert routing["maxPunishment"] == "imprisonment for 7 years"
    assert items(http, director, DOP) == []
    assert items(http, assistant, "MH/AU/ADP") == []


def test_offices_speak_only_for_themselves_and_their_area(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    director: dict[str, str],
    deputy: dict[str, str],
    key_for: Any,
) -> None:
    accepted(
        post(
            http, "/v1/police/messages", police, json.dumps(scenario.fir_registered(CASE)).encode()
        )
    )
    accepted(
        post(
            http,
            "/v1/police/messages",
            police,
            json.dumps(scenario.chargesheet_filed(CASE)).encode(),
        )
    )
    returned = office_message(
        gateway,
        "prosecution.scrutiny_completed",
        scenario.scrutiny_returned(CASE, office=DOP),
        JSON,
    )
    # The district's Deputy Director may not speak as the Director ...
    refused = post(http, "/v1/prosecution/messages", deputy, returned)
    assert refused.status_code == 403, refused.text
    assert DOP in refused.json()["message"]
    # ... nor an office of another State or district about this case, by FIR or by CNR.
    karnataka = key_for("prosecution", "KA/DOP")
    other_state = scenario.scrutiny_returned(CASE, office="KA/DOP")
    refused = post(
        http,
        "/v1/prosecution/messages",
        karnataka,
        office_message(gateway, "prosecution.scrutiny_completed", other_state, XML),
        XML,
    )
    assert refused.status_code == 403, refused.text
    pune = key_for("prosecution", "MH/PU/DDP")
    by_cnr = scenario.prosecutor_assignment(CASE, office="MH/PU/DDP")
    del by_cnr["assignment"]["fir"]
    registration = CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})
    accepted(
        post(
            http,
            "/v1/courts/messages",
            key_for("courts", "MHAU01"),
            court_message(gateway, registration),
        )
    )
    refused = post(
        http,
        "/v1/prosecution/messages",
        pune,
        office_message(gateway, "prosecution.prosecutor_assigned", by_cnr, JSON),
    )
    assert refused.status_code == 403, refused.text
    assert "outside the area" in refused.json()["message"]
    # The police may not speak for a prosecution office; offices read only their own feed and
    # only the cases of their area: to another, a case is as unknown as one that does not exist.
    assert post(http, "/v1/prosecution/messages", police, returned).status_code == 403
    assert feed(http, deputy, DOP).status_code == 403
    unknown_fir = scenario.refs(999).fir
    for outsider in (karnataka, pune):
        unknown = http.get(f"/v1/cases/{unknown_fir}", headers=outsider)
        assert unknown.status_code == 404
        assert (
            unknown.json()["message"] == f"no case known by '{unknown_fir}' that this key may read"
        )
        hidden = http.get(f"/v1/cases/{CASE.fir}", headers=outsider)
        assert hidden.status_code == 404, hidden.text
        assert hidden.json()["message"] == f"no case known by '{CASE.fir}' that this key may read"
    # Any level of the district may deal with the case (BNSS s.20(10)).
    accepted(
        post(
            http,
            "/v1/prosecution/messages",
            deputy,
            office_message(
                gateway,
                "prosecution.scrutiny_completed",
                scenario.scrutiny_returned(CASE, office="MH/AU/DDP"),
                JSON,
            ),
        )
    )
    # Every refusal of a message is in the log.
    operator = key_for("operator", "OPS")
    log = http.get(
        "/v1/admin/messages",
        params={"pillar": "prosecution", "status": "rejected"},
        headers=operator,
    ).json()["messages"]
    assert len(log) == 3
    assert all(m["errors"] and m["message_type"] for m in log)


def test_bad_prosecution_input_is_refused_located_and_logged(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    director: dict[str, str],
    key_for: Any,
) -> None:
    accepted(
        post(
            http, "/v1/police/messages", police, json.dumps(scenario.fir_registered(CASE)).encode()
        )
    )
    accepted(
        post(
            http,
            "/v1/police/messages",
            police,
            json.dumps(scenario.chargesheet_filed(CASE)).encode(),
        )
    )
    malformed = post(
        http, "/v1/prosecution/messages", director, b'{"messageType": "scrutiny_result",'
    )
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["location"].startswith("line 1")

    returned = json.loads(
        office_message(
            gateway,
            "prosecution.scrutiny_completed",
            scenario.scrutiny_returned(CASE, office=DOP),
            JSON,
        )
    )
    bad_result = post(
        http,
        "/v1/prosecution/messages",
        director,
        json.dumps(returned | {"result": "rejected"}).encode(),
    )
    assert bad_result.status_code == 422
    assert any(e["location"] == "/result" for e in bad_result.json()["errors"])
    as_xml = office_message(
        gateway, "prosecution.scrutiny_completed", scenario.scrutiny_returned(CASE, office=DOP), XML
    )
    bad_xml = post(
        http,
        "/v1/prosecution/messages",
        director,
        as_xml.replace(b"<result>returned</result>", b"<result>rejected</result>"),
        XML,
    )
    assert bad_xml.status_code == 422, bad_xml.text
    assert any(e["location"] == "/pr:scrutinyResult/pr:result" for e in bad_xml.json()["errors"])

    # A scrutiny of a report, or a version, the case does not have: located where the office
    # wrote the report number (or version), in JSON and in XML.
    unknown = post(
        http,
        "/v1/prosecution/messages",
        director,
        json.dumps(returned | {"reportNumber": "CS-999/2026"}).encode(),
    )
    assert unknown.status_code == 422, unknown.text
    (problem,) = unknown.json()["errors"]
    assert problem["location"] == "/reportNumber" and REPORT in problem["message"]
    unknown_xml = post(
        http,
        "/v1/prosecution/messages",
        director,
        as_xml.replace(REPORT.encode(), b"CS-999/2026"),
        XML,
    )
    assert unknown_xml.status_code == 422, unknown_xml.text
    assert unknown_xml.json()["errors"][0]["location"] == "/pr:scrutinyResult/pr:reportNumber"
    no_version = post(
        http,
        "/v1/prosecution/messages",
        director,
        json.dumps(returned | {"version": 2}).encode(),
    )
    assert no_version.status_code == 422
    assert no_version.json()["errors"][0]["location"] == "/version"

    # An appeal recommendation before any judgment is a conflict with the case.
    registration = CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})
    accepted(
        post(
            http,
            "/v1/courts/messages",
            key_for("courts", "MHAU01"),
            court_message(gateway, registration),
        )
    )
    early_appeal = post(
        http,
        "/v1/prosecution/messages",
        director,
        office_message(
            gateway,
            "prosecution.appeal_recommendation",
            scenario.appeal_recommendation(CASE, judgment_date="2027-03-10"),
            JSON,
        ),
    )
    assert early_appeal.status_code == 409, early_appeal.text
    assert "no judgment" in early_appeal.json()["message"]

    wrong_type = post(http, "/v1/prosecution/messages", director, b"hello", "text/plain")
    assert wrong_type.status_code == 415

    operator = key_for("operator", "OPS")
    log = http.get(
        "/v1/admin/messages",
        params={"pillar": "prosecution", "status": "rejected"},
        headers=operator,
    ).json()["messages"]
    assert {m["message_type"] for m in log} >= {"scrutiny_result", "appeal_recommendation"}
    assert all(m["errors"] and all(e["location"] for e in m["errors"]) for m in log)
    assert sum(m["message_type"] == "scrutiny_result" for m in log) == 5
