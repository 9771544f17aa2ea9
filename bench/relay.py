"""The Kafka relay against a raw aiokafka producer, and end-to-end latency to the courts feed,
on the real PostgreSQL server and Kafka broker of ``scripts/services.sh up``.

    .venv/bin/python bench/relay.py [--events 2000] [--rounds 3] [--rate 200] [--duration 20]
        [--warmup 100] [--serve-workers 1] [--skip-relay] [--skip-latency] [--profile DIR]

Part 1, relay throughput: a fresh database is filled through the real Ingestor with FIRs and
then ``--events`` charge sheets (only the charge sheets' outbox rows are left unpublished).
``KafkaRelay.publish_batch`` runs in a loop until the outbox is empty; in the same run a raw
aiokafka producer with the gateway's producer settings (idempotent, acks=all, linger 2 ms)
sends the same values, headers and keys to the same broker, all at once, then waits for every
acknowledgement. Rounds alternate (the outbox rows are re-armed between relay rounds); the
median of each is reported, with the ratio relay / raw.

Part 2, the whole production path: one ``icjs serve`` (which runs the Kafka relay; with
``--serve-workers N``, N processes, one relaying at a time) and one ``icjs worker courts``
process on a fresh database; ``--warmup`` charge sheets go through first
(what a process does once is not what a message costs), then a client posts charge sheets (for
FIRs registered beforehand) at a fixed rate for a fixed time, open loop, on 64 keep-alive
connections of its own (a prepared request written to a socket: httpx cost 12-16 ms of CPU a
message, more than the gateway, on the cores the gateway uses). Per message:
``feed_entries.recorded_at - messages.received_at`` (joined through ``events.receipt`` and
``feed_entries.event_id``), with p50/p95/p99, the achieved rate and where the time went
(ingest, outbox wait, Kafka and worker). CPU per message of each part (serve, worker, the
PostgreSQL and Kafka servers, the load generator) from ``/proc/PID/stat`` before and after.
``--profile DIR`` records py-spy profiles of serve and the worker meanwhile.

Progress goes to stderr; results to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402
from bench.processes import tree_cpu  # noqa: E402
from gateway.bootstrap import Gateway, build_gateway  # noqa: E402
from gateway.cli import scenario  # noqa: E402
from gateway.logs import configure_logging  # noqa: E402
from gateway.messaging.kafka.clients import make_producer  # noqa: E402
from gateway.messaging.kafka.relay import KafkaRelay  # noqa: E402
from gateway.messaging.kafka.topics import case_topic  # noqa: E402
from gateway.messaging.outbox import fetch_records  # noqa: E402
from gateway.services.auth import Client, create_client  # noqa: E402
from gateway.services.institutions import seed_sample_directory  # noqa: E402
from gateway.settings import Settings  # noqa: E402

HINT = "start them with `scripts/services.sh up`"


def progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


# -- services and databases -------------------------------------------------------------------


def services() -> tuple[str, str]:
    """The PostgreSQL URL and Kafka bootstrap servers, from the environment or var/services.env."""
    values = dict(os.environ)
    env_file = ROOT / "var" / "services.env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            line = line.strip().removeprefix("export ").strip()
            if line and not line.startswith("#") and "=" in line:
                name, _, value = line.partition("=")
                if not values.get(name, "").strip() or (
                    name == "ICJS_DATABASE_URL" and not values[name].startswith("postgresql")
                ):
                    values[name] = value.strip()
    database = values.get("ICJS_DATABASE_URL", "")
    kafka = values.get("ICJS_KAFKA_BOOTSTRAP_SERVERS", "")
    if not database.startswith("postgresql") or not kafka:
        raise SystemExit(f"this benchmark needs PostgreSQL and Kafka; {HINT}")
    return database, kafka


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


async def delete_topics(kafka: str, prefix: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        mine = [t for t in await admin.list_topics() if t.startswith(prefix + ".")]
        if mine:
            await admin.delete_topics(mine)
    finally:
        await admin.close()


# -- filling the outbox through the real Ingestor -------------------------------------------


def police_client(gateway: Gateway) -> tuple[Client, str]:
    with gateway.db.session(write=True) as session:
        # Keys go only to listed institutions: the benchmark's come from the SAMPLE directory.
        seed_sample_directory(session)
        row, key = create_client(session, name="bench-police", pillar="police", institution="MH")
    assert row.id is not None
    return Client(id=row.id, name=row.name, pillar=row.pillar, institution=row.institution), key


def ingest(gateway: Gateway, client: Client, messages: list[dict[str, Any]], label: str) -> None:
    """Accept messages through the real Ingestor, four at a time."""
    done = 0
    step = max(1, len(messages) // 5)

    def one(message: dict[str, Any]) -> None:
        receipt = gateway.ingestor.ingest(
            client=client,
            pillar="police",
            body=json.dumps(message).encode(),
            media_type="application/json",
        )
        if receipt.status != "accepted":
            raise SystemExit(f"{label}: not accepted: {receipt.as_dict()}")

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for _ in pool.map(one, messages):
            done += 1
            if done % step == 0:
                progress(f"{label}: {done}/{len(messages)}")
    progress(f"{label}: {len(messages)} in {time.perf_counter() - start:.1f}s")


# -- part 1: relay throughput ---------------------------------------------------------------


async def relay_round(gateway: Gateway, settings: Settings, events: int) -> float:
    relay = KafkaRelay(db=gateway.db, settings=settings)
    # Connected before the clock starts, as the raw producer is.
    producer = await relay._ensure_producer()
    await producer.partitions_for(case_topic(settings))
    start = time.perf_counter()
    total = 0
    while total < events:
        published = await relay.publish_batch()
        if published == 0:
            raise SystemExit(f"relay stopped at {total}/{events}")
        total += published
    elapsed = time.perf_counter() - start
    await relay._drop_producer()
    return elapsed


async def raw_round(
    settings: Settings, records: list[tuple[bytes, list[tuple[str, bytes]], bytes]]
) -> float:
    topic = case_topic(settings)
    producer = make_producer(settings)  # the gateway's settings: idempotent, acks=all, linger 2
    await producer.start()
    try:
        await producer.partitions_for(topic)
        start = time.perf_counter()
        futures = [
            await producer.send(topic, value=value, key=key, headers=headers)
            for value, headers, key in records
        ]
        await asyncio.gather(*futures)
        return time.perf_counter() - start
    finally:
        await producer.stop()


def rearm(url: str, event_ids: list[str]) -> None:
    """Mark the charge sheets' outbox rows unpublished again, and tidy the table."""
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute(
            "UPDATE outbox SET published_at = NULL WHERE event_id = ANY(%(ids)s)",
            {"ids": event_ids},
        )
        conn.execute("VACUUM ANALYZE outbox")


