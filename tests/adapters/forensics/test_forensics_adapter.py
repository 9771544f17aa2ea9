"""The e-Forensics adapter: the shared adapter contract suite, plus what is particular to labs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from contract_suite import JSON, XML, AdapterContractSuite, Mutation

from adapters.forensics import ForensicsAdapter
from canonical_model.errors import ContractViolation, UnknownMessageType
from canonical_model.events import (
    CourtCaseRegistered,
    ForensicAcknowledged,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.messages import FeedItem
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.cli import scenario

GOLDEN = Path(__file__).parent / "golden"
NS = "urn:icjs:forensics:v1"
ADAPTER = ForensicsAdapter()


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def golden_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(golden(name))
    return document


class TestForensicsAdapter(AdapterContractSuite):
    adapter = ADAPTER
    golden_dir = GOLDEN
    contracts: ClassVar[dict[str, str]] = {
        "examination_request": "forensics/v1/examination-request",
        "acknowledgement": "forensics/v1/acknowledgement",
        "custody": "forensics/v1/custody",
        "report": "forensics/v1/report",
        "report_revision": "forensics/v1/report-revision",
    }
    feed_contract = "forensics/v1/examination-request-feed"
    prefixes: ClassVar[dict[str, str]] = {NS: "f"}
    mutations = (
        # JSON: the contract (JSON Schema) catches these.
        Mutation("report.robbery.json", "set", "/attachments/0/sha256", "abc123", mentions="64"),
        Mutation(
            "report.robbery.json",
            "set",
            "/attachments/0/sha256",
            "5F1C3E9A0B7D4C2E8A6F1B3D5C7E9A0B2D4F6A8C0E1B3D5F7A9C1E3B5D7F9A1C",
        ),
        Mutation("report.robbery.json", "remove", "/examiner/designation", where="/examiner"),
        Mutation("report.robbery.json", "set", "/signedOn", "2026-02-30"),
        Mutation("report.robbery.json", "set", "/findings/1/kind", "astrology"),
        Mutation(
            "report_revision.robbery.json",
            "remove",
            "/supersedes",
            where="/",
            mentions="supersedes",
        ),
        Mutation("acknowledgement.robbery.json", "set", "/labCaseNumber", "DNA-2026-0123"),
        Mutation("acknowledgement.robbery.json", "set", "/receivedAt", "2026-08-16 15:20"),
        Mutation("custody.robbery.json", "set", "/chainOfCustody/1/sealIntact", "yes"),
        Mutation("custody.robbery.json", "set", "/chainOfCustody/0/action", "lost"),
        Mutation(
            "custody.robbery.json", "remove", "/chainOfCustody/2/by", where="/chainOfCustody/2"
        ),
        Mutation("examination_request.robbery.json", "set", "/exhibits/0/sealNumber", ""),
        Mutation("examination_request.phone.json", "set", "/exhibits/0/sha256", "9d4e1e23"),
        # JSON: the translation catches these (parts that must agree, domain rules).
        Mutation("examination_request.robbery.json", "set", "/policeStation", "MH/AU/WALUJ"),
        Mutation(
            "examination_request.robbery.json",
            "set",
            "/requestId",
            "MH/AU/WALUJ/2026/123/FR1",
        ),
        Mutation(
            "examination_request.robbery.json", "set", "/exhibits/1/exhibitId", "E1", where="/"
        ),
        Mutation(
            "report_revision.robbery.json",
            "set",
            "/supersedes",
            "RFSL/AU/DNA/2026/117-R1",
            where="/",
            mentions="itself",
        ),
        Mutation("acknowledgement.robbery.json", "set", "/labCaseNumber", "RFSL_AU:DNA\u200b2026"),
        # XML: the contract (XSD) catches these.
        Mutation(
            "report.robbery.xml",
            "set",
            "/f:report/f:attachment[1]/f:sha256",
            "not-a-hash",
            where="/f:report/f:attachment/f:sha256",
        ),
        Mutation(
            "report.robbery.xml",
            "remove",
            "/f:report/f:examiner/f:designation",
            where="/f:report/f:examiner",
            mentions="designation",
        ),
        Mutation("report.robbery.xml", "set", "/f:report/f:signedOn", "02-09-2026"),
        Mutation(
            "custody.robbery.xml",
            "set",
            "/f:custody/f:custodyEntry[2]/f:sealIntact",
            "maybe",
        ),
        Mutation(
            "acknowledgement.robbery.xml",
            "set",
            "/f:acknowledgement/f:labCaseNumber",
            "no-lab-code",
        ),
        Mutation(
            "report_revision.robbery.xml",
            "remove",
            "/f:reportRevision/f:supersedes",
            where="/f:reportRevision",
            mentions="supersedes",
        ),
        Mutation(
            "examination_request.phone.xml",
            "set",
            "/f:examinationRequest/f:exhibit/f:sha256",
            "9D4E1E23BD5B727046A9E3B4B7DB57BD8D6EE684A1C3F5C8E7B2D9F0A4C6E8B1",
        ),
        # XML: the translation catches these.
        Mutation(
            "examination_request.robbery.xml",
            "set",
            "/f:examinationRequest/f:policeStation",
            "MH/AU/WALUJ",
        ),
        Mutation(
            "acknowledgement.robbery.xml",
            "set",
            "/f:acknowledgement/f:labCaseNumber",
            "RFSL_AU:DNA\u200b2026",
        ),
    )
    unknown_type_samples = (
        (b'{"messageType": "verdict"}', JSON, "/messageType"),
        (b"{}", JSON, "/messageType"),
        (b'<verdict xmlns="urn:icjs:forensics:v1"/>', XML, "verdict"),
        (b'<report xmlns="urn:icjs:courts:v1"/>', XML, "report"),
    )


# -- what is particular to laboratories ------------------------------------------------------


def test_examination_request_is_not_a_laboratory_message() -> None:
    assert "examination_request" not in ADAPTER.inbound_message_types
    assert ADAPTER.feed_event_types == (ForensicRequested.name,)


def test_a_request_goes_to_the_feed_of_the_lab_it_is_addressed_to() -> None:
    payload = ForensicRequested.model_validate(
        scenario.forensic_requested(scenario.refs(5), lab="FSL_MUMBAI")["data"]
    )
    assert ADAPTER.feed_institution(payload) == "FSL_MUMBAI"
    other = CourtCaseRegistered.model_validate(
        {"court_case": scenario.court_case(scenario.refs(5))}
    )
    assert ADAPTER.feed_institution(other) is None


def test_acknowledgement_introduces_the_qualified_lab_case_number() -> None:
    (payload,) = ADAPTER.decode(golden("acknowledgement.robbery.json"), media_type=JSON).payloads
    assert isinstance(payload, ForensicAcknowledged)
    assert payload.needs() == ["forensic_request:MH/AU/CIDCO/2026/0123/FR1"]
    assert payload.introduces() == ["lab_case:RFSL_AU:DNA-2026-0123"]


def test_revision_needs_the_report_it_supersedes_and_keeps_its_own_number() -> None:
    (report,) = ADAPTER.decode(golden("report.robbery.xml"), media_type=XML).payloads
    (revision,) = ADAPTER.decode(golden("report_revision.robbery.xml"), media_type=XML).payloads
    assert isinstance(report, ForensicReported) and isinstance(revision, ForensicReportRevised)
    assert revision.needs() == report.introduces() == ["lab_report:RFSL_AU:RFSL/AU/DNA/2026/117"]
    assert revision.introduces() == ["lab_report:RFSL_AU:RFSL/AU/DNA/2026/117-R1"]


def test_uppercase_hash_is_refused_with_its_location_in_both_formats() -> None:
    document = golden_json("report.robbery.json")
    document["attachments"][0]["sha256"] = "A" * 64
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(json.dumps(document).encode(), media_type=JSON)
    assert [p.location for p in caught.value.problems] == ["/attachments/0/sha256"]
    body = golden("report.robbery.xml").replace(b"<sha256>5f1c", b"<sha256>5f1", 1)
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(body, media_type=XML)
    assert any(p.location == "/f:report/f:attachment/f:sha256" for p in caught.value.problems)


def test_a_request_is_written_with_the_case_id_and_the_police_station() -> None:
    payload = ForensicRequested.model_validate(
        scenario.forensic_requested(scenario.refs(123))["data"]
    )
    document = json.loads(ADAPTER.encode(payload, media_type=JSON, case_id="case_X1"))
    assert document["caseId"] == "case_X1"
    assert document["policeStation"] == "MH/AU/CIDCO"
    assert validate_json("forensics/v1/examination-request.schema.json", document) == []


def test_the_feed_refuses_events_it_does_not_carry() -> None:
    other = CourtCaseRegistered.model_validate(
        {"court_case": scenario.court_case(scenario.refs(5))}
    )
    item = FeedItem("1", "case_1", "evt_1", dt.datetime(2026, 8, 16, tzinfo=dt.UTC), other)
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode_feed([item], institution="RFSL_AU", next_cursor=None, media_type=JSON)


def test_an_empty_feed_page_satisfies_both_contracts() -> None:
    page = ADAPTER.encode_feed([], institution="RFSL_AU", next_cursor=None, media_type=JSON)
    assert (
        validate_json("forensics/v1/examination-request-feed.schema.json", parse_json(page)) == []
    )
    page = ADAPTER.encode_feed([], institution="RFSL_AU", next_cursor=None, media_type=XML)
    assert validate_xml("forensics/v1/examination-request-feed.xsd", parse_xml(page)) == []
