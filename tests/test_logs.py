"""Logging as an operator's shipper reads it: one JSON object per line on stderr, from the
gateway and from the libraries (uvicorn, SQLAlchemy, alembic, aiokafka) alike; a command's
answer alone on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from served import free_port, wait_until_serving

from gateway.cli import scenario

ICJS = [sys.executable, "-m", "gateway"]


def json_lines(text: str) -> list[dict[str, Any]]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


def test_uvicorn_logs_through_the_gateway_s_json_on_stderr(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {
        "ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'logs.db'}",
        "ICJS_LOG_FORMAT": "json",
    }
    proc = subprocess.Popen(
        [*ICJS, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(proc, f"http://127.0.0.1:{port}/healthz")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert out == "", "the server writes nothing on stdout"
    lines = err.splitlines()
    # The one human line (where it serves) and JSON for everything else, uvicorn's included.
    plain = [line for line in lines if line and not line.startswith("{")]
    assert len(plain) == 1 and plain[0].startswith("ICJS gateway on"), plain
    records = json_lines(err)
    uvicorn = [r for r in records if str(r.get("logger", "")).startswith("uvicorn")]
    assert any("Application startup complete" in r["event"] for r in uvicorn), records
    assert all({"level", "timestamp", "event"} <= set(r) for r in uvicorn)


def test_replay_answers_on_stdout_and_logs_on_stderr(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")} | {
        "ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'replay.db'}",
        "ICJS_LOG_LEVEL": "INFO",
    }

    def icjs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ICJS, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )

    assert icjs("institutions", "import", "--sample").returncode == 0
    key = icjs("clients", "add", "--pillar", "police", "--institution", "MH/AU").stdout.strip()
    assert key.startswith("icjs_police_")
    # Two police messages through the real HTTP app, in process, on the same database.
    from fastapi.testclient import TestClient

    from gateway.api.app import create_app
    from gateway.bootstrap import build_gateway
    from gateway.settings import Settings

    built = build_gateway(Settings(database_url=env["ICJS_DATABASE_URL"]))
    try:
        with TestClient(create_app(built)) as http:
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            case = scenario.refs(1)
            for message in (scenario.fir_registered(case), scenario.chargesheet_filed(case)):
                answer = http.post("/v1/police/messages", json=message, headers=headers)
                assert answer.status_code == 202, answer.text
    finally:
        built.close()

    replay = icjs("replay", "--pillar", "courts")
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout.strip().splitlines() == [
        "rebuilt the courts feed from event 1: 1 events applied"
    ]
    filed = [r for r in json_lines(replay.stderr) if r["event"] == "feed entries filed"]
    assert filed and filed[0]["pillar"] == "courts", replay.stderr


def test_the_module_no_longer_shadows_the_standard_library() -> None:
    root = Path(__file__).resolve().parents[1]
    assert not (root / "gateway" / "logging.py").exists()
    assert (root / "gateway" / "logs.py").exists()