def bench_relay(database_url: str, kafka: str, events: int, rounds: int) -> dict[str, Any]:
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    with fresh_database(database_url) as url:
        gateway = build_gateway(Settings(database_url=url))
        settings = Settings(
            database_url=url, kafka_bootstrap_servers=kafka, kafka_topic_prefix=prefix
        )
        try:
            client, _ = police_client(gateway)
            cases = [scenario.refs(n) for n in range(1, events + 1)]
            ingest(gateway, client, [scenario.fir_registered(c) for c in cases], "FIRs")
            with psycopg.connect(libpq(url), autocommit=True) as conn:
                conn.execute("UPDATE outbox SET published_at = now()")  # not part of the test
            ingest(gateway, client, [scenario.chargesheet_filed(c) for c in cases], "charge sheets")
            rows = fetch_records(gateway.db, events + 1)
            assert len(rows) == events, len(rows)
            records = []
            event_ids = []
            for row in rows:
                # The raw producer sends the very bytes the relay sends: the stored records.
                value, headers = row.record()
                records.append((value, headers, row.key.encode()))
                event_ids.append(dict(headers)["ce_id"].decode())
            rearm(url, event_ids)
            relay_times, raw_times = [], []
            for n in range(1, rounds + 1):
                raw_times.append(asyncio.run(raw_round(settings, records)))
                progress(f"round {n}: raw producer {events / raw_times[-1]:,.0f} events/s")
                relay_times.append(asyncio.run(relay_round(gateway, settings, events)))
                progress(f"round {n}: relay        {events / relay_times[-1]:,.0f} events/s")
                rearm(url, event_ids)
        finally:
            gateway.close()
            with contextlib.suppress(Exception):
                asyncio.run(delete_topics(kafka, prefix))
    relay_rate = events / statistics.median(relay_times)
    raw_rate = events / statistics.median(raw_times)
    return {
        "events": events,
        "rounds": rounds,
        "payload_bytes": statistics.median(
            len(v) + sum(len(h[1]) for h in hs) for v, hs, _ in records
        ),
        "raw_rate": raw_rate,
        "relay_rate": relay_rate,
        "ratio": relay_rate / raw_rate,
    }


