"""Hostile input against the embedded gateway: the worst shapes an attacker found, at growing
sizes, each answered by the gateway and by a bare FastAPI endpoint that only reads the body.

    .venv/bin/python bench/abuse.py [--sizes 16,64,256,1024] [--shape custody]

Sizes are KiB of request body. Both apps run in this process behind Starlette's TestClient (the
in-process ASGI client), so the figures are the server's work, not the network's. The goal:
1 MiB of hostile input answered in under 1 s; each line says whether its shape meets it.

Shapes:

* ``custody``: a laboratory's custody message (JSON) whose every chain entry breaks the
  contract (one located error per entry);
* ``custody-xml``: the same in the laboratory's XML;
* ``attributes``: a courts XML hearing whose root carries thousands of undeclared attributes
  (one schema error per attribute);
* ``siblings``: a courts XML hearing with thousands of repeated elements (schema errors that
  must be located by XPath among thousands of siblings);
* ``fir-errors``: a police FIR with thousands of accused, each with a bad field;
* ``big-integer``: a JSON body that is one integer of as many digits as the size allows;
* ``control-chars``: a police FIR whose strings are full of characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from canonical_model.events import HearingRecorded, payload_class  # noqa: E402
from gateway.api.app import create_app  # noqa: E402
from gateway.bootstrap import Gateway, build_gateway  # noqa: E402
from gateway.cli import scenario  # noqa: E402
from gateway.services.auth import create_client  # noqa: E402
from gateway.services.institutions import seed_sample_directory  # noqa: E402
from gateway.settings import Settings  # noqa: E402
from gateway.store.db import make_engine, upgrade  # noqa: E402

GOAL_SECONDS = 1.0
CASE = scenario.refs(7)
JSON_TYPE = "application/json"
XML_TYPE = "application/xml"


def bare_app() -> FastAPI:
    """The baseline: FastAPI, one POST route that reads the body and answers 202."""
    app = FastAPI()

    @app.post("/v1/{pillar}/messages")
    async def take(pillar: str, request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse({"status": "accepted", "size": len(body)}, status_code=202)

    return app


def embedded_gateway(workdir: Path) -> Gateway:
    url = f"sqlite:///{workdir / 'icjs.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_sample_directory(session)
        session.commit()
    engine.dispose()
    return build_gateway(
        Settings(
            database_url=url,
            kafka_bootstrap_servers=None,
            log_level="WARNING",
            max_body_bytes=8 * 1024 * 1024,
        )
    )


def key(gateway: Gateway, pillar: str, institution: str) -> dict[str, str]:
    with gateway.db.session(write=True) as session:
        _, secret = create_client(
            session, name=f"bench-{pillar}", pillar=pillar, institution=institution
        )
    return {"Authorization": f"Bearer {secret}"}


# -- the shapes: (pillar, media type, body of about ``size`` bytes) ----------------------------


def _lab_document(gateway: Gateway, media_type: str) -> bytes:
    payload = payload_class("forensic.custody_recorded").model_validate(
        scenario.forensic_custody(CASE)
    )
    body: bytes = gateway.adapters.get("forensics").encode(payload, media_type=media_type)  # type: ignore[attr-defined]
    return body


def _custody_entries(gateway: Gateway, size: int, action: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_lab_document(gateway, JSON_TYPE))
    entry = dict(document["chainOfCustody"][0]) | {"action": action}
    per = len(json.dumps(entry)) + 2
    document["chainOfCustody"] = [entry] * max(1, size // per)
    return document


def custody(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    return (
        "forensics",
        JSON_TYPE,
        json.dumps(_custody_entries(gateway, size, "teleported")).encode(),
    )


def custody_valid(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    return "forensics", JSON_TYPE, json.dumps(_custody_entries(gateway, size, "examined")).encode()


def custody_xml(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    body = _lab_document(gateway, XML_TYPE)
    start = body.index(b"<custodyEntry>")
    end = body.index(b"</custodyEntry>") + len(b"</custodyEntry>")
    entry = re.sub(rb"<action>[^<]*</action>", b"<action>teleported</action>", body[start:end])
    copies = max(1, size // len(entry))
    return "forensics", XML_TYPE, body[:start] + entry * copies + body[end:]


def _court_xml(gateway: Gateway) -> bytes:
    payload = HearingRecorded.model_validate({"hearing": scenario.hearings(CASE)[0]})
    body: bytes = gateway.adapters.get("courts").encode(payload, media_type=XML_TYPE)  # type: ignore[attr-defined]
    return body


def attributes(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    body = _court_xml(gateway)
    root = body.index(b"<", body.index(b"?>") + 2)
    name_end = root + 1
    while body[name_end : name_end + 1] not in (b" ", b">", b"/"):
        name_end += 1
    count = max(1, size // 12)
    attrs = b"".join(b' a%d="1"' % i for i in range(count))
    return "courts", XML_TYPE, body[:name_end] + attrs + body[name_end:]


def fir_errors(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    message = scenario.fir_registered(CASE)
    accused = message["data"]["fir"]["accused"]
    bad = dict(accused[0]) | {"ref": "not a ref!", "age": -5}
    per = len(json.dumps(bad)) + 2
    message["data"]["fir"]["accused"] = [bad] * max(1, size // per)
    return "police", JSON_TYPE, json.dumps(message).encode()


def big_integer(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    return "police", JSON_TYPE, b'{"type": ' + b"9" * size + b"}"


def control_chars(gateway: Gateway, size: int) -> tuple[str, str, bytes]:
    message = scenario.fir_registered(CASE)
    message["data"]["fir"]["brief_facts"] = "Wit\u0001ness " * max(1, size // 14)
    return "police", JSON_TYPE, json.dumps(message).encode()


SHAPES: dict[str, Callable[[Gateway, int], tuple[str, str, bytes]]] = {
    "custody": custody,
    "custody-xml": custody_xml,
    "attributes": attributes,
    "custody-valid": custody_valid,
    "fir-errors": fir_errors,
    "big-integer": big_integer,
    "control-chars": control_chars,
}
KEYS = {
    "police": ("police", scenario.STATION),
    "courts": ("courts", "MHAU01"),
    "forensics": ("forensics", scenario.LAB.lower()),
}


def timed(
    client: TestClient, pillar: str, media_type: str, body: bytes, headers: dict[str, str]
) -> tuple[float, Any]:
    started = time.perf_counter()
    response = client.post(
        f"/v1/{pillar}/messages", content=body, headers=headers | {"Content-Type": media_type}
    )
    return time.perf_counter() - started, response


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="16,64,256,1024", help="body sizes in KiB")
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these")
    args = parser.parse_args()
    sizes = [int(s) * 1024 for s in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="icjs-abuse-"))
    gateway = embedded_gateway(workdir)
    headers = {pillar: key(gateway, *KEYS[pillar]) for pillar in KEYS}
    failures = 0
    with (
        TestClient(create_app(gateway), raise_server_exceptions=False) as client,
        TestClient(bare_app()) as bare,
    ):
        print(
            f"{'shape':<14} {'KiB':>6} {'status':>6} {'errors':>7} {'answer B':>9} "
            f"{'gateway s':>10} {'bare s':>8}  goal"
        )
        for shape in args.shape or list(SHAPES):
            for size in sizes:
                pillar, media_type, body = SHAPES[shape](gateway, size)
                seconds, response = timed(client, pillar, media_type, body, headers[pillar])
                bare_seconds, _ = timed(bare, pillar, media_type, body, {})
                try:
                    errors = len(response.json().get("errors", []))
                except ValueError:
                    errors = -1
                within = len(body) <= 1024 * 1024 + 64 * 1024
                meets = seconds < GOAL_SECONDS
                failures += response.status_code >= 500 or (within and not meets)
                verdict = ("meets" if meets else "MISSES") if within else "(over 1 MiB)"
                print(
                    f"{shape:<14} {len(body) // 1024:>6} {response.status_code:>6} {errors:>7} "
                    f"{len(response.content):>9} {seconds:>10.3f} {bare_seconds:>8.4f}  {verdict}",
                    flush=True,
                )
    gateway.close()
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
