"""What recording every read costs: case reads per second with the access log on, against the
same gateway with it off (``ICJS_AUDIT_RECORD_READS=false``, a setting for this baseline only),
in the same run on the same store.

    .venv/bin/python bench/reads.py [--cases 200] [--reads 2000] [--concurrency 8] [--rounds 3]

One embedded store (SQLite WAL) gets ``--cases`` FIRs with their charge sheets; two real
uvicorn gateway processes serve it, one recording reads and one not. A client (httpx) sends
``GET /v1/cases/{FIR}`` for the cases in turn to one server, then the other, alternating for
``--rounds`` rounds; the medians are compared. With recording on, each read also writes its
access record and chain link in a short transaction of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import free_port, wait_ready  # noqa: E402
from gateway.cli import scenario  # noqa: E402


async def _drive(
    items: list[Any],
    send: Callable[[httpx.AsyncClient, Any], Awaitable[httpx.Response]],
    ok: Callable[[httpx.Response], bool],
    concurrency: int,
    label: str,
    *,
    progress: bool = False,
) -> dict[str, float]:
    """Send every item on ``concurrency`` keep-alive connections; rate, p50 and p99."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    latencies: list[float] = []
    failures: list[str] = []
    done = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal done
        while not queue.empty():
            item = queue.get_nowait()
            start = time.perf_counter()
            response = await send(client, item)
            latencies.append(time.perf_counter() - start)
            if not ok(response):
                failures.append(f"{response.status_code} {response.text[:200]}")
            done += 1
            if progress and done % max(1, len(items) // 10) == 0:
                print(f"  {label}: {done}/{len(items)}", file=sys.stderr, flush=True)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{label}: {len(failures)} requests failed, first: {failures[0]}")
    latencies.sort()
    return {
        "rate": len(items) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def read_all(
    url: str, paths: list[str], headers: dict[str, str], concurrency: int
) -> dict[str, float]:
    """GET every path; each must answer 200."""
    return await _drive(
        paths,
        lambda client, path: client.get(url + path, headers=headers),
        lambda response: response.status_code == 200,
        concurrency,
        "reads",
    )


async def blast(
    url: str, bodies: list[bytes], headers: dict[str, str], concurrency: int, label: str
) -> dict[str, float]:
    """POST every body; each must be accepted."""
    return await _drive(
        bodies,
        lambda client, body: client.post(url, content=body, headers=headers),
        lambda response: (
            response.status_code == 202 and response.json().get("status") == "accepted"
        ),
        concurrency,
        label,
        progress=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=200, help="cases registered beforehand")
    parser.add_argument("--reads", type=int, default=2000, help="case reads per round and server")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per server")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="icjs-bench-reads-"))
    env = os.environ | {
        "ICJS_DATABASE_URL": f"sqlite:///{workdir / 'icjs.db'}",
        "ICJS_LOG_LEVEL": "WARNING",
        # A benchmark is one client asking as fast as it can: no per-client rate limit.
        "ICJS_RATE_LIMIT_PER_MINUTE": "0",
    }
    icjs = [sys.executable, "-m", "gateway"]
    subprocess.run(
        [*icjs, "institutions", "import", "--sample"],
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
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
    cases = [scenario.refs(n) for n in range(1, args.cases + 1)]

    ports = {"on": free_port(), "off": free_port()}
    procs = {
        mode: subprocess.Popen(
            [*icjs, "serve", "--port", str(port)],
            env=env | {"ICJS_AUDIT_RECORD_READS": "true" if mode == "on" else "false"},
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=(workdir / f"gateway-{mode}.log").open("wb"),
        )
        for mode, port in ports.items()
    }
    results: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
    try:
        for mode, port in ports.items():
            wait_ready(f"http://127.0.0.1:{port}/healthz", procs[mode])
        url = {mode: f"http://127.0.0.1:{port}" for mode, port in ports.items()}
        print(f"registering {len(cases)} FIRs and charge sheets (not timed)", file=sys.stderr)
        for build in (scenario.fir_registered, scenario.chargesheet_filed):
            bodies = [json.dumps(build(c)).encode() for c in cases]
            asyncio.run(blast(url["off"] + "/v1/police/messages", bodies, headers, 8, "seed"))
        paths = [f"/v1/cases/{cases[n % len(cases)].fir}" for n in range(args.reads)]
        asyncio.run(read_all(url["off"], paths[:200], headers, args.concurrency))  # warm up
        asyncio.run(read_all(url["on"], paths[:200], headers, args.concurrency))
        for round_ in range(1, args.rounds + 1):
            for mode in ("off", "on"):
                got = asyncio.run(read_all(url[mode], paths, headers, args.concurrency))
                results[mode].append(got)
                print(
                    f"  round {round_} recording {mode:3}: {got['rate']:7.1f} reads/s  "
                    f"p50 {got['p50_ms']:5.1f} ms  p99 {got['p99_ms']:5.1f} ms",
                    file=sys.stderr,
                )
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            proc.wait(timeout=30)

    def median(mode: str, name: str) -> float:
        return statistics.median(r[name] for r in results[mode])

    print(
        f"case reads: {args.reads} per round, {args.rounds} rounds, concurrency "
        f"{args.concurrency}, {len(cases)} cases, cpus {os.cpu_count()}"
    )
    for mode, label in (("off", "recording off (baseline)"), ("on", "recording on")):
        print(
            f"{label:26} {median(mode, 'rate'):8.1f} reads/s  p50 {median(mode, 'p50_ms'):5.1f} ms"
            f"  p99 {median(mode, 'p99_ms'):5.1f} ms"
        )
    print(f"ratio on/off (of the medians): {median('on', 'rate') / median('off', 'rate'):.3f}")
    # Each round's pair runs back to back: its ratio is the least disturbed by other load.
    pairs = [
        on["rate"] / off["rate"] for on, off in zip(results["on"], results["off"], strict=True)
    ]
    print(
        f"ratio on/off per round: {', '.join(f'{r:.3f}' for r in pairs)}; "
        f"median {statistics.median(pairs):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
