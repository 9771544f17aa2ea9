"""Who read what: writing and reading the access log (kept on the audit chain by
:mod:`gateway.store.audit`). The routes record every read through
:mod:`gateway.api.access`; operators, and the police entitled to a case, read it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from gateway.services.auth import Client
from gateway.store.audit import query_access, record_access
from gateway.store.db import Database


def record_read(
    *,
    db: Database,
    client: Client,
    method: str,
    path: str,
    status: int,
    case_ids: Sequence[str],
    request_id: str | None,
    purpose: str | None,
) -> None:
    """Write one access record, chained, in a short write transaction of its own: who
    (``client``) asked what (``method``, ``path``), the answer's ``status``, the cases it
    named, the request id and the stated purpose."""
    with db.session(write=True) as session:
        record_access(
            session,
            client_id=client.id,
            client_name=client.name,
            institution=client.institution,
            pillar=client.pillar,
            method=method,
            path=path,
            status=status,
            case_ids=case_ids,
            request_id=request_id,
            purpose=purpose,
        )


def read_access_log(
    session: Session,
    *,
    case_id: str | None = None,
    client_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Access records newest first (at most ``limit``): of one case, one client, at or after
    ``since`` and before ``until``, each when given."""
    return query_access(
        session, case_id=case_id, client_id=client_id, since=since, until=until, limit=limit
    )
