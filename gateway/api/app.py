"""The FastAPI application: middleware, error mapping, lifespan and routers."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from canonical_model.errors import IcjsError, Unauthenticated
from canonical_model.messages import json_pointer
from gateway import citizen, console
from gateway.api import (
    docs,
    openapi_bodies,
    openapi_doc,
    routes_admin,
    routes_asyncapi,
    routes_audit,
    routes_cases,
    routes_citizen,
    routes_contracts,
    routes_deadlines,
    routes_health,
    routes_law,
    routes_messages,
    routes_metrics,
    routes_persons,
    routes_prisons,
    routes_vehicles,
)
from gateway.api.failures import register_failure_handlers
from gateway.api.fast_ingest import IngestFastPath
from gateway.api.params import ErrorCap, RefuseIllegalCharacters
from gateway.bootstrap import Gateway, build_gateway
from gateway.errors import http_status
from gateway.logs import configure_logging
from gateway.services.deadlines import run_emitter
from gateway.services.metrics import UNMATCHED, GatewayMetrics, StoreCollector
from gateway.settings import Settings, get_settings

log = structlog.get_logger(__name__)

DESCRIPTION = """
The ICJS Gateway carries case lifecycle events between the pillars of the
criminal justice system: police (CCTNS), courts (e-Courts), prisons (e-Prisons),
forensic laboratories (e-Forensics), prosecution (e-Prosecution) and transport
(Vahan, Sarathi), with operators watching the exchange and verifiers asking about
antecedents.

Each pillar sends its own messages to `POST /v1/<pillar>/messages` (one schema per
message type below, in JSON and, but for the police, XML; the contracts are served
under `/v1/contracts`), reads what concerns it from `GET /v1/<pillar>/feed`, and
asks for a case across pillars at `GET /v1/cases/{ref}`.

