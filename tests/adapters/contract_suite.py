"""The contract every pillar adapter must keep, as a reusable test class.

A pillar's test module subclasses :class:`AdapterContractSuite` and sets
``adapter``, ``golden_dir``, ``contracts`` and its bad samples; every test below
then runs against that adapter. Golden files are named
``<message_type>.<variant>.json|xml``; a JSON and an XML golden with the same
stem carry the same message and must decode to equal canonical payloads.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from feed_samples import feed_samples, sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from canonical_model.errors import (
    ContractViolation,
    FatalError,
    IcjsError,
    MalformedMessage,
    UnknownMessageType,
    UnsupportedMediaType,
)
from canonical_model.events import EventPayload
from canonical_model.messages import DecodedMessage, FeedItem
from contracts.loader import parse_json, parse_xml, validate_json, validate_xml

JSON = "application/json"
XML = "application/xml"
MEDIA_TYPES = {".json": JSON, ".xml": XML}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<x>&secret;</x>
"""

DOCTYPE_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">
<x/>
"""


@dataclass(frozen=True)
class Mutation:
    """A contract-breaking change to a golden file and where the error must be located.

    ``target`` is a JSON pointer (JSON goldens) or an XPath using the suite's
    ``prefixes`` (XML goldens). ``action`` is ``remove`` or ``set`` (to
    ``value``). At least one problem's location must contain ``where``
    (default: ``target``) and its location or message must contain ``mentions``.
    """

    golden: str
    action: str
    target: str
    value: Any = None
    expect: type[IcjsError] = ContractViolation
    where: str | None = None
    mentions: str = ""

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.golden}:{self.action}:{self.target}"


def _pointer_parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


def mutate_json(document: Any, action: str, pointer: str, value: Any = None) -> Any:
    """Remove or set the member at ``pointer`` of a (copied) JSON document."""
    document = json.loads(json.dumps(document))
    *parents, last = _pointer_parts(pointer)
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if action == "remove":
        del node[key]
    else:
        node[key] = value
    return document


def mutate_xml(
    body: bytes, action: str, xpath: str, prefixes: Mapping[str, str], value: Any = None
) -> bytes:
    """Remove or set the text of the element at ``xpath`` of an XML document."""
    root = etree.fromstring(body)
    found = root.getroottree().xpath(xpath, namespaces={p: ns for ns, p in prefixes.items()})
    assert isinstance(found, list) and found, f"{xpath} selects nothing"
    node = found[0]
    assert isinstance(node, etree._Element)
    if action == "remove":
        parent = node.getparent()
        assert parent is not None
        parent.remove(node)
    else:
        node.text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def numbered_feed_items(payloads: list[EventPayload], *, recorded: dt.datetime) -> list[FeedItem]:
    """Feed items 1, 2, ... of ``payloads``, with stable ids, recorded a day apart from
    ``recorded``: the fixed input of a feed page golden file."""
    return [
        FeedItem(
            cursor=str(n),
            case_id=f"case_01JC8W3T5V9QZK2R7M4N6P8D{n}F",
            event_id=f"evt_01JC8W3T5V9QZK2R7M4N6P8D{n}F",
            recorded_at=recorded + dt.timedelta(days=n),
            payload=payload,
        )
        for n, payload in enumerate(payloads, start=1)
    ]


def canonical_xml(body: bytes) -> str:
    """C14N 2.0 of a document, whitespace-only text dropped: what XML goldens compare by."""
    # lxml-stubs do not declare canonicalize (it is Any there); without ``out`` it is the text.
    canonical: str = etree.canonicalize(body.decode("utf-8"), strip_text=True, with_comments=False)
    return canonical


class AdapterContractSuite:
    """Tests every adapter must pass. Subclass as ``Test<Pillar>Adapter`` and set the attributes."""

    #: The adapter under test.
    adapter: ClassVar[Any]
    #: Folder of golden files ``<message_type>.<variant>.json|xml``.
    golden_dir: ClassVar[Path]
    #: Contract name without suffix for each message type, e.g. ``"courts/v1/hearing"``.
    contracts: ClassVar[dict[str, str]]
    #: Contract (without suffix) of the adapter's feed page, if it serves a feed.
    feed_contract: ClassVar[str | None] = None
    #: Namespace URI -> prefix for XPaths in ``mutations`` and problem locations.
    prefixes: ClassVar[dict[str, str]] = {}
    #: Contract-breaking changes to goldens, each with where its error must be located.
    mutations: ClassVar[tuple[Mutation, ...]] = ()
    #: Bodies naming a message type the pillar does not have: (body, media type, location fragment).
    unknown_type_samples: ClassVar[tuple[tuple[bytes, str, str], ...]] = ()
    #: A media type the pillar does not speak.
    unsupported_media_type: ClassVar[str] = "text/plain"
    #: The samples of the feed's event types (``feed_samples.SAMPLES``, by event type: variant
    #: ids) that go to no feed of this pillar; every other sample goes to at least one.
    unfiled: ClassVar[dict[str, frozenset[str]]] = {}

    # -- collection ---------------------------------------------------------------------

    @classmethod
    def goldens(cls) -> list[Path]:
        """Every golden file, sorted."""
        return sorted(p for p in cls.golden_dir.iterdir() if p.suffix in MEDIA_TYPES)

    @classmethod
    def golden_pairs(cls) -> list[tuple[Path, Path]]:
        """(JSON, XML) goldens of the same message."""
        files = {p.name for p in cls.goldens()}
        return [
            (p, p.with_suffix(".xml"))
            for p in cls.goldens()
            if p.suffix == ".json" and p.with_suffix(".xml").name in files
        ]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrise ``golden``, ``pair`` and ``mutation`` arguments from the class attributes."""
        if "golden" in metafunc.fixturenames:
            goldens = self.goldens()
            metafunc.parametrize("golden", goldens, ids=[p.name for p in goldens])
        if "pair" in metafunc.fixturenames:
            pairs = self.golden_pairs()
            metafunc.parametrize("pair", pairs, ids=[p.stem for p, _ in pairs])
        if "mutation" in metafunc.fixturenames:
            metafunc.parametrize("mutation", self.mutations, ids=[m.id for m in self.mutations])
        if "feed_sample" in metafunc.fixturenames:
            samples = feed_samples(self.adapter.feed_event_types)
            metafunc.parametrize("feed_sample", samples, ids=[f"{e}:{v}" for e, v in samples])

    # -- hooks ------------------------------------------------------------------------------

    @staticmethod
    def message_type(golden: Path) -> str:
        """The message type a golden file is named for."""
        return golden.name.split(".", 1)[0]

    def contract(self, golden: Path) -> str:
        """The contract a golden file must satisfy."""
        base = self.contracts[self.message_type(golden)]
        return base + (".schema.json" if golden.suffix == ".json" else ".xsd")

    def encode_options(self, golden: Path) -> dict[str, Any]:
        """Extra keyword arguments ``encode`` needs to reproduce ``golden`` (none by default)."""
        return {}

    def written_form(self, golden: Path) -> bytes:
        """What ``encode`` writes for a decoded golden: the golden itself, unless the pillar
        normalises what the golden spells loosely (identifiers in any spelling)."""
        return golden.read_bytes()

    def decode(self, body: bytes, media_type: str) -> DecodedMessage:
        """Decode through the adapter, checking the result's shape."""
        decoded = self.adapter.decode(body, media_type=media_type)
        assert isinstance(decoded, DecodedMessage)
        return decoded

    def decode_golden(self, golden: Path) -> DecodedMessage:
        """Decode a golden file."""
        return self.decode(golden.read_bytes(), MEDIA_TYPES[golden.suffix])

    def rejects(self, body: bytes, media_type: str, expect: type[IcjsError]) -> IcjsError:
        """Decode must raise ``expect`` with every problem located and described."""
        with pytest.raises(expect) as caught:
            self.decode(body, media_type)
        error = caught.value
        assert error.problems, f"{type(error).__name__} without located problems: {error.message}"
        assert all(p.location and p.message for p in error.problems), error.problems
        return error

    # -- the goldens --------------------------------------------------------------------

    def test_every_inbound_message_type_has_goldens_in_every_format(self) -> None:
        names = {p.name for p in self.goldens()}
        for message_type in self.adapter.inbound_message_types:
            for suffix in MEDIA_TYPES:
                assert any(
                    n.startswith(f"{message_type}.") and n.endswith(suffix) for n in names
                ), f"no {suffix} golden for {message_type}"

    def test_golden_satisfies_its_contract(self, golden: Path) -> None:
        body = golden.read_bytes()
        if golden.suffix == ".json":
            assert validate_json(self.contract(golden), parse_json(body)) == []
        else:
            assert validate_xml(self.contract(golden), parse_xml(body)) == []

    def test_golden_decodes_to_canonical_events(self, golden: Path) -> None:
        decoded = self.decode_golden(golden)
        assert decoded.message_type == self.message_type(golden)
        assert decoded.payloads
        assert all(isinstance(p, EventPayload) for p in decoded.payloads)

    def test_golden_survives_decode_then_encode(self, golden: Path) -> None:
        media_type = MEDIA_TYPES[golden.suffix]
        (payload,) = self.decode_golden(golden).payloads
        body = self.adapter.encode(payload, media_type=media_type, **self.encode_options(golden))
        expected = self.written_form(golden)
        if golden.suffix == ".json":
            assert json.loads(body) == json.loads(expected)
        else:
            assert canonical_xml(body) == canonical_xml(expected)
        assert (
            self.adapter.encode(payload, media_type=media_type, **self.encode_options(golden))
            == body
        )

    def test_json_and_xml_goldens_carry_the_same_message(self, pair: tuple[Path, Path]) -> None:
        as_json, as_xml = (self.decode_golden(p) for p in pair)
        assert as_json.message_type == as_xml.message_type
        assert as_json.payloads == as_xml.payloads

    def test_canonical_payload_round_trips_through_json(self, golden: Path) -> None:
        for payload in self.decode_golden(golden).payloads:
            data = payload.model_dump(mode="json")
            again = type(payload).model_validate(json.loads(json.dumps(data)))
            assert again == payload
            assert again.model_dump(mode="json") == data

    def test_sniffing_names_the_message_type(self, golden: Path) -> None:
        sniffed = self.adapter.sniff_type(
            golden.read_bytes(), media_type=MEDIA_TYPES[golden.suffix]
        )
        assert sniffed == self.message_type(golden)

    # -- rejection ---------------------------------------------------------------------------

    def test_malformed_json_is_located_by_line_and_column(self) -> None:
        error = self.rejects(b'{\n  "messageType": "x",\n  oops\n}', JSON, MalformedMessage)
        assert any(p.location.startswith("line 3 column") for p in error.problems), error.problems

    def test_json_that_is_not_utf8_is_malformed(self) -> None:
        self.rejects(b'{"messageType": "\xff"}', JSON, MalformedMessage)

    def test_malformed_xml_is_located_by_line(self) -> None:
        golden = next(p for p in self.goldens() if p.suffix == ".xml")
        body = golden.read_bytes()
        error = self.rejects(body[: len(body) // 2], XML, MalformedMessage)
        assert all(p.location.startswith("line ") for p in error.problems), error.problems

    def test_xml_with_a_doctype_is_refused(self) -> None:
        error = self.rejects(DOCTYPE_ONLY, XML, MalformedMessage)
        assert "DOCTYPE" in error.message

    def test_entity_expansion_bomb_fails_fast(self) -> None:
        started = time.perf_counter()
        error = self.rejects(BILLION_LAUGHS, XML, MalformedMessage)
        assert time.perf_counter() - started < 0.5
        assert "lol" not in json.dumps(error.as_dict())

    def test_external_entity_is_never_read(self) -> None:
        error = self.rejects(XXE, XML, MalformedMessage)
        assert "root:" not in json.dumps(error.as_dict())

    def test_unsupported_media_type_names_the_accepted_ones(self) -> None:
        golden = self.goldens()[0]
        error = self.rejects(golden.read_bytes(), self.unsupported_media_type, UnsupportedMediaType)
        assert all(t in error.message for t in self.adapter.media_types)

    def test_unknown_message_type_lists_the_known_ones(self) -> None:
        assert self.unknown_type_samples, "give at least one unknown-type sample per format"
        for body, media_type, where in self.unknown_type_samples:
            error = self.rejects(body, media_type, UnknownMessageType)
            assert any(where in p.location for p in error.problems), error.problems
            assert all(t in error.message for t in self.adapter.inbound_message_types), (
                error.message
            )

    def test_contract_breaking_mutation_is_located(self, mutation: Mutation) -> None:
        golden = self.golden_dir / mutation.golden
        if golden.suffix == ".json":
            document = mutate_json(
                json.loads(golden.read_bytes()), mutation.action, mutation.target, mutation.value
            )
            body = json.dumps(document).encode()
        else:
            body = mutate_xml(
                golden.read_bytes(), mutation.action, mutation.target, self.prefixes, mutation.value
            )
        error = self.rejects(body, MEDIA_TYPES[golden.suffix], mutation.expect)
        where = mutation.target if mutation.where is None else mutation.where
        assert any(
            where in p.location and mutation.mentions in f"{p.location} {p.message}"
            for p in error.problems
        ), error.problems

    def test_decode_raises_only_fatal_errors_on_any_bytes(self) -> None:
        samples: list[Callable[[bytes], bytes]] = [
            lambda b: b,
            lambda b: b[::-1],
            lambda b: b.replace(b"<", b"&lt;", 1),
            lambda b: b.replace(b'"', b"'"),
            lambda b: b.upper(),
        ]
        for golden in self.goldens():
            for change in samples:
                for media_type in (JSON, XML):
                    try:
                        self.decode(change(golden.read_bytes()), media_type)
                    except FatalError as exc:
                        assert exc.problems, exc.message

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(data=st.data())
    def test_decode_survives_fuzzed_goldens(self, data: st.DataObject) -> None:
        goldens = self.goldens()
        golden = data.draw(st.sampled_from(goldens))
        body = bytearray(golden.read_bytes())
        for _ in range(data.draw(st.integers(1, 4))):
            at = data.draw(st.integers(0, len(body) - 1))
            body[at] = data.draw(st.integers(0, 255))
        try:
            self.decode(bytes(body), MEDIA_TYPES[golden.suffix])
        except FatalError as exc:
            assert exc.problems and all(p.location for p in exc.problems), exc.message

    # -- the feed ------------------------------------------------------------------------------

    def feed_payloads(self) -> list[EventPayload]:
        """Payloads of the goldens that go into a feed."""
        return [
            payload
            for golden in self.goldens()
            for payload in self.decode_golden(golden).payloads
            if payload.name in self.adapter.feed_event_types
        ]

    def test_a_feed_page_satisfies_the_feed_contract(self) -> None:
        if not self.adapter.feed_event_types:
            pytest.skip("this adapter serves no feed")
        assert self.feed_contract, "set feed_contract"
        payloads = self.feed_payloads()[:2]
        assert len(payloads) == 2, "the goldens need two feed events"
        institution = self.adapter.feed_institution(payloads[0])
        assert institution
        recorded = "2024-11-20T10:15:00+05:30"
        items = [
            FeedItem(
                cursor=str(n),
                case_id=f"case_01JC8W3T5V9QZK2R7M4N6P8D{n}F",
                event_id=f"evt_01JC8W3T5V9QZK2R7M4N6P8D{n}F",
                recorded_at=dt.datetime.fromisoformat(recorded),
                payload=payload,
            )
            for n, payload in enumerate(payloads, start=1)
        ]
        for cursor in ("2", None):
            page_json = self.adapter.encode_feed(
                items, institution=institution, next_cursor=cursor, media_type=JSON
            )
            assert validate_json(self.feed_contract + ".schema.json", parse_json(page_json)) == []
            page_xml = self.adapter.encode_feed(
                items, institution=institution, next_cursor=cursor, media_type=XML
            )
            assert validate_xml(self.feed_contract + ".xsd", parse_xml(page_xml)) == []
        empty = self.adapter.encode_feed(
            [], institution=institution, next_cursor=None, media_type=XML
        )
        assert validate_xml(self.feed_contract + ".xsd", parse_xml(empty)) == []

    def test_every_feed_event_goes_only_where_its_feed_contract_carries_it(
        self, feed_sample: tuple[str, str]
    ) -> None:
        """Each variant of each event type the feed lists (every order kind, verdict, police
        report, examination, vehicle report, clock): the adapter files it on the feeds of the
        institutions it concerns, and a page of each of those feeds carrying it satisfies the
        pillar's feed contract in JSON and in XML; or it files it on none."""
        event_type, variant = feed_sample
        payload = sample(event_type, variant)
        institutions = self.adapter.feed_institutions(payload)
        if variant in self.unfiled.get(event_type, frozenset()):
            assert institutions == (), f"{event_type} {variant} is filed on {institutions}"
            return
        assert institutions, f"{event_type} {variant} reaches no feed of {self.adapter.pillar}"
        assert self.feed_contract, "set feed_contract"
        items = numbered_feed_items(
            [payload], recorded=dt.datetime.fromisoformat("2026-11-20T10:15:00+05:30")
        )
        for institution in institutions:
            page_json = self.adapter.encode_feed(
                items, institution=institution, next_cursor="1", media_type=JSON
            )
            errors = validate_json(self.feed_contract + ".schema.json", parse_json(page_json))
            assert errors == [], f"{event_type} {variant} on {institution}'s feed (JSON): {errors}"
            page_xml = self.adapter.encode_feed(
                items, institution=institution, next_cursor="1", media_type=XML
            )
            errors = validate_xml(self.feed_contract + ".xsd", parse_xml(page_xml))
            assert errors == [], f"{event_type} {variant} on {institution}'s feed (XML): {errors}"

    def test_unfiled_names_only_samples_of_the_feed(self) -> None:
        known = set(feed_samples(self.adapter.feed_event_types))
        for event_type, variants in self.unfiled.items():
            for variant in variants:
                assert (event_type, variant) in known, f"no sample {event_type}:{variant}"
