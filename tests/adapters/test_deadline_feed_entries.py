"""Statutory clocks on the pillars' feeds: a ``deadline`` entry (``deadline.due_soon`` and
``deadline.breached``) on a court's feed and on a prison's, written the same way on both
(``contracts.toolkit.shapes.DEADLINE``), JSON and XML, against the feed contracts and the golden
feed pages; each clock reaches only the feed of the institution of its own pillar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from contract_suite import JSON, XML, canonical_xml, numbered_feed_items
from lxml import etree

from adapters.courts import CourtsAdapter
from adapters.prisons import PrisonsAdapter
from canonical_model.deadline_actions import action
from canonical_model.events import (
    DeadlineBreached,
    DeadlineDueSoon,
    DeadlineNotice,
    EventPayload,
)
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from contracts.toolkit import ToolkitAdapter

HERE = Path(__file__).parent
COURTS, PRISONS = CourtsAdapter(), PrisonsAdapter()
COURT_FEED_GOLDEN = HERE / "courts" / "golden" / "feed"
PRISON_FEED_GOLDEN = HERE / "prisons" / "golden" / "feed"
RECORDED = dt.datetime(2024, 11, 20, 4, 45, tzinfo=dt.UTC)


def notice(**fields: Any) -> DeadlineNotice:
    fields.setdefault("action", action(fields["provision"], title=fields["title"]))
    return DeadlineNotice.model_validate(fields)


def court_payloads() -> list[EventPayload]:
    """A charge sheet filed in MHAU01, then the court's s.232 committal falling due (the case
    registered: its CNR) and the s.346(1) proviso trial clock of a rape case breached."""
    sheet = COURTS.decode(
        (HERE / "courts" / "golden" / "chargesheet.bns.json").read_bytes(), media_type=JSON
    ).payloads[0]
    return [
        sheet,
        DeadlineDueSoon(
            deadline=notice(
                clock="BNSS 232",
                provision="BNSS 232",
                title="committal to the Court of Session within 90 days of cognizance",
                pillar="courts",
                institution="MHAU01",
                started_by="cognizance taken",
                started_on=dt.date(2024, 9, 2),
                due_on=dt.date(2024, 12, 1),
                state="due",
                days_left=7,
                cnr="MHAU010012342024",
                fir="MH/AU/CIDCO/2024/0612",
            )
        ),
        DeadlineBreached(
            deadline=notice(
                clock="BNSS 346(1) proviso",
                provision="BNSS 346(1) proviso",
                title="inquiry or trial of a sexual offence completed within two months of the "
                "charge sheet",
                pillar="courts",
                institution="MHAU01",
                started_by="charge sheet filed",
                started_on=dt.date(2024, 9, 20),
                due_on=dt.date(2024, 11, 20),
                state="overdue",
                days_left=-1,
                cnr="MHAU010012352024",
                fir="MH/AU/CIDCO/2024/0700",
            )
        ),
    ]


def prison_payloads() -> list[EventPayload]:
    """An undertrial's s.479 clocks at YERAWADA_CP: one third falling due (first offender), one
    half breached."""
    common: dict[str, Any] = {
        "pillar": "prisons",
        "institution": "YERAWADA_CP",
        "accused_ref": "A1",
        "started_by": "detention (arrest or admission)",
        "started_on": dt.date(2026, 8, 15),
        "prisoner": "YERAWADA_CP:UT/1234/2026",
        "cnr": "MHAU010012342026",
        "fir": "MH/AU/CIDCO/2026/0417",
    }
    return [
        DeadlineDueSoon(
            deadline=notice(
                clock="BNSS 479(1), first proviso/A1/1/3",
                provision="BNSS 479(1), first proviso",
                title="undertrial detained for one third of the maximum term (365 days, first "
                "offender): the Superintendent applies to the court (BNSS 479(3))",
                due_on=dt.date(2027, 8, 14),
                state="due",
                days_left=7,
                **common,
            )
        ),
        DeadlineBreached(
            deadline=notice(
                clock="BNSS 479(1)/A1/1/2",
                provision="BNSS 479(1)",
                title="undertrial detained for one half of the maximum term (548 days, not a "
                "first offender): the Superintendent applies to the court (BNSS 479(3))",
                due_on=dt.date(2028, 2, 13),
                state="overdue",
                days_left=-1,
                **common,
            )
        ),
    ]


def _page(
    adapter: ToolkitAdapter, institution: str, payloads: list[EventPayload], media: str
) -> bytes:
    items = numbered_feed_items(payloads, recorded=RECORDED)
    return adapter.encode_feed(items, institution=institution, next_cursor=None, media_type=media)


CASES = [
    (
        COURTS,
        "MHAU01",
        court_payloads,
        COURT_FEED_GOLDEN / "chargesheet_feed.mhau01",
        "courts/v1/chargesheet-feed",
    ),
    (
        PRISONS,
        "YERAWADA_CP",
        prison_payloads,
        PRISON_FEED_GOLDEN / "order_feed.yerawada-deadlines",
        "prisons/v1/order-feed",
    ),
]


@pytest.mark.parametrize(("adapter", "institution", "payloads", "golden", "contract"), CASES)
@pytest.mark.parametrize("media", [JSON, XML])
def test_a_feed_page_with_deadlines_matches_its_golden_and_its_contract(
    adapter: ToolkitAdapter,
    institution: str,
    payloads: Any,
    golden: Path,
    contract: str,
    media: str,
) -> None:
    body = _page(adapter, institution, payloads(), media)
    if media == JSON:
        expected = (golden.parent / f"{golden.name}.json").read_bytes()
        assert json.loads(body) == json.loads(expected)
        assert validate_json(f"{contract}.schema.json", parse_json(body)) == []
    else:
        expected = (golden.parent / f"{golden.name}.xml").read_bytes()
        assert canonical_xml(body) == canonical_xml(expected)
        assert validate_xml(f"{contract}.xsd", parse_xml(body)) == []


def test_the_deadline_entry_is_written_alike_on_a_courts_and_a_prisons_feed() -> None:
    """One shape: the same notice gives the same members on both feeds, and the same XML
    elements (each in its pillar's namespace)."""
    (payload,) = prison_payloads()[:1]
    court = json.loads(_page(COURTS, "MHAU01", [payload], JSON))["items"][0]["deadline"]
    prison = json.loads(_page(PRISONS, "YERAWADA_CP", [payload], JSON))["items"][0]["deadline"]
    assert court == prison
    assert list(court) == [
        "kind",
        "clock",
        "provision",
        "title",
        "dueOn",
        "startedBy",
        "startedOn",
        "accusedRef",
        "prisonerNumber",
        "cnr",
        "firNo",
        "action",
    ]
    assert court["kind"] == "due_soon"
    assert court["provision"] == "BNSS 479(1), first proviso"
    assert court["action"].startswith("the Superintendent of the jail applies forthwith")

    def elements(body: bytes) -> list[tuple[str, str | None]]:
        found = parse_xml(body).find("{*}item/{*}deadline")
        assert found is not None
        return [(etree.QName(e).localname, e.text) for e in found]

    assert elements(_page(COURTS, "MHAU01", [payload], XML)) == elements(
        _page(PRISONS, "YERAWADA_CP", [payload], XML)
    )


def test_a_clock_of_hours_carries_its_last_moment() -> None:
    payload = DeadlineBreached(
        deadline=notice(
            clock="BNSS 58/A1",
            provision="BNSS 58",
            title="production before a Magistrate within 24 hours of arrest",
            pillar="courts",
            institution="MHAU01",
            accused_ref="A1",
            started_by="arrest",
            started_on=dt.date(2026, 8, 17),
            due_on=dt.date(2026, 8, 18),
            due_at=dt.datetime(2026, 8, 18, 11, 5, tzinfo=dt.timezone(dt.timedelta(hours=5.5))),
            state="overdue",
            days_left=0,
        )
    )
    page = json.loads(_page(COURTS, "MHAU01", [payload], JSON))
    assert page["items"][0]["deadline"]["dueAt"] == "2026-08-18T11:05:00+05:30"
    assert validate_json("courts/v1/chargesheet-feed.schema.json", page) == []
    assert (
        validate_xml(
            "courts/v1/chargesheet-feed.xsd", parse_xml(_page(COURTS, "MHAU01", [payload], XML))
        )
        == []
    )


def _deadline(pillar: str, institution: str | None) -> DeadlineBreached:
    return DeadlineBreached(
        deadline=notice(
            clock="c",
            provision="BNSS 193(2)" if pillar == "police" else "BNSS 479(1)",
            title="t",
            pillar=pillar,
            institution=institution,
            started_by="s",
            started_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 3, 1),
            state="overdue",
            days_left=-1,
        )
    )


def test_a_deadline_reaches_only_the_feed_of_the_institution_of_its_own_pillar() -> None:
    assert COURTS.feed_institutions(_deadline("courts", "MHAU01")) == ("MHAU01",)
    assert PRISONS.feed_institutions(_deadline("prisons", "YERAWADA_CP")) == ("YERAWADA_CP",)
    # A police clock names a police station: no court's or prison's feed.
    assert COURTS.feed_institutions(_deadline("police", "MH/AU/CIDCO")) == ()
    assert PRISONS.feed_institutions(_deadline("police", "MH/AU/CIDCO")) == ()
    # Another pillar's clock, or one whose institution is not known, goes nowhere.
    assert COURTS.feed_institutions(_deadline("prisons", "YERAWADA_CP")) == ()
    assert PRISONS.feed_institutions(_deadline("courts", "MHAU01")) == ()
    assert COURTS.feed_institutions(_deadline("courts", None)) == ()
    assert PRISONS.feed_institutions(_deadline("prisons", None)) == ()
    for adapter in (COURTS, PRISONS):
        assert {"deadline.due_soon", "deadline.breached"} <= set(adapter.feed_event_types)
