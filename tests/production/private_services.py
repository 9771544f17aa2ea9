"""A PostgreSQL server and a Kafka broker that one test starts for itself, so that it may stop,
restart and SIGKILL them without touching the servers other tests (and other gateways) share.

The PostgreSQL binaries are Debian's (as ``scripts/services.sh`` installs them) and the broker
is the same Kafka jars ``scripts/services.sh up`` gathered into ``var/kafka/lib``; both run on
free loopback ports with their data in a directory of the test, removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from production_harness import HINT, ROOT, Services, free_port, kafka_ready

KAFKA_LIB = ROOT / "var" / "kafka" / "lib"


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts[-3])
    if found:
        return found[-1].parent
    which = shutil.which("pg_ctl")
    if which:
        return Path(which).resolve().parent
    raise AssertionError(f"no pg_ctl found (Debian's postgresql package); {HINT}")


def _wait(predicate: object, what: str, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"gave up after {timeout:.0f}s waiting for {what}\n{tail}")
        time.sleep(0.2)


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (trust auth on loopback, role ``icjs``)."""

    home: Path
    port: int
    user: str  # the system user the server runs as (postgres when the test runs as root)

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def log(self) -> Path:
        return self.home / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://icjs:icjs@127.0.0.1:{self.port}/icjs"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self.user != _whoami():
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.home
        )

    def answers(self) -> bool:
        try:
            with psycopg.connect(
                f"postgresql://postgres@127.0.0.1:{self.port}/postgres", connect_timeout=2
            ):
                return True
        except psycopg.Error:
            return False

    def start(self) -> None:
        result = self._run(
            str(_pg_bin() / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "120",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='{self.home}'"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=100",
            "start",
        )
        assert result.returncode == 0, f"pg_ctl start failed: {result.stderr}\n{self.tail()}"
        _wait(self.answers, f"PostgreSQL on port {self.port}", 60, self.log)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: sessions are terminated, as in a restart for upgrade)."""
        result = self._run(str(_pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop")
        assert result.returncode == 0, f"pg_ctl stop failed: {result.stderr}\n{self.tail()}"

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def _whoami() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """initdb and start a cluster of the test's own; stopped and removed afterwards."""
    user = "postgres" if os.getuid() == 0 else _whoami()
    home = Path(tempfile.mkdtemp(prefix="icjs-pg-", dir="/var/tmp"))
    os.chmod(home, 0o755)
    if user != _whoami():
        shutil.chown(home, user=user)
    server = PrivatePostgres(home=home, port=free_port(), user=user)
    try:
        init = server._run(
            str(_pg_bin() / "initdb"),
            "-D",
            str(server.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        )
        assert init.returncode == 0, f"initdb failed: {init.stdout[-2000:]}{init.stderr[-2000:]}"
        server.start()
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{server.port}/postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE ROLE icjs LOGIN PASSWORD 'icjs' CREATEDB")
            conn.execute("CREATE DATABASE icjs OWNER icjs")
        yield server
    finally:
        if server.running():
            with contextlib.suppress(Exception):
                server.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class PrivateKafka:
    """A single-node KRaft broker of the test's own, on free ports."""

    home: Path
    port: int
    controller_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def _java(self, *args: str) -> list[str]:
        java = shutil.which("java")
        assert java, f"no java on PATH for the Kafka broker; {HINT}"
        return [
            java,
            "-Xms128m",
            "-Xmx384m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
            "-cp",
            f"{KAFKA_LIB}/*",
            *args,
        ]

    def configure(self) -> None:
        host = "127.0.0.1"
        (self.home / "server.properties").write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.bootstrap.servers={host}:{self.controller_port}",
                    f"listeners=PLAINTEXT://{host}:{self.port},"
                    f"CONTROLLER://{host}:{self.controller_port}",
                    f"advertised.listeners=PLAINTEXT://{host}:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    f"log.dirs={self.home / 'data'}",
                    "num.partitions=3",
                    "default.replication.factor=1",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "",
                ]
            )
        )
        (self.home / "log4j2.properties").write_text(
            "status = warn\n"
            "appender.stdout.type = Console\n"
            "appender.stdout.name = STDOUT\n"
            "appender.stdout.layout.type = PatternLayout\n"
            "appender.stdout.layout.pattern = [%d] %p %m (%c{1})%n\n"
            "rootLogger.level = warn\n"
            "rootLogger.appenderRef.stdout.ref = STDOUT\n"
        )
        formatted = subprocess.run(
            self._java(
                "kafka.tools.StorageTool",
                "format",
                "--standalone",
                "-t",
                "icjsFaultTestCluster0A",
                "-c",
                str(self.home / "server.properties"),
            ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert formatted.returncode == 0, f"kafka storage format failed: {formatted.stderr}"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self._java("kafka.Kafka", str(self.home / "server.properties")),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                start_new_session=True,
            )
        _wait(self._ready, f"the test's Kafka broker on {self.bootstrap}", 120, self.log)

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(
                f"the test's Kafka broker exited ({self.process.returncode})\n"
                + self.log.read_text(errors="replace")[-3000:]
            )
        return kafka_ready(self.bootstrap)

    def kill(self) -> None:
        """SIGKILL: the broker gets no chance to flush or to leave cleanly."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@contextlib.contextmanager
def private_kafka() -> Iterator[PrivateKafka]:
    """Format and start a broker of the test's own; killed and removed afterwards."""
    assert (KAFKA_LIB / ".complete").exists(), f"no Kafka jars in {KAFKA_LIB}; {HINT}"
    home = Path(tempfile.mkdtemp(prefix="icjs-kafka-", dir="/var/tmp"))
    broker = PrivateKafka(home=home, port=free_port(), controller_port=free_port())
    try:
        broker.configure()
        broker.start()
        yield broker
    finally:
        broker.kill()
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def private_services() -> Iterator[tuple[Services, PrivatePostgres, PrivateKafka]]:
    """A PostgreSQL server and a Kafka broker of the test's own, started side by side."""
    with private_postgres() as postgres, private_kafka() as kafka:
        yield Services(database_url=postgres.url, kafka=kafka.bootstrap), postgres, kafka
