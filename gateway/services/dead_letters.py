"""Dead letters: the events a consumer gave up on, as operators list them and replay them once
the cause is fixed."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from gateway.messaging.consumers import replay_dead_letter
from gateway.messaging.ports import Consumer
from gateway.store.db import Database
from gateway.store.tables import DeadLetterRow


def dead_letter_view(row: DeadLetterRow) -> dict[str, Any]:
    """A dead letter as operators read it: the event, its consumer, the error, the attempts
    made, where the event came from, and whether it was replayed."""
    return {
        "id": row.id,
        "consumer": row.consumer,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "case_id": row.case_id,
        "error": row.error,
        "attempts": row.attempts,
        "origin": row.origin,
        "failed_at": row.failed_at.isoformat(),
        "status": row.status,
        "replayed_at": row.replayed_at.isoformat() if row.replayed_at else None,
    }


def list_dead_letters(
    session: Session,
    *,
    status: str | None,
    consumer: str | None,
    limit: int,
    before: int | None = None,
) -> list[dict[str, Any]]:
    """Dead letters newest first (at most ``limit``), of one status (``dead``, ``replayed``)
    and one consumer when given, with an id below ``before`` when given (the next page), as
    :func:`dead_letter_view` shows them."""
    query = select(DeadLetterRow)
    if before is not None:
        query = query.where(col(DeadLetterRow.id) < before)
    if status:
        query = query.where(DeadLetterRow.status == status)
    if consumer:
        query = query.where(DeadLetterRow.consumer == consumer)
    rows = session.exec(query.order_by(col(DeadLetterRow.id).desc()).limit(limit)).all()
    return [dead_letter_view(row) for row in rows]


def replay(*, db: Database, consumers: dict[str, Consumer], dead_letter_id: int) -> dict[str, Any]:
    """Run a dead letter through its consumer once more (see
    :func:`gateway.messaging.consumers.replay_dead_letter`: NotFound, or Conflict when it fails
    again and stays dead); the dead letter as it is afterwards."""
    return dead_letter_view(
        replay_dead_letter(db=db, consumers=consumers, dead_letter_id=dead_letter_id)
    )
