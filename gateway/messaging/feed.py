"""Pillar feeds: filled by one consumer per pillar from the bus, read page by page over HTTP.

The feed is written by a consumer of lifecycle events, never assembled from the
case tables on read, so swapping the in-process bus for Kafka changes where the
events come from and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import bindparam, insert
from sqlmodel import select

from canonical_model.events import EVENT_TYPE_PREFIX, CloudEvent
from canonical_model.messages import FeedItem
from gateway.messaging.ports import PillarAdapter
from gateway.store.db import Database
from gateway.store.tables import FeedEntryRow, InboxRow, utcnow

log = structlog.get_logger(__name__)

# Built once, executed with parameters: one event per transaction is the hot path of
# every worker, and SQLAlchemy then reuses the compiled statements.
_INBOX = InboxRow.__table__  # type: ignore[attr-defined]
_SEEN = select(_INBOX.c.event_id).where(
    _INBOX.c.consumer == bindparam("consumer"), _INBOX.c.event_id == bindparam("event_id")
)
_INSERT_INBOX = insert(_INBOX)
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
        event = CloudEvent.model_validate(envelope)
        now = utcnow()
        with self.db.session(write=True) as session:
            seen = session.execute(_SEEN, {"consumer": self.name, "event_id": event.id}).first()
            if seen is not None:
                return
            session.execute(
                _INSERT_INBOX, {"consumer": self.name, "event_id": event.id, "processed_at": now}
            )
            institutions = self.adapter.feed_institutions(event.payload())
            if event.subject is None:
                return
            for institution in institutions:
                session.execute(
                    _INSERT_FEED_ENTRY,
                    {
                        "pillar": self.adapter.pillar,
                        "institution": institution,
                        "event_id": event.id,
                        "case_id": event.subject,
                        "event_type": event.type,
                        "recorded_at": now,
                        "envelope": envelope,
                    },
                )
        for institution in institutions:
            log.info(
                "feed entry filed",
                pillar=self.adapter.pillar,
                institution=institution,
                event_id=event.id,
            )


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
