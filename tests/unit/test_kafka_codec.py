"""CloudEvents in Kafka's binary content mode: attributes as ce_* headers, data as the value."""

from __future__ import annotations

import datetime as dt
import json

from canonical_model.events import CloudEvent, payload_class
from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record, to_record
from gateway.messaging.kafka.topics import consumer_group, dlq_topic, kafka_topic
from gateway.settings import Settings


def test_binary_mode_round_trip() -> None:
    message = scenario.fir_registered(scenario.refs(4))
    payload = payload_class(message["type"]).model_validate(message["data"])
    event = CloudEvent.wrap(
        payload,
        event_id="evt_1",
        source="/icjs/police/MH",
        subject="case_1",
        time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    envelope = event.model_dump(mode="json")
    value, headers = to_record(envelope)
    names = dict(headers)
    assert names["ce_id"] == b"evt_1"
    assert names["ce_type"] == b"icjs.fir.registered"
    assert names["ce_subject"] == b"case_1"
    assert names["ce_specversion"] == b"1.0"
    assert names["content-type"] == b"application/json"
    assert json.loads(value) == envelope["data"]
    assert "ce_icjsreceipt" not in names, "absent attributes are not sent"
    back = CloudEvent.model_validate(from_record(value, headers))
    assert back == event


def test_topic_names_follow_the_prefix() -> None:
    default = Settings()
    assert kafka_topic(default, "icjs.case.v1") == "icjs.case.v1"
    assert dlq_topic(default, "courts") == "icjs.dlq.courts"
    assert consumer_group(default, "courts") == "icjs-courts"
    other = Settings(kafka_topic_prefix="mh-icjs")
    assert kafka_topic(other, "icjs.case.v1") == "mh-icjs.case.v1"
    assert consumer_group(other, "courts") == "mh-icjs-courts"
