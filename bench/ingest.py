"""Ingest at the speed of the machine: the gateway against a bare endpoint, both driven by wrk.

    .venv/bin/python bench/ingest.py [--store sqlite|postgresql|both] [--duration 10]
                                     [--connections 32] [--threads 2]

wrk (Debian's package, installed by ``scripts/tools.sh wrk``) posts FIR registrations, each
with a FIR number of its own (``bench/wrk/fir.lua``), first to a bare FastAPI endpoint
(``bench/bare_app.py``: reads the body, answers 202, on the same uvicorn protocol as
``icjs serve``), then to the gateway, in the same run on the same machine:

- ``sqlite``: ``icjs serve`` embedded, one process, one SQLite file; every 202 is committed
  with ``synchronous=FULL`` by the group-commit writer and relayed to the feeds first.
- ``postgresql``: ``icjs serve --workers 2`` on a database of its own on the server of
  ``ICJS_DATABASE_URL`` (``scripts/services.sh up`` starts one); the bare endpoint gets two
  processes as well.

It prints, for each: the rate, p50 and p99 from wrk, the gateway's accepted messages counted
in its database, the ratio gateway/bare, the CPU the servers spent per message, and the CPU
wrk itself used: a generator near its threads' full CPU would be measuring itself.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402
from bench.processes import tree_cpu  # noqa: E402
from gateway.cli import scenario  # noqa: E402

LUA = ROOT / "bench" / "wrk" / "fir.lua"


def progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def wrk_path() -> str:
    """wrk, installed by the project's own script when missing."""
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "tools.sh"), "wrk"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip() or "scripts/tools.sh wrk failed")
    return done.stdout.strip()


def fir_template(into: Path) -> tuple[Path, int]:
    """A FIR registration with one accused, its number's year and serial left to wrk."""
    message = scenario.fir_registered(scenario.refs(1))
    fir = message["data"]["fir"]
    fir["accused"] = fir["accused"][:1]
    fir.pop("witnesses", None)
    fir.pop("properties", None)
    fir["fir"] = f"{scenario.STATION}/@YEAR@/@SERIAL@"
    text = json.dumps(message)
    path = into / "fir.json"
    path.write_text(text)
    return path, len(text.replace("@YEAR@", "2026").replace("@SERIAL@", "0001"))


@dataclass
class Run:
    """One wrk run against one server."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    wrk_cpu: float
    server_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def drive(
    wrk: str, url: str, *, body: Path, key: str, args: argparse.Namespace, server: int, label: str
) -> Run:
    """A short warm-up, then the timed run; wrk's own CPU from its rusage."""
    env = os.environ | {"ICJS_WRK_BODY": str(body), "ICJS_WRK_KEY": key}
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", "-s", str(LUA), url]
    progress(f"{label}: warming up for 2 s")
    subprocess.run([*command[:1], "-d2s", *command[1:]], env=env, capture_output=True, check=True)
    progress(f"{label}: {args.duration} s, {args.connections} connections, {args.threads} threads")
    before = tree_cpu(server)
    proc = subprocess.Popen(
        [*command[:1], f"-d{args.duration}s", *command[1:]],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    server_cpu = tree_cpu(server) - before
    if proc.returncode != 0 or "WRK_JSON " not in out:
        raise SystemExit(f"wrk failed against {url}: {out}")
    figures = json.loads(out.split("WRK_JSON ", 1)[1].splitlines()[0])
    errors = sum(v for k, v in figures.items() if k.startswith("errors_"))
    return Run(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=errors,
        wrk_cpu=usage.ru_utime + usage.ru_stime,
        server_cpu=server_cpu,
    )


def wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode} before it was ready: {url}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server not ready after {seconds}s: {url}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(command: list[str], *, env: dict[str, str], cwd: Path, ready: str) -> Iterator[int]:
    log = (cwd / f"server-{secrets.token_hex(3)}.log").open("wb")
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_ready(ready, proc)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def bare(wrk: str, body: Path, args: argparse.Namespace, *, workers: int, workdir: Path) -> Run:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "import sys, uvicorn; from gateway.api.server import HeaderTimeoutProtocol; "
        "uvicorn.run('bare_app:app', host='127.0.0.1', port=int(sys.argv[1]), "
        "workers=int(sys.argv[2]), app_dir=sys.argv[3], http=HeaderTimeoutProtocol, "
        "access_log=False, log_level='warning')",
        str(port),
        str(workers),
        str(ROOT / "bench"),
    ]
    with serving(
        command,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        cwd=workdir,
        ready=f"http://127.0.0.1:{port}/docs",
    ) as pid:
        return drive(
            wrk,
            f"http://127.0.0.1:{port}/v1/police/messages",
            body=body,
            key="bare",
            args=args,
            server=pid,
            label=f"bare endpoint ({workers} process{'es' if workers > 1 else ''})",
        )


