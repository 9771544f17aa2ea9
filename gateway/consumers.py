"""Delivering events to consumers: retries with backoff, dead letters, replay and rebuild.

The same code serves the in-process bus of the embedded mode and the Kafka
workers of the production mode, so a consumer behaves the same in both: an
event is applied once (the consumer's inbox), a failing event is retried with
backoff, and after the configured attempts it is recorded as a dead letter for
operators while the events after it keep flowing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import BigInteger, delete, literal
from sqlmodel import col, select

from canonical_model.errors import Conflict, NotFound
from gateway.db import Database
from gateway.errors import Disposition, disposition
from gateway.ports import Consumer
from gateway.tables import DeadLetterRow, EventRow, FeedEntryRow, InboxRow, utcnow

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard to try before an event becomes a dead letter."""

    max_attempts: int = 5
    backoff_seconds: float = 0.1
    backoff_max_seconds: float = 5.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff after the ``attempt``-th failure (1-based)."""
        return float(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one delivery."""

    applied: bool
    attempts: int
    dead_letter_id: int | None = None
    error: str | None = None


DeadLetterHook = Callable[[DeadLetterRow], None]


def deliver(
    *,
    db: Database,
    consumer: Consumer,
    envelope: dict[str, Any],
    origin: str,
    policy: DeliveryPolicy,
    on_dead_letter: DeadLetterHook | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Apply one event to a consumer, retrying; never raises for the consumer's failures.

    A fatal error (the event can never apply as it is) is dead-lettered at once;
    anything else is retried ``policy.max_attempts`` times with backoff first.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            consumer.handle(envelope)
            return Outcome(applied=True, attempts=attempt)
        except Exception as error:
            final = disposition(error) is Disposition.DEAD_LETTER or attempt >= policy.max_attempts
            log.warning(
                "consumer failed",
                consumer=consumer.name,
                event_id=envelope.get("id"),
                attempt=attempt,
                final=final,
                error=f"{type(error).__name__}: {error}",
            )
            if not final:
                sleep(policy.delay(attempt))
                continue
            row = record_dead_letter(
                db=db,
                consumer=consumer.name,
                envelope=envelope,
                error=f"{type(error).__name__}: {error}",
                attempts=attempt,
                origin=origin,
            )
            if on_dead_letter is not None:
                on_dead_letter(row)
            return Outcome(applied=False, attempts=attempt, dead_letter_id=row.id, error=row.error)


def record_dead_letter(
    *, db: Database, consumer: str, envelope: dict[str, Any], error: str, attempts: int, origin: str
) -> DeadLetterRow:
    """Keep a failed event for operators.

    One row per (consumer, event) while it is dead: a worker that dies after recording
    but before committing its offset meets the event again on restart, and the operator
    must see one dead letter with the attempts added up, not two.
    """
    event_id = str(envelope.get("id", ""))
    with db.session(write=True) as session:
        existing = session.exec(
            select(DeadLetterRow)
            .where(DeadLetterRow.consumer == consumer)
            .where(DeadLetterRow.event_id == event_id)
            .where(DeadLetterRow.status == "dead")
            .with_for_update()
        ).first()
        if existing is not None:
            existing.attempts += attempts
            existing.error = error[:4000]
            existing.origin = origin
            existing.failed_at = utcnow()
            row = existing
        else:
            row = DeadLetterRow(
                consumer=consumer,
                event_id=event_id,
                event_type=str(envelope.get("type", "")),
                case_id=envelope.get("subject"),
                envelope=envelope,
                error=error[:4000],
                attempts=attempts,
                origin=origin,
            )
        session.add(row)
        session.flush()
        session.refresh(row)
    log.error("event dead-lettered", consumer=consumer, event_id=row.event_id, dead_letter=row.id)
    return row


def replay_dead_letter(
    *, db: Database, consumers: dict[str, Consumer], dead_letter_id: int
) -> DeadLetterRow:
    """Apply a dead letter again (after the cause was fixed); its consumer's inbox makes a
    second replay, or a replay of an event that got through meanwhile, change nothing."""
    with db.session() as session:
        # Bound as a 64-bit integer: an id beyond the column's range (PostgreSQL's integer)
        # is simply not there, rather than a statement the database refuses.
        row = session.exec(
            select(DeadLetterRow).where(
                col(DeadLetterRow.id) == literal(dead_letter_id, BigInteger)
            )
        ).first()
    if row is None:
        raise NotFound(f"no dead letter {dead_letter_id}")
    consumer = consumers.get(row.consumer)
    if consumer is None:
        raise NotFound(
            f"dead letter {dead_letter_id} belongs to consumer {row.consumer!r}, not served here"
        )
    try:
        consumer.handle(row.envelope)
    except Exception as error:
        with db.session(write=True) as session:
            failed = session.get(DeadLetterRow, dead_letter_id)
            assert failed is not None
            failed.attempts += 1
            failed.error = f"{type(error).__name__}: {error}"[:4000]
            session.add(failed)
        raise Conflict(
            f"replay of dead letter {dead_letter_id} failed again: {type(error).__name__}: {error}; "
            "it stays a dead letter"
        ) from error
    with db.session(write=True) as session:
        stored = session.get(DeadLetterRow, dead_letter_id)
        assert stored is not None
        stored.status = "replayed"
        stored.replayed_at = utcnow()
        session.add(stored)
    log.info(
        "dead letter replayed",
        dead_letter=dead_letter_id,
        consumer=row.consumer,
        event_id=row.event_id,
    )
    return stored


def rebuild_feed(
    *,
    db: Database,
    consumer: Consumer,
    pillar: str,
    from_sequence: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild a pillar's feed from the event log, from event ``from_sequence`` on.

    The feed entries of those events and the consumer's inbox rows for them are
    removed and the events applied again in log order, in batches. Entries come
    back with new cursors: a pillar reading past them sees them again (same
    event ids), which is what at-least-once promises.
    """
    with db.session() as session:
        rows = session.exec(
            select(EventRow.sequence, EventRow.id, EventRow.type)
            .where(col(EventRow.sequence) >= from_sequence)
            .order_by(col(EventRow.sequence))
        ).all()
    wanted = [(seq, event_id) for seq, event_id, event_type in rows if consumer.wants(event_type)]
    ids = [event_id for _, event_id in wanted]
    with db.session(write=True) as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            session.exec(
                delete(FeedEntryRow).where(
                    col(FeedEntryRow.pillar) == pillar, col(FeedEntryRow.event_id).in_(chunk)
                )
            )
            session.exec(
                delete(InboxRow).where(
                    col(InboxRow.consumer) == consumer.name, col(InboxRow.event_id).in_(chunk)
                )
            )
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with db.session() as session:
            envelopes = {
                e.id: e.envelope
                for e in session.exec(select(EventRow).where(col(EventRow.id).in_(chunk))).all()
            }
        for event_id in chunk:
            consumer.handle(envelopes[event_id])
            done += 1
        if progress is not None:
            progress(done, len(ids))
    return done
