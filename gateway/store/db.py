"""Database engine, unit of work, and the schema's migrations.

SQLite (the embedded default) runs in WAL mode so readers never wait for the
writer; writes inside one process are serialised by a lock because SQLite has
one writer at a time and a deferred transaction that upgrades to a write can
otherwise fail with "database is locked" instead of waiting.

The schema is Alembic's (``gateway/store/migrations``), the same revisions on SQLite and
PostgreSQL. A brand-new database is migrated to the newest revision when the gateway
first starts on it; a database at an older revision is refused until an operator runs
``icjs db upgrade``, so a schema change on a live database is always a deliberate step.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar

import orjson
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext, MigrationInfo
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Index, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

from gateway.settings import Settings
from gateway.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from gateway.store.audit import PENDING as AUDIT_PENDING
from gateway.store.audit import seal as seal_audit
from gateway.store.raw import sync_pipeline
from gateway.store.writer import GroupCommitWriter

T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
#: The database every command uses when ``ICJS_DATABASE_URL`` is not set.
DEFAULT_DATABASE_URL: str = Settings.model_fields["database_url"].default
#: PostgreSQL advisory lock held while a process migrates: two gateways starting on the
#: same new database at once create the schema once.
SCHEMA_LOCK_KEY = 0x1C15_0002
#: The revision that added each table or index that a database made before migrations
#: existed (by ``create_all``) may lack; see :func:`_adopt`.
_ADDED_LATER = {
    "dead_letters": "0002_dead_letters",
    "ix_outbox_unpublished": "0002_dead_letters",
    "outbox.record_value": "0003_outbox_record",
    "outbox.record_headers": "0003_outbox_record",
    "vehicles": "0004_vehicle_register",
    "vehicle_mentions": "0004_vehicle_register",
    "vehicle_links": "0004_vehicle_register",
    "licences": "0004_vehicle_register",
    "licence_mentions": "0004_vehicle_register",
    "institutions": "0005_institutions",
    "clients.expires_at": "0006_client_keys",
    "clients.last_used_at": "0006_client_keys",
    "retired_keys": "0006_client_keys",
    "messages.body_truncated_reason": "0006_client_keys",
    "audit_chain": "0007_audit_chain",
    "audit_head": "0007_audit_chain",
    "audit_checkpoints": "0007_audit_chain",
    "access_log": "0007_audit_chain",
    "deadline_notices": "0008_deadline_notices",
    "person_records": "0009_person_index",
    "person_keys": "0009_person_index",
    "person_links": "0009_person_index",
    "person_models": "0009_person_index",
    "console_sessions": "0010_console",
    "audit_verifications": "0010_console",
    "citizen_access": "0011_citizen_access",
    "citizen_failures": "0011_citizen_access",
}
#: The revision that changed each column such a database has in its older form.
_CHANGED_LATER = {"events.case_id": "0004_vehicle_register"}

Progress = Callable[[str], None]


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# Every event is written twice as JSON (event log, outbox) and read back by the relay:
# orjson does that several times faster than the standard library.
_JSON = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}


def _sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _owner_only(path: Path | None) -> None:
    """Make the SQLite file and its write-ahead log and shared memory readable by their
    owner only (mode 0600): they hold personal data. A file not ours is left as it is."""
    if path is None:
        return
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            if name.exists() and name.stat().st_mode & 0o077:
                name.chmod(0o600)


def make_engine(url: str, *, durable: bool = False) -> Engine:
    """Create the engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys,
    and its files (the database, its WAL and SHM) mode 0600.

    On SQLite, ``durable`` makes each commit wait for the disk (``synchronous=FULL``): the
    group-commit writer's engine, which answers senders. The others (feeds, relay marks,
    reads) keep ``NORMAL``, which in WAL mode survives a crash of the process but may lose
    the last commits to a power cut: all of it is rebuilt from the outbox and the event log.
    """
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is not None and not path.exists():
            # Made here, with mode 0600, before SQLite makes it with the umask's mode.
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **_JSON
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk before it returns, so an answered message survives a
            # power cut, not only a crash of the process; the group-commit writer pays the
            # fsync once per batch, not once per message.
            cursor.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # The driver's own transaction handling begins a transaction only before a
            # write, so a SAVEPOINT taken first began one of its own and its RELEASE committed
            # it: every unit of a group commit was a commit (and an fsync) of its own, and
            # not atomic with its batch. The driver is told to leave transactions alone, and
            # SQLAlchemy's begin says BEGIN itself (SQLAlchemy's documented recipe for pysqlite).
            dbapi_conn.isolation_level = None
            _owner_only(path)  # the WAL and SHM exist now

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800, **_JSON)

    @event.listens_for(engine, "after_cursor_execute")
    def _answer_now(_conn: Any, cursor: Any, *_args: Any) -> None:
        # Inside a unit's pipeline (gateway.store.raw.Savepoint) SQLAlchemy reads a
        # statement's columns as soon as it has run: its answer must be read first.
        sync_pipeline(cursor.connection)

    return engine


# -- the schema -------------------------------------------------------------------------------


class SchemaOutOfDate(RuntimeError):
    """The database's schema is not the one this gateway needs; the message says what to run."""

    def __init__(self, message: str, *, current: str | None, expected: str) -> None:
        super().__init__(message)
        self.current = current
        self.expected = expected


