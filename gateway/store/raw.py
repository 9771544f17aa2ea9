"""Core statements compiled once per dialect and run on the transaction's DB-API cursor.

Accepting a message runs about ten statements. Through SQLAlchemy each costs tens of
microseconds of Python before the database sees it (statement cache lookup, parameter
processing, result wrapping), several times what SQLite then takes to run it. The hot path
compiles its statements once per dialect here and keeps SQLAlchemy's type handling (JSON,
UTC datetimes) by applying each column's bind and result processors itself, as the audit
chain's append does (:mod:`gateway.store.audit`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlmodel import Session

Processor = Callable[[Any], Any] | None

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Compiled:
    """One statement for one dialect: its SQL, the order of its parameters (None for named
    parameters), each parameter's bind processor, and each result column's processor."""

    sql: str
    order: tuple[str, ...] | None
    binds: Mapping[str, Processor]
    results: tuple[Processor, ...]
    fixed: Mapping[str, Any]  # the statement's own values (``status IN ('accepted', 'held')``)

    def params(self, values: Mapping[str, Any]) -> Any:
        given = {**self.fixed, **values}
        processed = {
            name: (proc(given[name]) if proc is not None else given[name])
            for name, proc in self.binds.items()
            if name in given
        }
        if self.order is None:
            return processed
        return tuple(processed[name] for name in self.order)

    def row(self, found: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            proc(value) if proc is not None else value
            for proc, value in zip(self.results, found, strict=True)
        )


class RawStatement:
    """A Core statement run on the DB-API cursor, compiled on first use for each dialect."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return found

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> None:
        """Run the statement once."""
        compiled = self.compiled(conn.dialect)
        cursor = _cursor(conn)
        try:
            cursor.execute(compiled.sql, compiled.params(values))
        finally:
            cursor.close()

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once for each of ``rows``."""
        compiled = self.compiled(conn.dialect)
        cursor = _cursor(conn)
        try:
            cursor.executemany(compiled.sql, [compiled.params(row) for row in rows])
        finally:
            cursor.close()

    def first(self, conn: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run a query and return its first row (types processed), or None."""
        compiled = self.compiled(conn.dialect)
        cursor = _cursor(conn)
        try:
            cursor.execute(compiled.sql, compiled.params(values))
            found = cursor.fetchone()
        finally:
            cursor.close()
        return None if found is None else compiled.row(found)

    def all(self, conn: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run a query and return every row (types processed)."""
        compiled = self.compiled(conn.dialect)
        cursor = _cursor(conn)
        try:
            cursor.execute(compiled.sql, compiled.params(values))
            found = cursor.fetchall()
        finally:
            cursor.close()
        return [compiled.row(row) for row in found]


def _cursor(conn: Connection) -> Any:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None, "the connection is open inside the transaction"
    return dbapi.cursor()


def _compile(statement: ClauseElement, dialect: Dialect) -> Compiled:
    # No expanding parameters (``IN`` lists) here: they are compiled for each call.
    compiled: Any = statement.compile(dialect=dialect)
    assert "POSTCOMPILE" not in compiled.string, f"an expanding parameter in {compiled.string}"
    names = tuple(compiled.positiontup) if compiled.positional else None
    binds: dict[str, Processor] = {}
    for name, bind in compiled.binds.items():
        binds[name] = bind.type._cached_bind_processor(dialect)
    results: tuple[Processor, ...] = ()
    if hasattr(statement, "selected_columns"):
        results = tuple(
            column.type._cached_result_processor(dialect, None)
            for column in statement.selected_columns
        )
    fixed = {name: value for name, value in compiled.params.items() if value is not None}
    return Compiled(sql=compiled.string, order=names, binds=binds, results=results, fixed=fixed)


_CONNECTION = "icjs.connection"


def connection_of(session: Session) -> Connection:
    """The session's connection, with what the unit of work holds written first: a statement
    run on the cursor bypasses the ORM's autoflush, and must see the rows added through it."""
    session.flush()
    return current_connection(session)


def current_connection(session: Session) -> Connection:
    """``session.connection()``, without a flush, kept for the outermost transaction.

    ``Session.connection()`` walks the session's transaction states each time: a tenth of a
    message's Python on the hot path. The connection is the same for the whole of the
    outermost transaction, so it is kept beside that transaction."""
    transaction = session.get_transaction()
    kept = session.info.get(_CONNECTION)
    if kept is not None and transaction is not None and kept[0] is transaction:
        connection: Connection = kept[1]
        return connection
    connection = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), connection)
    return connection


