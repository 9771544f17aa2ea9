"""Bad input: a clear 4xx with located errors, a rejected entry in the message log, no event
written, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from adapters.courts.policy import CourtsPolicy
from canonical_model.events import HearingRecorded
from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.cli import scenario
from gateway.settings import Settings
from gateway.store.tables import EventRow, MessageRow, OutboxRow

CASE = scenario.refs(5)


def counts(gateway: Gateway) -> tuple[int, int]:
    with gateway.db.session() as session:
        events = session.exec(select(func.count()).select_from(EventRow)).one()
        outbox = session.exec(select(func.count()).select_from(OutboxRow)).one()
    return int(events), int(outbox)


def logged(gateway: Gateway, receipt_id: str) -> MessageRow:
    with gateway.db.session() as session:
        row = session.get(MessageRow, receipt_id)
    assert row is not None, "every message must be in the message log"
    return row


def court_xml(gateway: Gateway) -> bytes:
    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    body: bytes = gateway.adapters.get("courts").encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
    return body


def court_json(gateway: Gateway) -> dict[str, Any]:
    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    body = gateway.adapters.get("courts").encode(payload, media_type="application/json")  # type: ignore[attr-defined]
    document: dict[str, Any] = json.loads(body)
    return document


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<hearing xmlns="urn:icjs:courts:v1">&lol9;</hearing>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE hearing [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<hearing xmlns="urn:icjs:courts:v1"><cnr>&secret;</cnr></hearing>"""


def _police_cases() -> list[tuple[str, bytes, str, int, str, str]]:
    """(name, body, content type, status, error code, location fragment)."""
    fir = scenario.fir_registered(CASE)
    no_offences = json.loads(json.dumps(fir))
    no_offences["data"]["fir"]["offences"] = []
    bad_fir = json.loads(json.dumps(fir))
    bad_fir["data"]["fir"]["fir"] = "MH/AU/CIDCO/20X6/12"
    bad_section = json.loads(json.dumps(fir))
    bad_section["data"]["fir"]["offences"][0] = {"act": "XYZ", "section": "302"}
    return [
        (
            "malformed json",
            b'{"type": "fir.registered", "data": {',
            "application/json",
            400,
            "malformed",
            "line",
        ),
        ("not utf-8", b'{"type": "\xff"}', "application/json", 400, "malformed", ""),
        (
            "unknown type",
            json.dumps({"type": "fir.deleted", "data": {}}).encode(),
            "application/json",
            422,
            "unknown_message_type",
            "/type",
        ),
        (
            "missing data",
            json.dumps({"type": "fir.registered"}).encode(),
            "application/json",
            422,
            "contract_violation",
            "/data",
        ),
        (
            "no offences",
            json.dumps(no_offences).encode(),
            "application/json",
            422,
            "contract_violation",
            "/data/fir/offences",
        ),
        (
            "bad fir number",
            json.dumps(bad_fir).encode(),
            "application/json",
            422,
            "contract_violation",
            "/data/fir/fir",
        ),
        (
            "unknown act",
            json.dumps(bad_section).encode(),
            "application/json",
            422,
            "contract_violation",
            "/data/fir/offences/0/act",
        ),
        ("xml to police", b"<fir/>", "application/xml", 415, "unsupported_media_type", ""),
        ("no content type", json.dumps(fir).encode(), "", 415, "unsupported_media_type", ""),
    ]


