"""Pillar feeds: filled by one consumer per pillar from the bus, read page by page over HTTP.

The feed is written by a consumer of lifecycle events, never assembled from the
case tables on read, so swapping the in-process bus for Kafka changes where the
events come from and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import insert

from canonical_model.events import EVENT_TYPE_PREFIX, CloudEvent
from canonical_model.messages import FeedItem
from gateway.messaging.inbox import claim_events, one_or_many
from gateway.messaging.ports import PillarAdapter
from gateway.store.db import Database
from gateway.store.tables import FeedEntryRow, utcnow

log = structlog.get_logger(__name__)

# Built once, executed with parameters: SQLAlchemy then reuses the compiled statement.
_INSERT_FEED_ENTRY = insert(FeedEntryRow.__table__)  # type: ignore[attr-defined]


class FeedProjector:
    """The consumer that files a pillar's outbound events into its institutions' feeds."""

    def __init__(self, *, db: Database, adapter: PillarAdapter) -> None:
        self.db = db
        self.adapter = adapter
        self.name = f"feed.{adapter.pillar}"
        self._types = {EVENT_TYPE_PREFIX + t for t in adapter.feed_event_types}

    def wants(self, event_type: str) -> bool:
        """Whether the pillar's feed carries ``event_type``."""
        return event_type in self._types

    def handle(self, envelope: dict[str, Any]) -> None:
        """File one event, once: the inbox row and the feed entry commit together."""
        self.handle_batch([envelope])

    def handle_batch(self, envelopes: Sequence[dict[str, Any]]) -> int:
        """File a batch of events in one transaction, each once; return how many feed entries
        were written. Raises (and files nothing) if any event cannot be filed."""
        prepared: dict[str, tuple[CloudEvent, Sequence[str], dict[str, Any]]] = {}
        for envelope in envelopes:
            event = CloudEvent.model_validate(envelope)
            if event.id not in prepared:
                institutions = self.adapter.feed_institutions(event.payload())
                prepared[event.id] = (event, institutions if event.subject else (), envelope)
        if not prepared:
            return 0
        now = utcnow()
        with self.db.session(write=True) as session:
            # The entries follow the batch's own order, which is the partition's (one case's
            # events stay in order); the inbox only says which events are new.
            new = claim_events(session, consumer=self.name, event_ids=list(prepared))
            entries = [
                {
                    "pillar": self.adapter.pillar,
                    "institution": institution,
                    "event_id": event_id,
                    "case_id": event.subject,
                    "event_type": event.type,
                    "recorded_at": now,
                    "envelope": envelope,
                }
                for event_id, (event, institutions, envelope) in prepared.items()
                if event_id in new
                for institution in institutions
            ]
            if entries:
                session.execute(_INSERT_FEED_ENTRY, one_or_many(entries))
        # One line a batch, not one an entry: a worker files hundreds of entries a second
        # and each line is a JSON encode and a write on its hot path.
        log.info(
            "feed entries filed",
            pillar=self.adapter.pillar,
            events=len(new),
            duplicates=len(prepared) - len(new),
            entries=len(entries),
            institutions=sorted({str(e["institution"]) for e in entries}),
            first_event_id=next(iter(prepared)),
        )
        return len(entries)


#: A feed cursor: a sequence number, plain ASCII digits.
_CURSOR = re.compile(r"[0-9]{1,19}")


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of a feed."""

    items: list[FeedItem]
    next_cursor: str | None


def parse_cursor(after: str | None) -> int:
    """Cursors are opaque to pillars; inside the gateway they are feed sequence numbers."""
    if after is None or after == "":
        return 0
    # Plain ASCII digits within 64 bits: str.isdigit takes '²', int() takes 5,000 digits
    # (a ValueError) and the database no number beyond 2**63-1 (an OverflowError).
    if _CURSOR.fullmatch(after) is None or int(after) > 2**63 - 1:
        from canonical_model.errors import ContractViolation, Problem

        shown = after if len(after) <= 40 else f"{after[:20]}... ({len(after)} characters)"
        raise ContractViolation(
            f"invalid cursor {shown!r}",
            [Problem("after", "pass a cursor this feed returned, or nothing")],
        )
    return int(after)
