"""Loading many rows at once: cases with their crosswalk keys, and any other projection table
(the vehicle and licence register), in large batches.

The ingest path writes one message's rows in one transaction; importing a backlog (a State's
existing cases, a register copied from Vahan or Sarathi) or filling a store for a benchmark
that way would take hours. Here each batch is one transaction of large statements: on
PostgreSQL a ``COPY ... FROM STDIN`` per table (psycopg), elsewhere a Core ``insert``
executed with many parameter sets (SQLite's ``executemany``).

These are projections written directly, with no event behind them: what is loaded this way
is not in the event log, and a rebuild from the log (``icjs audit verify``, a re-projection)
does not know it. That is the price of the speed; the ingest path remains the way to accept
a pillar's message.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from sqlalchemy import JSON, Column, Table, insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeDecorator

from gateway.store.tables import CaseRow, CrosswalkRow, utcnow

CASES: Table = CaseRow.__table__  # type: ignore[attr-defined]
CROSSWALK: Table = CrosswalkRow.__table__  # type: ignore[attr-defined]

#: Rows per batch (one transaction each): large enough that a statement's round trip and a
#: commit cost little per row, small enough that SQLite's write-ahead log stays small (it
#: is checkpointed after each commit) and a failure loses one batch, not the import.
BATCH_ROWS = 20_000

#: SQLite's page cache for the loading connection (KiB, negative by SQLite's convention):
#: the crosswalk's keys arrive in no order, so each insert touches a random leaf of its
#: index; with the default 2 MB cache most of those pages are read again from the OS.
_SQLITE_LOAD_CACHE_KIB = 262_144

#: Told the number of rows loaded so far, after each batch.
Progress = Callable[[int], None]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CaseLoad:
    """One case to load: its row's columns and the crosswalk keys (``fir:...``, ``cnr:...``)
    that resolve to it."""

    id: str
    status: dict[str, Any]
    keys: Sequence[str] = ()
    police_station: str | None = None
    court: str | None = None
    created_at: dt.datetime = field(default_factory=utcnow)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def load_cases(
    engine: Engine,
    cases: Iterable[CaseLoad],
    *,
    batch_size: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> int:
    """Insert ``cases`` and their crosswalk rows, ``batch_size`` cases per transaction;
    returns the number of cases. A key already in the crosswalk, or a case id already
    known, fails its batch (the batches before it stay)."""
    loaded = 0
    with _loading(engine) as conn:
        for chunk in batched(cases, batch_size):
            case_rows = [
                {
                    "id": case.id,
                    "created_at": case.created_at,
                    "updated_at": case.created_at,
                    "police_station": case.police_station,
                    "court": case.court,
                    "status": case.status,
                }
                for case in chunk
            ]
            key_rows = [
                {"key": key, "case_id": case.id, "created_at": case.created_at}
                for case in chunk
                for key in case.keys
            ]
            with conn.begin():
                # Cases first: every crosswalk row names one (foreign key).
                insert_rows(conn, CASES, case_rows)
                insert_rows(conn, CROSSWALK, key_rows)
            loaded += len(chunk)
            if progress is not None:
                progress(loaded)
    return loaded


def load_rows(
    engine: Engine,
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    *,
    batch_size: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> int:
    """Insert ``rows`` (column name to value; a missing column is NULL) into ``table``,
    ``batch_size`` rows per transaction; returns the number of rows."""
    loaded = 0
    with _loading(engine) as conn:
        for chunk in batched(rows, batch_size):
            with conn.begin():
                insert_rows(conn, table, chunk)
            loaded += len(chunk)
            if progress is not None:
                progress(loaded)
    return loaded


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` in the caller's transaction, in as few round trips as the
    database allows: one ``COPY`` on PostgreSQL (psycopg), one ``executemany`` elsewhere.

    The first row names the columns written: every row gives those (a missing one is NULL);
    a column none names takes its default (an autoincrement id) or NULL.
    """
    if not rows:
        return
    columns = [column for column in table.columns if column.name in rows[0]]
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, table, columns, rows)
    else:
        _executemany(conn, table, columns, rows)


def _executemany(
    conn: Connection,
    table: Table,
    columns: Sequence[Column[Any]],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """The Core ``insert`` of ``columns``, compiled once, given to the driver's
    ``executemany`` with every row's values converted by the columns' own bind processors
    (JSON serialised, dates and times as SQLAlchemy writes them): what
    ``conn.execute(insert(table), rows)`` does, less its bookkeeping per row, which cost more
    than SQLite's own work (measured: about half the load)."""
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=[c.name for c in columns])
    order = compiled.positiontup
    if order is None:  # a driver with named parameters: let SQLAlchemy bind them
        names = [column.name for column in columns]
        conn.execute(insert(table), [{name: row.get(name) for name in names} for row in rows])
        return
    by_name = {column.name: column for column in columns}
    processors = [
        by_name[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for name in order
    ]
    conn.exec_driver_sql(
        compiled.string,
        [
            tuple(
                value if to is None or value is None else to(value)
                for to, value in zip(processors, (row.get(name) for name in order), strict=True)
            )
            for row in rows
        ],
    )


@contextmanager
def large_sqlite_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, :data:`_SQLITE_LOAD_CACHE_KIB` of page cache for ``conn`` while the block
    lasts (its usual cache given back after: the connection goes back to the pool); elsewhere
    nothing. For work that writes rows all over a large table or index: a load, the re-link
    giving every record its person. SQLite lets the cache be set inside a transaction."""
    if conn.dialect.name != "sqlite":
        yield
        return
    usual = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(usual if usual is not None else -2000)}")


@contextmanager
def _loading(engine: Engine) -> Iterator[Connection]:
    """A connection for a load; on SQLite with a larger page cache while it lasts."""
    with engine.connect() as conn:
        with large_sqlite_cache(conn):
            # The loaders begin their own transactions: not one the pragma began.
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
        # Setting the cache back began another.
        conn.commit()


def _copy(
    conn: Connection,
    table: Table,
    columns: Sequence[Column[Any]],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """``COPY table (columns) FROM STDIN`` with psycopg, each value converted as SQLAlchemy
    would bind it (JSON serialised, the UTC timestamp type applied)."""
    convert = [_converter(column.type, conn) for column in columns]
    quote = conn.dialect.identifier_preparer
    names = ", ".join(quote.quote(column.name) for column in columns)
    statement = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(statement) as copy:
        for row in rows:
            values = [row.get(column.name) for column in columns]
            copy.write_row(
                [
                    value if to is None or value is None else to(value)
                    for to, value in zip(convert, values, strict=True)
                ]
            )


def _converter(kind: Any, conn: Connection) -> Callable[[Any], Any] | None:
    """How a value of a column of type ``kind`` goes into COPY's text: JSON as its text
    (orjson, as the engine serialises it), a type decorator's bind conversion, else as is."""
    if isinstance(kind, JSON):
        return lambda value: orjson.dumps(value).decode()
    if isinstance(kind, TypeDecorator):
        # Its own conversion (None when it has none, as SQLModel's AutoString).
        processor: Callable[[Any], Any] | None = kind.bind_processor(conn.dialect)
        return processor
    return None
