"""Limits on what one caller may take: requests per minute (token buckets), and the errors
answered when a caller goes past a limit (429, and 408 for a request that comes too slowly).

Each gateway process keeps its own buckets, in memory: with N processes a client may make
up to N times the figure. Requests whose key is unknown, revoked or absent are counted per
remote address, in a smaller bucket (a tenth of the figure): past it they are answered
429 rather than 401, so guessing keys is slowed (a valid key from that address still works).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from canonical_model.errors import IcjsError


class RateLimited(IcjsError):
    """Too many requests: answered 429 with ``Retry-After`` (whole seconds)."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))

    @property
    def http_headers(self) -> dict[str, str]:
        """Headers the answer carries."""
        return {"Retry-After": str(self.retry_after)}


class RequestTimeout(IcjsError):
    """The request (its body) did not arrive in time: answered 408, and the connection closed."""

    code = "request_timeout"

    @property
    def http_headers(self) -> dict[str, str]:
        """Headers the answer carries."""
        return {"Connection": "close"}


class RateLimiter:
    """Token buckets by key: each holds up to ``burst`` tokens and gains ``per_minute`` a
    minute; a request takes one. ``per_minute`` 0 disables the limiter.

    ``clock`` gives seconds (monotonic); tests pass a fake one.
    """

    #: Past this many buckets, full ones (callers idle long enough) are forgotten.
    MAX_BUCKETS = 100_000

    def __init__(
        self, per_minute: int, burst: int | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        self.per_minute = per_minute
        self.burst = burst if burst is not None else per_minute
        self.clock = clock or time.monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # key: (tokens, at)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Whether requests are limited at all."""
        return self.per_minute > 0 and self.burst > 0

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) * self.per_minute / 60.0)

    def _wait(self, tokens: float) -> float:
        return (1.0 - tokens) * 60.0 / self.per_minute

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when there was one, else the seconds until there is
        one (nothing is taken then)."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            tokens = self._level(key, now)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return self._wait(tokens)
            if len(self._buckets) >= self.MAX_BUCKETS and key not in self._buckets:
                self._forget_full(now)
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0

    def wait(self, key: str) -> float:
        """The seconds until ``key`` has a token (0.0: it has one now); takes nothing."""
        if not self.enabled:
            return 0.0
        with self._lock:
            tokens = self._level(key, self.clock())
        return 0.0 if tokens >= 1.0 else self._wait(tokens)

    def _forget_full(self, now: float) -> None:
        full = [k for k in self._buckets if self._level(k, now) >= self.burst]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self.MAX_BUCKETS:  # a flood of distinct keys: start over
            self._buckets.clear()


class Limits:
    """The gateway's rate limits: one bucket per authenticated client, and one per remote
    address for requests that fail authentication (a tenth of the figure)."""

    def __init__(
        self, per_minute: int, burst: int | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        burst = burst if burst is not None else per_minute
        self.clients = RateLimiter(per_minute, burst, clock)
        self.strangers = RateLimiter(
            max(1, per_minute // 10) if per_minute > 0 else 0, max(1, burst // 10), clock
        )

    def set_clock(self, clock: Callable[[], float]) -> None:
        """Use ``clock`` (seconds) for every bucket (tests)."""
        self.clients.clock = clock
        self.strangers.clock = clock

    def charge_client(self, client_id: int) -> None:
        """Take a request from an authenticated client's bucket; RateLimited when empty."""
        wait = self.clients.take(f"client:{client_id}")
        if wait > 0:
            raise RateLimited(
                f"too many requests from this client: the limit is {self.clients.per_minute} a "
                f"minute, in bursts of up to {self.clients.burst} (ICJS_RATE_LIMIT_PER_MINUTE, "
                "ICJS_RATE_LIMIT_BURST)",
                retry_after=wait,
            )

    def charge_stranger(self, address: str) -> None:
        """Count a request from ``address`` that failed authentication; RateLimited when the
        address has used up its bucket (it is answered 429 rather than 401 then)."""
        wait = self.strangers.take(f"address:{address}")
        if wait > 0:
            raise self._stranger_limited(wait)

    def _stranger_limited(self, wait: float) -> RateLimited:
        return RateLimited(
            "too many requests without a valid API key from this address: the limit is "
            f"{self.strangers.per_minute} a minute",
            retry_after=wait,
        )
