"""What every page of the web console shares: the session cookie and its check, the CSRF check
of forms, the rendering of templates, and error pages that answer as the API would.

A page raises the gateway's errors as an API route does; :class:`ConsoleRoute` answers them
as HTML with the status the API gives them (``gateway.errors.http_status``), and a request
without a live session with a redirect to the sign-in page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, quote
from zoneinfo import ZoneInfo

import structlog
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import (
    ContractViolation,
    Forbidden,
    IcjsError,
    MalformedMessage,
    Problem,
    Unauthenticated,
)
from canonical_model.messages import json_pointer
from gateway.bootstrap import Gateway
from gateway.errors import http_status
from gateway.services.console_sessions import (
    ConsoleSession,
    SessionEnded,
    csrf_matches,
    resume_session,
)

log = structlog.get_logger(__name__)

#: The session cookie: HttpOnly, SameSite=Strict, Secure over https, only sent to /console.
SESSION_COOKIE = "icjs_console"
#: The sign-in form's own CSRF secret (double submit: the form carries its HMAC).
SIGN_IN_COOKIE = "icjs_console_signin"
COOKIE_PATH = "/console"
#: The longest form body the console reads (its forms are a few fields).
FORM_MAX_BYTES = 64 * 1024
#: Times are shown in Indian Standard Time: the clocks and the pillars count Indian days.
IST = ZoneInfo("Asia/Kolkata")
#: Headers of every console answer: pages carry personal data (never cached), and load
#: nothing that the gateway does not serve itself.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

templates = Environment(
    loader=PackageLoader("gateway.console", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def ist(value: dt.datetime | str | None) -> str:
    """A time as the console shows it: IST, to the minute (``-`` for none)."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        when = value
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(IST).strftime("%Y-%m-%d %H:%M IST")


templates.filters["ist"] = ist


def _static_digest() -> str:
    """A digest of the stylesheet, so that a new version is never served from a cache."""
    data = resources.files("gateway.console").joinpath("static/console.css").read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


templates.globals["css_version"] = _static_digest()


@dataclass(frozen=True, slots=True)
class Page:
    """What a page hands to its template besides its own figures."""

    title: str
    #: The footer line: where the figures come from (the table and the service that read it).
    source: str
    #: When they were read.
    as_of: dt.datetime


def gateway_of(request: Request) -> Gateway:
    """The gateway the app was built with."""
    gateway: Gateway = request.app.state.gateway
    return gateway


def now_of(request: Request) -> dt.datetime:
    """The gateway's time (tests give the gateway their own clock)."""
    return gateway_of(request).clock()


