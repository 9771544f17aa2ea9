"""The message routes' fast path (gateway/api/fast_ingest.py) answers as the FastAPI route does:
the same statuses, error codes, located errors and headers, for every kind of answer a sender
can get. Each request goes once through an app with the fast path and once through one
without it, on the same gateway; the fast path is shown to be the one answering."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.api.app import create_app
from gateway.api.fast_ingest import IngestFastPath
from gateway.bootstrap import Gateway
from gateway.cli import scenario

Send = Callable[[TestClient, int], Any]
JSON = {"Content-Type": "application/json"}


def _fast_path(client: TestClient) -> IngestFastPath:
    """The fast path in ``client``'s app (built on the app's first request)."""
    app: Any = client.app
    layer: Any = app.middleware_stack
    while layer is not None:
        if isinstance(layer, IngestFastPath):
            return layer
        layer = getattr(layer, "app", None)
    raise AssertionError("the app has no fast path")


def _shape(value: Any) -> Any:
    """The answer without what differs from one request to the next (ids, times, numbers, the
    informant's access code that a registration's receipt carries, drawn at random)."""
    if isinstance(value, dict) and isinstance(value.get("citizen_access"), dict):
        value = value | {"citizen_access": value["citizen_access"] | {"code": "<random>"}}
    if isinstance(value, dict):
        return {
            key: ("<varies>" if key.endswith(("_id", "_ids", "_at")) else _shape(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shape(item) for item in value]
    if isinstance(value, str):
        return "".join("#" if ch.isdigit() else ch for ch in value)
    return value


@pytest.fixture
def apps(gateway: Gateway) -> Iterator[tuple[TestClient, TestClient]]:
    with (
        TestClient(create_app(gateway)) as fast,
        TestClient(create_app(gateway, fast_ingest=False)) as routed,
    ):
        yield fast, routed


def test_every_kind_of_answer_is_the_routes(
    apps: tuple[TestClient, TestClient], gateway: Gateway, key_for: Any
) -> None:
    fast, routed = apps
    police = key_for("police", scenario.STATION)
    court = key_for("courts", "MHAU01")
    small = gateway.settings.max_body_bytes

    def fir(serial: int) -> bytes:
        return json.dumps(scenario.fir_registered(scenario.refs(serial))).encode()

    cases: dict[str, Send] = {
        "accepted": lambda c, n: c.post(
            "/v1/police/messages", content=fir(n), headers=police | JSON
        ),
        "duplicate": lambda c, n: [
            c.post("/v1/police/messages", content=fir(n + 1), headers=police | JSON),
            c.post("/v1/police/messages", content=fir(n + 1), headers=police | JSON),
        ][1],
        "held": lambda c, n: c.post(
            "/v1/police/messages",
            content=json.dumps(scenario.person_arrested(scenario.refs(n + 2))),
            headers=police | JSON,
        ),
        "not JSON": lambda c, n: c.post(
            "/v1/police/messages", content=b"{not json", headers=police | JSON
        ),
        "against the contract": lambda c, n: c.post(
            "/v1/police/messages",
            content=json.dumps({"type": "fir.registered", "data": {"fir": "MH-AU"}}),
            headers=police | JSON,
        ),
        "no key": lambda c, n: c.post("/v1/police/messages", content=fir(n + 3), headers=JSON),
        "unknown key": lambda c, n: c.post(
            "/v1/police/messages",
            content=fir(n + 3),
            headers={"Authorization": "Bearer icjs_police_unknown"} | JSON,
        ),
        "another pillar's key": lambda c, n: c.post(
            "/v1/police/messages", content=fir(n + 3), headers=court | JSON
        ),
        "media type": lambda c, n: c.post(
            "/v1/police/messages",
            content=fir(n + 3),
            headers=police | {"Content-Type": "text/plain"},
        ),
        "too large": lambda c, n: c.post(
            "/v1/police/messages", content=b" " * (small + 1), headers=police | JSON
        ),
        "court XML": lambda c, n: c.post(
            "/v1/courts/messages",
            content=b"<caseRegistration/>",
            headers=court | {"Content-Type": "application/xml"},
        ),
    }
    fast.get("/healthz")  # builds the app's middleware
    answered_before = _fast_path(fast).answered
    sent = 0
    for number, (name, send) in enumerate(cases.items()):
        # Each app gets requests of its own (the FIRs differ), in the same order.
        by_route = send(routed, 100 + 10 * number)
        by_fast_path = send(fast, 500 + 10 * number)
        sent += 2 if name == "duplicate" else 1
        assert by_fast_path.status_code == by_route.status_code, name
        assert _shape(by_fast_path.json()) == _shape(by_route.json()), name
        for header in ("www-authenticate", "retry-after", "content-type"):
            assert by_fast_path.headers.get(header) == by_route.headers.get(header), (name, header)
        assert by_fast_path.headers["x-request-id"], name
    assert _fast_path(fast).answered - answered_before == sent


def test_other_requests_on_the_same_paths_go_to_the_routes(
    apps: tuple[TestClient, TestClient], key_for: Any
) -> None:
    fast, _routed = apps
    police = key_for("police", scenario.STATION)
    fast.get("/healthz")
    before = _fast_path(fast).answered
    # Another method on the same path is FastAPI's to refuse; a trailing slash is another path.
    other = fast.get("/v1/police/messages", headers=police)
    assert other.status_code == 405 and other.json()["code"] == "method_not_allowed"
    slash = fast.post(
        "/v1/police/messages/", content=b"{}", headers=police | JSON, follow_redirects=False
    )
    assert slash.status_code == 307  # FastAPI's redirect to the path without the slash
    assert _fast_path(fast).answered == before
