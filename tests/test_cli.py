"""The icjs command as a user runs it: in a fresh directory, with nothing configured."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from served import free_port, wait_until_serving

ICJS = [sys.executable, "-m", "gateway"]


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ICJS + args,
        cwd=cwd,
        env=env or os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_demo_seeds_a_case_into_icjs_db_and_prints_its_status(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")}
    result = run(["demo"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "icjs.db").exists(), "with nothing configured the demo uses ./icjs.db"
    out = result.stdout
    assert "MH/AU/CIDCO/2026/0001" in out
    assert "MHAU010000012026" in out
    # The CNR is printed one way, the eCourts 16-character form (the dashed one is only read).
    assert "MHAU01-000001-2026" not in out
    assert "Next hearing" in out and "2026-12-16" in out
    # The informant reads the stage with the code printed with the FIR copy, and nothing else.
    assert "informant's access code, printed with the FIR copy: " in out
    assert "GET /v1/public/fir-status: Case in court, CNR MHAU010000012026, next hearing" in out
    assert "A1 Ramesh Shankar Jadhav" in out and "A2 Salim Yusuf Shaikh" in out
    assert out.count("-> accepted") == 20
    # The charge sheet reaches the district's Deputy Director for scrutiny (BNSS s.20(8)) and
    # the Director to monitor (life imprisonment, s.20(7)); it is returned with deficiencies,
    # re-filed and approved; the status keeps both versions.
    assert (
        "GET /v1/prosecution/feed?office=MH/AU/DDP: CS-1/2026 v1 for scrutiny, 2 documents" in out
    )
    assert "(BNSS s.20(8))" in out and "(BNSS s.20(7))" in out
    assert "scrutiny MH/AU/DDP, monitored by MH/DOP" in out
    assert "prosecutor Adv. Sunanda Gaikwad (MH/DOP)" in out
    assert (
        "CS-1/2026: approved (v1 filed 2026-10-09, returned (2 deficiencies); "
        "v2 filed 2026-10-28, approved)"
    ) in out
    # Vahan reads both flags and answers the theft's; the look-up by chassis shows the owner.
    assert "stolen   MH20DX0001  FIR MH/AU/BEGUMPURA/2026/0001" in out
    assert "seized   MH20EK1102  FIR MH/AU/CIDCO/2026/0001" in out
    assert "MH20DX0001, seized, owner Imran Yusuf Shaikh, in 2 cases" in out
    # The robbers' motorcycle: seized under false plates, linked to its theft by the chassis.
    assert "links it, on its chassis, to the stolen report of FIR MH/AU/BEGUMPURA/2026/0001" in out
    assert "= stolen 2026-07-20 in FIR MH/AU/BEGUMPURA/2026/0001 as MH20DX0001" in out
    # The case across all five pillars: custody in the prison, the lab's report.
    assert "In prison       A1 at HARSUL_CP since 2026-08-18" in out
    assert "RFSL_AU: reported; lab case RFSL_AU:DNA-2026-0001" in out
    assert "prisons     Ramesh Shankar Jadhav admitted to HARSUL_CP" in out
    assert '"event": "message accepted"' not in result.stderr, "the gateway log stays quiet"
    # A second run on the same database seeds a second case, not a conflict.
    second = run(["demo"], tmp_path, env)
    assert second.returncode == 0, second.stderr
    assert "MH/AU/CIDCO/2026/0002" in second.stdout


def test_clients_add_prints_a_working_key_once(tmp_path: Path) -> None:
    env = os.environ | {"ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"}
    # Keys go only to institutions of the directory: the shipped SAMPLE one lists MHAU01.
    loaded = run(["institutions", "import", "--sample"], tmp_path, env)
    assert loaded.returncode == 0, loaded.stderr
    result = run(["clients", "add", "--pillar", "courts", "--institution", "mhau01"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("icjs_courts_")
    assert "MHAU01" in result.stderr
    assert not (tmp_path / "icjs.db").exists(), "ICJS_DATABASE_URL points the CLI elsewhere"
    listing = run(["clients", "list"], tmp_path, env)
    assert "MHAU01" in listing.stdout and key not in listing.stdout

    from fastapi.testclient import TestClient

    from gateway.api.app import create_app
    from gateway.settings import Settings

    with TestClient(create_app(settings=Settings(database_url=env["ICJS_DATABASE_URL"]))) as http:
        ok = http.get(
            "/v1/courts/feed",
            params={"court": "MHAU01"},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert ok.status_code == 200
    assert isinstance(ok, httpx.Response)


def test_clients_add_refuses_a_bad_institution(tmp_path: Path) -> None:
    env = os.environ | {"ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = run(
        ["clients", "add", "--pillar", "courts", "--institution", "Aurangabad"], tmp_path, env
    )
    assert result.returncode == 2
    assert "error:" in result.stderr and "AURANGABAD" in result.stderr.upper()


def test_serve_answers_on_the_port_it_is_given(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}"}
    proc = subprocess.Popen(
        [*ICJS, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        response = wait_until_serving(proc, f"http://127.0.0.1:{port}/readyz")
        assert response.status_code == 200
        assert response.json()["database"] == "ok"
        assert response.headers["x-request-id"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert (tmp_path / "served.db").exists()


def test_serve_refuses_several_processes_on_sqlite(tmp_path: Path) -> None:
    env = os.environ | {"ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'one.db'}"}
    result = subprocess.run(
        [*ICJS, "serve", "--workers", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "several worker processes need a server database" in result.stderr
    assert "ICJS_DATABASE_URL" in result.stderr


def test_serve_on_a_port_in_use_says_so_before_touching_the_database(tmp_path: Path) -> None:
    """The port is checked before the database is opened: nothing is created, no startup is
    announced, and the message says how to choose another port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        by_option = run(["serve", "--port", str(port)], tmp_path, env)
        by_variable = run(["serve"], tmp_path, env | {"ICJS_PORT": str(port)})
    for result in (by_option, by_variable):
        assert result.returncode == 1, result.stderr
        assert (
            f"error: port {port} is in use on 127.0.0.1; choose another with --port or ICJS_PORT"
            in result.stderr
        )
        assert "startup complete" not in result.stderr
    assert not (tmp_path / "icjs.db").exists(), "the database must not be created"


def test_a_database_url_of_another_scheme_names_the_accepted_ones(tmp_path: Path) -> None:
    env = os.environ | {"ICJS_DATABASE_URL": "mysql://icjs:s3cret@localhost/icjs"}
    result = run(["db", "current"], tmp_path, env)
    assert result.returncode == 2
    assert "error: ICJS_DATABASE_URL: the database URL scheme 'mysql://'" in result.stderr
    assert "postgresql+psycopg://, postgres://, postgresql://" in result.stderr
    assert "s3cret" not in result.stderr, "a database URL's password is never printed"
    assert "Traceback" not in result.stderr


def test_a_postgres_url_as_heroku_writes_it_is_used(tmp_path: Path, postgres: Any) -> None:
    """``postgres://`` (Heroku, Render, libpq) reaches the same database as the driver's own
    scheme: the gateway reads it as ``postgresql+psycopg://``."""
    url = postgres.url_for(postgres.template)
    assert url.startswith("postgresql+psycopg://")
    heroku = "postgres://" + url.partition("://")[2]
    result = run(["db", "current"], tmp_path, os.environ | {"ICJS_DATABASE_URL": heroku})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("(head)"), result.stdout
    assert "database postgresql+psycopg://" in result.stderr
