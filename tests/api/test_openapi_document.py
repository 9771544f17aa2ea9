"""The OpenAPI document is good enough to build clients from: every keyed route carries the
bearer scheme and the errors every keyed route can answer, every error is the gateway's one
error body (never FastAPI's HTTPValidationError), every route documents its answer, each
pillar's body is a discriminated oneOf with the golden files as examples (JSON and XML, each
valid), the description names the pillars, and the document is the same every time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from jsonschema import Draft202012Validator
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from canonical_model.messages import POLICE_MESSAGE_TYPES
from contracts.loader import contract_path
from gateway.api.app import create_app
from gateway.api.openapi_doc import needs_key
from gateway.bootstrap import build_gateway
from gateway.settings import Settings

ROOT = "urn:test:openapi"
METHODS = ("get", "post", "put", "patch", "delete")
POLICE_GOLDEN = Path(__file__).resolve().parents[1] / "adapters" / "police" / "golden"


def _document(folder: Path) -> tuple[dict[str, Any], list[APIRoute]]:
    gateway = build_gateway(
        Settings(database_url=f"sqlite:///{folder / 'icjs.db'}", kafka_bootstrap_servers=None)
    )
    try:
        app = create_app(gateway)
        routes = [
            c.original_route
            for c in iter_route_contexts(app.routes)
            if isinstance(c.original_route, APIRoute) and c.include_in_schema
        ]
        document: dict[str, Any] = app.openapi()
        return document, routes
    finally:
        gateway.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[APIRoute]]:
    return _document(tmp_path_factory.mktemp("openapi"))


@pytest.fixture(scope="module")
def document(made: tuple[dict[str, Any], list[APIRoute]]) -> dict[str, Any]:
    return made[0]


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_is_the_same_every_time(document: dict[str, Any], tmp_path: Path) -> None:
    again, _ = _document(tmp_path)
    assert json.dumps(again, sort_keys=True) == json.dumps(document, sort_keys=True)


def test_the_description_names_every_pillar(document: dict[str, Any]) -> None:
    text = document["info"]["description"]
    assert "pillars that follow" not in text
    for name in ("CCTNS", "e-Courts", "e-Prisons", "e-Forensics", "e-Prosecution", "Vahan"):
        assert name in text, name
    assert "/asyncapi.json" in text


def test_errors_are_the_gateways_error_body(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert "HTTPValidationError" not in text and "ValidationError" not in text
    error = document["components"]["schemas"]["Error"]
    assert {"code", "message", "errors", "request_id"} <= set(error["required"])
    location = document["components"]["schemas"]["ErrorLocation"]
    assert set(location["required"]) == {"location", "message"}
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400 or path == "/readyz":
                # /readyz answers 503 with its readiness report, the load balancer's signal.
                continue
            schema = response["content"]["application/json"]["schema"]
            name = schema["$ref"].rsplit("/", 1)[1]
            # The message routes answer a refusal with the receipt besides: Rejection extends
            # Error.
            assert name in ("Error", "Rejection"), (method, path, status)
            assert set(error["required"]) <= set(
                document["components"]["schemas"][name]["properties"]
            )
            assert response["description"], (method, path, status)


def test_every_keyed_route_has_the_bearer_scheme_and_its_errors(
    made: tuple[dict[str, Any], list[APIRoute]],
) -> None:
    document, routes = made
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    keyed = 0
    for route in routes:
        for method in route.methods or ():
            operation = document["paths"][route.path_format][method.lower()]
            headers = [
                p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"
            ]
            assert "authorization" not in headers, route.path_format
            if needs_key(route):
                keyed += 1
                assert operation["security"] == [{"apiKey": []}], route.path_format
                assert {"401", "429", "503"} <= set(operation["responses"]), route.path_format
            else:
                assert "security" not in operation, route.path_format
    assert keyed >= 30
    assert "security" not in document["paths"]["/healthz"]["get"]
    assert document["paths"]["/v1/cases/{ref}"]["get"]["security"] == [{"apiKey": []}]


def test_every_route_documents_its_answer(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        ok = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert ok, (method, path)
        for status, response in ok.items():
            content = response.get("content")
            assert content, (method, path, status)
            for media, body in content.items():
                if media == "application/json":
                    # A named model, a contract, or (the AsyncAPI document) said in words.
                    assert body.get("schema") or response["description"], (method, path)
    # The walkthrough's answers are named models a generator turns into classes.
    named = {
        ("post", "/v1/police/messages", "202"): "Receipt",
        ("get", "/v1/cases/{ref}", "200"): "CaseView",
        ("get", "/v1/cases/{ref}/timeline", "200"): "Timeline",
        ("get", "/v1/courts/feed", "200"): "courts_v1_chargesheet-feed",
    }
    for (method, path, status), name in named.items():
        schema = document["paths"][path][method]["responses"][status]["content"][
            "application/json"
        ]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{name}"}
    statuses = set(document["paths"]["/v1/courts/messages"]["post"]["responses"])
    assert {"202", "200", "400", "401", "403", "409", "413", "415", "422", "429", "503"} <= statuses
    assert {"404", "409", "422"} <= set(document["paths"]["/v1/vehicles/{ref}"]["get"]["responses"])


def _validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource(
        ROOT, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"{ROOT}#{pointer}"}, registry=registry)


@pytest.mark.parametrize("pillar", ["courts", "prisons", "forensics", "prosecution", "transport"])
def test_a_pillars_body_is_a_discriminated_one_of_with_valid_examples(
    document: dict[str, Any], pillar: str
) -> None:
    content = document["paths"][f"/v1/{pillar}/messages"]["post"]["requestBody"]["content"]
    schema = content["application/json"]["schema"]
    mapping = schema["discriminator"]["mapping"]
    assert schema["discriminator"]["propertyName"] == "messageType"
    assert sorted(mapping.values()) == sorted(r["$ref"] for r in schema["oneOf"])
    components = document["components"]["schemas"]
    for tag, ref in mapping.items():
        assert components[ref.rsplit("/", 1)[1]]["properties"]["messageType"]["const"] == tag

    pointer = f"/paths/~1v1~1{pillar}~1messages/post/requestBody/content/application~1json/schema"
    validator = _validator(document, pointer)
    examples = content["application/json"]["examples"]
    assert {name.split(".", 1)[0] for name in examples} == set(mapping), pillar
    for name, example in examples.items():
        assert list(validator.iter_errors(example["value"])) == [], name

    # XML: each example is valid against the XSD the description names for its root element.
    xml = content["application/xml"]
    xsds = {
        line.split("`")[1].split(":", 1)[1]: line.split("XSD `/v1/contracts/", 1)[1].rstrip("`")
        for line in xml["schema"]["description"].splitlines()
        if "XSD `" in line
    }
    assert xml["examples"], pillar
    for name, example in xml["examples"].items():
        root = etree.fromstring(example["value"].encode())
        xsd = etree.XMLSchema(etree.parse(str(contract_path(xsds[etree.QName(root).localname]))))
        assert xsd.validate(root), (name, xsd.error_log)


def test_the_police_body_has_its_discriminator_inside_the_document(
    document: dict[str, Any],
) -> None:
    schema = document["paths"]["/v1/police/messages"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    police = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert police["discriminator"]["propertyName"] == "type"
    targets = set(police["discriminator"]["mapping"].values())
    assert targets == {r["$ref"] for r in police["oneOf"]}
    assert all(t.startswith("#/components/schemas/") for t in targets)


def test_the_police_body_has_a_valid_example_of_every_police_message_type(
    document: dict[str, Any],
) -> None:
    """Every police golden file is an example of the police's body, keyed by its stem and
    summarised by its type; together they show every type the police send, each valid
    against the police contract as the document declares it."""
    content = document["paths"]["/v1/police/messages"]["post"]["requestBody"]["content"]
    examples = content["application/json"]["examples"]
    assert set(examples) == {path.stem for path in POLICE_GOLDEN.glob("*.json")}
    kinds = {name: example["value"]["type"] for name, example in examples.items()}
    assert set(kinds.values()) == set(POLICE_MESSAGE_TYPES)
    pointer = "/paths/~1v1~1police~1messages/post/requestBody/content/application~1json/schema"
    validator = _validator(document, pointer)
    for name, example in examples.items():
        assert example["summary"].startswith(f"{kinds[name]} ("), (name, example["summary"])
        assert example["value"] == json.loads((POLICE_GOLDEN / f"{name}.json").read_text())
        errors = [e.message for e in validator.iter_errors(example["value"])]
        assert errors == [], (name, errors[:3])
    # The contract tells the types apart: an example under another type is refused.
    seized = next(e["value"] for e in examples.values() if e["value"]["type"] == "vehicle.seized")
    assert not validator.is_valid(seized | {"type": "fir.registered"})
