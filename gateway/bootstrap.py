"""The composition root: the one place that wires settings, store, bus, relay, consumers
and adapters together. The API, the CLI and the tests all build the gateway here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from gateway.limits import Limits
from gateway.messaging.bus import InProcessBus
from gateway.messaging.consumers import DeliveryPolicy
from gateway.messaging.feed import FeedProjector
from gateway.messaging.kafka.lag import ConsumerLag
from gateway.messaging.kafka.relay import KafkaRelay
from gateway.messaging.outbox import OutboxRelay
from gateway.messaging.ports import Consumer
from gateway.services.auth import CredentialCache, UsageRecorder
from gateway.services.ingest import Ingestor
from gateway.services.persons.index import CONSUMER as PERSONS_CONSUMER
from gateway.services.persons.index import PersonIndexer, Thresholds
from gateway.services.policies import PolicyRegistry
from gateway.services.registry import AdapterRegistry
from gateway.settings import Settings
from gateway.store.db import Database, ensure_schema, make_engine


@dataclass
class Gateway:
    """Everything a running gateway is made of."""

    settings: Settings
    db: Database
    adapters: AdapterRegistry
    bus: InProcessBus
    relay: OutboxRelay
    ingestor: Ingestor
    policy: DeliveryPolicy
    #: Every pillar's access policy (the police's, the adapters', the operators').
    policies: PolicyRegistry
    feeds: dict[str, FeedProjector] = field(default_factory=dict)
    #: The person index's consumer (the bus feeds it in the embedded mode, `icjs worker
    #: persons` in production).
    persons: PersonIndexer = field(init=False)
    kafka_relay: KafkaRelay | None = None
    #: The lag of each pillar's worker group, read from Kafka for /readyz (production mode).
    consumer_lag: ConsumerLag | None = None
    #: What time it is for rules computed when read (BNSS s.176(3)); tests set their own.
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    credentials: CredentialCache = field(default_factory=lambda: CredentialCache(0))
    #: Rate limits per client and per address (each process its own buckets).
    limits: Limits = field(default_factory=lambda: Limits(0))
    #: When a key's last use is next written (at most once a minute per key).
    usage: UsageRecorder = field(default_factory=UsageRecorder)

    def __post_init__(self) -> None:
        self.persons = PersonIndexer(
            db=self.db,
            thresholds=Thresholds(
                link=self.settings.person_link_threshold,
                review=self.settings.person_review_threshold,
            ),
        )
        if self.kafka_relay is None:
            self.bus.subscribe(self.persons)
        # Bytes of rejected bodies kept whole per client (ICJS_REJECTED_BODY_QUOTA_BYTES).
        self.ingestor.rejected_body_quota = self.settings.rejected_body_quota_bytes
        if self.kafka_relay is None:
            # Embedded mode: each committed batch is relayed to the feeds before any of its
            # senders is answered, so an answered message is on its feeds.
            self.db.writer.after_commit = partial(self.relay.drain, wait=True)

    @property
    def mode(self) -> str:
        """``embedded`` (in-process bus) or ``production`` (Kafka)."""
        return "production" if self.kafka_relay is not None else "embedded"

    @property
    def consumers(self) -> dict[str, Consumer]:
        """Every consumer by name, for replaying dead letters."""
        found: dict[str, Consumer] = {p.name: p for p in self.feeds.values()}
        found[self.persons.name] = self.persons
        return found

    def close(self) -> None:
        """Finish the writer's queue and release the database connections."""
        self.db.close()


def build_gateway(settings: Settings, *, adapters: AdapterRegistry | None = None) -> Gateway:
    """Build a gateway from settings; ``adapters`` defaults to the installed entry points."""
    db = Database(make_engine(settings.database_url))
    try:
        ensure_schema(db.engine)
    except BaseException:
        db.close()
        raise
    registry = adapters if adapters is not None else AdapterRegistry.from_entry_points()
    policies = PolicyRegistry.from_adapters(registry)
    policy = DeliveryPolicy(
        max_attempts=settings.consumer_max_attempts,
        backoff_seconds=settings.consumer_backoff_seconds,
        outage_backoff_seconds=settings.outage_backoff_seconds,
        outage_backoff_max_seconds=max(
            settings.outage_backoff_max_seconds, settings.outage_backoff_seconds
        ),
    )
    bus = InProcessBus(db=db, policy=policy)
    kafka_relay = KafkaRelay(db=db, settings=settings) if settings.kafka_bootstrap_servers else None
    feeds: dict[str, FeedProjector] = {}
    for adapter in registry:
        if adapter.feed_event_types:
            projector = FeedProjector(db=db, adapter=adapter)
            feeds[adapter.pillar] = projector
            # With Kafka the feeds are filled by `icjs worker <pillar>` processes instead.
            if kafka_relay is None:
                bus.subscribe(projector)
    return Gateway(
        settings=settings,
        db=db,
        adapters=registry,
        bus=bus,
        relay=OutboxRelay(db=db, bus=bus, batch_size=settings.relay_batch_size),
        ingestor=Ingestor(
            db=db, adapters=registry, policies=policies, max_errors=settings.max_errors
        ),
        policy=policy,
        policies=policies,
        feeds=feeds,
        kafka_relay=kafka_relay,
        consumer_lag=(
            ConsumerLag(settings=settings, pillars=[*sorted(feeds), PERSONS_CONSUMER])
            if kafka_relay is not None
            else None
        ),
        credentials=CredentialCache(settings.auth_cache_seconds),
        limits=Limits(settings.rate_limit_per_minute, settings.rate_limit_burst),
    )
