"""Fixtures shared by the whole suite: a gateway on a store of its own, an HTTP client, keys.

Every test that takes ``settings`` (and so ``gateway``, ``http`` and ``key_for``) runs twice,
once per store: ``[sqlite]`` on a fresh SQLite file, ``[postgresql]`` on a fresh database on a
real PostgreSQL server.

The PostgreSQL server is the one named by ``ICJS_TEST_DATABASE_URL``, else by
``ICJS_DATABASE_URL`` when that is a PostgreSQL URL, else by ``var/services.env``
(``scripts/services.sh up`` writes it). Without one the PostgreSQL tests fail, saying to run
``scripts/services.sh up``: they are never skipped.

Isolation: the session migrates one template database to the newest revision and loads the
SAMPLE institution directory into it (``gateway/data/sample_institutions.csv``: keys are
issued only to listed institutions); each test gets a database of its own, ``CREATE DATABASE
icjs_t_... TEMPLATE <that template>`` (made in the background while the test before runs: a
copy takes a few tenths of a second), dropped after the test with its connections terminated
first. A ``[sqlite]`` store is likewise a copy of one template file of the session, migrated
and seeded once. A test that needs an institution the sample lacks adds it itself
(``gateway.services.institutions.add_institution``). Names carry the host and the pid of the
session, so that concurrent sessions on one server never touch each other's databases, and a
later session drops what a killed one left behind.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

from bench.databases import admin_role, libpq
from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.services.auth import create_client
from gateway.services.institutions import seed_sample_directory
from gateway.settings import Settings
from gateway.store.db import make_engine, upgrade

KeyMaker = Callable[[str, str], dict[str, str]]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SERVICES_ENV = ROOT / "var" / "services.env"
HINT = "start it with `scripts/services.sh up` (then `source var/services.env`), or set ICJS_TEST_DATABASE_URL"
STORES = ("sqlite", "postgresql")
# What `source var/services.env` exports, read once before any test can change the environment.
SERVICE_VARIABLES = ("ICJS_DATABASE_URL", "ICJS_KAFKA_BOOTSTRAP_SERVERS")
STARTUP_ENV = {
    name: os.environ.get(name, "") for name in ("ICJS_TEST_DATABASE_URL", *SERVICE_VARIABLES)
}


@pytest.fixture(autouse=True)
def _embedded_environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside ``tests/production`` the gateway runs embedded whatever the shell exported: a
    ``Settings()`` or a subprocess made by a test must not find the services' database or
    Kafka brokers in the environment."""
    if Path(request.node.path).resolve().is_relative_to(TESTS / "production"):
        return
    for name in SERVICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def migrate_and_seed(url: str) -> None:
    """Bring the database at ``url`` to the newest schema and load the SAMPLE institution
    directory into it (one insert)."""
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            seed_sample_directory(session)
            session.commit()
    finally:
        engine.dispose()


# -- PostgreSQL ---------------------------------------------------------------------------------


def _services_file() -> dict[str, str]:
    values: dict[str, str] = {}
    if SERVICES_ENV.exists():
        for line in SERVICES_ENV.read_text().splitlines():
            line = line.strip().removeprefix("export ").strip()
            if line and not line.startswith("#") and "=" in line:
                name, _, value = line.partition("=")
                values[name.strip()] = value.strip().strip("'\"")
    return values


def postgres_url() -> str:
    """The SQLAlchemy URL of a database on the test server ('' when none is named)."""
    candidates = [
        STARTUP_ENV["ICJS_TEST_DATABASE_URL"],
        STARTUP_ENV["ICJS_DATABASE_URL"],
        _services_file().get("ICJS_DATABASE_URL", ""),
    ]
    return next((url for url in candidates if url.startswith("postgresql")), "")


