"""The citizen's view of an FIR over the API: the stage of an FIR for its informant, read with
the access code given with the FIR copy (``GET /v1/public/fir-status``, no API key), and the
police of the case issuing a new code when the informant lost it. The rules are the service's
(:mod:`gateway.services.citizen`); the page for people is ``/status/`` (:mod:`gateway.citizen`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from gateway.api.access import recorded_read
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import CitizenAccess, Error, answers
from gateway.bootstrap import Gateway
from gateway.limits import RateLimited
from gateway.services.citizen import (
    CODE_FORM,
    PublicRead,
    limits_of,
    read_fir_status,
    reissue_code,
)

router = APIRouter(tags=["citizens"])

#: Answers that carry a code or a case's stage are never kept by a browser or a proxy.
NO_STORE = {"Cache-Control": "no-store"}


class FirStatus(BaseModel):
    """The stage of an FIR as its informant sees it: the same members for every case, each null
    when the stage has none. No names, no sections, nothing else of the case."""

    model_config = ConfigDict(extra="forbid")

    fir: str = Field(examples=["MH/AU/CIDCO/2026/0001"])
    stage: Literal["registered", "under_investigation", "report_filed", "in_court", "disposed"]
    stage_text: str = Field(examples=["Case in court"])
    report_filed_on: str | None = Field(
        description="report_filed: the day the police report was filed (BNSS s.193(3))."
    )
    cnr: str | None = Field(
        description="in_court and disposed: the court's CNR, 16 characters (MHAU010000012026)."
    )
    next_hearing_on: str | None = Field(description="in_court: the next hearing's date, if fixed.")
    disposed_on: str | None = Field(description="disposed: the date of the judgment.")


class CitizenCode(CitizenAccess):
    """A new access code for the informant: shown this once, never kept in clear."""

    case_id: str


_PUBLIC_LOCKED = {
    "model": Error,
    "description": "Too many wrong attempts for this FIR number (for everyone, the right code "
    "too) or from this address; see Retry-After.",
}


def remote_address(request: Request) -> str:
    """The caller's address, as the rate limits of callers without a key count it."""
    return request.client.host if request.client else "unknown"


def public_read(gateway: Gateway, request: Request, *, fir: str, code: str) -> dict[str, Any]:
    """Read an FIR's stage for a citizen (the API's and the page's one way in).

    Besides the limits on wrong attempts (the service's, in the database), every request is
    taken from its address's bucket of requests without a valid key (``gateway.limits``, a
    tenth of ICJS_RATE_LIMIT_PER_MINUTE in each process): each answer writes an access record,
    and a flood of right codes is no more welcome than one of wrong ones."""
    address = remote_address(request)
    wait = gateway.limits.strangers.take(f"address:{address}")
    if wait > 0:
        raise RateLimited(
            "too many requests from this address; try again shortly", retry_after=wait
        )
    attempt = PublicRead(
        fir=fir,
        code=code,
        address=address,
        method=request.method,
        path=request.url.path,
        request_id=getattr(request.state, "request_id", None),
    )
    return read_fir_status(
        gateway.db, attempt, limits=limits_of(gateway.settings), now=gateway.clock()
    )


@router.get(
    "/v1/public/fir-status",
    summary="The stage of an FIR, for its informant (no API key; the FIR copy's access code)",
    responses={**answers(FirStatus, 404, 422), 429: _PUBLIC_LOCKED},
)
async def get_fir_status(
    request: Request,
    gateway: GatewayDep,
    fir: Annotated[
        str, Query(max_length=80, description="The FIR number as printed on the FIR copy.")
    ],
    code: Annotated[
        str, Query(max_length=40, description=f"The access code printed with it, {CODE_FORM}.")
    ],
) -> JSONResponse:
    """The stage of the FIR: registered, under investigation, report filed (with its date: BNSS
    s.193(3)), in court (the CNR and the next hearing date) or disposed (the date), and nothing
    else of the case. The informant gets the code with the FIR copy (BNSS s.173(2)).

    A wrong code and an FIR the gateway does not know are answered alike (404). Wrong attempts
    are limited per FIR number and per address (429 with Retry-After): past the limit an FIR's
    view is locked for the hour, for everyone. Every answer is in the access log, without the
    code. People use the page `/status/`, which sends the code in a form rather than the URL."""
    view = await run_in_threadpool(public_read, gateway, request, fir=fir, code=code)
    return JSONResponse(view, headers=NO_STORE)


@router.post(
    "/v1/cases/{ref:path}/citizen-access-code",
    tags=["cases"],
    summary="Issue the informant a new access code (the old one stops working)",
    responses=answers(CitizenCode, 403, 404, 422),
)
def post_citizen_access_code(
    ref: str, request: Request, gateway: GatewayDep, client: ClientDep
) -> JSONResponse:
    """For the police of the case (its station, district or State) when the informant lost the
    code printed with the FIR copy: a new code, answered this once; the old one stops working
    at once. `ref` is any identifier of the case (its FIR, CNR, case id, ...). Any other
    pillar's key is refused (403); police not entitled to the case are told it is not known
    (404), as for every read of a case."""
    with recorded_read(gateway, request, client) as read:
        case_id, issued = reissue_code(
            gateway.db, client=client, ref=ref, policies=gateway.policies, now=gateway.clock()
        )
        read.append(case_id)
    return JSONResponse({"case_id": case_id, **issued.as_dict()}, status_code=200, headers=NO_STORE)
