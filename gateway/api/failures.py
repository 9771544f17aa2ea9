"""Failures that are not the caller's: answered in the standard error JSON, never as the
server's bare ``text/plain`` 500.

* The database unreachable (refused, dropped, a SQLite file that cannot be opened): 503 with
  ``Retry-After``, code ``database_unavailable``; the caller retries, nothing was applied.
* A :class:`~canonical_model.errors.RetriableError` (the ingest path's own 503): the same
  ``Retry-After``.
* Anything else unexpected: 500 in the same JSON, code ``internal_error``, naming only the
  request id (the log line of the request has the rest).
* Starlette's own answers (no such route 404, method not allowed 405): the same JSON.
"""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from canonical_model.errors import RetriableError
from gateway.errors import DATABASE_ERROR, DATABASE_UNREACHABLE, database_unreachable

log = structlog.get_logger(__name__)

#: Seconds a caller is asked to wait before retrying when the gateway's database is away.
RETRY_AFTER_SECONDS = 5


def _body(request: Request, code: str, message: str) -> dict[str, object]:
    return {
        "code": code,
        "message": message,
        "errors": [{"location": "/", "message": message}],
        "request_id": getattr(request.state, "request_id", None),
    }


def register_failure_handlers(app: FastAPI) -> None:
    """Answer database outages with 503 and anything unexpected with a 500, both in JSON."""

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unreachable", error=f"{type(exc).__name__}: {exc}")
        return JSONResponse(
            _body(
                request,
                "database_unavailable",
                "the gateway's database is unavailable; nothing was applied, retry later",
            ),
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    async def retriable(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RetriableError)
        body = exc.as_dict() | {"request_id": getattr(request.state, "request_id", None)}
        return JSONResponse(
            body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        if database_unreachable(exc):
            return await unavailable(request, exc)
        return await unexpected(request, exc)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected failure", error=f"{type(exc).__name__}: {exc}")
        return JSONResponse(
            _body(request, "internal_error", "the gateway failed to answer; the failure is logged"),
            status_code=500,
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette's own answers (no such route, method not allowed) in the same JSON.
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            _body(request, code, str(exc.detail)),
            status_code=exc.status_code,
            headers=dict(exc.headers or {}),
        )

    for cls in DATABASE_UNREACHABLE:
        app.add_exception_handler(cls, unavailable)
    app.add_exception_handler(DATABASE_ERROR, database_error)
    app.add_exception_handler(RetriableError, retriable)
    app.add_exception_handler(HTTPException, http_error)
    # Starlette runs this one in its outermost middleware: the answer is JSON, and the
    # exception still reaches the server's log.
    app.add_exception_handler(Exception, unexpected)
