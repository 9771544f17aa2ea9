"""Error collection is linear in the input and capped (issue 10): shown structurally, by
counting the work done (comparisons, locating queries, path steps), never by a stopwatch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lxml import etree

import contracts.loader as loader
import contracts.toolkit.xml_tree as xml_tree
from adapters.courts.formats import PILLAR as COURTS
from canonical_model.errors import (
    MAX_PROBLEMS,
    ContractViolation,
    IcjsError,
    Problem,
    ProblemCollector,
)
from canonical_model.events import HearingRecorded
from contracts.toolkit.translation import located
from gateway.cli import scenario
from gateway.services.registry import AdapterRegistry

CASE = scenario.refs(3)


@pytest.fixture
def equality_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every comparison of two Problems (a list's ``in`` makes one per element)."""
    calls = [0]
    original = Problem.__eq__

    def counting(self: Problem, other: object) -> bool:
        calls[0] += 1
        return original(self, other)

    monkeypatch.setattr(Problem, "__eq__", counting)
    return calls


def test_100k_problems_go_through_a_set_not_a_list(equality_calls: list[int]) -> None:
    collector = ProblemCollector(limit=100)
    for i in range(100_000):
        collector.add(f"/items/{i % 50_000}/name", "bad")  # every problem twice
    assert equality_calls[0] == 0  # no problem was compared with another
    assert isinstance(collector._seen, set) and len(collector._seen) == 50_000
    assert len(collector.problems) == 100
    assert collector.omitted == 49_900 and collector.total == 50_000


def test_locating_100k_problems_locates_each_once_and_compares_none(
    equality_calls: list[int],
) -> None:
    calls = [0]

    def locate(pointer: str) -> str:
        calls[0] += 1
        return "/x" + pointer

    problems = [Problem(f"/a/{i}", "bad") for i in range(100_000)]
    out = located(problems, locate)
    assert calls[0] == 100_000
    assert equality_calls[0] == 0
    assert len(out) == MAX_PROBLEMS.get() == 100
    assert out[0] == Problem("/x/a/0", "bad")


def test_the_cap_follows_the_context() -> None:
    token = MAX_PROBLEMS.set(3)
    try:
        collector = ProblemCollector().extend(Problem(f"/{i}", "m") for i in range(10))
    finally:
        MAX_PROBLEMS.reset(token)
    assert [p.location for p in collector.problems] == ["/0", "/1", "/2"]
    assert collector.omitted == 7


def test_a_capped_error_says_how_many_more_and_clips_its_texts() -> None:
    error = IcjsError("x" * 10_000, [Problem(f"/{i}", "m" * 1000) for i in range(250)])
    body = error.capped(100).as_dict()
    errors: list[dict[str, str]] = body["errors"]  # type: ignore[assignment]
    assert len(errors) == 101 and body["errors_omitted"] == 150
    assert errors[-1] == {"location": "/", "message": "... and 150 more errors"}
    assert all(len(e["message"]) <= 300 for e in errors)
    assert len(str(body["message"])) <= 1200
    assert len(json.dumps(body)) < 40_000


def _hearing_xml() -> bytes:
    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    courts: Any = AdapterRegistry.from_entry_points().get("courts")
    body: bytes = courts.encode(payload, media_type="application/xml")
    return body


def _custody_xml(entries: int) -> bytes:
    from canonical_model.events import payload_class

    payload = payload_class("forensic.custody_recorded").model_validate(
        scenario.forensic_custody(CASE)
    )
    forensics: Any = AdapterRegistry.from_entry_points().get("forensics")
    body: bytes = forensics.encode(payload, media_type="application/xml")
    start = body.index(b"<custodyEntry>")
    end = body.index(b"</custodyEntry>") + len(b"</custodyEntry>")
    entry = body[start:end]
    bad = entry.replace(
        entry[entry.index(b"<action>") : entry.index(b"</action>")], b"<action>teleported"
    )
    return body[:start] + bad * entries + body[end:]


def test_only_the_capped_xsd_errors_are_located(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    original = loader._locate

    def counting(*args: Any) -> str | None:
        calls[0] += 1
        return original(*args)

    monkeypatch.setattr(loader, "_locate", counting)
    root = loader.parse_xml(_custody_xml(20_000))
    with pytest.raises(ContractViolation) as raised:
        loader.require_valid_xml("forensics/v1/custody.xsd", root)
    assert calls[0] == 100  # one XPath query per error shown, none for the 19,900 counted
    assert len(raised.value.problems) == 100 and raised.value.omitted == 19_900
    assert raised.value.problems[-1].location == "/f:custody/f:custodyEntry[100]/f:action"
    assert "20000 problems" in raised.value.message


def test_an_element_with_300k_attributes_is_refused_before_the_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loader, "_locate", None)  # the schema's errors are never located
    xml = _hearing_xml()
    attributes = b"".join(b' a%d="1"' % i for i in range(300_000))
    root = loader.parse_xml(xml.replace(b"<hearing ", b"<hearing" + attributes + b" ", 1))
    with pytest.raises(ContractViolation) as raised:
        loader.require_valid_xml("courts/v1/hearing.xsd", root)
    assert [p.location for p in raised.value.problems] == ["/c:hearing"]
    assert "300000 attributes" in raised.value.problems[0].message


