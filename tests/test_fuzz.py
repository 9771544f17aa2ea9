"""A budgeted part of `make fuzz`: schemathesis against a served gateway with two pillars'
keys, generating from the OpenAPI document (every pillar's real request bodies); no request
may get a 5xx and the gateway must be healthy afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_schemathesis_finds_no_server_error() -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "fuzz.py"),
            "--keys",
            "courts,prisons",
            "--examples",
            "20",
            "--phases",
            "examples,fuzzing",
            "--min-requests",
            "1000",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    answered = next(line for line in run.stdout.splitlines() if "requests answered" in line)
    assert ", 0 with a 5xx" in answered, answered