@dataclass
class PostgresServer:
    """The test server: makes and drops the databases of this session."""

    url: URL  # a database on the server, as the role the gateway uses
    admin: str  # libpq URL of a role that may create databases
    tag: str  # icjs_t_<host>_<pid>: the prefix of every database of this session
    template: str = ""
    # The next test's database of each kind (by template), made in the background while a
    # test runs.
    _maker: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1))
    _next: dict[str, Future[str]] = field(default_factory=dict)

    def url_for(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server, as the gateway's role."""
        return self.url.set(database=database).render_as_string(hide_password=False)

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(statement)

    def create_database(self, *, template: str = "") -> str:
        """A new database owned by the gateway's role: empty, or a copy of ``template``."""
        name = f"{self.tag}_{secrets.token_hex(4)}"
        statement = sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(name), sql.Identifier(str(self.url.username))
        )
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self._admin(statement)
        return name

    def take_database(self, *, template: str = "") -> str:
        """A new database, empty or a copy of ``template``; the next one of the same kind is
        started in the background meanwhile."""
        ready = self._next.get(template) or self._maker.submit(
            self.create_database, template=template
        )
        self._next[template] = self._maker.submit(self.create_database, template=template)
        return ready.result()

    def copy_of_template(self) -> str:
        """A new database at the newest schema."""
        return self.take_database(template=self.template)

    def close(self) -> None:
        """Drop the databases made ahead, then the template."""
        for ahead in self._next.values():
            self.drop_database(ahead.result())
        self._maker.shutdown()
        if self.template:
            self.drop_database(self.template)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending whatever connections a test left open on it."""
        with psycopg.connect(self.admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    def drop_leftovers(self) -> None:
        """Drop the databases of earlier sessions on this host whose process is gone."""
        host = self.tag.split("_")[2]
        with psycopg.connect(self.admin, autocommit=True, connect_timeout=10) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    (f"icjs\\_t\\_{host}\\_%",),
                )
            ]
        for name in names:
            pid = name.split("_")[3]
            if pid.isdigit() and not _alive(int(pid)):
                self.drop_database(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The PostgreSQL server of the session, with a template database at the newest schema."""
    named = postgres_url()
    if not named:
        pytest.fail(
            "the [postgresql] tests need a PostgreSQL server, and neither ICJS_TEST_DATABASE_URL, "
            f"ICJS_DATABASE_URL nor {SERVICES_ENV} names one; {HINT}",
            pytrace=False,
        )
    url = make_url(named)
    try:
        with psycopg.connect(libpq(url), connect_timeout=10):
            pass
        admin = admin_role(url)
    except (psycopg.Error, RuntimeError) as error:
        pytest.fail(
            f"the PostgreSQL server at {url.render_as_string(hide_password=True)} cannot be used "
            f"for the [postgresql] tests ({str(error).strip()}); {HINT}",
            pytrace=False,
        )
    host = f"{zlib.crc32(socket.gethostname().encode()):08x}"
    server = PostgresServer(url=url, admin=admin, tag=f"icjs_t_{host}_{os.getpid()}")
    server.drop_leftovers()
    server.template = server.create_database()
    try:
        migrate_and_seed(server.url_for(server.template))
        yield server
    finally:
        server.close()


# -- the gateway --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the newest schema with the SAMPLE institution directory, made once."""
    path = tmp_path_factory.mktemp("template") / "icjs.db"
    migrate_and_seed(f"sqlite:///{path}")
    return path


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with SQLite's backup API (whatever its write-ahead log holds)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Embedded-mode settings on a store of the test's own, already at the newest schema and
    holding the SAMPLE institution directory: a SQLite file, or a PostgreSQL database."""
    common: dict[str, Any] = {"log_format": "json", "kafka_bootstrap_servers": None}
    if request.param == "sqlite":
        path = tmp_path / "icjs.db"
        copy_sqlite(request.getfixturevalue("sqlite_template"), path)
        yield Settings(database_url=f"sqlite:///{path}", **common)
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.copy_of_template()
    try:
        yield Settings(database_url=server.url_for(name), **common)
    finally:
        server.drop_database(name)


@pytest.fixture
def gateway(settings: Settings) -> Iterator[Gateway]:
    """A gateway built by the composition root."""
    built = build_gateway(settings)
    yield built
    built.close()


@pytest.fixture
def http(gateway: Gateway) -> Iterator[TestClient]:
    """The HTTP API of ``gateway``, lifespan included."""
    with TestClient(create_app(gateway)) as client:
        yield client


@pytest.fixture
def key_for(gateway: Gateway) -> KeyMaker:
    """Make a client and return the Authorization header for it."""

    def make(pillar: str, institution: str) -> dict[str, str]:
        with gateway.db.session(write=True) as session:
            _, key = create_client(
                session, name=f"test-{pillar}", pillar=pillar, institution=institution
            )
        return {"Authorization": f"Bearer {key}"}

    return make


def as_json(message: dict[str, Any]) -> bytes:
    """A canonical message as bytes."""
    return json.dumps(message).encode()