def test_reading_xml_takes_one_path_step_per_element(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    original = loader.element_step

    def counting(node: Any, prefixes: Any) -> str:
        calls[0] += 1
        return original(node, prefixes)

    monkeypatch.setattr(xml_tree, "element_step", counting)
    root = loader.parse_xml(_hearing_xml())
    elements = sum(1 for e in root.iter() if isinstance(e.tag, str))
    document, locations = xml_tree.read_xml(root, COURTS)
    assert calls[0] == elements  # each element's step once: the paths are made top-down
    assert locations["/"] == "/c:hearing" and document["messageType"]


def test_thousands_of_siblings_are_located_by_position() -> None:
    ns = "urn:t"
    root = etree.Element(f"{{{ns}}}list")
    for _ in range(3000):
        etree.SubElement(root, f"{{{ns}}}item")
    etree.SubElement(root, f"{{{ns}}}tail")
    last = root[2999]
    assert loader.element_path(last, {ns: "t"}) == "/t:list/t:item[3000]"
    assert loader.element_path(root[3000], {ns: "t"}) == "/t:list/t:tail"


def test_control_characters_in_10k_strings_are_capped() -> None:
    body = json.dumps({"names": ["a\u0001"] * 10_000}).encode()
    with pytest.raises(ContractViolation) as raised:
        loader.parse_json(body)
    assert len(raised.value.problems) == 100 and raised.value.omitted == 9_900
    assert raised.value.problems[0].location.startswith("/names/")


@pytest.mark.parametrize(
    ("literal", "fine"),
    [
        (str(2**63 - 1), True),
        (str(-(2**63)), True),
        (str(2**63), False),
        (str(-(2**63) - 1), False),
        ("1" + "0" * 30, False),
        ("9" * 5000, False),
        ("1e400", False),
    ],
)
def test_json_numbers_beyond_64_bits_are_located(literal: str, fine: bool) -> None:
    body = ('{"a": {"b": [0, ' + literal + "]}}").encode()
    if fine:
        assert loader.parse_json(body)["a"]["b"][1] == int(literal)
        return
    with pytest.raises(ContractViolation) as raised:
        loader.parse_json(body)
    assert [p.location for p in raised.value.problems] == ["/a/b/1"]
    assert len(raised.value.problems[0].message) < 300


def test_every_json_contract_compiles_in_the_fast_validator() -> None:
    names = [ref.name for ref in loader.list_contracts() if not ref.is_xsd]
    assert names
    assert [n for n in names if loader._fast_validator(n) is None] == []


def test_25k_bad_entries_cost_the_slow_validator_only_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = [0]
    original = loader._leaf

    def counting(error: Any) -> Any:
        calls[0] += 1
        return original(error)

    monkeypatch.setattr(loader, "_leaf", counting)
    entry = {
        "exhibitId": "E1",
        "action": "teleported",
        "at": "2026-08-16T15:20:00+05:30",
        "by": {"name": "Smt. Meena Kale", "rank": "Receiving Clerk"},
        "sealIntact": True,
    }
    document = {
        "messageType": "custody",
        "labCaseNumber": "RFSL_AU:DNA-2026-0007",
        "chainOfCustody": [entry] * 25_000,
    }
    with pytest.raises(ContractViolation) as raised:
        loader.require_valid_json("forensics/v1/custody.schema.json", document)
    assert calls[0] == 101  # the cap, and one more to know there are more
    assert len(raised.value.problems) == 100
    assert raised.value.omitted == 24_900  # counted by the fast validator
    assert "25000 problems" in raised.value.message


def test_a_valid_document_never_reaches_the_slow_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = loader._json_validator("forensics/v1/custody.schema.json")
    monkeypatch.setattr(loader, "_json_validator", lambda name: _Watch(real))
    document = {
        "messageType": "custody",
        "labCaseNumber": "RFSL_AU:DNA-2026-0007",
        "chainOfCustody": [
            {
                "exhibitId": "E1",
                "action": "examined",
                "at": "2026-08-16T15:20:00+05:30",
                "by": {"name": "Smt. Meena Kale", "rank": "Receiving Clerk"},
                "sealIntact": True,
            }
        ],
    }
    assert loader.validate_json("forensics/v1/custody.schema.json", document) == []


class _Watch:
    """A validator whose errors may not be asked for."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def iter_errors(self, document: Any) -> Any:
        raise AssertionError("the slow validator ran on a valid document")


def test_every_error_answer_is_capped_whoever_raised_it() -> None:
    error = ContractViolation("many", [Problem(f"/{i}", "m" * 1000) for i in range(250)])
    token = MAX_PROBLEMS.set(10)  # what ICJS_MAX_ERRORS sets for a request
    try:
        body = error.as_dict()
    finally:
        MAX_PROBLEMS.reset(token)
    errors: list[dict[str, str]] = body["errors"]  # type: ignore[assignment]
    assert len(errors) == 11 and body["errors_omitted"] == 240
    assert all(len(e["message"]) <= 300 for e in errors)
    assert len(error.problems) == 250  # the error itself is left whole
