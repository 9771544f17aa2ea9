"""The relay lock: lets exactly one gateway process relay the outbox at a time."""

from __future__ import annotations

import contextlib
from typing import Any

import structlog
from sqlalchemy import text

from gateway.messaging.outbox import (
    PendingEvent,
    fetch_records,
    fetch_records_on,
    mark_published,
    mark_published_on,
)
from gateway.store.db import Database

log = structlog.get_logger(__name__)


class LeadershipLost(Exception):
    """The relay lock's session ended: another gateway may be relaying now."""


class RelayLock:
    """Lets exactly one gateway process relay at a time.

    On PostgreSQL a session-level advisory lock held on a dedicated connection:
    if the process dies the connection closes and the lock is freed for another.
    Elsewhere (SQLite, one process) it is always granted.
    """

    KEY = 0x1C15_0001

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: Any = None

    @property
    def held(self) -> bool:
        """Whether this process holds the lock as far as it knows (no round trip)."""
        return self._conn is not None or self.db.engine.dialect.name != "postgresql"

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True while this process holds it.

        Once held, whether it is still held is learnt from the lock session's next use
        (:meth:`fetch`, :meth:`mark`): the relay reads and marks the outbox on that same
        session, so it never relays a row on a session that has lost the lock.
        """
        if self.db.engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            return True
        conn = self.db.engine.connect()
        try:
            got = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.KEY}).scalar()
            )
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def fetch(self, limit: int, after: int = 0) -> list[PendingEvent]:
        """The next unpublished outbox rows, read on the lock session (PostgreSQL)."""
        if self._conn is None:
            return fetch_records(self.db, limit, after=after)
        try:
            return fetch_records_on(self._conn, limit, after=after)
        except Exception as error:
            self._lost(error)
            raise LeadershipLost(str(error)) from error

    def mark(self, sequences: list[int]) -> None:
        """Mark rows published, on the lock session (PostgreSQL)."""
        if self._conn is None:
            mark_published(self.db, sequences)
            return
        try:
            mark_published_on(self._conn, sequences)
        except Exception as error:
            self._lost(error)
            raise LeadershipLost(str(error)) from error

    def _lost(self, error: BaseException) -> None:
        # The lock lives as long as its session: if that session was ended under us
        # (terminated, server restarted, network cut) the server has freed the lock and
        # another gateway may hold it now, so this one stops until it wins the lock again.
        log.warning(
            "relay lock session lost; this gateway stops relaying until it wins the lock again",
            error=f"{type(error).__name__}: {error}",
        )
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()
                conn.close()

    def release(self) -> None:
        """Give the lock up (closing its connection frees it)."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.KEY})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
