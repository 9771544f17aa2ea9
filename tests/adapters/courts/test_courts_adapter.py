"""The e-Courts adapter: the shared adapter contract suite, plus what is particular to courts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from contract_suite import JSON, XML, AdapterContractSuite, Mutation
from lxml import etree

from adapters.courts import CourtsAdapter
from canonical_model.entities import Act, CustodyKind, HearingStage, Offence, OrderKind
from canonical_model.errors import ContractViolation, UnknownMessageType, UnsupportedMediaType
from canonical_model.events import (
    ChargesheetFiled,
    CourtCaseRegistered,
    FirRegistered,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.messages import FeedItem
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml

GOLDEN = Path(__file__).parent / "golden"
NS = "urn:icjs:courts:v1"


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def golden_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(golden(name))
    return document


class TestCourtsAdapter(AdapterContractSuite):
    adapter = CourtsAdapter()
    golden_dir = GOLDEN
    contracts: ClassVar[dict[str, str]] = {
        "case_registration": "courts/v1/case-registration",
        "hearing": "courts/v1/hearing",
        "order": "courts/v1/order",
        "judgment": "courts/v1/judgment",
        "chargesheet": "courts/v1/chargesheet",
    }
    feed_contract = "courts/v1/chargesheet-feed"
    #: Every police report goes to the court it is filed in; only the courts' clocks reach a
    #: court's feed.
    unfiled: ClassVar[dict[str, frozenset[str]]] = {
        "deadline.due_soon": frozenset({"police", "police-hours", "prisons"}),
        "deadline.breached": frozenset({"police", "police-hours", "prisons"}),
    }
    prefixes: ClassVar[dict[str, str]] = {NS: "c"}
    mutations = (
        # JSON: the contract (JSON Schema) catches these.
        Mutation("hearing.bns.json", "remove", "/hearingDate", where="/", mentions="hearingDate"),
        Mutation("hearing.bns.json", "set", "/nextDate", "2025-13-01"),
        Mutation("case_registration.bns.json", "set", "/cnr", "MHAU01-00X234-2024"),
        Mutation(
            "case_registration.bns.json", "remove", "/caseType", where="/", mentions="caseType"
        ),
        Mutation(
            "chargesheet.bns.json", "remove", "/accused/1/name", where="/accused/1", mentions="name"
        ),
        Mutation("chargesheet.bns.json", "set", "/accused/0/dateOfBirth", "1997-02-30"),
        Mutation("chargesheet.bns.json", "set", "/offences/0/act", "XYZ"),
        Mutation("order.bail.json", "set", "/orderType", "acquittal"),
        Mutation("order.licence-suspension.json", "set", "/licence/licenceNumber", "DL-1"),
        Mutation(
            "order.licence-suspension.json",
            "remove",
            "/licence/effectiveFrom",
            where="/licence",
            mentions="effectiveFrom",
        ),
        Mutation("judgment.bns.json", "remove", "/accused", where="/", mentions="accused"),
        # JSON: the translation catches these (identifier checks, parts that must agree, domain rules).
        Mutation("order.bail.json", "set", "/cnr", "MHAU010000002024"),
        Mutation(
            "order.licence-suspension.json", "remove", "/licence", where="/", mentions="licence"
        ),
        Mutation(
            "order.licence-suspension.json",
            "set",
            "/licence/licenceNumber",
            "MH14 2011 001234",
            mentions="serial",
        ),
        Mutation(
            "order.bail.json",
            "set",
            "/licence",
            {"licenceNumber": "MH1420110012345", "effectiveFrom": "2026-11-02"},
            where="/",
            mentions="only a licence_suspension",
        ),
        Mutation("chargesheet.bns.json", "set", "/fir/number", 613),
        Mutation("chargesheet.bns.json", "set", "/policeStation", "MH/AU/WALUJ"),
        Mutation(
            "chargesheet.ipc.json",
            "set",
            "/fir/firNo",
            "MH/AU/KRANTICHOWK/1850/0211",
            where="/fir/firNo",
        ),
        Mutation("case_registration.bns.json", "set", "/establishmentCode", "MHAU02"),
        Mutation(
            "judgment.bns.json", "set", "/accused/0/disposal", "acquitted", where="/accused/0"
        ),
        # XML: the contract (XSD) catches these.
        Mutation(
            "hearing.bns.xml",
            "remove",
            "/c:hearing/c:hearingDate",
            where="/c:hearing",
            mentions="hearingDate",
        ),
        Mutation("hearing.bns.xml", "set", "/c:hearing/c:nextDate", "2025-13-01"),
        Mutation(
            "case_registration.bns.xml", "set", "/c:caseRegistration/c:cnr", "MHAU01-00X234-2024"
        ),
        Mutation(
            "chargesheet.bns.xml",
            "remove",
            "/c:chargeSheet/c:accused[2]/c:name",
            where="/c:chargeSheet/c:accused[2]",
            mentions="name",
        ),
        Mutation(
            "chargesheet.ipc.xml",
            "set",
            "/c:chargeSheet/c:accused[1]/c:offence[1]/c:section",
            "392 A",
        ),
        Mutation("chargesheet.bns.xml", "set", "/c:chargeSheet/c:filingDate", "20-11-2024"),
        # XML: the translation catches these.
        Mutation("order.bail.xml", "set", "/c:order/c:cnr", "MHAU010000002024"),
        Mutation(
            "order.licence-suspension.xml",
            "remove",
            "/c:order/c:licence/c:effectiveUntil",
            where="/c:order",
            mentions="last day",
        ),
        Mutation("chargesheet.bns.xml", "set", "/c:chargeSheet/c:fir/c:number", "613"),
        Mutation(
            "case_registration.bns.xml",
            "remove",
            "/c:caseRegistration/c:caseType",
            where="/c:caseRegistration",
            mentions="caseType",
        ),
        Mutation(
            "case_registration.bns.xml", "set", "/c:caseRegistration/c:establishmentCode", "MHAU02"
        ),
        Mutation(
            "judgment.bns.xml",
            "set",
            "/c:judgment/c:accused[1]/c:disposal",
            "acquitted",
            where="/c:judgment/c:accused[1]",
            mentions="convicted",
        ),
        # The statutory clocks' forms (courts v1, additive).
        Mutation("hearing.evidence-fixed.json", "set", "/stage", "adjourned"),
        Mutation("order.remand-police.json", "set", "/custodyKind", "house_arrest"),
        Mutation("order.extension.json", "set", "/provision", "s.232"),
        Mutation("order.extension.json", "remove", "/provision", where="/", mentions="provision"),
        Mutation(
            "hearing.evidence-fixed.json", "remove", "/nextDate", where="/", mentions="next_date"
        ),
        Mutation(
            "order.cognizance.json",
            "set",
            "/custodyKind",
            "police",
            where="/",
            mentions="custody_kind",
        ),
        Mutation(
            "order.remand-police.json",
            "set",
            "/issuingCourt",
            "MHHC01",
            where="/",
            mentions="transfer or stay",
        ),
        Mutation("hearing.evidence-fixed.xml", "set", "/c:hearing/c:nextStage", "adjourned"),
        Mutation("order.stay.xml", "set", "/c:order/c:until", "2025-02-30"),
        Mutation(
            "order.extension.xml",
            "remove",
            "/c:order/c:until",
            where="/c:order",
            mentions="new last day",
        ),
    )
    unknown_type_samples = (
        (
            json.dumps(golden_json("hearing.bns.json") | {"messageType": "appeal"}).encode(),
            JSON,
            "/messageType",
        ),
        (
            json.dumps(
                {k: v for k, v in golden_json("hearing.bns.json").items() if k != "messageType"}
            ).encode(),
            JSON,
            "/messageType",
        ),
        (b"[1, 2]", JSON, "/"),
        (golden("hearing.bns.xml").replace(b"hearing", b"appeal"), XML, "/c:appeal"),
        (golden("hearing.bns.xml").replace(NS.encode(), b"urn:elsewhere"), XML, "hearing"),
    )

    def encode_options(self, golden: Path) -> dict[str, Any]:
        """A charge sheet golden carries the gateway case id, which is not in the canonical event."""
        if golden.suffix == ".json":
            case_id = json.loads(golden.read_bytes()).get("caseId")
        else:
            found = parse_xml(golden.read_bytes()).find(f"{{{NS}}}caseId")
            case_id = found.text if found is not None else None
        return {"case_id": case_id} if case_id else {}


ADAPTER = CourtsAdapter()


def decode_one(body: bytes, media_type: str) -> Any:
    decoded = ADAPTER.decode(body, media_type=media_type)
    (payload,) = decoded.payloads
    return payload


def test_a_dashed_cnr_is_accepted_and_written_back_compact() -> None:
    document = golden_json("hearing.bns.json") | {"cnr": "MHAU01-001234-2024"}
    from_json = decode_one(json.dumps(document).encode(), JSON)
    xml = golden("hearing.bns.xml").replace(b"MHAU010012342024", b"MHAU01-001234-2024")
    from_xml = decode_one(xml, XML)
    assert isinstance(from_json, HearingRecorded)
    assert from_json == from_xml
    assert str(from_json.hearing.cnr) == "MHAU010012342024"
    assert from_json.hearing.cnr.dashed() == "MHAU01-001234-2024"
    assert json.loads(ADAPTER.encode(from_json, media_type=JSON))["cnr"] == "MHAU010012342024"


def test_the_golden_case_reads_as_the_court_wrote_it() -> None:
    registration = decode_one(golden("case_registration.bns.xml"), XML)
    assert isinstance(registration, CourtCaseRegistered)
    case = registration.court_case
    assert str(case.filing_number) == "MHAU01/RCC/1187/2024"
    assert str(case.registration_number) == "MHAU01/RCC/1234/2024"
    assert str(case.fir) == "MH/AU/CIDCO/2024/0612"
    assert case.judge is not None and case.judge.rank == "Chief Judicial Magistrate"
    assert registration.introduces() == [
        "cnr:MHAU010012342024",
        "case_no:MHAU01/RCC/1187/2024",
        "case_no:MHAU01/RCC/1234/2024",
    ]

    sheet = decode_one(golden("chargesheet.bns.json"), JSON)
    assert isinstance(sheet, ChargesheetFiled)
    a2 = sheet.report.accused[1]
    assert a2.person.gender.value == "transgender" and a2.person.aliases == [
        "Reshma Guru",
        "Rashmi",
    ]
    assert a2.custody.value == "on_bail"
    assert [str(o) for o in sheet.report.offences] == ["BNS 309(4)", "BNS 3(5)"]

    old = decode_one(golden("chargesheet.ipc.xml"), XML)
    assert {o.act.value for o in old.report.offences} == {"IPC"}
    assert old.report.accused[1].person.gender.value == "female"

    supplementary = decode_one(golden("chargesheet.supplementary.xml"), XML)
    assert supplementary.report.supplementary is True

    judgment = decode_one(golden("judgment.bns.json"), JSON)
    assert isinstance(judgment, JudgmentDelivered)
    convicted, acquitted = judgment.judgment.verdicts
    assert convicted.sentence is not None and convicted.sentence.imprisonment_months == 60
    assert convicted.sentence.fine_inr == 10000
    assert acquitted.verdict.value == "acquitted" and acquitted.sentence is None


def test_feed_institution_is_the_court_of_a_charge_sheet() -> None:
    assert ADAPTER.feed_institution(decode_one(golden("chargesheet.bns.json"), JSON)) == "MHAU01"
    assert ADAPTER.feed_institution(decode_one(golden("chargesheet.ipc.json"), JSON)) == "MHAU02"
    assert ADAPTER.feed_institution(decode_one(golden("hearing.bns.json"), JSON)) is None


def test_chargesheet_decodes_but_is_not_something_courts_send() -> None:
    assert (
        ADAPTER.decode(golden("chargesheet.bns.xml"), media_type=XML).message_type == "chargesheet"
    )
    assert "chargesheet" not in ADAPTER.inbound_message_types


@pytest.mark.parametrize(
    "media_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/vnd.ecourts+json",
        "APPLICATION/JSON",
    ],
)
def test_json_media_types(media_type: str) -> None:
    assert (
        ADAPTER.decode(golden("hearing.bns.json"), media_type=media_type).message_type == "hearing"
    )


@pytest.mark.parametrize(
    "media_type", ["application/xml", "text/xml", "application/vnd.ecourts+xml"]
)
def test_xml_media_types(media_type: str) -> None:
    assert (
        ADAPTER.decode(golden("hearing.bns.xml"), media_type=media_type).message_type == "hearing"
    )


@pytest.mark.parametrize(
    "media_type", ["text/plain", "", "application/x-www-form-urlencoded", "text/json+xml"]
)
def test_other_media_types_are_refused(media_type: str) -> None:
    with pytest.raises(UnsupportedMediaType) as caught:
        ADAPTER.decode(golden("hearing.bns.json"), media_type=media_type)
    assert "application/json" in caught.value.message and "application/xml" in caught.value.message
    with pytest.raises(UnsupportedMediaType):
        ADAPTER.encode(decode_one(golden("hearing.bns.json"), JSON), media_type=media_type)


def test_sniffing_never_raises() -> None:
    assert ADAPTER.sniff_type(b"{", media_type=JSON) is None
    assert ADAPTER.sniff_type(b"<a", media_type=XML) is None
    assert ADAPTER.sniff_type(golden("hearing.bns.json"), media_type="text/plain") is None
    assert ADAPTER.sniff_type(b'{"messageType": "appeal"}', media_type=JSON) == "appeal"


def test_comments_and_layout_in_xml_change_nothing() -> None:
    body = golden("order.bail.xml")
    squashed = etree.tostring(etree.fromstring(body, etree.XMLParser(remove_blank_text=True)))
    commented = body.replace(b"<orderType>", b"<!-- as typed by the bench clerk --><orderType>")
    expected = decode_one(body, XML)
    assert decode_one(squashed, XML) == expected
    assert decode_one(commented, XML) == expected


def test_every_problem_of_a_bad_message_is_reported() -> None:
    document = golden_json("hearing.bns.json") | {
        "hearingDate": "2025-02-30",
        "nextDate": "soon",
        "extra": 1,
    }
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(json.dumps(document).encode(), media_type=JSON)
    locations = {p.location for p in caught.value.problems}
    assert {"/hearingDate", "/nextDate", "/"} <= locations
    messages = " ".join(p.message for p in caught.value.problems)
    assert "'2025-02-30' is not a 'date'" in messages and "extra" in messages


def test_xml_problems_are_located_by_xpath() -> None:
    body = golden("chargesheet.bns.xml").replace(b"<age>31</age>", b"<age>old</age>")
    body = body.replace(b"<pincode>431003</pincode>", b"<pincode>0431</pincode>", 1)
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(body, media_type=XML)
    locations = {p.location for p in caught.value.problems}
    assert "/c:chargeSheet/c:accused[2]/c:age" in locations
    assert "/c:chargeSheet/c:accused[1]/c:address/c:pincode" in locations
    assert all("{urn:" not in p.message for p in caught.value.problems)


def test_encoding_is_deterministic_and_utf8() -> None:
    sheet = decode_one(golden("chargesheet.bns.json"), JSON)
    renamed = sheet.model_copy(
        update={
            "report": sheet.report.model_copy(
                update={"summary": "आरोपींनी सोन्याच्या चार साखळ्या हिसकावल्या."}
            )
        }
    )
    for media_type in (JSON, XML):
        first = ADAPTER.encode(renamed, media_type=media_type)
        assert first == ADAPTER.encode(renamed, media_type=media_type)
        assert "साखळ्या".encode() in first
        assert decode_one(first, media_type) == renamed


def test_events_the_courts_never_see_cannot_be_encoded() -> None:
    fir = FirRegistered.model_validate(
        {
            "fir": {
                "fir": "MH/AU/CIDCO/2024/0612",
                "registered_at": "2024-09-12T21:40:00+05:30",
                "place": {"description": "Town Centre, CIDCO"},
                "complainant": {"ref": "C1", "name": "Vinod Prabhakar Kulkarni"},
                "offences": [{"act": "BNS", "section": "309(4)"}],
            }
        }
    )
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode(fir, media_type=JSON)


def test_a_court_case_with_two_case_types_cannot_be_written() -> None:
    registration = decode_one(golden("case_registration.bns.json"), JSON)
    data = registration.model_dump(mode="json")
    data["court_case"]["filing_number"] = "MHAU01/CRI.M.A./77/2024"
    with pytest.raises(ContractViolation):
        ADAPTER.encode(CourtCaseRegistered.model_validate(data), media_type=XML)


def feed_items() -> list[FeedItem]:
    return [
        FeedItem(
            cursor=str(n),
            case_id=f"case_01JC8W3T5V9QZK2R7M4N6P8D{n}F",
            event_id=f"evt_01JC8W3T5V9QZK2R7M4N6P8D{n}F",
            recorded_at=dt.datetime(2024, 11, 20, 4, 45, n),
            payload=decode_one(golden(name), JSON),
        )
        for n, name in enumerate(
            ("chargesheet.bns.json", "chargesheet.supplementary.json"), start=1
        )
    ]


def test_the_json_feed_page_shape() -> None:
    page = json.loads(
        ADAPTER.encode_feed(feed_items(), institution="MHAU01", next_cursor=None, media_type=JSON)
    )
    assert list(page) == ["court", "items", "nextCursor"]
    assert page["court"] == "MHAU01" and page["nextCursor"] is None
    first = page["items"][0]
    assert list(first) == ["cursor", "caseId", "eventId", "recordedAt", "chargeSheet"]
    assert first["recordedAt"] == "2024-11-20T04:45:01+00:00", "naive times are UTC"
    assert first["chargeSheet"]["caseId"] == first["caseId"]
    assert first["chargeSheet"]["messageType"] == "chargesheet"
    assert validate_json("courts/v1/chargesheet.schema.json", first["chargeSheet"]) == []
    more = json.loads(
        ADAPTER.encode_feed(feed_items(), institution="MHAU01", next_cursor="2", media_type=JSON)
    )
    assert more["nextCursor"] == "2"


def test_the_xml_feed_embeds_charge_sheets_a_court_can_decode() -> None:
    body = ADAPTER.encode_feed(feed_items(), institution="MHAU01", next_cursor="2", media_type=XML)
    root = parse_xml(body)
    assert validate_xml("courts/v1/chargesheet-feed.xsd", root) == []
    assert root.findtext(f"{{{NS}}}nextCursor") == "2"
    sheets = root.findall(f"{{{NS}}}item/{{{NS}}}chargeSheet")
    assert len(sheets) == 2
    again = decode_one(etree.tostring(sheets[1]), XML)
    assert again == feed_items()[1].payload
    last = parse_xml(
        ADAPTER.encode_feed([], institution="MHAU01", next_cursor=None, media_type=XML)
    )
    assert last.find(f"{{{NS}}}nextCursor") is None


def test_the_feed_carries_only_charge_sheets() -> None:
    item = feed_items()[0]
    hearing = FeedItem(
        item.cursor,
        item.case_id,
        item.event_id,
        item.recorded_at,
        decode_one(golden("hearing.bns.json"), JSON),
    )
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode_feed([hearing], institution="MHAU01", next_cursor=None, media_type=JSON)


def test_goldens_parse_as_plain_json_and_xml() -> None:
    for path in (p for p in GOLDEN.iterdir() if p.is_file()):
        body = path.read_bytes()
        assert body.endswith(b"\n")
        if path.suffix == ".json":
            parse_json(body)
        else:
            assert body.startswith(b"<?xml")
            parse_xml(body)


@pytest.mark.parametrize("media_type", [JSON, XML])
def test_the_charged_limb_reaches_the_court_and_back(media_type: str) -> None:
    # A second theft charged under the subsequent-conviction limb of BNS 303(2): the court
    # reads which limb (5 years, not 3), in JSON and XML, and a court's own charge sheet
    # decodes with it.
    item = feed_items()[0]
    sheet = item.payload
    assert isinstance(sheet, ChargesheetFiled)
    report = sheet.report.model_copy(
        update={
            "offences": [
                Offence(act=Act.BNS, section="303(2)", limb="subsequent_conviction"),
                *sheet.report.offences[1:],
            ]
        }
    )
    payload = sheet.model_copy(update={"report": report})
    body = ADAPTER.encode_feed(
        [FeedItem(item.cursor, item.case_id, item.event_id, item.recorded_at, payload)],
        institution="MHAU01",
        next_cursor=None,
        media_type=media_type,
    )
    if media_type == JSON:
        charge = json.loads(body)["items"][0]["chargeSheet"]
        assert charge["offences"][0] == {
            "act": "BNS",
            "section": "303(2)",
            "limb": "subsequent_conviction",
        }
        assert validate_json("courts/v1/chargesheet.schema.json", charge) == []
        again = decode_one(json.dumps(charge).encode(), JSON)
    else:
        root = parse_xml(body)
        assert validate_xml("courts/v1/chargesheet-feed.xsd", root) == []
        assert b"<limb>subsequent_conviction</limb>" in body
        found = root.find(f"{{{NS}}}item/{{{NS}}}chargeSheet")
        assert found is not None
        again = decode_one(etree.tostring(found), XML)
    assert again.report.offences[0].limb == "subsequent_conviction"


def test_the_clock_forms_read_as_the_court_wrote_them() -> None:
    # Hearing stages, a cognizance order, a police remand with its last day, an extension
    # naming its provision, a superior court's stay and its vacating: JSON and XML alike.
    for media_type, suffix in ((JSON, "json"), (XML, "xml")):
        hearing = decode_one(golden(f"hearing.evidence-fixed.{suffix}"), media_type)
        assert isinstance(hearing, HearingRecorded)
        assert (hearing.hearing.stage, hearing.hearing.next_stage) == (
            HearingStage.CHARGE_HEARING,
            HearingStage.EVIDENCE,
        )
        supplied = decode_one(golden(f"hearing.documents-supplied.{suffix}"), media_type)
        assert supplied.hearing.stage is HearingStage.DOCUMENTS_SUPPLIED
        argued = decode_one(golden(f"hearing.arguments-concluded.{suffix}"), media_type)
        assert argued.hearing.stage is HearingStage.ARGUMENTS_CONCLUDED
        cognizance = decode_one(golden(f"order.cognizance.{suffix}"), media_type)
        assert isinstance(cognizance, OrderIssued)
        assert cognizance.order.kind is OrderKind.COGNIZANCE
        remand = decode_one(golden(f"order.remand-police.{suffix}"), media_type).order
        assert (remand.kind, remand.custody_kind, remand.until) == (
            OrderKind.REMAND,
            CustodyKind.POLICE,
            dt.date(2024, 9, 18),
        )
        extension = decode_one(golden(f"order.extension.{suffix}"), media_type).order
        assert (extension.provision, extension.until) == ("BNSS 232", dt.date(2025, 5, 20))
        stay = decode_one(golden(f"order.stay.{suffix}"), media_type).order
        assert (stay.kind, stay.provision, str(stay.issuing_court), stay.until) == (
            OrderKind.STAY,
            None,
            "MHHC01",
            dt.date(2025, 4, 7),
        )
        vacated = decode_one(golden(f"order.stay-vacated.{suffix}"), media_type).order
        assert vacated.kind is OrderKind.STAY_VACATED and str(vacated.issuing_court) == "MHHC01"


def test_an_order_without_the_clock_fields_reads_as_before() -> None:
    # Older messages stay valid: no stage, no custody kind, no provision or last day.
    bail = decode_one(golden("order.bail.json"), JSON).order
    assert (bail.custody_kind, bail.provision, bail.until) == (None, None, None)
    hearing = decode_one(golden("hearing.bns.xml"), XML).hearing
    assert (hearing.stage, hearing.next_stage) == (None, None)