def alembic_config(
    connection: Connection | None = None,
    *,
    url: str | None = None,
    progress: Progress | None = None,
) -> Config:
    """Alembic's configuration, built in code: the migrations folder of this package and
    either an open ``connection`` (the caller owns its transaction) or a database ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    if progress is not None:
        config.attributes["on_version_apply"] = _reporter(progress)
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision: the schema this gateway runs on."""
    head = _scripts().get_current_head()
    assert head is not None, "gateway/store/migrations/versions holds no revision"
    return head


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _gateway_tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names()) & set(SQLModel.metadata.tables)


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def _reporter(progress: Progress) -> Callable[..., None]:
    def report(*, step: MigrationInfo, **_: Any) -> None:
        lower = ", ".join(step.down_revision_ids) or "empty"
        upper = step.up_revision_id or "empty"
        source, target = (lower, upper) if step.is_upgrade else (upper, lower)
        doc = str(getattr(step.up_revision, "doc", "") or "").strip().splitlines()
        progress(f"{source} -> {target}" + (f": {doc[0]}" if doc and step.is_upgrade else ""))

    return report


def describe_url(url: Any) -> str:
    """A database URL fit to print: the password, if any, is shown as ``***``."""
    return make_url(str(url)).render_as_string(hide_password=True)


def upgrade_command(url: Any) -> str:
    """The command an operator runs to upgrade the database at ``url`` (password as ``***``)."""
    shown = describe_url(url)
    if shown == DEFAULT_DATABASE_URL:
        return "icjs db upgrade"
    return f"ICJS_DATABASE_URL={shlex.quote(shown)} icjs db upgrade"


def _then(url: Any) -> str:
    if make_url(str(url)).password:
        return " (put the password back in ICJS_DATABASE_URL: it is not shown here)"
    return ""


def _out_of_date(url: Any, current: str | None, expected: str) -> SchemaOutOfDate:
    where = describe_url(url)
    run = upgrade_command(url)
    if current is None:
        message = (
            f"The database {where} has the gateway's tables but no schema revision: it was "
            f"made before the gateway had migrations. This gateway needs revision {expected}. "
            f"Adopt and upgrade it, then start the gateway again{_then(url)}:\n\n    {run}\n"
        )
    elif not _known(current):
        message = (
            f"The database {where} is at schema revision {current}, which this gateway does "
            f"not know (it needs {expected}): a newer release of the gateway has migrated it. "
            f"Run that release, or a newer one, on this database; `icjs db upgrade` of this "
            f"release cannot take it back to {expected}.\n"
        )
    else:
        message = (
            f"The database schema is out of date: {where} is at revision {current}, this "
            f"gateway needs {expected}. Upgrade it, then start the gateway again{_then(url)}:"
            f"\n\n    {run}\n"
        )
    return SchemaOutOfDate(message, current=current, expected=expected)


def ensure_schema(engine: Engine) -> None:
    """Make sure the database has the schema this gateway needs.

    At the newest revision: nothing to do. A brand-new database (none of the gateway's
    tables, no revision): migrated to the newest revision now, so the embedded default
    needs no setup. Anything else (an older or unknown revision, tables without a
    revision) raises :class:`SchemaOutOfDate`, whose message says what to run.
    """
    head = head_revision()
    with engine.connect() as conn:
        current = _current(conn)
        fresh = current is None and not _gateway_tables(conn)
    if current == head:
        return
    if not fresh:
        raise _out_of_date(engine.url, current, head)
    with engine.begin() as conn:
        _lock(conn)
        # Another process may have created it meanwhile (it held the lock).
        current = _current(conn)
        if current is None and not _gateway_tables(conn):
            command.upgrade(alembic_config(conn), "head")
        elif current != head:
            raise _out_of_date(engine.url, current, head)


@contextmanager
def _engine_for(target: str | Engine) -> Iterator[Engine]:
    if isinstance(target, Engine):
        yield target
        return
    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()


def current_revision(target: str | Engine) -> str | None:
    """The database's schema revision; None for a database without one."""
    with _engine_for(target) as engine, engine.connect() as conn:
        return _current(conn)


def upgrade(
    target: str | Engine, revision: str = "head", *, progress: Progress | None = None
) -> tuple[str | None, str | None]:
    """Migrate the database (a URL or an engine) up to ``revision``; returns (from, to).

    A database made before migrations existed is adopted first (:func:`_adopt`).
    """
    say = progress or (lambda _line: None)
    with _engine_for(target) as engine, engine.begin() as conn:
        _lock(conn)
        before = _current(conn)
        if before is not None and not _known(before):
            raise _out_of_date(engine.url, before, head_revision())
        if before is None and _gateway_tables(conn):
            _adopt(conn, engine.url, say)
        command.upgrade(alembic_config(conn, progress=progress), revision)
        return before, _current(conn)


