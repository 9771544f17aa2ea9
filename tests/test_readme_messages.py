"""The README's "Messages of every pillar, by example" (issue 14): every example in it is a
document the gateway takes (checked by the conformance kit, as ``icjs contracts check`` checks
it), and every message a pillar may send and every kind of entry its feed carries has one.

Each example is a fenced block marked by the comment line before it,
``<!-- example: <pillar> <in|out> <type> -->``: ``in`` a message the pillar sends (``<type>``
its message type), followed by the curl line that posts it; ``out`` a page of the pillar's feed
(``<type>`` the member of the entries it shows, ``chargeSheet``), preceded by the curl line that
reads it. What must be covered is read from the adapters and the policies, never listed here,
so that a pillar gaining a message type, or its feed contract an entry, fails this test until
the README shows one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from canonical_model.errors import FatalError
from canonical_model.events import EventPayload, FirRegistered
from canonical_model.messages import FeedItem
from contracts.loader import CONTRACTS_DIR
from contracts.toolkit.feeds import feed_page
from contracts.toolkit.formats import FEED_ITEMS, Pillar
from gateway.api.responses import Verification
from gateway.cli import scenario
from gateway.services.conformance import JSON, POLICE, XML, check_document
from gateway.services.ingest.authorisation import decode_message
from gateway.services.policies import PolicyRegistry
from gateway.services.registry import AdapterRegistry

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HEADING = "## Messages of every pillar, by example"
#: The verifiers send no message: their example is the answer to their one question.
VERIFIER = "verifier"

_BLOCK = re.compile(
    r"(?:<!-- example: (?P<mark>[^>]*?) -->\n)?```(?P<lang>[a-z]*)\n(?P<body>.*?)\n```",
    re.DOTALL,
)
_MARK = re.compile(r"(?P<pillar>[a-z_]+) (?P<direction>in|out) (?P<kind>[A-Za-z_.]+)")
_MEDIA = {"json": JSON, "xml": XML}
#: The CNR with dashes (MHAU01-000417-2026): the README writes the 16 characters only.
_DASHED_CNR = re.compile(r"\b[A-Z]{4}[0-9]{2}-[0-9]{6}-[0-9]{4}\b")


@dataclass(frozen=True)
class Example:
    """One marked example of the section, with the curl line that goes with it."""

    pillar: str
    direction: str
    kind: str
    media_type: str
    body: str
    curl: str
    number: int

    @property
    def id(self) -> str:
        """A test id: ``courts-in-hearing-xml-3``."""
        syntax = "xml" if self.media_type == XML else "json"
        return f"{self.pillar}-{self.direction}-{self.kind}-{syntax}-{self.number}"


def section() -> str:
    """The section's text, from its heading to the next heading of its level."""
    text = README.read_text(encoding="utf-8")
    start = text.find("\n" + HEADING + "\n")
    assert start >= 0, f"README.md has no section {HEADING!r}"
    end = text.find("\n## ", start + len(HEADING) + 2)
    return text[start : end if end >= 0 else len(text)]


@cache
def examples() -> tuple[Example, ...]:
    """Every marked example of the section, in order."""
    blocks = list(_BLOCK.finditer(section()))
    found: list[Example] = []
    for index, block in enumerate(blocks):
        mark = block["mark"]
        if mark is None:
            continue
        parsed = _MARK.fullmatch(mark)
        assert parsed, f"example mark {mark!r}: expected '<pillar> <in|out> <type>'"
        assert block["lang"] in _MEDIA, f"example {mark!r} is a {block['lang']!r} block"
        # The curl line posts a message (after it) or reads a feed (before it).
        beside = index + 1 if parsed["direction"] == "in" else index - 1
        curl = blocks[beside] if 0 <= beside < len(blocks) else None
        found.append(
            Example(
                pillar=parsed["pillar"],
                direction=parsed["direction"],
                kind=parsed["kind"],
                media_type=_MEDIA[block["lang"]],
                body=block["body"],
                curl=curl["body"] if curl is not None and curl["lang"] == "sh" else "",
                number=len(found),
            )
        )
    return tuple(found)


@cache
def adapters() -> AdapterRegistry:
    """The installed adapters, as the gateway loads them."""
    return AdapterRegistry.from_entry_points()


@cache
def policies() -> PolicyRegistry:
    """The policies of every pillar a key may be made for."""
    return PolicyRegistry.from_adapters(adapters())


