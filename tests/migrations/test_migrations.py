"""The schema's migrations, on SQLite and on a real PostgreSQL server.

Every test starts from an empty database of its own (``[sqlite]``: a new file;
``[postgresql]``: a new database on the test server, not the migrated template).
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, select
from typer.testing import CliRunner, Result

from gateway.bootstrap import build_gateway
from gateway.cli import main as cli
from gateway.settings import Settings
from gateway.store.db import (
    SchemaOutOfDate,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    upgrade,
)
from gateway.store.tables import ClientRow

FIRST = "0001_initial"
HEAD = "0012_person_search_ranges"
ICJS = [sys.executable, "-m", "gateway"]
STORES = ("sqlite", "postgresql")  # as the ``settings`` fixture of tests/conftest.py


@pytest.fixture(params=STORES)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: no tables, no revision."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'schema.db'}"
        return
    server = request.getfixturevalue("postgres")  # tests/conftest.py: the session's server
    name = server.take_database()
    try:
        yield str(server.url_for(name))
    finally:
        server.drop_database(name)


def schema_diff(url: str) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match the models."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def tables_of(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def execute(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, kafka_bootstrap_servers=None, log_format="json")


def icjs(
    args: list[str], url: str, cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the icjs command with ICJS_DATABASE_URL=url and nothing else of ours set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICJS_")}
    env["ICJS_DATABASE_URL"] = url
    return subprocess.run(
        ICJS + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def in_process(args: list[str], url: str) -> Result:
    """Run the icjs command in this process (faster than a subprocess) with ICJS_DATABASE_URL=url."""
    return CliRunner().invoke(cli.app, args, env={"ICJS_DATABASE_URL": url})


def test_the_revisions_are_a_line_from_0001_to_head() -> None:
    assert head_revision() == HEAD


def test_upgrade_from_empty_gives_exactly_the_models_schema(empty_url: str) -> None:
    assert upgrade(empty_url) == (None, HEAD)
    assert current_revision(empty_url) == HEAD
    assert schema_diff(empty_url) == []
    assert tables_of(empty_url) == set(SQLModel.metadata.tables) | {"alembic_version"}


#: The tables revision 0004 adds (the vehicle and licence register).
REGISTER = {"vehicles", "vehicle_mentions", "vehicle_links", "licences", "licence_mentions"}
#: The tables added after 0001 and 0002: the register (0004), the institution directory (0005),
#: the keys replaced by rotation (0006), the audit chain and access log (0007), the deadline
#: events emitted (0008), the person index (0009), the web console's sessions and audit
#: verifications (0010) and the citizen's access codes and failed attempts (0011).
AUDIT = {"audit_chain", "audit_head", "audit_checkpoints", "access_log"}
PERSONS = {"person_records", "person_keys", "person_links", "person_models"}
CONSOLE = {"console_sessions", "audit_verifications"}
CITIZEN = {"citizen_access", "citizen_failures"}
LATER = (
    REGISTER
    | {"institutions", "retired_keys"}
    | AUDIT
    | {"deadline_notices"}
    | PERSONS
    | CONSOLE
    | CITIZEN
)
#: The columns revision 0006 adds (key expiry and last use; why a body is cut).
CLIENT_KEY_COLUMNS = {
    "clients.expires_at",
    "clients.last_used_at",
    "messages.body_truncated_reason",
}


def test_0001_is_everything_but_the_dead_letters(empty_url: str) -> None:
    assert upgrade(empty_url, FIRST) == (None, FIRST)
    assert tables_of(empty_url) == set(SQLModel.metadata.tables) - {"dead_letters"} - LATER | {
        "alembic_version"
    }
    diff = schema_diff(empty_url)
    # Column changes come as lists of ("modify_...", schema, table, column, ...) tuples.
    changed = {(c[0], f"{c[2]}.{c[3]}") for d in diff if isinstance(d, list) for c in d}
    assert changed == {("modify_nullable", "events.case_id")}  # 0004: registry events
    missing = {
        (d[0], f"{d[2]}.{d[3].name}" if d[0] == "add_column" else d[1].name)
        for d in diff
        if isinstance(d, tuple)
    }
    assert ("add_table", "dead_letters") in missing
    assert ("add_index", "ix_outbox_unpublished") in missing
    assert ("add_column", "outbox.record_value") in missing  # and what later revisions add
    assert {name for _, name in missing} <= {
        "dead_letters",
        "ix_outbox_unpublished",
        "ix_dead_letters_consumer",
        "ix_dead_letters_event_id",
        "ix_dead_letters_status",
        "outbox.record_value",
        "outbox.record_headers",
    } | LATER | CLIENT_KEY_COLUMNS | {
        index
        for table in LATER
        for index in (i.name for i in SQLModel.metadata.tables[table].indexes)
        if index is not None
    }


def test_a_new_database_is_migrated_to_head_when_the_gateway_starts(empty_url: str) -> None:
    gateway = build_gateway(settings_for(empty_url))
    gateway.close()
    assert current_revision(empty_url) == HEAD
    assert schema_diff(empty_url) == []


def test_a_database_with_only_other_tables_counts_as_new(empty_url: str) -> None:
    execute(empty_url, "CREATE TABLE someone_elses (id INTEGER PRIMARY KEY)")
    build_gateway(settings_for(empty_url)).close()
    assert current_revision(empty_url) == HEAD
    assert "someone_elses" in tables_of(empty_url)


def test_the_gateway_refuses_a_schema_that_is_behind(empty_url: str) -> None:
    upgrade(empty_url, FIRST)
    with pytest.raises(SchemaOutOfDate) as refused:
        build_gateway(settings_for(empty_url))
    message = str(refused.value)
    assert refused.value.current == FIRST and refused.value.expected == HEAD
    assert f"at revision {FIRST}" in message and f"needs {HEAD}" in message
    assert "icjs db upgrade" in message
    assert "ICJS_DATABASE_URL=" in message, "not the default database: the command names it"
    password = make_url(empty_url).password
    if password:
        assert f":{password}@" not in message and ":***@" in message
    assert current_revision(empty_url) == FIRST, "refusing changes nothing"


def test_the_default_database_needs_only_icjs_db_upgrade(tmp_path: Path) -> None:
    upgrade(f"sqlite:///{tmp_path / 'icjs.db'}", FIRST)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(SchemaOutOfDate) as refused:
            build_gateway(settings_for("sqlite:///./icjs.db"))
    finally:
        os.chdir(cwd)
    assert "\n    icjs db upgrade\n" in str(refused.value)


def test_icjs_db_upgrade_then_the_gateway_starts(empty_url: str, tmp_path: Path) -> None:
    upgrade(empty_url, FIRST)
    before = in_process(["db", "current"], empty_url)
    assert before.exit_code == 0, before.output
    assert before.stdout.startswith(f"{FIRST} (head is {HEAD}: run ")
    done = icjs(["db", "upgrade"], empty_url, tmp_path)
    assert done.returncode == 0, done.stderr
    steps = [
        FIRST,
        "0002_dead_letters",
        "0003_outbox_record",
        "0004_vehicle_register",
        "0005_institutions",
        "0006_client_keys",
        "0007_audit_chain",
        "0008_deadline_notices",
        "0009_person_index",
        "0010_console",
        "0011_citizen_access",
        HEAD,
    ]
    for older, newer in itertools.pairwise(steps):
        assert f"{older} -> {newer}" in done.stderr, "each step is shown"
    assert done.stdout.strip() == f"upgraded from {FIRST} to {HEAD}"
    after = in_process(["db", "current"], empty_url)
    assert after.stdout.strip() == f"{HEAD} (head)"
    again = in_process(["db", "upgrade"], empty_url)
    assert again.exit_code == 0 and again.stdout.strip() == f"already at {HEAD}: nothing to do"
    gateway = build_gateway(settings_for(empty_url))
    gateway.close()
    assert schema_diff(empty_url) == []


def test_icjs_db_upgrade_to_a_named_revision(empty_url: str) -> None:
    first = in_process(["db", "upgrade", "--revision", FIRST], empty_url)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == f"upgraded from no revision to {FIRST}"
    assert f"empty -> {FIRST}" in first.stderr
    assert current_revision(empty_url) == FIRST
    unknown = in_process(["db", "upgrade", "--revision", "no_such_revision"], empty_url)
    assert unknown.exit_code == 1 and unknown.exception is not None
    assert "no_such_revision" in unknown.stderr
    assert current_revision(empty_url) == FIRST


def test_serve_refuses_a_schema_that_is_behind_and_says_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    upgrade(url, FIRST)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    served = icjs(["serve", "--port", str(port)], url, tmp_path, timeout=60)
    assert served.returncode == 1
    assert "error: The database schema is out of date" in served.stderr
    assert "icjs db upgrade" in served.stderr and FIRST in served.stderr
    assert "Traceback" not in served.stderr


def test_downgrade_to_base_and_upgrade_again(empty_url: str) -> None:
    upgrade(empty_url)
    assert downgrade(empty_url, "base") == (HEAD, None)
    assert tables_of(empty_url) <= {"alembic_version"}
    assert current_revision(empty_url) is None
    assert upgrade(empty_url) == (None, HEAD)
    assert schema_diff(empty_url) == []
    build_gateway(settings_for(empty_url)).close()


def test_a_downgrade_and_upgrade_of_0002_keeps_the_other_tables_data(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with Session(engine) as session:
            session.add(
                ClientRow(
                    name="c", pillar="courts", institution="MHAU01", key_prefix="p", key_hash="h"
                )
            )
            session.commit()
        assert downgrade(engine, FIRST) == (HEAD, FIRST)
        assert upgrade(engine) == (FIRST, HEAD)
        with Session(engine) as session:
            assert [c.institution for c in session.exec(select(ClientRow)).all()] == ["MHAU01"]
    finally:
        engine.dispose()


def test_a_revision_this_gateway_does_not_know_is_refused(empty_url: str) -> None:
    upgrade(empty_url)
    execute(empty_url, "UPDATE alembic_version SET version_num = '0099_from_the_future'")
    with pytest.raises(SchemaOutOfDate) as refused:
        build_gateway(settings_for(empty_url))
    assert "0099_from_the_future" in str(refused.value) and "newer release" in str(refused.value)
    with pytest.raises(SchemaOutOfDate):
        upgrade(empty_url)


@pytest.mark.parametrize("had_dead_letters", [False, True], ids=["before-dead-letters", "after"])
def test_a_database_made_before_migrations_is_adopted_by_icjs_db_upgrade(
    empty_url: str, had_dead_letters: bool
) -> None:
    """What ``create_all`` made before there were migrations: no revision, no outbox record
    columns, no ``ix_outbox_unpublished`` (nor, if older still, ``dead_letters``)."""
    engine = make_engine(empty_url)
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()
    execute(empty_url, "ALTER TABLE outbox DROP COLUMN record_value")
    execute(empty_url, "ALTER TABLE outbox DROP COLUMN record_headers")
    execute(empty_url, "DROP INDEX ix_outbox_unpublished")
    execute(empty_url, *(f"DROP TABLE {table}" for table in sorted(LATER)))
    execute(
        empty_url,
        *(
            "ALTER TABLE {} DROP COLUMN {}".format(*column.split("."))
            for column in sorted(CLIENT_KEY_COLUMNS)
        ),
    )
    if empty_url.startswith("postgresql"):  # SQLite cannot alter a column in place
        execute(empty_url, "ALTER TABLE events ALTER COLUMN case_id SET NOT NULL")
    if not had_dead_letters:
        execute(empty_url, "DROP TABLE dead_letters")
    with pytest.raises(SchemaOutOfDate) as refused:
        build_gateway(settings_for(empty_url))
    assert "before the gateway had migrations" in str(refused.value)
    assert "icjs db upgrade" in str(refused.value)
    steps: list[str] = []
    assert upgrade(empty_url, progress=steps.append) == (None, HEAD)
    assert steps[0].startswith("adopted a database made before migrations")
    assert schema_diff(empty_url) == []
    build_gateway(settings_for(empty_url)).close()


def test_tables_unlike_any_revision_are_not_adopted(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()
    execute(empty_url, "ALTER TABLE clients ADD COLUMN nickname VARCHAR")
    with pytest.raises(SchemaOutOfDate) as refused:
        upgrade(empty_url)
    assert "cannot adopt" in str(refused.value) and "nickname" in str(refused.value)
    assert current_revision(empty_url) is None


@pytest.mark.parametrize(
    "args",
    [["clients", "list"], ["clients", "add", "--pillar", "courts", "--institution", "MHAU01"]],
    ids=["clients-list", "clients-add"],
)
def test_every_command_refuses_a_schema_that_is_behind_in_one_line(
    args: list[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    upgrade(url, FIRST)
    result = in_process(args, url)
    assert result.exit_code == 1
    assert "error: The database schema is out of date" in result.stderr
    assert "icjs db upgrade" in result.stderr
    assert not isinstance(result.exception, SchemaOutOfDate)  # handled, not a traceback


def test_a_database_that_cannot_be_reached_is_one_line_naming_the_setting() -> None:
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    result = in_process(["clients", "list"], "postgresql+psycopg://icjs@127.0.0.1:9/icjs")
    assert result.exit_code == 1
    assert "error: cannot open the database" in result.stderr
    assert "ICJS_DATABASE_URL" in result.stderr
