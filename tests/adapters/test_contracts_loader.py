"""The contract loader: finding contracts, parsing untrusted bodies safely, locating every error."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from lxml import etree
from referencing.exceptions import Unresolvable

from canonical_model.errors import ContractViolation, MalformedMessage, NotFound, Problem
from contracts import loader
from contracts.loader import (
    ContractRef,
    contract_path,
    element_path,
    list_contracts,
    parse_json,
    parse_xml,
    require_valid_json,
    require_valid_xml,
    validate_json,
    validate_xml,
)

COURTS = {
    f"courts/v1/{name}{suffix}"
    for name in (
        "case-registration",
        "chargesheet",
        "chargesheet-feed",
        "common",
        "hearing",
        "judgment",
        "order",
    )
    for suffix in (".schema.json", ".xsd")
}
JSON_SCHEMAS = [r for r in list_contracts() if not r.is_xsd]
XSDS = [r for r in list_contracts() if r.is_xsd]


# -- finding contracts ----------------------------------------------------------------------


def test_list_contracts_finds_every_courts_file() -> None:
    refs = list_contracts()
    assert {r.name for r in refs} >= COURTS
    assert refs == sorted(refs)
    hearing = next(r for r in refs if r.name == "courts/v1/hearing.xsd")
    assert (hearing.pillar, hearing.version, hearing.filename) == ("courts", "v1", "hearing.xsd")
    assert hearing.media_type == "application/xml"
    assert (
        next(r for r in refs if r.name == "courts/v1/hearing.schema.json").media_type
        == "application/schema+json"
    )


def test_contract_path_resolves_inside_the_package() -> None:
    path = contract_path("courts/v1/hearing.xsd")
    assert path.is_file() and path.is_relative_to(loader.CONTRACTS_DIR)
    assert ContractRef.parse("courts/v1/hearing.xsd").path.resolve() == path


@pytest.mark.parametrize(
    "name",
    [
        "courts/v1/nothing.xsd",
        "courts/v2/hearing.xsd",
        "../loader.py",
        "courts/v1/../../loader.py",
        "courts/../courts/v1/hearing.xsd",
        "courts/v1/..%2F..%2Floader.py",
        "/etc/passwd",
        "courts/v1//etc/passwd",
        "courts/v1/hearing.xsd/..",
        "courts\\v1\\hearing.xsd",
        "courts/v1/.hidden.xsd",
        "courts/v1/loader.py",
        "",
    ],
)
def test_unknown_names_and_path_traversal_are_not_found(name: str) -> None:
    with pytest.raises(NotFound):
        contract_path(name)


def test_a_symlink_out_of_the_package_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "contracts"
    (folder / "evil" / "v1").mkdir(parents=True)
    secret = tmp_path / "secret.xsd"
    secret.write_text("<secret/>")
    (folder / "evil" / "v1" / "x.xsd").symlink_to(secret)
    monkeypatch.setattr(loader, "CONTRACTS_DIR", folder)
    (folder / "evil" / "v1" / "ok.xsd").write_text("<ok/>")
    assert contract_path("evil/v1/ok.xsd").read_text() == "<ok/>"
    with pytest.raises(NotFound):
        contract_path("evil/v1/x.xsd")


@pytest.mark.parametrize("ref", JSON_SCHEMAS, ids=[r.name for r in JSON_SCHEMAS])
def test_every_json_schema_is_a_valid_draft_2020_12_schema(ref: ContractRef) -> None:
    schema = json.loads(ref.path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(ref.filename)
    # Every $ref resolves inside the folder, without any retrieval.
    resolver = loader._registry(ref.pillar, ref.version).resolver(base_uri=schema["$id"])
    refs = re.findall(r'"\$ref":\s*"([^"]+)"', ref.path.read_text(encoding="utf-8"))
    for target in refs:
        assert resolver.lookup(target).contents is not None, target
    validate_json(ref.name, {})  # builds the validator


def test_json_references_are_never_fetched() -> None:
    resolver = loader._registry("courts", "v1").resolver()
    with pytest.raises(Unresolvable):
        resolver.lookup("https://example.invalid/schema.json")


@pytest.mark.parametrize("ref", XSDS, ids=[r.name for r in XSDS])
def test_every_xsd_compiles(ref: ContractRef) -> None:
    assert isinstance(loader._xsd(ref.name).schema, etree.XMLSchema)
    assert loader.namespace_prefixes(ref.name)


def test_an_xsd_may_include_sibling_files_only(tmp_path: Path) -> None:
    (tmp_path / "ok.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="common.xsd"/></xs:schema>'
    )
    (tmp_path / "common.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')
    loader._check_schema_locations(tmp_path / "ok.xsd", set())
    for location in (
        "../common.xsd",
        "http://example.invalid/x.xsd",
        "file:///etc/passwd",
        "missing.xsd",
    ):
        (tmp_path / "bad.xsd").write_text(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            f'<xs:import namespace="urn:x" schemaLocation="{location}"/></xs:schema>'
        )
        with pytest.raises(ValueError, match="sibling"):
            loader._check_schema_locations(tmp_path / "bad.xsd", set())


def test_a_json_schema_is_not_an_xsd_and_back() -> None:
    with pytest.raises(NotFound):
        validate_xml("courts/v1/hearing.schema.json", etree.fromstring(b"<x/>"))
    with pytest.raises(NotFound):
        validate_json("courts/v1/hearing.xsd", {})


# -- parsing JSON ----------------------------------------------------------------------------


def test_parse_json_reads_utf8_json() -> None:
    assert parse_json('{"name": "रमेश"}'.encode()) == {"name": "रमेश"}
    assert parse_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


@pytest.mark.parametrize(
    "body,where",
    [
        (b'{"a": 1,\n "b": }', "line 2 column 7"),
        (b'{"a": 1', "line 1 column 8"),
        (b"", "line 1 column 1"),
        (b"   \n", "line 1 column 1"),
        (b'{"a":\n  NaN}', "line 2 column 3"),
        (b'{"a": Infinity}', "line 1 column 7"),
        (b'{"a": "\xe0\xa4"}', "line 1 column 8"),
        (b'{\n"a": "ok",\n"b": "\xff"}', "line 3 column 7"),
        (b"[" * 100_000, ""),
    ],
)
def test_malformed_json_is_located(body: bytes, where: str) -> None:
    with pytest.raises(MalformedMessage) as caught:
        parse_json(body)
    (problem,) = caught.value.problems
    assert problem.location.startswith(where or "")
    assert problem.message


# -- parsing XML ----------------------------------------------------------------------------


def test_parse_xml_returns_the_root_without_comments() -> None:
    root = parse_xml(
        b'<?xml version="1.0"?>\n<!-- before -->\n<a xmlns="urn:x"><!-- in --><b>1</b></a>'
    )
    assert etree.QName(root).localname == "a"
    assert [etree.QName(c).localname for c in root] == ["b"]


def test_xxe_is_refused_and_the_file_never_read() -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>'
    )
    with pytest.raises(MalformedMessage) as caught:
        parse_xml(body)
    error = caught.value
    assert "DOCTYPE" in error.message
    assert error.problems[0].location == "line 2 column 1"
    assert "root:" not in json.dumps(error.as_dict())


def test_billion_laughs_is_refused_before_expansion() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 12))
    body = f'<!DOCTYPE x [<!ENTITY l0 "lol">{entities}]><x>&l11;</x>'.encode()
    started = time.perf_counter()
    with pytest.raises(MalformedMessage):
        parse_xml(body)
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><x/>',
        b'<!DOCTYPE x PUBLIC "-//X//DTD X//EN" "x.dtd"><x/>',
        b"<!DOCTYPE x><x/>",
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'.encode(
            "utf-16"
        ),
        b"<?xml version='1.0'?>\n<!-- <x> -->\n<!DOCTYPE x [<!ENTITY e 'boom'>]><x>&e;</x>",
    ],
)
def test_every_doctype_is_refused(body: bytes) -> None:
    with pytest.raises(MalformedMessage, match="DOCTYPE"):
        parse_xml(body)


@pytest.mark.parametrize(
    "body,where",
    [
        (b"<a>\n  <b>\n</a>", "line 3"),
        (b"", "line 1"),
        (b"just text", "line 1"),
        (b"<a>&undefined;</a>", "line 1"),
        (b"<a/><b/>", "line 1"),
        (b"<a>\xff</a>", "line 1"),
    ],
)
def test_malformed_xml_is_located(body: bytes, where: str) -> None:
    with pytest.raises(MalformedMessage) as caught:
        parse_xml(body)
    (problem,) = caught.value.problems
    assert problem.location.startswith(where), problem
    assert problem.message and not re.search(r"line \d+, column \d+$", problem.message)


# -- validating -----------------------------------------------------------------------------


def hearing(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "messageType": "hearing",
        "cnr": "MHAU010012342024",
        "hearingDate": "2025-01-08",
        "purpose": "Framing of charge",
    }
    return {k: v for k, v in (document | changes).items() if v is not None}


def test_a_valid_document_has_no_problems() -> None:
    assert validate_json("courts/v1/hearing.schema.json", hearing()) == []
    require_valid_json("courts/v1/hearing.schema.json", hearing(cnr="MHAU01-001234-2024"))


def test_every_json_problem_is_located_by_pointer() -> None:
    document = hearing(
        hearingDate="2024-13-01", purpose=None, cnr="MHAU01/1234", judge={"designation": 5}
    )
    problems = validate_json("courts/v1/hearing.schema.json", document)
    found = {(p.location, p.message) for p in problems}
    assert ("/hearingDate", "'2024-13-01' is not a 'date'") in found
    assert ("/", "'purpose' is a required property") in found
    assert ("/judge", "'name' is a required property") in found
    assert ("/judge/designation", "5 is not of type 'string'") in found
    cnr = next(p for p in problems if p.location == "/cnr")
    assert "'MHAU01/1234' is not valid: a CNR" in cnr.message
    with pytest.raises(ContractViolation) as caught:
        require_valid_json("courts/v1/hearing.schema.json", document)
    assert caught.value.problems == problems
    assert "courts/v1/hearing.schema.json" in caught.value.message


def test_the_root_is_located_as_slash() -> None:
    (problem,) = validate_json("courts/v1/hearing.schema.json", [])
    assert problem == Problem("/", "[] is not of type 'object'")


def test_nested_json_problems_point_into_arrays() -> None:
    document = json.loads(
        (Path(__file__).parent / "courts" / "golden" / "chargesheet.bns.json").read_text(
            encoding="utf-8"
        )
    )
    del document["accused"][1]["name"]
    document["accused"][0]["offences"][1]["section"] = "3 (5)"
    problems = validate_json("courts/v1/chargesheet.schema.json", document)
    locations = {p.location: p.message for p in problems}
    assert locations["/accused/1"] == "'name' is a required property"
    assert "/accused/0/offences/1/section" in locations


def test_every_xml_problem_is_located_by_xpath() -> None:
    body = b"""<?xml version="1.0"?>
