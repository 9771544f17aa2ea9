"""Integers in paths and queries: plain ASCII digits that fit a signed 64-bit integer.

Python's ``int`` and pydantic take more than a database column can hold and more than a
caller means (``9223372036854775808``, ``²``, ``1_000``, `` 12``): an id outside the range is
answered 422 naming the parameter, in the standard error JSON, before any query is made.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Path
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator
from starlette.types import ASGIApp, Receive, Scope, Send

from canonical_model.errors import MAX_PROBLEMS, ContractViolation, Problem
from contracts.loader import XML_ILLEGAL

INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def int64(value: object, *, name: str) -> int:
    """``value`` (a path or query string) as a non-negative 64-bit integer; ContractViolation
    located at ``name`` otherwise."""
    text = value if isinstance(value, str) else str(value)
    if _DIGITS.fullmatch(text) is None or int(text) > INT64_MAX:
        shown = text if len(text) <= 40 else f"{text[:20]}... ({len(text)} characters)"
        raise ContractViolation(
            f"invalid {name} {shown!r}",
            [Problem(name, f"expected plain ASCII digits, at most {INT64_MAX}")],
        )
    return int(text)


def _plain_digits(value: object) -> object:
    if isinstance(value, str) and (_DIGITS.fullmatch(value) is None or int(value) > INT64_MAX):
        raise ValueError(f"expected plain ASCII digits, at most {INT64_MAX}")
    return value


#: An integer id in a path: ``/dead-letters/{dead_letter_id}/replay``.
Int64Path = Annotated[int, Path(ge=0, le=INT64_MAX), BeforeValidator(_plain_digits)]


class RefuseIllegalCharacters:
    """Answers 422 to a request whose path or query holds a character XML 1.0 cannot carry (a
    NUL or another C0 control but tab, line feed and carriage return, U+FFFE/FFFF, a lone
    surrogate): no database takes a NUL in a string, and no such value names anything.
    Located at ``/path`` or ``/query/<name>``, in the standard error JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            where = _illegal_place(scope)
            if where is not None:
                request_id = scope.get("state", {}).get("request_id")
                message = (
                    "the request holds a character no identifier has (a control character "
                    "other than tab, line feed and carriage return, U+FFFE, U+FFFF or a lone "
                    "surrogate)"
                )
                response = JSONResponse(
                    {
                        "code": "invalid_request",
                        "message": message,
                        "errors": [{"location": where, "message": message}],
                        "request_id": request_id,
                    },
                    status_code=422,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _illegal_place(scope: Scope) -> str | None:
    if XML_ILLEGAL.search(scope.get("path", "")):
        return "/path"
    query = scope.get("query_string", b"")
    if not query:
        return None
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, errors="replace")
    for name, value in pairs:
        if XML_ILLEGAL.search(name) or XML_ILLEGAL.search(value):
            return f"/query/{XML_ILLEGAL.sub('?', name)[:60]}"
    return None


class ErrorCap:
    """Sets :data:`canonical_model.errors.MAX_PROBLEMS` to ``ICJS_MAX_ERRORS`` for the request,
    so that every error answer, whoever raised it, lists at most that many problems."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = MAX_PROBLEMS.set(self.limit)
        try:
            await self.app(scope, receive, send)
        finally:
            MAX_PROBLEMS.reset(token)
