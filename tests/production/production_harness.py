"""The production stack of one test, on the real PostgreSQL server and the real Kafka broker
that ``scripts/services.sh up`` runs: a database of its own, a Kafka topic prefix of its own,
the gateway and its workers as real processes, and the checks every fault test ends with.

Nothing here is mocked. When a service is not reachable the tests fail (never skip) and say
how to start it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from gateway.bootstrap import Gateway, build_gateway
from gateway.logs import configure_logging
from gateway.services.auth import Client, create_client
from gateway.services.institutions import seed_sample_directory
from gateway.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SERVICES_ENV = ROOT / "var" / "services.env"
HINT = "start them with `scripts/services.sh up` (from the repository root)"
CHARGESHEET = "icjs.chargesheet.filed"
FEED_CONSUMER = "feed.courts"
COURT = "MHAU01"


class ServicesUnavailable(Exception):
    """PostgreSQL or Kafka cannot be reached."""


# -- the services ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """Where the real PostgreSQL server and Kafka broker are."""

    database_url: str  # SQLAlchemy URL of a database on the server (its user owns the test DBs)
    kafka: str  # bootstrap servers

    @property
    def _parts(self) -> Any:
        return urlsplit(self.database_url.replace("postgresql+psycopg://", "postgresql://", 1))

    def url_for(self, database: str) -> str:
        """The SQLAlchemy URL of another database on the same server, as the same user."""
        parts = self._parts
        return f"postgresql+psycopg://{parts.netloc}/{database}"

    def conninfo(self, database: str) -> str:
        """A libpq URL for ``database`` as the gateway's user."""
        return f"postgresql://{self._parts.netloc}/{database}"

    @property
    def owner(self) -> str:
        """The role that owns the gateway's databases."""
        return str(self._parts.username)

    def admin_conninfos(self) -> list[str]:
        """Who may create databases: ICJS_PG_ADMIN_URL, the server's superuser (services.sh
        runs the cluster with trust auth on loopback), or the gateway's own role."""
        parts = self._parts
        host = f"{parts.hostname}:{parts.port or 5432}"
        candidates = [
            os.environ.get("ICJS_PG_ADMIN_URL", ""),
            f"postgresql://postgres@{host}/postgres",
            f"postgresql://{parts.netloc}/postgres",
        ]
        return [c for c in candidates if c]


def _env_file() -> dict[str, str]:
    values: dict[str, str] = {}
    if SERVICES_ENV.exists():
        for line in SERVICES_ENV.read_text().splitlines():
            line = line.strip().removeprefix("export ").strip()
            if line and not line.startswith("#") and "=" in line:
                name, _, value = line.partition("=")
                values[name.strip()] = value.strip().strip("'\"")
    return values


def discover_services() -> Services:
    """The servers from the environment, else from ``var/services.env``; checked to answer."""
    from_file = _env_file()
    candidates = (
        os.environ.get("ICJS_TEST_DATABASE_URL", ""),  # the suite's PostgreSQL, as tests/ uses
        os.environ.get("ICJS_DATABASE_URL", ""),
        from_file.get("ICJS_DATABASE_URL", ""),
    )
    database_url = next((url for url in candidates if url.startswith("postgresql")), "")
    kafka = os.environ.get("ICJS_KAFKA_BOOTSTRAP_SERVERS") or from_file.get(
        "ICJS_KAFKA_BOOTSTRAP_SERVERS", ""
    )
    if not database_url.startswith("postgresql") or not kafka:
        raise ServicesUnavailable(
            "production tests need a PostgreSQL server and a Kafka broker, and neither "
            "ICJS_TEST_DATABASE_URL/ICJS_DATABASE_URL and ICJS_KAFKA_BOOTSTRAP_SERVERS nor "
            f"{SERVICES_ENV} names them; {HINT}"
        )
    services = Services(database_url=database_url, kafka=kafka)
    try:
        with psycopg.connect(
            services.conninfo(services._parts.path.lstrip("/")), connect_timeout=5
        ):
            pass
    except psycopg.Error as error:
        raise ServicesUnavailable(
            f"PostgreSQL at {services._parts.hostname}:{services._parts.port} is not reachable "
            f"({error}); {HINT}"
        ) from error
    try:
        asyncio.run(_kafka_answers(kafka))
    except Exception as error:
        raise ServicesUnavailable(
            f"Kafka at {kafka} is not reachable ({type(error).__name__}: {error}); {HINT}"
        ) from error
    return services


