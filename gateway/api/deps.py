"""FastAPI dependencies: the gateway, the authenticated caller, request bodies."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import PayloadTooLarge
from gateway.auth import Client, authenticate
from gateway.bootstrap import Gateway


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
    """The caller, authenticated by its bearer API key.

    Async so that the caller bound to the log context here is seen by the endpoint
    (a sync dependency runs in a worker thread whose context is thrown away).
    """

    def lookup() -> Client:
        with gateway.db.session() as session:
            found = authenticate(session, authorization)
        gateway.credentials.put(authorization or "", found)
        return found

    client = gateway.credentials.get(authorization)
    if client is None:
        client = await run_in_threadpool(lookup)
    structlog.contextvars.bind_contextvars(caller=client.label)
    request.state.caller = client.label
    return client


ClientDep = Annotated[Client, Depends(get_client)]


def media_type_of(header: str | None) -> str:
    """The bare media type of a Content-Type header (``application/json; charset=utf-8``)."""
    return (header or "").split(";", 1)[0].strip().lower()


async def read_body(request: Request, *, limit: int) -> tuple[bytes, int]:
    """The request body, refused once it passes ``limit`` bytes.

    Returns the body and its size; raises PayloadTooLarge carrying what was read
    (so the message log still keeps the start of it).
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(b"", int(declared), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(b"".join(chunks) + chunk, size, limit)
        chunks.append(chunk)
    return b"".join(chunks), size


class BodyTooLarge(PayloadTooLarge):
    """A body over the limit, with the part of it that was read."""

    def __init__(self, head: bytes, size: int, limit: int) -> None:
        super().__init__(
            f"the body is {size} bytes or more; the limit is {limit} bytes (ICJS_MAX_BODY_BYTES)"
        )
        self.head = head
        self.size = size
