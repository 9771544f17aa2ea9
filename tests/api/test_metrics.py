"""``GET /metrics``: the walkthrough's messages counted by pillar, type and outcome, requests by
route template, and the store's gauges (dead letters, clocks due and overdue, the outbox) as the
store and the deadlines service have them; operators' keys only. On both stores.

The exposition is read with ``prometheus_client.parser``, never by matching its text.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, text
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from gateway.api.app import create_app
from gateway.bootstrap import Gateway
from gateway.messaging.consumers import record_dead_letter
from gateway.messaging.kafka.lag import ConsumerLag, GroupLag
from gateway.services.metrics import StoreCollector
from gateway.settings import Settings
from gateway.store.tables import DeadLetterRow, OutboxRow, utcnow
from tests.api.test_readme_walkthrough import curl_calls

JSON = {"Content-Type": "application/json"}
#: The day the clocks are read on: the walkthrough's FIR (14 August) has its clocks due, an FIR
#: of 20 July has its s.176(3) clock (thirty days) overdue.
TODAY = dt.datetime(2026, 8, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The clocks counted at every scrape (not reused for a minute), so that a scrape after
    the messages sees their clocks."""
    return settings.model_copy(update={"metrics_clocks_seconds": 0})


def scrape(http: TestClient, operator: dict[str, str]) -> Samples:
    """Every sample of ``/metrics``, by name and labels."""
    response = http.get("/metrics", headers=operator)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample ``name`` with exactly ``labels`` (0 when it is absent: not counted yet)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def of(samples: Samples, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every sample named ``name``, by its labels."""
    return {labels: v for (n, labels), v in samples.items() if n == name}


def walkthrough_fir() -> dict[str, Any]:
    """The README walkthrough's FIR (its first message)."""
    body = next(c["body"] for c in curl_calls() if c["body"] is not None)
    message: dict[str, Any] = json.loads(body)
    assert message["type"] == "fir.registered"
    return message


def test_messages_requests_and_the_stores_gauges_after_the_walkthrough(
    http: TestClient, gateway: Gateway, key_for: Any, police: dict[str, str]
) -> None:
    operator = key_for("operator", "NIC")
    before = scrape(http, operator)
    fir = walkthrough_fir()
    # The good message, and the same FIR with its date as the newcomer wrote it (rejected).
    good = http.post("/v1/police/messages", json=fir, headers=police | JSON)
    assert good.status_code == 202 and good.json()["status"] == "accepted", good.text
    bad = copy.deepcopy(fir)
    bad["data"]["fir"]["registered_at"] = "14/08/2026"
    refused = http.post("/v1/police/messages", json=bad, headers=police | JSON)
    assert refused.status_code == 422 and refused.json()["status"] == "rejected", refused.text
    # An earlier FIR of the same station, whose clocks have run longer.
    older = copy.deepcopy(fir)
    older["data"]["fir"] |= {
        "fir": "MH/AU/CIDCO/2026/0301",
        "registered_at": "2026-07-20T10:00:00+05:30",
    }
    assert http.post("/v1/police/messages", json=older, headers=police | JSON).status_code == 202
    # The court's hearing before the court has registered the case: held.
    hearing = next(c for c in curl_calls() if c["body"] is not None and b"<" in c["body"][:5])
    court = key_for("courts", "MHAU01")
    held = http.post(
        "/v1/courts/messages",
        content=hearing["body"],
        headers=court | {"Content-Type": "application/xml"},
    )
    assert held.status_code == 202 and held.json()["status"] == "held", held.text
    case = http.get("/v1/cases/MH/AU/CIDCO/2026/0417", headers=police)
    assert case.status_code == 200
    # A dead letter of the courts' feed (as its consumer records one) and one replayed.
    consumer = gateway.feeds["courts"].name
    for n in (1, 2):
        record_dead_letter(
            db=gateway.db,
            consumer=consumer,
            envelope={"id": f"evt-metrics-{n}", "type": "icjs.hearing.recorded"},
            error="RuntimeError: defect",
            attempts=3,
            origin="in-process",
        )
    with gateway.db.session(write=True) as session:
        replayed = session.exec(
            select(DeadLetterRow).where(DeadLetterRow.event_id == "evt-metrics-2")
        ).one()
        replayed.status = "replayed"
        session.add(replayed)
    gateway.clock = lambda: TODAY

    after = scrape(http, operator)

    def increase(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    messages = "icjs_messages_total"
    accepted = increase(
        messages, pillar="police", message_type="fir.registered", outcome="accepted"
    )
    assert accepted == 2
    assert (
        increase(messages, pillar="police", message_type="fir.registered", outcome="rejected") == 1
    )
    assert increase(messages, pillar="courts", message_type="hearing", outcome="held") == 1
    assert increase(messages, pillar="courts", message_type="hearing", outcome="accepted") == 0

    requests = "icjs_http_requests_total"
    route = "/v1/police/messages"
    assert increase(requests, method="POST", route=route, pillar="police", status="202") == 2
    assert increase(requests, method="POST", route=route, pillar="police", status="422") == 1
    assert (
        increase(requests, method="GET", route="/v1/cases/{ref}", pillar="police", status="200")
        == 1
    )
    assert (
        increase(
            "icjs_http_request_duration_seconds_count", method="POST", route=route, pillar="police"
        )
        == 3
    )
    # The earlier scrape is counted too, as the operator's.
    assert value(after, requests, method="GET", route="/metrics", pillar="operator", status="200")
    # Route templates only: no FIR, case id or receipt in any label.
    receipt = good.json()["receipt_id"]
    (case_id,) = good.json()["case_ids"]
    for _name, labels in after:
        for _label, said in labels:
            assert "0417" not in said and case_id not in said and receipt not in said, labels

    with gateway.db.session() as session:
        stored = {
            (c, s): n
            for c, s, n in session.exec(
                select(DeadLetterRow.consumer, DeadLetterRow.status, func.count()).group_by(
                    DeadLetterRow.consumer, DeadLetterRow.status
                )
            ).all()
        }
    assert stored == {(consumer, "dead"): 1, (consumer, "replayed"): 1}
    assert {
        (dict(labels)["consumer"], dict(labels)["status"]): int(v)
        for labels, v in of(after, "icjs_dead_letters").items()
    } == stored

    # The clocks as an operator reads them from the deadlines service, at the same time.
    listed = http.get(
        "/v1/deadlines", params={"state": ["due", "overdue"]}, headers=operator
    ).json()["deadlines"]
    expected = Counter((d["pillar"], d["provision"], d["state"]) for d in listed)
    assert {state for _p, _s, state in expected} == {"due", "overdue"}
    counted = {
        (dict(labels)["pillar"], dict(labels)["provision"], dict(labels)["state"]): int(v)
        for labels, v in of(after, "icjs_statutory_clocks").items()
    }
    assert counted == dict(expected)

    # Embedded mode: every accepted event relayed before its sender was answered.
    for part in ("outbox", "dead_letters", "clocks"):
        assert value(after, "icjs_metrics_store_up", part=part) == 1
    assert value(after, "icjs_outbox_events") == 0
    assert value(after, "icjs_relay_lag_seconds") == 0
    assert not of(after, "icjs_consumer_lag_events")  # no Kafka workers in embedded mode


def test_only_operators_read_metrics(http: TestClient, key_for: Any) -> None:
    no_key = http.get("/metrics")
    assert no_key.status_code == 401
    assert no_key.json()["code"] == "unauthenticated"
    for pillar, institution in (("police", "MH/AU"), ("courts", "MHAU01")):
        refused = http.get("/metrics", headers=key_for(pillar, institution))
        assert refused.status_code == 403, refused.text
        assert "icjs_" not in refused.text
    # The refused callers are counted without a key, and by their pillar.
    samples = scrape(http, key_for("operator", "NIC"))
    requests = "icjs_http_requests_total"
    assert value(samples, requests, method="GET", route="/metrics", pillar="none", status="401")
    assert value(samples, requests, method="GET", route="/metrics", pillar="courts", status="403")
    # OpenMetrics when asked for.
    open_metrics = http.get(
        "/metrics",
        headers=key_for("operator", "NIC") | {"Accept": "application/openmetrics-text"},
    )
    assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
    assert open_metrics.text.rstrip().endswith("# EOF")


def test_relay_lag_is_the_age_of_the_oldest_unpublished_event(
    gateway: Gateway, key_for: Any
) -> None:
    # No lifespan: no relay runs, so the row stays unpublished while it is scraped.
    http = TestClient(create_app(gateway))
    written = utcnow() - dt.timedelta(minutes=5)
    with gateway.db.session(write=True) as session:
        session.add(
            OutboxRow(
                event_id="evt-metrics-outbox",
                topic="icjs.case.v1",
                key="case_metrics",
                envelope={"id": "evt-metrics-outbox"},
                created_at=written,
            )
        )
    samples = scrape(http, key_for("operator", "NIC"))
    assert value(samples, "icjs_outbox_events") == 1
    assert value(samples, "icjs_relay_lag_seconds") >= 300


def test_the_clock_count_is_reused_within_its_window(
    gateway: Gateway, key_for: Any, police: dict[str, str]
) -> None:
    gateway.settings = gateway.settings.model_copy(update={"metrics_clocks_seconds": 3600})
    gateway.clock = lambda: TODAY
    with TestClient(create_app(gateway)) as http:
        operator = key_for("operator", "NIC")
        assert not of(scrape(http, operator), "icjs_statutory_clocks")
        posted = http.post("/v1/police/messages", json=walkthrough_fir(), headers=police | JSON)
        assert posted.status_code == 202
        # Counted before the FIR and reused: the scan is not repeated at every scrape.
        assert not of(scrape(http, operator), "icjs_statutory_clocks")
    with TestClient(create_app(gateway)) as http:
        # A new app counts afresh.
        assert of(scrape(http, operator), "icjs_statutory_clocks")


def test_consumer_lag_as_the_gateway_last_read_it(gateway: Gateway) -> None:
    """The lag each worker group had when the gateway last read it from Kafka (the reading
    itself is the production suite's: tests/production/test_outages.py)."""
    lag = ConsumerLag(settings=gateway.settings, pillars=["courts", "persons"])
    lag.groups = {
        "courts": GroupLag(group="icjs-courts", lag=7, members=2, state="Stable", partitions={}),
        "persons": GroupLag(group="icjs-persons", lag=0, members=1, state="Stable", partitions={}),
    }
    lag.read_at = dt.datetime.now(dt.UTC).timestamp() - 30
    collector = StoreCollector(
        db=gateway.db, settings=gateway.settings, clock=lambda: TODAY, consumer_lag=lag
    )
    found = {
        (metric.name, tuple(sorted(s.labels.items()))): s.value
        for metric in collector.collect()
        for s in metric.samples
    }
    assert found[("icjs_consumer_lag_events", (("worker", "courts"),))] == 7
    assert found[("icjs_consumer_lag_events", (("worker", "persons"),))] == 0
    assert found[("icjs_consumer_group_members", (("worker", "courts"),))] == 2
    assert found[("icjs_consumer_lag_read_age_seconds", ())] >= 30


def test_routes_of_mounted_apps_and_unknown_paths_are_named_by_template(
    gateway: Gateway, key_for: Any
) -> None:
    async def item(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.path_params["item"])

    app = create_app(gateway)
    app.mount("/sub", Starlette(routes=[Route("/items/{item}", item)]))
    with TestClient(app) as http:
        assert http.get("/sub/items/case_42").text == "case_42"
        assert http.get("/nowhere/case_42").status_code == 404
        samples = scrape(http, key_for("operator", "NIC"))
    requests = "icjs_http_requests_total"
    assert (
        value(
            samples, requests, method="GET", route="/sub/items/{item}", pillar="none", status="200"
        )
        == 1
    )
    assert (
        value(samples, requests, method="GET", route="unmatched", pillar="none", status="404") == 1
    )
    assert not [labels for _n, labels in samples if "case_42" in str(labels)]


def test_a_part_that_cannot_be_read_is_left_out_and_said_so(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    # The test's own store loses a table: that part fails, the others and the counters remain.
    with gateway.db.session(write=True) as session:
        session.exec(text("DROP TABLE dead_letters"))  # type: ignore[call-overload]
    samples = scrape(http, key_for("operator", "NIC"))
    assert value(samples, "icjs_metrics_store_up", part="dead_letters") == 0
    assert not of(samples, "icjs_dead_letters")
    assert value(samples, "icjs_metrics_store_up", part="outbox") == 1
    assert value(samples, "icjs_metrics_store_up", part="clocks") == 1
    assert ("icjs_outbox_events", ()) in samples
