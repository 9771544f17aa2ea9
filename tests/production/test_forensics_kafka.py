"""Production mode, forensic labs: a police forensic request travels through Kafka to the
laboratory's feed, filled by ``icjs worker forensics`` (its own consumer group), exactly once;
the laboratory reads it over HTTP in JSON and XML and acknowledges it with its case number."""

from __future__ import annotations

import httpx
from lxml import etree
from production_harness import Stack

from canonical_model.events import ForensicAcknowledged
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record
from gateway.services.auth import create_client

CASES = 5
LAB = scenario.LAB
NS = {"f": "urn:icjs:forensics:v1"}


def lab_feed_count(prod: Stack) -> int:
    return int(prod.scalar("SELECT count(*) FROM feed_entries WHERE pillar = 'forensics'") or 0)


def test_a_forensic_request_reaches_the_lab_feed_through_kafka_once(prod: Stack) -> None:
    with prod.gateway.db.session(write=True) as session:
        _row, key = create_client(session, name="prod-lab", pillar="forensics", institution=LAB)
    lab = {"Authorization": f"Bearer {key}"}
    server = prod.serve()
    prod.worker("worker-forensics", pillar="forensics")

    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    prod.post([server], [scenario.fir_registered(c) for c in cases])
    receipts = prod.post([server], [scenario.forensic_requested(c) for c in cases])
    expected = {r["event_ids"][0] for r in receipts}
    prod.wait_for(
        lambda: lab_feed_count(prod) >= CASES,
        f"{CASES} entries on the lab's feed",
        detail=lambda: f"feed: {lab_feed_count(prod)}, unpublished: {prod.unpublished()}",
    )

    # The requests went through the broker: on the case topic, keyed by case.
    on_topic = [from_record(r.value, r.headers) for r in prod.read_topic(prod.case_topic)]
    requested = [e for e in on_topic if e["type"] == "icjs.forensic.requested"]
    assert {e["id"] for e in requested} == expected

    # Exactly once in the feed table and the worker's inbox; no court got any of them.
    rows = prod.sql(
        "SELECT event_id, institution, count(*) FROM feed_entries WHERE pillar = 'forensics' "
        "GROUP BY event_id, institution"
    )
    assert {(e, i, n) for e, i, n in rows} == {(e, LAB, 1) for e in expected}
    inbox = {r[0] for r in prod.sql("SELECT event_id FROM inbox WHERE consumer = 'feed.forensics'")}
    assert expected <= inbox
    assert prod.feed_count() == 0

    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get(
            "/v1/forensics/feed", params={"lab": LAB}, headers=lab | {"Accept": "application/json"}
        )
        assert page.status_code == 200, page.text
        assert (
            validate_json(
                "forensics/v1/examination-request-feed.schema.json", parse_json(page.content)
            )
            == []
        )
        items = page.json()["items"]
        assert sorted(i["eventId"] for i in items) == sorted(expected)
        assert {i["examinationRequest"]["requestId"] for i in items} == {
            scenario.forensic_request_id(c) for c in cases
        }
        xml = http.get(
            "/v1/forensics/feed", params={"lab": LAB}, headers=lab | {"Accept": "application/xml"}
        )
        assert (
            validate_xml("forensics/v1/examination-request-feed.xsd", parse_xml(xml.content)) == []
        )
        root = etree.fromstring(xml.content)
        assert len(root.findall("f:item", NS)) == CASES

        # The lab acknowledges the first request; the case status shows its lab case number.
        ack = ForensicAcknowledged.model_validate(scenario.forensic_acknowledgement(cases[0]))
        body = prod.gateway.adapters.get("forensics").encode(ack, media_type="application/xml")  # type: ignore[attr-defined]
        answer = http.post(
            "/v1/forensics/messages",
            content=body,
            headers=lab | {"Content-Type": "application/xml"},
        )
        assert answer.status_code == 202 and answer.json()["status"] == "accepted", answer.text
        status = http.get(f"/v1/cases/{cases[0].fir}", headers=prod.keys.police).json()
        (request,) = status["forensic_requests"]
        assert request["state"] == "acknowledged"
        assert request["lab_case"] == scenario.lab_case_number(cases[0])