def of(direction: str, pillar: str | None = None) -> list[Example]:
    """The examples of one direction (of one pillar), verifiers' answers left out."""
    return [
        e
        for e in examples()
        if e.direction == direction and e.pillar != VERIFIER and pillar in (None, e.pillar)
    ]


def description(pillar: str) -> Pillar:
    """The toolkit's description of a built-in adapter's formats."""
    found = getattr(adapters().get(pillar), "description", None)
    assert isinstance(found, Pillar), f"{pillar}: adapter without a toolkit description"
    return found


def feed_pillars() -> list[str]:
    """The pillars with a feed."""
    return [a.pillar for a in adapters() if a.feed_event_types]


@cache
def envelope() -> frozenset[str]:
    """The members every feed item has before its entry, as the toolkit writes them."""
    # The entry writer below never reads the event: any will do.
    payload = FirRegistered.model_validate(scenario.fir_registered(scenario.refs(417))["data"])
    item = FeedItem("1", "case_1", "evt_1", dt.datetime.now(dt.UTC), payload)
    page = feed_page(
        [item],
        institution="X",
        next_cursor=None,
        pillar=description(feed_pillars()[0]),
        entry=lambda _item: ("entry", {}),
    )
    return frozenset(page[FEED_ITEMS][0]) - {"entry"}


def entry_kinds(pillar: str) -> set[str]:
    """The members a feed item of ``pillar`` holds its entry in, from its feed contract: the
    alternatives of its ``oneOf``, or (one kind of entry) what is not the envelope."""
    contract = CONTRACTS_DIR / description(pillar).feed.json_contract
    item = json.loads(contract.read_text(encoding="utf-8"))["properties"][FEED_ITEMS]["items"]
    if "oneOf" in item:
        return {name for option in item["oneOf"] for name in option["required"]}
    return set(item["properties"]) - envelope()


def entries(example: Example) -> Iterator[tuple[str, Any]]:
    """(member, document) of each entry of each item of a feed page example (for XML the
    element's local name, and its element)."""
    kinds = entry_kinds(example.pillar)
    if example.media_type == JSON:
        for item in json.loads(example.body)[FEED_ITEMS]:
            yield from ((member, value) for member, value in item.items() if member in kinds)
        return
    for item in etree.fromstring(example.body.encode()):
        if etree.QName(item).localname == "item":
            for child in item:
                if etree.QName(child).localname in kinds:
                    yield etree.QName(child).localname, child


def payloads(example: Example) -> list[EventPayload]:
    """The canonical events a message example amounts to; none for an invalid one (which
    fails its own test)."""
    try:
        decoded = decode_message(
            adapters(),
            pillar=example.pillar,
            body=example.body.encode(),
            media_type=example.media_type,
        )
    except FatalError:
        return []
    return list(decoded.payloads)


def verdict_of(example: Example, *, outbound: bool) -> Any:
    return check_document(
        adapters=adapters(),
        pillar=example.pillar,
        body=example.body.encode(),
        media_type=example.media_type,
        outbound=outbound,
    )


# -- the section -----------------------------------------------------------------------


def test_the_section_has_examples_of_known_pillars_and_no_dashed_cnr() -> None:
    assert len(of("in")) >= 10 and len(of("out")) >= 5, "the section lost its examples"
    for example in examples():
        assert example.pillar in policies(), f"example {example.id}: no pillar {example.pillar!r}"
    assert not _DASHED_CNR.findall(section()), "write the CNR in its 16 characters"


# -- messages the pillars send -----------------------------------------------------------


@pytest.mark.parametrize("example", of("in"), ids=lambda e: e.id)
def test_every_message_example_is_valid_and_of_its_type(example: Example) -> None:
    verdict = verdict_of(example, outbound=False)
    assert verdict.valid, json.dumps(verdict.as_dict(), indent=2)
    assert verdict.message_type == example.kind, f"marked {example.kind!r}"


@pytest.mark.parametrize("example", of("in"), ids=lambda e: e.id)
def test_every_message_example_has_the_curl_line_that_posts_it(example: Example) -> None:
    curl = example.curl
    assert f"localhost:8000/v1/{example.pillar}/messages " in curl, curl or "no curl line after it"
    assert f"-H 'Content-Type: {example.media_type}'" in curl, curl
    assert '-H "Authorization: Bearer $' in curl, curl
    posted = re.search(r"--data-binary @(\S+)", curl)
    assert posted, curl
    suffix = ".xml" if example.media_type == XML else ".json"
    assert posted[1].endswith(suffix), curl
    # An example naming a file of the repository (a golden file) is that file.
    source = ROOT / posted[1]
    if source.is_file():
        text = source.read_text(encoding="utf-8")
        if example.media_type == JSON:
            assert json.loads(example.body) == json.loads(text), f"differs from {posted[1]}"
        else:
            assert example.body.strip() == text.strip(), f"differs from {posted[1]}"


