"""``icjs institutions`` and the directory's hold on ``icjs clients``, on SQLite and PostgreSQL
(in process, with ICJS_DATABASE_URL naming the test's own store)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from gateway.api.app import create_app
from gateway.cli import main as cli
from gateway.services.institutions import SAMPLE_DIRECTORY
from gateway.settings import Settings


def icjs(settings: Settings, *args: str) -> Result:
    """Run ``icjs`` on the test's store."""
    return CliRunner().invoke(cli.app, list(args), env={"ICJS_DATABASE_URL": settings.database_url})


def test_add_then_list_shows_the_institution(settings: Settings) -> None:
    added = icjs(
        settings,
        *("institutions", "add", "--pillar", "courts", "--code", "mhng01"),
        *("--name", "Chief Judicial Magistrate, Nagpur", "--level", "magistrate"),
    )
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == (
        "courts MHNG01: Chief Judicial Magistrate, Nagpur (MH/NG), magistrate"
    )
    listed = icjs(settings, "institutions", "list", "--pillar", "courts")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["PILLAR", "CODE", "STATE", "DISTRICT", "LEVEL", "NAME"]
    rows = {line.split()[1]: line for line in lines[1:]}
    assert rows["MHNG01"].split()[:5] == ["courts", "MHNG01", "MH", "NG", "magistrate"]
    assert rows["MHNG01"].endswith("Chief Judicial Magistrate, Nagpur")
    assert rows["MHHC01"].split()[:5] == ["courts", "MHHC01", "MH", "-", "high_court"]
    assert rows["MHAU01"].endswith("[SAMPLE]"), "the sample's rows are marked"
    assert all(line.startswith("courts ") for line in lines[1:])
    everything = icjs(settings, "institutions", "list")
    assert "MH/AU/CIDCO" in everything.stdout and "MHNG01" in everything.stdout


def test_add_refuses_a_court_without_its_level(settings: Settings) -> None:
    refused = icjs(
        settings, "institutions", "add", "--pillar", "courts", "--code", "MHNG01", "--name", "CJM"
    )
    assert refused.exit_code == 2
    assert "error: level: a court needs its level: one of magistrate" in refused.stderr
    listed = icjs(settings, "institutions", "list", "--pillar", "courts")
    assert "MHNG01" not in listed.stdout


