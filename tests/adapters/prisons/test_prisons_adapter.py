"""The e-Prisons adapter: the shared adapter contract suite, plus what is particular to prisons."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import feed_samples
import pytest
from contract_suite import (
    JSON,
    XML,
    AdapterContractSuite,
    Mutation,
    canonical_xml,
    numbered_feed_items,
)

from adapters.prisons import PrisonsAdapter
from canonical_model.entities import (
    AccusedVerdict,
    CourtOrder,
    Judgment,
    OrderKind,
    ReleaseReason,
    Sentence,
    Verdict,
)
from canonical_model.errors import ContractViolation, UnknownMessageType
from canonical_model.events import (
    CustodialDeathReported,
    CustodyEscapeReported,
    EventPayload,
    FirRegistered,
    InmateAdmitted,
    InmateReleased,
    InmateTransferred,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import Cnr, PrisonerNumber
from canonical_model.messages import FeedItem
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml
from gateway.cli import scenario

GOLDEN = Path(__file__).parent / "golden"
FEED_GOLDEN = GOLDEN / "feed"
NS = "urn:icjs:prisons:v1"


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def golden_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(golden(name))
    return document


def feed_payloads() -> list[EventPayload]:
    """A remand warrant, a production order, a bail order and a conviction, for one prison."""
    cnr = Cnr.parse("MHAU010012342026")
    inmate = PrisonerNumber.parse("YERAWADA_CP:UT/1234/2026")
    return [
        OrderIssued(
            order=CourtOrder(
                cnr=cnr,
                order_number="RO/77/2026",
                order_date=dt.date(2026, 8, 16),
                kind=OrderKind.REMAND,
                accused_refs=["A1"],
                prison="YERAWADA_CP",
                text="Remanded to judicial custody till 30-08-2026.",
            )
        ),
        OrderIssued(
            order=CourtOrder(
                cnr=cnr,
                order_number="PO/3/2026",
                order_date=dt.date(2026, 8, 29),
                kind=OrderKind.PRODUCTION,
                accused_refs=["A1"],
                appearance_date=dt.date(2026, 8, 30),
            ),
            inmates=[inmate],
        ),
        JudgmentDelivered(
            judgment=Judgment(
                cnr=cnr,
                judgment_date=dt.date(2027, 3, 10),
                verdicts=[
                    AccusedVerdict(
                        accused_ref="A1",
                        verdict=Verdict.CONVICTED,
                        offences=[{"act": "BNS", "section": "303(2)"}],
                        sentence=Sentence(imprisonment_months=36, fine_inr=5000),
                    )
                ],
            ),
            inmates=[inmate],
        ),
    ]


def feed_items() -> list[FeedItem]:
    return numbered_feed_items(
        feed_payloads(), recorded=dt.datetime(2026, 8, 16, 11, 0, tzinfo=dt.UTC)
    )


class TestPrisonsAdapter(AdapterContractSuite):
    adapter = PrisonsAdapter()
    golden_dir = GOLDEN
    contracts: ClassVar[dict[str, str]] = {
        name: f"prisons/v1/{name}"
        for name in ("admission", "production", "release", "transfer", "readmission", "conviction")
    }
    feed_contract = "prisons/v1/order-feed"
    #: The orders a prison does not act on (a driving licence's, the courts' clocks) and the
    #: other pillars' clocks reach no prison's feed, though the order concerns an inmate.
    unfiled: ClassVar[dict[str, frozenset[str]]] = {
        "order.issued": frozenset(
            {
                "licence_suspension",
                "licence_revocation",
                "cognizance",
                "extension",
                "stay",
                "stay_vacated",
            }
        ),
        "deadline.due_soon": frozenset({"police", "police-hours", "courts", "courts-hours"}),
        "deadline.breached": frozenset({"police", "police-hours", "courts", "courts-hours"}),
    }
    prefixes: ClassVar[dict[str, str]] = {NS: "p"}
    mutations = (
        # JSON: the contract catches these.
        Mutation("admission.undertrial.json", "remove", "/warrant", where="/", mentions="warrant"),
        Mutation("admission.undertrial.json", "set", "/category", "remand_prisoner"),
        Mutation("admission.undertrial.json", "set", "/warrant/cnr", "MHAU01-00X234-2026"),
        Mutation("admission.undertrial.json", "set", "/inmate/age", 200),
        Mutation("production.video.json", "set", "/mode", "telephone"),
        Mutation("release.bail.json", "set", "/releaseDate", "2026-02-30"),
        Mutation("release.bail.json", "set", "/reason", "pardon"),
        Mutation(
            "transfer.central.json", "remove", "/toPrisonCode", where="/", mentions="toPrisonCode"
        ),
        Mutation("readmission.parole.json", "set", "/after", "bail"),
        Mutation("conviction.sessions.json", "set", "/sentence/imprisonmentMonths", -1),
        Mutation("admission.undertrial.json", "set", "/prisonCode", "Yerawada CP"),
        # JSON: the translation catches these (domain rules the contract cannot say).
        Mutation(
            "admission.fir_only.json",
            "remove",
            "/warrant/firNo",
            where="/warrant",
            mentions="CNR or FIR",
        ),
        Mutation("release.bail.json", "remove", "/order", where="/", mentions="order"),
        Mutation(
            "transfer.central.json",
            "set",
            "/toPrisonCode",
            "HARSUL_CJ",
            where="/",
            mentions="another prison",
        ),
        Mutation("admission.undertrial.json", "set", "/warrant/firNo", "MH/AU/CIDCO/1700/0417"),
        Mutation(
            "release.death.json",
            "set",
            "/order",
            {"warrantType": "release", "courtEstablishment": "MHAU01", "orderDate": "2026-10-05"},
            mentions="no court order",
        ),
        # XML: the contract catches these.
        Mutation(
            "admission.undertrial.xml",
            "remove",
            "/p:admission/p:warrant",
            where="/p:admission",
            mentions="warrant",
        ),
        Mutation("production.video.xml", "set", "/p:production/p:productionDate", "30-08-2026"),
        Mutation("release.bail.xml", "set", "/p:release/p:reason", "pardon"),
        Mutation("conviction.sessions.xml", "set", "/p:conviction/p:warrant/p:cnr", "MH-AU"),
        # XML: the translation catches these.
        Mutation(
            "release.parole.xml",
            "remove",
            "/p:release/p:order",
            where="/p:release",
            mentions="order",
        ),
        Mutation(
            "admission.fir_only.xml",
            "remove",
            "/p:admission/p:warrant/p:firNo",
            where="/p:admission/p:warrant",
            mentions="CNR or FIR",
        ),
    )
    unknown_type_samples = (
        (
            json.dumps(golden_json("release.bail.json") | {"messageType": "pardon"}).encode(),
            JSON,
            "/messageType",
        ),
        (
            json.dumps(
                {k: v for k, v in golden_json("release.bail.json").items() if k != "messageType"}
            ).encode(),
            JSON,
            "/messageType",
        ),
        (b'<pardon xmlns="urn:icjs:prisons:v1"/>', XML, "/p:pardon"),
        (b'<admission xmlns="urn:icjs:courts:v1"/>', XML, "admission"),
    )

    def feed_payloads(self) -> list[EventPayload]:
        """The prison feed carries court events, which no prison golden holds."""
        return feed_payloads()


# -- what is particular to prisons --------------------------------------------------------

ADAPTER = PrisonsAdapter()


def test_admission_joins_prison_code_and_number_into_one_prisoner_number() -> None:
    (payload,) = ADAPTER.decode(golden("admission.undertrial.json"), media_type=JSON).payloads
    assert isinstance(payload, InmateAdmitted)
    assert payload.admission.inmate.prisoner == PrisonerNumber.parse("YERAWADA_CP:UT/1234/2026")
    assert payload.needs() == ["cnr:MHAU010012342026", "fir:MH/AU/CIDCO/2026/0417"]
    assert payload.introduces() == ["prisoner:YERAWADA_CP:UT/1234/2026"]


def test_an_admission_on_an_fir_alone_needs_the_fir() -> None:
    (payload,) = ADAPTER.decode(golden("admission.fir_only.xml"), media_type=XML).payloads
    assert payload.needs() == ["fir:MH/AU/WALUJ/2026/0090"]


@pytest.mark.parametrize(
    ("name", "event"),
    [("release.death", CustodialDeathReported), ("release.escape", CustodyEscapeReported)],
)
def test_death_and_escape_are_events_of_their_own(name: str, event: type[EventPayload]) -> None:
    for suffix, media_type in ((".json", JSON), (".xml", XML)):
        (payload,) = ADAPTER.decode(golden(name + suffix), media_type=media_type).payloads
        assert isinstance(payload, event)
        assert payload.needs() == ["prisoner:YERAWADA_CP:UT/1234/2026"]
    death = ADAPTER.decode(golden("release.death.json"), media_type=JSON).payloads[0]
    if isinstance(death, CustodialDeathReported):
        assert "BNSS s.196" in death.summary()


def test_a_release_on_bail_keeps_its_order_and_finds_the_case_by_it() -> None:
    (payload,) = ADAPTER.decode(golden("release.bail.xml"), media_type=XML).payloads
    assert isinstance(payload, InmateReleased)
    assert payload.release.reason is ReleaseReason.BAIL
    assert payload.needs() == ["cnr:MHAU010012342026", "prisoner:YERAWADA_CP:UT/1234/2026"]


def test_a_transfer_introduces_the_number_at_the_receiving_prison() -> None:
    (payload,) = ADAPTER.decode(golden("transfer.central.json"), media_type=JSON).payloads
    assert isinstance(payload, InmateTransferred)
    assert payload.needs() == ["prisoner:HARSUL_CJ:UT/88/2026"]
    assert payload.introduces() == ["prisoner:YERAWADA_CP:UT/1301/2026"]


def test_a_bad_prisoner_number_is_located_at_the_number() -> None:
    document = golden_json("production.video.json") | {"prisonerNumber": "UT/1234/\u00002026"}
    with pytest.raises(ContractViolation) as caught:
        ADAPTER.decode(json.dumps(document).encode(), media_type=JSON)
    assert any(p.location == "/prisonerNumber" for p in caught.value.problems)


def test_orders_go_to_the_prison_they_name_else_where_the_accused_is_held() -> None:
    remand, production, judgment = feed_payloads()
    assert ADAPTER.feed_institution(remand) == "YERAWADA_CP"
    assert ADAPTER.feed_institution(production) == "YERAWADA_CP"
    assert ADAPTER.feed_institution(judgment) == "YERAWADA_CP"
    nowhere = OrderIssued(order=remand.order.model_copy(update={"prison": None}))  # type: ignore[attr-defined]
    assert ADAPTER.feed_institution(nowhere) is None
    assert ADAPTER.feed_institution(FirRegistered.model_validate(_fir())) is None


@pytest.mark.parametrize("suffix", [".json", ".xml"])
def test_feed_page_matches_its_golden(suffix: str) -> None:
    media_type = JSON if suffix == ".json" else XML
    body = ADAPTER.encode_feed(
        feed_items(), institution="YERAWADA_CP", next_cursor="3", media_type=media_type
    )
    expected = (FEED_GOLDEN / f"order_feed.yerawada{suffix}").read_bytes()
    if suffix == ".json":
        assert json.loads(body) == json.loads(expected)
        assert validate_json("prisons/v1/order-feed.schema.json", parse_json(body)) == []
    else:
        assert canonical_xml(body) == canonical_xml(expected)
        assert validate_xml("prisons/v1/order-feed.xsd", parse_xml(body)) == []


@pytest.mark.parametrize("media_type", [JSON, XML])
def test_a_committal_tells_the_prison_the_court_it_now_produces_before(media_type: str) -> None:
    committal = feed_samples.order(OrderKind.COMMITTAL)
    assert ADAPTER.feed_institutions(committal) == (scenario.PRISON,)
    (item,) = numbered_feed_items([committal], recorded=dt.datetime(2026, 8, 29, tzinfo=dt.UTC))
    body = ADAPTER.encode_feed(
        [item], institution=scenario.PRISON, next_cursor=None, media_type=media_type
    )
    if media_type == JSON:
        entry = json.loads(body)["items"][0]["courtOrder"]
        assert (entry["orderType"], entry["toCourt"]) == ("committal", "MHAU02")
    else:
        entry = parse_xml(body).find(f"{{{NS}}}item/{{{NS}}}courtOrder")
        assert entry is not None
        assert entry.findtext(f"{{{NS}}}orderType") == "committal"
        assert entry.findtext(f"{{{NS}}}toCourt") == "MHAU02"


@pytest.mark.parametrize("media_type", [JSON, XML])
def test_a_licence_order_filed_before_the_fix_still_reads_within_the_contract(
    media_type: str,
) -> None:
    """A court's licence suspension concerning an inmate went to the prison's feed before the
    feed kept to the orders a prison acts on; the entry already filed is written as an order of
    another kind, with the court's words, so the page still satisfies the contract."""
    suspension = feed_samples.order(OrderKind.LICENCE_SUSPENSION)
    assert ADAPTER.feed_institutions(suspension) == ()
    (item,) = numbered_feed_items([suspension], recorded=dt.datetime(2026, 8, 29, tzinfo=dt.UTC))
    body = ADAPTER.encode_feed(
        [item], institution=scenario.PRISON, next_cursor=None, media_type=media_type
    )
    if media_type == JSON:
        assert validate_json("prisons/v1/order-feed.schema.json", parse_json(body)) == []
        entry = json.loads(body)["items"][0]["courtOrder"]
        assert entry["orderType"] == "other"
        assert entry["orderText"] == suspension.order.text
    else:
        assert validate_xml("prisons/v1/order-feed.xsd", parse_xml(body)) == []


def test_the_feed_refuses_an_event_it_does_not_carry() -> None:
    (admitted,) = ADAPTER.decode(golden("admission.undertrial.json"), media_type=JSON).payloads
    item = FeedItem(
        cursor="1",
        case_id="case_1",
        event_id="evt_1",
        recorded_at=dt.datetime(2026, 8, 16, tzinfo=dt.UTC),
        payload=admitted,
    )
    with pytest.raises(UnknownMessageType):
        ADAPTER.encode_feed([item], institution="YERAWADA_CP", next_cursor=None, media_type=JSON)


def _fir() -> dict[str, Any]:
    return {
        "fir": {
            "fir": "MH/AU/CIDCO/2026/0417",
            "registered_at": "2026-08-14T21:40:00+05:30",
            "place": {"description": "CIDCO N-5"},
            "complainant": {"ref": "C1", "name": "Asha Patil"},
            "offences": [{"act": "BNS", "section": "303(2)"}],
        }
    }
