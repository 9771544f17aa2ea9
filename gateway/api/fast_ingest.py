"""``POST /v1/<pillar>/messages`` without FastAPI's routing and dependency solving.

The gateway takes messages at hundreds a second, and a profile of ``icjs serve`` under load put
a quarter of its CPU in FastAPI's request machinery for that one route: finding it among the
others, solving its dependencies (query, header and cookie parsing it never uses), the exit
stack. This middleware answers that route itself, with the same parts the route uses: the
caller is authenticated and rate-limited by :func:`gateway.api.deps.get_client`, the message is
accepted by :func:`gateway.api.routes_messages.accept_message`, and an error is answered by the
application's own exception handler for it (:mod:`gateway.api.failures` and ``icjs_error``), so
the answers are the same byte for byte. The FastAPI route stays, for the OpenAPI document and for
any request this does not take (another method, a trailing slash).

It sits inside the application's own middleware (the request id, the cap on errors, the refusal
of illegal characters), as the route does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.api.deps import get_client
from gateway.api.routes_messages import accept_message
from gateway.bootstrap import Gateway

Handler = Callable[[Request, Exception], Awaitable[Response]]


class IngestFastPath:
    """Answers ``POST /v1/<pillar>/messages`` for ``pillars``; passes every other request on."""

    def __init__(self, app: ASGIApp, *, gateway: Gateway, pillars: Iterable[str]) -> None:
        self.app = app
        self.gateway = gateway
        self.paths = {f"/v1/{pillar}/messages": pillar for pillar in pillars}
        #: Requests this answered (the tests check that it is the one answering).
        self.answered = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pillar = (
            self.paths.get(scope["path"])
            if scope["type"] == "http" and scope["method"] == "POST"
            else None
        )
        if pillar is None:
            await self.app(scope, receive, send)
            return
        self.answered += 1
        # Answered before routing: the metrics name the route's template (the path itself).
        scope.setdefault("state", {})["route_template"] = scope["path"]
        request = Request(scope, receive)
        try:
            authorization = request.headers.get("authorization")
            client = await get_client(request, self.gateway, authorization)
            response: Response = await accept_message(
                request, gateway=self.gateway, client=client, pillar=pillar
            )
        except Exception as error:
            handler = _handler_for(scope["app"], error)
            if handler is None:
                raise  # the server's outermost handler answers 500 and logs it, as for a route
            response = await handler(request, error)
        await response(scope, receive, send)


def _handler_for(app: Any, error: Exception) -> Handler | None:
    """The application's exception handler for ``error``'s class or its nearest base, as
    Starlette's ExceptionMiddleware looks it up; None for the catch-all ``Exception`` one,
    which Starlette runs in its outermost middleware (and which re-raises to the log)."""
    handlers: dict[Any, Handler] = app.exception_handlers
    for cls in type(error).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None
