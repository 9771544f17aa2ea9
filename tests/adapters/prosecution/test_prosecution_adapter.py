"""The e-Prosecution adapter: the shared adapter contract suite, plus what is particular to
prosecution (office-qualified prosecution numbers, the police-report feed routed by BNSS s.20,
judgments on the handling office's feed, where top-level fields are for the gateway's errors)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from contract_suite import (
    JSON,
    XML,
    AdapterContractSuite,
    Mutation,
    canonical_xml,
    numbered_feed_items,
)

from adapters.prosecution import ProsecutionAdapter
from canonical_model.errors import ContractViolation, UnknownMessageType
from canonical_model.events import (
    ChargesheetFiled,
    EventPayload,
    FirRegistered,
    JudgmentDelivered,
    ProsecutorAssigned,
    ScrutinyCompleted,
)
from canonical_model.identifiers import ProsecutionNumber
from canonical_model.messages import FeedItem
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.cli import scenario

GOLDEN = Path(__file__).parent / "golden"
FEED_GOLDEN = GOLDEN / "feed"
NS = "urn:icjs:prosecution:v1"
CASE = scenario.refs(417)


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def golden_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(golden(name))
    return document


def charge_sheet(version: int | None = None, **report: Any) -> ChargesheetFiled:
    data = copy.deepcopy(scenario.chargesheet_filed(CASE))["data"]
    data["report"] |= report
    return ChargesheetFiled.model_validate(data | {"report_version": version})


def feed_payloads() -> list[EventPayload]:
    """The scenario's charge sheet (robbery with hurt, life: the Director's), its re-filing, and
    the judgment of the case, for the Director of Prosecution of Maharashtra."""
    judgment = JudgmentDelivered.model_validate(
        {
            "judgment": {
                "cnr": str(CASE.cnr),
                "judgment_date": "2027-03-10",
                "verdicts": [
                    {
                        "accused_ref": "A1",
                        "verdict": "convicted",
                        "offences": [{"act": "BNS", "section": "309(6)"}],
                        "sentence": {"imprisonment_months": 84, "fine_inr": 10000},
                    },
                    {"accused_ref": "A2", "verdict": "acquitted"},
                ],
                "judge": {"name": "Shri S. K. Kulkarni", "rank": "Sessions Judge"},
            },
            "prosecution_office": "MH/DOP",
        }
    )
    return [charge_sheet(1), charge_sheet(2, filed_on="2026-10-28"), judgment]


def feed_items() -> list[FeedItem]:
    """The Director's feed: the reports are on it to monitor the case (BNSS s.20(7))."""
    items = numbered_feed_items(
        feed_payloads(), recorded=dt.datetime(2026, 10, 9, 11, 0, tzinfo=dt.UTC)
    )
    return [dataclasses.replace(item, institution="MH/DOP") for item in items]


