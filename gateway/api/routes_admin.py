"""Operators: dead letters, and replaying them once their cause is fixed; the institution
directory."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import ContractViolation, MalformedMessage, Problem
from gateway.api.access import recorded_read, recorded_read_async
from gateway.api.deps import ClientDep, GatewayDep, read_body
from gateway.api.params import Int64Path
from gateway.api.responses import DeadLetter, DeadLetters, InstitutionEntry, Institutions, answers
from gateway.services import dead_letters
from gateway.services.auth import PILLARS, require_pillar
from gateway.services.institutions import (
    COLUMNS,
    LEVELS,
    Institution,
    InvalidInstitution,
    add_institution,
    get_institution,
    list_institutions,
)

router = APIRouter(prefix="/v1/admin", tags=["operators"])


@router.get(
    "/dead-letters",
    summary="Events a consumer gave up on",
    responses=answers(DeadLetters, 403, 422),
)
def list_dead_letters(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    status: Annotated[str | None, Query(pattern="^(dead|replayed)$")] = None,
    consumer: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Newest first, with the error, the attempts made and where the event came from."""
    with recorded_read(gateway, request, client) as read:
        require_pillar(client, "operator")
        with gateway.db.session() as session:
            letters = dead_letters.list_dead_letters(
                session, status=status, consumer=consumer, limit=limit
            )
        read.extend(d["case_id"] for d in letters if d["case_id"])
    return {"dead_letters": letters}


@router.post(
    "/dead-letters/{dead_letter_id}/replay",
    summary="Apply a dead letter again",
    responses=answers(DeadLetter, 403, 404, 409, 422),
)
async def replay(
    dead_letter_id: Int64Path, gateway: GatewayDep, client: ClientDep
) -> dict[str, Any]:
    """Runs the event through its consumer once more; the consumer's inbox makes a replay of
    an event already applied change nothing. Fails (and stays dead) if the cause persists."""
    require_pillar(client, "operator")
    return await run_in_threadpool(
        dead_letters.replay,
        db=gateway.db,
        consumers=gateway.consumers,
        dead_letter_id=dead_letter_id,
    )


_PILLAR_PATTERN = f"^({'|'.join(PILLARS)})$"
_INSTITUTION_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["pillar", "code", "name"],
    "additionalProperties": False,
    "properties": {
        "pillar": {"type": "string", "enum": list(PILLARS)},
        "code": {
            "type": "string",
            "description": "As keys and messages name it: MH/AU/CIDCO, MHAU01, HARSUL_CP, "
            "RFSL_AU, MH/AU/DDP, VAHAN, OPS.",
        },
        "name": {"type": "string"},
        "state": {
            "type": ["string", "null"],
            "description": "State code as in FIR numbers (MH); police, courts and prosecution: "
            "taken from the code when left out.",
        },
        "district": {"type": ["string", "null"], "description": "District code (AU)."},
        "level": {
            "type": ["string", "null"],
            "enum": [*LEVELS, None],
            "description": "Courts only (a High Court's is implied by HC in its code).",
        },
    },
}


@router.get(
    "/institutions",
    summary="The institution directory",
    responses=answers(Institutions, 403, 422),
)
async def institutions(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    pillar: Annotated[str | None, Query(pattern=_PILLAR_PATTERN)] = None,
) -> dict[str, Any]:
    """Every institution keys may be issued to (or one pillar's), by pillar and code;
    ``sample`` marks those of the shipped SAMPLE directory."""

    def read() -> list[Institution]:
        with gateway.db.session() as session:
            return list_institutions(session, pillar=pillar)

    async with recorded_read_async(gateway, request, client):
        require_pillar(client, "operator")
        listed = await run_in_threadpool(read)
    return {"institutions": [i.as_dict() for i in listed]}


def _institution_fields(body: bytes) -> dict[str, str | None]:
    """The members of a POSTed institution, or ContractViolation locating what is wrong."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedMessage(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ContractViolation(
            "the body must be a JSON object", [Problem("/", "expected an object")]
        )
    problems = [
        Problem(f"/{name}", f"unknown member; the members are {', '.join(COLUMNS)}")
        for name in data
        if name not in COLUMNS
    ]
    problems += [
        Problem(f"/{name}", f"must be a string{'' if name in COLUMNS[:3] else ' or null'}")
        for name in COLUMNS
        if data.get(name) is not None and not isinstance(data[name], str)
    ]
    if problems:
        raise ContractViolation("the institution is not valid", problems)
    return {name: data.get(name) for name in COLUMNS}


@router.post(
    "/institutions",
    status_code=201,
    summary="Add an institution to the directory, or correct one",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _INSTITUTION_BODY}},
        }
    },
    responses=answers(InstitutionEntry, 400, 403, 408, 413, 422, status=201, description="Added")
    | answers(InstitutionEntry, status=200, description="Already listed: updated, or unchanged"),
)
async def add(request: Request, gateway: GatewayDep, client: ClientDep) -> JSONResponse:
    """Adds the institution (201) or, when its pillar and code are listed already, updates it
    to these values (200; the same values change nothing). The code is normalised; courts
    need a level; police, courts and prosecution take State and district from the code.
    Anything wrong is 422 naming each member (``/level``)."""
    require_pillar(client, "operator")
    body, _size = await read_body(request, limit=gateway.settings.max_body_bytes)
    fields = _institution_fields(body)

    def save() -> tuple[Institution, bool]:
        with gateway.db.session(write=True) as session:
            listed = get_institution(
                session, pillar=(fields["pillar"] or "").strip().lower(), code=fields["code"] or ""
            )
            saved = add_institution(
                session,
                pillar=fields["pillar"] or "",
                code=fields["code"] or "",
                name=fields["name"] or "",
                state=fields["state"],
                district=fields["district"],
                level=fields["level"],
            )
            return saved, listed is None

    try:
        saved, created = await run_in_threadpool(save)
    except InvalidInstitution as exc:
        raise ContractViolation(
            "the institution is not valid",
            [Problem(f"/{p.field}", f"{p.message} (got {p.value or ''!r})") for p in exc.problems],
        ) from None
    return JSONResponse(saved.as_dict(), status_code=201 if created else 200)