def accepted(database_url: str) -> int:
    """Accepted messages in the gateway's database."""
    query = "SELECT COUNT(*) FROM messages WHERE status = 'accepted'"
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(str(make_url(database_url).database)) as conn:
            row = conn.execute(query).fetchone()
    else:
        with psycopg.connect(libpq(database_url)) as conn:
            row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def gateway(
    wrk: str,
    body: Path,
    args: argparse.Namespace,
    *,
    database_url: str,
    workers: int,
    workdir: Path,
) -> tuple[Run, int]:
    env = os.environ | {
        "ICJS_DATABASE_URL": database_url,
        # One client sends every message: the benchmark measures the gateway, not its limit.
        "ICJS_RATE_LIMIT_PER_MINUTE": "0",
        "ICJS_LOG_LEVEL": "WARNING",
    }
    env.pop("ICJS_KAFKA_BOOTSTRAP_SERVERS", None)
    icjs = [sys.executable, "-m", "gateway"]
    for step in (["db", "upgrade"], ["institutions", "import", "--sample"]):
        subprocess.run([*icjs, *step], env=env, cwd=workdir, capture_output=True, check=True)
    key = subprocess.run(
        [*icjs, "clients", "add", "--pillar", "police", "--institution", scenario.STATION],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    port = free_port()
    command = [*icjs, "serve", "--port", str(port), "--workers", str(workers)]
    with serving(command, env=env, cwd=workdir, ready=f"http://127.0.0.1:{port}/healthz") as pid:
        label = f"gateway ({'SQLite' if database_url.startswith('sqlite') else 'PostgreSQL'}, "
        label += f"{workers} process{'es' if workers > 1 else ''})"
        before = accepted(database_url)
        run = drive(
            wrk,
            f"http://127.0.0.1:{port}/v1/police/messages",
            body=body,
            key=key,
            args=args,
            server=pid,
            label=label,
        )
        # The warm-up's messages were counted in `before`; the timed run's are the rest.
        return run, accepted(database_url) - before


def report(
    store: str, base: Run, gate: Run, counted: int, workers: int, args: argparse.Namespace
) -> dict[str, Any]:
    rate = counted / gate.seconds
    threads_cpu = args.threads * base.seconds
    return {
        "store": store,
        "processes": workers,
        "bare_rate": base.rate,
        "bare_p50_ms": base.p50_ms,
        "bare_p99_ms": base.p99_ms,
        "gateway_rate": rate,
        "gateway_answered": gate.rate,
        "gateway_p50_ms": gate.p50_ms,
        "gateway_p99_ms": gate.p99_ms,
        "gateway_errors": gate.errors,
        "ratio": rate / base.rate,
        "gateway_cpu_ms_per_msg": 1000 * gate.server_cpu / max(counted, 1),
        "bare_cpu_ms_per_req": 1000 * base.server_cpu / max(base.requests, 1),
        "wrk_cpu_share_at_bare": base.wrk_cpu / threads_cpu,
        "wrk_cpu_share_at_gateway": gate.wrk_cpu / (args.threads * gate.seconds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each timed run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    wrk = wrk_path()
    workdir = Path(tempfile.mkdtemp(prefix="icjs-bench-ingest-"))
    body, size = fir_template(workdir)
    progress(f"wrk at {wrk}; FIR registrations of {size} bytes; work files in {workdir}")
    results: list[dict[str, Any]] = []
    try:
        if args.store in ("sqlite", "both"):
            base = bare(wrk, body, args, workers=1, workdir=workdir)
            url = f"sqlite:///{workdir / 'icjs.db'}"
            gate, counted = gateway(wrk, body, args, database_url=url, workers=1, workdir=workdir)
            results.append(report("SQLite", base, gate, counted, 1, args))
        if args.store in ("postgresql", "both"):
            server = os.environ.get("ICJS_DATABASE_URL", "")
            if not server.startswith("postgresql"):
                raise SystemExit(
                    "--store postgresql needs ICJS_DATABASE_URL on a PostgreSQL server: run "
                    "`bash scripts/services.sh up` and `source var/services.env`"
                )
            base = bare(wrk, body, args, workers=2, workdir=workdir)
            with fresh_database(server) as url:
                gate, counted = gateway(
                    wrk, body, args, database_url=url, workers=2, workdir=workdir
                )
            results.append(report("PostgreSQL", base, gate, counted, 2, args))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"wrk: {args.threads} threads, {args.connections} connections, {args.duration} s per run; "
        f"FIR registrations of {size} bytes, each a new FIR; cpus {os.cpu_count()}"
    )
    for r in results:
        print(
            f"{r['store']:>10} ({r['processes']} proc): bare {r['bare_rate']:7.0f} req/s "
            f"(p50 {r['bare_p50_ms']:5.1f} ms, p99 {r['bare_p99_ms']:5.1f} ms) | gateway "
            f"{r['gateway_rate']:7.0f} accepted/s (p50 {r['gateway_p50_ms']:5.1f} ms, "
            f"p99 {r['gateway_p99_ms']:5.1f} ms, {r['gateway_errors']} errors) | "
            f"ratio {r['ratio']:.3f}"
        )
        print(
            f"{'':>10}  CPU: gateway {r['gateway_cpu_ms_per_msg']:.2f} ms/msg, bare "
            f"{r['bare_cpu_ms_per_req']:.2f} ms/req; wrk used {100 * r['wrk_cpu_share_at_bare']:.0f}% "
            f"of its threads at the bare endpoint ({100 * r['wrk_cpu_share_at_gateway']:.0f}% at "
            f"the gateway)"
        )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
