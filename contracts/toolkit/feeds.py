"""The page of an institution's feed, the same skeleton for every pillar: whose feed it is, the
items (cursor, case, event, when recorded, and the entry itself) and the next cursor (null in
JSON, an absent element in XML, on the last page); and the one entry every feed that carries it
writes the same way, a statutory clock's announcement (:func:`deadline_entry`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from canonical_model.events import DeadlineBreached, DeadlineDueSoon
from canonical_model.messages import FeedItem
from contracts.toolkit.formats import FEED_ITEMS, Document, Pillar
from contracts.toolkit.shapes import DEADLINE
from contracts.toolkit.writing import document_fields, timestamp

#: The canonical events a feed's ``deadline`` entry carries, by event name.
DEADLINE_EVENTS: tuple[str, ...] = (DeadlineDueSoon.name, DeadlineBreached.name)
#: The member (JSON) and element (XML) of a feed item holding a deadline.
DEADLINE_MEMBER = "deadline"

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


def deadline_entry(payload: DeadlineDueSoon | DeadlineBreached) -> tuple[str, Document]:
    """A statutory clock's announcement as a feed entry (:data:`shapes.DEADLINE`): ``kind``
    ``due_soon`` or ``breached``, then the notice."""
    kind = "breached" if isinstance(payload, DeadlineBreached) else "due_soon"
    data = {"kind": kind, **payload.deadline.model_dump(mode="json")}
    return DEADLINE_MEMBER, document_fields(data, DEADLINE)
