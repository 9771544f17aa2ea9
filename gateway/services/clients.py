"""The clients and their keys as operators list them (``icjs clients list`` and the web
console): never a key, only its prefix and its state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from gateway.services.auth import key_state
from gateway.store.tables import ClientRow, RetiredKeyRow


def list_clients(
    session: Session,
    *,
    now: dt.datetime,
    pillar: str | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Clients by id (after ``after_id``, at most ``limit``; of one pillar when given): id,
    pillar, institution, name, key prefix, when the key was made, last used and expires, and
    its state (active, revoked, expired, rotating)."""
    query = select(ClientRow)
    if pillar:
        query = query.where(ClientRow.pillar == pillar)
    if after_id is not None:
        query = query.where(col(ClientRow.id) > after_id)
    rows = session.exec(query.order_by(col(ClientRow.id)).limit(limit)).all()
    ids = [row.id for row in rows if row.id is not None]
    retired: dict[int, list[RetiredKeyRow]] = {}
    if ids:
        for old in session.exec(
            select(RetiredKeyRow)
            .where(col(RetiredKeyRow.client_id).in_(ids))
            .where(col(RetiredKeyRow.valid_until) > now)
        ).all():
            retired.setdefault(old.client_id, []).append(old)
    return [
        {
            "id": row.id,
            "pillar": row.pillar,
            "institution": row.institution,
            "name": row.name,
            "key_prefix": f"{row.key_prefix}...",
            "created_at": row.created_at,
            "last_used_at": row.last_used_at,
            "expires_at": row.expires_at,
            "state": key_state(row, retired.get(row.id or 0, []), now),
        }
        for row in rows
    ]
