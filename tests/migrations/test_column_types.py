"""The column types mean the same on SQLite and PostgreSQL: times, JSON, bytes, sequences."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from gateway.bootstrap import Gateway
from gateway.store.tables import EventRow, MessageRow, OutboxRow

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def test_a_time_comes_back_as_the_same_instant_in_utc(gateway: Gateway) -> None:
    registered = dt.datetime(2026, 8, 14, 21, 40, tzinfo=IST)
    with gateway.db.session(write=True) as session:
        session.add(
            EventRow(
                id="evt_1",
                type="icjs.fir.registered",
                case_id="case_1",
                pillar="police",
                source="test",
                time=registered,
                envelope={"id": "evt_1"},
            )
        )
    with gateway.db.session() as session:
        row = session.exec(select(EventRow)).one()
        found = session.exec(select(EventRow).where(col(EventRow.time) < registered)).all()
    assert row.time == registered
    assert row.time.tzinfo is not None and row.time.utcoffset() == dt.timedelta(0)
    assert row.time.isoformat() == "2026-08-14T16:10:00+00:00"
    assert found == [], "comparisons use the instant, not the wall-clock digits"


def test_a_naive_time_is_taken_as_utc(gateway: Gateway) -> None:
    with gateway.db.session(write=True) as session:
        session.add(
            OutboxRow(
                event_id="evt_1",
                topic="icjs.case.v1",
                key="case_1",
                envelope={},
                created_at=dt.datetime(2026, 1, 2, 3, 4, 5),
            )
        )
    with gateway.db.session() as session:
        row = session.exec(select(OutboxRow)).one()
    assert row.created_at == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert row.published_at is None


def test_bytes_json_and_sequences_round_trip(gateway: Gateway) -> None:
    body = bytes(range(256))
    errors = [{"location": "/data/fir", "message": 'ünïcode — and "quotes"'}]
    with gateway.db.session(write=True) as session:
        session.add(
            MessageRow(
                id="msg_1",
                caller="police:MH",
                pillar="police",
                institution="MH",
                body=body,
                size=len(body),
                sha256="x",
                status="rejected",
                errors=errors,
                waiting_for=["fir:MH/AU/CIDCO/2026/0001"],
            )
        )
        for n in range(3):
            session.add(OutboxRow(event_id=f"evt_{n}", topic="t", key="k", envelope={"n": n}))
    with gateway.db.session() as session:
        message = session.exec(select(MessageRow)).one()
        outbox = session.exec(select(OutboxRow).order_by(col(OutboxRow.sequence))).all()
    assert message.body == body
    assert message.errors == errors and message.waiting_for == ["fir:MH/AU/CIDCO/2026/0001"]
    assert message.body_truncated is False and message.event_ids == []
    assert [row.envelope["n"] for row in outbox] == [0, 1, 2]
    sequences = [row.sequence for row in outbox if row.sequence is not None]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
