"""The person index with a trained model, over HTTP on both stores: a labelled synthetic
population is loaded through the index's batch path and linked by ``icjs persons link``
(Splink, parameters estimated from those records); then an FIR accepted over HTTP names a
known person under another spelling and no document, and the incremental linker puts the new
record in that person by the model; search answers match probabilities with the reasons; an
operator's split survives the next re-link."""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select
from typer.testing import CliRunner

from bench.person_population import LabelledMention, generate
from gateway.bootstrap import Gateway
from gateway.cli import main as cli
from gateway.cli import scenario
from gateway.services.persons.index import load_mentions
from gateway.settings import Settings
from gateway.store.tables import PersonLinkRow, PersonModelRow, PersonRecordRow

JSON = "application/json"
PURPOSE = {"X-Purpose": "investigation: linking test"}
PERSONS = 400


@pytest.fixture
def population(gateway: Gateway, settings: Settings) -> list[LabelledMention]:
    """The population loaded and linked by the command a user runs."""
    labelled = generate(persons=PERSONS, seed=7)
    assert load_mentions(db=gateway.db, mentions=(m.mention for m in labelled)) == len(labelled)
    result = CliRunner().invoke(
        cli.app, ["persons", "link"], env={"ICJS_DATABASE_URL": settings.database_url}
    )
    assert result.exit_code == 0, result.output
    assert "persons" in result.stdout
    return labelled


def _repeat_offender(labelled: list[LabelledMention]) -> LabelledMention:
    """A Latin-script record of a person with two or more records, father's name and age."""
    counts = Counter(m.truth for m in labelled)
    for item in labelled:
        mention = item.mention
        if (
            counts[item.truth] >= 2
            and mention.case_id
            and mention.father_name
            and mention.birth_year
            and mention.name.isascii()
            and len(mention.name.split()) >= 2
            and not mention.juvenile
        ):
            return item
    raise AssertionError("the population has no repeat offender written in Latin")


def test_a_new_fir_joins_a_known_person_by_the_model(
    http: TestClient, gateway: Gateway, key_for: Any, population: list[LabelledMention]
) -> None:
    with gateway.db.session() as session:
        model = session.exec(select(PersonModelRow)).one()
        known = {r.record_key: r for r in session.exec(select(PersonRecordRow)).all()}
    assert model.records == len(known)
    assert model.model["comparisons"], "parameters estimated from the records"
    target = _repeat_offender(population)
    person = known[target.mention.record_key].person_id
    mention = target.mention
    # The same man in a new FIR, his name with its words the other way round, no document.
    words = mention.name.split()
    message = copy.deepcopy(scenario.fir_registered(scenario.refs(1)))
    message["data"]["fir"]["fir"] = "MH/PU/SHIVAJINAGAR/2026/0901"
    message["data"]["fir"]["accused"] = [
        {
            "ref": "A1",
            "name": " ".join([*words[1:], words[0]]),
            "father_name": mention.father_name,
            "gender": mention.gender,
            "age": 2026 - (mention.birth_year or 0),
            "addresses": [
                {"line": "not known", "district": mention.district, "state": mention.state}
            ]
            if mention.district and mention.state
            else [],
        }
    ]
    police = key_for("police", "MH/PU")
    answer = http.post(
        "/v1/police/messages",
        content=json.dumps(message).encode(),
        headers=police | {"Content-Type": JSON},
    )
    assert answer.status_code == 202, answer.text
    with gateway.db.session() as session:
        new = session.exec(
            select(PersonRecordRow).where(
                col(PersonRecordRow.fir) == "MH/PU/SHIVAJINAGAR/2026/0901"
            )
        ).one()
    assert new.linked_by == "model", (new.linked_by, new.link_probability)
    assert new.person_id == person
    assert new.link_probability is not None and new.link_probability >= 0.9

    found = http.get(
        "/v1/persons/search",
        params={"name": mention.name, "father_name": mention.father_name},
        headers=police | PURPOSE,
    )
    assert found.status_code == 200, found.text
    results = found.json()["results"]
    assert person in [r["person_id"] for r in results]
    best = next(r for r in results if r["person_id"] == person)
    assert best["match_probability"] is not None
    name_reason = next(r for r in best["reasons"] if r["field"] == "name")
    assert name_reason["agreement"] and name_reason["weight"] is not None
    assert "MH/PU/SHIVAJINAGAR/2026/0901" in {c["fir"] for c in best["cases"]}


def test_a_split_survives_the_next_relink(
    http: TestClient,
    gateway: Gateway,
    key_for: Any,
    settings: Settings,
    population: list[LabelledMention],
) -> None:
    with gateway.db.session() as session:
        rows = session.exec(select(PersonRecordRow)).all()
    by_person: dict[str, list[PersonRecordRow]] = {}
    for row in rows:
        by_person.setdefault(row.person_id or "", []).append(row)
    a, b = next(group[:2] for group in by_person.values() if len(group) >= 2)
    with gateway.db.session(write=True) as session:
        link = PersonLinkRow(
            record_a=min(a.record_key, b.record_key),
            record_b=max(a.record_key, b.record_key),
            match_probability=0.97,
        )
        session.add(link)
        session.flush()
        link_id = link.id
    ops = key_for("operator", "NIC")
    answer = http.post(f"/v1/admin/person-links/{link_id}/split", headers=ops)
    assert answer.status_code == 200, answer.text
    result = CliRunner().invoke(
        cli.app, ["persons", "link"], env={"ICJS_DATABASE_URL": settings.database_url}
    )
    assert result.exit_code == 0, result.output
    with gateway.db.session() as session:
        after = {
            r.record_key: r.person_id
            for r in session.exec(
                select(PersonRecordRow).where(
                    col(PersonRecordRow.record_key).in_([a.record_key, b.record_key])
                )
            ).all()
        }
        kept = session.get(PersonLinkRow, link_id)
    assert after[a.record_key] != after[b.record_key]
    assert kept is not None and kept.state == "split"
