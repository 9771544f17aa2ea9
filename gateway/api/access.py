"""Who read what: the routes record every read in the access log (on the audit chain).

A route wraps its work in :func:`recorded_read` (or :func:`recorded_read_async`) and adds the
case ids it answers to the list it is given. The record is written when the block ends, also
when it fails (a 404 is recorded, without case ids); a read whose record cannot be written is
not answered (the error goes to the caller).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import structlog
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import IcjsError
from gateway.bootstrap import Gateway
from gateway.errors import http_status
from gateway.services.access_log import record_read
from gateway.services.auth import Client

log = structlog.get_logger(__name__)

#: The longest stated purpose kept (``X-Purpose``).
PURPOSE_MAX = 500


def write_read(
    gateway: Gateway, request: Request, client: Client, *, status: int, case_ids: list[str]
) -> None:
    """Write one access record for this request (its own short transaction)."""
    purpose = request.headers.get("x-purpose")
    record_read(
        db=gateway.db,
        client=client,
        method=request.method,
        path=request.url.path,
        status=status,
        case_ids=case_ids if status < 400 else [],
        request_id=getattr(request.state, "request_id", None),
        purpose=purpose[:PURPOSE_MAX] if purpose else None,
    )


def _status_of(error: BaseException) -> int:
    return http_status(error) if isinstance(error, IcjsError) else 500


@contextmanager
def recorded_read(gateway: Gateway, request: Request, client: Client) -> Iterator[list[str]]:
    """Record the read done in the block (sync routes); add the case ids answered to the list."""
    case_ids: list[str] = []
    if not gateway.settings.audit_record_reads:
        yield case_ids
        return
    try:
        yield case_ids
    except BaseException as error:
        try:
            write_read(gateway, request, client, status=_status_of(error), case_ids=[])
        except Exception:
            log.exception("could not record a failed read")
        raise
    write_read(gateway, request, client, status=200, case_ids=case_ids)


@asynccontextmanager
async def recorded_read_async(
    gateway: Gateway, request: Request, client: Client
) -> AsyncIterator[list[str]]:
    """:func:`recorded_read` for async routes (the record is written in a worker thread)."""
    case_ids: list[str] = []
    if not gateway.settings.audit_record_reads:
        yield case_ids
        return
    try:
        yield case_ids
    except BaseException as error:
        try:
            await run_in_threadpool(
                write_read, gateway, request, client, status=_status_of(error), case_ids=[]
            )
        except Exception:
            log.exception("could not record a failed read")
        raise
    await run_in_threadpool(write_read, gateway, request, client, status=200, case_ids=case_ids)
