"""Sustained ingest of charge sheets over HTTP into the embedded gateway, against a bare
FastAPI endpoint that only reads the body, in the same run on the same machine.

    .venv/bin/python bench/ingest.py [--messages 1000] [--concurrency 8]

Both servers run as real uvicorn processes on loopback; the same client sends the
same charge-sheet bodies to each. The gateway validates, decodes, authorises,
appends events, updates the case, writes the outbox and message log in one
SQLite transaction, and relays to the courts feed before answering.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.cli import scenario  # noqa: E402


def bare_app() -> Any:
    """The baseline: FastAPI, one POST route that reads the body and answers 202."""
    app = FastAPI()

    @app.post("/v1/police/messages")
    async def take(request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse({"status": "accepted", "size": len(body)}, status_code=202)

    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode} before it was ready: {url}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"server not ready after {seconds}s: {url}")


async def blast(
    url: str, bodies: list[bytes], headers: dict[str, str], concurrency: int, label: str
) -> dict[str, float]:
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    done = 0
    failures: list[str] = []

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal done
        while not queue.empty():
            body = queue.get_nowait()
            start = time.perf_counter()
            response = await client.post(url, content=body, headers=headers)
            latencies.append(time.perf_counter() - start)
            if response.status_code != 202 or response.json().get("status") != "accepted":
                failures.append(f"{response.status_code} {response.text[:200]}")
            done += 1
            if done % max(1, len(bodies) // 10) == 0:
                print(f"  {label}: {done}/{len(bodies)}", file=sys.stderr, flush=True)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{label}: {len(failures)} requests failed, first: {failures[0]}")
    latencies.sort()
    return {
        "rate": len(bodies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--messages", type=int, default=1000, help="charge sheets to send to each server"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--serve-bare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        import uvicorn

        uvicorn.run(
            bare_app(),
            host="127.0.0.1",
            port=args.serve_bare,
            log_level="warning",
            access_log=False,
        )
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="icjs-bench-"))
    env = os.environ | {
        "ICJS_DATABASE_URL": f"sqlite:///{workdir / 'icjs.db'}",
        "ICJS_LOG_LEVEL": "INFO",
        # One client sends every message: the benchmark measures the gateway, not its limit.
        "ICJS_RATE_LIMIT_PER_MINUTE": "0",
    }
    icjs = [sys.executable, "-m", "gateway"]
    # Keys go only to listed institutions: the benchmark's come from the SAMPLE directory.
    subprocess.run(
        [*icjs, "institutions", "import", "--sample"],
        env=env,
        cwd=workdir,
        capture_output=True,
        check=True,
    )
    key = subprocess.run(
        [*icjs, "clients", "add", "--pillar", "police", "--institution", scenario.STATION],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    cases = [scenario.refs(n) for n in range(1, args.messages + 1)]
    firs = [json.dumps(scenario.fir_registered(c)).encode() for c in cases]
    sheets = [json.dumps(scenario.chargesheet_filed(c)).encode() for c in cases]

    gw_port, bare_port = free_port(), free_port()
    procs = [
        subprocess.Popen(
            [*icjs, "serve", "--port", str(gw_port)],
            env=env,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=(workdir / "gateway.log").open("wb"),
        ),
        subprocess.Popen(
            [sys.executable, __file__, "--serve-bare", str(bare_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_ready(f"http://127.0.0.1:{gw_port}/healthz", procs[0])
        wait_ready(f"http://127.0.0.1:{bare_port}/docs", procs[1])
        gw_url = f"http://127.0.0.1:{gw_port}/v1/police/messages"
        bare_url = f"http://127.0.0.1:{bare_port}/v1/police/messages"
        print(f"registering {len(firs)} FIRs first (not timed)", file=sys.stderr)
        asyncio.run(blast(gw_url, firs, headers, args.concurrency, "FIRs"))
        print(f"timing {len(sheets)} charge sheets, {args.concurrency} in flight", file=sys.stderr)
        bare = asyncio.run(blast(bare_url, sheets, headers, args.concurrency, "bare FastAPI"))
        gateway = asyncio.run(blast(gw_url, sheets, headers, args.concurrency, "gateway"))
        feed = httpx.get(f"http://127.0.0.1:{gw_port}/readyz").json()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    size = statistics.mean(len(b) for b in sheets)
    print(
        f"charge sheets: {len(sheets)} of ~{size:.0f} bytes, concurrency {args.concurrency}, cpus {os.cpu_count()}"
    )
    print(
        f"bare FastAPI (reads body): {bare['rate']:8.1f} msg/s  p50 {bare['p50_ms']:6.1f} ms  p99 {bare['p99_ms']:6.1f} ms"
    )
    print(
        f"ICJS gateway (embedded):   {gateway['rate']:8.1f} msg/s  p50 {gateway['p50_ms']:6.1f} ms  p99 {gateway['p99_ms']:6.1f} ms"
    )
    print(f"ratio gateway/bare: {gateway['rate'] / bare['rate']:.3f}")
    print(
        f"outbox pending after the run: {feed.get('outbox_pending')} (gateway log: {workdir / 'gateway.log'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