#: The pipeline open on each DB-API connection (psycopg), which SQLAlchemy's own statements
#: must read their answers from at once: it reads a result's columns right after executing
#: (``sync_pipeline``, an engine event on PostgreSQL).
PIPELINES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def sync_pipeline(dbapi_connection: Any) -> None:
    """Read the answers of every statement sent on ``dbapi_connection``'s open pipeline."""
    pipeline = PIPELINES.get(dbapi_connection)
    if pipeline is not None:
        pipeline.sync()


class Savepoint:
    """A savepoint on the DB-API connection around one unit of the group-commit writer.

    SQLAlchemy's ``begin_nested`` runs SAVEPOINT and RELEASE through the whole Core execution
    path and the session's state machine: a fifth of a message's Python in the group-commit
    writer. Here they are two statements on the cursor. The ORM does not know of this
    savepoint, so the session is flushed before it and after the unit (everything the unit
    added is then inside it), and after a rollback every object is expunged: those the unit
    wrote are no longer in the database, and the rest are already flushed. A flush that fails
    inside the unit leaves the whole session needing a rollback, which this savepoint cannot
    undo: the writer then runs the batch's units again one by one (gateway.store.writer).
    """

    NAME = "icjs_unit"

    def __init__(self, session: Session) -> None:
        self.session = session
        connection = connection_of(session)
        self._cursor = _cursor(connection)
        self._cursor.execute(f"SAVEPOINT {self.NAME}")
        # psycopg's pipeline mode: a statement whose result nobody reads (the unit's inserts,
        # the savepoint's own) is sent without waiting for the server's answer, and the
        # answers are read together when a query needs one or the unit ends. Each statement
        # waited a round trip and cost twice the client CPU otherwise.
        dbapi = connection.connection.dbapi_connection
        opener = getattr(dbapi, "pipeline", None)
        self._dbapi = dbapi
        self._pipeline: Any = opener() if opener is not None else None
        if self._pipeline is not None:
            PIPELINES[dbapi] = self._pipeline.__enter__()

    def _end_pipeline(self, error: BaseException | None = None) -> None:
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is None:
            return
        PIPELINES.pop(self._dbapi, None)
        if error is None:
            pipeline.__exit__(None, None, None)  # reads every answer: raises a deferred error
            return
        try:
            pipeline.__exit__(type(error), error, error.__traceback__)
        except Exception:  # the unit's own failure is the one reported
            log.debug("pipeline closed after a failure", exc_info=True)

    def release(self) -> None:
        """Keep what the unit wrote (inside the enclosing transaction)."""
        self.session.flush()
        self._cursor.execute(f"RELEASE SAVEPOINT {self.NAME}")
        self._end_pipeline()
        self._cursor.close()

    def abandon(self, error: BaseException) -> None:
        """Leave the savepoint to the enclosing transaction's rollback."""
        self._end_pipeline(error)
        self._cursor.close()

    def rollback(self, error: BaseException | None = None) -> None:
        """Undo what the unit wrote; the enclosing transaction goes on."""
        self._end_pipeline(error or RuntimeError("rolled back"))
        self._cursor.execute(f"ROLLBACK TO SAVEPOINT {self.NAME}")
        self._cursor.execute(f"RELEASE SAVEPOINT {self.NAME}")
        self._cursor.close()
        self.session.expunge_all()
