"""Every field a pillar sent survives into every feed that carries it.

The demo's case goes through all five pillars, and the README walkthrough's case adds a
charge sheet that names its accused by ref and name only (the FIR said the rest). Then every
item of every feed is compared, field by field, with the message it came from: that message,
decoded from the bytes the message log kept, written by the feed's own adapter, with the
persons completed from what the case's earlier police messages said of them (read here from
the JSON members the police sent, not from the gateway's events) and the fields the gateway
writes into an event at ingest (prisoner numbers, a report's version) taken from the event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import col, select

from canonical_model.entities import Person
from canonical_model.events import CloudEvent, EventPayload
from canonical_model.messages import FeedItem
from gateway.bootstrap import Gateway
from gateway.cli.demo import run_demo
from gateway.settings import Settings
from gateway.store.tables import EventRow, FeedEntryRow, MessageRow

WALKTHROUGH_FIR = {
    "type": "fir.registered",
    "data": {
        "fir": {
            "fir": "MH/AU/CIDCO/2026/0417",
            "registered_at": "2026-08-14T21:40:00+05:30",
            "place": {"description": "Town Centre, CIDCO", "state": "MH"},
            "complainant": {"ref": "C1", "name": "Vinod Kulkarni"},
            "accused": [
                {"ref": "A1", "name": "Ramesh Jadhav", "gender": "male", "age": 27},
                {"ref": "A2", "name": "Salim Shaikh", "gender": "male"},
            ],
            "offences": [{"act": "BNS", "section": "309(6)"}, {"act": "BNS", "section": "3(5)"}],
        }
    },
}
WALKTHROUGH_REPORT = {
    "type": "chargesheet.filed",
    "data": {
        "report": {
            "fir": "MH/AU/CIDCO/2026/0417",
            "report_number": "CS-417/2026",
            "kind": "charge_sheet",
            "filed_on": "2026-10-09",
            "court": "MHAU01",
            "offences": [{"act": "BNS", "section": "309(6)"}],
            "accused": [
                {
                    "person": {"ref": "A1", "name": "Ramesh Jadhav"},
                    "offences": [{"act": "BNS", "section": "309(6)"}],
                    "custody": "judicial_custody",
                }
            ],
        }
    },
}


def persons_sent(message: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every person object of a police message, as the police wrote it."""
    data = message.get("data", {})
    if message.get("type") == "fir.registered":
        fir = data["fir"]
        yield fir["complainant"]
        for role in ("accused", "victims", "witnesses"):
            yield from fir.get(role, [])
    elif message.get("type") == "person.arrested":
        yield data["arrest"]["person"]
    elif message.get("type") == "chargesheet.filed":
        yield from (charged["person"] for charged in data["report"].get("accused", []))
        yield from data["report"].get("witnesses", [])


def leaves(document: Any, path: str = "") -> dict[str, Any]:
    """A document as {JSON pointer: scalar}."""
    if isinstance(document, dict):
        out: dict[str, Any] = {}
        for key, value in document.items():
            out |= leaves(value, f"{path}/{key}")
        return out
    if isinstance(document, list):
        out = {}
        for index, value in enumerate(document):
            out |= leaves(value, f"{path}/{index}")
        return out or {path: []}
    return {path: document}


def completed(payload: EventPayload, said: dict[str, dict[str, Any]]) -> EventPayload:
    """A police report's persons as the case's police messages described them: each member the
    police sent about a ref, the report's own members winning."""
    report = getattr(payload, "report", None)
    if report is None or not hasattr(report, "accused"):
        return payload

    def person(one: Person) -> Person:
        return Person.model_validate(said.get(one.ref, {}) | one.model_dump(exclude_unset=True))

    accused = [c.model_copy(update={"person": person(c.person)}) for c in report.accused]
    witnesses = [person(w) for w in report.witnesses]
    update = {"accused": accused, "witnesses": witnesses}
    return payload.model_copy(update={"report": report.model_copy(update=update)})


