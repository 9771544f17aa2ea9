"""``icjs contracts``: the conformance kit checked against the adapters' golden files, the
contract suite's located mutations, the gateway's own HTTP answers, and its export."""

from __future__ import annotations

import hashlib
import importlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from typer.testing import CliRunner, Result

from canonical_model.messages import POLICE_MESSAGE_TYPES
from contracts.loader import list_contracts
from gateway.cli import main as cli
from gateway.cli import scenario
from gateway.services.registry import AdapterRegistry
from tests.conftest import KeyMaker, as_json

ROOT = Path(__file__).resolve().parents[1]
ADAPTER_TESTS = ROOT / "tests" / "adapters"
REGISTRY = AdapterRegistry.from_entry_points()
PILLARS = [adapter.pillar for adapter in REGISTRY]
#: Every pillar that sends messages: the police (canonical JSON, no adapter) and the adapters'.
SENDING = ["police", *PILLARS]
MEDIA = {".json": "application/json", ".xml": "application/xml"}
#: An institution of the SAMPLE directory per pillar, to post with (decoding comes first).
SENDERS = {
    "courts": "MHAU01",
    "forensics": "FSL_MUMBAI",
    "prisons": "YERAWADA_CP",
    "prosecution": "MH/AU/DDP",
    "transport": "VAHAN",
}


def _suite_module(pillar: str) -> Any:
    """The pillar's adapter test module: it declares the golden folder and the mutations."""
    # As pytest imports it (rootdir-relative, no packages): the suite beside it on the path.
    for folder in (ADAPTER_TESTS, ADAPTER_TESTS / pillar):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    return importlib.import_module(f"test_{pillar}_adapter")


def suite_of(pillar: str) -> Any:
    """The pillar's subclass of the shared AdapterContractSuite."""
    module = _suite_module(pillar)
    contract_suite = importlib.import_module("contract_suite")
    (suite,) = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, contract_suite.AdapterContractSuite)
        and value is not contract_suite.AdapterContractSuite
    ]
    return suite


def icjs(*args: str, stdin: bytes | None = None) -> Result:
    """Run ``icjs`` in process."""
    return CliRunner().invoke(cli.app, list(args), input=stdin)


def check(pillar: str, files: list[Path], *, outbound: bool = False) -> tuple[int, dict[str, Any]]:
    """``icjs contracts check --json``: the exit code and the report, by file name."""
    args = ["contracts", "check", "--pillar", pillar, "--json", *map(str, files)]
    result = icjs(*args, *(["--outbound"] if outbound else []))
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert len(report["files"]) == len(files)
    return result.exit_code, {Path(f["file"]).name: f for f in report["files"]}


def is_inbound(pillar: str, golden: Path) -> bool:
    """Whether a golden file is a message the pillar sends (else the gateway sends it); the
    gateway sends the police nothing."""
    if pillar == "police":
        return True
    return golden.parent.name == "golden" and golden.name.split(".", 1)[0] in set(
        REGISTRY.get(pillar).inbound_message_types
    )


def golden_folder(pillar: str) -> Path:
    """A pillar's golden folder: its contract suite's, or (the police have no adapter, hence no
    suite) ``tests/adapters/police/golden``."""
    if pillar == "police":
        return ADAPTER_TESTS / "police" / "golden"
    folder: Path = suite_of(pillar).golden_dir
    return folder


def goldens(pillar: str) -> list[Path]:
    """Every golden file of a pillar, feed pages included."""
    return sorted(p for p in golden_folder(pillar).rglob("*") if p.suffix in MEDIA)


def type_of(pillar: str, golden: Path) -> str:
    """The message type of a golden message: its file name's first part (``hearing.bns.xml``),
    or for the police, whose types have a dot of their own, the ``type`` it names."""
    if pillar == "police":
        kind: str = json.loads(golden.read_bytes())["type"]
        return kind
    return golden.name.split(".", 1)[0]


