"""The pages of the web console (``/console/``).

Each page calls the service functions the API's routes call, with the same checks of the key
(``require_pillar``, ``check_can_read``, the deadlines' and feeds' scopes) and the same
disclosure rules, and records its view in the access log as the API records a read
(:func:`gateway.api.access.recorded_read`). What a key may not read answers 403 or 404 exactly
as the API does.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from canonical_model.clocks import ClockState
from canonical_model.errors import (
    ContractViolation,
    Forbidden,
    NotFound,
    Problem,
    Unauthenticated,
)
from canonical_model.events import EVENT_TYPE_PREFIX
from gateway.api.access import recorded_read
from gateway.api.params import Int64Path
from gateway.api.routes_health import readiness
from gateway.api.routes_messages import ingest_pillars
from gateway.console.framework import (
    COOKIE_PATH,
    IST,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    ConsoleRoute,
    Page,
    gateway_of,
    read_form,
    render,
    signed_in,
)
from gateway.services import dead_letters
from gateway.services.audit_ops import audit_state, verify_and_record
from gateway.services.auth import (
    PILLARS,
    create_client,
    parse_duration,
    require_pillar,
    revoke_client,
    rotate_client,
)
from gateway.services.case_views import case_timeline, case_view
from gateway.services.clients import list_clients
from gateway.services.console_sessions import (
    ConsoleSession,
    csrf_token,
    end_session,
    start_session,
)
from gateway.services.deadlines import deadlines, reader_scope, today_in_india
from gateway.services.feeds import read_feed
from gateway.services.institutions import list_institutions
from gateway.services.message_log import message_of, message_view, search_messages
from gateway.services.undertrials import undertrials

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

Signed = Annotated[ConsoleSession, Depends(signed_in)]
#: Rows a list shows unless asked for another number (``limit``), and the most it shows.
PAGE_DEFAULT = 25
PAGE_MAX = 200
Limit = Annotated[int, Query(ge=1, le=PAGE_MAX)]
#: What each pillar's feed page shows first (the type the pillar acts on), when it carries it.
FEED_FOCUS = {
    "courts": ("Charge sheets waiting", "chargesheet.filed"),
    "prosecution": ("Reports to scrutinise", "chargesheet.filed"),
    "forensics": ("Requests to acknowledge", "forensic.requested"),
}
MESSAGE_STATUSES = ("accepted", "held", "rejected", "failed")


def _query(**params: Any) -> str:
    """A query string of the parameters that have a value."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _window(items: list[Any], offset: int, limit: int) -> tuple[list[Any], int | None]:
    """One page of a list read whole (the services that return whole lists), and the offset
    of the next page (None on the last)."""
    page = items[offset : offset + limit]
    return page, (offset + limit if offset + limit < len(items) else None)


