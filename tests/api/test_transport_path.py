"""Transport on the gateway's side over HTTP (embedded mode, SQLite and PostgreSQL): a vehicle
stolen in one FIR and recovered or seized in another is linked in both cases, under any
spelling of its registration, by its engine number, or by the last five characters of its
chassis where only one known vehicle's ends so; Vahan and Sarathi records and a court's
licence suspension appear in the look-ups; bad references, strangers and resent messages
are answered as they should be; the register is rebuilt from the event log.

Transport and court messages are written in their pillars' own formats by the real adapters
(JSON, and XML for every other message), from canonical data; the database is real.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select
from typer.testing import CliRunner

from canonical_model.events import payload_class
from canonical_model.identifiers import Fir
from gateway.bootstrap import Gateway
from gateway.cli import main as cli
from gateway.cli import scenario
from gateway.services.vehicles import rebuild_register
from gateway.store.tables import EventRow, OutboxRow

JSON = "application/json"
XML = "application/xml"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
VIN = "MA3EWDE1S00123456"
ENGINE = "K12MN1234567"


# -- messages --------------------------------------------------------------------------------


def fir_at(fir: str) -> dict[str, Any]:
    """The scenario FIR, registered as ``fir`` (any police station)."""
    message = copy.deepcopy(scenario.fir_registered(scenario.refs(1)))
    message["data"]["fir"]["fir"] = fir
    message["data"]["fir"]["offences"] = [{"act": "BNS", "section": "303(2)"}]
    return message


def vehicle(kind: str, fir: str, on: str, **numbers: str) -> dict[str, Any]:
    """A police report about a vehicle, its numbers as given."""
    return {
        "type": f"vehicle.{kind}",
        "data": {"report": {"fir": fir, "vehicle": numbers, "on": on}},
    }


def vahan_record(**changes: Any) -> dict[str, Any]:
    record = {
        "registration": "MH12AB1234",
        "chassis": VIN,
        "engine": ENGINE,
        "owner": {"name": "Vinod Prabhakar Kulkarni", "address": "Town Centre, CIDCO"},
        "description": {"kind": "motor car", "make": "Maruti Suzuki", "model": "Swift"},
        "registered_on": "2021-03-02",
        "registering_authority": "RTO Pune",
        "as_of": "2026-08-20",
    } | changes
    return {"type": "vehicle.record", "data": {"record": record}}


def sarathi_record() -> dict[str, Any]:
    return {
        "type": "licence.record",
        "data": {
            "record": {
                "licence": "MH14 20110012345",
                "holder": "Ramesh Shankar Jadhav",
                "date_of_birth": "1999-01-05",
                "classes": ["MCWG", "LMV"],
                "valid_from": "2011-05-01",
                "valid_until": "2031-04-30",
                "as_of": "2026-10-02",
            }
        },
    }


_SENT = {"count": 0}


def post(http: TestClient, pillar: str, headers: dict[str, str], message: dict[str, Any]) -> Any:
    """Send a message given as canonical ``{"type", "data"}``: the police's as it is, another
    pillar's in that pillar's own format (alternately JSON and XML), written by its adapter."""
    if pillar == "police":
        body, media_type = json.dumps(message).encode(), JSON
    else:
        _SENT["count"] += 1
        media_type = XML if _SENT["count"] % 2 == 0 else JSON
        payload = payload_class(message["type"]).model_validate(message["data"])
        adapter = http.app.state.gateway.adapters.get(pillar)  # type: ignore[attr-defined]
        body = adapter.encode(payload, media_type=media_type)
    return http.post(
        f"/v1/{pillar}/messages", content=body, headers=headers | {"Content-Type": media_type}
    )


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "accepted", answer
    return answer


def case_of(http: TestClient, headers: dict[str, str], fir: str) -> str:
    case_id: str = accepted(post(http, "police", headers, fir_at(fir)))["case_ids"][0]
    return case_id


def status(http: TestClient, headers: dict[str, str], ref: str) -> dict[str, Any]:
    response = http.get(f"/v1/cases/{ref}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def look_up(http: TestClient, headers: dict[str, str], ref: str) -> dict[str, Any]:
    response = http.get(f"/v1/vehicles/{ref}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def linked_events(gateway: Gateway) -> list[EventRow]:
    with gateway.db.session() as session:
        return list(
            session.exec(
                select(EventRow)
                .where(EventRow.type == "icjs.vehicle.linked")
                .order_by(col(EventRow.sequence))
            ).all()
        )


# -- callers ---------------------------------------------------------------------------------

FIR_A = "MH/AU/CIDCO/2026/0501"  # the theft
FIR_B = "MH/PN/HADAPSAR/2026/0077"  # another district, another station
FIR_C = "MH/PN/HADAPSAR/2026/0078"
FIR_D = "MH/AU/CIDCO/2026/0502"


@pytest.fixture
def police_a(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("police", "MH/AU")
    return headers


@pytest.fixture
def police_b(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("police", "MH/PN/HADAPSAR")
    return headers


@pytest.fixture
def vahan(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("transport", "VAHAN")
    return headers


@pytest.fixture
def sarathi(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("transport", "SARATHI")
    return headers


# -- the path --------------------------------------------------------------------------------


def test_a_theft_and_a_seizure_under_another_spelling_are_linked_in_both_cases(
    http: TestClient,
    gateway: Gateway,
    police_a: dict[str, str],
    police_b: dict[str, str],
    key_for: Any,
) -> None:
    case_a = case_of(http, police_a, FIR_A)
    case_b = case_of(http, police_b, FIR_B)
    stolen = accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_A, "2026-08-14", registration="MH12AB1234"),
        )
    )
    seized = accepted(
        post(
            http,
            "police",
            police_b,
            vehicle("seized", FIR_B, "2026-09-02", registration="mh-12-ab-1234"),
        )
    )
    assert stolen["case_ids"] == [case_a] and seized["case_ids"] == [case_b]

    # Case A's police see where the vehicle turned up ...
    (in_a,) = status(http, police_a, FIR_A)["vehicles"]
    assert in_a["registration"] == "MH12AB1234" and in_a["state"] == "stolen"
    assert in_a["links"] == [
        {
            "case_id": case_b,
            "fir": FIR_B,
            "police_station": "MH/PN/HADAPSAR",
            "kind": "seized",
            "on": "2026-09-02",
            "matched_on": "registration",
            "registration": "MH12AB1234",
            "chassis": None,
            "engine": None,
        }
    ]
    # ... and case B's police whose theft it was.
    (in_b,) = status(http, police_b, FIR_B)["vehicles"]
    assert in_b["state"] == "seized"
    assert [(link["case_id"], link["fir"], link["kind"]) for link in in_b["links"]] == [
        (case_a, FIR_A, "stolen")
    ]
    assert in_b["links"][0]["police_station"] == "MH/AU/CIDCO"

    # The link is an event of each case: on the timelines, in the log, in the outbox.
    timeline_a = http.get(f"/v1/cases/{FIR_A}/timeline", headers=police_a).json()["events"]
    (link_a,) = [e for e in timeline_a if e["type"] == "icjs.vehicle.linked"]
    assert link_a["pillar"] == "gateway" and link_a["source"] == "/icjs/gateway"
    assert link_a["receipt_id"] == seized["receipt_id"]
    assert FIR_B in link_a["summary"] and "matched on registration" in link_a["summary"]
    assert link_a["data"]["link"]["other_case_id"] == case_b
    links = linked_events(gateway)
    assert sorted(e.case_id or "" for e in links) == sorted([case_a, case_b])
    with gateway.db.session() as session:
        outbox = {
            row.event_id: row
            for row in session.exec(
                select(OutboxRow).where(col(OutboxRow.event_id).in_([e.id for e in links]))
            ).all()
        }
    assert {(row.topic, row.key) for row in outbox.values()} == {
        ("icjs.case.v1", case_a),
        ("icjs.case.v1", case_b),
    }

    # Any police station may look the vehicle up, in any spelling.
    elsewhere = key_for("police", "DL")
    found = look_up(http, elsewhere, "MH 12 AB 1234")
    assert found["registration"] == "MH12AB1234" and found["matched_on"] == "registration"
    assert found["police"]["state"] == "seized" and found["police"]["on"] == "2026-09-02"
    assert found["police"]["stolen_on"] == "2026-08-14"
    assert found["police"]["seized_on"] == "2026-09-02"
    assert found["police"]["case_id"] == case_b
    assert [
        (c["case_id"], c["fir"], c["police_station"], c["kind"], c["on"], c["as_written"])
        for c in found["cases"]
    ] == [
        (case_a, FIR_A, "MH/AU/CIDCO", "stolen", "2026-08-14", {"registration": "MH12AB1234"}),
        (
            case_b,
            FIR_B,
            "MH/PN/HADAPSAR",
            "seized",
            "2026-09-02",
            {"registration": "mh-12-ab-1234"},
        ),
    ]
    assert found["links"][0]["stolen_case_id"] == case_a
    assert found["links"][0]["found_case_id"] == case_b
    assert look_up(http, elsewhere, "mh12ab1234")["vehicle_id"] == found["vehicle_id"]


def test_a_chassis_written_short_links_only_where_one_known_chassis_ends_so(
    http: TestClient, gateway: Gateway, police_a: dict[str, str], police_b: dict[str, str]
) -> None:
    case_a = case_of(http, police_a, FIR_A)
    case_of(http, police_b, FIR_B)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle(
                "stolen",
                FIR_A,
                "2026-08-14",
                registration="MH12AB1234",
                chassis="ma3ewde1s00-123456",
            ),
        )
    )
    # Found under other plates, the chassis's last five characters read off the frame.
    accepted(
        post(
            http,
            "police",
            police_b,
            vehicle("recovered", FIR_B, "2026-09-10", registration="MH14ZZ9999", chassis="23456"),
        )
    )
    (in_b,) = status(http, police_b, FIR_B)["vehicles"]
    assert [(link["case_id"], link["matched_on"]) for link in in_b["links"]] == [
        (case_a, "chassis_last5")
    ]
    assert in_b["match"] is None
    # The vehicle is found by the false plates too, and by its chassis in full or short.
    by_plates = look_up(http, police_b, "MH14ZZ9999")
    assert by_plates["chassis"] == VIN and by_plates["police"]["state"] == "recovered"
    assert look_up(http, police_b, "23456")["vehicle_id"] == by_plates["vehicle_id"]
    assert look_up(http, police_b, VIN)["matched_on"] == "chassis"

    # A second vehicle whose chassis ends alike: now "23456" could be either.
    case_of(http, police_a, FIR_D)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_D, "2026-09-11", chassis="MBLHA10AMDH923456"),
        )
    )
    case_c = case_of(http, police_b, FIR_C)
    seized = accepted(
        post(http, "police", police_b, vehicle("seized", FIR_C, "2026-09-12", chassis="2 3 4 5 6"))
    )
    assert [e.case_id for e in linked_events(gateway)].count(case_c) == 0, "no link when ambiguous"
    (in_c,) = status(http, police_b, FIR_C)["vehicles"]
    assert in_c["links"] == []
    assert "match 2 known vehicles" in in_c["match"] and "not matched" in in_c["match"]
    assert seized["case_ids"] == [case_c]
    ambiguous = http.get("/v1/vehicles/23456", headers=police_b)
    assert ambiguous.status_code == 409
    assert ambiguous.json()["code"] == "ambiguous"
    assert sorted(c["chassis"] for c in ambiguous.json()["candidates"]) == [
        VIN,
        "MBLHA10AMDH923456",
    ]


def test_an_engine_number_links_a_vehicle_whose_plates_were_changed(
    http: TestClient, gateway: Gateway, police_a: dict[str, str], police_b: dict[str, str]
) -> None:
    case_a = case_of(http, police_a, FIR_A)
    case_b = case_of(http, police_b, FIR_B)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle(
                "stolen", FIR_A, "2026-08-14", registration="MH12AB1234", engine="K12MN-1234567"
            ),
        )
    )
    accepted(
        post(
            http,
            "police",
            police_b,
            vehicle(
                "seized", FIR_B, "2026-09-02", registration="GJ01XY0001", engine="k12mn 1234567"
            ),
        )
    )
    (in_a,) = status(http, police_a, FIR_A)["vehicles"]
    assert [
        (link["case_id"], link["matched_on"], link["registration"]) for link in in_a["links"]
    ] == [(case_b, "engine", "GJ01XY0001")]
    found = look_up(http, police_a, "K12MN1234567")
    assert found["matched_on"] == "engine" and found["registration"] == "MH12AB1234"
    assert [c["case_id"] for c in found["cases"]] == [case_a, case_b]
    assert found["cases"][1]["as_written"] == {
        "registration": "GJ01XY0001",
        "engine": "k12mn 1234567",
    }


def test_a_vahan_record_fills_the_vehicle_and_links_a_seizure_by_chassis_alone(
    http: TestClient,
    gateway: Gateway,
    police_a: dict[str, str],
    police_b: dict[str, str],
    vahan: dict[str, str],
    sarathi: dict[str, str],
    key_for: Any,
) -> None:
    case_a = case_of(http, police_a, FIR_A)
    case_b = case_of(http, police_b, FIR_B)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_A, "2026-08-14", registration="MH12AB1234"),
        )
    )
    pushed = accepted(post(http, "transport", vahan, vahan_record()))
    assert pushed["case_ids"] == [] and len(pushed["event_ids"]) == 1
    # Only the chassis number: the Vahan record says whose it is.
    accepted(post(http, "police", police_b, vehicle("seized", FIR_B, "2026-09-02", chassis=VIN)))
    (in_b,) = status(http, police_b, FIR_B)["vehicles"]
    assert [(link["case_id"], link["matched_on"]) for link in in_b["links"]] == [
        (case_a, "chassis")
    ]

    court = key_for("courts", "MHAU01")
    found = look_up(http, court, "MH-12-AB-1234")
    assert found["vahan"]["owner"]["name"] == "Vinod Prabhakar Kulkarni"
    assert found["vahan"]["description"]["model"] == "Swift"
    assert (found["chassis"], found["engine"]) == (VIN, ENGINE)
    assert [c["case_id"] for c in found["cases"]] == [case_a, case_b]
    assert look_up(http, vahan, ENGINE)["vehicle_id"] == found["vehicle_id"]

    # A record of another car under plates the police once saw is another vehicle.
    other = vahan_record(registration="MH14ZZ9999", chassis="MBLHA10AMDH900001", engine="HA10E1")
    case_of(http, police_b, FIR_C)
    accepted(
        post(
            http,
            "police",
            police_b,
            vehicle("seized", FIR_C, "2026-09-03", registration="MH14ZZ9999", chassis=VIN),
        )
    )
    accepted(post(http, "transport", vahan, other))
    assert look_up(http, vahan, "MH14ZZ9999")["chassis"] == "MBLHA10AMDH900001"
    assert look_up(http, vahan, VIN)["registration"] == "MH12AB1234"

    # The record is in the log and the outbox with no case, keyed by the registration.
    with gateway.db.session() as session:
        (event,) = session.exec(select(EventRow).where(EventRow.id == pushed["event_ids"][0])).all()
        outbox = session.exec(select(OutboxRow).where(OutboxRow.event_id == event.id)).one()
    assert (
        event.type == "icjs.vehicle.record"
        and event.case_id is None
        and event.pillar == "transport"
    )
    assert event.envelope["subject"] == "vehicle:MH12AB1234"
    assert (outbox.topic, outbox.key) == ("icjs.registry.v1", "MH12AB1234")
    assert outbox.published_at is not None, "relayed like any event"

    # Vahan speaks for vehicles, Sarathi for licences, the police for neither.
    refused = post(http, "transport", sarathi, vahan_record())
    assert refused.status_code == 403 and "VAHAN" in refused.json()["message"]
    assert post(http, "transport", vahan, sarathi_record()).status_code == 403
    assert post(http, "transport", police_a, vahan_record()).status_code == 403


def test_a_licence_suspended_by_a_court_and_its_sarathi_record_are_looked_up(
    http: TestClient,
    gateway: Gateway,
    police_a: dict[str, str],
    sarathi: dict[str, str],
    key_for: Any,
) -> None:
    case = scenario.refs(601)
    case_id = case_of(http, police_a, str(case.fir))
    # A1 is arrested and produced before the court for remand: the court is seized of the case.
    accepted(post(http, "police", police_a, scenario.person_arrested(case)))
    court = key_for("courts", "MHAU01")
    accepted(
        post(
            http,
            "courts",
            court,
            {"type": "court_case.registered", "data": {"court_case": scenario.court_case(case)}},
        )
    )
    order = {
        "cnr": str(case.cnr),
        "order_number": "ORD/601/3",
        "order_date": "2026-10-20",
        "kind": "licence_suspension",
        "accused_refs": ["A1"],
        "licence": {
            "licence": "mh-14-2011-0012345",
            "effective_from": "2026-10-21",
            "effective_until": "2027-04-20",
            "provision": "MV Act 1988 s.20",
        },
    }
    accepted(post(http, "courts", court, {"type": "order.issued", "data": {"order": order}}))
    accepted(post(http, "transport", sarathi, sarathi_record()))

    gateway.clock = lambda: dt.datetime(2026, 11, 1, 10, 0, tzinfo=IST)
    response = http.get("/v1/licences/MH14 2011 0012345", headers=police_a)
    assert response.status_code == 200, response.text
    licence = response.json()
    assert licence["licence"] == "MH1420110012345"
    assert licence["court_order"] == {
        "kind": "licence_suspension",
        "effective_from": "2026-10-21",
        "effective_until": "2027-04-20",
        "order_number": "ORD/601/3",
        "order_date": "2026-10-20",
        "cnr": str(case.cnr),
        "case_id": case_id,
        "in_force": True,
    }
    assert licence["sarathi"]["holder"] == "Ramesh Shankar Jadhav"
    assert licence["sarathi"]["classes"] == ["MCWG", "LMV"]
    assert [(c["case_id"], c["fir"], c["cnr"]) for c in licence["cases"]] == [
        (case_id, str(case.fir), str(case.cnr))
    ]
    gateway.clock = lambda: dt.datetime(2027, 5, 1, 10, 0, tzinfo=IST)
    later = http.get("/v1/licences/MH1420110012345", headers=sarathi).json()
    assert later["court_order"]["in_force"] is False, "the suspension has run out"
    (ordered,) = status(http, police_a, str(case.fir))["licence_orders"]
    assert ordered["licence"] == "MH1420110012345" and ordered["effective_until"] == "2027-04-20"


def test_an_accused_s_licence_is_found_in_their_case_and_a_victim_s_is_not(
    http: TestClient, police_a: dict[str, str], key_for: Any
) -> None:
    case = scenario.refs(602)
    message = fir_at(str(case.fir))
    record = message["data"]["fir"]
    record["accused"][0]["driving_licence"] = "MH20 2019 0004567"
    record["victims"] = [
        {
            "ref": "V1",
            "name": "Victim Person",
            "gender": "female",
            "driving_licence": "MH20-2018-0001111",
        }
    ]
    case_id = accepted(post(http, "police", police_a, message))["case_ids"][0]
    # The arrest names the same licence: still one mention of the case's A1.
    arrest = copy.deepcopy(scenario.person_arrested(case))
    arrest["data"]["arrest"]["person"]["driving_licence"] = "MH2020190004567"
    accepted(post(http, "police", police_a, arrest))

    sarathi = key_for("transport", "SARATHI")
    found = http.get("/v1/licences/mh20 2019 0004567", headers=sarathi)
    assert found.status_code == 200, found.text
    assert found.json()["court_order"] is None and found.json()["sarathi"] is None
    assert [
        (c["case_id"], c["fir"], c["kind"], c["person_ref"]) for c in found.json()["cases"]
    ] == [(case_id, str(case.fir), "accused", "A1")]
    # A victim is never identified through a look-up (BNS s.72): the licence is not registered.
    hidden = http.get("/v1/licences/MH2020180001111", headers=sarathi)
    assert hidden.status_code == 404, hidden.text


def test_unknown_malformed_and_forbidden_look_ups(
    http: TestClient, police_a: dict[str, str], key_for: Any
) -> None:
    case_of(http, police_a, FIR_A)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_A, "2026-08-14", registration="MH12AB1234"),
        )
    )

    unknown = http.get("/v1/vehicles/MH12AB9999", headers=police_a)
    assert unknown.status_code == 404 and "MH12AB9999" in unknown.json()["message"]
    bad = http.get("/v1/vehicles/MH12@AB1234", headers=police_a)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["location"] == "characters" and "'@'" in bad.json()["message"]
    short = http.get("/v1/vehicles/" + "9" * 41, headers=police_a)
    assert short.status_code == 422 and short.json()["errors"][0]["location"] == "length"
    bad_licence = http.get("/v1/licences/MH14 2011", headers=police_a)
    assert bad_licence.status_code == 422 and bad_licence.json()["code"] == "invalid_identifier"
    no_licence = http.get("/v1/licences/MH1420110099999", headers=police_a)
    assert no_licence.status_code == 404 and "MH1420110099999" in no_licence.json()["message"]

    for pillar, institution in (
        ("prisons", "HARSUL_CP"),
        ("forensics", "RFSL_AU"),
        ("prosecution", "MH/AU/DDP"),
    ):
        headers = key_for(pillar, institution)
        for path in ("/v1/vehicles/MH12AB1234", "/v1/licences/MH1420110012345"):
            refused = http.get(path, headers=headers)
            assert refused.status_code == 403, (pillar, path)
            assert refused.json()["code"] == "forbidden"
    assert http.get("/v1/vehicles/MH12AB1234").status_code == 401


def test_a_resent_or_held_report_makes_no_second_link(
    http: TestClient, gateway: Gateway, police_a: dict[str, str], police_b: dict[str, str]
) -> None:
    case_a = case_of(http, police_a, FIR_A)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_A, "2026-08-14", registration="MH12AB1234"),
        )
    )
    # The seizure arrives before its FIR: held, then applied (and linked) when the FIR comes.
    seizure = vehicle("seized", FIR_B, "2026-09-02", registration="MH 12 AB 1234")
    held = post(http, "police", police_b, seizure)
    assert held.status_code == 202 and held.json()["status"] == "held"
    assert linked_events(gateway) == []
    case_b = case_of(http, police_b, FIR_B)
    assert sorted(e.case_id or "" for e in linked_events(gateway)) == sorted([case_a, case_b])

    # The same bytes again: the first receipt, nothing applied.
    again = post(http, "police", police_b, seizure)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    # The same seizure reported again in other words: recorded, but the cases are linked already.
    reworded = copy.deepcopy(seizure)
    reworded["data"]["report"]["remarks"] = "seized at the Hadapsar naka"
    accepted(post(http, "police", police_b, reworded))
    assert len(linked_events(gateway)) == 2
    (in_a,) = status(http, police_a, FIR_A)["vehicles"]
    assert len(in_a["links"]) == 1
    assert len(look_up(http, police_a, "MH12AB1234")["cases"]) == 3


def test_the_register_is_rebuilt_from_the_event_log(
    http: TestClient,
    gateway: Gateway,
    police_a: dict[str, str],
    police_b: dict[str, str],
    vahan: dict[str, str],
) -> None:
    case_of(http, police_a, FIR_A)
    case_of(http, police_b, FIR_B)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_A, "2026-08-14", registration="MH12AB1234"),
        )
    )
    accepted(post(http, "transport", vahan, vahan_record()))
    accepted(
        post(http, "police", police_b, vehicle("seized", FIR_B, "2026-09-02", chassis="23456"))
    )
    before = look_up(http, police_a, "MH12AB1234")
    assert len(before["links"]) == 1 and before["vahan"] is not None

    with gateway.db.session(write=True) as session:
        applied = rebuild_register(session)
    assert applied == 5  # two reports, the record, two link events
    after = look_up(http, police_a, "MH12AB1234")

    def comparable(view: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in view.items() if k != "vehicle_id"}

    assert after["vehicle_id"] != before["vehicle_id"], "rebuilt, not kept"
    assert comparable(after) == comparable(before)
    assert len(linked_events(gateway)) == 2, "rebuilding makes no new link"

    # The same from the command line.
    run = CliRunner().invoke(
        cli.app, ["rebuild-register"], env={"ICJS_DATABASE_URL": gateway.settings.database_url}
    )
    assert run.exit_code == 0, run.output
    assert run.stdout.strip() == "rebuilt the vehicle and licence register: 5 events applied"
    assert comparable(look_up(http, police_a, "MH12AB1234")) == comparable(before)


def test_fir_of_another_station_cannot_report_a_vehicle(
    http: TestClient, police_a: dict[str, str], police_b: dict[str, str]
) -> None:
    case_of(http, police_a, FIR_A)
    refused = post(
        http, "police", police_b, vehicle("seized", FIR_A, "2026-09-02", registration="MH12AB1234")
    )
    assert refused.status_code == 403
    assert str(Fir.parse(FIR_A).police_station) in refused.json()["message"]


def test_a_theft_reported_after_the_seizure_is_linked_too(
    http: TestClient, gateway: Gateway, police_a: dict[str, str], police_b: dict[str, str]
) -> None:
    case_b = case_of(http, police_b, FIR_B)
    accepted(
        post(
            http,
            "police",
            police_b,
            vehicle("seized", FIR_B, "2026-09-02", registration="MH12AB1234", engine="E-77"),
        )
    )
    assert linked_events(gateway) == []
    case_a = case_of(http, police_a, FIR_A)
    accepted(post(http, "police", police_a, vehicle("stolen", FIR_A, "2026-08-14", engine="e77")))
    (in_a,) = status(http, police_a, FIR_A)["vehicles"]
    (in_b,) = status(http, police_b, FIR_B)["vehicles"]
    assert [(link["case_id"], link["matched_on"]) for link in in_a["links"]] == [(case_b, "engine")]
    assert [(link["case_id"], link["kind"]) for link in in_b["links"]] == [(case_a, "stolen")]
    # The vehicle's police state follows the dates reported, not the order of arrival.
    assert look_up(http, police_a, "E77")["police"]["state"] == "seized"


def test_a_transport_key_is_bound_to_vahan_or_sarathi() -> None:
    from gateway.services.auth import normalise_institution

    assert normalise_institution("transport", " vahan ") == "VAHAN"
    assert normalise_institution("transport", "Sarathi") == "SARATHI"
    with pytest.raises(ValueError, match="one of VAHAN, SARATHI"):
        normalise_institution("transport", "RTO1")


def test_a_reply_must_name_an_item_of_the_replying_registry_s_own_feed(
    http: TestClient,
    gateway: Gateway,
    police_a: dict[str, str],
    vahan: dict[str, str],
    sarathi: dict[str, str],
) -> None:
    """``inReplyTo`` names the feed item a record answers: an event that does not exist, or one
    on another institution's feed, is refused 422 at ``inReplyTo`` (the same words for both),
    and nothing of the reply is applied; a reply to an item of its own feed is accepted."""
    case_of(http, police_a, FIR_A)
    accepted(
        post(
            http,
            "police",
            police_a,
            vehicle("stolen", FIR_A, "2026-08-14", registration="MH12AB1234"),
        )
    )
    feed = http.get(
        "/v1/transport/feed", params={"registry": "VAHAN"}, headers=vahan | {"Accept": JSON}
    )
    assert feed.status_code == 200, feed.text
    (item,) = feed.json()["items"]
    asked = item["eventId"]
    adapter = gateway.adapters.get("transport")

    def reply(headers: dict[str, str], message: dict[str, Any], media_type: str) -> Any:
        payload = payload_class(message["type"]).model_validate(message["data"])
        body = adapter.encode(payload, media_type=media_type)  # type: ignore[attr-defined]
        return http.post(
            "/v1/transport/messages", content=body, headers=headers | {"Content-Type": media_type}
        )

    def events() -> int:
        with gateway.db.session() as session:
            return len(session.exec(select(EventRow)).all())

    before = events()
    unknown = "evt_01J9Z0000000000000000000"
    foreign = sarathi_record()
    foreign["data"]["in_reply_to"] = asked  # Sarathi answering an item of Vahan's feed
    cases = [
        (vahan, vahan_record(), unknown, "VAHAN"),
        (sarathi, foreign, asked, "SARATHI"),
    ]
    for headers, message, named, registry in cases:
        message = copy.deepcopy(message)
        message["data"]["in_reply_to"] = named
        for media_type, where in ((JSON, "/inReplyTo"), (XML, "inReplyTo")):
            response = reply(headers, message, media_type)
            assert response.status_code == 422, response.text
            answer = response.json()
            assert answer["status"] == "rejected" and answer["code"] == "contract_violation"
            (error,) = answer["errors"]
            assert error["location"].endswith(where), error
            assert error["message"] == (
                f"{named!r} is no item of the transport feed of {registry}: a reply names the "
                "eventId of an item read from GET /v1/transport/feed"
            )
    assert events() == before, "a refused reply writes no event"

    answered = reply(vahan, vahan_record(), JSON)
    accepted(answered)  # pushed, no reply: nothing to check
    message = vahan_record()
    message["data"]["in_reply_to"] = asked
    accepted(reply(vahan, message, XML))
