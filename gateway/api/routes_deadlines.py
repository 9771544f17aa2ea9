"""Statutory deadlines: the clocks each pillar must act on (``canonical_model.clocks``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from canonical_model.clocks import ClockState
from gateway.api.access import recorded_read
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import Deadlines, answers
from gateway.services.deadlines import deadlines, reader_scope, today_in_india

router = APIRouter(prefix="/v1/deadlines", tags=["deadlines"])


@router.get(
    "",
    summary="The statutory clocks a pillar must act on (BNSS ss.58-480)",
    responses=answers(Deadlines, 403, 422),
)
def get_deadlines(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    institution: Annotated[
        str | None,
        Query(
            description="The police station or unit, court or prison (default: the key's own; "
            "operators: every institution)."
        ),
    ] = None,
    state: Annotated[
        list[ClockState] | None,
        Query(description="due, overdue, met, missed or stayed; repeat for several."),
    ] = None,
) -> dict[str, Any]:
    """Every statutory clock of the institution's cases: what started it and when, the due
    date (IST), what stopped it, extensions and stays, the provision as the Act names it
    (`BNSS 187(3)`, `CrPC 167(2)` for investigations pending on 1 July 2024) and the accused
    it runs for. A court or a prison reads the clocks naming it; the police those of the cases
    of their station, district or State; operators every clock. Keys of other pillars are
    refused (403)."""
    with recorded_read(gateway, request, client) as read:
        pillar, scope = reader_scope(client, institution)
        now = gateway.clock()
        with gateway.db.session() as session:
            found = deadlines(
                session,
                settings=gateway.settings,
                now=now,
                pillar=pillar,
                institution=scope,
                states=set(state) if state else None,
            )
        read.extend(dict.fromkeys(d["case_id"] for d in found))
    return {
        "as_of": today_in_india(now).isoformat(),
        "pillar": pillar,
        "institution": scope,
        "deadlines": found,
    }