def test_import_reports_each_bad_row_by_line_and_column(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "nagpur.csv"
    path.write_text(
        "pillar,code,name,state,district,level\n"
        "police,MH/NG,Nagpur City Police,,,\n"
        "courts,MHNG01,CJM Nagpur,,,chief\n"
        "prisons,NAGPUR_CP,Nagpur Central Prison,MH,NG,\n"
        "prosecution,MH/NG/DDP,DDP Nagpur,MH,AU,\n"
    )
    result = icjs(settings, "institutions", "import", str(path))
    assert result.exit_code == 1, "a rejected row makes the exit status 1"
    assert result.stdout.splitlines() == [
        "imported 2, rejected 2",
        "line 3, column level: one of magistrate, sessions, high_court, juvenile_justice_board "
        "(got 'chief')",
        "line 5, column district: the code MH/NG/DDP is in district NG (got 'AU')",
    ]
    assert "4/4 rows" in result.stderr, "progress goes to stderr"
    listed = icjs(settings, "institutions", "list")
    assert "MH/NG " in listed.stdout and "NAGPUR_CP" in listed.stdout
    assert "MHNG01" not in listed.stdout and "MH/NG/DDP" not in listed.stdout
    clean = tmp_path / "clean.csv"
    clean.write_text("pillar,code,name,state,district,level\ncourts,MHNG01,CJM,,,magistrate\n")
    ok = icjs(settings, "institutions", "import", str(clean))
    assert ok.exit_code == 0 and ok.stdout.strip() == "imported 1, rejected 0"


def test_import_refuses_a_wrong_header(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("code,name\nMHNG01,CJM\n")
    result = icjs(settings, "institutions", "import", str(path))
    assert result.exit_code == 1
    assert "line 1: the header must be 'pillar,code,name,state,district,level'" in result.stdout
    neither = icjs(settings, "institutions", "import")
    assert neither.exit_code == 2 and "give a FILE.csv or --sample" in neither.stderr


def test_a_key_for_an_unlisted_institution_is_refused(settings: Settings) -> None:
    refused = icjs(settings, "clients", "add", "--pillar", "prisons", "--institution", "NAGPUR_CP")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        "error: prisons institution NAGPUR_CP is not in the institution directory; add it with "
        "`icjs institutions add` or `icjs institutions import`"
    )
    assert "NAGPUR_CP" not in icjs(settings, "clients", "list").stdout
    added = icjs(
        settings,
        *("institutions", "add", "--pillar", "prisons", "--code", "NAGPUR_CP"),
        *("--name", "Nagpur Central Prison", "--state", "MH", "--district", "NG"),
    )
    assert added.exit_code == 0, added.output
    made = icjs(settings, "clients", "add", "--pillar", "prisons", "--institution", "nagpur_cp")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().startswith("icjs_prisons_")


def test_revoke_makes_the_key_answer_401(settings: Settings) -> None:
    made = icjs(settings, "clients", "add", "--pillar", "courts", "--institution", "MHAU01")
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    headers = {"Authorization": f"Bearer {key}"}
    live = settings.model_copy(update={"auth_cache_seconds": 0})
    with TestClient(create_app(settings=live)) as http:
        before = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=headers)
        listed = icjs(settings, "clients", "list").stdout.splitlines()
        client_id = listed[1].split("\t")[0]  # under the header row
        revoked = icjs(settings, "clients", "revoke", client_id)
        after = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=headers)
    assert before.status_code == 200
    assert revoked.exit_code == 0, revoked.output
    assert revoked.stdout.strip() == f"revoked client {client_id} courts MHAU01 (courts-MHAU01)"
    assert after.status_code == 401, "the gateway caches nothing here, so at once"
    assert icjs(settings, "clients", "list").stdout.rstrip().endswith("revoked")
    unknown = icjs(settings, "clients", "revoke", "9999")
    assert unknown.exit_code == 2 and "no client with id 9999" in unknown.stderr


def test_import_sample_loads_the_sample_directory_into_a_new_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'new.db'}")
    refused = icjs(settings, "clients", "add", "--pillar", "police", "--institution", "MH/AU")
    assert refused.exit_code == 2 and "not in the institution directory" in refused.stderr
    loaded = icjs(settings, "institutions", "import", "--sample")
    assert loaded.exit_code == 0, loaded.output
    header, *rows = [line for line in SAMPLE_DIRECTORY.read_text().splitlines() if line[:1] != "#"]
    assert header == "pillar,code,name,state,district,level"
    assert loaded.stdout.strip().endswith(f": {len(rows)} added")
    again = icjs(settings, "institutions", "import", "--sample")
    assert again.stdout.strip().endswith(": 0 added")
    made = icjs(settings, "clients", "add", "--pillar", "police", "--institution", "MH/AU")
    assert made.exit_code == 0, made.output


def test_clients_add_help_says_what_an_institution_is_for_every_pillar() -> None:
    result = CliRunner().invoke(cli.app, ["clients", "add", "--help"], terminal_width=400)
    assert result.exit_code == 0
    text = re.sub(r"[\s│]+", " ", result.stdout)
    # What each pillar's policy says its institutions are.
    for words in (
        "must be listed: `icjs institutions list`",
        "police: a State (MH), a district (MH/AU) or a station (MH/AU/CIDCO)",
        "courts: the e-Courts establishment code, state + district + number (MHAU01;",
        "prisons: the prison's e-Prisons code",
        "forensics: the laboratory's code",
        "prosecution: the BNSS s.20(1) office, MH/DOP (the State's Director), MH/AU/DDP or MH/AU/ADP",
        "transport: VAHAN (vehicle registrations) or SARATHI (driving licences)",
        "operator: the unit that runs the exchange (NIC)",
        "verifier: the office that verifies antecedents (a passport office such as PSK-MUMBAI)",
    ):
        assert words in text, words