async def _kafka_answers(kafka: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, request_timeout_ms=10000)
    await asyncio.wait_for(admin.start(), timeout=15)
    try:
        await asyncio.wait_for(admin.list_topics(), timeout=15)
    finally:
        await admin.close()


def kafka_ready(kafka: str) -> bool:
    """Whether the broker answers a metadata request now."""
    try:
        asyncio.run(_kafka_answers(kafka))
    except Exception:
        return False
    return True


# -- processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Proc:
    """A gateway process (``python -m gateway ...``) with its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.args = args
        self.log_path = workdir / f"{name}.log"
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "gateway", *args],
                env=env,
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tail(self, lines: int = 25) -> str:
        body = self.log().splitlines()[-lines:]
        return f"--- {self.name} (pid {self.pid}, {self.log_path}) last {len(body)} lines:\n" + (
            "\n".join(line[:600] for line in body)
        )

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM, then SIGKILL if it does not go."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Server:
    """A ``serve`` process and its address."""

    proc: Proc
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def readyz(self) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(f"{self.url}/readyz", timeout=10).json()
        return answer


# -- the stack of one test ------------------------------------------------------------------


@dataclass
class Keys:
    """Authorization headers for the clients every test uses."""

    police: dict[str, str]
    court: dict[str, str]
    operator: dict[str, str]
    police_client: Client


_GATE_TRIGGER = """
CREATE FUNCTION wait_at_gate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({key});
  RETURN NEW;
