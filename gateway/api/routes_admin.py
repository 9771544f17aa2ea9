"""Operators: dead letters, and replaying them once their cause is fixed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from gateway.api.deps import ClientDep, GatewayDep
from gateway.auth import require_pillar
from gateway.consumers import replay_dead_letter
from gateway.tables import DeadLetterRow

router = APIRouter(prefix="/v1/admin", tags=["operators"])


def _view(row: DeadLetterRow) -> dict[str, Any]:
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


@router.get("/dead-letters", summary="Events a consumer gave up on")
def list_dead_letters(
    gateway: GatewayDep,
    client: ClientDep,
    status: Annotated[str | None, Query(pattern="^(dead|replayed)$")] = None,
    consumer: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Newest first, with the error, the attempts made and where the event came from."""
    require_pillar(client, "operator")
    query = select(DeadLetterRow)
    if status:
        query = query.where(DeadLetterRow.status == status)
    if consumer:
        query = query.where(DeadLetterRow.consumer == consumer)
    with gateway.db.session() as session:
        rows = session.exec(query.order_by(col(DeadLetterRow.id).desc()).limit(limit)).all()
    return {"dead_letters": [_view(r) for r in rows]}


@router.post("/dead-letters/{dead_letter_id}/replay", summary="Apply a dead letter again")
async def replay(dead_letter_id: int, gateway: GatewayDep, client: ClientDep) -> dict[str, Any]:
    """Runs the event through its consumer once more; the consumer's inbox makes a replay of
    an event already applied change nothing. Fails (and stays dead) if the cause persists."""
    require_pillar(client, "operator")
    row = await run_in_threadpool(
        replay_dead_letter,
        db=gateway.db,
        consumers=gateway.consumers,
        dead_letter_id=dead_letter_id,
    )
    return _view(row)
