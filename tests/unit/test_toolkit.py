"""The shared adapter toolkit on its own: a minimal adapter over the courts' hearing contract
(and the courts' field table for it), decoded, located, written and paged without the courts'
adapter code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from adapters.courts.formats import HEARING_FIELDS
from canonical_model.errors import ContractViolation, UnknownMessageType, UnsupportedMediaType
from canonical_model.events import EventPayload, HearingRecorded
from canonical_model.messages import FeedItem
from contracts.loader import parse_xml
from contracts.toolkit import (
    Document,
    Format,
    Pillar,
    ToolkitAdapter,
    Translation,
    document_fields,
    not_carried,
    read_xml,
    typed,
    xml_locator,
)

GOLDEN = Path(__file__).resolve().parents[1] / "adapters" / "courts" / "golden"
FOLDER = "courts/v1"
HEARING = Format("hearing", "hearing", "hearing", FOLDER)
PILLAR = Pillar(
    name="toy",
    noun="toy court",
    speakers="toy courts",
    namespace="urn:icjs:courts:v1",
    prefix="c",
    contract_folder=FOLDER,
    messages=(HEARING,),
    feed=Format("hearing_feed", "hearingFeed", "none", FOLDER),
    institution_member="court",
    containers=frozenset({"judge"}),
)


def _hearing(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
    # A rule of the toy pillar, so that a translator's own problem is located too.
    if str(doc.get("nextDate", "9")) < str(doc["hearingDate"]):
        t.problem("/nextDate", "the next date is before the hearing")
    return HearingRecorded, {"hearing": t.shape(doc, "", ("hearing",), HEARING_FIELDS)}


class ToyAdapter(ToolkitAdapter):
    """Hearings only, in the courts' own contract."""

    pillar = "toy"
    description = PILLAR
    translators = {HEARING.message_type: _hearing}

    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """A hearing as the courts write it."""
        if not isinstance(payload, HearingRecorded):
            raise not_carried(PILLAR, payload, [HearingRecorded.name])
        data = payload.hearing.model_dump(mode="json")
        return HEARING.root, typed(HEARING, document_fields(data, HEARING_FIELDS))

    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """A hearing on the feed."""
        return "hearing", self.document(item.payload, case_id=item.case_id)[1]

    def feed_institution(self, payload: EventPayload) -> str | None:
        """Nobody's."""
        return None


@pytest.mark.parametrize("syntax", ["json", "xml"])
def test_a_golden_file_round_trips_byte_for_byte(syntax: str) -> None:
    adapter = ToyAdapter()
    body = (GOLDEN / f"hearing.bns.{syntax}").read_bytes()
    decoded = adapter.decode(body, media_type=f"application/{syntax}")
    assert decoded.message_type == "hearing"
    assert adapter.sniff_type(body, media_type=f"application/{syntax}") == "hearing"
    assert adapter.encode(decoded.payloads[0], media_type=f"application/{syntax}") == body


def test_errors_are_located_in_the_senders_document_and_named_by_the_pillar() -> None:
    adapter = ToyAdapter()
    document = json.loads((GOLDEN / "hearing.bns.json").read_bytes()) | {"nextDate": "2024-12-31"}
    with pytest.raises(ContractViolation) as caught:
        adapter.decode(json.dumps(document).encode(), media_type="application/json")
    assert [p.location for p in caught.value.problems] == ["/nextDate"]
    assert str(caught.value).startswith("the hearing message is not acceptable: /nextDate: ")
    xml = (GOLDEN / "hearing.bns.xml").read_bytes()
    with pytest.raises(ContractViolation) as caught:
        adapter.decode(xml.replace(b"2025-02-05", b"2024-12-31"), media_type="application/xml")
    assert [p.location for p in caught.value.problems] == ["/c:hearing/c:nextDate"]
    root = parse_xml(xml)
    tree, locations = read_xml(root, PILLAR)
    assert tree["messageType"] == "hearing" and tree["judge"]["judgeCode"] == "MH0412"
    locate = xml_locator(locations)
    assert locate("/judge/name") == "/c:hearing/c:judge/c:name"
    assert locate("/judge/nothing/below") == "/c:hearing/c:judge"
    with pytest.raises(UnsupportedMediaType, match=r"^toy courts speak application/json"):
        adapter.decode(b"{}", media_type="text/plain")
    with pytest.raises(UnknownMessageType, match="unknown toy court message type"):
        adapter.decode(b'{"messageType": "order"}', media_type="application/json")


def test_a_feed_page_has_the_shared_skeleton() -> None:
    adapter = ToyAdapter()
    payload = adapter.decode(
        (GOLDEN / "hearing.bns.json").read_bytes(), media_type="application/json"
    ).payloads[0]
    item = FeedItem(
        cursor="7",
        case_id="case-1",
        event_id="event-1",
        recorded_at=dt.datetime(2026, 1, 2, 3, 4, 5),
        payload=payload,
    )
    page = json.loads(
        adapter.encode_feed(
            [item], institution="MHAU01", next_cursor=None, media_type="application/json"
        )
    )
    assert list(page) == ["court", "items", "nextCursor"]
    assert page["items"][0]["recordedAt"] == "2026-01-02T03:04:05+00:00"
    assert page["items"][0]["hearing"]["cnr"] == "MHAU010012342024"
    xml = adapter.encode_feed(
        [item], institution="MHAU01", next_cursor=None, media_type="application/xml"
    )
    assert b"<hearingFeed" in xml and b"nextCursor" not in xml
