"""The group-commit writer on a real store (a SQLite file, a PostgreSQL database): units queued
together share one transaction, a failing unit undoes only its own rows, a unit whose flush
fails or that loses a race sends its batch's units one by one, a failed commit fails every
unit of its batch, and nobody is answered before the batch is committed and relayed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from gateway.settings import Settings
from gateway.store.db import Database, ensure_schema, make_engine
from gateway.store.raw import connection_of
from gateway.store.tables import InstitutionRow


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    database = Database(engine)
    with database.session(write=True) as session:
        session.execute(text("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))
    yield database
    database.close()


def _insert(n: int) -> Callable[[Session], int]:
    def unit(session: Session) -> int:
        session.execute(text("INSERT INTO notes (n) VALUES (:n)"), {"n": n})
        return n

    return unit


def _notes(db: Database) -> list[int]:
    with db.session() as session:
        return [row[0] for row in session.execute(text("SELECT n FROM notes ORDER BY n"))]


def test_units_queued_together_commit_as_one_batch(db: Database) -> None:
    writer = db.writer
    assert writer is not None
    gate = threading.Event()

    def held(session: Session) -> None:
        gate.wait(30)  # the writer is busy: the next units queue behind it

    first = writer.submit(held)
    queued = [writer.submit(_insert(n)) for n in range(1, 21)]
    batches_before = writer.batches
    gate.set()
    assert [f.result(30) for f in queued] == list(range(1, 21))
    first.result(30)
    # The held unit's batch, then one batch for the twenty that queued meanwhile.
    assert writer.batches - batches_before <= 2
    assert writer.units >= 21
    assert _notes(db) == list(range(1, 21))


def test_a_failing_unit_undoes_only_its_own_rows(db: Database) -> None:
    writer = db.writer
    assert writer is not None
    gate = threading.Event()
    writer.submit(lambda session: gate.wait(30))

    def half_then_fail(session: Session) -> None:
        session.execute(text("INSERT INTO notes (n) VALUES (100)"))
        raise ValueError("the unit's own failure")

    before = writer.submit(_insert(1))
    failing = writer.submit(half_then_fail)
    after = writer.submit(_insert(2))
    gate.set()
    assert before.result(30) == 1 and after.result(30) == 2
    with pytest.raises(ValueError, match="the unit's own failure"):
        failing.result(30)
    assert _notes(db) == [1, 2]  # 100 was rolled back with its savepoint, nothing else


def test_a_failed_commit_fails_every_unit_of_the_batch(db: Database) -> None:
    writer = db.writer
    assert writer is not None
    gate = threading.Event()
    writer.submit(lambda session: gate.wait(30))

    def breaks_the_transaction(session: Session) -> None:
        # Ends the batch's transaction under SQLAlchemy's feet: the commit then fails.
        session.connection().exec_driver_sql("ROLLBACK")

    units: list[Future[Any]] = [
        writer.submit(_insert(5)),
        writer.submit(breaks_the_transaction),
    ]
    gate.set()
    for future in units:
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raised, both get it
            future.result(30)
    assert 5 not in _notes(db)
    # The writer goes on after a failed batch.
    assert writer.submit(_insert(6)).result(30) == 6
    assert 6 in _notes(db)


def test_nobody_is_answered_before_the_batch_is_relayed(db: Database) -> None:
    writer = db.writer
    assert writer is not None
    seen: list[list[int]] = []
    # After the commit, before any answer: what the relay would read is already committed.
    writer.after_commit = lambda: seen.append(_notes(db))
    future = writer.submit(_insert(7))
    assert future.result(30) == 7
    assert seen and 7 in seen[-1]


def test_a_unit_that_queues_another_is_refused_not_deadlocked(db: Database) -> None:
    writer = db.writer
    assert writer is not None

    def nested(session: Session) -> int:
        # It would wait for its own batch: the writer says so instead of hanging.
        return db.write(_insert(8))

    with pytest.raises(RuntimeError, match="write in the session it is given"):
        writer.submit(nested).result(30)
    assert db.write(_insert(9)) == 9
    assert _notes(db) == [9]


def _busy(db: Database) -> threading.Event:
    """Hold the writer with a unit that waits, so that the next units queue into one batch."""
    writer = db.writer
    assert writer is not None
    gate = threading.Event()
    writer.submit(lambda session: gate.wait(30))
    return gate


def test_a_failed_flush_sends_the_batch_one_by_one(db: Database) -> None:
    """A flush that fails leaves the whole session needing a rollback (SQLAlchemy): the
    neighbours of the unit that failed are run again on their own, and kept."""
    writer = db.writer
    assert writer is not None
    gate = _busy(db)

    def duplicate_institution(session: Session) -> None:
        session.execute(text("INSERT INTO notes (n) VALUES (300)"))
        # An ORM row whose key is taken: the flush fails with an IntegrityError.
        existing = session.exec(select(InstitutionRow)).first()
        assert existing is not None, "the store holds the SAMPLE institutions"
        session.expunge(existing)
        session.add(InstitutionRow(**existing.model_dump()))
        session.flush()

    before = writer.submit(_insert(1))
    failing = writer.submit(duplicate_institution)
    after = writer.submit(_insert(2))
    gate.set()
    assert before.result(30) == 1 and after.result(30) == 2
    with pytest.raises(IntegrityError):
        failing.result(30)
    assert _notes(db) == [1, 2]  # 300 went with its unit
    assert writer.submit(_insert(3)).result(30) == 3


class _Deadlock(Exception):
    """What a driver raises for PostgreSQL's deadlock_detected (SQLSTATE 40P01)."""

    sqlstate = "40P01"


def test_a_unit_that_loses_a_race_is_run_again_on_its_own(db: Database) -> None:
    writer = db.writer
    assert writer is not None
    gate = _busy(db)
    tries: list[int] = []

    def deadlocks_once(session: Session) -> int:
        session.execute(text("INSERT INTO notes (n) VALUES (40)"))
        tries.append(1)
        if len(tries) == 1:
            raise _Deadlock("deadlock detected")
        return 40

    neighbour = writer.submit(_insert(4))
    racing = writer.submit(deadlocks_once)
    gate.set()
    # Run again in a transaction of its own, it succeeds; its neighbour is kept either way.
    assert racing.result(30) == 40 and neighbour.result(30) == 4
    assert len(tries) == 2
    assert _notes(db) == [4, 40]


def test_a_statement_that_fails_fails_its_unit_when_its_answer_is_read(db: Database) -> None:
    """On PostgreSQL a unit's statements are pipelined: a failing insert is known only when
    the answers are read (at the unit's end). It still fails that unit alone, whole."""
    writer = db.writer
    assert writer is not None
    assert writer.submit(_insert(7)).result(30) == 7
    gate = _busy(db)

    def collides(session: Session) -> None:
        cursor = connection_of(session).connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("INSERT INTO notes (n) VALUES (70)")
        cursor.execute("INSERT INTO notes (n) VALUES (7)")  # taken: an integrity error
        cursor.execute("INSERT INTO notes (n) VALUES (71)")

    before = writer.submit(_insert(8))
    failing = writer.submit(collides)
    after = writer.submit(_insert(9))
    gate.set()
    assert before.result(30) == 8 and after.result(30) == 9
    error = failing.exception(30)
    assert error is not None and type(error).__name__ in {"IntegrityError", "UniqueViolation"}
    assert _notes(db) == [7, 8, 9]