@dataclass(frozen=True)
class Mutated:
    """A golden broken as the contract suite breaks it, and where its error must be."""

    pillar: str
    file: str
    body: bytes
    media_type: str
    inbound: bool
    code: str
    where: str
    mentions: str


def mutated_documents(pillar: str) -> list[Mutated]:
    """Every located mutation of the pillar's contract suite, as a document."""
    suite = suite_of(pillar)
    contract_suite = importlib.import_module("contract_suite")
    found = []
    for n, mutation in enumerate(suite.mutations):
        golden = suite.golden_dir / mutation.golden
        if golden.suffix == ".json":
            document = contract_suite.mutate_json(
                json.loads(golden.read_bytes()), mutation.action, mutation.target, mutation.value
            )
            body = json.dumps(document).encode()
        else:
            body = contract_suite.mutate_xml(
                golden.read_bytes(),
                mutation.action,
                mutation.target,
                suite.prefixes,
                mutation.value,
            )
        found.append(
            Mutated(
                pillar=pillar,
                file=f"m{n:03d}-{golden.name}",
                body=body,
                media_type=MEDIA[golden.suffix],
                inbound=is_inbound(pillar, golden),
                code=mutation.expect.code,
                where=mutation.target if mutation.where is None else mutation.where,
                mentions=mutation.mentions,
            )
        )
    return found


def test_every_pillar_has_a_contract_suite_with_mutations() -> None:
    """The kit is tried on every registered pillar: none is left out for want of a suite."""
    for pillar in PILLARS:
        assert suite_of(pillar).mutations, pillar
        assert any(is_inbound(pillar, g) for g in goldens(pillar)), pillar


@pytest.mark.parametrize("pillar", SENDING)
def test_every_golden_file_passes_the_kit(pillar: str) -> None:
    files = goldens(pillar)
    inbound = [g for g in files if is_inbound(pillar, g)]
    outbound = [g for g in files if not is_inbound(pillar, g)]
    assert inbound, pillar
    code, report = check(pillar, inbound)
    assert code == 0, [f for f in report.values() if not f["valid"]]
    assert {g.name: report[g.name]["message_type"] for g in inbound} == {
        g.name: type_of(pillar, g) for g in inbound
    }
    if outbound:
        code, report = check(pillar, outbound, outbound=True)
        assert code == 0, [f for f in report.values() if not f["valid"]]
        assert all(f["valid"] for f in report.values())


def test_the_police_goldens_are_one_case_with_every_message_type() -> None:
    """A golden file of every police message type, named ``<type>.<variant>.json`` after the
    type it holds; all of them of the README walkthrough's robbery (FIR MH/AU/CIDCO/2026/0417)
    or of the theft of the motorcycle seized in it (same serial, at Begumpura)."""
    files = goldens("police")
    assert {type_of("police", g) for g in files} == set(POLICE_MESSAGE_TYPES)
    for golden in files:
        assert golden.suffix == ".json", golden.name
        assert golden.name.startswith(type_of("police", golden) + "."), golden.name
        assert golden.name.count(".") == type_of("police", golden).count(".") + 2, golden.name
    firs = {value["fir"] for g in files for value in json.loads(g.read_bytes())["data"].values()}
    assert firs == {"MH/AU/CIDCO/2026/0417", "MH/AU/BEGUMPURA/2026/0417"}


@pytest.mark.parametrize("pillar", PILLARS)
def test_every_located_mutation_fails_the_kit_where_the_suite_expects(
    pillar: str, tmp_path: Path
) -> None:
    documents = mutated_documents(pillar)
    for inbound in (True, False):
        batch = [d for d in documents if d.inbound is inbound]
        if not batch:
            continue
        paths = []
        for document in batch:
            (tmp_path / document.file).write_bytes(document.body)
            paths.append(tmp_path / document.file)
        code, report = check(pillar, paths, outbound=not inbound)
        assert code == 1
        for document in batch:
            verdict = report[document.file]
            assert verdict["valid"] is False, document.file
            assert verdict["code"] == document.code, (document.file, verdict)
            assert verdict["status"] in (400, 415, 422), verdict
            assert any(
                document.where in error["location"]
                and document.mentions in f"{error['location']} {error['message']}"
                for error in verdict["errors"]
            ), (document.file, document.where, verdict["errors"])


