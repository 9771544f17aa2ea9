"""The message log as its readers see it: a sender reads back what it sent, operators search
everything. The rows are written by ingest (:mod:`gateway.services.ingest`)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlmodel import col, select

from canonical_model.errors import NotFound
from gateway.services.auth import Client
from gateway.store.db import Database
from gateway.store.tables import MessageRow


def message_view(row: MessageRow, *, with_body: bool) -> dict[str, Any]:
    """One message as the API answers it; with its raw bytes (base64) for its sender."""
    view: dict[str, Any] = {
        "receipt_id": row.id,
        "received_at": row.received_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "caller": row.caller,
        "pillar": row.pillar,
        "message_type": row.message_type,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "status": row.status,
        "errors": row.errors,
        "waiting_for": row.waiting_for,
        "event_ids": row.event_ids,
        "case_ids": row.case_ids,
        "request_id": row.request_id,
    }
    if with_body:
        view["body_base64"] = base64.b64encode(row.body).decode()
        view["body_truncated"] = row.body_truncated
        if row.body_truncated:
            view["body_truncated_reason"] = row.body_truncated_reason
    return view


def message_of(db: Database, *, receipt_id: str, reader: Client) -> MessageRow:
    """The message ``receipt_id``, for its sender or an operator; NotFound for anyone else
    (a message another caller sent is not said to exist)."""
    with db.session() as session:
        row = session.get(MessageRow, receipt_id)
    if row is None or (reader.pillar != "operator" and row.client_id != reader.id):
        raise NotFound(f"no message {receipt_id} sent by this caller")
    return row


def search_messages(
    db: Database,
    *,
    status: str | None,
    pillar: str | None,
    before: str | None,
    limit: int,
    institution: str | None = None,
    message_type: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[MessageRow]:
    """Messages newest first, filtered by status and pillar, before a receipt id; and, when
    given, by the sender's institution, the declared message type and the time received (at
    or after ``since``, before ``until``)."""
    query = select(MessageRow)
    if status:
        query = query.where(MessageRow.status == status)
    if pillar:
        query = query.where(MessageRow.pillar == pillar)
    if institution:
        query = query.where(MessageRow.institution == institution)
    if message_type:
        query = query.where(MessageRow.message_type == message_type)
    if since is not None:
        query = query.where(col(MessageRow.received_at) >= since)
    if until is not None:
        query = query.where(col(MessageRow.received_at) < until)
    if before:
        query = query.where(col(MessageRow.id) < before)
    with db.session() as session:
        return list(session.exec(query.order_by(col(MessageRow.id).desc()).limit(limit)).all())
