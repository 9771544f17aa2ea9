"""Production mode, statutory clocks: an undertrial's BNSS s.479 clock runs out; the emitter
writes ``deadline.breached`` to the outbox of the PostgreSQL store, the gateway's relay
publishes it to Kafka, and ``icjs worker prisons`` files it on the feed of the prison holding
him (the same code path as the embedded projector), once, whatever the emitter repeats; no
police clock announced with it reaches any feed."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import httpx
from production_harness import Server, Stack

from canonical_model.clock_facts import IST
from canonical_model.events import CourtCaseRegistered, OrderIssued
from canonical_model.lifecycle import CaseStatus
from contracts.loader import validate_json
from gateway.cli import scenario
from gateway.services.auth import create_client
from gateway.services.deadlines import case_clocks, emit_deadlines
from gateway.store.tables import CaseRow

CASE = scenario.refs(419)
PRISON = scenario.PRISON


def _send(server: Server, path: str, headers: dict[str, str], body: bytes) -> Any:
    response = httpx.post(
        f"{server.url}{path}",
        content=body,
        headers=headers | {"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return response.json()


def _deadlines(server: Server, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/v1/prisons/feed",
        params={"prison": PRISON},
        headers=headers | {"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert validate_json("prisons/v1/order-feed.schema.json", page) == []
    return [item for item in page["items"] if "deadline" in item]


def test_an_undertrial_clock_reaches_the_prison_feed_through_kafka_once(prod: Stack) -> None:
    with prod.gateway.db.session(write=True) as session:
        _, key = create_client(session, name="prod-prison", pillar="prisons", institution=PRISON)
    prison = {"Authorization": f"Bearer {key}"}
    courts = prod.gateway.adapters.get("courts")
    # The served gateway's own emitter is off: this test's rounds are the only announcements.
    server = prod.serve(ICJS_DEADLINE_INTERVAL_SECONDS="0")
    prod.worker("worker-prisons", pillar="prisons")

    fir = copy.deepcopy(scenario.fir_registered(CASE))
    fir["data"]["fir"]["offences"] = [{"act": "BNS", "section": "303(2)"}]
    (registered,) = prod.post([server], [fir])
    case_id = registered["case_ids"][0]
    prod.post([server], [scenario.person_arrested(CASE)])
    for payload in (
        CourtCaseRegistered.model_validate({"court_case": scenario.court_case(CASE)}),
        OrderIssued.model_validate({"order": scenario.remand_order(CASE)}),
    ):
        _send(
            server,
            "/v1/courts/messages",
            prod.keys.court,
            courts.encode(payload, media_type="application/json"),  # type: ignore[attr-defined]
        )
    _send(
        server,
        "/v1/prisons/messages",
        prison,
        json.dumps(scenario.admission(CASE, first_offender=False)).encode(),
    )

    with prod.gateway.db.session() as session:
        row = session.get(CaseRow, case_id)
        assert row is not None
        status = CaseStatus.model_validate(row.status)
    start = dt.datetime(2026, 9, 1, 12, tzinfo=IST)
    (half,) = [
        c
        for c in case_clocks(status, settings=prod.gateway.settings, now=start)
        if c.provision == "BNSS 479(1)"
    ]
    assert (half.pillar, half.institution) == ("prisons", PRISON)
    settings = prod.gateway.settings.model_copy(update={"deadline_lookback_days": 3650})
    after = dt.datetime.combine(half.due_on + dt.timedelta(days=1), dt.time(12), tzinfo=IST)
    assert emit_deadlines(prod.gateway.db, settings=settings, now=after) >= 1
    assert emit_deadlines(prod.gateway.db, settings=settings, now=after) == 0

    prod.wait_for(
        lambda: len(_deadlines(server, prison)) == 1,
        "the s.479 breach on the prison's feed",
        detail=lambda: f"unpublished: {prod.unpublished()}\n{prod.logs()}",
    )
    (item,) = _deadlines(server, prison)
    assert item["caseId"] == case_id
    deadline = item["deadline"]
    assert (deadline["kind"], deadline["provision"]) == ("breached", "BNSS 479(1)")
    assert deadline["prisonerNumber"] == f"{PRISON}:UT/{CASE.cnr.serial}/2026"
    assert deadline["dueOn"] == half.due_on.isoformat()

    # Everything announced was published; the prison's is the only feed entry of a deadline,
    # filed once (one inbox row), and the police clocks announced with it are on no feed.
    prod.wait_for(lambda: prod.unpublished() == 0, "the outbox published")
    rows = prod.sql(
        "SELECT pillar, institution, event_id FROM feed_entries "
        "WHERE event_type LIKE 'icjs.deadline.%%'"
    )
    assert [(r[0], r[1]) for r in rows] == [("prisons", PRISON)]
    assert rows[0][2] == item["eventId"]
    assert (
        prod.scalar(
            "SELECT count(*) FROM inbox WHERE consumer = 'feed.prisons' AND event_id = %(e)s",
            {"e": item["eventId"]},
        )
        == 1
    )
    police = prod.scalar(
        "SELECT count(*) FROM events WHERE type LIKE 'icjs.deadline.%%' "
        "AND envelope -> 'data' -> 'deadline' ->> 'pillar' = 'police'"
    )
    assert police >= 1
