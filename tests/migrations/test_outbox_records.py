"""The outbox keeps each event's Kafka record from acceptance on (revision 0003); rows written
before that have none, and the relay encodes them from their envelope instead."""

from __future__ import annotations

import json

from sqlalchemy import update
from sqlmodel import col, select

from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record, to_record
from gateway.messaging.outbox import fetch_records
from gateway.services.auth import Client, create_client
from gateway.store.tables import OutboxRow


def police(gateway: Gateway) -> Client:
    with gateway.db.session(write=True) as session:
        row, _ = create_client(session, name="p", pillar="police", institution="MH")
    assert row.id is not None
    return Client(id=row.id, name=row.name, pillar=row.pillar, institution=row.institution)


def test_an_accepted_event_has_its_record_and_an_older_row_is_encoded_from_its_envelope(
    gateway: Gateway,
) -> None:
    client = police(gateway)
    # The rows must stay unpublished for this test: the group-commit writer would relay
    # each batch to the feeds (and mark it) before answering.
    gateway.db.writer.after_commit = None
    for message in (
        scenario.fir_registered(scenario.refs(1)),
        scenario.fir_registered(scenario.refs(2)),
    ):
        receipt = gateway.ingestor.ingest(
            client=client,
            pillar="police",
            body=json.dumps(message).encode(),
            media_type="application/json",
        )
        assert receipt.status == "accepted"
    # The second row as a gateway before revision 0003 would have left it.
    with gateway.db.session(write=True) as session:
        newest = session.exec(select(OutboxRow).order_by(col(OutboxRow.sequence).desc())).first()
        assert newest is not None
        session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.sequence) == newest.sequence)
            .values(record_value=None, record_headers=None)
        )
    kept, older = fetch_records(gateway.db, 10)
    assert kept.envelope is None, "a row with its record is read without its envelope"
    assert kept.record_value is not None and kept.record_headers is not None
    assert older.record_value is None and older.envelope is not None
    for row in (kept, older):
        value, headers = row.record()
        event = from_record(value, headers)
        assert event["subject"] == row.key and event["type"] == "icjs.fir.registered"
    assert older.record() == to_record(older.envelope)
    assert from_record(*kept.record())["data"]["fir"]["fir"] == str(scenario.refs(1).fir)
