"""Embedded mode runs the same consumer code as a Kafka worker: retries with backoff, a dead
letter after the configured attempts while later events keep flowing, and an operator replay
that applies the event exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from adapters.courts import CourtsAdapter
from canonical_model.events import ChargesheetFiled, EventPayload
from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.cli import scenario
from gateway.messaging.consumers import rebuild_feed, record_dead_letter
from gateway.services.auth import create_client
from gateway.services.institutions import seed_sample_directory
from gateway.services.registry import AdapterRegistry
from gateway.settings import Settings
from gateway.store.tables import DeadLetterRow, FeedEntryRow, InboxRow

POISON = scenario.refs(66)


class FlakyCourtsAdapter(CourtsAdapter):
    """The real courts adapter with a defect for one FIR, until ``fixed`` is set."""

    fixed = False
    calls = 0

    def feed_institution(self, payload: EventPayload) -> str | None:
        if isinstance(payload, ChargesheetFiled) and payload.report.fir == POISON.fir:
            type(self).calls += 1
            if not type(self).fixed:
                raise RuntimeError("defect while filing this charge sheet")
        return super().feed_institution(payload)


@pytest.fixture
def flaky(tmp_path: Path) -> Iterator[Gateway]:
    FlakyCourtsAdapter.fixed = False
    FlakyCourtsAdapter.calls = 0
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'dlq.db'}",
        consumer_max_attempts=3,
        consumer_backoff_seconds=0.0,
    )
    gateway = build_gateway(settings, adapters=AdapterRegistry([FlakyCourtsAdapter()]))
    yield gateway
    gateway.close()


def keys(gateway: Gateway) -> dict[str, dict[str, str]]:
    made = {}
    with gateway.db.session(write=True) as session:
        # A store of its own: keys go only to institutions of the directory.
        seed_sample_directory(session)
        for pillar, institution in (("police", "MH"), ("courts", "MHAU01"), ("operator", "NIC")):
            _, key = create_client(session, name=pillar, pillar=pillar, institution=institution)
            made[pillar] = {"Authorization": f"Bearer {key}"}
    return made


def feed_case_ids(http: TestClient, court: dict[str, str]) -> list[str]:
    page = http.get(
        "/v1/courts/feed", params={"court": "MHAU01", "limit": "500"}, headers=court
    ).json()
    return [item["caseId"] for item in page["items"]]


def test_poison_event_is_dead_lettered_and_replayed_once(flaky: Gateway) -> None:
    k = keys(flaky)
    police = k["police"] | {"Content-Type": "application/json"}
    case_ids = {}
    with TestClient(create_app(flaky)) as http:
        for case in (scenario.refs(65), POISON, scenario.refs(67)):
            answer = http.post(
                "/v1/police/messages",
                content=json.dumps(scenario.fir_registered(case)),
                headers=police,
            )
            case_ids[case.fir] = answer.json()["case_ids"][0]
            sheet = http.post(
                "/v1/police/messages",
                content=json.dumps(scenario.chargesheet_filed(case)),
                headers=police,
            )
            assert sheet.json()["status"] == "accepted"
        # The events after the poison kept flowing; the poison was tried 3 times.
        assert feed_case_ids(http, k["courts"]) == [
            case_ids[scenario.refs(65).fir],
            case_ids[scenario.refs(67).fir],
        ]
        assert FlakyCourtsAdapter.calls == 3
        assert http.get("/readyz").json()["outbox_pending"] == 0

        listed = http.get("/v1/admin/dead-letters", headers=k["operator"]).json()["dead_letters"]
        assert len(listed) == 1
        dead = listed[0]
        assert dead["attempts"] == 3 and dead["status"] == "dead"
        assert dead["consumer"] == "feed.courts" and dead["origin"] == "in-process"
        assert dead["event_type"] == "icjs.chargesheet.filed"
        assert "defect while filing" in dead["error"]
        assert http.get("/v1/admin/dead-letters", headers=k["police"]).status_code == 403

        # Replaying before the fix fails and leaves it dead.
        again = http.post(f"/v1/admin/dead-letters/{dead['id']}/replay", headers=k["operator"])
        assert again.status_code == 409
        assert (
            http.get("/v1/admin/dead-letters", headers=k["operator"]).json()["dead_letters"][0][
                "status"
            ]
            == "dead"
        )

        FlakyCourtsAdapter.fixed = True
        replayed = http.post(f"/v1/admin/dead-letters/{dead['id']}/replay", headers=k["operator"])
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["status"] == "replayed"
        twice = http.post(f"/v1/admin/dead-letters/{dead['id']}/replay", headers=k["operator"])
        assert twice.status_code == 200
        ids = feed_case_ids(http, k["courts"])
        assert sorted(ids) == sorted(case_ids.values())
        assert len(ids) == len(set(ids)) == 3


def test_rebuild_restores_a_damaged_feed_exactly_once(
    gateway: Gateway, http: TestClient, key_for: Any
) -> None:
    police = key_for("police", "MH") | {"Content-Type": "application/json"}
    court = key_for("courts", "MHAU01")
    for n in range(1, 6):
        case = scenario.refs(n)
        http.post(
            "/v1/police/messages", content=json.dumps(scenario.fir_registered(case)), headers=police
        )
        http.post(
            "/v1/police/messages",
            content=json.dumps(scenario.chargesheet_filed(case)),
            headers=police,
        )
    before = sorted(feed_case_ids(http, court))
    assert len(before) == 5
    with gateway.db.session(write=True) as session:
        # The courts' feed is damaged; the other pillars' feeds (prosecution) are not touched.
        courts_feed = select(FeedEntryRow).where(FeedEntryRow.pillar == "courts")
        for row in session.exec(courts_feed).all()[:3]:
            session.delete(row)
    assert len(feed_case_ids(http, court)) == 2
    done = rebuild_feed(db=gateway.db, consumer=gateway.feeds["courts"], pillar="courts")
    assert done == 5
    after = feed_case_ids(http, court)
    assert sorted(after) == before and len(after) == len(set(after))
    with gateway.db.session() as session:
        assert (
            len(session.exec(select(InboxRow).where(InboxRow.consumer == "feed.courts")).all()) == 5
        )
        assert session.exec(select(DeadLetterRow)).all() == []


def test_a_redelivered_event_changes_nothing(
    gateway: Gateway, http: TestClient, key_for: Any
) -> None:
    police = key_for("police", "MH") | {"Content-Type": "application/json"}
    case = scenario.refs(8)
    http.post(
        "/v1/police/messages", content=json.dumps(scenario.fir_registered(case)), headers=police
    )
    http.post(
        "/v1/police/messages", content=json.dumps(scenario.chargesheet_filed(case)), headers=police
    )
    with gateway.db.session() as session:
        # One event, on the court's feed and on two prosecution offices': the district's
        # Deputy Director scrutinises it (BNSS s.20(8)), the Director monitors (s.20(7)).
        entries = session.exec(select(FeedEntryRow)).all()
    assert sorted((e.pillar, e.institution) for e in entries) == [
        ("courts", "MHAU01"),
        ("prosecution", "MH/AU/DDP"),
        ("prosecution", "MH/DOP"),
    ]
    assert len({e.event_id for e in entries}) == 1
    entry = entries[0]
    for _ in range(3):
        gateway.bus.publish(topic="icjs.case.v1", key=entry.case_id, envelope=entry.envelope)
    with gateway.db.session() as session:
        assert len(session.exec(select(FeedEntryRow)).all()) == 3


def test_an_event_met_again_after_a_crash_stays_one_dead_letter(flaky: Gateway) -> None:
    """A worker killed after recording a dead letter but before committing its offset
    meets the event again: the operator sees one dead letter, attempts added up."""
    envelope = {"id": "evt_again", "type": "icjs.chargesheet.filed", "subject": "case_x"}
    first = record_dead_letter(
        db=flaky.db,
        consumer="feed.courts",
        envelope=envelope,
        error="boom",
        attempts=3,
        origin="t/0/7",
    )
    second = record_dead_letter(
        db=flaky.db,
        consumer="feed.courts",
        envelope=envelope,
        error="boom again",
        attempts=3,
        origin="t/0/7",
    )
    other = record_dead_letter(
        db=flaky.db,
        consumer="feed.prisons",
        envelope=envelope,
        error="boom",
        attempts=1,
        origin="t/0/7",
    )
    assert second.id == first.id and other.id != first.id
    with flaky.db.session() as session:
        rows = session.exec(
            select(DeadLetterRow).where(DeadLetterRow.consumer == "feed.courts")
        ).all()
    assert [(row.attempts, row.error) for row in rows] == [(6, "boom again")]