def _when(field: str, text: str | None) -> dt.datetime | None:
    """A time filter as the form sends it (``2026-08-17`` or ``2026-08-17T10:30``, IST);
    ContractViolation naming the field otherwise."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ContractViolation(
            f"{field} is not a date or time",
            [Problem(f"/{field}", f"expected 2026-08-17 or 2026-08-17T10:30 (IST); got {text!r}")],
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=IST)


# -- static, sign-in, sign-out, home -----------------------------------------------------------


@router.get("/static/console.css")
def stylesheet() -> Response:
    """The console's one stylesheet (served by the gateway: no CDN). Public: it holds no data,
    and the sign-in page needs it."""
    css = resources.files("gateway.console").joinpath("static/console.css").read_bytes()
    return Response(
        css,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


_REASONS = {
    "required": "Sign in with your API key.",
    "ended": "Your session has ended. Sign in again.",
    "idle": "Your session ended after a period without use. Sign in again.",
    "key_invalid": "The key of your session is no longer valid (revoked, expired or rotated).",
    "signed_out": "You have signed out.",
}


def _sign_in_page(
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    reason: str | None = None,
    nxt: str | None = None,
) -> HTMLResponse:
    secret = secrets.token_urlsafe(24)
    # Where to go once signed in: the page asked for (a console path only).
    nxt = nxt or request.query_params.get("next", "/console/")
    response = render(
        request,
        "sign_in.html",
        page=None,
        console=None,
        status_code=status,
        form_csrf=csrf_token(secret),
        error=error,
        notice=_REASONS.get(reason or ""),
        next=nxt if nxt.startswith("/console/") else "/console/",
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=COOKIE_PATH,
    )
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, reason: str | None = None) -> HTMLResponse:
    """The sign-in page: one field, the API key."""
    return _sign_in_page(request, reason=reason)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Check the key as the API checks a bearer key; open a session and set its cookie."""
    gateway = gateway_of(request)
    fields = await read_form(request, csrf_secret=request.cookies.get(SIGN_IN_COOKIE))
    key = fields.get("api_key", "").strip()

    def start() -> ConsoleSession:
        with gateway.db.session(write=True) as session:
            return start_session(session, api_key=key, now=gateway.clock())

    try:
        console = await run_in_threadpool(start)
    except Unauthenticated as refused:
        # Counted as the API counts a request with a bad key: past the bucket, 429.
        gateway.limits.charge_stranger(request.client.host if request.client else "unknown")
        return _sign_in_page(request, status=401, error=refused.message, nxt=fields.get("next"))
    gateway.limits.charge_client(console.client.id)
    nxt = fields.get("next", "/console/")
    response = RedirectResponse(
        nxt if nxt.startswith("/console/") else "/console/",
        status_code=303,
        headers=SECURITY_HEADERS,
    )
    response.set_cookie(
        SESSION_COOKIE,
        console.token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=COOKIE_PATH,
    )
    response.delete_cookie(SIGN_IN_COOKIE, path=COOKIE_PATH)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, console: Signed) -> Response:
    """End the session (its cookie never works again) and clear the cookie."""
    gateway = gateway_of(request)
    await read_form(request, csrf_secret=console.token)

    def end() -> None:
        with gateway.db.session(write=True) as session:
            end_session(session, token=console.token, now=gateway.clock())

    await run_in_threadpool(end)
    response = RedirectResponse(
        "/console/sign-in?reason=signed_out", status_code=303, headers=SECURITY_HEADERS
    )
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, console: Signed) -> HTMLResponse:
    """Who is signed in, and the pages this key may use."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client):
        pass
    return render(
        request,
        "home.html",
        page=Page(
            "Console", "the session's key (clients table, gateway.services.auth)", _now(request)
        ),
        console=console,
    )


def _now(request: Request) -> dt.datetime:
    return gateway_of(request).clock()


# -- operators: the message log, held messages, dead letters -------------------------------------


@router.get("/messages", response_class=HTMLResponse)
def messages(
    request: Request,
    console: Signed,
    pillar: str = "",
    institution: str = "",
    status: str = "",
    type: str = "",
    since: Annotated[str, Query(alias="from")] = "",
    until: Annotated[str, Query(alias="to")] = "",
    before: str = "",
    limit: Limit = PAGE_DEFAULT,
) -> HTMLResponse:
    """The message log, newest first, filtered by pillar, institution, status, type and time
    (as ``GET /v1/admin/messages`` pages it: by receipt id)."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client) as read:
        require_pillar(console.client, "operator")
        if status and status not in MESSAGE_STATUSES:
            raise ContractViolation(
                "status is not one the message log knows",
                [Problem("/status", f"one of {', '.join(MESSAGE_STATUSES)}; got {status!r}")],
            )
        rows = search_messages(
            gateway.db,
            status=status or None,
            pillar=pillar or None,
            institution=institution.strip().upper() or None,
            message_type=type.strip() or None,
            since=_when("from", since),
            until=_when("to", until),
            before=before or None,
            limit=limit,
        )
        read.extend(case_id for r in rows for case_id in r.case_ids)
    filters = {
        "pillar": pillar,
        "institution": institution,
        "status": status,
        "type": type,
        "from": since,
        "to": until,
        "limit": limit if limit != PAGE_DEFAULT else None,
    }
    older = _query(**filters, before=rows[-1].id) if len(rows) == limit else None
    return render(
        request,
        "messages.html",
        page=Page(
            "Message log",
            "messages table, read by gateway.services.message_log.search_messages",
            _now(request),
        ),
        console=console,
        rows=rows,
        filters=filters,
        pillars=ingest_pillars(gateway),
        statuses=MESSAGE_STATUSES,
        older=older,
        first=_query(**filters) if before else None,
    )


