"""Operators: who read what (the access log)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from gateway.api.access import recorded_read
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import Reads, answers
from gateway.services.access_log import read_access_log
from gateway.services.auth import require_pillar
from gateway.services.cases import resolve_case_id

router = APIRouter(prefix="/v1/admin", tags=["operators"])


@router.get(
    "/access-log",
    summary="Who read what: the access log",
    responses=answers(Reads, 403, 404, 422),
)
def access_log(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    case: Annotated[
        str | None, Query(description="Any identifier of the case: FIR, CNR, case id, ...")
    ] = None,
    client_id: Annotated[
        int | None, Query(alias="client", ge=0, le=2**63 - 1, description="A client id.")
    ] = None,
    since: Annotated[
        dt.datetime | None, Query(alias="from", description="Reads at or after (ISO 8601).")
    ] = None,
    until: Annotated[
        dt.datetime | None, Query(alias="to", description="Reads before (ISO 8601).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Every read of the API, newest first: the caller (client id, name), institution, pillar,
    method and path, status, the case ids answered, the time, the request id and the stated
    purpose (`X-Purpose`). Operators only; this read is recorded too."""
    with recorded_read(gateway, request, client) as read:
        require_pillar(client, "operator")
        with gateway.db.session() as session:
            case_id = resolve_case_id(session, case) if case else None
            entries = read_access_log(
                session,
                case_id=case_id,
                client_id=client_id,
                since=_aware(since),
                until=_aware(until),
                limit=limit,
            )
        if case_id is not None:
            read.append(case_id)
    return {"reads": entries}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)
