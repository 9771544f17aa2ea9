"""The OpenAPI document declares each pillar's real request bodies: every golden message a
pillar sends validates against its route's schema, taken from the document alone (every
reference resolves inside it), and a broken one does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gateway.api.app import create_app
from gateway.cli import scenario
from gateway.settings import Settings

GOLDEN = Path(__file__).resolve().parents[1] / "adapters"
ROOT = "urn:test:openapi"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("openapi")
    app = create_app(
        settings=Settings(
            database_url=f"sqlite:///{folder / 'icjs.db'}", kafka_bootstrap_servers=None
        )
    )
    schema: dict[str, Any] = app.openapi()
    app.state.gateway.close()
    return schema


def body_validator(document: dict[str, Any], pillar: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource(
        ROOT, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    pointer = f"/paths/~1v1~1{pillar}~1messages/post/requestBody/content/application~1json/schema"
    return Draft202012Validator({"$ref": f"{ROOT}#{pointer}"}, registry=registry)


def inbound_goldens(document: dict[str, Any], pillar: str) -> list[Path]:
    """The golden JSON messages of a pillar that the pillar sends (not its feed pages)."""
    schema = document["paths"][f"/v1/{pillar}/messages"]["post"]["requestBody"]
    refs = [r["$ref"] for r in schema["content"]["application/json"]["schema"].get("oneOf", [])]
    sent = {
        document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]["messageType"][
            "const"
        ]
        for ref in refs
    }
    return [
        path
        for path in sorted((GOLDEN / pillar / "golden").glob("*.json"))
        if json.loads(path.read_text()).get("messageType") in sent
    ]


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs_in(value)]
    if isinstance(node, list):
        return [r for item in node for r in refs_in(item)]
    return []


def test_every_reference_resolves_inside_the_document(document: dict[str, Any]) -> None:
    refs = refs_in(document)
    components = document["components"]["schemas"]
    bundled = [r for r in refs if not r.startswith("#/components/schemas/")]
    assert bundled == []
    missing = {r for r in refs if r.rsplit("/", 1)[1] not in components}
    assert missing == set()
    assert not any("urn:icjs" in json.dumps(components[name]) for name in components)


@pytest.mark.parametrize("pillar", ["courts", "prisons", "forensics", "prosecution", "transport"])
def test_a_pillars_golden_messages_fit_its_declared_body(
    document: dict[str, Any], pillar: str
) -> None:
    validator = body_validator(document, pillar)
    goldens = inbound_goldens(document, pillar)
    assert len(goldens) >= 2, pillar
    for path in goldens:
        message = json.loads(path.read_text())
        errors = list(validator.iter_errors(message))
        assert errors == [], (path.name, [e.message for e in errors][:3])
    broken = json.loads(goldens[0].read_text())
    broken["unexpected"] = True
    assert not validator.is_valid(broken)
    assert not validator.is_valid({"messageType": broken["messageType"]})


def test_the_police_body_is_the_canonical_message(document: dict[str, Any]) -> None:
    validator = body_validator(document, "police")
    case = scenario.refs(417)
    for message in (
        scenario.fir_registered(case),
        scenario.person_arrested(case),
        scenario.chargesheet_filed(case),
    ):
        assert list(validator.iter_errors(message)) == [], message["type"]
    wrong = scenario.fir_registered(case)
    wrong["data"]["fir"]["fir"] = "not an FIR"
    assert not validator.is_valid(wrong)
    body = document["paths"]["/v1/police/messages"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]