def test_every_feed_item_carries_what_its_message_said(
    settings: Settings, gateway: Gateway, http: TestClient, key_for: Any
) -> None:
    run_demo(settings, echo=lambda *_: None)
    police = key_for("police", "MH/AU") | {"Content-Type": "application/json"}
    for message in (WALKTHROUGH_FIR, WALKTHROUGH_REPORT):
        response = http.post("/v1/police/messages", json=message, headers=police)
        assert response.status_code == 202 and response.json()["status"] == "accepted"
    operator = key_for("operator", "NIC") | {"Accept": "application/json"}

    with gateway.db.session() as session:
        feeds = sorted(set(session.exec(select(FeedEntryRow.pillar, FeedEntryRow.institution))))
        events = {row.id: row for row in session.exec(select(EventRow))}
        messages = {row.id: row for row in session.exec(select(MessageRow))}
        order = [
            row.receipt
            for row in session.exec(select(EventRow).order_by(col(EventRow.sequence)))
            if row.receipt
        ]
    assert {pillar for pillar, _ in feeds} == {
        "courts",
        "prosecution",
        "prisons",
        "forensics",
        "transport",
    }

    compared: dict[str, int] = {}
    for pillar, institution in feeds:
        adapter = gateway.adapters.get(pillar)
        param = gateway.policies.get(pillar).feed_parameter or "institution"
        page = http.get(f"/v1/{pillar}/feed", params={param: institution}, headers=operator)
        assert page.status_code == 200, page.text
        for item in page.json()["items"]:
            event = events[item["eventId"]]
            stored: EventPayload = CloudEvent.model_validate(event.envelope).payload()
            if event.receipt is None:  # the gateway's own (a statutory clock): no pillar sent it
                assert event.type.startswith("icjs.deadline."), event.type
                continue
            sent = messages[event.receipt]
            decoded = gateway.ingestor.decode(
                pillar=sent.pillar, body=sent.body, media_type=sent.media_type or ""
            )
            same = [p for p in decoded.payloads if type(p) is type(stored)]
            if not same:  # made by the gateway from the message (a vehicle link)
                assert event.source == "/icjs/gateway", event.type
                continue
            (source,) = same
            # What the case's police messages said of each person before (and in) this one.
            said: dict[str, dict[str, Any]] = {}
            for receipt in order[: order.index(event.receipt) + 1]:
                earlier = messages[receipt]
                if earlier.pillar != "police" or event.case_id not in {
                    e.case_id for e in events.values() if e.receipt == receipt
                }:
                    continue
                for one in persons_sent(json.loads(earlier.body)):
                    said[one["ref"]] = said.get(one["ref"], {}) | one
            expected_payload = completed(source, said)
            # Fields the gateway writes into an event at ingest, where the sender said nothing.
            defaults = {
                name: getattr(stored, name)
                for name, info in type(stored).model_fields.items()
                if getattr(expected_payload, name) == info.get_default(call_default_factory=True)
            }
            expected_payload = expected_payload.model_copy(update=defaults)
            member, expected = adapter.feed_entry(  # type: ignore[attr-defined]
                FeedItem(
                    cursor=item["cursor"],
                    case_id=item["caseId"],
                    event_id=item["eventId"],
                    recorded_at=event.time,
                    payload=expected_payload,
                    institution=institution,
                )
            )
            got, want = leaves(item[member]), leaves(json.loads(json.dumps(expected)))
            differing = {
                path: (got.get(path), want.get(path))
                for path in sorted(set(got) | set(want))
                if got.get(path) != want.get(path)
            }
            assert not differing, (pillar, institution, event.type, differing)
            compared[pillar] = compared.get(pillar, 0) + 1
    assert set(compared) == {"courts", "prosecution", "prisons", "forensics", "transport"}, compared


def test_the_walkthrough_s_accused_keeps_the_gender_the_fir_gave(
    http: TestClient, key_for: Any
) -> None:
    """The regression the issue names: A1 is male in the FIR; the charge sheet names him by ref
    and name only; the court's feed said "gender": "unknown"."""
    police = key_for("police", "MH/AU") | {"Content-Type": "application/json"}
    for message in (WALKTHROUGH_FIR, WALKTHROUGH_REPORT):
        assert http.post("/v1/police/messages", json=message, headers=police).status_code == 202
    court = key_for("courts", "MHAU01") | {"Accept": "application/json"}
    (item,) = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court).json()["items"]
    (accused,) = item["chargeSheet"]["accused"]
    assert (accused["ref"], accused["gender"], accused["age"]) == ("A1", "male", 27)
    assert accused["name"] == "Ramesh Jadhav", "the report's own words win"
