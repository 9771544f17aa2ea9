"""``GET /asyncapi.json``: the AsyncAPI 3.0 document of the Kafka topics is valid against the
AsyncAPI 3.0.0 JSON Schema (npm package @asyncapi/specs, fetched by ``make install``), has a
message for every event type the gateway emits on the topic the outbox routes it to, a
dead-letter channel per worker, the audit topic, payload schemas that real events fit, and is
read with any valid key (recorded in the access log) and never without one."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from canonical_model.events import EVENT_PAYLOADS, EventPayload
from gateway.bootstrap import Gateway
from gateway.messaging.kafka.codec import to_record
from gateway.messaging.kafka.topics import dlq_topic
from gateway.services.ingest.append import topic_for
from tests.api.test_readme_walkthrough import curl_calls

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "var" / "asyncapi" / "asyncapi-3.0.0.schema.json"
DOC = "urn:test:asyncapi"


def asyncapi_schema() -> Draft7Validator:
    assert SCHEMA.is_file(), f"{SCHEMA} is missing: `make install` fetches it"
    return Draft7Validator(json.loads(SCHEMA.read_text()))


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_document_is_valid_asyncapi_3_and_covers_every_event(
    http: TestClient, key_for: Any, gateway: Gateway
) -> None:
    assert http.get("/asyncapi.json").status_code == 401
    answer = http.get("/asyncapi.json", headers=key_for("transport", "VAHAN"))
    assert answer.status_code == 200
    document = answer.json()
    validator = asyncapi_schema()
    assert [e.message for e in validator.iter_errors(document)] == []
    broken = copy.deepcopy(document)
    broken["operations"]["publishCaseEvents"]["action"] = "publish"  # AsyncAPI 2's word
    assert not validator.is_valid(broken)
    assert document["asyncapi"] == "3.0.0"

    # Every event type the gateway emits is a message on the topic the outbox routes it to.
    by_address = {c["address"]: c for c in document["channels"].values()}
    for name, payload in EVENT_PAYLOADS.items():
        topic = topic_for(cast(EventPayload, SimpleNamespace(family=payload.family)))
        channel = by_address[topic]
        assert name in channel["messages"], (name, topic)
        message = _resolve(document, channel["messages"][name]["$ref"])
        assert message["name"] == payload.event_type()
    assert {"icjs.case.v1", "icjs.registry.v1", "icjs.audit.v1"} <= set(by_address)
    # A dead-letter topic per worker: every pillar's feed, and the person index.
    for pillar in [*gateway.feeds, "persons"]:
        assert dlq_topic(gateway.settings, pillar) in by_address, pillar
    # Every reference resolves inside the document.
    text = json.dumps(document)
    for ref in {r for r in _refs(document)}:
        _resolve(document, ref)
    assert "$defs" not in text

    # The headers a record carries are the ones documented.
    headers = document["components"]["schemas"]["CloudEventHeaders"]
    envelope = {
        "specversion": "1.0",
        "id": "evt_1",
        "source": "/icjs/police/MH/AU",
        "type": "icjs.fir.registered",
        "subject": "case_1",
        "time": "2026-08-14T16:10:00+00:00",
        "dataschema": "urn:icjs:canonical:v1:fir.registered",
        "icjspillar": "police",
        "icjsreceipt": "msg_1",
        "data": {},
    }
    _value, record_headers = to_record(envelope)
    assert {name for name, _ in record_headers} == set(headers["properties"])


def test_a_real_events_data_fits_its_message_payload(
    http: TestClient, key_for: Any, police: dict[str, str]
) -> None:
    fir = next(c["body"] for c in curl_calls() if c["body"] and b"fir.registered" in c["body"])
    sent = http.post(
        "/v1/police/messages", content=fir, headers=police | {"Content-Type": "application/json"}
    )
    assert sent.status_code == 202, sent.text
    events = http.get(f"/v1/cases/{sent.json()['case_ids'][0]}/timeline", headers=police).json()
    document = http.get("/asyncapi.json", headers=police).json()
    registry: Registry[Any] = Registry().with_resource(
        DOC, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    payload = Draft202012Validator(
        {"$ref": f"{DOC}#/components/messages/fir.registered/payload"}, registry=registry
    )
    data = events["events"][0]["data"]
    assert list(payload.iter_errors(data)) == []
    assert not payload.is_valid({"fir": {"fir": "not an FIR"}})
    # Each read is recorded like any other.
    ops = key_for("operator", "NIC")
    reads = http.get("/v1/admin/access-log", headers=ops).json()["reads"]
    assert any(r["path"] == "/asyncapi.json" and r["status"] == 200 for r in reads)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []
