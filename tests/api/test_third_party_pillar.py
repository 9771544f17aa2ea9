"""A pillar shipped in a third-party package gets keys and access like the built-in ones.

The package is made here for real: a module and its ``*.dist-info`` with an ``icjs.adapters``
entry point, put on the path of a fresh Python process, which then finds it the way the gateway
finds its own adapters. Its pillar is a District Child Protection Unit (Juvenile Justice (Care
and Protection of Children) Act 2015 s.106), which sends nothing and reads the cases of its
district; its policy says so, and the gateway's keys, directory, routes and case reads follow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PACKAGE = '''
"""A District Child Protection Unit pillar (JJ Act 2015 s.106), as a third party ships it."""

from typing import Any, ClassVar

from canonical_model.errors import UnknownMessageType
from canonical_model.events import EventPayload
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import Policy


class DcpuPolicy(Policy):
    """A unit reads the cases of its district and sends nothing (yet)."""

    pillar: ClassVar[str] = "dcpu"
    noun: ClassVar[str] = "child protection unit"
    institution_help: ClassVar[str] = "dcpu: STATE/DISTRICT/DCPU (MH/AU/DCPU)"

    def normalise_institution(self, code: str) -> str:
        text = code.strip().upper()
        state, district, unit = (text.split("/") + ["", "", ""])[:3]
        if len(state) != 2 or not district or unit != "DCPU":
            raise ValueError(f"child protection unit {code!r}: expected STATE/DISTRICT/DCPU")
        return text

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        district = institution.rsplit("/", 1)[0]
        return (status.police_station or "").startswith(district + "/")


class DcpuAdapter:
    """The unit's adapter: no inbound messages, no feed."""

    pillar = "dcpu"
    policy = DcpuPolicy()
    media_types = ("application/json",)
    inbound_message_types: tuple[str, ...] = ()
    feed_event_types: tuple[str, ...] = ()

    def sniff_type(self, body: bytes, *, media_type: str) -> str | None:
        return None

    def decode(self, body: bytes, *, media_type: str) -> Any:
        raise UnknownMessageType("a child protection unit sends no messages")

    def encode_feed(self, items: Any, *, institution: str, next_cursor: Any, media_type: str) -> bytes:
        return b""

    def feed_institutions(self, payload: EventPayload) -> tuple[str, ...]:
        return ()
'''

SCRIPT = """
import json, sys
from fastapi.testclient import TestClient
from gateway.cli import scenario
from gateway.api.app import create_app
from gateway.services.auth import create_client
from gateway.bootstrap import build_gateway
from gateway.services.institutions import add_institution, seed_sample_directory
from gateway.settings import Settings

gateway = build_gateway(Settings(database_url=sys.argv[1], kafka_bootstrap_servers=None))
assert "dcpu" in gateway.policies.pillars, gateway.policies.pillars
with gateway.db.session(write=True) as session:
    seed_sample_directory(session)
    try:
        create_client(session, name="x", pillar="dcpu", institution="MH/AU/DCPU")
    except ValueError as unlisted:
        print("unlisted:", unlisted)
    try:
        add_institution(session, pillar="dcpu", code="MHAU", name="bad", state="MH", district="AU")
    except ValueError as malformed:
        print("malformed:", malformed)
    add_institution(session, pillar="dcpu", code="mh/au/dcpu", name="DCPU Aurangabad", state="MH", district="AU")
    add_institution(session, pillar="dcpu", code="MH/PU/DCPU", name="DCPU Pune", state="MH", district="PU")
    _, police = create_client(session, name="p", pillar="police", institution="MH/AU")
    _, aurangabad = create_client(session, name="a", pillar="dcpu", institution="MH/AU/DCPU")
    _, pune = create_client(session, name="b", pillar="dcpu", institution="MH/PU/DCPU")

def auth(key):
    return {"Authorization": f"Bearer {key}"}

case = scenario.refs(1)
with TestClient(create_app(gateway)) as http:
    fir = http.post("/v1/police/messages", content=json.dumps(scenario.fir_registered(case)),
                    headers=auth(police) | {"Content-Type": "application/json"})
    print("fir:", fir.status_code)
    print("own district:", http.get(f"/v1/cases/{case.fir}", headers=auth(aurangabad)).status_code)
    print("other district:", http.get(f"/v1/cases/{case.fir}", headers=auth(pune)).status_code)
    sent = http.post("/v1/dcpu/messages", content=b"{}",
                     headers=auth(aurangabad) | {"Content-Type": "application/json"})
    print("message:", sent.status_code, sent.json()["code"])
    print("police to dcpu:", http.post("/v1/dcpu/messages", content=b"{}",
          headers=auth(police) | {"Content-Type": "application/json"}).status_code)
gateway.close()
"""


def test_a_third_party_pillar_gets_keys_and_access_from_its_own_policy(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "icjs_dcpu").mkdir(parents=True)
    (site / "icjs_dcpu" / "__init__.py").write_text(textwrap.dedent(PACKAGE))
    info = site / "icjs_dcpu-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: icjs-dcpu\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[icjs.adapters]\ndcpu = icjs_dcpu:DcpuAdapter\n")
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}

    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'icjs.db'}"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("unlisted: dcpu institution MH/AU/DCPU is not in the institution")
    assert lines[1].startswith("malformed: ") and "STATE/DISTRICT/DCPU" in lines[1]
    assert lines[2:] == [
        "fir: 202",
        "own district: 200",
        "other district: 404",
        "message: 422 unknown_message_type",
        "police to dcpu: 403",
    ]
