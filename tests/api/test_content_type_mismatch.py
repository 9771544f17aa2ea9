"""A body in the other syntax than its Content-Type (XML sent as application/json, JSON as
XML) is answered 415 naming the Content-Type sent and the one expected, not with a parser's
complaint about its first character; the message is still kept in the log as rejected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from canonical_model.events import HearingRecorded
from gateway.bootstrap import Gateway
from gateway.cli import scenario

CASE = scenario.refs(7)


def hearing(gateway: Gateway, media_type: str) -> bytes:
    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    body: bytes = gateway.adapters.get("courts").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    return body


def rejected(http: TestClient, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    response = http.post(path, content=body, headers=headers)
    assert response.status_code == 415, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "rejected" and answer["code"] == "unsupported_media_type"
    logged = http.get(f"/v1/messages/{answer['receipt_id']}", headers=headers)
    assert logged.status_code == 200 and logged.json()["status"] == "rejected"
    return answer


def test_xml_sent_to_the_police_as_json(http: TestClient, police: dict[str, str]) -> None:
    body = b'\n  <?xml version="1.0"?><fir><fir>MH/AU/CIDCO/2026/0007</fir></fir>'
    answer = rejected(
        http, "/v1/police/messages", body, police | {"Content-Type": "application/json"}
    )
    assert answer["message"].startswith("the body is XML (it begins with <)")
    assert "its Content-Type is application/json" in answer["message"]
    assert answer["errors"] == [
        {
            "location": "header:Content-Type",
            "message": "got application/json with an XML body; expected a body in application/json",
        }
    ]


@pytest.mark.parametrize(
    ("written", "sent", "expected"),
    [
        ("application/xml", "application/json", "application/xml"),
        ("application/json", "application/xml", "application/json"),
        ("application/json", "text/xml; charset=utf-8", "application/json"),
    ],
)
def test_a_court_message_in_the_other_syntax(
    http: TestClient,
    gateway: Gateway,
    court: dict[str, str],
    written: str,
    sent: str,
    expected: str,
) -> None:
    name = "XML" if written.endswith("xml") else "JSON"
    answer = rejected(
        http, "/v1/courts/messages", hearing(gateway, written), court | {"Content-Type": sent}
    )
    sent = sent.split(";")[0]  # the gateway names the media type without its parameters
    assert answer["message"] == (
        f"the body is {name} (it begins with {'<' if name == 'XML' else '{ or ['}) but its "
        f"Content-Type is {sent}: send it with Content-Type {expected}"
    )
    article = "an" if name == "XML" else "a"
    assert answer["errors"] == [
        {
            "location": "Content-Type",
            "message": f"expected {expected} for {article} {name} body, got {sent}",
        }
    ]


def test_the_same_bodies_with_their_own_content_type_are_accepted_or_held(
    http: TestClient, gateway: Gateway, court: dict[str, str]
) -> None:
    """The check reads the first character only: a body sent with its own type goes on (held
    here: the case is not registered yet)."""
    for media_type in ("application/xml", "application/json"):
        response = http.post(
            "/v1/courts/messages",
            content=hearing(gateway, media_type),
            headers=court | {"Content-Type": media_type},
        )
        assert response.status_code == 202, response.text
        assert response.json()["status"] == "held"


def test_a_body_that_shows_neither_syntax_is_left_to_the_parser(
    http: TestClient, police: dict[str, str]
) -> None:
    response = http.post(
        "/v1/police/messages",
        content=json.dumps("not an object").encode(),
        headers=police | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
