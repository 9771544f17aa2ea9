"""The transport adapter (Vahan, Sarathi): the shared adapter contract suite, plus what is
particular to the registries: numbers in any spelling, the two feeds, records answering them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from contract_suite import JSON, XML, AdapterContractSuite, Mutation, canonical_xml

from adapters.courts import CourtsAdapter
from adapters.transport import TransportAdapter
from canonical_model.entities import CourtOrder, OrderKind
from canonical_model.errors import ContractViolation, UnknownMessageType
from canonical_model.events import (
    EventPayload,
    LicenceRecordReceived,
    OrderIssued,
    VehicleRecordReceived,
    VehicleRecovered,
    VehicleReportedStolen,
    VehicleSeized,
)
from canonical_model.identifiers import Cnr
from canonical_model.messages import FeedItem
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml

GOLDEN = Path(__file__).parent / "golden"
FEED_GOLDEN = GOLDEN / "feed"
NS = "urn:icjs:transport:v1"
ADAPTER = TransportAdapter()
FEED_CONTRACT = "transport/v1/transport-feed"

#: The loose spellings in the goldens and how the gateway writes them back.
RESPELLED: dict[str, str] = {
    "mh-12 ab 1234": "MH12AB1234",
    "ma3 fjeb1s-00 123456": "MA3FJEB1S00123456",
    "k12mn-1234567": "K12MN1234567",
    "mh14 2011-0012345": "MH1420110012345",
}


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def golden_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(golden(name))
    return document


def decoded(name: str) -> EventPayload:
    media_type = JSON if name.endswith(".json") else XML
    (payload,) = ADAPTER.decode(golden(name), media_type=media_type).payloads
    return payload


class TestTransportAdapter(AdapterContractSuite):
    adapter = ADAPTER
    golden_dir = GOLDEN
    contracts: ClassVar[dict[str, str]] = {
        "vehicle_record": "transport/v1/vehicle-record",
        "licence_record": "transport/v1/licence-record",
        "vehicle_flag": "transport/v1/vehicle-flag",
        "licence_order": "transport/v1/licence-order",
    }
    feed_contract = FEED_CONTRACT
    #: Only a court's order on a driving licence reaches a registry's feed (Sarathi's).
    unfiled: ClassVar[dict[str, frozenset[str]]] = {
        "order.issued": frozenset(
            kind.value
            for kind in OrderKind
            if kind not in (OrderKind.LICENCE_SUSPENSION, OrderKind.LICENCE_REVOCATION)
        )
    }
    prefixes: ClassVar[dict[str, str]] = {NS: "t"}
    mutations = (
        # JSON: the contract catches these.
        Mutation("vehicle_record.swift.json", "set", "/registrationNumber", "MH12#AB1234"),
        Mutation("vehicle_record.swift.json", "remove", "/owner", where="/", mentions="owner"),
        Mutation("vehicle_record.swift.json", "set", "/owner/name", " "),
        Mutation("vehicle_record.swift.json", "set", "/status", "stolen"),
        Mutation("vehicle_record.swift.json", "set", "/asOf", "20-08-2026"),
        Mutation("licence_record.active.json", "set", "/licenceNumber", "MH14/2011/0012345"),
        Mutation("licence_record.active.json", "set", "/classes", [], mentions="classes"),
        Mutation("licence_record.active.json", "set", "/classes/1", "lmv"),
        Mutation("licence_record.active.json", "set", "/status", "cancelled"),
        Mutation(
            "licence_order.suspension.json",
            "remove",
            "/effectiveUntil",
            where="/",
            mentions="effectiveUntil",
        ),
        Mutation(
            "licence_order.revocation.json",
            "set",
            "/effectiveUntil",
            "2027-01-01",
            mentions="no last day",
        ),
        Mutation("vehicle_flag.stolen.json", "set", "/flag", "towed"),
        Mutation("vehicle_flag.stolen.json", "set", "/vehicle", {}, mentions="empty"),
        # JSON: the canonical model catches these (the number's parts, the periods).
        Mutation(
            "vehicle_record.swift.json",
            "set",
            "/registrationNumber",
            "MH-12-ABCD-1234",
            mentions="series",
        ),
        Mutation(
            "vehicle_record.bharat.json", "set", "/registrationNumber", "22XY1234AA", mentions="BH"
        ),
        Mutation(
            "licence_record.active.json",
            "set",
            "/licenceNumber",
            "MH14 2011 001234",
            mentions="serial",
        ),
        Mutation(
            "licence_record.active.json", "set", "/validUntil", "2010-01-01", mentions="before"
        ),
        Mutation(
            "licence_order.suspension.json",
            "set",
            "/effectiveUntil",
            "2026-01-01",
            mentions="before",
        ),
        Mutation(
            "vehicle_flag.seized.json",
            "set",
            "/vehicle/chassisNumber",
            "3456",
            where="/vehicle",
            mentions="chassis",
        ),
        # XML: the contract catches these.
        Mutation(
            "vehicle_record.swift.xml",
            "remove",
            "/t:vehicleRecord/t:owner",
            where="/t:vehicleRecord",
            mentions="owner",
        ),
        Mutation(
            "vehicle_record.swift.xml",
            "set",
            "/t:vehicleRecord/t:registrationNumber",
            "MH12_AB1234",
        ),
        Mutation("licence_record.active.xml", "set", "/t:licenceRecord/t:licenceNumber", "DL-1"),
        Mutation("licence_record.active.xml", "set", "/t:licenceRecord/t:status", "cancelled"),
        Mutation(
            "licence_record.active.xml",
            "set",
            "/t:licenceRecord/t:validFrom",
            "12-04-2011",
        ),
        # XML: the canonical model catches these.
        Mutation(
            "vehicle_record.spelled.xml",
            "set",
            "/t:vehicleRecord/t:registrationNumber",
            "mh 12 abcd 1234",
            mentions="series",
        ),
        Mutation(
            "licence_record.active.xml",
            "set",
            "/t:licenceRecord/t:licenceNumber",
            "MH14 2011 001234",
            mentions="serial",
        ),
        Mutation(
            "licence_record.active.xml",
            "set",
            "/t:licenceRecord/t:validUntil",
            "2010-01-01",
            mentions="before",
        ),
        Mutation(
            "licence_order.suspension.xml",
            "remove",
            "/t:licenceOrder/t:effectiveUntil",
            where="/t:licenceOrder",
            mentions="last day",
        ),
    )
    unknown_type_samples = (
        (
            json.dumps(golden_json("vehicle_record.swift.json") | {"messageType": "rc"}).encode(),
            JSON,
            "/messageType",
        ),
        (b"{}", JSON, "/messageType"),
        (b'<registrationCertificate xmlns="urn:icjs:transport:v1"/>', XML, "registration"),
        (
            golden("vehicle_record.swift.xml").replace(NS.encode(), b"urn:icjs:courts:v1"),
            XML,
            "vehicleRecord",
        ),
    )

    def written_form(self, golden: Path) -> bytes:
        """Numbers spelled loosely come back normalised."""
        body = golden.read_bytes()
        for loose, normal in RESPELLED.items():
            body = body.replace(loose.encode(), normal.encode())
        return body

    def encode_options(self, golden: Path) -> dict[str, Any]:
        """A flag or an order carries the case id it was written with."""
        if golden.suffix == ".json":
            return {"case_id": json.loads(golden.read_bytes()).get("caseId")}
        root = parse_xml(golden.read_bytes())
        case_id = root.findtext(f"{{{NS}}}caseId")
        return {"case_id": case_id}


# -- numbers in any spelling ----------------------------------------------------------------


def test_a_record_spelled_loosely_names_the_same_vehicle() -> None:
    neat, loose = decoded("vehicle_record.swift.json"), decoded("vehicle_record.spelled.xml")
    assert isinstance(neat, VehicleRecordReceived) and isinstance(loose, VehicleRecordReceived)
    assert loose.record.identity() == neat.record.identity()
    assert str(loose.record.registration) == "MH12AB1234"
    assert loose.record.chassis == "MA3FJEB1S00123456"


def test_a_licence_spelled_loosely_is_the_same_licence() -> None:
    neat, loose = decoded("licence_record.active.xml"), decoded("licence_record.spelled.json")
    assert isinstance(neat, LicenceRecordReceived) and isinstance(loose, LicenceRecordReceived)
    assert loose.record.licence == neat.record.licence
    assert str(loose.record.licence) == "MH1420110012345"


def test_a_bharat_series_mark_is_read_as_one() -> None:
    payload = decoded("vehicle_record.bharat.xml")
    assert isinstance(payload, VehicleRecordReceived)
    assert payload.record.registration.is_bharat_series
    assert str(payload.record.registration) == "22BH1234AA"


def test_a_pre_vin_chassis_and_a_last_five_chassis_are_both_accepted() -> None:
    old = decoded("vehicle_record.old.json")
    assert isinstance(old, VehicleRecordReceived)
    assert old.record.chassis == "MBLHA10EJ9H"
    seized = decoded("vehicle_flag.seized.xml")
    assert isinstance(seized, VehicleSeized)
    assert seized.report.vehicle.chassis_is_short
    assert seized.report.vehicle.chassis == "23456"


def test_a_bad_registration_is_located_in_both_formats() -> None:
    document = golden_json("vehicle_record.swift.json") | {"registrationNumber": "MH 1A2 B 1234"}
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(json.dumps(document).encode(), media_type=JSON)
    assert [p.location for p in caught.value.problems] == ["/registrationNumber"]
    body = golden("vehicle_record.swift.xml").replace(b"MH12AB1234", b"MH 1A2 B 1234")
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(body, media_type=XML)
    assert [p.location for p in caught.value.problems] == ["/t:vehicleRecord/t:registrationNumber"]


def test_a_document_in_another_namespace_is_refused_at_its_root() -> None:
    body = golden("licence_record.active.xml").replace(NS.encode(), b"urn:icjs:sarathi:v2")
    with pytest.raises(UnknownMessageType) as caught:
        ADAPTER.decode(body, media_type=XML)
    assert NS in caught.value.message
    assert [p.location for p in caught.value.problems] == ["/*[local-name()='licenceRecord']"]


# -- records answering the feed ---------------------------------------------------------


def test_a_record_names_the_feed_item_it_answers() -> None:
    answer = decoded("vehicle_record.swift.xml")
    assert isinstance(answer, VehicleRecordReceived)
    assert answer.in_reply_to == "evt_01JC8W3T5V9QZK2R7M4N6P8D1F"
    pushed = decoded("vehicle_record.bharat.json")
    assert isinstance(pushed, VehicleRecordReceived) and pushed.in_reply_to is None
    licence = decoded("licence_record.spelled.xml")
    assert isinstance(licence, LicenceRecordReceived)
    assert licence.in_reply_to == "evt_01JC8W3T5V9QZK2R7M4N6P8D2F"
    assert licence.record.status == "suspended"


def test_records_belong_to_no_case_and_no_feed() -> None:
    for name in ("vehicle_record.swift.json", "licence_record.active.json"):
        payload = decoded(name)
        assert payload.family == "registry"
        assert payload.needs() == []
        assert ADAPTER.feed_institution(payload) is None


# -- the feeds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("vehicle_flag.stolen.json", VehicleReportedStolen),
        ("vehicle_flag.recovered.xml", VehicleRecovered),
        ("vehicle_flag.seized.json", VehicleSeized),
    ],
)
def test_vehicle_reports_go_to_vahan(name: str, event: type[EventPayload]) -> None:
    payload = decoded(name)
    assert isinstance(payload, event)
    assert ADAPTER.feed_institution(payload) == "VAHAN"
    assert payload.needs() == [payload.report.fir.key()]  # type: ignore[attr-defined]


def test_licence_orders_go_to_sarathi_and_other_orders_nowhere() -> None:
    suspension, revocation = (
        decoded("licence_order.suspension.xml"),
        decoded("licence_order.revocation.json"),
    )
    assert isinstance(suspension, OrderIssued) and isinstance(revocation, OrderIssued)
    assert suspension.order.kind is OrderKind.LICENCE_SUSPENSION
    assert suspension.order.licence is not None
    assert suspension.order.licence.effective_until == dt.date(2027, 5, 1)
    assert revocation.order.kind is OrderKind.LICENCE_REVOCATION
    assert ADAPTER.feed_institution(suspension) == "SARATHI"
    assert ADAPTER.feed_institution(revocation) == "SARATHI"
    assert ADAPTER.feed_institution(_bail_order()) is None


@pytest.mark.parametrize("registry", ["vahan", "sarathi"])
@pytest.mark.parametrize("suffix", [".json", ".xml"])
def test_feed_page_matches_its_golden(registry: str, suffix: str) -> None:
    media_type = JSON if suffix == ".json" else XML
    items, next_cursor = _feed(registry)
    body = ADAPTER.encode_feed(
        items, institution=registry.upper(), next_cursor=next_cursor, media_type=media_type
    )
    expected = (FEED_GOLDEN / f"transport_feed.{registry}{suffix}").read_bytes()
    if suffix == ".json":
        assert json.loads(body) == json.loads(expected)
        assert validate_json(f"{FEED_CONTRACT}.schema.json", parse_json(body)) == []
    else:
        assert canonical_xml(body) == canonical_xml(expected)
        assert validate_xml(f"{FEED_CONTRACT}.xsd", parse_xml(body)) == []


def test_each_feed_item_says_which_record_answers_it() -> None:
    items, _ = _feed("vahan")
    page = json.loads(
        ADAPTER.encode_feed(items, institution="VAHAN", next_cursor=None, media_type=JSON)
    )
    assert [(i["eventId"], i["replyWith"]) for i in page["items"]] == [
        (item.event_id, "vehicle_record") for item in items
    ]
    assert [i["vehicleFlag"]["flag"] for i in page["items"]] == ["stolen", "seized"]
    items, _ = _feed("sarathi")
    page = json.loads(
        ADAPTER.encode_feed(items, institution="SARATHI", next_cursor=None, media_type=JSON)
    )
    assert [i["replyWith"] for i in page["items"]] == ["licence_record"]
    assert page["items"][0]["licenceOrder"]["action"] == "suspension"


def test_a_courts_licence_order_reaches_sarathi_as_a_licence_order() -> None:
    court_golden = GOLDEN.parents[1] / "courts" / "golden" / "order.licence-suspension.xml"
    (order,) = CourtsAdapter().decode(court_golden.read_bytes(), media_type=XML).payloads
    assert ADAPTER.feed_institution(order) == "SARATHI"
    written = json.loads(ADAPTER.encode(order, media_type=JSON))
    expected = golden_json("licence_order.suspension.json")
    del expected["documentSha256"]  # the court sent no document
    assert written == expected


def test_the_feed_refuses_an_ordinary_court_order() -> None:
    item = FeedItem("1", "case_1", "evt_1", dt.datetime(2026, 8, 16, tzinfo=dt.UTC), _bail_order())
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode_feed([item], institution="SARATHI", next_cursor=None, media_type=JSON)
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode(_bail_order(), media_type=XML)


def test_an_empty_feed_page_satisfies_both_contracts() -> None:
    page = ADAPTER.encode_feed([], institution="VAHAN", next_cursor=None, media_type=JSON)
    assert validate_json(f"{FEED_CONTRACT}.schema.json", parse_json(page)) == []
    page = ADAPTER.encode_feed([], institution="SARATHI", next_cursor=None, media_type=XML)
    assert validate_xml(f"{FEED_CONTRACT}.xsd", parse_xml(page)) == []


def test_a_flag_is_written_with_its_case_and_normalised_numbers() -> None:
    payload = decoded("vehicle_flag.stolen.xml")
    document = json.loads(ADAPTER.encode(payload, media_type=JSON, case_id="case_X1"))
    assert document["caseId"] == "case_X1"
    assert document["vehicle"]["registrationNumber"] == "MH12AB1234"
    assert validate_json("transport/v1/vehicle-flag.schema.json", document) == []


def _bail_order() -> OrderIssued:
    return OrderIssued(
        order=CourtOrder(
            cnr=Cnr.parse("MHPU010004562026"),
            order_number="9",
            order_date=dt.date(2026, 9, 10),
            kind=OrderKind.BAIL_GRANTED,
            accused_refs=["A1"],
        )
    )


def _feed(registry: str) -> tuple[list[FeedItem], str | None]:
    """The items the feed goldens hold: two vehicle flags for Vahan, one order for Sarathi."""
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    if registry == "vahan":
        recorded = dt.datetime(2026, 8, 18, 14, 5, tzinfo=ist)
        return [
            FeedItem(
                cursor=str(cursor),
                case_id=f"case_01JC8W3T5V9QZK2R7M4N6P8D{case}F",
                event_id=f"evt_01JC8W3T5V9QZK2R7M4N6P8D{cursor}F",
                recorded_at=recorded + dt.timedelta(days=days),
                payload=decoded(name),
            )
            for cursor, case, days, name in (
                (1, 1, 0, "vehicle_flag.stolen.json"),
                (3, 2, 15, "vehicle_flag.seized.json"),
            )
        ], "3"
    item = FeedItem(
        cursor="2",
        case_id="case_01JC8W3T5V9QZK2R7M4N6P8D5F",
        event_id="evt_01JC8W3T5V9QZK2R7M4N6P8D2F",
        recorded_at=dt.datetime(2026, 11, 2, 12, 30, tzinfo=dt.UTC),
        payload=decoded("licence_order.suspension.json"),
    )
    return [item], None
