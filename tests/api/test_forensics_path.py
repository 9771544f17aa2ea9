"""The forensic labs path end to end over HTTP (embedded mode): a grave case is flagged under
BNSS s.176(3) while it has no forensic request; the police send one; the laboratory reads it
from its feed, acknowledges it with its own case number, records custody (one entry held until
the acknowledgement arrives), reports, and revises the report; the status shows it all."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from pydantic import ValidationError
from sqlmodel import select

from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.auth import normalise_institution
from gateway.services.cases import rebuild_status
from gateway.settings import Settings
from gateway.store.tables import MessageRow

CASE = scenario.refs(123)
# The lab report number the scenario gives this case.
NUMBER = scenario.forensic_report(CASE)["report"]["report_number"]
LAB = scenario.LAB
JSON = "application/json"
XML = "application/xml"
#: 40 days after the scenario FIR (registered 2026-08-14 21:40 IST): past the 30-day default.
LATE = dt.datetime(2026, 9, 23, 12, 0, tzinfo=dt.UTC)
#: 10 days after the FIR: not yet due.
EARLY = dt.datetime(2026, 8, 24, 12, 0, tzinfo=dt.UTC)


def post(
    http: TestClient, pillar: str, headers: dict[str, str], body: bytes, media_type: str
) -> Any:
    return http.post(
        f"/v1/{pillar}/messages", content=body, headers=headers | {"Content-Type": media_type}
    )


def police_message(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode()


def lab_body(gateway: Gateway, name: str, data: dict[str, Any], media_type: str) -> bytes:
    from canonical_model.events import payload_class

    payload = payload_class(name).model_validate(data)
    body: bytes = gateway.adapters.get("forensics").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    return body


def logged(gateway: Gateway, receipt_id: str) -> MessageRow:
    with gateway.db.session() as session:
        row = session.exec(select(MessageRow).where(MessageRow.id == receipt_id)).one()
    return row


@pytest.fixture
def lab(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("forensics", LAB.lower())
    return headers


def status_of(http: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = http.get(f"/v1/cases/{CASE.fir}", headers=headers)
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def test_the_whole_forensic_path(
    http: TestClient, gateway: Gateway, police: dict[str, str], lab: dict[str, str]
) -> None:
    fir = post(http, "police", police, police_message(scenario.fir_registered(CASE)), JSON)
    assert fir.status_code == 202, fir.text
    case_id = fir.json()["case_ids"][0]

    # BNS 309(6) carries imprisonment for life: s.176(3) applies; not flagged before it is due.
    gateway.clock = lambda: EARLY
    visit = status_of(http, police)["forensic_visit"]
    assert visit["applies"] is True and visit["flagged"] is False
    assert visit["gravest_offence"] == "BNS 309(6)"
    assert "life" in visit["max_punishment"]
    assert visit["due_by"].startswith("2026-09-13T21:40:00")
    gateway.clock = lambda: LATE
    visit = status_of(http, police)["forensic_visit"]
    assert visit["flagged"] is True, visit
    assert visit["rule"] == "BNSS s.176(3)" and "no forensic request 30 days" in visit["reason"]

    # A custody entry naming a lab case number not yet acknowledged is held, not rejected.
    early = post(
        http,
        "forensics",
        lab,
        lab_body(gateway, "forensic.custody_recorded", scenario.forensic_custody(CASE), XML),
        XML,
    )
    assert early.status_code == 202, early.text
    assert early.json()["status"] == "held"
    assert early.json()["waiting_for"] == [f"lab_case:{scenario.lab_case_number(CASE)}"]

    requested = post(
        http, "police", police, police_message(scenario.forensic_requested(CASE)), JSON
    )
    assert requested.status_code == 202, requested.text
    assert requested.json()["case_ids"] == [case_id]
    status = status_of(http, police)
    assert status["forensic_visit"]["flagged"] is False
    assert status["forensic_visit"]["forensic_requests"] == 1
    (request,) = status["forensic_requests"]
    assert request["state"] == "requested" and request["lab"] == LAB
    assert request["exhibits"] == ["E1", "E2"] and len(request["chain_of_custody"]) == 2

    # The lab's feed carries the request, in XML and in JSON, each valid against its contract.
    feed_xml = http.get("/v1/forensics/feed", params={"lab": LAB}, headers=lab | {"Accept": XML})
    assert feed_xml.status_code == 200, feed_xml.text
    assert (
        validate_xml("forensics/v1/examination-request-feed.xsd", parse_xml(feed_xml.content)) == []
    )
    ns = {"f": "urn:icjs:forensics:v1"}
    root = etree.fromstring(feed_xml.content)
    assert root.xpath(
        "string(/f:examinationRequestFeed/f:item/f:examinationRequest/f:requestId)", namespaces=ns
    ) == scenario.forensic_request_id(CASE)
    feed_json = http.get("/v1/forensics/feed", params={"lab": LAB}, headers=lab | {"Accept": JSON})
    page = feed_json.json()
    assert (
        validate_json(
            "forensics/v1/examination-request-feed.schema.json", parse_json(feed_json.content)
        )
        == []
    )
    (item,) = page["items"]
    assert item["caseId"] == case_id and page["nextCursor"] is None
    assert [e["exhibitId"] for e in item["examinationRequest"]["exhibits"]] == ["E1", "E2"]
    after = http.get(
        "/v1/forensics/feed", params={"lab": LAB, "after": item["cursor"]}, headers=lab
    )
    assert after.json()["items"] == []

    # The acknowledgement (JSON) links the lab case number and releases the held custody entries.
    ack = post(
        http,
        "forensics",
        lab,
        lab_body(gateway, "forensic.acknowledged", scenario.forensic_acknowledgement(CASE), JSON),
        JSON,
    )
    assert ack.status_code == 202, ack.text
    assert ack.json()["status"] == "accepted" and ack.json()["case_ids"] == [case_id]
    assert logged(gateway, early.json()["receipt_id"]).status == "accepted"
    request = status_of(http, police)["forensic_requests"][0]
    assert request["lab_case"] == scenario.lab_case_number(CASE)
    assert request["state"] == "under_examination"
    assert [e["action"] for e in request["chain_of_custody"]] == [
        "deposited",
        "dispatched",
        "received",
        "received",
        "examined",
    ]
    assert all(e["seal_intact"] for e in request["chain_of_custody"])

    # A revision before its report is held too, and released by the report.
    revision_body = lab_body(
        gateway, "forensic.report_revised", scenario.forensic_report_revision(CASE), XML
    )
    revision = post(http, "forensics", lab, revision_body, XML)
    assert revision.json()["status"] == "held", revision.text
    report = post(
        http,
        "forensics",
        lab,
        lab_body(gateway, "forensic.reported", scenario.forensic_report(CASE), JSON),
        JSON,
    )
    assert report.status_code == 202 and report.json()["status"] == "accepted", report.text
    assert logged(gateway, revision.json()["receipt_id"]).status == "accepted"

    status = status_of(http, police)
    request = status["forensic_requests"][0]
    assert request["state"] == "reported"
    current = request["current_report"]
    assert current["report_number"] == f"{NUMBER}-R1"
    assert current["supersedes"] == NUMBER
    assert current["examiner"] == {
        "name": "Dr. Prakash Joshi",
        "designation": "Assistant Chemical Analyser",
    }
    assert [f["examination"] for f in current["findings"]] == ["serology", "serology", "dna"]
    (old,) = request["superseded_reports"]
    assert old["report_number"] == NUMBER and old["superseded_by"] == current["report_number"]
    assert old["attachments"][0]["sha256"].startswith("5f1c3e9a")
    assert status["identifiers"]["lab_case"] == [scenario.lab_case_number(CASE)]
    assert status["identifiers"]["lab_report"] == [
        f"{LAB}:{NUMBER}",
        f"{LAB}:{NUMBER}-R1",
    ]

    # Both reports stay in the event log; the status is what the log projects.
    with gateway.db.session() as session:
        rebuilt = rebuild_status(session, case_id)
    assert rebuilt.forensic_requests[0].model_dump(mode="json") == request
    timeline = http.get(f"/v1/cases/{case_id}/timeline", headers=police).json()["events"]
    types = [e["type"] for e in timeline]
    assert (
        types.count("icjs.forensic.reported") == 1
        and types.count("icjs.forensic.report_revised") == 1
    )


def _setup_request(http: TestClient, police: dict[str, str]) -> str:
    fir = post(http, "police", police, police_message(scenario.fir_registered(CASE)), JSON)
    assert fir.status_code == 202, fir.text
    requested = post(
        http, "police", police, police_message(scenario.forensic_requested(CASE)), JSON
    )
    assert requested.json()["status"] == "accepted", requested.text
    case_id: str = fir.json()["case_ids"][0]
    return case_id


def test_keys_are_bound_to_the_pillar_and_the_laboratory(
    http: TestClient, gateway: Gateway, police: dict[str, str], lab: dict[str, str], key_for: Any
) -> None:
    _setup_request(http, police)
    ack = lab_body(gateway, "forensic.acknowledged", scenario.forensic_acknowledgement(CASE), JSON)
    assert post(http, "forensics", {}, ack, JSON).status_code == 401
    assert (
        post(
            http, "forensics", {"Authorization": "Bearer icjs_forensics_nope"}, ack, JSON
        ).status_code
        == 401
    )
    # Police may not speak as a lab, nor a lab read another lab's feed.
    assert post(http, "forensics", police, ack, JSON).status_code == 403
    other_lab = key_for("forensics", "FSL_MUMBAI")
    feed = http.get("/v1/forensics/feed", params={"lab": LAB}, headers=other_lab)
    assert feed.status_code == 403
    # A lab may not use another lab's code in its case number.
    forbidden = post(http, "forensics", other_lab, ack, JSON)
    assert forbidden.status_code == 403, forbidden.text
    assert logged(gateway, forbidden.json()["receipt_id"]).status == "rejected"
    # Nor acknowledge a request addressed to another lab, under its own code.
    data = scenario.forensic_acknowledgement(CASE)
    data["acknowledgement"]["lab_case"] = "FSL_MUMBAI:77/2026"
    stolen = post(
        http, "forensics", other_lab, lab_body(gateway, "forensic.acknowledged", data, JSON), JSON
    )
    assert stolen.status_code == 403, stolen.text
    assert "addressed to laboratory RFSL_AU" in stolen.json()["message"]
    # Police of another district may not send a request for this FIR.
    elsewhere = key_for("police", "MH/PN")
    other = post(
        http,
        "police",
        elsewhere,
        police_message(scenario.forensic_requested(scenario.refs(124))),
        JSON,
    )
    assert other.status_code == 403
    # The lab's own key works.
    assert post(http, "forensics", lab, ack, JSON).json()["status"] == "accepted"


def test_bad_input_is_located_and_logged(
    http: TestClient, gateway: Gateway, police: dict[str, str], lab: dict[str, str]
) -> None:
    _setup_request(http, police)
    assert (
        post(
            http,
            "forensics",
            lab,
            lab_body(
                gateway, "forensic.acknowledged", scenario.forensic_acknowledgement(CASE), XML
            ),
            XML,
        ).json()["status"]
        == "accepted"
    )

    # A hash that is not 64 lowercase hex digits: 422 at the attachment's hash, in both formats.
    document = json.loads(
        lab_body(gateway, "forensic.reported", scenario.forensic_report(CASE), JSON)
    )
    document["attachments"][0]["sha256"] = "deadbeef"
    bad = post(http, "forensics", lab, json.dumps(document).encode(), JSON)
    assert bad.status_code == 422, bad.text
    assert [e["location"] for e in bad.json()["errors"]] == ["/attachments/0/sha256"]
    assert logged(gateway, bad.json()["receipt_id"]).status == "rejected"
    xml = lab_body(gateway, "forensic.reported", scenario.forensic_report(CASE), XML)
    bad_xml = post(http, "forensics", lab, xml.replace(b"<sha256>5f1c", b"<sha256>zz1c"), XML)
    assert bad_xml.status_code == 422
    assert bad_xml.json()["errors"][0]["location"] == "/f:report/f:attachment/f:sha256"

    # Malformed, unknown type, a message only the gateway sends, wrong media type.
    assert post(http, "forensics", lab, b'{"messageType": ', JSON).status_code == 400
    unknown = post(http, "forensics", lab, b'{"messageType": "verdict"}', JSON)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["location"] == "/messageType"
    request_doc = lab_body(
        gateway, "forensic.requested", scenario.forensic_requested(CASE)["data"], JSON
    )
    assert post(http, "forensics", lab, request_doc, JSON).status_code == 422
    assert post(http, "forensics", lab, b"hello", "text/plain").status_code == 415

    # A finding about an exhibit the request does not list: located in the laboratory's own
    # document, though it is found against the case.
    data = scenario.forensic_report(CASE)
    data["report"]["findings"][1]["exhibit_id"] = "E9"
    stray = post(http, "forensics", lab, lab_body(gateway, "forensic.reported", data, JSON), JSON)
    assert stray.status_code == 422, stray.text
    assert stray.json()["errors"][0]["location"] == "/findings/1/exhibitId"
    assert (
        json.loads(lab_body(gateway, "forensic.reported", data, JSON))["findings"][1]["exhibitId"]
        == "E9"
    ), "the location names the stray exhibit in the document sent"

    # One report per lab case: a second one must be a revision.
    first = post(
        http,
        "forensics",
        lab,
        lab_body(gateway, "forensic.reported", scenario.forensic_report(CASE), JSON),
        JSON,
    )
    assert first.json()["status"] == "accepted", first.text
    data = scenario.forensic_report(CASE)
    data["report"]["report_number"] = "RFSL/AU/DNA/2026/118"
    second = post(http, "forensics", lab, lab_body(gateway, "forensic.reported", data, JSON), JSON)
    assert second.status_code == 409 and "revision" in second.json()["message"]

    # A police request with an exhibit the custody chain does not know: located 422.
    message = scenario.forensic_requested(scenario.refs(123))
    message["data"]["request"]["request_id"] = f"{CASE.fir}/FR2"
    message["data"]["request"]["chain_of_custody"][0]["exhibit_id"] = "E7"
    wrong = post(http, "police", police, police_message(message), JSON)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["location"] == "/data/request"
    # The same request id twice is a conflict.
    again = scenario.forensic_requested(CASE)
    again["data"]["request"]["questions"] = "Anything else?"
    assert post(http, "police", police, police_message(again), JSON).status_code == 409


def test_the_flag_follows_the_settings(
    http: TestClient, gateway: Gateway, police: dict[str, str]
) -> None:
    post(http, "police", police, police_message(scenario.fir_registered(CASE)), JSON)
    gateway.clock = lambda: LATE
    assert status_of(http, police)["forensic_visit"]["flagged"] is True
    gateway.settings.forensic_visit_days = 60
    assert status_of(http, police)["forensic_visit"]["flagged"] is False
    gateway.settings.forensic_visit_days = 30
    gateway.settings.forensic_mandate_states = "MH=2026-09-01,*=2024-07-01"
    visit = status_of(http, police)["forensic_visit"]
    assert visit["applies"] is False and visit["mandate_from"] == "2026-09-01"


def test_a_laboratory_key_is_bound_to_a_lab_code() -> None:
    assert normalise_institution("forensics", " rfsl_au ") == "RFSL_AU"
    with pytest.raises(ValueError, match="laboratory code"):
        normalise_institution("forensics", "RFSL AU")
    with pytest.raises(ValueError, match="laboratory code"):
        normalise_institution("forensics", "MH/AU")


def test_a_bad_mandate_setting_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="MAH=2024-07-01"):
        Settings(forensic_mandate_states="MH=2024-07-01,MAH=2024-07-01")
    assert Settings(forensic_mandate_states="mh=2025-01-01").forensic_mandate() == {
        "MH": dt.date(2025, 1, 1)
    }
