"""Statutory clocks on the feeds of the pillar that must act, over HTTP on both stores: a court's
clock (BNSS s.346(1) proviso, a rape trial) falls due and runs out and reaches the court's feed;
an undertrial's s.479 clock runs out and reaches the feed of the prison holding him, with his
prisoner number; each entry once, whatever the emitter and the relay repeat, and on no other
institution's feed; police clocks reach no feed (the police read theirs at GET /v1/deadlines);
the prison's entry passes the redaction every feed payload passes (a child co-accused is a
label to the prison), and validates against the feed contracts, JSON and XML."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlmodel import col, select

from canonical_model.clock_facts import IST
from canonical_model.events import CloudEvent, CourtCaseRegistered, OrderIssued
from canonical_model.lifecycle import CaseStatus
from contracts.loader import validate_json, validate_xml
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.deadlines import case_clocks, emit_deadlines
from gateway.services.disclosure import redactor_of
from gateway.store.tables import CaseRow, EventRow, FeedEntryRow

JSON = "application/json"
XML = "application/xml"
RAPE_CASE = scenario.refs(61)
THEFT_CASE = scenario.refs(62)
PRISON = scenario.PRISON
CHILD = "Salim Yusuf Shaikh"


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


def police_post(http: TestClient, police: dict[str, str], message: dict[str, Any]) -> str:
    answer = accepted(
        http.post(
            "/v1/police/messages",
            content=json.dumps(message),
            headers=police | {"Content-Type": JSON},
        )
    )
    case_id: str = answer["case_ids"][0]
    return case_id


def court_post(http: TestClient, gateway: Gateway, court: dict[str, str], payload: Any) -> None:
    body = gateway.adapters.get("courts").encode(payload, media_type=JSON)  # type: ignore[attr-defined]
    accepted(http.post("/v1/courts/messages", content=body, headers=court | {"Content-Type": JSON}))


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=IST)


def announce(gateway: Gateway, now: dt.datetime) -> int:
    """One round of the emitter at ``now``, relayed to the feeds as the embedded gateway does."""
    settings = gateway.settings.model_copy(
        update={"deadline_due_soon_days": 3, "deadline_lookback_days": 3650}
    )
    count = emit_deadlines(gateway.db, settings=settings, now=now)
    gateway.relay.drain()
    return count


def clock_of(gateway: Gateway, case_id: str, provision: str, now: dt.datetime) -> dict[str, Any]:
    with gateway.db.session() as session:
        row = session.get(CaseRow, case_id)
        assert row is not None
        status = CaseStatus.model_validate(row.status)
    found = [
        c
        for c in case_clocks(status, settings=gateway.settings, now=now)
        if c.provision == provision
    ]
    assert found, f"no {provision} clock"
    return found[0].model_dump(mode="json")


def feed(
    http: TestClient, headers: dict[str, str], pillar: str, param: str, code: str, media: str = JSON
) -> Any:
    response = http.get(
        f"/v1/{pillar}/feed", params={param: code}, headers=headers | {"Accept": media}
    )
    assert response.status_code == 200, response.text
    return response


def deadline_items(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in page["items"] if "deadline" in item]


def assert_each_deadline_only_on_its_institutions_feed(gateway: Gateway) -> None:
    """Every deadline entry of every feed is on the feed of the pillar and institution its
    clock names, once; no police clock is on any feed."""
    with gateway.db.session() as session:
        entries = session.exec(
            select(FeedEntryRow).where(col(FeedEntryRow.event_type).startswith("icjs.deadline."))
        ).all()
        announced = session.exec(
            select(EventRow).where(col(EventRow.type).startswith("icjs.deadline."))
        ).all()
    seen: set[str] = set()
    for entry in entries:
        notice = CloudEvent.model_validate(entry.envelope).payload().deadline  # type: ignore[attr-defined]
        assert (entry.pillar, entry.institution) == (notice.pillar, notice.institution)
        assert entry.event_id not in seen, "a deadline on two feeds, or twice on one"
        seen.add(entry.event_id)
    police = {e.id for e in announced if e.envelope["data"]["deadline"]["pillar"] == "police"}
    assert police, "the cases' police clocks were announced too"
    assert not police & seen


@pytest.fixture
def prison(key_for: Any) -> dict[str, str]:
    headers: dict[str, str] = key_for("prisons", PRISON)
    return headers


def test_a_court_clock_reaches_the_court_feed_once_and_no_other(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    key_for: Any,
) -> None:
    fir = copy.deepcopy(scenario.fir_registered(RAPE_CASE))
    fir["data"]["fir"]["offences"] = [{"act": "BNS", "section": "64(1)"}]
    sheet = copy.deepcopy(scenario.chargesheet_filed(RAPE_CASE))
    report = sheet["data"]["report"]
    report["offences"] = [{"act": "BNS", "section": "64(1)"}]
    for accused in report["accused"]:
        accused["offences"] = [{"act": "BNS", "section": "64(1)"}]
    case_id = police_post(http, police, fir)
    police_post(http, police, scenario.person_arrested(RAPE_CASE))
    police_post(http, police, sheet)
    court_post(
        http,
        gateway,
        court,
        CourtCaseRegistered.model_validate({"court_case": scenario.court_case(RAPE_CASE)}),
    )

    # The trial is to be completed within two months of the charge sheet (9 October).
    trial = clock_of(gateway, case_id, "BNSS 346(1) proviso", noon(dt.date(2026, 10, 10)))
    assert (trial["pillar"], trial["institution"]) == ("courts", "MHAU01")
    due = dt.date.fromisoformat(trial["due_on"])
    assert due == dt.date(2026, 12, 9)

    # The day before: due soon; the day after: breached; each round repeated changes nothing.
    for day in (due - dt.timedelta(days=1), due + dt.timedelta(days=1)):
        announce(gateway, noon(day))
        announce(gateway, noon(day))

    page = feed(http, court, "courts", "court", "MHAU01").json()
    assert validate_json("courts/v1/chargesheet-feed.schema.json", page) == []
    assert [i["chargeSheet"]["reportNumber"] for i in page["items"] if "chargeSheet" in i] == [
        report["report_number"]
    ]
    trials = [
        i for i in deadline_items(page) if i["deadline"]["provision"] == "BNSS 346(1) proviso"
    ]
    assert [t["deadline"]["kind"] for t in trials] == ["due_soon", "breached"]
    breached = trials[1]
    assert breached["caseId"] == case_id
    assert breached["deadline"] | {"title": None, "action": None} == {
        "kind": "breached",
        "clock": "BNSS 346(1) proviso",
        "provision": "BNSS 346(1) proviso",
        "title": None,
        "dueOn": "2026-12-09",
        "startedBy": "charge sheet filed",
        "startedOn": "2026-10-09",
        "cnr": str(RAPE_CASE.cnr),
        "firNo": str(RAPE_CASE.fir),
        "action": None,
    }
    assert "within two months" in breached["deadline"]["action"]

    xml = feed(http, court, "courts", "court", "MHAU01", XML)
    root = etree.fromstring(xml.content)
    assert validate_xml("courts/v1/chargesheet-feed.xsd", root) == []
    ns = {"c": "urn:icjs:courts:v1"}
    kinds = [
        d.findtext("c:kind", namespaces=ns)
        for d in root.findall("c:item/c:deadline", ns)
        if d.findtext("c:provision", namespaces=ns) == "BNSS 346(1) proviso"
    ]
    assert kinds == ["due_soon", "breached"]

    # On no other court's feed, and no police clock (s.58, s.176(3), s.193(2)) on any feed.
    other = key_for("courts", "MHAU02")
    assert feed(http, other, "courts", "court", "MHAU02").json()["items"] == []
    assert_each_deadline_only_on_its_institutions_feed(gateway)


def test_an_undertrial_clock_reaches_the_prison_holding_him_once_and_no_other(
    http: TestClient,
    gateway: Gateway,
    police: dict[str, str],
    court: dict[str, str],
    prison: dict[str, str],
    key_for: Any,
) -> None:
    # Theft (BNS 303(2), three years on a first conviction); the co-accused A2 is a child,
    # whom a prison may know only as a label (JJ Act 2015 s.74).
    fir = copy.deepcopy(scenario.fir_registered(THEFT_CASE))
    record = fir["data"]["fir"]
    record["offences"] = [{"act": "BNS", "section": "303(2)"}]
    child = record["accused"][1]
    child.pop("date_of_birth")
    child |= {"age": 16, "juvenile": True}
    case_id = police_post(http, police, fir)
    police_post(http, police, scenario.person_arrested(THEFT_CASE))
    court_post(
        http,
        gateway,
        court,
        CourtCaseRegistered.model_validate({"court_case": scenario.court_case(THEFT_CASE)}),
    )
    court_post(
        http,
        gateway,
        court,
        OrderIssued.model_validate({"order": scenario.remand_order(THEFT_CASE)}),
    )
    admitted = http.post(
        "/v1/prisons/messages",
        content=json.dumps(scenario.admission(THEFT_CASE, first_offender=False)),
        headers=prison | {"Content-Type": JSON},
    )
    assert accepted(admitted)["case_ids"] == [case_id]

    # Half the maximum (s.479(1)): the Superintendent applies to the court (s.479(3)).
    half = clock_of(gateway, case_id, "BNSS 479(1)", noon(dt.date(2026, 9, 1)))
    assert (half["pillar"], half["institution"], half["accused_ref"]) == ("prisons", PRISON, "A1")
    due = dt.date.fromisoformat(half["due_on"])
    announce(gateway, noon(due + dt.timedelta(days=1)))
    announce(gateway, noon(due + dt.timedelta(days=2)))

    page = feed(http, prison, "prisons", "prison", PRISON).json()
    assert validate_json("prisons/v1/order-feed.schema.json", page) == []
    assert [i["courtOrder"]["orderType"] for i in page["items"] if "courtOrder" in i] == ["remand"]
    (item,) = deadline_items(page)
    deadline = item["deadline"]
    assert item["caseId"] == case_id
    assert deadline["kind"] == "breached"
    assert deadline["provision"] == "BNSS 479(1)"
    assert deadline["dueOn"] == due.isoformat()
    assert deadline["accusedRef"] == "A1"
    assert deadline["prisonerNumber"] == f"{PRISON}:UT/{THEFT_CASE.cnr.serial}/2026"
    assert deadline["cnr"] == str(THEFT_CASE.cnr)
    assert deadline["firNo"] == str(THEFT_CASE.fir)
    assert "Superintendent of the jail applies forthwith" in deadline["action"]
    xml = feed(http, prison, "prisons", "prison", PRISON, XML)
    assert validate_xml("prisons/v1/order-feed.xsd", etree.fromstring(xml.content)) == []
    assert b"<provision>BNSS 479(1)</provision>" in xml.content

    # The entry went through the prison's redaction (the child is hidden from it) and came out
    # whole: nothing of the child, every identifier kept.
    with gateway.db.session() as session:
        row = session.get(CaseRow, case_id)
        assert row is not None
        status = CaseStatus.model_validate(row.status)
        assert not redactor_of(session, status, pillar="prisons", institution=PRISON).empty
    for body in (json.dumps(page), xml.content.decode()):
        assert "Salim" not in body and "Shaikh" not in body

    # On no other prison's feed, nor any court's; police clocks on none.
    other = key_for("prisons", "YERAWADA_CP")
    assert feed(http, other, "prisons", "prison", "YERAWADA_CP").json()["items"] == []
    court_page = feed(http, court, "courts", "court", "MHAU01").json()
    assert not [i for i in deadline_items(court_page) if "479" in i["deadline"]["provision"]]
    assert_each_deadline_only_on_its_institutions_feed(gateway)