@router.get("/messages/{receipt_id}", response_class=HTMLResponse)
def message(request: Request, receipt_id: str, console: Signed) -> HTMLResponse:
    """One message: its body, and beside it the errors located in it. Its sender and
    operators may read it (``GET /v1/messages/{receipt_id}``); anyone else 404."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client) as read:
        row = message_of(gateway.db, receipt_id=receipt_id, reader=console.client)
        read.extend(row.case_ids)
    view = message_view(row, with_body=False)
    return render(
        request,
        "message.html",
        page=Page(
            f"Message {receipt_id}",
            "messages table, read by gateway.services.message_log.message_of",
            _now(request),
        ),
        console=console,
        m=view,
        institution=row.institution,
        body=_readable(row.body, row.media_type),
        truncated=row.body_truncated,
        truncated_reason=row.body_truncated_reason,
    )


def _readable(body: bytes, media_type: str | None) -> str:
    """The body as text, JSON indented (its pointers are easier to follow so)."""
    text = body.decode("utf-8", errors="replace")
    if media_type and "json" in media_type:
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            return text
    return text


@router.get("/held", response_class=HTMLResponse)
def held(
    request: Request, console: Signed, before: str = "", limit: Limit = PAGE_DEFAULT
) -> HTMLResponse:
    """Held messages, newest first, with what each waits for."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client) as read:
        require_pillar(console.client, "operator")
        rows = search_messages(
            gateway.db, status="held", pillar=None, before=before or None, limit=limit
        )
        read.extend(case_id for r in rows for case_id in r.case_ids)
    return render(
        request,
        "held.html",
        page=Page(
            "Held messages",
            "messages table (status held), read by gateway.services.message_log.search_messages",
            _now(request),
        ),
        console=console,
        rows=rows,
        older=_query(before=rows[-1].id, limit=limit) if len(rows) == limit else None,
        first="" if before else None,
    )