@pytest.mark.parametrize(
    "name,body,content_type,status,code,where",
    _police_cases(),
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_police_messages(
    http: TestClient,
    gateway: Gateway,
    key_for: Any,
    name: str,
    body: bytes,
    content_type: str,
    status: int,
    code: str,
    where: str,
) -> None:
    headers = key_for("police", "MH") | ({"Content-Type": content_type} if content_type else {})
    response = http.post("/v1/police/messages", content=body, headers=headers)
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["code"] == code
    assert answer["status"] == "rejected"
    assert answer["errors"], "every rejection names what is wrong"
    assert any(where in e["location"] for e in answer["errors"]), answer["errors"]
    row = logged(gateway, answer["receipt_id"])
    assert row.status == "rejected" and row.body == body and row.errors == answer["errors"]
    assert counts(gateway) == (0, 0)


def test_bad_court_messages(http: TestClient, gateway: Gateway, key_for: Any) -> None:
    court = key_for("courts", "MHAU01")
    good_json = court_json(gateway)
    missing_date = {k: v for k, v in good_json.items() if k != "hearingDate"}
    bad_cnr = good_json | {"cnr": "MHAU01-00X234-2026"}
    bad_date = good_json | {"hearingDate": "2026-13-40"}
    chargesheet_from_court = good_json | {"messageType": "chargesheet"}
    xml = court_xml(gateway)
    broken_xml = xml.replace(b"</hearing>", b"")
    cases: list[tuple[bytes, str, int, str]] = [
        (b"{not json", "application/json", 400, "malformed"),
        (broken_xml, "application/xml", 400, "malformed"),
        (BILLION_LAUGHS, "application/xml", 400, "malformed"),
        (XXE, "application/xml", 400, "malformed"),
        (json.dumps(missing_date).encode(), "application/json", 422, "contract_violation"),
        (json.dumps(bad_cnr).encode(), "application/json", 422, "contract_violation"),
        (json.dumps(bad_date).encode(), "application/json", 422, "contract_violation"),
        (
            json.dumps(good_json | {"messageType": "appeal"}).encode(),
            "application/json",
            422,
            "unknown_message_type",
        ),
        (json.dumps(chargesheet_from_court).encode(), "application/json", 422, ""),
        (json.dumps(good_json).encode(), "text/plain", 415, "unsupported_media_type"),
    ]
    for body, content_type, status, code in cases:
        response = http.post(
            "/v1/courts/messages", content=body, headers=court | {"Content-Type": content_type}
        )
        assert response.status_code == status, (body[:80], response.text)
        answer = response.json()
        if code:
            assert answer["code"] == code, answer
        assert answer["errors"], answer
        assert all(e["location"] and e["message"] for e in answer["errors"])
        assert "root:" not in response.text, "the XXE target must never be read"
        assert logged(gateway, answer["receipt_id"]).status == "rejected"
    assert counts(gateway) == (0, 0)
    located = http.post(
        "/v1/courts/messages",
        content=json.dumps(missing_date).encode(),
        headers=court | {"Content-Type": "application/json"},
    ).json()
    assert any(
        "hearingDate" in e["location"] or "hearingDate" in e["message"] for e in located["errors"]
    )


def test_a_body_over_the_limit_is_413_and_logged(tmp_path: Any, key_for: Any) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'small.db'}", max_body_bytes=2048)
    gateway = build_gateway(settings)
    try:
        from gateway.services.auth import create_client
        from gateway.services.institutions import seed_sample_directory

        with gateway.db.session(write=True) as session:
            # A store of its own: keys go only to institutions of the directory.
            seed_sample_directory(session)
            _, key = create_client(session, name="p", pillar="police", institution="MH")
        with TestClient(create_app(gateway)) as http:
            body = json.dumps(scenario.fir_registered(CASE) | {"id": "x" * 5000}).encode()
            response = http.post(
                "/v1/police/messages",
                content=body,
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            assert response.status_code == 413
            answer = response.json()
            assert answer["code"] == "payload_too_large"
            assert "2048" in answer["message"]
            row = logged(gateway, answer["receipt_id"])
            assert row.status == "rejected" and row.size >= len(body) > 2048
            assert counts(gateway) == (0, 0)
    finally:
        gateway.close()


def test_unparseable_case_reference_is_422_and_unknown_is_404(
    http: TestClient, key_for: Any
) -> None:
    police = key_for("police", "MH")
    bad = http.get("/v1/cases/not-a-reference", headers=police)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["location"] == "ref"
    unknown = http.get(f"/v1/cases/{CASE.cnr}", headers=police)
    assert unknown.status_code == 404
    assert str(CASE.cnr) in unknown.json()["message"]


def test_bad_feed_parameters(http: TestClient, key_for: Any) -> None:
    court = key_for("courts", "MHAU01")
    assert http.get("/v1/courts/feed", headers=court).status_code == 422
    assert (
        http.get(
            "/v1/courts/feed", params={"court": "MHAU01", "after": "abc"}, headers=court
        ).status_code
        == 422
    )
    assert (
        http.get(
            "/v1/courts/feed", params={"court": "MHAU01", "limit": "0"}, headers=court
        ).status_code
        == 422
    )
    not_acceptable = http.get(
        "/v1/courts/feed", params={"court": "MHAU01"}, headers=court | {"Accept": "text/csv"}
    )
    assert not_acceptable.status_code == 415


class ExplodingAdapter:
    """A courts adapter with a bug: decoding raises something outside the error tree."""

    pillar = "courts"
    policy = CourtsPolicy()
    media_types = ("application/json",)
    inbound_message_types = ("hearing",)
    feed_event_types: tuple[str, ...] = ()

    def sniff_type(self, body: bytes, *, media_type: str) -> str | None:
        return None

    def decode(self, body: bytes, *, media_type: str) -> Any:
        raise RuntimeError("bug in the adapter")

    def encode_feed(
        self, items: Any, *, institution: str, next_cursor: Any, media_type: str
    ) -> bytes:
        return b""

    def feed_institutions(self, payload: Any) -> tuple[str, ...]:
        return ()


def test_an_internal_failure_keeps_the_message_as_failed(settings: Settings) -> None:
    from gateway.services.auth import create_client
    from gateway.services.registry import AdapterRegistry

    gateway = build_gateway(settings, adapters=AdapterRegistry([ExplodingAdapter()]))
    try:
        with gateway.db.session(write=True) as session:
            _, key = create_client(session, name="c", pillar="courts", institution="MHAU01")
        with TestClient(create_app(gateway), raise_server_exceptions=False) as http:
            response = http.post(
                "/v1/courts/messages",
                content=b'{"messageType": "hearing"}',
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
        assert response.status_code == 500
        with gateway.db.session() as session:
            rows = session.exec(select(MessageRow)).all()
        assert [r.status for r in rows] == ["failed"]
        assert rows[0].body == b'{"messageType": "hearing"}'
        assert counts(gateway) == (0, 0)
    finally:
        gateway.close()