<hearing xmlns="urn:icjs:courts:v1">
  <cnr>MHAU01/1234</cnr>
  <hearingDate>2024-13-01</hearingDate>
  <purpose>Framing of charge</purpose>
  <judge><designation>CJM</designation></judge>
</hearing>"""
    problems = validate_xml("courts/v1/hearing.xsd", parse_xml(body))
    locations = {p.location for p in problems}
    assert {
        "/c:hearing/c:cnr",
        "/c:hearing/c:hearingDate",
        "/c:hearing/c:judge/c:designation",
    } <= locations
    assert all("{urn:icjs:courts:v1}" not in p.message for p in problems)
    date = next(p for p in problems if p.location == "/c:hearing/c:hearingDate")
    assert "'2024-13-01' is not a valid value" in date.message
    with pytest.raises(ContractViolation):
        require_valid_xml("courts/v1/hearing.xsd", parse_xml(body))


def test_xpaths_number_repeated_elements() -> None:
    root = etree.fromstring(b'<a xmlns="urn:icjs:courts:v1"><b/><c><d/></c><c><d/><d/></c></a>')
    last = root[2][1]
    assert element_path(last, {"urn:icjs:courts:v1": "c"}) == "/c:a/c:c[2]/c:d[2]"
    assert element_path(root[0], {}) == "/*[local-name()='a']/*[local-name()='b']"
    plain = etree.fromstring(b"<a><b/></a>")
    assert element_path(plain[0], {}) == "/a/b"


def test_validation_is_thread_safe() -> None:
    from concurrent.futures import ThreadPoolExecutor

    good = parse_xml(
        b'<hearing xmlns="urn:icjs:courts:v1"><cnr>MHAU010012342024</cnr>'
        b"<hearingDate>2025-01-08</hearingDate><purpose>Evidence</purpose></hearing>"
    )
    bad = parse_xml(b'<hearing xmlns="urn:icjs:courts:v1"><cnr>x</cnr></hearing>')

    def check(n: int) -> bool:
        root = good if n % 2 else bad
        return (validate_xml("courts/v1/hearing.xsd", root) == []) == bool(n % 2)

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(check, range(200)))
