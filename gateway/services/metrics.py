"""What ``/metrics`` exposes for Prometheus: counters kept by this process, and gauges read from
the store when scraped.

Two kinds of figure, kept apart on purpose:

- **Counters of this process** (:class:`GatewayMetrics`): the HTTP requests it answered (by
  route template, caller's pillar and status, with their latency) and the messages it took
  (by pillar, message type and outcome). Each gateway process counts its own; Prometheus
  scrapes each and sums them (``sum by (...) (rate(...))``).
- **Gauges of the store** (:class:`StoreCollector`): the outbox and the relay's lag, dead
  letters, statutory clocks due and overdue, and (production mode) the workers' consumer lag.
  They are read at scrape time, so every process reports the same figures for the same store,
  whichever process wrote the rows.

Every label has a bounded set of values: route *templates* (``/v1/cases/{ref:path}``, never a
case id), pillars of the policy registry, the message types each pillar declares (anything else
is ``unknown``), HTTP methods and status codes, consumer names, clock provisions as the code
names them. A registry of its own per app (never the process-wide default), so that tests which
build many apps do not meet each other's metrics.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from sqlalchemy import func
from sqlmodel import select

from canonical_model.clocks import ClockState
from gateway.messaging.kafka.lag import ConsumerLag
from gateway.messaging.outbox import outbox_lag
from gateway.services.deadlines import deadlines
from gateway.settings import Settings
from gateway.store.db import Database
from gateway.store.tables import DeadLetterRow

log = structlog.get_logger(__name__)

#: The methods counted by name; any other is counted as ``other`` (a caller chooses the method).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: The route label of a request no route matched (an unknown path).
UNMATCHED = "unmatched"
#: The pillar label of a request without an authenticated caller (no key, a bad key, /healthz).
NO_CALLER = "none"
#: The message type label of a message whose type is not one its pillar declares (or unread).
UNKNOWN_TYPE = "unknown"
#: Latency buckets in seconds: a message is answered in milliseconds, a person search or a
#: scan of every clock may take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
#: prometheus_client's multiprocess mode: when set, the counters live in files of that folder.
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: The clock states ``/metrics`` counts: those someone must still act on.
COUNTED_CLOCKS = (ClockState.DUE, ClockState.OVERDUE)


class GatewayMetrics:
    """The metrics of one app: its registry, the counters of this process and the store's
    gauges (registered at construction; nothing is read from the store until scraped)."""

    def __init__(
        self, *, store: StoreCollector, message_types: Mapping[str, Iterable[str]]
    ) -> None:
        self.registry = CollectorRegistry()
        shared = os.environ.get(MULTIPROCESS_ENV)
        counters: CollectorRegistry | None = self.registry
        if shared:
            # `icjs serve --workers N`: the counters are kept in files of the shared folder and
            # summed over every process there (gateway.api.server.shared_metrics); registered
            # here too, they would be exposed twice.
            # prometheus_client leaves this one's __init__ unannotated.
            MultiProcessCollector(self.registry, path=shared)  # type: ignore[no-untyped-call]
            counters = None
        else:
            # The process's own CPU, memory and file descriptors (one process's of several
            # would mislead).
            ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)  # the Python version
        self.requests = Counter(
            "icjs_http_requests",
            "HTTP requests answered by this process, by method, route template, the caller's "
            "pillar and status.",
            ["method", "route", "pillar", "status"],
            registry=counters,
        )
        self.latency = Histogram(
            "icjs_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by method, route template "
            "and the caller's pillar.",
            ["method", "route", "pillar"],
            buckets=LATENCY_BUCKETS,
            registry=counters,
        )
        self.messages = Counter(
            "icjs_messages",
            "Pillar messages answered by this process, by pillar, message type and outcome "
            "(accepted, held, rejected, duplicate, failed).",
            ["pillar", "message_type", "outcome"],
            registry=counters,
        )
        self._types = {pillar: frozenset(types) for pillar, types in message_types.items()}
        self.store = store
        self.registry.register(store)

    def observe_request(
        self, *, method: str, route: str, pillar: str | None, status: int, seconds: float
    ) -> None:
        """Count one answered request (``route`` is its template, never the raw path)."""
        method = method if method in METHODS else "other"
        caller = pillar or NO_CALLER
        self.requests.labels(method, route, caller, str(status)).inc()
        self.latency.labels(method, route, caller).observe(seconds)

    def observe_message(self, *, pillar: str, message_type: str | None, outcome: str) -> None:
        """Count one message's outcome; a type its pillar does not declare is ``unknown`` (the
        sender writes the type, so it is not trusted as a label)."""
        known = self._types.get(pillar, frozenset())
        kind = message_type if message_type in known else UNKNOWN_TYPE
        self.messages.labels(pillar, kind, outcome).inc()


@dataclass(eq=False)  # the registry keys its collectors by identity
class StoreCollector:
    """Gauges read from the store (and from the consumer lag the gateway keeps) at each scrape.

    The clocks are counted by scanning every case (:func:`gateway.services.deadlines.deadlines`,
    the query ``GET /v1/deadlines`` answers from), which costs more than a scrape should on a
    large store; the count is reused for ``clocks_seconds`` (``ICJS_METRICS_CLOCKS_SECONDS``).
    Each part (the outbox, the dead letters, the clocks) is read on its own: one that fails (the
    database does not answer, a case's clocks cannot be computed) is left out and its
    ``icjs_metrics_store_up{part=...}`` is 0, so that the other parts and the process's own
    counters are still scraped.
    """

    db: Database
    settings: Settings
    clock: Callable[[], dt.datetime]
    consumer_lag: ConsumerLag | None = None

    def __post_init__(self) -> None:
        self._clocks: Tally[tuple[str, str, str]] | None = None
        self._clocks_at = 0.0
        self._lock = threading.Lock()

    def describe(self) -> Iterable[Metric]:
        """The families this collects, without reading the store (the registry asks at
        registration)."""
        return self._families()

    def _families(self) -> list[GaugeMetricFamily]:
        return [
            GaugeMetricFamily(
                "icjs_metrics_store_up",
                "1 when this part of the store's gauges (outbox, dead_letters, clocks) was read "
                "at this scrape, 0 when it could not be (its gauges are then left out).",
                labels=["part"],
            ),
            GaugeMetricFamily(
                "icjs_outbox_events",
                "Events in the outbox not yet published to the bus.",
            ),
            GaugeMetricFamily(
                "icjs_relay_lag_seconds",
                "Age of the oldest unpublished outbox event (0 when the outbox is empty).",
            ),
            GaugeMetricFamily(
                "icjs_dead_letters",
                "Dead letters (events a consumer gave up on) by consumer and status (dead, "
                "replayed).",
                labels=["consumer", "status"],
            ),
            GaugeMetricFamily(
                "icjs_statutory_clocks",
                "Statutory clocks still to be acted on, by the pillar that must act, the "
                "provision (BNSS 187(3)) and state (due, overdue).",
                labels=["pillar", "provision", "state"],
            ),
            GaugeMetricFamily(
                "icjs_consumer_lag_events",
                "Events on the case topic not yet processed by a worker group (`icjs worker "
                "<worker>`, production mode), as last read from Kafka.",
                labels=["worker"],
            ),
            GaugeMetricFamily(
                "icjs_consumer_group_members",
                "Members of a worker group (`icjs worker <worker>` processes, production mode), "
                "as last read from Kafka.",
                labels=["worker"],
            ),
            GaugeMetricFamily(
                "icjs_consumer_lag_read_age_seconds",
                "How long ago the consumer lag above was read from Kafka (production mode).",
            ),
        ]

    def collect(self) -> Iterable[Metric]:
        """Read the store now and yield every gauge."""
        up, outbox, relay, letters, clocks, lag, members, lag_age = self._families()
        read: list[GaugeMetricFamily] = []
        for part, families, fill in (
            ("outbox", (outbox, relay), self._fill_outbox),
            ("dead_letters", (letters,), self._fill_dead_letters),
            ("clocks", (clocks,), self._fill_clocks),
        ):
            try:
                fill(*families)
            except Exception:
                log.warning("a part of /metrics could not be read", part=part, exc_info=True)
                up.add_metric([part], 0)
            else:
                up.add_metric([part], 1)
                read.extend(families)
        yield up
        yield from read
        consumer_lag = self.consumer_lag
        if consumer_lag is not None:
            for worker, group in sorted(consumer_lag.groups.items()):
                lag.add_metric([worker], group.lag)
                members.add_metric([worker], group.members)
            yield from (lag, members)
            if consumer_lag.read_at is not None:
                lag_age.add_metric([], max(0.0, time.time() - consumer_lag.read_at))
                yield lag_age

    def _fill_outbox(self, outbox: GaugeMetricFamily, relay: GaugeMetricFamily) -> None:
        pending, age = outbox_lag(self.db)
        outbox.add_metric([], pending)
        relay.add_metric([], age)

    def _fill_dead_letters(self, letters: GaugeMetricFamily) -> None:
        with self.db.session() as session:
            rows = session.exec(
                select(DeadLetterRow.consumer, DeadLetterRow.status, func.count())
                .group_by(DeadLetterRow.consumer, DeadLetterRow.status)
                .order_by(DeadLetterRow.consumer, DeadLetterRow.status)
            ).all()
        for consumer, status, count in rows:
            letters.add_metric([consumer, status], int(count))

    def _fill_clocks(self, clocks: GaugeMetricFamily) -> None:
        for (pillar, provision, state), count in sorted(self._clock_counts().items()):
            clocks.add_metric([pillar, provision, state], count)

    def _clock_counts(self) -> Tally[tuple[str, str, str]]:
        """Clocks due and overdue by (pillar, provision, state), as an operator reads them
        from ``GET /v1/deadlines``; reused for ``metrics_clocks_seconds``."""
        with self._lock:  # two scrapes at once scan once
            fresh = time.monotonic() - self._clocks_at < self.settings.metrics_clocks_seconds
            if self._clocks is not None and fresh:
                return self._clocks
            with self.db.session() as session:
                found = deadlines(
                    session,
                    settings=self.settings,
                    now=self.clock(),
                    pillar=None,
                    institution=None,
                    states=set(COUNTED_CLOCKS),
                )
            self._clocks = Tally((d["pillar"], d["provision"], d["state"]) for d in found)
            self._clocks_at = time.monotonic()
            return self._clocks
