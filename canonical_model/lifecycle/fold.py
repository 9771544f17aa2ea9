"""Folding events into a case's status: one table from payload type to its pillar's handler.

Every event first passes the parts of the status that read every kind of event (the persons
the law protects, the statutory clocks' dates), then the one handler its type is registered
with by a pillar module of this package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from canonical_model.clock_facts import note_clock_facts
from canonical_model.events import CloudEvent, EventPayload
from canonical_model.forensics import apply_forensic
from canonical_model.lifecycle import courts, forensics, police, prisons, prosecution, transport
from canonical_model.lifecycle.handlers import Handler, PillarHandlers
from canonical_model.lifecycle.status import CaseStatus
from canonical_model.privacy import fold_protected
from canonical_model.prosecution import apply_prosecution


def _merge(*pillars: PillarHandlers) -> Mapping[type[EventPayload], Handler]:
    table: dict[type[EventPayload], Handler] = {}
    for pillar in pillars:
        for kind, handler in pillar.items():
            # Two pillars folding one type would make the outcome depend on this order.
            if kind in table:
                raise ValueError(
                    f"{kind.__name__} is folded by two pillars (one is {pillar.pillar})"
                )
            table[kind] = handler
    return MappingProxyType(table)


#: Every pillar's handler, by the payload type it folds.
HANDLERS: Mapping[type[EventPayload], Handler] = _merge(
    police.HANDLERS,
    courts.HANDLERS,
    prisons.HANDLERS,
    forensics.HANDLERS,
    prosecution.HANDLERS,
    transport.HANDLERS,
)


def handler_for(kind: type[EventPayload]) -> Handler | None:
    """The handler that folds payloads of ``kind``, or None when no pillar folds it.

    A subclass of a folded type is folded as that type (the nearest in its MRO), as an
    ``isinstance`` test would.
    """
    for cls in kind.__mro__:
        handler = HANDLERS.get(cls)
        if handler is not None:
            return handler
    return None


def apply(status: CaseStatus, event: CloudEvent) -> CaseStatus:
    """Apply one event to a case's status and return the new status (the input is not changed)."""
    new = status.model_copy(deep=True)
    apply_in_place(new, event.payload(), time=event.time)
    return new


def apply_in_place(status: CaseStatus, payload: EventPayload, *, time: dt.datetime) -> None:
    """Apply one event's payload, accepted at ``time``, to ``status`` itself.

    For a caller that owns the status (the gateway reads it, applies the event and stores it
    in one transaction): copying a large status and parsing the payload back from the event
    cost more than the folding itself.
    """
    for key in payload.introduces():
        status.add_identifier(key)
    _apply_payload(status, payload)
    status.events_count += 1
    status.last_event_at = time


def project(case_id: str, events: Iterable[CloudEvent]) -> CaseStatus:
    """Fold a case's events, in acceptance order, into its status."""
    status = CaseStatus(case_id=case_id)
    for event in events:
        status = apply(status, event)
    return status


def _apply_payload(status: CaseStatus, payload: EventPayload) -> None:
    fold_protected(status, payload)
    note_clock_facts(status.clock_facts, payload)
    handler = handler_for(type(payload))
    if handler is not None:
        handler(status, payload)
    # A type no pillar module registered is still offered to the prosecution's and the labs'
    # folds, which recognise their own events: one added there and not here is folded, not
    # lost. Any other (an investigation step, a registry record, a deadline notice) changes
    # nothing here.
    elif not apply_prosecution(status.prosecution, payload):
        apply_forensic(status.forensic_requests, payload)
