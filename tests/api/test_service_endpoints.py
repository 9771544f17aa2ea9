"""Health, readiness, OpenAPI, docs, contracts and request ids."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.cli import scenario


def test_health_and_readiness(http: TestClient) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"
    assert ready.json()["outbox_pending"] == 0


def test_openapi_and_docs(http: TestClient) -> None:
    spec = http.get("/openapi.json").json()
    for path in (
        "/v1/police/messages",
        "/v1/courts/messages",
        "/v1/courts/feed",
        "/v1/cases/{ref}",
        "/v1/cases/{ref}/timeline",
        "/v1/contracts",
    ):
        assert path in spec["paths"], path
    assert http.get("/docs").status_code == 200


def test_contracts_are_listed_and_served(http: TestClient, key_for: Any) -> None:
    headers = key_for("courts", "MHAU01")
    listing = http.get("/v1/contracts", headers=headers).json()["contracts"]
    names = {c["name"] for c in listing}
    assert "courts/v1/chargesheet.xsd" in names
    assert "courts/v1/chargesheet.schema.json" in names
    assert "canonical/v1/police-message.schema.json" in names
    xsd = http.get("/v1/contracts/courts/v1/chargesheet.xsd", headers=headers)
    assert xsd.status_code == 200 and b"schema" in xsd.content
    schema = http.get("/v1/contracts/canonical/v1/fir.registered.schema.json", headers=headers)
    assert schema.status_code == 200 and "$schema" in schema.json()
    assert http.get("/v1/contracts/courts/v1/nothing.xsd", headers=headers).status_code == 404
    assert (
        http.get("/v1/contracts/courts/v1/..%2F..%2Floader.py", headers=headers).status_code == 404
    )


def test_request_id_is_honoured_and_logged(
    http: TestClient, key_for: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    headers = key_for("police", "MH") | {
        "Content-Type": "application/json",
        "X-Request-ID": "req-abc-123",
    }
    response = http.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(scenario.refs(3))),
        headers=headers,
    )
    assert response.headers["x-request-id"] == "req-abc-123"
    receipt = response.json()["receipt_id"]
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    accepted = [line for line in lines if line.get("event") == "message accepted"]
    assert accepted, lines
    assert accepted[0]["request_id"] == "req-abc-123"
    assert accepted[0]["message_id"] == receipt
    assert accepted[0]["caller"].startswith("police:MH:")
    generated = http.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
