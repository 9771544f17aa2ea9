"""The committed canonical JSON Schemas are exactly what the pydantic models generate."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from contracts.generate import CANONICAL_DIR, build_schemas, render
from gateway.cli import scenario


def test_committed_schemas_match_the_models() -> None:
    generated = build_schemas()
    committed = {p.name for p in CANONICAL_DIR.glob("*.schema.json")}
    assert committed == set(generated), "run `make contracts` and commit contracts/canonical/v1"
    for name, schema in generated.items():
        text = (CANONICAL_DIR / name).read_text(encoding="utf-8")
        assert text == render(schema), f"{name} drifted from the model: run `make contracts`"


def test_schemas_are_valid_and_accept_the_scenario_messages() -> None:
    police = json.loads((CANONICAL_DIR / "police-message.schema.json").read_text())
    Draft202012Validator.check_schema(police)
    validator = Draft202012Validator(police)
    case = scenario.refs(7)
    for message in (
        scenario.fir_registered(case),
        scenario.person_arrested(case),
        scenario.chargesheet_filed(case),
    ):
        assert list(validator.iter_errors(message)) == []
    broken = scenario.fir_registered(case)
    del broken["data"]["fir"]["offences"]
    assert list(validator.iter_errors(broken)), "a FIR without offences must break the contract"