def render(
    request: Request,
    template: str,
    *,
    page: Page | None,
    console: ConsoleSession | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The template rendered with the session's user, its CSRF token and the page's footer."""
    body = templates.get_template(template).render(
        page=page,
        me=console.client if console is not None else None,
        csrf=console.csrf if console is not None else "",
        nav=navigation(console.client.pillar) if console is not None else [],
        path=request.url.path,
        **context,
    )
    return HTMLResponse(body, status_code=status_code, headers=SECURITY_HEADERS)


#: The pages of each pillar, in the order the navigation lists them: (path, label).
_PAGES: dict[str, list[tuple[str, str]]] = {
    "operator": [
        ("/console/messages", "Message log"),
        ("/console/held", "Held"),
        ("/console/dead-letters", "Dead letters"),
        ("/console/clients", "Clients and keys"),
        ("/console/institutions", "Institutions"),
        ("/console/health", "Health"),
        ("/console/audit", "Audit chain"),
        ("/console/case", "Find a case"),
        ("/console/clocks", "Clocks"),
        ("/console/feed", "Feeds"),
    ],
    "police": [("/console/case", "Find a case"), ("/console/clocks", "Clocks")],
    "courts": [
        ("/console/feed", "Charge sheets waiting"),
        ("/console/clocks", "Clocks"),
        ("/console/case", "Find a case"),
    ],
    "prisons": [
        ("/console/undertrials", "Undertrial review"),
        ("/console/clocks", "Clocks"),
        ("/console/feed", "Feed"),
        ("/console/case", "Find a case"),
    ],
    "prosecution": [
        ("/console/feed", "Reports to scrutinise"),
        ("/console/case", "Find a case"),
    ],
    "forensics": [
        ("/console/feed", "Requests to acknowledge"),
        ("/console/case", "Find a case"),
    ],
    "transport": [("/console/feed", "Feed")],
}


def navigation(pillar: str) -> list[tuple[str, str]]:
    """The pages a key of ``pillar`` may use (each still checks the key as the API does)."""
    return [("/console/", "Home"), *_PAGES.get(pillar, [])]


def sign_in_redirect(request: Request, reason: str) -> RedirectResponse:
    """To the sign-in page, saying why, and where to come back to (a console path only)."""
    back = request.url.path if request.method == "GET" else "/console/"
    if request.method == "GET" and request.url.query:
        back += "?" + request.url.query
    response = RedirectResponse(
        f"/console/sign-in?reason={quote(reason)}&next={quote(back, safe='')}",
        status_code=303,
        headers=SECURITY_HEADERS,
    )
    if reason != "required":
        response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


def error_page(request: Request, error: IcjsError, console: ConsoleSession | None) -> HTMLResponse:
    """The error as the API would answer it (status, message, located problems), in HTML."""
    status = http_status(error)
    return render(
        request,
        "error.html",
        page=None,
        console=console,
        status_code=status,
        status=status,
        code=error.code,
        message=error.message,
        problems=[p.as_dict() for p in error.problems],
        request_id=getattr(request.state, "request_id", None),
    )


class ConsoleRoute(APIRoute):
    """A console route: the gateway's errors become HTML pages with the API's status, a
    request without a live session a redirect to the sign-in page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SessionEnded as ended:
                return sign_in_redirect(request, ended.reason)
            except Unauthenticated:
                return sign_in_redirect(request, "required")
            except IcjsError as error:
                console: ConsoleSession | None = getattr(request.state, "console", None)
                return error_page(request, error, console)
            except RequestValidationError as invalid:
                problems = [
                    Problem(json_pointer(tuple(e.get("loc", ()))), str(e.get("msg", "invalid")))
                    for e in invalid.errors()
                ]
                console = getattr(request.state, "console", None)
                return error_page(
                    request,
                    ContractViolation("the page's parameters are not valid", problems),
                    console,
                )

        return console_handler


async def signed_in(request: Request) -> ConsoleSession:
    """The live session of the request's cookie, within the key's rate limit; SessionEnded
    (a redirect to sign in) when there is none.

    Async, as the API's ``get_client``, so that the caller it binds to the log context is
    seen by the page."""
    gateway = gateway_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    idle = dt.timedelta(minutes=gateway.settings.console_idle_minutes)

    def resume() -> ConsoleSession | SessionEnded:
        with gateway.db.session(write=True) as session:
            return resume_session(session, token=token, now=gateway.clock(), idle=idle)

    found = await run_in_threadpool(resume) if token else SessionEnded("", reason="required")
    if isinstance(found, SessionEnded):
        raise found
    gateway.limits.charge_client(found.client.id)
    structlog.contextvars.bind_contextvars(caller=found.client.label)
    request.state.caller = found.client.label
    request.state.caller_pillar = found.client.pillar
    request.state.console = found
    return found


async def read_form(request: Request, *, csrf_secret: str | None) -> dict[str, str]:
    """The fields of a POSTed form (``application/x-www-form-urlencoded``), once its CSRF
    token is checked against ``csrf_secret`` (the session's token, or the sign-in form's
    cookie); Forbidden when it is missing or does not match."""
    media_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX_BYTES:
            raise MalformedMessage(f"the form is over {FORM_MAX_BYTES} bytes")
    fields: Mapping[str, str] = {}
    if media_type == "application/x-www-form-urlencoded":
        fields = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    if not csrf_matches(csrf_secret, fields.get("csrf")):
        raise Forbidden(
            "the form's CSRF token is missing or is not this session's; reload the page and "
            "submit the form again"
        )
    return dict(fields)
