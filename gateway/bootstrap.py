"""The composition root: the one place that wires settings, store, bus, relay, consumers
and adapters together. The API, the CLI and the tests all build the gateway here."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.bus import InProcessBus
from gateway.db import Database, create_schema, make_engine
from gateway.feed import FeedProjector
from gateway.ingest import Ingestor
from gateway.outbox import OutboxRelay
from gateway.registry import AdapterRegistry
from gateway.settings import Settings


@dataclass
class Gateway:
    """Everything a running gateway is made of."""

    settings: Settings
    db: Database
    adapters: AdapterRegistry
    bus: InProcessBus
    relay: OutboxRelay
    ingestor: Ingestor
    feeds: dict[str, FeedProjector] = field(default_factory=dict)

    def close(self) -> None:
        """Release the database connections."""
        self.db.engine.dispose()


def build_gateway(settings: Settings, *, adapters: AdapterRegistry | None = None) -> Gateway:
    """Build a gateway from settings; ``adapters`` defaults to the installed entry points."""
    db = Database(make_engine(settings.database_url))
    create_schema(db.engine)
    registry = adapters if adapters is not None else AdapterRegistry.from_entry_points()
    bus = InProcessBus()
    feeds: dict[str, FeedProjector] = {}
    for adapter in registry:
        if adapter.feed_event_types:
            projector = FeedProjector(db=db, adapter=adapter)
            bus.subscribe(projector)
            feeds[adapter.pillar] = projector
    return Gateway(
        settings=settings,
        db=db,
        adapters=registry,
        bus=bus,
        relay=OutboxRelay(db=db, bus=bus, batch_size=settings.relay_batch_size),
        ingestor=Ingestor(db=db, adapters=registry),
        feeds=feeds,
    )