class TestProsecutionAdapter(AdapterContractSuite):
    adapter = ProsecutionAdapter()
    golden_dir = GOLDEN
    contracts: ClassVar[dict[str, str]] = {
        name: f"prosecution/v1/{name.replace('_', '-')}"
        for name in (
            "prosecutor_assignment",
            "scrutiny_result",
            "legal_opinion",
            "appeal_recommendation",
        )
    }
    feed_contract = "prosecution/v1/prosecution-feed"
    prefixes: ClassVar[dict[str, str]] = {NS: "pr"}
    mutations = (
        # JSON: the contract catches these.
        Mutation("prosecutor_assignment.sessions.json", "set", "/officeCode", "MH/AU/DOP"),
        Mutation("prosecutor_assignment.sessions.json", "set", "/officeCode", "DPO_AU"),
        Mutation(
            "prosecutor_assignment.sessions.json",
            "remove",
            "/prosecutor",
            where="/",
            mentions="prosecutor",
        ),
        Mutation("prosecutor_assignment.sessions.json", "set", "/courtEstablishment", "MH-AU-01"),
        Mutation("scrutiny_result.returned.json", "set", "/result", "rejected"),
        Mutation("scrutiny_result.approved.json", "set", "/version", 0),
        Mutation(
            "scrutiny_result.returned.json",
            "remove",
            "/deficiencies/0/remark",
            where="/deficiencies/0",
        ),
        Mutation("scrutiny_result.returned.json", "set", "/scrutinisedOn", "2026-02-30"),
        Mutation("legal_opinion.charge.json", "set", "/firNo", "MH/AU/CIDCO/2026"),
        Mutation("appeal_recommendation.acquittal.json", "set", "/recommended", "yes"),
        Mutation("appeal_recommendation.acquittal.json", "set", "/grounds", []),
        Mutation(
            "appeal_recommendation.acquittal.json", "remove", "/cnr", where="/", mentions="cnr"
        ),
        # JSON: the translation catches these (rules the contract cannot say).
        Mutation(
            "scrutiny_result.returned.json",
            "set",
            "/deficiencies",
            [],
            where="/",
            mentions="deficiencies",
        ),
        Mutation(
            "scrutiny_result.approved.json",
            "set",
            "/deficiencies",
            [{"field": "documents", "remark": "missing"}],
            where="/",
            mentions="no deficiencies",
        ),
        Mutation(
            "appeal_recommendation.acquittal.json",
            "set",
            "/recommendedOn",
            "2027-01-01",
            where="/",
            mentions="before the judgment",
        ),
        Mutation("legal_opinion.charge.json", "set", "/firNo", "MH/AU/CIDCO/1700/0417"),
        # XML: the contract catches these.
        Mutation(
            "scrutiny_result.returned.xml",
            "set",
            "/pr:scrutinyResult/pr:result",
            "rejected",
        ),
        Mutation(
            "prosecutor_assignment.fir_only.xml",
            "set",
            "/pr:prosecutorAssignment/pr:officeCode",
            "MH/AU/DDP/X",
        ),
        Mutation(
            "appeal_recommendation.no_appeal.xml",
            "remove",
            "/pr:appealRecommendation/pr:ground",
            where="/pr:appealRecommendation",
            mentions="ground",
        ),
        # XML: the translation catches these.
        Mutation(
            "prosecutor_assignment.fir_only.xml",
            "remove",
            "/pr:prosecutorAssignment/pr:firNo",
            where="/pr:prosecutorAssignment",
            mentions="FIR or CNR",
        ),
        Mutation(
            "scrutiny_result.returned.xml",
            "remove",
            "/pr:scrutinyResult/pr:firNo",
            where="/pr:scrutinyResult",
            mentions="FIR, CNR or prosecution number",
        ),
    )
    unknown_type_samples = (
        (
            json.dumps(
                golden_json("scrutiny_result.returned.json") | {"messageType": "charge_sheet"}
            ).encode(),
            JSON,
            "/messageType",
        ),
        (b'<chargeSheet xmlns="urn:icjs:prosecution:v1"/>', XML, "/pr:chargeSheet"),
        (b'<scrutinyResult xmlns="urn:icjs:courts:v1"/>', XML, "scrutinyResult"),
    )

    def feed_payloads(self) -> list[EventPayload]:
        """The prosecution feed carries police and court events, which no office golden holds."""
        return feed_payloads()


# -- what is particular to prosecution -------------------------------------------------------

ADAPTER = ProsecutionAdapter()


def test_an_assignment_qualifies_its_number_with_the_office_and_introduces_it() -> None:
    for suffix, media_type in ((".json", JSON), (".xml", XML)):
        (payload,) = ADAPTER.decode(
            golden("prosecutor_assignment.sessions" + suffix), media_type=media_type
        ).payloads
        assert isinstance(payload, ProsecutorAssigned)
        number = payload.assignment.prosecution_number
        assert number == ProsecutionNumber.parse("MH/DOP:PR/417/2026")
        assert payload.needs() == ["cnr:MHAU010004172026", "fir:MH/AU/CIDCO/2026/0417"]
        assert payload.introduces() == ["prosecution_no:MH/DOP:PR/417/2026"]


def test_a_scrutiny_without_a_version_leaves_it_to_the_gateway() -> None:
    (returned,) = ADAPTER.decode(golden("scrutiny_result.returned.xml"), media_type=XML).payloads
    (approved,) = ADAPTER.decode(golden("scrutiny_result.approved.json"), media_type=JSON).payloads
    assert isinstance(returned, ScrutinyCompleted) and returned.scrutiny.version is None
    assert [d.field for d in returned.scrutiny.deficiencies] == [
        "documents",
        "accused[A2].custody",
    ]
    assert isinstance(approved, ScrutinyCompleted) and approved.scrutiny.version == 2


@pytest.mark.parametrize(
    ("suffix", "media_type", "where"),
    [(".json", JSON, "/reportNumber"), (".xml", XML, "/pr:scrutinyResult/pr:reportNumber")],
)
def test_the_decoded_message_says_where_its_fields_are(
    suffix: str, media_type: str, where: str
) -> None:
    decoded = ADAPTER.decode(golden("scrutiny_result.returned" + suffix), media_type=media_type)
    assert decoded.origins["/scrutiny/report_number"] == where
    assert decoded.origins["/scrutiny/office"].endswith("officeCode")


