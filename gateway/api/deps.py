"""FastAPI dependencies: the gateway, the authenticated caller, request bodies."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import structlog
from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import PayloadTooLarge, Unauthenticated
from gateway.bootstrap import Gateway
from gateway.limits import RequestTimeout
from gateway.services.auth import Client, authenticate, record_use

log = structlog.get_logger(__name__)


async def get_gateway(request: Request) -> Gateway:
    """The gateway the app was built with.

    Async although it does no I/O: FastAPI runs a plain function dependency in a worker
    thread, a hop that costs more than the lookup, on every request.
    """
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


async def get_client(
    request: Request,
    gateway: GatewayDep,
    authorization: Annotated[str | None, Header(description="Bearer <api key>")] = None,
) -> Client:
    """The caller, authenticated by its bearer API key, within its rate limit.

    Async so that the caller bound to the log context here is seen by the endpoint
    (a sync dependency runs in a worker thread whose context is thrown away).

    A request whose key fails is counted against its remote address: once the address has
    used up its bucket such requests are answered 429, not 401 (a valid key from the same
    address still works). An authenticated request is counted against its client's bucket
    (429 past it). The key's last use is written at most once a minute (``gateway.usage``),
    not on every request.
    """

    def lookup() -> Client:
        with gateway.db.session() as session:
            found = authenticate(session, authorization)
        gateway.credentials.put(authorization or "", found)
        return found

    def note_use(found: Client) -> None:
        try:
            with gateway.db.session(write=True) as session:
                record_use(session, authorization or "", found, dt.datetime.now(dt.UTC))
        except Exception:  # the request is served whether or not the note is written
            log.warning("could not record the key's last use", exc_info=True)

    limits = gateway.limits
    client = gateway.credentials.get(authorization)
    if client is None:
        try:
            client = await run_in_threadpool(lookup)
        except Unauthenticated:
            limits.charge_stranger(request.client.host if request.client else "unknown")
            raise
    limits.charge_client(client.id)
    if authorization and gateway.usage.due(authorization):
        await run_in_threadpool(note_use, client)
    structlog.contextvars.bind_contextvars(caller=client.label)
    request.state.caller = client.label
    request.state.caller_pillar = client.pillar  # the metrics' label (bounded, unlike the label)
    return client


ClientDep = Annotated[Client, Depends(get_client)]


def media_type_of(header: str | None) -> str:
    """The bare media type of a Content-Type header (``application/json; charset=utf-8``)."""
    return (header or "").split(";", 1)[0].strip().lower()


async def read_body(
    request: Request, *, limit: int, timeout: float | None = None
) -> tuple[bytes, int]:
    """The request body, refused once it passes ``limit`` bytes, or when it has not all
    arrived ``timeout`` seconds after reading began (default: the gateway's
    ``ICJS_BODY_TIMEOUT_SECONDS``).

    Returns the body and its size; raises PayloadTooLarge carrying what was read
    (so the message log still keeps the start of it), or RequestTimeout (408, and the
    connection is closed).
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(b"", int(declared), limit)
    if timeout is None:
        gateway: Gateway | None = getattr(request.app.state, "gateway", None)
        timeout = gateway.settings.body_timeout_seconds if gateway is not None else None
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise BodyTooLarge(b"".join(chunks) + chunk, size, limit)
                chunks.append(chunk)
    except TimeoutError:
        raise RequestTimeout(
            f"the body did not arrive within {timeout:g} seconds (ICJS_BODY_TIMEOUT_SECONDS); "
            f"{size} bytes came"
        ) from None
    return b"".join(chunks), size


class BodyTooLarge(PayloadTooLarge):
    """A body over the limit, with the part of it that was read."""

    def __init__(self, head: bytes, size: int, limit: int) -> None:
        super().__init__(
            f"the body is {size} bytes or more; the limit is {limit} bytes (ICJS_MAX_BODY_BYTES)"
        )
        self.head = head
        self.size = size
