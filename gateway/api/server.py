"""The HTTP/1.1 protocol ``icjs serve`` runs: uvicorn's h11 protocol, with a deadline for
a request's line and headers.

uvicorn has no such deadline (``timeout_keep_alive`` only closes idle connections between
requests; ``h11_max_incomplete_event_size`` bounds the size of the headers, not their pace),
so a client trickling its headers a line every few seconds holds a connection for as long
as it likes. Here the headers must all have come ``ICJS_HEADER_TIMEOUT_SECONDS`` after the
connection is made, or after the first byte of a later request on it; past that the
gateway answers 408 in its error JSON and closes the connection. (The body's deadline,
``ICJS_BODY_TIMEOUT_SECONDS``, is kept by the app as it reads the body.)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any

import h11
import orjson
from uvicorn.protocols.http.h11_impl import H11Protocol

from gateway.services.metrics import MULTIPROCESS_ENV
from gateway.settings import get_settings

#: Allocations between two collections of the youngest generation (CPython's default: 700).
GC_YOUNG_THRESHOLD = 20_000


def tune_gc_for_serving() -> None:
    """Fewer, cheaper garbage collections in a serving process.

    Each accepted message allocates thousands of objects (the parsed body, the pydantic
    models, the rows), so with CPython's default thresholds the collector ran many times a
    request, and its full collections walked every object the process had made at start
    (the app, the contracts' schemas, SQLAlchemy's metadata): wrk's p99 at 32 connections fell
    from about 210 ms to about 120 ms with the young threshold raised. What exists once the app
    is built is frozen (never collected, never walked again); reference counting still frees
    everything else at once, and cycles are still collected, less often.
    """
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def serving_app() -> Any:
    """The app of one of ``icjs serve --workers N``'s processes (uvicorn's factory)."""
    from gateway.api.app import create_app

    app = create_app()
    tune_gc_for_serving()
    return app


@contextlib.contextmanager
def shared_metrics() -> Iterator[None]:
    """Around ``icjs serve --workers N``: the processes keep their counters in files of one
    folder, and each one's ``/metrics`` sums them (prometheus_client's multiprocess mode), since
    a scrape of the one port reaches any one of them. The folder is made for the run and removed
    after it, unless ``PROMETHEUS_MULTIPROC_DIR`` names one already. Set before the workers are
    spawned: prometheus_client reads it when it is first imported, in each worker."""
    if os.environ.get(MULTIPROCESS_ENV):
        yield
        return
    folder = tempfile.mkdtemp(prefix="icjs-metrics-")
    os.environ[MULTIPROCESS_ENV] = folder
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_ENV]
        shutil.rmtree(folder, ignore_errors=True)


def timeout_response(seconds: float) -> bytes:
    """The whole 408 answer to a request whose headers came too slowly, closing the
    connection (h11 cannot send it: no request was read)."""
    request_id = uuid.uuid4().hex
    message = (
        f"the request's headers did not arrive within {seconds:g} seconds "
        "(ICJS_HEADER_TIMEOUT_SECONDS)"
    )
    body = orjson.dumps(
        {
            "code": "request_timeout",
            "message": message,
            "errors": [{"location": "/", "message": message}],
            "request_id": request_id,
        }
    )
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        f"x-request-id: {request_id}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, answering 408 and closing when a request's line and headers
    take longer than ``header_timeout`` seconds (default: ``ICJS_HEADER_TIMEOUT_SECONDS``)."""

    header_timeout: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.header_timeout is None:
            self.header_timeout = get_settings().header_timeout_seconds
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that sends nothing is held no longer than a slow one

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._arm()  # the first byte of a request: its headers are now due
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def _watch(self) -> None:
        """Disarm once the headers are in; keep (or start) the deadline while a request's
        headers are still partly read."""
        if self.conn.their_state is not h11.IDLE:
            self._disarm()
        elif self.conn.trailing_data[0]:
            self._arm()
        elif self.cycle is not None and self.cycle.response_complete:
            self._disarm()  # between requests: the keep-alive timeout's business

    def _arm(self) -> None:
        if self._header_timer is None and self.header_timeout:
            self._header_timer = self.loop.call_later(self.header_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _timed_out(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        self.logger.info("a request's headers came too slowly: answered 408, connection closed")
        self.transport.write(timeout_response(self.header_timeout or 0))
        self.transport.close()
