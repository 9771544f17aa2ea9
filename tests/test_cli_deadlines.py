"""``icjs deadlines`` on SQLite and PostgreSQL (in process, ICJS_DATABASE_URL naming the
test's own store)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from gateway.cli import main as cli
from gateway.cli import scenario
from gateway.settings import Settings
from tests.conftest import as_json

CASE = scenario.refs(43)
JSON = {"Content-Type": "application/json"}


def icjs(settings: Settings, *args: str) -> Result:
    """Run ``icjs`` on the test's store."""
    return CliRunner().invoke(cli.app, list(args), env={"ICJS_DATABASE_URL": settings.database_url})


def test_deadlines_lists_the_open_clocks_and_filters_by_institution(
    settings: Settings, http: TestClient, key_for: Any
) -> None:
    police = key_for("police", "MH/AU") | JSON
    arrest = scenario.person_arrested(CASE)
    del arrest["data"]["arrest"]["produced_before"]
    del arrest["data"]["arrest"]["produced_at"]
    for message in (scenario.fir_registered(CASE), arrest):
        assert (
            http.post("/v1/police/messages", content=as_json(message), headers=police).status_code
            == 202
        )

    # Arrested 17 August 2026 at 11:05 IST and never produced: overdue from the 19th by date.
    listed = icjs(settings, "deadlines", "--as-of", "2026-08-19")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:4] == ["STATE", "DUE", "ON", "DAYS"]
    assert lines[1].split()[:5] == ["overdue", "2026-08-18", "-1", "BNSS", "58"]
    assert str(CASE.fir) in lines[1] and "police MH/AU/CIDCO" in lines[1]

    elsewhere = icjs(settings, "deadlines", "--institution", "MH/PU", "--as-of", "2026-08-19")
    assert (elsewhere.exit_code, elsewhere.stdout.strip()) == (0, "no deadlines")
    as_json_out = icjs(
        settings, "deadlines", "--json", "--state", "overdue", "--as-of", "2026-08-19"
    )
    assert [d["provision"] for d in json.loads(as_json_out.stdout)["deadlines"]] == ["BNSS 58"]


def test_a_bad_date_is_named(settings: Settings) -> None:
    refused = icjs(settings, "deadlines", "--as-of", "19/08/2026")
    assert refused.exit_code == 2
    assert "--as-of '19/08/2026' is not a date (YYYY-MM-DD)" in refused.stderr