def test_every_message_type_of_every_pillar_has_an_example() -> None:
    missing: list[str] = []
    for pillar in policies():
        policy = policies().get(pillar)
        if not policy.message_types:
            continue  # operators and verifiers send no message
        declared = (
            policy.message_types
            if pillar == POLICE
            else adapters().get(pillar).inbound_message_types
        )
        shown = {e.kind for e in of("in", pillar)}
        missing += [f"{pillar} {kind}" for kind in declared if kind not in shown]
        # Every canonical event the pillar may send is what one of its examples amounts to
        # (a prison's `release` is custody.released, custody.death or custody.escape).
        events = {payload.name for e in of("in", pillar) for payload in payloads(e)}
        missing += [
            f"{pillar} (event {name})" for name in policy.message_types if name not in events
        ]
    assert not missing, f"README.md {HEADING!r} has no example of: {', '.join(missing)}"


# -- documents the gateway gives them ------------------------------------------------------


@pytest.mark.parametrize("example", of("out"), ids=lambda e: e.id)
def test_every_feed_example_is_a_valid_page_of_entries_of_its_kind(example: Example) -> None:
    verdict = verdict_of(example, outbound=True)
    assert verdict.valid, json.dumps(verdict.as_dict(), indent=2)
    assert verdict.message_type == description(example.pillar).feed.message_type
    kinds = [member for member, _ in entries(example)]
    assert kinds, f"{example.id}: a page without entries"
    assert set(kinds) == {example.kind}, f"marked {example.kind!r}, entries {kinds}"


@pytest.mark.parametrize("example", of("out"), ids=lambda e: e.id)
def test_every_feed_example_has_the_curl_line_that_reads_it(example: Example) -> None:
    member = description(example.pillar).institution_member
    if example.media_type == JSON:
        institution = json.loads(example.body)[member]
    else:
        root = etree.fromstring(example.body.encode())
        institution = root.findtext(f"{{{description(example.pillar).namespace}}}{member}")
    parameter = adapters().get(example.pillar).policy.feed_parameter
    curl = example.curl
    assert f"localhost:8000/v1/{example.pillar}/feed?{parameter}={institution}'" in curl, (
        curl or "no curl line before it"
    )
    assert f"-H 'Accept: {example.media_type}'" in curl, curl
    assert '-H "Authorization: Bearer $' in curl, curl


def test_every_kind_of_feed_entry_and_outbound_document_has_an_example() -> None:
    missing: list[str] = []
    for pillar in feed_pillars():
        shown = of("out", pillar)
        missing += [
            f"{pillar} feed entry {kind}"
            for kind in sorted(entry_kinds(pillar))
            if kind not in {e.kind for e in shown}
        ]
        # The documents of the pillar's own formats that the gateway sends it (a court's
        # charge sheet, a registry's vehicle flag) are entries of the pages: each one shown
        # is checked on its own, as `icjs contracts check --outbound` checks it.
        documents: set[str] = set()
        for example in shown:
            if example.media_type != JSON:
                continue
            for member, document in entries(example):
                if isinstance(document, dict) and "messageType" in document:
                    verdict = check_document(
                        adapters=adapters(),
                        pillar=pillar,
                        body=json.dumps(document).encode(),
                        media_type=JSON,
                        outbound=True,
                    )
                    assert verdict.valid, (example.id, member, verdict.as_dict())
                    documents.add(str(verdict.message_type))
        inbound = set(adapters().get(pillar).inbound_message_types)
        sent = {f.message_type for f in description(pillar).messages} - inbound
        missing += [f"{pillar} document {kind}" for kind in sorted(sent - documents)]
    assert not missing, f"README.md {HEADING!r} has no example of: {', '.join(missing)}"


# -- the verifiers' question ---------------------------------------------------------------


def test_the_verifiers_answer_is_the_answer_the_api_gives() -> None:
    answers = [e for e in examples() if e.pillar == VERIFIER]
    assert answers, "the verifiers' question has no example"
    for example in answers:
        assert example.media_type == JSON
        Verification.model_validate_json(example.body)
        assert "localhost:8000/v1/persons/verify?" in example.curl, example.curl
        assert '-H "Authorization: Bearer $VERIFIER"' in example.curl, example.curl