def downgrade(
    target: str | Engine, revision: str, *, progress: Progress | None = None
) -> tuple[str | None, str | None]:
    """Migrate the database down to ``revision`` (``base``: no tables); returns (from, to)."""
    with _engine_for(target) as engine, engine.begin() as conn:
        _lock(conn)
        before = _current(conn)
        command.downgrade(alembic_config(conn, progress=progress), revision)
        return before, _current(conn)


def _adopt(conn: Connection, url: Any, say: Progress) -> None:
    """Give a revision to a database made by ``create_all`` before migrations existed.

    Its tables must be the gateway's as they are now, less what later revisions added
    (:data:`_ADDED_LATER`). It is stamped with the newest revision whose tables it all
    has (an index of that revision it lacks is made now), and the upgrade that follows
    adds the rest. Anything else is refused: what such a database holds is not ours to guess.
    """
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    absent_tables: set[str] = set()
    absent_columns: set[str] = set()
    absent_indexes: list[Index] = []
    changed_columns: set[str] = set()
    unexpected: list[str] = []
    for diff in compare_metadata(context, SQLModel.metadata):
        if isinstance(diff, tuple) and diff[0] == "add_table" and diff[1].name in _ADDED_LATER:
            absent_tables.add(diff[1].name)
        elif (
            isinstance(diff, tuple)
            and diff[0] == "add_column"
            and f"{diff[2]}.{diff[3].name}" in _ADDED_LATER
        ):
            absent_columns.add(f"{diff[2]}.{diff[3].name}")
        elif (
            isinstance(diff, tuple)
            and diff[0] == "add_index"
            and (diff[1].name in _ADDED_LATER or diff[1].table.name in _ADDED_LATER)
        ):
            absent_indexes.append(diff[1])
        elif isinstance(diff, list) and all(
            change[0] == "modify_nullable" and f"{change[2]}.{change[3]}" in _CHANGED_LATER
            for change in diff
        ):
            changed_columns.update(f"{change[2]}.{change[3]}" for change in diff)
        else:
            unexpected.append(str(diff))
    if unexpected:
        raise SchemaOutOfDate(
            f"The database {describe_url(url)} has the gateway's tables but no schema revision, "
            f"and they are not what any revision made, so `icjs db upgrade` cannot adopt it: "
            f"{'; '.join(unexpected[:5])}",
            current=None,
            expected=head_revision(),
        )
    oldest_first = [script.revision for script in reversed(list(_scripts().walk_revisions()))]
    position = oldest_first.index
    stamp = oldest_first[-1]
    for name in absent_tables | absent_columns:
        stamp = min(stamp, oldest_first[position(_ADDED_LATER[name]) - 1], key=position)
    for name in changed_columns:
        stamp = min(stamp, oldest_first[position(_CHANGED_LATER[name]) - 1], key=position)
    for index in absent_indexes:
        table = index.table.name if index.table is not None else ""
        added_in = _ADDED_LATER.get(str(index.name)) or _ADDED_LATER[table]
        if table not in absent_tables and position(added_in) <= position(stamp):
            index.create(conn)
    command.stamp(alembic_config(conn), stamp)
    say(f"adopted a database made before migrations: it has the tables of {stamp}")


class Database:
    """The engine plus the unit-of-work factory the services use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._write_lock = threading.RLock()
        # The hot write path (accepting messages) goes through one writer per process that
        # commits many units at once (gateway.store.writer). On SQLite, which writes one
        # transaction at a time, that is what lets requests stop queueing on its lock; on
        # PostgreSQL it saves each message its own transaction, commit and thread.
        self._durable_engine: Engine | None = None
        if self.is_sqlite:
            # One connection of its own, committing with synchronous=FULL (make_engine).
            self._durable_engine = make_engine(
                engine.url.render_as_string(hide_password=False), durable=True
            )
        self.writer = GroupCommitWriter(
            open_session=partial(self.session, write=True, durable=True)
        )

    def write(self, unit: Callable[[Session], T]) -> T:
        """Run a unit of work that writes and return what it returned, once committed: in the
        writer's next shared transaction."""
        return self.writer.run(unit)

    def dispose(self) -> None:
        """Close every pooled connection (the writer's too); the next use opens new ones."""
        if self._durable_engine is not None:
            self._durable_engine.dispose()
        self.engine.dispose()

    def close(self) -> None:
        """Finish the writer's queue and release the engines' connections."""
        self.writer.close()
        self.dispose()

    @contextmanager
    def session(self, *, write: bool = False, durable: bool = False) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back on any exception.
        ``durable`` (the group-commit writer's) commits on the SQLite engine that waits for
        the disk."""
        lock = self._write_lock if (write and self.is_sqlite) else None
        engine = (self._durable_engine if durable else None) or self.engine
        if lock is not None:
            lock.acquire()
        try:
            with Session(engine, expire_on_commit=False) as session:
                try:
                    yield session
                    # The rows this unit chained (messages, events, reads) get their links
                    # in the same transaction, under the chain head's lock (gateway.store.audit).
                    if session.info.get(AUDIT_PENDING):
                        seal_audit(session)
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        finally:
            if lock is not None:
                lock.release()