def test_reports_go_for_scrutiny_to_the_deputy_director_and_for_monitoring_by_gravity() -> None:
    # BNSS s.20(8): only the Deputy Director examines and scrutinises police reports; the
    # Director (s.20(7)) and Assistant Director (s.20(9)) monitor the cases of their band.
    first, refiled, judgment = feed_payloads()
    # BNS 309(6): imprisonment for life: scrutiny by the district's DDP, monitored by the DOP.
    assert ADAPTER.feed_institutions(first) == ("MH/AU/DDP", "MH/DOP")
    assert ADAPTER.feed_institutions(refiled) == ("MH/AU/DDP", "MH/DOP")
    assert ADAPTER.feed_institution(first) == "MH/AU/DDP"
    theft = charge_sheet(
        offences=[{"act": "BNS", "section": "303(2)"}],
        accused=[
            {
                "person": {"ref": "A1", "name": "Ramesh Shankar Jadhav"},
                "offences": [{"act": "BNS", "section": "303(2)"}],
            }
        ],
    )
    # Three years on a first conviction: the Assistant Director monitors.
    assert ADAPTER.feed_institutions(theft) == ("MH/AU/DDP", "MH/AU/ADP")
    attempt = charge_sheet(
        offences=[{"act": "BNS", "section": "309(5)"}],
        accused=[
            {
                "person": {"ref": "A1", "name": "Ramesh Shankar Jadhav"},
                "offences": [{"act": "BNS", "section": "309(5)"}],
            }
        ],
    )
    # Seven years: the Deputy Director both scrutinises and monitors; one feed entry.
    assert ADAPTER.feed_institutions(attempt) == ("MH/AU/DDP",)
    assert ADAPTER.feed_institution(judgment) == "MH/DOP"
    unrouted = JudgmentDelivered(judgment=judgment.judgment)  # type: ignore[attr-defined]
    assert ADAPTER.feed_institution(unrouted) is None
    assert (
        ADAPTER.feed_institution(
            FirRegistered.model_validate(scenario.fir_registered(CASE)["data"])
        )
        is None
    )


@pytest.mark.parametrize("suffix", [".json", ".xml"])
def test_feed_page_matches_its_golden(suffix: str) -> None:
    media_type = JSON if suffix == ".json" else XML
    body = ADAPTER.encode_feed(
        feed_items(), institution="MH/DOP", next_cursor="3", media_type=media_type
    )
    expected = (FEED_GOLDEN / f"prosecution_feed.dop{suffix}").read_bytes()
    if suffix == ".json":
        assert json.loads(body) == json.loads(expected)
        assert validate_json("prosecution/v1/prosecution-feed.schema.json", parse_json(body)) == []
    else:
        assert canonical_xml(body) == canonical_xml(expected)
        assert validate_xml("prosecution/v1/prosecution-feed.xsd", parse_xml(body)) == []


def test_a_feed_report_carries_documents_accused_witnesses_sections_and_the_routing() -> None:
    page = json.loads(
        ADAPTER.encode_feed(feed_items(), institution="MH/DOP", next_cursor=None, media_type=JSON)
    )
    first, second, judgment = page["items"]
    report = first["policeReport"]
    assert report["version"] == 1 and second["policeReport"]["version"] == 2
    assert [d["title"] for d in report["documents"]] == [
        "Spot panchnama",
        "CCTV footage certificate (BSA s.63)",
    ]
    assert all(len(d["sha256"]) == 64 and d["pages"] for d in report["documents"])
    assert [(a["ref"], a["custody"]) for a in report["accused"]] == [
        ("A1", "judicial_custody"),
        ("A2", "absconding"),
    ]
    assert report["accused"][0]["offences"][0] == {"act": "BNS", "section": "309(6)"}
    assert [w["ref"] for w in report["witnesses"]] == ["W1"]
    assert [o["section"] for o in report["offences"]] == ["309(6)", "3(5)"]
    routing = report["routing"]
    # On the Director's feed to monitor the case; scrutiny is the district's Deputy Director's.
    assert report["purpose"] == "monitoring"
    assert routing["office"] == "MH/AU/DDP" and routing["level"] == "DDP"
    assert routing["rule"] == "BNSS s.20(8)"
    assert routing["monitoringOffice"] == "MH/DOP" and routing["monitoringRule"] == "BNSS s.20(7)"
    assert routing["gravestOffence"] == {"act": "BNS", "section": "309(6)"}
    assert routing["maxPunishment"] == "imprisonment for life"
    assert "BNS 309(6)" in routing["reason"]
    assert judgment["judgment"]["prosecutionOffice"] == "MH/DOP"


def test_the_feed_refuses_an_event_it_does_not_carry() -> None:
    (assigned,) = ADAPTER.decode(
        golden("prosecutor_assignment.sessions.json"), media_type=JSON
    ).payloads
    item = FeedItem(
        cursor="1",
        case_id="case_1",
        event_id="evt_1",
        recorded_at=dt.datetime(2026, 10, 9, tzinfo=dt.UTC),
        payload=assigned,
    )
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode_feed([item], institution="MH/DOP", next_cursor=None, media_type=JSON)


def test_a_blank_prosecution_number_is_refused_at_the_number() -> None:
    document = golden_json("prosecutor_assignment.sessions.json") | {"prosecutionNumber": " "}
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(json.dumps(document).encode(), media_type=JSON)
    assert any(p.location == "/prosecutionNumber" for p in caught.value.problems)