@router.get("/dead-letters", response_class=HTMLResponse)
def dead_letter_list(
    request: Request,
    console: Signed,
    status: str = "",
    consumer: str = "",
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    limit: Limit = PAGE_DEFAULT,
    replayed: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> HTMLResponse:
    """Dead letters, newest first, each with a replay button."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client) as read:
        require_pillar(console.client, "operator")
        if status and status not in ("dead", "replayed"):
            raise ContractViolation(
                "status is not one a dead letter has",
                [Problem("/status", f"dead or replayed; got {status!r}")],
            )
        with gateway.db.session() as session:
            letters = dead_letters.list_dead_letters(
                session,
                status=status or None,
                consumer=consumer or None,
                limit=limit,
                before=before,
            )
        read.extend(d["case_id"] for d in letters if d["case_id"])
    filters = {"status": status, "consumer": consumer}
    return render(
        request,
        "dead_letters.html",
        page=Page(
            "Dead letters",
            "dead_letters table, read by gateway.services.dead_letters.list_dead_letters",
            _now(request),
        ),
        console=console,
        letters=letters,
        filters=filters,
        consumers=sorted(gateway.consumers),
        replayed=replayed,
        older=_query(**filters, before=letters[-1]["id"], limit=limit)
        if len(letters) == limit
        else None,
        first=_query(**filters) if before else None,
    )


@router.post("/dead-letters/{dead_letter_id}/replay")
async def replay_dead_letter(
    request: Request,
    dead_letter_id: Int64Path,
    console: Signed,
) -> Response:
    """Apply a dead letter again (``POST /v1/admin/dead-letters/{id}/replay``); back to the
    list, which says it was replayed, or the API's 404/409 when it was not."""
    gateway = gateway_of(request)
    await read_form(request, csrf_secret=console.token)
    require_pillar(console.client, "operator")
    await run_in_threadpool(
        dead_letters.replay,
        db=gateway.db,
        consumers=gateway.consumers,
        dead_letter_id=dead_letter_id,
    )
    return RedirectResponse(
        f"/console/dead-letters?replayed={dead_letter_id}",
        status_code=303,
        headers=SECURITY_HEADERS,
    )


# -- operators: clients and keys, institutions, health, audit ------------------------------------


def _clients_page(
    request: Request,
    console: ConsoleSession,
    *,
    pillar: str = "",
    after: int | None = None,
    limit: int = PAGE_DEFAULT,
    new_key: dict[str, Any] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client):
        require_pillar(console.client, "operator")
        if pillar and pillar not in PILLARS:
            raise ContractViolation(
                "pillar is not one keys are made for",
                [Problem("/pillar", f"one of {', '.join(PILLARS)}; got {pillar!r}")],
            )
        with gateway.db.session() as session:
            clients = list_clients(
                session, now=gateway.clock(), pillar=pillar or None, after_id=after, limit=limit
            )
    return render(
        request,
        "clients.html",
        page=Page(
            "Clients and keys",
            "clients and retired_keys tables, read by gateway.services.clients.list_clients",
            _now(request),
        ),
        console=console,
        clients=clients,
        pillar=pillar,
        pillars=PILLARS,
        new_key=new_key,
        notice=notice,
        more=_query(pillar=pillar, after=clients[-1]["id"], limit=limit)
        if len(clients) == limit
        else None,
        first=_query(pillar=pillar) if after else None,
    )


@router.get("/clients", response_class=HTMLResponse)
def clients_page(
    request: Request,
    console: Signed,
    pillar: str = "",
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    limit: Limit = PAGE_DEFAULT,
    revoked: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
) -> HTMLResponse:
    """Every client with its key's prefix and state; forms to issue, rotate and revoke."""
    notice = f"The key of client {revoked} is revoked." if revoked is not None else None
    return _clients_page(request, console, pillar=pillar, after=after, limit=limit, notice=notice)


def _invalid(field: str, error: ValueError) -> ContractViolation:
    return ContractViolation(f"{field}: {error}", [Problem(f"/{field}", str(error))])


@router.post("/clients", response_class=HTMLResponse)
async def issue_key(request: Request, console: Signed) -> HTMLResponse:
    """Issue a key (``icjs clients add``): shown once, on the page this answers."""
    gateway = gateway_of(request)
    fields = await read_form(request, csrf_secret=console.token)
    require_pillar(console.client, "operator")
    name = fields.get("name", "").strip()
    if not name:
        raise ContractViolation("the client needs a name", [Problem("/name", "required")])
    expires = fields.get("expires_in", "").strip()
    try:
        lifetime = parse_duration(expires) if expires else None
    except ValueError as exc:
        raise _invalid("expires_in", exc) from None

    def make() -> tuple[int | None, str, str, str]:
        with gateway.db.session(write=True) as session:
            row, key = create_client(
                session,
                name=name,
                pillar=fields.get("pillar", "").strip().lower(),
                institution=fields.get("institution", ""),
                policies=gateway.policies,
                expires_in=lifetime,
            )
            return row.id, row.pillar, row.institution, key

    try:
        client_id, pillar, institution, key = await run_in_threadpool(make)
    except ValueError as exc:
        raise _invalid("institution", exc) from None
    made = {"id": client_id, "pillar": pillar, "institution": institution, "key": key}
    return await run_in_threadpool(
        lambda: _clients_page(request, console, new_key=made, notice="Key issued.")
    )


@router.post("/clients/{client_id}/rotate", response_class=HTMLResponse)
async def rotate_key(request: Request, client_id: int, console: Signed) -> HTMLResponse:
    """Give the client a new key (``icjs clients rotate``); the old one works for the overlap."""
    gateway = gateway_of(request)
    fields = await read_form(request, csrf_secret=console.token)
    require_pillar(console.client, "operator")
    try:
        overlap = parse_duration(fields.get("overlap", "").strip() or "24h")
    except ValueError as exc:
        raise _invalid("overlap", exc) from None

    def rotate() -> tuple[str, str, str]:
        with gateway.db.session(write=True) as session:
            row, key = rotate_client(session, client_id=client_id, overlap=overlap)
            return row.pillar, row.institution, key

    try:
        pillar, institution, key = await run_in_threadpool(rotate)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    made = {"id": client_id, "pillar": pillar, "institution": institution, "key": key}
    return await run_in_threadpool(
        lambda: _clients_page(
            request, console, new_key=made, notice=f"New key for client {client_id}."
        )
    )


@router.post("/clients/{client_id}/revoke")
async def revoke_key(request: Request, client_id: int, console: Signed) -> Response:
    """Revoke the client's key (``icjs clients revoke``): refused from then on."""
    gateway = gateway_of(request)
    await read_form(request, csrf_secret=console.token)
    require_pillar(console.client, "operator")

    def revoke() -> None:
        with gateway.db.session(write=True) as session:
            revoke_client(session, client_id=client_id)

    try:
        await run_in_threadpool(revoke)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    return RedirectResponse(
        f"/console/clients?revoked={client_id}", status_code=303, headers=SECURITY_HEADERS
    )


@router.get("/institutions", response_class=HTMLResponse)
def institutions(
    request: Request,
    console: Signed,
    pillar: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Limit = 50,
) -> HTMLResponse:
    """The institution directory (``GET /v1/admin/institutions``), by pillar and code."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client):
        require_pillar(console.client, "operator")
        with gateway.db.session() as session:
            listed = list_institutions(session, pillar=pillar or None)
    shown, following = _window(listed, offset, limit)
    return render(
        request,
        "institutions.html",
        page=Page(
            "Institutions",
            "institutions table, read by gateway.services.institutions.list_institutions",
            _now(request),
        ),
        console=console,
        institutions=[i.as_dict() for i in shown],
        total=len(listed),
        offset=offset,
        pillar=pillar,
        pillars=PILLARS,
        more=_query(pillar=pillar, offset=following, limit=limit) if following else None,
        first=_query(pillar=pillar, limit=limit) if offset else None,
    )


@router.get("/health", response_class=HTMLResponse)
def health(request: Request, console: Signed) -> HTMLResponse:
    """The readiness report of ``/readyz`` (database, outbox and relay, bus, Kafka, the
    workers' groups and lag) and the dead letters waiting."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client):
        require_pillar(console.client, "operator")
        report = readiness(gateway)
        with gateway.db.session() as session:
            dead = dead_letters.list_dead_letters(
                session, status="dead", consumer=None, limit=PAGE_MAX
            )
    return render(
        request,
        "health.html",
        page=Page(
            "Health",
            "the readiness checks of /readyz (gateway.api.routes_health.readiness: outbox, "
            "consumer lag from Kafka) and the dead_letters table",
            _now(request),
        ),
        console=console,
        report=report,
        dead=len(dead),
        dead_more=len(dead) == PAGE_MAX,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, console: Signed, verified: int | None = None) -> HTMLResponse:
    """The audit chain: its head, the last signed checkpoint, and the last verification."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client):
        require_pillar(console.client, "operator")
        with gateway.db.session() as session:
            state = audit_state(session)
    return render(
        request,
        "audit.html",
        page=Page(
            "Audit chain",
            "audit_head, audit_checkpoints and audit_verifications tables, read by "
            "gateway.services.audit_ops.audit_state",
            _now(request),
        ),
        console=console,
        state=state,
        verified=verified,
    )


@router.post("/audit/verify")
async def verify(request: Request, console: Signed) -> Response:
    """Verify the whole chain now (``icjs audit verify``) and record what was found."""
    gateway = gateway_of(request)
    await read_form(request, csrf_secret=console.token)
    require_pillar(console.client, "operator")
    row = await run_in_threadpool(
        lambda: verify_and_record(
            gateway.db, gateway.settings, by=console.client.label, clock=gateway.clock
        )
    )
    return RedirectResponse(
        f"/console/audit?verified={row.id}", status_code=303, headers=SECURITY_HEADERS
    )


# -- every pillar that reads cases: a case by any identifier ---------------------------------------


@router.get("/case", response_class=HTMLResponse)
def case(request: Request, console: Signed, ref: str = "") -> HTMLResponse:
    """A case found by any identifier (FIR, CNR, court case number, prisoner, lab case or
    prosecution number, case id) as ``GET /v1/cases/{ref}`` and its timeline answer it: its
    status across pillars and its events, with the persons the law keeps from this key as
    labels. 404 for a case the key may not read, exactly as for an unknown one."""
    gateway = gateway_of(request)
    page = Page(
        "Find a case",
        "cases, crosswalk and events tables, read by gateway.services.cases (status with "
        "gateway.services.disclosure applied; clocks computed now)",
        _now(request),
    )
    if not ref.strip():
        with recorded_read(gateway, request, console.client):
            pass
        return render(request, "case.html", page=page, console=console, ref="", status=None)
    client = console.client
    with recorded_read(gateway, request, client) as read, gateway.db.session() as session:
        case_id, answer = case_view(
            session,
            client=client,
            ref=ref,
            policies=gateway.policies,
            settings=gateway.settings,
            now=gateway.clock(),
        )
        _, events = case_timeline(session, client=client, ref=case_id, policies=gateway.policies)
        read.append(case_id)
    return render(
        request,
        "case.html",
        page=page,
        console=console,
        ref=ref,
        status=answer,
        events=events,
    )


# -- clocks, feeds, undertrials -------------------------------------------------------------------


@router.get("/clocks", response_class=HTMLResponse)
def clocks(
    request: Request,
    console: Signed,
    institution: str = "",
    state: Annotated[list[ClockState] | None, Query()] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Limit = PAGE_DEFAULT,
) -> HTMLResponse:
    """The statutory clocks of the key's cases (``GET /v1/deadlines``): a court's or a
    prison's naming it, the police's of their station's cases, operators' every one."""
    gateway = gateway_of(request)
    with recorded_read(gateway, request, console.client) as read:
        pillar, scope = reader_scope(console.client, institution or None)
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
        shown, following = _window(found, offset, limit)
        read.extend(dict.fromkeys(d["case_id"] for d in shown))
    states = [s.value for s in state] if state else []
    return render(
        request,
        "clocks.html",
        page=Page(
            "Clocks",
            "cases table, clocks computed by gateway.services.deadlines.deadlines "
            f"(Indian date {today_in_india(now).isoformat()})",
            now,
        ),
        console=console,
        clocks=shown,
        total=len(found),
        offset=offset,
        scope=scope or "every institution",
        institution=institution,
        states=states,
        all_states=[s.value for s in ClockState],
        more=_query(institution=institution, offset=following, limit=limit)
        + "".join(f"&state={s}" for s in states)
        if following
        else None,
    )


@router.get("/feed", response_class=HTMLResponse)
def feed(
    request: Request,
    console: Signed,
    pillar: str = "",
    institution: str = "",
    type: str = "",
    after: str = "",
    limit: Limit = PAGE_DEFAULT,
) -> HTMLResponse:
    """A pillar's feed as ``GET /v1/<pillar>/feed`` reads it (the institution's own, or any
    for operators), oldest first, a page at a time, filtered by event type."""
    gateway = gateway_of(request)
    client = console.client
    pillar = client.pillar if client.pillar != "operator" else (pillar or "courts")
    feeds = [a.pillar for a in gateway.adapters if a.feed_event_types]
    with recorded_read(gateway, request, client) as read:
        if pillar not in feeds:
            raise Forbidden(f"the {pillar} pillar has no feed; feeds are {', '.join(feeds)}")
        require_pillar(client, pillar, "operator")
        own = client.institution if client.pillar == pillar else ""
        asked = institution.strip().upper() or own
        if not asked:
            raise ContractViolation(
                "name the institution whose feed to read",
                [Problem("/institution", "required for operators")],
            )
        if client.pillar == pillar and asked != client.institution:
            raise Forbidden(f"this key reads the feed of {client.institution}, not of {asked}")
        adapter = gateway.adapters.get(pillar)
        types = list(adapter.feed_event_types)
        title, focus = FEED_FOCUS.get(pillar, ("Feed", ""))
        chosen = type if type else (focus if focus in types else "all")
        if chosen != "all" and chosen not in types:
            raise ContractViolation(
                "type is not one this feed carries",
                [Problem("/type", f"one of all, {', '.join(types)}; got {chosen!r}")],
            )
        page_items = read_feed(
            gateway.db,
            pillar=pillar,
            institution=asked,
            after=after or None,
            limit=min(limit, gateway.settings.feed_page_max),
            event_types=None if chosen == "all" else {EVENT_TYPE_PREFIX + chosen},
        )
        read.extend(item.case_id for item in page_items.items)
    items = [
        {
            "cursor": item.cursor,
            "case_id": item.case_id,
            "event_id": item.event_id,
            "recorded_at": item.recorded_at,
            "type": item.payload.name,
            "summary": item.payload.summary(),
        }
        for item in page_items.items
    ]
    params = {
        "pillar": pillar if client.pillar == "operator" else "",
        "institution": institution,
        "type": chosen,
        "limit": limit if limit != PAGE_DEFAULT else None,
    }
    return render(
        request,
        "feed.html",
        page=Page(
            f"{title}: {pillar} feed of {asked}",
            "feed_entries table, read by gateway.services.feeds.read_feed (disclosure applied "
            "for this institution)",
            _now(request),
        ),
        console=console,
        items=items,
        pillar=pillar,
        feeds=feeds,
        institution=asked,
        types=types,
        chosen=chosen,
        limit=limit,
        next=_query(**params, after=page_items.next_cursor) if page_items.next_cursor else None,
        first=_query(**params) if after else None,
    )


@router.get("/undertrials", response_class=HTMLResponse)
def undertrial_review(
    request: Request,
    console: Signed,
    prison: str = "",
    as_of: Annotated[dt.date | None, Query()] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Limit = PAGE_DEFAULT,
) -> HTMLResponse:
    """The undertrial review of a prison (``GET /v1/prisons/{prison}/undertrials``): days in
    custody against the BNSS s.479 thresholds."""
    gateway = gateway_of(request)
    client = console.client
    with recorded_read(gateway, request, client) as read:
        require_pillar(client, "prisons", "operator")
        asked = prison.strip().upper() or (client.institution if client.pillar == "prisons" else "")
        if not asked:
            raise ContractViolation(
                "name the prison", [Problem("/prison", "required for operators")]
            )
        if client.pillar == "prisons" and asked != client.institution:
            raise Forbidden(
                f"this key reads the undertrials of {client.institution}, not of {asked}"
            )
        today = as_of or gateway.clock().astimezone(IST).date()
        with gateway.db.session() as session:
            entries = undertrials(session, prison=asked, today=today)
        shown, following = _window(entries, offset, limit)
        read.extend(e["case_id"] for e in shown if e.get("case_id"))
    return render(
        request,
        "undertrials.html",
        page=Page(
            f"Undertrial review: {asked}",
            f"cases table, computed by gateway.services.undertrials.undertrials as of {today} "
            "(BNSS s.479)",
            _now(request),
        ),
        console=console,
        entries=shown,
        total=len(entries),
        offset=offset,
        prison=asked,
        as_of=today,
        more=_query(prison=prison, as_of=as_of, offset=following, limit=limit)
        if following
        else None,
    )
