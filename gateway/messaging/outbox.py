"""The outbox relay: moves events from the outbox table to the bus, in sequence order.

Events are written to the outbox in the transaction that accepts the message,
so an accepted message's events reach the bus even if the process dies right
after answering: the relay publishes whatever is still unpublished when it
next runs. Publication is at-least-once; consumers dedupe by event id.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any, NamedTuple

import structlog
from sqlalchemy import bindparam, case, func, null, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import col, select

from gateway.messaging.kafka.codec import Headers, headers_from_json, to_record
from gateway.messaging.ports import EventBus
from gateway.store.db import Database
from gateway.store.tables import OutboxRow, utcnow

log = structlog.get_logger(__name__)


class OutboxRelay:
    """Publishes unpublished outbox rows to a bus and marks them published."""

    def __init__(self, *, db: Database, bus: EventBus, batch_size: int = 500) -> None:
        self.db = db
        self.bus = bus
        self.batch_size = batch_size
        self._running = threading.Lock()
        self._dirty = threading.Event()

    def run_once(self) -> int:
        """Publish one batch; return how many events were published."""
        rows = fetch_unpublished(self.db, self.batch_size)
        published: list[int] = []
        try:
            for row in rows:
                assert row.envelope is not None  # fetch_unpublished always reads it
                self.bus.publish(topic=row.topic, key=row.key, envelope=row.envelope)
                published.append(row.sequence)
        finally:
            # Whatever went out is marked even when a later row failed, so that a
            # failing event does not make the ones before it go out again.
            if published:
                mark_published(self.db, published)
        return len(published)

    def drain(self, *, wait: bool = False) -> int:
        """Publish until the outbox is empty. Concurrent callers do not relay twice: a
        caller that finds the relay busy leaves a note that the running one picks up.

        With ``wait`` the caller returns only once what it wrote is relayed: when the relay
        is busy it waits for the running one, which picks up its note before it stops. A
        request in embedded mode waits so, so that its events are on the feeds when it is
        answered (the background relay may be running at that very moment)."""
        self._dirty.set()
        if not self._running.acquire(blocking=wait):
            return 0
        total = 0
        try:
            while self._dirty.is_set():
                self._dirty.clear()
                while True:
                    count = self.run_once()
                    total += count
                    if count < self.batch_size:
                        break
        finally:
            self._running.release()
        return total

    def pending(self) -> int:
        """How many events wait in the outbox."""
        return outbox_lag(self.db)[0]


class PendingEvent(NamedTuple):
    """An outbox row still to be relayed: what the relay needs of it and no more."""

    sequence: int
    topic: str
    key: str
    envelope: dict[str, Any] | None
    record_value: bytes | None = None
    record_headers: list[list[str]] | None = None

    def record(self) -> tuple[bytes, Headers]:
        """The Kafka value and headers: as stored at acceptance, or encoded now for a row
        written before the outbox kept records."""
        if self.record_value is not None and self.record_headers is not None:
            return self.record_value, headers_from_json(self.record_headers)
        assert self.envelope is not None, "an outbox row without a record has its envelope"
        return to_record(self.envelope)


_OUTBOX = OutboxRow.__table__  # type: ignore[attr-defined]
# Built once: the relays run these every few milliseconds while there is a backlog.
_UNPUBLISHED_AFTER = (
    _OUTBOX.c.published_at.is_(None),
    _OUTBOX.c.sequence > bindparam("after"),
)
_FETCH_UNPUBLISHED = (
    core_select(_OUTBOX.c.sequence, _OUTBOX.c.topic, _OUTBOX.c.key, _OUTBOX.c.envelope)
    .where(*_UNPUBLISHED_AFTER)
    .order_by(_OUTBOX.c.sequence)
    .limit(bindparam("limit"))
)
# The Kafka relay reads the stored record, and the envelope only where there is none: the
# envelope is the one column that would have to be parsed.
_FETCH_RECORDS = (
    core_select(
        _OUTBOX.c.sequence,
        _OUTBOX.c.topic,
        _OUTBOX.c.key,
        case((_OUTBOX.c.record_value.is_(None), _OUTBOX.c.envelope), else_=null()).label(
            "envelope"
        ),
        _OUTBOX.c.record_value,
        _OUTBOX.c.record_headers,
    )
    .where(*_UNPUBLISHED_AFTER)
    .order_by(_OUTBOX.c.sequence)
    .limit(bindparam("limit"))
)


def fetch_unpublished(db: Database, limit: int, *, after: int = 0) -> list[PendingEvent]:
    """The oldest unpublished outbox rows (after sequence ``after``), in sequence order."""
    with db.session() as session:
        rows = session.execute(_FETCH_UNPUBLISHED, {"limit": limit, "after": after}).all()
    return [PendingEvent(*row) for row in rows]


def fetch_records(db: Database, limit: int, *, after: int = 0) -> list[PendingEvent]:
    """The oldest unpublished rows as Kafka records (envelopes only where no record is kept)."""
    with db.session() as session:
        rows = session.execute(_FETCH_RECORDS, {"limit": limit, "after": after}).all()
    return [PendingEvent(*row) for row in rows]


def fetch_records_on(conn: Connection, limit: int, *, after: int = 0) -> list[PendingEvent]:
    """:func:`fetch_records` on a connection the caller holds (the relay's lock session)."""
    rows = conn.execute(_FETCH_RECORDS, {"limit": limit, "after": after}).all()
    conn.commit()
    return [PendingEvent(*row) for row in rows]


_MARK_PUBLISHED = (
    update(_OUTBOX)
    .where(_OUTBOX.c.sequence.in_(bindparam("sequences", expanding=True)))
    .values(published_at=bindparam("published_at"))
)


def mark_published(db: Database, sequences: list[int]) -> None:
    """Record that these outbox rows reached the bus."""
    with db.session(write=True) as session:
        session.execute(_MARK_PUBLISHED, {"sequences": sequences, "published_at": utcnow()})


def mark_published_on(conn: Connection, sequences: list[int]) -> None:
    """:func:`mark_published` on a connection the caller holds (the relay's lock session)."""
    conn.execute(_MARK_PUBLISHED, {"sequences": sequences, "published_at": utcnow()})
    conn.commit()


def outbox_lag(db: Database) -> tuple[int, float]:
    """Events waiting in the outbox, and the age in seconds of the oldest of them."""
    with db.session() as session:
        count, oldest = session.exec(
            select(func.count(), func.min(OutboxRow.created_at)).where(
                col(OutboxRow.published_at).is_(None)
            )
        ).one()
    if not oldest:
        return int(count), 0.0
    if oldest.tzinfo is None:  # SQLite hands datetimes back naive; they were written in UTC
        oldest = oldest.replace(tzinfo=dt.UTC)
    return int(count), max(0.0, (utcnow() - oldest).total_seconds())
