"""Production mode, the person index: ``icjs worker persons`` (the Kafka consumer group
``icjs-persons``, reading the case and registry topics) fills the index from FIRs of two
States and a Sarathi licence record; the accused of both FIRs, who carry the same document,
are one person whom a search through ``icjs serve`` finds with both cases; the licence holder
is indexed but never a search result; ``/readyz`` reports the group's lag."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
from production_harness import Stack

from canonical_model.events import payload_class
from gateway.cli import scenario
from gateway.services.auth import create_client

PURPOSE = {"X-Purpose": "production test of the person index"}


def fir(number: str, name: str, state: str) -> dict[str, Any]:
    message = copy.deepcopy(scenario.fir_registered(scenario.refs(1)))
    message["data"]["fir"]["fir"] = number
    message["data"]["fir"]["place"] = {"description": "market", "state": state}
    message["data"]["fir"]["accused"] = [
        {
            "ref": "A1",
            "name": name,
            "father_name": "Shankar Jadhav",
            "gender": "male",
            "age": 27,
            "identity_documents": [{"kind": "voter_id", "number": "MHX1234567"}],
        }
    ]
    return message


def licence_record() -> Any:
    return payload_class("licence.record").model_validate(
        {
            "record": {
                "licence": "MH14 20110012345",
                "holder": "Vinod Prabhakar Kulkarni",
                "date_of_birth": "1974-01-05",
                "classes": ["LMV"],
                "valid_from": "2011-05-01",
                "valid_until": "2031-04-30",
                "as_of": "2026-10-02",
            }
        }
    )


def test_the_persons_worker_fills_the_index_from_both_topics(prod: Stack) -> None:
    with prod.gateway.db.session(write=True) as session:
        _, ka_key = create_client(session, name="prod-ka", pillar="police", institution="KA")
        _, sarathi_key = create_client(
            session, name="prod-sarathi", pillar="transport", institution="SARATHI"
        )
    server = prod.serve()
    prod.worker("worker-persons", pillar="persons")
    prod.post([server], [fir("MH/AU/CIDCO/2026/0007", "Ramesh Shankar Jadhav", "MH")])
    ka = {"Authorization": f"Bearer {ka_key}", "Content-Type": "application/json"}
    answer = httpx.post(
        f"{server.url}/v1/police/messages",
        content=json.dumps(fir("KA/BN/HALASURU/2026/0042", "R. S. Jadhav", "KA")).encode(),
        headers=ka,
        timeout=30,
    )
    assert answer.status_code == 202, answer.text
    sarathi = prod.gateway.adapters.get("transport")
    body = sarathi.encode(licence_record(), media_type="application/json")  # type: ignore[attr-defined]
    answer = httpx.post(
        f"{server.url}/v1/transport/messages",
        content=body,
        headers={"Authorization": f"Bearer {sarathi_key}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 202, answer.text

    prod.wait_for(
        lambda: prod.scalar("SELECT count(*) FROM person_records") == 3,
        "the persons worker to index two accused and a licence holder",
        timeout=60,
    )
    rows = prod.sql("SELECT record_key, person_id, linked_by FROM person_records ORDER BY id")
    by_key = {key: (person, how) for key, person, how in rows}
    accused = [v for k, v in by_key.items() if k.startswith("case:")]
    assert len(accused) == 2
    assert accused[0][0] == accused[1][0], "one person, by the shared document"
    assert "licence:MH1420110012345" in by_key

    found = httpx.get(
        f"{server.url}/v1/persons/search",
        params={"name": "Ramesh Jadhav", "father_name": "Shankar Jadhav"},
        headers=prod.keys.police | PURPOSE,
        timeout=30,
    )
    assert found.status_code == 200, found.text
    (first, *_) = found.json()["results"]
    assert {c["fir"] for c in first["cases"]} == {
        "MH/AU/CIDCO/2026/0007",
        "KA/BN/HALASURU/2026/0042",
    }
    holder = httpx.get(
        f"{server.url}/v1/persons/search",
        params={"name": "Vinod Prabhakar Kulkarni"},
        headers=prod.keys.police | PURPOSE,
        timeout=30,
    )
    assert holder.json()["results"] == [], "a licence holder is no criminal record"

    def persons_group_caught_up() -> bool:
        report = server.readyz()
        group = report.get("consumers", {}).get("persons")
        return bool(group) and group["lag"] == 0 and group["members"] == 1

    prod.wait_for(persons_group_caught_up, "/readyz to show the persons group caught up")