END $$;
CREATE TRIGGER wait_at_gate BEFORE {on} FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION wait_at_gate();
"""


@dataclass
class Stack:
    """One test's gateway on its own database and topic prefix."""

    services: Services
    workdir: Path
    database: str
    prefix: str
    gateway: Gateway
    keys: Keys
    procs: list[Proc] = field(default_factory=list)

    # -- configuration --------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return self.services.url_for(self.database)

    @property
    def conninfo(self) -> str:
        return self.services.conninfo(self.database)

    @property
    def case_topic(self) -> str:
        return f"{self.prefix}.case.v1"

    @property
    def dlq_topic(self) -> str:
        return f"{self.prefix}.dlq.courts"

    @property
    def group(self) -> str:
        return f"{self.prefix}-courts"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a gateway process of this stack."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")}
        env.update(
            ICJS_DATABASE_URL=self.database_url,
            ICJS_KAFKA_BOOTSTRAP_SERVERS=self.services.kafka,
            ICJS_KAFKA_TOPIC_PREFIX=self.prefix,
            ICJS_LOG_LEVEL="INFO",
            ICJS_LOG_FORMAT="json",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    # -- processes ------------------------------------------------------------------------

    def serve(self, name: str = "serve", **extra_env: str) -> Server:
        """Start ``icjs serve`` and wait until it answers /readyz."""
        port = free_port()
        proc = Proc(name, ["serve", "--port", str(port)], self.env(**extra_env), self.workdir)
        self.procs.append(proc)
        server = Server(proc=proc, port=port)

        def ready() -> bool:
            if not proc.alive():
                raise AssertionError(f"{name} exited with {proc.popen.returncode}\n{proc.tail()}")
            try:
                return httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        self.wait_for(ready, f"{name} to answer /readyz", timeout=60, interval=0.2)
        return server

    def worker(self, name: str = "worker", *, pillar: str = "courts", **extra_env: str) -> Proc:
        """Start ``icjs worker <pillar>`` (courts unless told) and wait until it has joined its
        topic."""
        proc = Proc(name, ["worker", pillar], self.env(**extra_env), self.workdir)
        self.procs.append(proc)

        def started() -> bool:
            if not proc.alive():
                raise AssertionError(f"{name} exited with {proc.popen.returncode}\n{proc.tail()}")
            return '"worker started"' in proc.log()

        self.wait_for(started, f"{name} to start", timeout=60, interval=0.2)
        return proc

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run one ``icjs`` command against this stack."""
        return subprocess.run(
            [sys.executable, "-m", "gateway", *args],
            env=self.env(),
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def logs(self, lines: int = 25) -> str:
        """The tail of every process's log, for assertion messages."""
        return "\n".join(proc.tail(lines) for proc in self.procs) or "(no processes)"

    def wait_for(
        self,
        predicate: Callable[[], Any],
        what: str,
        *,
        timeout: float = 90,
        interval: float = 0.25,
        detail: Callable[[], str] | None = None,
    ) -> Any:
        """Poll until ``predicate`` returns something truthy; fail with the logs otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                extra = detail() if detail is not None else ""
                raise AssertionError(
                    f"gave up after {timeout:.0f}s waiting for {what}. {extra}\n{self.logs()}"
                )
            time.sleep(interval)

    # -- the database ---------------------------------------------------------------------

    def sql(self, statement: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Run one statement on the test database (autocommit) and return its rows."""
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def scalar(self, statement: str, params: dict[str, Any] | None = None) -> Any:
        rows = self.sql(statement, params)
        return rows[0][0] if rows else None

    def feed_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM feed_entries WHERE pillar = 'courts'") or 0)

    def unpublished(self) -> int:
        return int(self.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") or 0)

    @contextlib.contextmanager
    def gate(self, key: int) -> Iterator[Callable[[], None]]:
        """Hold a PostgreSQL advisory lock that a trigger of the test makes the gateway wait
        for; the yielded callable releases it early (it is released on exit anyway)."""
        conn = psycopg.connect(self.conninfo, autocommit=True)
        conn.execute("SELECT pg_advisory_lock(%(k)s)", {"k": key})

        def release() -> None:
            if not conn.closed:
                conn.execute("SELECT pg_advisory_unlock(%(k)s)", {"k": key})
                conn.close()

        try:
            yield release
        finally:
            release()

    def install_gate(self, key: int, *, on: str, when: str) -> None:
        """Make one row change of the gateway wait for the advisory lock ``key`` while the test
        holds it (:meth:`gate`): a trigger ``BEFORE`` ``on`` (``"INSERT ON feed_entries"``)
        for the rows ``when`` selects (``"NEW.event_id = 'evt_…'"``)."""
        self.sql(_GATE_TRIGGER.format(key=key, on=on, when=when))

    def waiting_at_gate(self, key: int) -> bool:
        """Whether some session waits for the gate's advisory lock."""
        return bool(
            self.scalar(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objid = %(k)s AND database = (SELECT oid FROM pg_database "
                "WHERE datname = current_database())",
                {"k": key},
            )
        )

    # -- sending messages -----------------------------------------------------------------

    def ingest_inprocess(self, messages: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Accept police messages through the real Ingestor in this process (no HTTP): their
        events land in the outbox for a ``serve`` process to relay."""
        receipts = []
        for message in messages:
            receipt = self.gateway.ingestor.ingest(
                client=self.keys.police_client,
                pillar="police",
                body=json.dumps(message).encode(),
                media_type="application/json",
            )
            assert receipt.status == "accepted", receipt.as_dict()
            receipts.append(receipt.as_dict())
        return receipts

    def post(
        self,
        servers: Sequence[Server],
        messages: Sequence[dict[str, Any]],
        *,
        concurrency: int = 8,
    ) -> list[dict[str, Any]]:
        """POST police messages over HTTP, round-robin over ``servers``, ``concurrency`` at a
        time; every one must be accepted. Receipts come back in the order of ``messages``."""
        return asyncio.run(self._post(servers, messages, concurrency))

    async def _post(
        self, servers: Sequence[Server], messages: Sequence[dict[str, Any]], concurrency: int
    ) -> list[dict[str, Any]]:
        receipts: list[dict[str, Any]] = [{} for _ in messages]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(len(messages)):
            queue.put_nowait(index)
        headers = self.keys.police | {"Content-Type": "application/json"}

        async def sender(client: httpx.AsyncClient) -> None:
            while not queue.empty():
                index = queue.get_nowait()
                server = servers[index % len(servers)]
                response = await client.post(
                    f"{server.url}/v1/police/messages",
                    content=json.dumps(messages[index]),
                    headers=headers,
                )
                assert response.status_code == 202, (
                    f"message {index} to {server.proc.name}: {response.status_code} "
                    f"{response.text[:500]}\n{self.logs()}"
                )
                receipts[index] = response.json()

        async with httpx.AsyncClient(timeout=60) as client:
            await asyncio.gather(*(sender(client) for _ in range(concurrency)))
        return receipts

    # -- reading the courts feed ------------------------------------------------------------

    def feed_event_ids(self, server: Server, *, page: int = 500) -> list[str]:
        """Every event id on court MHAU01's feed, paging with ``after`` as a court would."""
        ids: list[str] = []
        after: str | None = None
        with httpx.Client(timeout=30) as client:
            while True:
                params = {"court": COURT, "limit": str(page)}
                if after is not None:
                    params["after"] = after
                response = client.get(
                    f"{server.url}/v1/courts/feed",
                    params=params,
                    headers=self.keys.court | {"Accept": "application/json"},
                )
                assert response.status_code == 200, response.text
                body = response.json()
                ids.extend(item["eventId"] for item in body["items"])
                after = body.get("nextCursor")
                if not after:
                    return ids

    def assert_exactly_once(self, server: Server, expected: Iterable[str]) -> None:
        """Every expected charge-sheet event is on the courts feed exactly once, over HTTP and
        in the database (feed entries and the consumer's inbox), and nothing else is."""
        want = set(expected)
        assert want, "a test must expect some events"
        logged = {
            row[0]
            for row in self.sql("SELECT id FROM events WHERE type = %(t)s", {"t": CHARGESHEET})
        }
        assert logged == want, (
            f"event log: {len(want - logged)} accepted charge sheets missing from the events "
            f"table, {len(logged - want)} unexpected"
        )

        feed = self.feed_event_ids(server)
        twice = sorted(e for e, n in Counter(feed).items() if n > 1)
        assert not twice, f"{len(twice)} events twice on the courts feed (HTTP), e.g. {twice[:3]}"
        missing = want - set(feed)
        assert not missing, (
            f"{len(missing)} of {len(want)} charge sheets missing from the courts feed (HTTP), "
            f"e.g. {sorted(missing)[:3]}\n{self.logs()}"
        )
        assert set(feed) == want, f"unexpected events on the feed: {sorted(set(feed) - want)[:3]}"

        rows = self.sql(
            "SELECT event_id, count(*) FROM feed_entries WHERE pillar = 'courts' GROUP BY event_id"
        )
        per_event = {event_id: count for event_id, count in rows}
        assert {e for e, n in per_event.items() if n > 1} == set(), "feed_entries: duplicates"
        assert set(per_event) == want, (
            f"feed_entries: {len(want - set(per_event))} missing, "
            f"{len(set(per_event) - want)} unexpected"
        )
        inbox = {
            row[0]
            for row in self.sql(
                "SELECT event_id FROM inbox WHERE consumer = %(c)s", {"c": FEED_CONSUMER}
            )
        }
        assert inbox == want, f"inbox: {len(want - inbox)} missing, {len(inbox - want)} unexpected"

    def wait_for_feed(self, count: int, *, timeout: float = 120) -> None:
        """Until the courts feed holds ``count`` entries (and no more appear to be coming)."""
        self.wait_for(
            lambda: self.feed_count() >= count,
            f"{count} courts feed entries",
            timeout=timeout,
            detail=lambda: (
                f"feed entries: {self.feed_count()}, unpublished outbox rows: {self.unpublished()}"
            ),
        )

    # -- Kafka ----------------------------------------------------------------------------

    def read_topic(self, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
        """Every record of ``topic`` from the beginning to its current end (no consumer group)."""
        return asyncio.run(read_topic(self.services.kafka, topic))

    def committed(self) -> dict[int, int]:
        """The courts group's committed offsets on the case topic, by partition."""
        return asyncio.run(self._committed())

    async def _committed(self) -> dict[int, int]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.services.kafka)
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(self.group)
        finally:
            await admin.close()
        return {
            tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == self.case_topic
        }

    def group_members(self) -> tuple[str, dict[str, set[int]]]:
        """The courts group's state and, per member id, its partitions of the case topic."""
        return asyncio.run(self._group_members())

    async def _group_members(self) -> tuple[str, dict[str, set[int]]]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.services.kafka)
        await admin.start()
        try:
            [response] = await admin.describe_consumer_groups([self.group])
        finally:
            await admin.close()
        _error, _group, state, _type, _protocol, members = response.groups[0]
        owned: dict[str, set[int]] = {}
        for member_id, _client, _host, _metadata, assignment in members:
            decoded = ConsumerProtocolMemberAssignment.decode(assignment) if assignment else None
            owned[member_id] = {
                tp.partition
                for tp in (decoded.partitions() if decoded else [])
                if tp.topic == self.case_topic
            }
        return state, owned


async def read_topic(kafka: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of ``topic`` from the beginning to the end it has now."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka, enable_auto_commit=False, group_id=None, request_timeout_ms=30000
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            cluster = await consumer._client.fetch_all_metadata()
            partitions = cluster.partitions_for_topic(topic)
            if partitions:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"topic {topic} does not exist")
            await asyncio.sleep(0.2)
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + 60
        while True:
            behind = [tp for tp in tps if await consumer.position(tp) < ends[tp]]
            if not behind:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"could not read {topic} to its end in 60s")
            batch = await consumer.getmany(*behind, timeout_ms=500)
            for part in batch.values():
                records.extend(
                    r for r in part if r.offset < ends[TopicPartition(r.topic, r.partition)]
                )
        return records
    finally:
        await consumer.stop()


# -- building and tearing down a stack --------------------------------------------------------


def create_database(services: Services, name: str) -> None:
    errors = []
    for conninfo in services.admin_conninfos():
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{name}" OWNER "{services.owner}"')
                return
        except psycopg.Error as error:
            errors.append(f"{urlsplit(conninfo).username}: {error}".strip())
    raise ServicesUnavailable(
        f"could not CREATE DATABASE {name} ({'; '.join(errors)}); set ICJS_PG_ADMIN_URL to a "
        f"role that may create databases, or {HINT}"
    )


def drop_database(services: Services, name: str) -> None:
    for conninfo in services.admin_conninfos():
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
        except psycopg.Error:
            continue


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_leftovers(services: Services) -> None:
    """Drop the databases and topics of earlier runs whose test process is gone (a run that
    was killed never reached its teardown)."""
    leftover = re.compile(r"^(?:icjs_prod_|tp)(\d+)_[0-9a-f]{8}(?:$|\.)")

    def dead(name: str) -> bool:
        match = leftover.match(name)
        return bool(match) and not _alive(int(match.group(1)))  # type: ignore[union-attr]

    for conninfo in services.admin_conninfos():
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
                names = [r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()]
            break
        except psycopg.Error:
            continue
    else:
        names = []
    for name in filter(dead, names):
        drop_database(services, name)

    async def topics() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=services.kafka, request_timeout_ms=10000)
        await asyncio.wait_for(admin.start(), timeout=15)
        try:
            stale = [t for t in await admin.list_topics() if dead(t)]
            if stale:
                await admin.delete_topics(stale)
        finally:
            await admin.close()

    with contextlib.suppress(Exception):
        asyncio.run(topics())


async def delete_topics(kafka: str, prefix: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, request_timeout_ms=10000)
    await asyncio.wait_for(admin.start(), timeout=15)
    try:
        mine = [t for t in await admin.list_topics() if t.startswith(prefix + ".")]
        if mine:
            await admin.delete_topics(mine)
    finally:
        await admin.close()


@contextlib.contextmanager
def stack(services: Services, workdir: Path) -> Iterator[Stack]:
    """A fresh database (migrated by the composition root, holding the SAMPLE institution
    directory) and topic prefix, with three clients; everything started is stopped and dropped
    afterwards."""
    token = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"  # the pid lets a later run tidy up
    database = f"icjs_prod_{token}"
    prefix = f"tp{token}"
    create_database(services, database)
    gateway: Gateway | None = None
    built: Stack | None = None
    try:
        configure_logging(level="WARNING", fmt="json")  # the in-process gateway stays quiet
        # No Kafka in this in-process gateway: it only migrates, makes keys and ingests
        # (its events wait in the outbox for a `serve` process to relay).
        gateway = build_gateway(
            Settings(database_url=services.url_for(database), log_level="WARNING")
        )
        with gateway.db.session(write=True) as session:
            # Keys go only to institutions of the directory, and messages name only those:
            # the SAMPLE directory, as every test store of tests/conftest.py has it.
            seed_sample_directory(session)
            made = {}
            for pillar, institution in (("police", "MH"), ("courts", COURT), ("operator", "NIC")):
                row, key = create_client(
                    session, name=f"prod-{pillar}", pillar=pillar, institution=institution
                )
                made[pillar] = (row, key)
        police_row = made["police"][0]
        assert police_row.id is not None
        keys = Keys(
            police={"Authorization": f"Bearer {made['police'][1]}"},
            court={"Authorization": f"Bearer {made['courts'][1]}"},
            operator={"Authorization": f"Bearer {made['operator'][1]}"},
            police_client=Client(
                id=police_row.id,
                name=police_row.name,
                pillar=police_row.pillar,
                institution=police_row.institution,
            ),
        )
        built = Stack(
            services=services,
            workdir=workdir,
            database=database,
            prefix=prefix,
            gateway=gateway,
            keys=keys,
        )
        yield built
    finally:
        if built is not None:
            for proc in reversed(built.procs):
                proc.stop()
        if gateway is not None:
            gateway.close()
        drop_database(services, database)
        with contextlib.suppress(Exception):
            asyncio.run(delete_topics(services.kafka, prefix))
