"""One writer per process, committing whatever is queued as one transaction, on either store.

SQLite lets one transaction write at a time. With each request committing its own, requests
queue on the write lock one by one and every commit pays its own journal write (and, with
``synchronous=FULL``, its own fsync). On PostgreSQL each message's own transaction cost its
own commit and a thread waiting on the server. Here the requests hand their units of work to one
thread, which runs every unit queued meanwhile in a single transaction, each under a
savepoint so that one unit's failure undoes only its own rows, and commits once: group
commit. A unit's caller is answered only after the commit (and after ``after_commit``, which
in embedded mode relays the batch's events to the feeds), so an answer is never given for
work that a crash could still lose.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import structlog
from sqlmodel import Session

from gateway.store import audit
from gateway.store.raw import Savepoint

log = structlog.get_logger(__name__)

T = TypeVar("T")
Unit = Callable[[Session], Any]

_STOP = object()


class GroupCommitWriter:
    """A thread that runs units of work in shared transactions, at most ``max_batch`` each.

    ``open_session`` gives the batch's unit of work (``Database.session(write=True)``, which
    seals the audit chain and commits when its block ends); ``after_commit`` runs once per
    committed batch, in this thread, before any of its callers is answered.
    """

    def __init__(
        self,
        *,
        open_session: Callable[[], Any],
        max_batch: int = 256,
        name: str = "icjs-writer",
    ) -> None:
        self._open_session = open_session
        self.max_batch = max_batch
        self.after_commit: Callable[[], object] | None = None
        self._queue: queue.SimpleQueue[tuple[Unit, Future[Any]] | object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = False
        self._start_lock = threading.Lock()
        #: Batches committed and units run, for the benchmarks and /readyz.
        self.batches = 0
        self.units = 0

    def submit(self, unit: Callable[[Session], T]) -> Future[T]:
        """Queue ``unit``; its future holds what it returned, or what it raised, once the
        batch it ran in is committed (or failed to commit)."""
        self._ensure_started()
        future: Future[T] = Future()
        self._queue.put((unit, future))
        return future

    def run(self, unit: Callable[[Session], T]) -> T:
        """Run ``unit`` in the next batch and wait for it."""
        if threading.current_thread() is self._thread:
            # It would wait for the batch it runs in, forever.
            raise RuntimeError(
                "a unit of work may not queue another one: write in the session it is given"
            )
        return self.submit(unit).result()

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        if self._started:
            self._queue.put(_STOP)
            self._thread.join()

    def _ensure_started(self) -> None:
        if self._started:
            return
        with self._start_lock:
            if not self._started:
                self._thread.start()
                self._started = True

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch: list[tuple[Unit, Future[Any]]] = [first]  # type: ignore[list-item]
            stopping = False
            # Everything that queued while the last batch committed goes into this one.
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)  # type: ignore[arg-type]
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list[tuple[Unit, Future[Any]]]) -> None:
        try:
            results = self._run_batch(batch, careful=False)
        except _SessionBroken as broken:
            # A unit's ORM flush failed (the whole session then needs a rollback), or the
            # batch deadlocked with another process's: nothing of the batch was kept. Each
            # unit runs again in a transaction of its own, so that one unit's trouble is not
            # its neighbours'.
            log.warning(
                "batch failed; its units run one by one",
                units=len(batch),
                error=repr(broken.__cause__),
            )
            for item in batch:
                self._commit_one(item)
            return
        except BaseException as failure:
            if _race_lost(failure) and len(batch) > 1:
                log.warning("batch lost a race; its units run one by one", units=len(batch))
                for item in batch:
                    self._commit_one(item)
                return
            # The commit failed: no unit of the batch is kept.
            log.warning("batch commit failed", units=len(batch), error=repr(failure))
            for _unit, future in batch:
                future.set_exception(failure)
            return
        self._answer(batch, results)

    def _commit_one(self, item: tuple[Unit, Future[Any]]) -> None:
        try:
            results = self._run_batch([item], careful=True)
        except BaseException as failure:
            item[1].set_exception(failure)
            return
        self._answer([item], results)

    def _run_batch(
        self, batch: list[tuple[Unit, Future[Any]]], *, careful: bool
    ) -> list[tuple[bool, Any]]:
        results: list[tuple[bool, Any]] = []
        with self._open_session() as session:
            for unit, _future in batch:
                results.append(
                    self._run_unit_careful(session, unit)
                    if careful
                    else self._run_unit(session, unit)
                )
        return results

    def _answer(
        self, batch: list[tuple[Unit, Future[Any]]], results: list[tuple[bool, Any]]
    ) -> None:
        self.batches += 1
        self.units += len(batch)
        if self.after_commit is not None:
            try:
                self.after_commit()
            except Exception:  # the events are in the outbox: the background relay retries
                log.exception("relay after a batch failed")
        for (_unit, future), (ok, value) in zip(batch, results, strict=True):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    @staticmethod
    def _run_unit(session: Session, unit: Unit) -> tuple[bool, Any]:
        savepoint = Savepoint(session)
        position = audit.mark(session)
        try:
            value = unit(session)
            savepoint.release()
        except Exception as error:
            if not session.is_active or _race_lost(error):
                savepoint.abandon(error)
                raise _SessionBroken() from error
            savepoint.rollback(error)
            audit.rewind(session, position)
            return False, error
        return True, value

    @staticmethod
    def _run_unit_careful(session: Session, unit: Unit) -> tuple[bool, Any]:
        # SQLAlchemy's own savepoint, which a failed flush rolls back to: slower, and used
        # only for the units of a batch that a failed flush broke.
        savepoint = session.begin_nested()
        position = audit.mark(session)
        try:
            value = unit(session)
        except Exception as error:
            savepoint.rollback()
            audit.rewind(session, position)
            return False, error
        savepoint.commit()
        return True, value


class _SessionBroken(Exception):
    """A unit's failed flush left the batch's session needing a rollback, or a unit lost a
    race with another transaction."""


#: PostgreSQL's deadlock_detected and serialization_failure: the transaction lost a race
#: with another one, and would succeed run again.
_RACE_LOST = {"40P01", "40001"}


def _race_lost(failure: BaseException) -> bool:
    # Raised by the DB-API cursor itself, or wrapped by SQLAlchemy (``orig``).
    for error in (failure, getattr(failure, "orig", None)):
        if getattr(error, "sqlstate", None) in _RACE_LOST:
            return True
    return False
