"""The README's walkthrough works as written: its curl bodies and files, in its order."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
POLICE_VAR, COURT_VAR = "POLICE=", "COURT="


def curl_calls() -> list[dict[str, Any]]:
    """Every curl of the walkthrough as (method, path, headers, body)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = (
        text.split("## A 5-minute walkthrough", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    )
    commands: list[str] = []
    for line in section.splitlines():
        if line.startswith("curl "):
            commands.append(line)
        elif (
            commands
            and commands[-1]
            and line.strip()
            and not line.startswith(("#", POLICE_VAR, COURT_VAR))
        ):
            commands[-1] += "\n" + line
        elif commands and commands[-1]:
            commands.append("")
    commands = [c for c in commands if c]
    calls = []
    for command in commands:
        args = shlex.split(command.replace("\\\n", " "), comments=False)
        call: dict[str, Any] = {"headers": {}, "body": None}
        it = iter(args[1:])
        for arg in it:
            if arg in ("-s",):
                continue
            if arg == "-H":
                name, _, value = next(it).partition(":")
                call["headers"][name.strip()] = value.strip()
            elif arg in ("-d", "--data-binary"):
                data = next(it)
                call["body"] = (
                    (ROOT / data[1:]).read_bytes() if data.startswith("@") else data.encode()
                )
            else:
                call["url"] = arg
        calls.append(call)
    return calls


def test_the_walkthrough_runs_as_written(http: TestClient, key_for: Any) -> None:
    keys = {
        "$POLICE": key_for("police", "MH/AU")["Authorization"].removeprefix("Bearer "),
        "$COURT": key_for("courts", "MHAU01")["Authorization"].removeprefix("Bearer "),
    }
    calls = curl_calls()
    assert len(calls) >= 7
    answers = []
    for call in calls:
        headers = {
            name: next((value.replace(k, v) for k, v in keys.items() if k in value), value)
            for name, value in call["headers"].items()
        }
        path = call["url"].removeprefix("localhost:8000")
        if call["body"] is not None:
            response = http.post(path, content=call["body"], headers=headers)
            assert response.status_code == 202, (path, response.text)
            assert response.json()["status"] == "accepted", response.text
        else:
            response = http.get(path, headers=headers)
            assert response.status_code == 200, (path, response.text)
        answers.append(response)
    feed = next(a for a in answers if "/feed" in str(a.url))
    assert b"MH/AU/CIDCO/2026/0417" in feed.content
    status = next(
        a for a in answers if str(a.url).endswith("/v1/cases/MH/AU/CIDCO/2026/0417")
    ).json()
    assert status["identifiers"]["cnr"] == ["MHAU010004172026"]
    assert status["next_hearing_date"] == "2026-11-25"
    timeline = answers[-1].json()["events"]
    assert [e["pillar"] for e in timeline] == ["police", "police", "courts", "courts"]
