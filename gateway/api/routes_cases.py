"""Cases across pillars: status and timeline by any identifier."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from canonical_model.errors import NotFound
from gateway.api.access import recorded_read
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import CaseReads, CaseView, Timeline, answers
from gateway.services.access_log import read_access_log
from gateway.services.case_views import case_timeline, case_view
from gateway.services.cases import check_can_read, load_case, not_known, resolve_case_id

router = APIRouter(prefix="/v1/cases", tags=["cases"])

_REF_DOC = (
    "`ref` is the gateway case id (`case_...`), a CNR (`MHAU010012342024` or `MHAU01-001234-2024`), "
    "an FIR in canonical form (`MH/AU/CIDCO/2024/0123`) or a court case number (`MHAU01/SC/123/2024`)."
)


@router.get(
    "/{ref:path}/timeline",
    summary="A case's events in order, with their source pillar",
    responses=answers(Timeline, 404, 422),
)
def get_timeline(
    ref: str, request: Request, gateway: GatewayDep, client: ClientDep
) -> dict[str, Any]:
    """The events of the case in the order the gateway accepted them; victims of sexual
    offences, children and protected witnesses by label to readers the law does not show them
    to, in the summaries and the data."""
    with recorded_read(gateway, request, client) as read, gateway.db.session() as session:
        case_id, entries = case_timeline(session, client=client, ref=ref, policies=gateway.policies)
        read.append(case_id)
    return {"case_id": case_id, "events": entries}


@router.get(
    "/{ref:path}/access-log",
    summary="Who has read a case (its police and operators)",
    responses=answers(CaseReads, 404, 422),
)
def get_case_access_log(
    ref: str,
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Every recorded read of the case, newest first: who (client, institution, pillar), what
    (path), when, the request id and the stated purpose (`X-Purpose`). The police entitled to
    the case and operators may ask; anyone else gets the unknown case's 404."""
    with recorded_read(gateway, request, client) as read, gateway.db.session() as session:
        case = load_case(session, resolve_case_id(session, ref))
        check_can_read(client, case, ref=ref, policies=gateway.policies)
        if client.pillar not in ("police", "operator"):
            raise NotFound(not_known(ref))
        entries = read_access_log(session, case_id=case.id, limit=limit)
        read.append(case.id)
    return {"case_id": case.id, "reads": entries}


@router.get(
    "/{ref:path}",
    summary="A case's consolidated status across pillars",
    responses=answers(CaseView, 404, 422),
)
def get_case(ref: str, request: Request, gateway: GatewayDep, client: ClientDep) -> dict[str, Any]:
    """Police stage, court stage, next hearing and every accused's status, with every known
    identifier of the case; forensic requests with their state, current report and superseded
    reports; the BNSS s.176(3) check (`forensic_visit`) and the statutory clocks (`clocks`: BNSS
    ss.58, 187(3), 193(2), 346(1) and the rest), computed at the time of asking; and the
    vehicles reported in the case with the other cases the gateway linked them to.

    Victims of sexual offences (BNS s.72), children (JJ Act 2015 s.74) and protected witnesses
    (BNSS s.398) appear by label, in every member and every text, to readers the law does not
    show them to; `protected_persons` lists them by reference, kind and label."""
    with recorded_read(gateway, request, client) as read, gateway.db.session() as session:
        case_id, answer = case_view(
            session,
            client=client,
            ref=ref,
            policies=gateway.policies,
            settings=gateway.settings,
            now=gateway.clock(),
        )
        read.append(case_id)
    return answer


get_case.__doc__ = (get_case.__doc__ or "") + "\n\n" + _REF_DOC
get_timeline.__doc__ = (get_timeline.__doc__ or "") + _REF_DOC
