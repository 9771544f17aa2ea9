"""A consumer's inbox: the events it has applied, so that a redelivered event changes nothing.

Every consumer (a pillar's feed, the person index) claims a batch's events in the
transaction that applies them: the rows inserted are the events not applied before; a
redelivered event (or one a worker in the same group applied during a rebalance) conflicts
and is returned by none. What the consumer writes for the new ones commits with their inbox
rows, so an event is applied exactly when it is in the inbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from gateway.store.tables import InboxRow, utcnow

_INBOX = InboxRow.__table__  # type: ignore[attr-defined]
# Built once, executed with parameters: SQLAlchemy then reuses the compiled statements.
_INBOX_NEW = {
    "postgresql": pg_insert(_INBOX).on_conflict_do_nothing().returning(_INBOX.c.event_id),
    "sqlite": sqlite_insert(_INBOX).on_conflict_do_nothing().returning(_INBOX.c.event_id),
}


def one_or_many(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    """Parameters for one execute: one row as a plain execute, since a list of one goes the
    driver's executemany way (a pipeline on psycopg), which for one row cost more."""
    return rows[0] if len(rows) == 1 else rows


def claim_events(session: Session, *, consumer: str, event_ids: Sequence[str]) -> set[str]:
    """Record ``event_ids`` in ``consumer``'s inbox; return those not there before (the ones
    to apply). RETURNING gives them in no promised order: callers keep their batch's own."""
    unique = list(dict.fromkeys(event_ids))
    if not unique:
        return set()
    now = utcnow()
    rows = [
        {"consumer": consumer, "event_id": event_id, "processed_at": now} for event_id in unique
    ]
    statement = _INBOX_NEW[session.get_bind().dialect.name]
    return set(session.execute(statement, one_or_many(rows)).scalars())
