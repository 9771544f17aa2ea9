"""Production mode for prisons: a court's remand order travels through Kafka to the prison's
feed, filled by ``icjs worker prisons``; the prison admits the inmate, and a later production
order that names no prison reaches the same feed with the inmate's prisoner number (the
gateway enriched the event at ingest, so the worker needs nothing but the event)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from production_harness import Server, Stack

from canonical_model.events import CourtCaseRegistered, OrderIssued
from contracts.loader import validate_json
from contracts.toolkit import ToolkitAdapter
from gateway.cli import scenario
from gateway.services.auth import create_client

CASE = scenario.refs(417)
PRISON = scenario.PRISON


def _send(server: Server, path: str, headers: dict[str, str], body: bytes, media_type: str) -> Any:
    response = httpx.post(
        f"{server.url}{path}",
        content=body,
        headers=headers | {"Content-Type": media_type},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def _prison_feed(server: Server, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/v1/prisons/feed",
        params={"prison": PRISON},
        headers=headers | {"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert validate_json("prisons/v1/order-feed.schema.json", page) == []
    items: list[dict[str, Any]] = page["items"]
    return items


def test_court_orders_reach_the_prison_feed_through_kafka(prod: Stack) -> None:
    with prod.gateway.db.session(write=True) as session:
        _, key = create_client(session, name="prod-prison", pillar="prisons", institution=PRISON)
    prison = {"Authorization": f"Bearer {key}"}
    courts = prod.gateway.adapters.get("courts")
    assert isinstance(courts, ToolkitAdapter)
    server = prod.serve()
    prod.worker(pillar="prisons")

    (fir,) = prod.post([server], [scenario.fir_registered(CASE)])
    case_id = fir["case_ids"][0]
    prod.post([server], [scenario.person_arrested(CASE)])
    registration = CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)})
    _send(
        server,
        "/v1/courts/messages",
        prod.keys.court,
        courts.encode(registration, media_type="application/json"),
        "application/json",
    )
    remand = OrderIssued.model_validate({"order": scenario.remand_order(CASE)})
    remand_event = _send(
        server,
        "/v1/courts/messages",
        prod.keys.court,
        courts.encode(remand, media_type="application/xml"),
        "application/xml",
    )["event_ids"][0]

    prod.wait_for(
        lambda: len(_prison_feed(server, prison)) == 1,
        "the remand order on the prison's feed",
        detail=lambda: (
            f"prison feed entries: {prod.scalar(_COUNT)}, unpublished: {prod.unpublished()}"
        ),
    )
    (item,) = _prison_feed(server, prison)
    assert (item["eventId"], item["caseId"]) == (remand_event, case_id)
    assert item["courtOrder"]["orderType"] == "remand"

    admitted = _send(
        server,
        "/v1/prisons/messages",
        prison,
        json.dumps(scenario.admission(CASE)).encode(),
        "application/json",
    )
    assert admitted["case_ids"] == [case_id]
    production = OrderIssued.model_validate(
        {
            "order": scenario.remand_order(CASE)
            | {"order_number": "PO/1/2026", "kind": "production", "prison": None}
        }
    )
    production_event = _send(
        server,
        "/v1/courts/messages",
        prod.keys.court,
        courts.encode(production, media_type="application/json"),
        "application/json",
    )["event_ids"][0]
    prod.wait_for(
        lambda: len(_prison_feed(server, prison)) == 2,
        "the production order on the prison's feed",
        detail=lambda: (
            f"prison feed entries: {prod.scalar(_COUNT)}, unpublished: {prod.unpublished()}"
        ),
    )
    second = _prison_feed(server, prison)[1]
    assert second["eventId"] == production_event
    assert second["courtOrder"]["prisonerNumbers"] == [f"{PRISON}:UT/417/2026"]
    # Exactly once: one feed entry and one inbox row per order, whatever Kafka redelivered.
    rows = prod.sql("SELECT event_id FROM feed_entries WHERE pillar = 'prisons' ORDER BY sequence")
    assert [r[0] for r in rows] == [remand_event, production_event]
    assert (
        prod.scalar(
            "SELECT count(*) FROM inbox WHERE consumer = 'feed.prisons' AND event_id IN (%(a)s, %(b)s)",
            {"a": remand_event, "b": production_event},
        )
        == 2
    )


_COUNT = "SELECT count(*) FROM feed_entries WHERE pillar = 'prisons'"
