"""deadline.due_soon and deadline.breached: written through the outbox once per clock, kind
and due date, also when two emitters run at once; on both stores."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from canonical_model.clock_facts import IST
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.cases import rebuild_status
from gateway.services.deadlines import emit_deadlines
from gateway.store.tables import CaseRow, DeadlineNoticeRow, EventRow, OutboxRow
from tests.conftest import as_json

CASE = scenario.refs(47)
JSON = {"Content-Type": "application/json"}


def _rape_case(http: TestClient, police: dict[str, str]) -> str:
    fir = scenario.fir_registered(CASE)
    fir["data"]["fir"]["offences"] = [{"act": "BNS", "section": "64(1)"}]
    arrest = scenario.person_arrested(CASE)
    del arrest["data"]["arrest"]["produced_before"]
    del arrest["data"]["arrest"]["produced_at"]
    # The victim examined within the 24 hours of s.184(1) and the report received within the
    # 7 days of s.184(6): those clocks are met, and these tests follow the others.
    steps = [
        {
            "type": "investigation.step",
            "data": {"step": {"fir": str(CASE.fir), "kind": kind, "on": on} | more},
        }
        for kind, on, more in (
            ("medical_examination", "2026-08-15", {"at": "2026-08-15T09:00:00+05:30"}),
            ("medical_report_forwarded", "2026-08-20", {}),
        )
    ]
    case_id = ""
    for message in (fir, arrest, *steps):
        answer = http.post("/v1/police/messages", content=as_json(message), headers=police | JSON)
        assert answer.status_code == 202, answer.text
        case_id = answer.json()["case_ids"][0]
    return case_id


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=IST)


def _deadline_events(gateway: Gateway) -> list[dict[str, Any]]:
    with gateway.db.session() as session:
        rows = session.exec(
            select(OutboxRow)
            .where(col(OutboxRow.topic) == "icjs.case.v1")
            .order_by(col(OutboxRow.sequence))
        ).all()
        return [r.envelope for r in rows if r.envelope["type"].startswith("icjs.deadline.")]


def test_a_breach_is_announced_once_through_the_outbox(
    http: TestClient, gateway: Gateway, police: dict[str, str]
) -> None:
    case_id = _rape_case(http, police)
    settings = gateway.settings
    # 18 August 11:04: s.58 is still running (due 11:05), within the lead: due soon.
    assert emit_deadlines(gateway.db, settings=settings, now=_at("2026-08-18T11:04:00")) == 1
    # One minute after the 24 hours: breached; a second round announces nothing new.
    assert emit_deadlines(gateway.db, settings=settings, now=_at("2026-08-18T11:06:00")) == 1
    assert emit_deadlines(gateway.db, settings=settings, now=_at("2026-08-18T11:07:00")) == 0
    events = _deadline_events(gateway)
    assert [(e["type"], e["data"]["deadline"]["provision"]) for e in events] == [
        ("icjs.deadline.due_soon", "BNSS 58"),
        ("icjs.deadline.breached", "BNSS 58"),
    ]
    breach = events[1]
    assert breach["subject"] == case_id
    assert breach["data"]["deadline"]["institution"] == "MH/AU/CIDCO"
    assert breach["data"]["deadline"]["accused_ref"] == "A1"
    assert breach["data"]["deadline"]["due_on"] == "2026-08-18"
    with gateway.db.session() as session:
        # On the case's log too, and the stored status is still its rebuild from the events.
        logged = session.exec(select(EventRow.type).where(EventRow.case_id == case_id)).all()
        assert logged.count("icjs.deadline.breached") == 1
        case = session.get(CaseRow, case_id)
        assert case is not None
        assert rebuild_status(session, case_id).model_dump(mode="json") == case.status
    timeline = http.get(f"/v1/cases/{CASE.fir}/timeline", headers=police).json()["events"]
    assert "BNSS 58 (accused A1): production before a Magistrate" in timeline[-1]["summary"]


def test_due_soon_at_the_lead_the_day_before_it_and_not_for_old_breaches(
    http: TestClient, gateway: Gateway, police: dict[str, str]
) -> None:
    _rape_case(http, police)
    # s.58 and s.176(3) (due 13 September) ran out more than ten days before: not announced.
    settings = gateway.settings.model_copy(
        update={"deadline_due_soon_days": 3, "deadline_lookback_days": 10}
    )
    # s.193(2) is due on 14 October: announced due soon from 11 October, not on the 10th.
    assert emit_deadlines(gateway.db, settings=settings, now=_at("2026-10-10T12:00:00")) == 0
    assert emit_deadlines(gateway.db, settings=settings, now=_at("2026-10-11T12:00:00")) == 1
    provisions = [e["data"]["deadline"]["provision"] for e in _deadline_events(gateway)]
    assert provisions == ["BNSS 193(2)"]
    # Far past every due date and beyond the look-back: nothing is announced as breached.
    late = settings.model_copy(update={"deadline_lookback_days": 30})
    assert emit_deadlines(gateway.db, settings=late, now=_at("2027-06-01T12:00:00")) == 0


def test_two_emitters_at_once_announce_each_deadline_once(
    http: TestClient, gateway: Gateway, police: dict[str, str]
) -> None:
    _rape_case(http, police)
    now = _at("2026-10-20T12:00:00")  # s.58, s.176(3) and s.193(2) all breached
    settings = gateway.settings.model_copy(update={"deadline_lookback_days": 365})
    start = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        start.wait()
        counts.append(emit_deadlines(gateway.db, settings=settings, now=now))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = _deadline_events(gateway)
    assert sum(counts) == len(events) == 3
    assert sorted(e["data"]["deadline"]["provision"] for e in events) == [
        "BNSS 176(3)",
        "BNSS 193(2)",
        "BNSS 58",
    ]
    with gateway.db.session() as session:
        assert len(session.exec(select(DeadlineNoticeRow)).all()) == 3


_SERIALS = itertools.count(100)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(st.integers(0, 24 * 120), min_size=1, max_size=6))
def test_random_emission_rounds_announce_each_deadline_at_most_once(
    http: TestClient, gateway: Gateway, police: dict[str, str], rounds: list[int]
) -> None:
    case = scenario.refs(next(_SERIALS))
    fir = scenario.fir_registered(case)
    fir["data"]["fir"]["offences"] = [{"act": "BNS", "section": "64(1)"}]
    answer = http.post("/v1/police/messages", content=as_json(fir), headers=police | JSON)
    case_id = answer.json()["case_ids"][0]
    settings_ = gateway.settings.model_copy(update={"deadline_lookback_days": 365})
    start = _at("2026-08-14T21:40:00")
    for hours in sorted(rounds):
        emit_deadlines(gateway.db, settings=settings_, now=start + dt.timedelta(hours=hours))
    # Once more at the last moment: nothing new.
    last = start + dt.timedelta(hours=max(rounds))
    assert emit_deadlines(gateway.db, settings=settings_, now=last) == 0
    with gateway.db.session() as session:
        notices = session.exec(
            select(DeadlineNoticeRow).where(DeadlineNoticeRow.case_id == case_id)
        ).all()
        keys = [(n.clock, n.kind, n.due_on) for n in notices]
        assert len(keys) == len(set(keys))
        logged = session.exec(
            select(EventRow.id).where(
                EventRow.case_id == case_id, col(EventRow.type).startswith("icjs.deadline.")
            )
        ).all()
        assert sorted(logged) == sorted(n.event_id for n in notices)