def test_the_kit_answers_each_mutation_as_the_gateway_endpoint_does(
    http: TestClient, key_for: KeyMaker, tmp_path: Path
) -> None:
    """Every located mutation of every pillar, posted to ``POST /v1/<pillar>/messages``: the
    status, code, message, located errors and message type of the answer are the kit's.
    (Those of documents the gateway sends a pillar are refused alike, as unknown types.)"""
    compared = 0
    for pillar in PILLARS:
        headers = key_for(pillar, SENDERS[pillar])
        documents = mutated_documents(pillar)
        paths = []
        for document in documents:
            (tmp_path / f"{pillar}-{document.file}").write_bytes(document.body)
            paths.append(tmp_path / f"{pillar}-{document.file}")
        _code, report = check(pillar, paths)
        for document in documents:
            answer = http.post(
                f"/v1/{pillar}/messages",
                content=document.body,
                headers=headers | {"Content-Type": document.media_type},
            )
            body = answer.json()
            kit = report[f"{pillar}-{document.file}"]
            assert answer.status_code == kit["status"], (document.file, body, kit)
            keys = ("code", "message", "errors", "message_type")
            assert {k: body.get(k) for k in keys} == {k: kit.get(k) for k in keys}, document.file
            assert body["status"] == "rejected"
            compared += 1
    assert compared == sum(len(suite_of(p).mutations) for p in PILLARS)


def test_a_police_message_gets_the_gateways_answer(
    http: TestClient, key_for: KeyMaker, tmp_path: Path
) -> None:
    message = scenario.fir_registered(scenario.refs(7))
    valid = tmp_path / "fir.json"
    valid.write_bytes(as_json(message))
    assert check("police", [valid])[0] == 0

    message["data"]["fir"]["registered_at"] = "14/08/2026"
    broken = tmp_path / "fir-broken.json"
    broken.write_bytes(as_json(message))
    code, report = check("police", [broken])
    assert code == 1
    answer = http.post(
        "/v1/police/messages",
        content=broken.read_bytes(),
        headers=key_for("police", "MH/AU") | {"Content-Type": "application/json"},
    )
    kit = report["fir-broken.json"]
    assert (answer.status_code, answer.json()["errors"]) == (kit["status"], kit["errors"])
    assert any(e["location"].startswith("/data/fir/registered_at") for e in kit["errors"])


def test_text_output_names_each_file_and_each_located_error(tmp_path: Path) -> None:
    folder = suite_of("courts").golden_dir
    bad = tmp_path / "hearing.json"
    document = json.loads((folder / "hearing.bns.json").read_bytes())
    document["nextDate"] = "2025-13-01"
    bad.write_text(json.dumps(document))
    result = icjs("contracts", "check", "-p", "courts", str(folder / "hearing.bns.xml"), str(bad))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{folder / 'hearing.bns.xml'}: OK (hearing)"
    assert lines[1].startswith(f"{bad}: INVALID (hearing): 422 contract_violation: ")
    assert lines[2].startswith("  /nextDate: ")
    assert lines[-1] == "1 of 2 documents valid, 1 invalid"

    # A document the gateway sends, checked as if the court sent it: the gateway's refusal,
    # and what to do instead.
    sent = icjs("contracts", "check", "-p", "courts", str(folder / "chargesheet.bns.xml"))
    assert sent.exit_code == 1
    assert "unknown_message_type" in sent.stdout and "--outbound" in sent.stdout