# -- part 2: end-to-end latency -------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def service_pids(database: str) -> dict[str, list[int]]:
    """The PostgreSQL server's processes and the Kafka broker's, by name (Linux /proc): their
    CPU is part of what each message costs, on the same cores.

    The servers are shared (other checkouts' tests use them too): of PostgreSQL, only the
    backends of ``database`` and the server's own processes count. The broker is one process
    and counts whole, whoever else uses it."""
    found: dict[str, list[int]] = {"postgresql": [], "kafka": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            comm = (entry / "comm").read_text().strip()
        except (OSError, UnicodeDecodeError):
            continue
        if comm == "postgres":
            # Backends ("postgres: user db host(port) state") and autovacuum workers name
            # their database; the postmaster, checkpointer, WAL writer and the like do not.
            backend = "(" in command or "autovacuum worker" in command
            if not backend or f" {database} " in f"{command} ":
                found["postgresql"].append(int(entry.name))
        elif "kafka.Kafka" in command:
            found["kafka"].append(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least ``q`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class RawConnection:
    """One keep-alive HTTP/1.1 connection that posts prepared bytes and reads the answer.

    httpx spent about 12 ms of CPU per message here, as much as the whole gateway, on a box
    of two cores it shares with the gateway: this client writes a prepared request and reads
    the answer with no per-request objects beyond the bytes, so the measurement is the
    gateway's and not the client's."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def post(self, request: bytes) -> tuple[int, bytes]:
        """Send one request; the status and body of its answer."""
        for attempt in (1, 2, 3):
            try:
                if self.writer is None:
                    await self.open()
                reader, writer = self.reader, self.writer
                assert reader is not None and writer is not None
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                break
            except (OSError, asyncio.IncompleteReadError):
                # A keep-alive connection the server closed as it was reused: send the same
                # bytes again on a new one (the gateway answers a repeat with the first receipt).
                self.close()
                if attempt == 3:
                    raise
        assert reader is not None
        status = int(head[9:12])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body


def raw_request(host: str, port: int, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def post_at_rate(
    url: str, headers: dict[str, str], bodies: list[bytes], rate: float, connections: int = 64
) -> tuple[list[str], list[float], float, int]:
    """Open loop: message i is sent at t0 + i/rate whatever happened to the earlier ones, on
    whichever of ``connections`` keep-alive connections is free (a send that finds none free
    waits for one and counts as late)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [raw_request(host, port, parts.path, headers, body) for body in bodies]
    receipts: list[str] = []
    latencies: list[float] = []
    failures: list[str] = []
    late = 0
    idle: asyncio.Queue[RawConnection] = asyncio.Queue()
    for _ in range(connections):
        connection = RawConnection(host, port)
        await connection.open()
        idle.put_nowait(connection)

    async def send(connection: RawConnection, request: bytes) -> None:
        start = time.perf_counter()
        try:
            status, body = await connection.post(request)
        finally:
            idle.put_nowait(connection)
        latencies.append(time.perf_counter() - start)
        if status in (200, 202):
            receipts.append(orjson.loads(body)["receipt_id"])
        else:
            failures.append(f"{status} {body[:200]!r}")

    tasks = []
    t0 = time.perf_counter()
    step = max(1, len(requests) // 10)
    for i, request in enumerate(requests):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.05:
            late += 1
        try:
            connection = idle.get_nowait()
        except asyncio.QueueEmpty:
            late += delay >= -0.05
            connection = await idle.get()
        tasks.append(asyncio.create_task(send(connection, request)))
        if (i + 1) % step == 0:
            progress(f"sent {i + 1}/{len(requests)}")
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    while not idle.empty():
        idle.get_nowait().close()
    if failures:
        raise SystemExit(f"{len(failures)} messages not accepted, first: {failures[0]}")
    return receipts, latencies, elapsed, late


def start_profiles(procs: list[subprocess.Popen[bytes]], into: Path, seconds: float) -> list[Any]:
    """py-spy on serve and the worker while the load runs (samples in raw, folded form)."""
    spy = Path(sys.executable).with_name("py-spy")
    into.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                *(str(spy), "record", "-p", str(proc.pid), "--nonblocking", "--gil", "-f", "raw"),
                *("-o", str(into / f"{name}.txt"), "-d", str(int(seconds) + 1)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, proc in zip(("serve", "worker"), procs, strict=True)
    ]


def wait_for_feed(url: str, entries: int, timeout: float = 300) -> None:
    """Until the courts feed holds ``entries`` entries."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        while True:
            filed = conn.execute("SELECT count(*) FROM feed_entries").fetchone()
            if filed and filed[0] >= entries:
                return
            if time.monotonic() > deadline:
                raise SystemExit(f"only {filed} of {entries} reached the feed")
            time.sleep(0.2)


def bench_latency(
    database_url: str,
    kafka: str,
    rate: float,
    duration: float,
    *,
    warmup: int = 100,
    profile: Path | None = None,
    serve_workers: int = 1,
) -> dict[str, Any]:
    count = int(rate * duration)
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    workdir = Path(tempfile.mkdtemp(prefix="icjs-bench-relay-"))
    procs: list[subprocess.Popen[bytes]] = []
    with fresh_database(database_url) as url:
        gateway = build_gateway(Settings(database_url=url))
        try:
            client, key = police_client(gateway)
            cases = [scenario.refs(n) for n in range(1, warmup + count + 1)]
            ingest(gateway, client, [scenario.fir_registered(c) for c in cases], "FIRs")
            env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")} | {
                "ICJS_DATABASE_URL": url,
                "ICJS_KAFKA_BOOTSTRAP_SERVERS": kafka,
                "ICJS_KAFKA_TOPIC_PREFIX": prefix,
                # One client posts at the chosen rate: not the per-client limit's business.
                "ICJS_RATE_LIMIT_PER_MINUTE": "0",
            }
            port = free_port()
            for name, args in (
                ("serve", ["serve", "--port", str(port), "--workers", str(serve_workers)]),
                ("worker", ["worker", "courts"]),
            ):
                log = (workdir / f"{name}.log").open("wb")
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "gateway", *args],
                        env=env,
                        cwd=workdir,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            base = f"http://127.0.0.1:{port}"
            progress(f"serve and worker starting (logs in {workdir})")
            deadline = time.monotonic() + 120
            while True:
                if any(p.poll() is not None for p in procs):
                    raise SystemExit(f"a gateway process exited; see {workdir}")
                try:
                    ready = httpx.get(f"{base}/readyz", timeout=2).json()
                    if ready.get("kafka") == "ok" and ready.get("relay_lag_events") == 0:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"the gateway did not relay the FIRs in 120s; see {workdir}")
                time.sleep(0.5)
            time.sleep(3)  # the worker has joined its group and read past the FIRs
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            bodies = [json.dumps(scenario.chargesheet_filed(c)).encode() for c in cases]
            # What a process does once (the law table read, pydantic building its validators
            # on first use, the first connections) is not what a message costs: the first
            # charge sheets go through before the clocks start.
            url_messages = f"{base}/v1/police/messages"
            if warmup:
                progress(f"warming up with {warmup} charge sheets")
                asyncio.run(post_at_rate(url_messages, headers, bodies[:warmup], rate / 4))
                wait_for_feed(url, warmup)
            bodies = bodies[warmup:]
            progress(f"posting {count} charge sheets at {rate:g}/s for {duration:g}s")
            others = service_pids(str(make_url(url).database))
            cpu_before = [tree_cpu(p.pid) for p in procs]
            others_before = {pid: cpu_seconds(pid) for pids in others.values() for pid in pids}
            client_before = sum(os.times()[:2])
            spies = start_profiles(procs, profile, duration) if profile is not None else []
            receipts, http_latencies, elapsed, late = asyncio.run(
                post_at_rate(url_messages, headers, bodies, rate)
            )
            progress(f"all answered after {elapsed:.1f}s; waiting for the feed")
            for spy in spies:
                spy.wait()
            deadline = time.monotonic() + 300
            with psycopg.connect(libpq(url), autocommit=True) as conn:
                while True:
                    filed = conn.execute("SELECT count(*) FROM feed_entries").fetchone()
                    if filed and filed[0] >= warmup + len(receipts):
                        cpu = [tree_cpu(p.pid) - b for p, b in zip(procs, cpu_before, strict=True)]
                        # A server process that ended meanwhile (a backend whose connection
                        # closed) counts for nothing rather than spoil the sum.
                        cpu_others = {
                            name: sum(
                                delta
                                for pid in pids
                                if math.isfinite(delta := cpu_seconds(pid) - others_before[pid])
                            )
                            for name, pids in others.items()
                        }
                        cpu_client = sum(os.times()[:2]) - client_before
                        break
                    if time.monotonic() > deadline:
                        raise SystemExit(f"only {filed} of {len(receipts)} reached the feed")
                    time.sleep(0.5)
                rows = conn.execute(
                    """
                    SELECT EXTRACT(EPOCH FROM f.recorded_at - m.received_at),
                           EXTRACT(EPOCH FROM o.created_at - m.received_at),
                           EXTRACT(EPOCH FROM o.published_at - o.created_at),
                           EXTRACT(EPOCH FROM f.recorded_at - o.published_at),
                           m.received_at
                    FROM messages m
                    JOIN events e ON e.receipt = m.id
                    JOIN outbox o ON o.event_id = e.id
                    JOIN feed_entries f ON f.event_id = e.id
                    WHERE m.id = ANY(%(ids)s)
                    """,
                    {"ids": receipts},
                ).fetchall()
        finally:
            for proc in procs:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            gateway.close()
            with contextlib.suppress(Exception):
                asyncio.run(delete_topics(kafka, prefix))
    if len(rows) != len(receipts):
        raise SystemExit(f"{len(rows)} of {len(receipts)} accepted charge sheets on the feed")
    end_to_end = [float(r[0]) * 1000 for r in rows]
    accepted_at = sorted(r[4] for r in rows)
    accept_span = (accepted_at[-1] - accepted_at[0]).total_seconds()

    def summary(values: list[float]) -> dict[str, float]:
        return {q: percentile(values, p) for q, p in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}

    return {
        "offered_rate": rate,
        "messages": count,
        "send_seconds": elapsed,
        "late_sends": late,
        "achieved_rate": len(receipts) / elapsed,
        "accept_rate": (len(rows) - 1) / accept_span if accept_span > 0 else float("nan"),
        "end_to_end_ms": summary(end_to_end) | {"max": max(end_to_end)},
        "ingest_ms": summary([float(r[1]) * 1000 for r in rows]),
        "outbox_wait_ms": summary([float(r[2]) * 1000 for r in rows]),
        "kafka_and_worker_ms": summary([float(r[3]) * 1000 for r in rows]),
        "http_ms": summary([v * 1000 for v in http_latencies]),
        "client_core_share": cpu_client / elapsed,
        "load_average": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "cpu_ms_per_message": {
            name: seconds * 1000 / len(receipts)
            for name, seconds in [
                *zip(("serve", "worker"), cpu, strict=True),
                *cpu_others.items(),
                ("client", cpu_client),
            ]
        },
    }


# -- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=2000, help="outbox rows for part 1")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds in part 1")
    parser.add_argument("--rate", type=float, default=200, help="messages per second, part 2")
    parser.add_argument("--duration", type=float, default=20, help="seconds of posting, part 2")
    parser.add_argument(
        "--warmup", type=int, default=100, help="charge sheets sent before part 2's clocks start"
    )
    parser.add_argument(
        "--serve-workers",
        type=int,
        default=1,
        help="processes of icjs serve in part 2 (its CPU is theirs together)",
    )
    parser.add_argument("--skip-relay", action="store_true", help="only part 2")
    parser.add_argument("--skip-latency", action="store_true", help="only part 1")
    parser.add_argument(
        "--profile", type=Path, help="py-spy profiles of serve and the worker into this folder"
    )
    args = parser.parse_args()
    configure_logging(level="WARNING")
    database_url, kafka = services()
    print(
        f"machine: {os.cpu_count()} cores; PostgreSQL {make_url(database_url).host}:"
        f"{make_url(database_url).port}; Kafka {kafka}"
    )

    if not args.skip_relay:
        print(f"== part 1: outbox -> Kafka, {args.events} charge-sheet events", file=sys.stderr)
        r = bench_relay(database_url, kafka, args.events, args.rounds)
        print(
            f"relay throughput ({r['events']} charge-sheet events of ~{r['payload_bytes']:.0f} B, "
            f"median of {r['rounds']} rounds)"
        )
        print(f"  raw aiokafka producer  {r['raw_rate']:9,.0f} events/s")
        print(f"  KafkaRelay             {r['relay_rate']:9,.0f} events/s")
        print(f"  ratio relay / raw      {r['ratio']:9.2f}   (target >= 0.5)")

    if not args.skip_latency:
        print(
            f"== part 2: end to end at {args.rate:g} msg/s for {args.duration:g}s", file=sys.stderr
        )
        lat = bench_latency(
            database_url,
            kafka,
            args.rate,
            args.duration,
            warmup=args.warmup,
            profile=args.profile,
            serve_workers=args.serve_workers,
        )
        e2e = lat["end_to_end_ms"]
        print(
            f"end-to-end latency, accepted -> courts feed ({lat['messages']} charge sheets offered "
            f"at {lat['offered_rate']:g}/s, open loop)"
        )
        print(
            f"  achieved: {lat['achieved_rate']:.1f} msg/s answered over {lat['send_seconds']:.1f}s "
            f"({lat['accept_rate']:.1f}/s accepted by the gateway; {lat['late_sends']} sends late)"
        )
        print(
            f"  latency:  p50 {e2e['p50']:.1f} ms  p95 {e2e['p95']:.1f} ms  "
            f"p99 {e2e['p99']:.1f} ms  max {e2e['max']:.1f} ms   (target p99 < 100 ms)"
        )
        for label, name in (
            ("ingest (received -> outbox row)", "ingest_ms"),
            ("outbox wait (row -> broker ack)", "outbox_wait_ms"),
            ("Kafka + worker (ack -> feed)", "kafka_and_worker_ms"),
            ("HTTP round trip at the client", "http_ms"),
        ):
            s = lat[name]
            print(
                f"    {label:34s} p50 {s['p50']:8.1f}  p95 {s['p95']:8.1f}  p99 {s['p99']:8.1f} ms"
            )
        cpu = lat["cpu_ms_per_message"]
        total = sum(cpu.values())
        print(
            "  CPU per message (ms): "
            + ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
            + f"; total {total:.2f}"
        )
        print(
            f"    the gateway's parts (serve, which runs the relay, and the worker): "
            f"{cpu['serve'] + cpu['worker']:.2f} ms; with the servers (PostgreSQL, Kafka): "
            f"{total - cpu['client']:.2f} ms   (target <= 5 ms)"
        )
        print(
            f"    the load generator used {lat['client_core_share']:.0%} of one core "
            f"({lat['late_sends']} of {lat['messages']} sends more than 50 ms late)"
        )
        print(f"    load average during the run: {lat['load_average']}")
        cores = os.cpu_count() or 1
        print(
            f"  so this machine ({cores} cores) could carry at most about "
            f"{cores * 1000 / total:.0f} msg/s through the whole path, all parts busy"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
