"""Production mode, prosecution: police reports travel through Kafka to the feeds of the offices
BNSS s.20 names (the district's Deputy Director for scrutiny, s.20(8); the office of the case's
band to monitor it, s.20(7)-(9)), filled by ``icjs worker prosecution`` (its own consumer
group), exactly once and on no other office's feed; the offices read them in JSON and XML; the
Deputy Director returns one with deficiencies; the re-filed version reaches both feeds as a
second version."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from lxml import etree
from production_harness import Stack

from canonical_model.events import payload_class
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.cli import scenario
from gateway.services.auth import create_client

DOP = scenario.PROSECUTION_OFFICE
DDP = "MH/AU/DDP"
NS = {"pr": "urn:icjs:prosecution:v1"}


def attempted_robbery(case: scenario.CaseRefs) -> dict[str, Any]:
    """A charge sheet for attempted robbery only (BNS s.309(5), seven years): the district
    Deputy Director's (BNSS s.20(8))."""
    message = copy.deepcopy(scenario.chargesheet_filed(case))
    report = message["data"]["report"]
    report["offences"] = [{"act": "BNS", "section": "309(5)"}]
    for accused in report["accused"]:
        accused["offences"] = [{"act": "BNS", "section": "309(5)"}]
    return message


def office_feed(prod: Stack) -> list[tuple[str, str]]:
    rows = prod.sql(
        "SELECT institution, event_id FROM feed_entries WHERE pillar = 'prosecution' "
        "ORDER BY sequence"
    )
    return [(institution, event_id) for institution, event_id in rows]


def test_police_reports_reach_the_office_s20_names_through_kafka_once(prod: Stack) -> None:
    with prod.gateway.db.session(write=True) as session:
        _, dop_key = create_client(session, name="prod-dop", pillar="prosecution", institution=DOP)
        _, ddp_key = create_client(session, name="prod-ddp", pillar="prosecution", institution=DDP)
    dop = {"Authorization": f"Bearer {dop_key}"}
    ddp = {"Authorization": f"Bearer {ddp_key}"}
    server = prod.serve()
    prod.worker("worker-prosecution", pillar="prosecution")

    robbery, attempt = scenario.refs(1), scenario.refs(2)
    prod.post([server], [scenario.fir_registered(robbery), scenario.fir_registered(attempt)])
    filed = prod.post([server], [scenario.chargesheet_filed(robbery), attempted_robbery(attempt)])
    first, lesser = filed[0]["event_ids"][0], filed[1]["event_ids"][0]
    prod.wait_for(
        lambda: len(office_feed(prod)) >= 3,
        "both charge sheets on their offices' feeds",
        detail=lambda: f"feed: {office_feed(prod)}, unpublished: {prod.unpublished()}",
    )
    # The robbery (life): scrutiny by the DDP, monitored by the DOP; the attempt (7 years):
    # the DDP both scrutinises and monitors it, one entry.
    assert sorted(office_feed(prod)) == sorted([(DDP, first), (DOP, first), (DDP, lesser)])

    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get(
            "/v1/prosecution/feed",
            params={"office": DOP},
            headers=dop | {"Accept": "application/json"},
        )
        assert page.status_code == 200, page.text
        assert (
            validate_json("prosecution/v1/prosecution-feed.schema.json", parse_json(page.content))
            == []
        )
        (item,) = page.json()["items"]
        assert item["policeReport"]["purpose"] == "monitoring"
        assert item["policeReport"]["routing"]["monitoringRule"] == "BNSS s.20(7)"
        xml = http.get(
            "/v1/prosecution/feed",
            params={"office": DDP},
            headers=ddp | {"Accept": "application/xml"},
        )
        assert validate_xml("prosecution/v1/prosecution-feed.xsd", parse_xml(xml.content)) == []
        rules = etree.fromstring(xml.content).findall(".//pr:routing/pr:rule", NS)
        assert [r.text for r in rules] == ["BNSS s.20(8)", "BNSS s.20(8)"]
        # An office reads only its own feed.
        assert (
            http.get("/v1/prosecution/feed", params={"office": DDP}, headers=dop).status_code == 403
        )

        # The Deputy Director returns the report; the police re-file it; version 2 reaches the
        # feeds.
        offices = prod.gateway.adapters.get("prosecution")
        returned = payload_class("prosecution.scrutiny_completed").model_validate(
            scenario.scrutiny_returned(robbery)
        )
        answer = http.post(
            "/v1/prosecution/messages",
            content=offices.encode(returned, media_type="application/xml"),  # type: ignore[attr-defined]
            headers=ddp | {"Content-Type": "application/xml"},
        )
        assert answer.status_code == 202, answer.text
        (again,) = prod.post([server], [scenario.chargesheet_refiled(robbery)])
        prod.wait_for(
            lambda: len(office_feed(prod)) >= 5,
            "the re-filed charge sheet on both feeds",
            detail=lambda: f"feed: {office_feed(prod)}, unpublished: {prod.unpublished()}",
        )
        assert sorted(office_feed(prod)[-2:]) == sorted(
            [(DDP, again["event_ids"][0]), (DOP, again["event_ids"][0])]
        )
        versions = [
            i["policeReport"]["version"]
            for i in http.get("/v1/prosecution/feed", params={"office": DOP}, headers=dop).json()[
                "items"
            ]
        ]
        assert versions == [1, 2]
        status = http.get(f"/v1/cases/{robbery.fir}", headers=prod.keys.police).json()
        (report,) = status["prosecution"]["reports"]
        assert report["state"] == "refiled"
        assert [v["version"] for v in report["versions"]] == [1, 2]
