"""Fuzz the served gateway with schemathesis, once with each pillar's key: no 5xx, and the
gateway still healthy afterwards.

    .venv/bin/python scripts/fuzz.py --min-requests 10000   # `make fuzz`: every key
    .venv/bin/python scripts/fuzz.py --keys courts --phases examples,fuzzing  # a budgeted part

It serves the gateway (`icjs serve`) on a fresh SQLite file of a temporary folder, loads the
SAMPLE institution directory, seeds one case across the five pillars (`icjs demo`), makes a key
for one institution of every pillar, then runs `st run` against `/openapi.json` with each key
on a fixed seed. Schemathesis generates from the document: the message routes declare every
pillar's real request bodies (gateway/api/openapi_bodies.py), so the generated messages reach
the contracts and the canonical model, not just the JSON parser.

Counts the requests the gateway answered (from its own request log) and fails, naming them, on
any 5xx, on schemathesis finding a server error, or when `/readyz` is not 200 afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: One institution of each pillar, from the SAMPLE directory.
KEYS = {
    "police": "MH/AU",
    "courts": "MHAU01",
    "prisons": "HARSUL_CP",
    "forensics": "RFSL_AU",
    "prosecution": "MH/DOP",
    "transport": "VAHAN",
    "operator": "NIC",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _icjs(*args: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [str(BIN / "icjs"), *args], env=env, cwd=cwd, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"icjs {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            status: int = answer.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_ready(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the gateway exited with status {server.returncode}")
        try:
            if _get(url + "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the gateway did not answer {url}/healthz within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5, help="cases per operation and key")
    parser.add_argument("--seed", type=int, default=20261207, help="schemathesis's random seed")
    parser.add_argument("--keys", default=",".join(KEYS), help="pillars whose keys fuzz")
    parser.add_argument(
        "--phases",
        default="examples,coverage,fuzzing",
        help="schemathesis's phases (coverage makes the most requests)",
    )
    parser.add_argument(
        "--min-requests", type=int, default=0, help="fail if fewer requests were answered"
    )
    args = parser.parse_args()
    pillars = [p.strip() for p in args.keys.split(",") if p.strip()]
    unknown = sorted(set(pillars) - set(KEYS))
    if unknown:
        parser.error(f"unknown pillars {unknown}; one of {', '.join(KEYS)}")

    work = Path(tempfile.mkdtemp(prefix="icjs-fuzz-"))
    port = _free_port()
    env = os.environ | {
        "ICJS_DATABASE_URL": f"sqlite:///{work / 'icjs.db'}",
        "ICJS_PORT": str(port),
        "ICJS_LOG_FORMAT": "json",
        # The fuzzer is one client sending as fast as it can: the rate limit would answer it
        # 429 rather than let it reach the code under test.
        "ICJS_RATE_LIMIT_PER_MINUTE": "0",
    }
    env.pop("ICJS_KAFKA_BOOTSTRAP_SERVERS", None)
    print(f">> fuzzing in {work} (seed {args.seed}, {args.examples} cases per operation)")
    _icjs("institutions", "import", "--sample", env=env, cwd=work)
    _icjs("demo", env=env, cwd=work)
    keys = {
        pillar: _icjs(
            "clients", "add", "--pillar", pillar, "--institution", KEYS[pillar], env=env, cwd=work
        )
        for pillar in pillars
    }
    log = (work / "gateway.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "icjs"), "serve", "--port", str(port)], env=env, cwd=work, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    try:
        _wait_ready(url, server)
        for pillar, key in keys.items():
            print(f">> schemathesis with the {pillar} key ({KEYS[pillar]})", flush=True)
            run = subprocess.run(
                [
                    str(BIN / "st"),
                    "run",
                    f"{url}/openapi.json",
                    "--header",
                    f"Authorization: Bearer {key}",
                    "--checks",
                    "not_a_server_error",
                    "--seed",
                    str(args.seed),
                    "--max-examples",
                    str(args.examples),
                    "--phases",
                    args.phases,
                    "--suppress-health-check",
                    "all",
                    "--workers",
                    "2",
                    "--no-color",
                    "--request-timeout",
                    "30",
                ],
                env=env,
                cwd=work,
                capture_output=True,
                text=True,
            )
            tail = "\n".join(run.stdout.splitlines()[-6:])
            print(tail, flush=True)
            if run.returncode != 0:
                failures.append(f"schemathesis with the {pillar} key failed:\n{run.stdout[-4000:]}")
        ready = _get(url + "/readyz")
        if ready != 200 or server.poll() is not None:
            failures.append(f"the gateway is not healthy afterwards: /readyz answered {ready}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    answered, errors = 0, []
    for line in (work / "gateway.log").read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "request":
            answered += 1
            if int(entry.get("status") or 0) >= 500:
                errors.append(f"{entry.get('method')} {entry.get('path')} -> {entry.get('status')}")
    print(
        f">> {answered} requests answered, {len(errors)} with a 5xx (log: {work / 'gateway.log'})"
    )
    failures += [f"5xx: {e}" for e in errors[:20]]
    if answered < args.min_requests:
        failures.append(f"only {answered} requests were answered; expected {args.min_requests}+")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
