"""The routes of ``/status/``: the form, its answer, and the stylesheet.

The form is POSTed, so that the code never stands in a URL (a shared computer's history, a
proxy's log). It needs no CSRF token: the page carries no session and no cookie, so a form
posted from another site could only do what its own sender can. Every answer is ``no-store``
and loads nothing the gateway does not serve (the Content-Security-Policy says so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import IcjsError, MalformedMessage
from gateway.api.deps import GatewayDep
from gateway.api.routes_citizen import public_read
from gateway.errors import http_status
from gateway.services.citizen import CODE_FORM, STAGE_TEXT, STAGES

router = APIRouter(include_in_schema=False)

#: The longest form read (two short fields).
FORM_MAX_BYTES = 4 * 1024
#: Headers of every answer: never cached (a shared computer), nothing loaded from elsewhere.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_CSS = resources.files("gateway.citizen").joinpath("static/citizen.css").read_bytes()

templates = Environment(
    loader=PackageLoader("gateway.citizen", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
#: A new stylesheet is never served from a browser's cache.
templates.globals["css_version"] = hashlib.sha256(_CSS).hexdigest()[:12]


def long_date(value: str | None) -> str:
    """An ISO date as people read it: ``9 October 2026``."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


templates.filters["long_date"] = long_date


def _render(
    request: Request,
    *,
    status_code: int = 200,
    view: dict[str, Any] | None = None,
    fir: str = "",
    error: str | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    base = request.scope.get("root_path", "")
    body = templates.get_template("status.html").render(
        base=base,
        view=view,
        fir=fir,
        error=error,
        stages=[(stage, STAGE_TEXT[stage]) for stage in STAGES],
        at=STAGES.index(view["stage"]) if view is not None else -1,
        code_form=CODE_FORM,
    )
    return HTMLResponse(body, status_code=status_code, headers=SECURITY_HEADERS | (headers or {}))


@router.get("/status/")
async def status_form(request: Request) -> HTMLResponse:
    """The form: the FIR number and the access code."""
    return _render(request)


@router.post("/status/")
async def status_answer(request: Request, gateway: GatewayDep) -> HTMLResponse:
    """The stage of the FIR the form names, or the form again saying what was wrong (with the
    API's status: 404 for a wrong code or an unknown FIR alike, 422, 429 with Retry-After)."""
    fir = ""
    try:
        fields = await _read_form(request)
        fir = fields.get("fir", "").strip()[:80]
        view = await run_in_threadpool(
            public_read, gateway, request, fir=fir, code=fields.get("code", "")[:40]
        )
    except IcjsError as refused:
        return _render(
            request,
            status_code=http_status(refused),
            fir=fir,
            error=refused.message,
            headers=getattr(refused, "http_headers", {}),
        )
    return _render(request, view=view)


@router.get("/status/citizen.css")
async def stylesheet() -> Response:
    """The page's stylesheet (cached: its URL changes with its content)."""
    return Response(
        _CSS,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


async def _read_form(request: Request) -> dict[str, str]:
    """The POSTed form's fields (``application/x-www-form-urlencoded``, at most 4 KiB)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX_BYTES:
            raise MalformedMessage(f"the form is over {FORM_MAX_BYTES} bytes")
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
