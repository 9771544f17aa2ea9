"""Hostile input (issue 10): whatever a caller sends, the answer is a 4xx in the standard error
JSON (or a 503 when the database is away), never a 5xx of the gateway's own; the error answer
and the message log entry stay bounded by ICJS_MAX_ERRORS however many errors there are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy.engine import make_url
from sqlmodel import select

from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.cli import scenario
from gateway.services.auth import create_client
from gateway.settings import Settings
from gateway.store.tables import MessageRow

CASE = scenario.refs(41)
INT64_MAX = 2**63 - 1
JSON = "application/json"


def send(
    http: TestClient, pillar: str, headers: dict[str, str], body: bytes, media: str = JSON
) -> Any:
    return http.post(
        f"/v1/{pillar}/messages", content=body, headers=headers | {"Content-Type": media}
    )


def assert_standard_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body["code"], str) and isinstance(body["message"], str)
    assert body["errors"] and all(set(e) == {"location", "message"} for e in body["errors"])
    if "receipt_id" not in body:  # a receipt (message refused) names the message instead
        assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def logged(gateway: Gateway, receipt_id: str) -> MessageRow:
    with gateway.db.session() as session:
        row = session.exec(select(MessageRow).where(MessageRow.id == receipt_id)).one()
    return row


# -- ids and cursors in paths and queries --------------------------------------------------------


@pytest.mark.parametrize(
    "after",
    [
        str(INT64_MAX + 1),  # was an OverflowError in the database driver
        "9" * 5000,  # was a ValueError in int()
        "\u00b2",  # superscript two: str.isdigit() said yes
        "\uff11",  # a fullwidth digit
        "-1",
        "1_0",
        " 1",
    ],
)
def test_a_feed_cursor_beyond_64_bits_or_not_ascii_digits_is_422_naming_after(
    http: TestClient, court: dict[str, str], after: str
) -> None:
    response = http.get(
        "/v1/courts/feed", params={"court": "MHAU01", "after": after}, headers=court
    )
    body = assert_standard_error(response, 422)
    assert [e["location"] for e in body["errors"]] == ["after"]
    assert len(response.content) < 2000  # a 5,000-digit cursor is not echoed in full


def test_the_largest_64_bit_cursor_is_a_cursor(http: TestClient, court: dict[str, str]) -> None:
    response = http.get(
        "/v1/courts/feed", params={"court": "MHAU01", "after": str(INT64_MAX)}, headers=court
    )
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


@pytest.mark.parametrize("ident", [str(10**30), "9" * 5000, "%C2%B2", "1_0", "+5"])
def test_a_dead_letter_id_beyond_64_bits_or_not_ascii_digits_is_422_naming_it(
    http: TestClient, key_for: Any, ident: str
) -> None:
    operator = key_for("operator", "NIC")
    response = http.post(f"/v1/admin/dead-letters/{ident}/replay", headers=operator)
    body = assert_standard_error(response, 422)
    assert [e["location"] for e in body["errors"]] == ["/path/dead_letter_id"]


def test_the_largest_64_bit_dead_letter_id_is_looked_up(http: TestClient, key_for: Any) -> None:
    operator = key_for("operator", "NIC")
    response = http.post(f"/v1/admin/dead-letters/{INT64_MAX}/replay", headers=operator)
    assert_standard_error(response, 404)


# -- numbers in a message ---------------------------------------------------------------------


def test_a_5000_digit_integer_is_422_at_its_pointer(
    http: TestClient, gateway: Gateway, police: dict[str, str]
) -> None:
    body = b'{"type": "fir.registered", "data": {"n": [1, ' + b"7" * 5000 + b"]}}"
    response = send(http, "police", police, body)
    problems = assert_standard_error(response, 422)["errors"]
    assert [e["location"] for e in problems] == ["/data/n/1"]
    assert "64 bits" in problems[0]["message"] and len(problems[0]["message"]) < 300
    assert logged(gateway, response.json()["receipt_id"]).status == "rejected"


@pytest.mark.parametrize("value", [10**30, INT64_MAX + 1, -(2**63) - 1])
def test_an_fir_value_beyond_64_bits_is_422_at_its_pointer(
    http: TestClient, gateway: Gateway, police: dict[str, str], value: int
) -> None:
    message = scenario.fir_registered(CASE)
    message["data"]["fir"]["properties"][0]["estimated_value_inr"] = value
    response = send(http, "police", police, json.dumps(message).encode())
    problems = assert_standard_error(response, 422)["errors"]
    assert [e["location"] for e in problems] == ["/data/fir/properties/0/estimated_value_inr"]
    row = logged(gateway, response.json()["receipt_id"])
    assert row.status == "rejected" and row.case_ids == []


def test_the_largest_64_bit_value_is_a_value(http: TestClient, police: dict[str, str]) -> None:
    message = scenario.fir_registered(CASE)
    message["data"]["fir"]["properties"][0]["estimated_value_inr"] = INT64_MAX
    response = send(http, "police", police, json.dumps(message).encode())
    assert response.status_code == 202, response.text


def test_an_xml_integer_beyond_64_bits_is_422_at_its_element(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    from canonical_model.events import payload_class

    lab = key_for("forensics", scenario.LAB.lower())
    payload = payload_class("forensic.reported").model_validate(scenario.forensic_report(CASE))
    xml: bytes = gateway.adapters.get("forensics").encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
    assert b"<pages>" in xml
    head, tail = xml.split(b"<pages>", 1)
    hostile = head + b"<pages>" + b"9" * 40 + tail[tail.index(b"</pages>") :]
    response = send(http, "forensics", lab, hostile, "application/xml")
    problems = assert_standard_error(response, 422)["errors"]
    assert problems[0]["location"].endswith(":pages")
    assert "64 bits" in problems[0]["message"]


# -- characters XML 1.0 cannot carry ----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Wit\u0001ness", "Wit\u001fness", "Wit\ufffeness", "Wit\ud800ness"]
)
def test_a_witness_name_xml_cannot_carry_is_refused_and_the_feeds_still_answer(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    key_for: Any,
    name: str,
) -> None:
    assert (
        send(http, "police", police, json.dumps(scenario.fir_registered(CASE)).encode()).status_code
        == 202
    )
    sheet = scenario.chargesheet_filed(CASE)
    sheet["data"]["report"]["witnesses"][0]["name"] = name
    # json.dumps writes \\u0001 and \\ud800 as escapes: what an attacker's client would send.
    response = send(http, "police", police, json.dumps(sheet).encode())
    problems = assert_standard_error(response, 422)["errors"]
    assert [e["location"] for e in problems] == ["/data/report/witnesses/0/name"]
    assert f"U+{ord(name[3]):04X}" in problems[0]["message"]
    assert logged(gateway, response.json()["receipt_id"]).status == "rejected"

    # The sound charge sheet is taken, and every feed that carries it reads in XML and JSON.
    assert (
        send(
            http, "police", police, json.dumps(scenario.chargesheet_filed(CASE)).encode()
        ).status_code
        == 202
    )
    office = key_for("prosecution", scenario.PROSECUTION_OFFICE)
    for path, params, headers in (
        ("/v1/courts/feed", {"court": "MHAU01"}, court),
        ("/v1/prosecution/feed", {"office": scenario.PROSECUTION_OFFICE}, office),
    ):
        for accept in ("application/xml", JSON):
            read = http.get(path, params=params, headers=headers | {"Accept": accept})
            assert read.status_code == 200, (path, accept, read.text)
    xml_feed = http.get(
        "/v1/courts/feed", params={"court": "MHAU01"}, headers=court | {"Accept": "application/xml"}
    )
    assert b"Sunita Ashok Pawar" in xml_feed.content


def test_a_raw_u_fffe_and_a_member_name_xml_cannot_carry_are_located(
    http: TestClient, police: dict[str, str]
) -> None:
    message = scenario.fir_registered(CASE)
    message["data"]["fir"]["brief_facts"] = "a\ufffeb"
    message["data"]["fir"]["x\u0002y"] = 1
    body = json.dumps(message, ensure_ascii=False).encode()
    assert "\ufffe".encode() in body  # written as is, not escaped
    problems = assert_standard_error(send(http, "police", police, body), 422)["errors"]
    assert sorted(e["location"] for e in problems) == [
        "/data/fir/brief_facts",
        "/data/fir/x\u0002y",
    ]


def test_tab_newline_and_carriage_return_are_carried(
    http: TestClient, police: dict[str, str]
) -> None:
    message = scenario.fir_registered(CASE)
    message["data"]["fir"]["brief_facts"] = "line one\r\n\tline two \u00e9\u0915"
    response = send(http, "police", police, json.dumps(message).encode())
    assert response.status_code == 202, response.text


def test_a_control_character_in_an_xml_message_is_a_located_4xx(
    http: TestClient, gateway: Gateway, court: dict[str, str]
) -> None:
    from canonical_model.events import HearingRecorded

    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    xml: bytes = gateway.adapters.get("courts").encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
    for inserted in (b"\x01", b"&#1;", "\ufffe".encode(), b"&#xFFFE;", b"&#xD800;"):
        hostile = xml.replace(b"<purpose>", b"<purpose>" + inserted)
        response = send(http, "courts", court, hostile, "application/xml")
        problems = assert_standard_error(response, 400)["errors"]
        assert problems[0]["location"].startswith("line "), inserted
    # ... and the court's feed still reads in XML.
    feed = http.get(
        "/v1/courts/feed", params={"court": "MHAU01"}, headers=court | {"Accept": "application/xml"}
    )
    assert feed.status_code == 200, feed.text


# -- the error cap ------------------------------------------------------------------------------


def _custody_with_bad_entries(gateway: Gateway, count: int) -> bytes:
    from canonical_model.events import payload_class

    payload = payload_class("forensic.custody_recorded").model_validate(
        scenario.forensic_custody(CASE)
    )
    body: bytes = gateway.adapters.get("forensics").encode(payload, media_type=JSON)  # type: ignore[attr-defined]
    document = json.loads(body)
    entry = dict(document["chainOfCustody"][0]) | {"action": "teleported"}
    document["chainOfCustody"] = [entry] * count
    return json.dumps(document).encode()


def test_thousands_of_errors_answer_the_cap_and_a_count_of_the_rest(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    lab = key_for("forensics", scenario.LAB.lower())
    count = 3000
    response = send(http, "forensics", lab, _custody_with_bad_entries(gateway, count))
    body = assert_standard_error(response, 422)
    cap = gateway.settings.max_errors
    assert cap == 100  # the default
    located, last = body["errors"][:-1], body["errors"][-1]
    assert len(located) == cap
    assert [e["location"] for e in located] == [f"/chainOfCustody/{i}/action" for i in range(cap)]
    assert body["errors_omitted"] == count - cap
    assert last == {"location": "/", "message": f"... and {count - cap} more errors"}
    assert f"{count} problems" in body["message"]
    row = logged(gateway, body["receipt_id"])
    assert row.errors == body["errors"]  # the log keeps what the caller was told: bounded


def test_the_cap_is_the_setting(settings: Settings) -> None:
    built = build_gateway(settings.model_copy(update={"max_errors": 7}))
    try:
        with built.db.session(write=True) as session:
            _, key = create_client(
                session, name="lab", pillar="forensics", institution=scenario.LAB.lower()
            )
        with TestClient(create_app(built)) as http:
            response = send(
                http,
                "forensics",
                {"Authorization": f"Bearer {key}"},
                _custody_with_bad_entries(built, 500),
            )
        body = assert_standard_error(response, 422)
        assert len(body["errors"]) == 8 and body["errors_omitted"] == 493
        row = logged(built, body["receipt_id"])
        assert len(row.errors) == 8 and row.errors[-1]["message"] == "... and 493 more errors"
        assert len(json.dumps(row.errors)) < 8 * 700
    finally:
        built.close()


def test_the_setting_reads_icjs_max_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICJS_MAX_ERRORS", "12")
    assert Settings().max_errors == 12
    monkeypatch.setenv("ICJS_MAX_ERRORS", "0")
    with pytest.raises(ValueError, match="max_errors"):
        Settings()


def test_thousands_of_undeclared_xml_attributes_are_one_located_error(
    http: TestClient, gateway: Gateway, court: dict[str, str]
) -> None:
    from canonical_model.events import HearingRecorded

    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    xml: bytes = gateway.adapters.get("courts").encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
    attributes = b"".join(b' a%d="1"' % i for i in range(5000))
    hostile = xml.replace(b"<hearing ", b"<hearing" + attributes + b" ", 1)
    assert len(hostile) > len(xml)
    response = send(http, "courts", court, hostile, "application/xml")
    body = assert_standard_error(response, 422)
    assert [e["location"] for e in body["errors"]] == ["/c:hearing"]
    assert "5000 attributes" in body["errors"][0]["message"]


def test_thousands_of_schema_errors_in_xml_answer_the_cap(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    from canonical_model.events import payload_class

    lab = key_for("forensics", scenario.LAB.lower())
    payload = payload_class("forensic.custody_recorded").model_validate(
        scenario.forensic_custody(CASE)
    )
    xml: bytes = gateway.adapters.get("forensics").encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
    start = xml.index(b"<custodyEntry>")
    end = xml.index(b"</custodyEntry>") + len(b"</custodyEntry>")
    entry = xml[start:end]
    bad = (
        entry[: entry.index(b"<action>")]
        + b"<action>teleported"
        + entry[entry.index(b"</action>") :]
    )
    response = send(http, "forensics", lab, xml[:start] + bad * 3000 + xml[end:], "application/xml")
    body = assert_standard_error(response, 422)
    cap = gateway.settings.max_errors
    assert len(body["errors"]) == cap + 1 and body["errors_omitted"] == 3000 - cap
    assert body["errors"][cap - 1]["location"] == f"/f:custody/f:custodyEntry[{cap}]/f:action"
    assert len(logged(gateway, body["receipt_id"]).errors) == cap + 1


def test_a_huge_value_quoted_in_an_error_is_clipped(
    http: TestClient, police: dict[str, str]
) -> None:
    message = scenario.fir_registered(CASE)
    message["data"]["fir"]["accused"][0]["gender"] = "x" * 200_000
    response = send(http, "police", police, json.dumps(message).encode())
    body = assert_standard_error(response, 422)
    assert len(response.content) < 10_000
    assert all(len(e["message"]) <= 300 for e in body["errors"])


# -- the database away ------------------------------------------------------------------------


def _make_unreachable(request: pytest.FixtureRequest, gateway: Gateway, settings: Settings) -> str:
    """Cut the test's own database off from the gateway; returns the driver's error to expect."""
    url = make_url(settings.database_url)
    gateway.db.dispose()
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        path.rename(path.with_suffix(".away"))
        path.mkdir()  # a directory where the file was: SQLite cannot open it
        return "unable to open database file"
    server = request.getfixturevalue("postgres")
    with psycopg.connect(server.admin, autocommit=True, connect_timeout=10) as conn:
        name = sql.Identifier(str(url.database))
        conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (url.database,),
        )
    return "not currently accepting connections"


def test_the_database_away_is_503_in_json_with_retry_after(
    request: pytest.FixtureRequest,
    http: TestClient,
    gateway: Gateway,
    settings: Settings,
    police: dict[str, str],
    court: dict[str, str],
) -> None:
    assert (
        send(http, "police", police, json.dumps(scenario.fir_registered(CASE)).encode()).status_code
        == 202
    )
    assert http.get("/readyz").json()["down"] == []
    expected = _make_unreachable(request, gateway, settings)

    for response in (
        send(http, "police", police, json.dumps(scenario.chargesheet_filed(CASE)).encode()),
        http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court),
        http.get(f"/v1/cases/{CASE.fir}", headers=police),
    ):
        body = assert_standard_error(response, 503)
        assert int(response.headers["Retry-After"]) > 0
        assert body["code"] in ("database_unavailable", "retriable")

    ready = http.get("/readyz")
    assert ready.status_code == 503
    report = ready.json()
    assert report["status"] == "not ready" and report["down"] == ["database"]
    assert report["database"] == "unreachable"
    assert expected in report["database_error"]
    assert "kafka" not in report["down"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/cases/%00",
        "/v1/cases/MH%01/timeline",
        "/v1/messages/msg_%00",
        "/v1/courts/feed?court=MH%00AU01",
        "/v1/admin/messages?before=%00",
        "/v1/admin/dead-letters?consumer=%00",
        "/v1/vehicles/MH20%00",
        "/v1/licences/MH%00",
        "/v1/contracts/courts/v1/%00.xsd",
        "/v1/prisons/%00/undertrials",
    ],
)
def test_control_characters_in_paths_and_queries_are_4xx(
    http: TestClient, key_for: Any, path: str
) -> None:
    operator = key_for("operator", "NIC")
    response = http.get(path, headers=operator)
    body = assert_standard_error(response, 422)
    query = path.partition("?")[2]
    expected = f"/query/{query.partition('=')[0]}" if query else "/path"
    assert [e["location"] for e in body["errors"]] == [expected]


@pytest.mark.parametrize("client_id", [2**31, INT64_MAX])
def test_a_client_id_beyond_the_column_reads_nothing(
    http: TestClient, key_for: Any, client_id: int
) -> None:
    operator = key_for("operator", "NIC")
    response = http.get("/v1/admin/access-log", params={"client": str(client_id)}, headers=operator)
    assert response.status_code == 200, response.text
    assert response.json()["reads"] == []
    too_far = http.get(
        "/v1/admin/access-log", params={"client": str(INT64_MAX + 1)}, headers=operator
    )
    assert_standard_error(too_far, 422)


def test_no_such_route_and_a_wrong_method_answer_the_standard_json(http: TestClient) -> None:
    missing = assert_standard_error(http.get("/v1/no-such-thing"), 404)
    assert missing["code"] == "not_found"
    wrong = http.delete("/v1/police/messages")
    assert assert_standard_error(wrong, 405)["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]
