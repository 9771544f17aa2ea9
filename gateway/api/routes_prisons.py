"""Prisons: the undertrials a prison holds, with the BNSS s.479 review of each."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request

from canonical_model.errors import Forbidden
from gateway.api.access import recorded_read
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import Undertrials, answers
from gateway.services.auth import require_pillar
from gateway.services.undertrials import undertrials

router = APIRouter(prefix="/v1/prisons", tags=["prisons"])

#: Days in custody are counted in Indian Standard Time: a day is the prison's calendar day.
IST = ZoneInfo("Asia/Kolkata")


@router.get(
    "/{prison}/undertrials",
    summary="A prison's undertrials and BNSS s.479",
    responses=answers(Undertrials, 403, 422),
)
def get_undertrials(
    prison: str,
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    as_of: Annotated[
        dt.date | None, Query(description="Count days up to this date (default: today, IST).")
    ] = None,
) -> dict[str, Any]:
    """Every undertrial held in the prison now, with days in custody (every custody period of
    the case), the maximum punishment of the gravest offence and whether half of it (one
    third for a first offender) has been served: the point at which the Superintendent
    applies to the court under BNSS s.479(3). Offences punishable with death or life are
    excluded by s.479(1); offences the law table does not know give "maximum punishment
    unknown". Only the prison itself and operators may read it."""
    with recorded_read(gateway, request, client) as read:
        require_pillar(client, "prisons", "operator")
        prison = prison.strip().upper()
        if client.pillar == "prisons" and prison != client.institution:
            raise Forbidden(
                f"this key reads the undertrials of {client.institution}, not of {prison}"
            )
        today = as_of or dt.datetime.now(IST).date()
        with gateway.db.session() as session:
            entries = undertrials(session, prison=prison, today=today)
        read.extend(e["case_id"] for e in entries if e.get("case_id"))
    return {
        "prison": prison,
        "as_of": today.isoformat(),
        "rule": "BNSS s.479",
        "undertrials": entries,
    }
