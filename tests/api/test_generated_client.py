"""A client generated from ``/openapi.json`` works: ``datamodel-code-generator`` makes pydantic
models of the document in a temporary folder, and the README walkthrough is driven with them and
httpx (the test client): every message is built by a generated model from the walkthrough's
own data, every answer is read back into the generated model the document names for it, and
every answer is checked against the document's schema for its route and status (a status the
document does not list fails)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gateway.api.app import create_app
from gateway.bootstrap import build_gateway
from gateway.settings import Settings
from tests.api.test_readme_walkthrough import curl_calls

ROOT_DIR = Path(__file__).resolve().parents[2]
GOLDEN = ROOT_DIR / "tests" / "adapters" / "courts" / "golden"
DOC = "urn:test:openapi"
JSON = "application/json"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The document as GET /openapi.json serves it."""
    folder = tmp_path_factory.mktemp("served")
    gateway = build_gateway(
        Settings(database_url=f"sqlite:///{folder / 'icjs.db'}", kafka_bootstrap_servers=None)
    )
    try:
        with TestClient(create_app(gateway)) as client:
            served: dict[str, Any] = client.get("/openapi.json").json()
    finally:
        gateway.close()
    return served


@pytest.fixture(scope="module")
def models(document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The models datamodel-code-generator makes of the document, imported."""
    folder = tmp_path_factory.mktemp("client")
    source = folder / "openapi.json"
    source.write_text(json.dumps(document))
    target = folder / "icjs_models.py"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(source),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--formatters",
            "builtin",
            "--output",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    spec = importlib.util.spec_from_file_location("icjs_models", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["icjs_models"] = module
    spec.loader.exec_module(module)
    return module


def conforms(document: dict[str, Any], answer: httpx.Response) -> None:
    """The answer's status is documented for its operation, and its JSON body fits the
    documented schema."""
    method = answer.request.method.lower()
    path = answer.request.url.path
    # The most specific template first (/v1/cases/{ref}/timeline before /v1/cases/{ref}).
    templates = sorted(
        (t for t in document["paths"] if method in document["paths"][t]),
        key=lambda t: -len(t),
    )
    template = next(
        t for t in templates if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "(.+)", re.escape(t)), path)
    )
    responses = document["paths"][template][method]["responses"]
    status = str(answer.status_code)
    assert status in responses, (method, template, status, sorted(responses))
    media = answer.headers["content-type"].split(";", 1)[0]
    schema = responses[status].get("content", {}).get(media, {}).get("schema")
    if media == JSON and schema:
        registry: Registry[Any] = Registry().with_resource(
            DOC, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        pointer = "/".join(
            p.replace("~", "~0").replace("/", "~1")
            for p in ("paths", template, method, "responses", status, "content", media, "schema")
        )
        validator = Draft202012Validator({"$ref": f"{DOC}#/{pointer}"}, registry=registry)
        errors = [e.message for e in validator.iter_errors(answer.json())]
        assert errors == [], (method, template, status, errors[:3])


def test_the_walkthrough_driven_by_generated_models(
    http: TestClient, key_for: Any, document: dict[str, Any], models: ModuleType
) -> None:
    police = key_for("police", "MH/AU")
    court = key_for("courts", "MHAU01")
    answers: list[httpx.Response] = []

    def send(message: Any, key: dict[str, str], pillar: str) -> Any:
        answer = http.post(
            f"/v1/{pillar}/messages",
            content=message.model_dump_json(exclude_unset=True, by_alias=True),
            headers=key | {"Content-Type": JSON},
        )
        answers.append(answer)
        assert answer.status_code == 202, answer.text
        receipt = models.Receipt.model_validate(answer.json())
        assert receipt.status.value == "accepted"
        return receipt

    # 2-3. The police's FIR and charge sheet, as the walkthrough writes them, through the
    # generated discriminated union: each becomes its own message class.
    bodies = [c["body"] for c in curl_calls() if c["body"] and b'"type"' in c["body"]]
    assert len(bodies) == 2
    fir, chargesheet = (models.CanonicalV1PoliceMessage.model_validate_json(b) for b in bodies)
    assert type(fir.root).__name__ == "CanonicalV1PoliceMessageFirRegisteredMessage"
    assert type(chargesheet.root).__name__ == "CanonicalV1PoliceMessageChargesheetFiledMessage"
    fir_number = fir.root.data.fir.fir
    case_id = send(fir, police, "police").case_ids[0]
    send(chargesheet, police, "police")

    # 4. The court's feed, read into the feed page's generated model.
    answer = http.get(
        "/v1/courts/feed", params={"court": "MHAU01"}, headers=court | {"Accept": JSON}
    )
    answers.append(answer)
    page = models.CourtsV1ChargesheetFeed.model_validate(answer.json())
    assert fir_number in answer.text
    assert page.items, "the charge sheet is on the court's feed"

    # 5. The court registers the case and records a hearing, each built by its generated model.
    registration = models.CourtsV1CaseRegistration.model_validate_json(
        (GOLDEN / "case_registration.walkthrough.json").read_bytes()
    )
    hearing = models.CourtsV1Hearing.model_validate_json(
        (GOLDEN / "hearing.walkthrough.json").read_bytes()
    )
    assert send(registration, court, "courts").case_ids == [case_id]
    send(hearing, court, "courts")

    # 6. The police read the case and its timeline, by FIR and by CNR.
    answer = http.get(f"/v1/cases/{fir_number}", headers=police)
    answers.append(answer)
    case = models.CaseView.model_validate(answer.json())
    assert case.case_id == case_id
    cnr = case.identifiers["cnr"][0]
    assert cnr == registration.cnr.root
    assert case.court == "MHAU01"
    answer = http.get(f"/v1/cases/{cnr}/timeline", headers=police)
    answers.append(answer)
    timeline = models.Timeline.model_validate(answer.json())
    assert [e.type for e in timeline.events] == [
        "icjs.fir.registered",
        "icjs.chargesheet.filed",
        "icjs.court_case.registered",
        "icjs.hearing.recorded",
    ]

    # Errors come back in the generated error models, located.
    broken = fir.model_copy(deep=True)
    broken.root.data.fir.offences[0].section = "not a section"
    answer = http.post(
        "/v1/police/messages",
        content=broken.model_dump_json(exclude_unset=True),
        headers=police | {"Content-Type": JSON},
    )
    answers.append(answer)
    rejection = models.Rejection.model_validate(answer.json())
    assert (answer.status_code, rejection.status) == (422, "rejected")
    assert rejection.errors[0].location.startswith("/data/fir/offences/0")
    assert rejection.request_id == answer.headers["X-Request-ID"]
    for path, key in (("/v1/cases/MH/AU/CIDCO/2026/9999", police), ("/v1/cases/x", {})):
        answer = http.get(path, headers=key)
        answers.append(answer)
        error = models.Error.model_validate(answer.json())
        assert error.request_id == answer.headers["X-Request-ID"]
        assert error.errors and error.code in ("not_found", "unauthenticated")
    assert [a.status_code for a in answers[-2:]] == [404, 401]

    for answer in answers:
        conforms(document, answer)
