"""Production mode, transport: police vehicle reports and a court's licence suspension travel
through Kafka to the Vahan and Sarathi feeds, filled by ``icjs worker transport`` (its own
consumer group), exactly once; the theft and the seizure of one vehicle under other plates
are linked in both cases; Vahan's answer goes to the registry topic, keyed by the
registration, and shows in the vehicle look-up."""

from __future__ import annotations

import httpx
from lxml import etree
from production_harness import Stack

from canonical_model.events import CourtCaseRegistered, OrderIssued
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record
from gateway.services.auth import create_client

NS = {"t": "urn:icjs:transport:v1"}
LICENCE = "MH2020190004567"


def transport_feed(prod: Stack) -> list[tuple[str, str]]:
    rows = prod.sql(
        "SELECT institution, event_id FROM feed_entries WHERE pillar = 'transport' ORDER BY sequence"
    )
    return [(institution, event_id) for institution, event_id in rows]


def licence_suspension(case: scenario.CaseRefs) -> OrderIssued:
    """The court suspends A1's driving licence for six months (MV Act 1988 s.20)."""
    return OrderIssued.model_validate(
        {
            "order": {
                "cnr": str(case.cnr),
                "order_number": f"LS/{case.cnr.serial}/{case.cnr.year}",
                "order_date": "2026-11-25",
                "kind": "licence_suspension",
                "accused_refs": ["A1"],
                "text": "A1's driving licence is suspended for six months.",
                "licence": {
                    "licence": LICENCE,
                    "effective_from": "2026-11-25",
                    "effective_until": "2027-05-24",
                    "provision": "Motor Vehicles Act 1988 s.20",
                    "accused_ref": "A1",
                },
            }
        }
    )


def test_vehicle_flags_and_licence_orders_reach_the_registries_through_kafka_once(
    prod: Stack,
) -> None:
    with prod.gateway.db.session(write=True) as session:
        _, vahan_key = create_client(
            session, name="prod-vahan", pillar="transport", institution="VAHAN"
        )
        _, sarathi_key = create_client(
            session, name="prod-sarathi", pillar="transport", institution="SARATHI"
        )
    vahan = {"Authorization": f"Bearer {vahan_key}"}
    sarathi = {"Authorization": f"Bearer {sarathi_key}"}
    server = prod.serve()
    prod.worker("worker-transport", pillar="transport")

    case = scenario.refs(1)
    receipts = prod.post(
        [server],
        [
            scenario.vehicle_theft_fir_registered(case),
            scenario.vehicle_stolen(case),
            scenario.fir_registered(case),
            scenario.vehicle_seized(case),
            # A1 produced before the court for remand: the court is seized of the case.
            scenario.person_arrested(case),
        ],
        concurrency=1,  # the theft must be known before the seizure is matched to it
    )
    stolen_event, seized_event = receipts[1]["event_ids"][0], receipts[3]["event_ids"][0]

    with httpx.Client(base_url=server.url, timeout=30) as http:
        courts = prod.gateway.adapters.get("courts")
        for payload in (
            CourtCaseRegistered.model_validate({"court_case": scenario.court_case(case)}),
            licence_suspension(case),
        ):
            body = courts.encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
            answer = http.post(
                "/v1/courts/messages",
                content=body,
                headers=prod.keys.court | {"Content-Type": "application/xml"},
            )
            assert answer.status_code == 202, answer.text
        order_event = answer.json()["event_ids"][0]

        prod.wait_for(
            lambda: len(transport_feed(prod)) >= 3,
            "two vehicle flags on Vahan's feed and the licence order on Sarathi's",
            detail=lambda: f"feed: {transport_feed(prod)}, unpublished: {prod.unpublished()}",
        )
        # Exactly once each, on the right registry's feed; ordinary court events on neither.
        assert sorted(transport_feed(prod)) == sorted(
            [("VAHAN", stolen_event), ("VAHAN", seized_event), ("SARATHI", order_event)]
        )
        on_topic = [from_record(r.value, r.headers) for r in prod.read_topic(prod.case_topic)]
        links = [e for e in on_topic if e["type"] == "icjs.vehicle.linked"]
        assert len(links) == 2, "each of the two cases is told of the other"
        assert {e["data"]["link"]["matched_on"] for e in links} == {"chassis"}

        page = http.get(
            "/v1/transport/feed",
            params={"registry": "VAHAN"},
            headers=vahan | {"Accept": "application/json"},
        )
        assert page.status_code == 200, page.text
        assert (
            validate_json("transport/v1/transport-feed.schema.json", parse_json(page.content)) == []
        )
        flags = {i["vehicleFlag"]["flag"]: i for i in page.json()["items"]}
        assert set(flags) == {"stolen", "seized"}
        assert (
            flags["stolen"]["vehicleFlag"]["vehicle"]["registrationNumber"]
            == (scenario.vehicle_numbers(case)["registration"])
        )
        xml = http.get(
            "/v1/transport/feed",
            params={"registry": "SARATHI"},
            headers=sarathi | {"Accept": "application/xml"},
        )
        assert validate_xml("transport/v1/transport-feed.xsd", parse_xml(xml.content)) == []
        (order,) = etree.fromstring(xml.content).findall("t:item/t:licenceOrder", NS)
        assert order.findtext("t:licenceNumber", namespaces=NS) == LICENCE
        assert order.findtext("t:effectiveUntil", namespaces=NS) == "2027-05-24"
        assert order.findtext("t:cnr", namespaces=NS) == str(case.cnr)

        # Vahan answers the theft flag; the record goes to the registry topic, not a case's.
        answer = http.post(
            "/v1/transport/messages",
            json=scenario.vahan_record(case, in_reply_to=stolen_event),
            headers=vahan,
        )
        assert answer.status_code == 202, answer.text
        record_event = answer.json()["event_ids"][0]
        registry_topic = f"{prod.prefix}.registry.v1"
        prod.wait_for(
            lambda: any(r.key for r in prod.read_topic(registry_topic)),
            "Vahan's record on the registry topic",
            detail=lambda: f"unpublished: {prod.unpublished()}",
        )
        (record,) = prod.read_topic(registry_topic)
        assert record.key == scenario.vehicle_numbers(case)["registration"].encode()
        assert from_record(record.value, record.headers)["id"] == record_event

        found = http.get(
            f"/v1/vehicles/{scenario.vehicle_numbers(case)['registration']}",
            headers=prod.keys.police,
        ).json()
        assert found["police"]["state"] == "seized"
        assert found["vahan"]["owner"]["name"] == "Imran Yusuf Shaikh"
        assert len(found["cases"]) == 2