Every `/v1` call needs an API key, sent as `Authorization: Bearer <key>`; a key is
bound to a pillar and an institution (`icjs clients add`). The one exception is
`GET /v1/public/fir-status`, where the informant of an FIR reads its stage with the
access code printed on the FIR copy (the page for people is `/status/`). Every error is answered
in one body, `Error`: `{code, message, errors: [{location, message}], request_id}`.
The Kafka topics are described by the AsyncAPI document at `/asyncapi.json`.
"""


async def _relay_loop(gateway: Gateway) -> None:
    """Relay leftovers (events the writer's relay after a batch failed to deliver, or that
    another process wrote) at a steady interval."""
    while True:
        # The writer relays each batch before answering; the loop picks up what that left.
        await asyncio.sleep(max(gateway.settings.relay_interval_seconds, 1.0))
        try:
            await run_in_threadpool(gateway.relay.drain)
        except Exception:
            log.exception("outbox relay failed; retrying at the next interval")


class RequestContext:
    """Binds a request id (the caller's ``X-Request-ID`` or a new one) to every log line of
    the request, answers it in the response's ``X-Request-ID``, logs one line per request and
    counts it in the metrics (by route template, caller's pillar and status, with its latency).

    Plain ASGI rather than ``@app.middleware("http")``, which runs every request through
    an extra task and stream: measurable on a gateway that takes hundreds a second.
    """

    def __init__(self, app: ASGIApp, *, metrics: GatewayMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        root_path = scope.get("root_path", "")
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        request_id = given.decode("latin-1")[:128] or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                caller=state.get("caller"),
            )
            self.metrics.observe_request(
                method=scope["method"],
                route=route_template(scope, root_path),
                pillar=state.get("caller_pillar"),
                status=status,
                seconds=time.perf_counter() - started,
            )


def route_template(scope: Scope, root_path: str) -> str:
    """The template of the route that answered (``/v1/cases/{ref}``), never the raw path, so
    that no case id or FIR becomes a metric label. It is the route's path as declared (the
    gateway's routers carry their prefixes; FastAPI hands over the route as its router declared
    it, without a prefix given at ``include_router``). A route under a mounted app is prefixed
    with the mount's path (``root_path`` is the request's before routing); a request answered
    before routing names its template in ``state["route_template"]`` (the ingest fast path);
    one no route matched is ``unmatched``."""
    route = scope.get("route")
    template: str | None = getattr(route, "path_format", None)
    if template is None:
        named: str | None = scope.get("state", {}).get("route_template")
        return named or UNMATCHED
    mounted_at: str = scope.get("root_path", "")
    prefix = mounted_at[len(root_path) :]
    if isinstance(route, Mount) and prefix.endswith(route.path):
        # A mount that answered itself (static files): its own path is in its pattern already.
        prefix = prefix[: len(prefix) - len(route.path)]
    return prefix + template


def create_app(
    gateway: Gateway | None = None,
    *,
    settings: Settings | None = None,
    fast_ingest: bool = True,
) -> FastAPI:
    """Build the app around a gateway (built from settings when not given). ``fast_ingest``
    off leaves the message routes to FastAPI alone (the tests compare the two)."""
    if gateway is None:
        gateway = build_gateway(settings or get_settings())
    configure_logging(level=gateway.settings.log_level, fmt=gateway.settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        if gateway.kafka_relay is not None:
            task = asyncio.create_task(gateway.kafka_relay.run(stop))
        else:
            task = asyncio.create_task(_relay_loop(gateway))
        # Statutory clocks: deadline.due_soon / deadline.breached, one emitter at a time.
        kafka_relay = gateway.kafka_relay

        async def announce() -> None:
            if kafka_relay is None:
                await asyncio.to_thread(gateway.relay.drain)
            else:
                kafka_relay.wakeup.set()

        emitter = asyncio.create_task(
            run_emitter(
                db=gateway.db,
                settings=gateway.settings,
                clock=gateway.clock,
                announce=announce,
                stop=stop,
            )
        )
        # The workers' lag, read from Kafka in the background for /readyz.
        lag = (
            asyncio.create_task(gateway.consumer_lag.run(stop))
            if gateway.consumer_lag is not None
            else None
        )
        try:
            yield
        finally:
            stop.set()
            if lag is not None:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(lag, timeout=10)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(emitter, timeout=10)
            if gateway.kafka_relay is not None:
                gateway.kafka_relay.wakeup.set()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(task), timeout=10)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(
        title="ICJS Gateway",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        # Swagger UI and ReDoc from the gateway's own assets (gateway/api/docs.py), no CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = gateway
    app.state.asyncapi = None  # made at the first GET /asyncapi.json
    metrics = GatewayMetrics(
        store=StoreCollector(
            db=gateway.db,
            settings=gateway.settings,
            # Read when scraped, as GET /v1/deadlines does (tests set their own clock).
            clock=lambda: gateway.clock(),
            consumer_lag=gateway.consumer_lag,
        ),
        message_types=routes_messages.message_types(gateway),
    )
    app.state.metrics = metrics

    @app.exception_handler(IcjsError)
    async def icjs_error(request: Request, exc: IcjsError) -> JSONResponse:
        status = http_status(exc)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else {}
        # RateLimited: Retry-After; RequestTimeout: Connection: close (gateway/limits.py).
        headers |= getattr(exc, "http_headers", {})
        body = exc.as_dict() | {"request_id": getattr(request.state, "request_id", None)}
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": json_pointer(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        return JSONResponse(
            {
                "code": "invalid_request",
                "message": "the request's parameters are not valid",
                "errors": errors,
                "request_id": getattr(request.state, "request_id", None),
            },
            status_code=422,
        )

    register_failure_handlers(app)
    if fast_ingest:
        # Innermost of the application's middleware: the hottest route without FastAPI's
        # routing and dependency solving.
        app.add_middleware(
            IngestFastPath, gateway=gateway, pillars=routes_messages.ingest_pillars(gateway)
        )
    app.add_middleware(RefuseIllegalCharacters)
    app.add_middleware(ErrorCap, limit=gateway.settings.max_errors)
    app.add_middleware(RequestContext, metrics=metrics)
    app.include_router(routes_health.router)
    app.include_router(routes_messages.build_router(gateway))
    app.include_router(routes_cases.router)
    app.include_router(routes_contracts.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_prisons.router)
    # The message routes' bodies as the contracts define them (one schema per message type).
    openapi_bodies.install(app, gateway.adapters)
    # Then what every keyed route shares: the bearer scheme, 401/429/503, the error body.
    openapi_doc.install(app)
    app.include_router(routes_vehicles.router)
    app.include_router(routes_persons.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_deadlines.router)
    app.include_router(routes_law.router)
    app.include_router(routes_metrics.router)
    app.include_router(routes_asyncapi.router)
    docs.install(app)
    app.include_router(console.router)  # the web console, /console/ (gateway/console/)
    # The citizen's view of an FIR: the API (no key: the FIR copy's code) and /status/.
    app.include_router(routes_citizen.router)
    app.include_router(citizen.router)
    return app