def test_stdin_is_read_as_a_document() -> None:
    folder = suite_of("prisons").golden_dir
    golden = next(p for p in sorted(folder.glob("*.xml")) if is_inbound("prisons", p))
    result = icjs("contracts", "check", "-p", "prisons", "-", stdin=golden.read_bytes())
    assert (result.exit_code, result.stdout.split(":")[0]) == (0, "<stdin>")
    assert "OK" in result.stdout
    broken = icjs("contracts", "check", "-p", "prisons", "--json", "-", stdin=b"<admission>")
    assert broken.exit_code == 1
    (verdict,) = json.loads(broken.stdout)["files"]
    assert (verdict["file"], verdict["media_type"], verdict["code"]) == (
        "<stdin>",
        "application/xml",
        "malformed",
    )
    assert verdict["errors"][0]["location"].startswith("line 1 column")


def test_the_installed_command_exits_with_the_verdict() -> None:
    """The real process, as a pillar's CI runs it: 1 for an invalid document on stdin, 0 for
    a valid file."""
    golden = suite_of("courts").golden_dir / "hearing.bns.json"
    command = [sys.executable, "-m", "gateway", "contracts", "check", "--pillar", "courts"]
    broken = subprocess.run(
        [*command, "--json", "-"],
        input=golden.read_bytes().replace(b'"hearingDate"', b'"hearingDay"'),
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert broken.returncode == 1, broken.stderr
    (verdict,) = json.loads(broken.stdout)["files"]
    assert {"location": "/", "message": "'hearingDate' is a required property"} in verdict["errors"]
    valid = subprocess.run(
        [*command, str(golden)], capture_output=True, cwd=ROOT, check=False, text=True
    )
    assert (valid.returncode, valid.stdout.strip()) == (0, f"{golden}: OK (hearing)")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--pillar", "court", "x.json"],
            "unknown pillar 'court'; the pillars are: police, courts",
        ),
        (["--pillar", "courts", "no-such-file.json"], "cannot read no-such-file.json"),
        (["--pillar", "courts", "."], ". is a folder"),
        (["--pillar", "police", "--outbound", "x.json"], "the gateway sends the police no feed"),
        (["--pillar", "courts", "-", "-"], "'-' (standard input) may be named once"),
        (["--pillar", "courts"], "Missing argument"),
        (["x.json"], "Missing option '--pillar'"),
    ],
)
def test_usage_errors_exit_2_with_what_to_do(args: list[str], says: str) -> None:
    result = icjs("contracts", "check", *args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert result.stdout == ""


def test_export_writes_every_contract_and_golden_with_an_index(tmp_path: Path) -> None:
    target = tmp_path / "kit"
    result = icjs("contracts", "export", str(target))
    assert result.exit_code == 0, result.output
    index = json.loads((target / "index.json").read_text())
    listed = {
        entry["path"]: entry
        for pillar in index["pillars"].values()
        for entry in (*pillar["schemas"], *pillar["documentation"], *pillar["examples"])
    }
    on_disk = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert on_disk == {*listed, "index.json"}
    for path, entry in listed.items():
        assert hashlib.sha256((target / path).read_bytes()).hexdigest() == entry["sha256"]

    # Every contract, in DIR/<pillar>/schemas/<version>/, and every golden of every pillar.
    contracts = {e["contract"] for p in index["pillars"].values() for e in p["schemas"]}
    assert contracts == {ref.name for ref in list_contracts()}
    assert (target / "courts" / "schemas" / "v1" / "hearing.xsd").is_file()
    assert (target / "courts" / "schemas" / "v1" / "README.md").is_file()
    for pillar in SENDING:
        examples = index["pillars"][pillar]["examples"]
        folder = golden_folder(pillar)
        # The police's beside the canonical contracts they send.
        where = "canonical" if pillar == "police" else pillar
        assert sorted(e["path"] for e in examples) == sorted(
            f"{where}/examples/{g.relative_to(folder).as_posix()}" for g in goldens(pillar)
        )
        by_path = {e["path"].rsplit("/examples/", 1)[1]: e for e in examples}
        for golden in goldens(pillar):
            entry = by_path[golden.relative_to(folder).as_posix()]
            assert entry["direction"] == ("in" if is_inbound(pillar, golden) else "out")
            if entry["direction"] == "in":
                assert entry["message_type"] == type_of(pillar, golden), entry
    assert index["pillars"]["police"]["schemas"][0]["path"].startswith("canonical/schemas/v1/")
    police = index["pillars"]["police"]["examples"]
    assert {e["message_type"] for e in police} == set(POLICE_MESSAGE_TYPES)
    assert {(e["direction"], e["schema"]) for e in police} == {
        ("in", "canonical/schemas/v1/police-message.schema.json")
    }

    # Each schema loads from the export alone (its references are to files beside it) ...
    validators: dict[str, Any] = {}
    for path in listed:
        if path.endswith(".schema.json"):
            schema = json.loads((target / path).read_text())
            Draft202012Validator.check_schema(schema)
            folder_of = (target / path).parent
            resources = [
                (p.name, Resource.from_contents(json.loads(p.read_text()), DRAFT202012))
                for p in folder_of.glob("*.schema.json")
            ]
            validators[path] = Draft202012Validator(
                schema,
                registry=Registry().with_resources(resources),
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
        elif path.endswith(".xsd"):
            validators[path] = etree.XMLSchema(etree.parse(str(target / path)))
    assert len(validators) == len(list_contracts())

    # ... and each example satisfies the schema the index names for it, read from the export,
    for pillar in SENDING:
        examples = index["pillars"][pillar]["examples"]
        for example in examples:
            validator = validators[example["schema"]]
            data = (target / example["path"]).read_bytes()
            if isinstance(validator, etree.XMLSchema):
                assert validator.validate(etree.fromstring(data)), example["path"]
            else:
                assert list(validator.iter_errors(json.loads(data))) == [], example["path"]
        # and passes the kit in its direction.
        for direction in ("in", "out"):
            paths = [target / e["path"] for e in examples if e["direction"] == direction]
            if paths:
                assert check(pillar, paths, outbound=direction == "out")[0] == 0


def test_export_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path: Path) -> None:
    kept = tmp_path / "notes.txt"
    kept.write_text("mine")
    refused = icjs("contracts", "export", str(tmp_path))
    assert refused.exit_code == 2
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

    forced = icjs("contracts", "export", "--force", str(tmp_path))
    assert forced.exit_code == 0, forced.output
    assert kept.read_text() == "mine"
    assert (tmp_path / "index.json").is_file()

    not_a_folder = icjs("contracts", "export", str(kept))
    assert not_a_folder.exit_code == 2
    assert "is not a folder" in not_a_folder.stderr


def test_the_gateways_limits_apply_as_configured(tmp_path: Path) -> None:
    """ICJS_MAX_ERRORS and ICJS_MAX_BODY_BYTES, read as the gateway reads them."""
    document = json.loads((suite_of("courts").golden_dir / "hearing.bns.json").read_bytes())
    del document["hearingDate"]
    document["nextDate"] = "2025-13-01"
    path = tmp_path / "hearing.json"
    path.write_text(json.dumps(document))
    args = ["contracts", "check", "-p", "courts", "--json", str(path)]

    (every,) = json.loads(icjs(*args).stdout)["files"]
    assert len(every["errors"]) == 2 and "errors_omitted" not in every
    capped = CliRunner().invoke(cli.app, args, env={"ICJS_MAX_ERRORS": "1"})
    (verdict,) = json.loads(capped.stdout)["files"]
    assert verdict["errors"] == [
        every["errors"][0],
        {"location": "/", "message": "... and 1 more error"},
    ]
    assert verdict["errors_omitted"] == 1

    too_large = CliRunner().invoke(cli.app, args, env={"ICJS_MAX_BODY_BYTES": "100"})
    assert too_large.exit_code == 1
    (verdict,) = json.loads(too_large.stdout)["files"]
    assert (verdict["status"], verdict["code"]) == (413, "payload_too_large")
