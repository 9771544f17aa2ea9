"""The page of an institution's feed, the same skeleton for every pillar: whose feed it is, the
items (cursor, case, event, when recorded, and the entry itself) and the next cursor (null in
JSON, an absent element in XML, on the last page)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from canonical_model.messages import FeedItem
from contracts.toolkit.formats import FEED_ITEMS, Document, Pillar
from contracts.toolkit.writing import timestamp

#: A pillar's writer of one feed entry: the member that holds it and the entry document.
#: It raises UnknownMessageType for an event its feed does not carry.
FeedEntry = Callable[[FeedItem], tuple[str, Document]]


def feed_page(
    items: Sequence[FeedItem],
    *,
    institution: str,
    next_cursor: str | None,
    pillar: Pillar,
    entry: FeedEntry,
) -> Document:
    """One page of ``institution``'s feed, each item's entry written by ``entry``."""
    entries: list[Document] = []
    for item in items:
        head: Document = {
            "cursor": item.cursor,
            "caseId": item.case_id,
            "eventId": item.event_id,
            "recordedAt": timestamp(item.recorded_at),
        }
        member, document = entry(item)
        entries.append(head | {member: document})
    return {pillar.institution_member: institution, FEED_ITEMS: entries, "nextCursor": next_cursor}
