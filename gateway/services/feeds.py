"""Reading a pillar's feed page by page: the rows the feed consumer wrote, with what the law
keeps from the reader redacted (:mod:`gateway.services.disclosure`)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import BigInteger, literal
from sqlmodel import col, select

from canonical_model.events import CloudEvent
from canonical_model.messages import FeedItem
from gateway.messaging.feed import FeedPage, parse_cursor
from gateway.services.disclosure import disclosed_feed_items
from gateway.store.db import Database
from gateway.store.tables import FeedEntryRow


def read_feed(
    db: Database,
    *,
    pillar: str,
    institution: str,
    after: str | None,
    limit: int,
    event_types: Collection[str] | None = None,
) -> FeedPage:
    """A page of ``institution``'s feed after ``after``, oldest first; only events of
    ``event_types`` (``icjs.chargesheet.filed``) when given (the web console's filter).

    Each item is the canonical event as the institution may read it: persons the law keeps
    from it (victims of sexual offences, children, protected witnesses) are labels, redacted
    from the payload before the adapter writes it (:mod:`gateway.services.disclosure`).
    """
    start = parse_cursor(after)
    query = select(FeedEntryRow).where(
        FeedEntryRow.pillar == pillar,
        FeedEntryRow.institution == institution,
        # A 64-bit bind: the column may be narrower (PostgreSQL's integer).
        col(FeedEntryRow.sequence) > literal(start, BigInteger),
    )
    if event_types is not None:
        query = query.where(col(FeedEntryRow.event_type).in_(sorted(event_types)))
    with db.session() as session:
        rows = session.exec(query.order_by(col(FeedEntryRow.sequence)).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = [
            FeedItem(
                cursor=str(row.sequence),
                case_id=row.case_id,
                event_id=row.event_id,
                recorded_at=row.recorded_at,
                payload=CloudEvent.model_validate(row.envelope).payload(),
                institution=row.institution,
            )
            for row in rows
        ]
        items = disclosed_feed_items(session, items, pillar=pillar, institution=institution)
    return FeedPage(items=items, next_cursor=items[-1].cursor if more else None)
