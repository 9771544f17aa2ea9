"""Delivering events to consumers: retries with backoff, dead letters, replay and rebuild.

The same code serves the in-process bus of the embedded mode and the Kafka
workers of the production mode, so a consumer behaves the same in both: an
event is applied once (the consumer's inbox), a failing event is retried with
backoff, and after the configured attempts it is recorded as a dead letter for
operators while the events after it keep flowing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

import structlog
from sqlalchemy import BigInteger, delete, literal
from sqlmodel import col, select

from canonical_model.errors import Conflict, NotFound
from gateway.errors import Dependency, Disposition, disposition, unreachable_dependency
from gateway.messaging.ports import Consumer
from gateway.store.db import Database
from gateway.store.tables import DeadLetterRow, EventRow, FeedEntryRow, InboxRow, utcnow

log = structlog.get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard to try before an event becomes a dead letter, and how to wait out an outage
    of the database or the broker (which never makes a dead letter)."""

    max_attempts: int = 5
    backoff_seconds: float = 0.1
    backoff_max_seconds: float = 5.0
    #: First wait when a dependency is unreachable; doubles up to ``outage_backoff_max_seconds``.
    outage_backoff_seconds: float = 0.5
    outage_backoff_max_seconds: float = 10.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff after the ``attempt``-th failure (1-based)."""
        return float(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** (attempt - 1)))

    def outage_delay(self, wait: int, rand: Callable[[], float] = random.random) -> float:
        """The ``wait``-th wait (1-based) for an unreachable dependency: exponential, capped,
        with jitter (between half and all of it) so that many workers do not come back at
        the same instant."""
        ceiling = min(
            self.outage_backoff_max_seconds, self.outage_backoff_seconds * 2 ** (wait - 1)
        )
        return float(ceiling * (0.5 + 0.5 * rand()))


_NAMES = {Dependency.DATABASE: "the database", Dependency.KAFKA: "the Kafka broker"}


class Stopped(Exception):
    """The process was asked to stop while waiting for an unreachable dependency: nothing
    was applied or recorded for the event in hand (it is delivered again later)."""


@dataclass
class Outage:
    """Waits out one outage of a dependency: a log line an operator can act on at each wait
    (what is down, where, the error, how long it has been down, when it is tried again) and
    one when it is back."""

    policy: DeliveryPolicy
    what: str  # what waits: "worker feed.courts", "worker courts (starting)"
    where: Callable[[Dependency], str] = lambda dependency: ""
    sleep: Callable[[float], None] = time.sleep
    stopping: Callable[[], bool] = lambda: False
    waits: int = 0
    started: float = 0.0
    dependency: Dependency | None = None

    def next_delay(self, dependency: Dependency, error: BaseException, **context: Any) -> float:
        """Log the wait about to begin and return how long it lasts; raises :class:`Stopped`
        when asked to stop."""
        if self.waits == 0:
            self.started = time.monotonic()
        self.waits += 1
        self.dependency = dependency
        delay = self.policy.outage_delay(self.waits)
        target = self.where(dependency) or "its configured address"
        text = str(error).strip()
        if not text.startswith(type(error).__name__):
            text = f"{type(error).__name__}: {text}"
        log.warning(
            f"{dependency} unreachable; waiting for it",
            waiting=self.what,
            dependency=str(dependency),
            target=target,
            error=text[:1000],
            down_for_seconds=round(time.monotonic() - self.started, 3),
            retry_in_seconds=round(delay, 3),
            waits=self.waits,
            action=f"check that {_NAMES[dependency]} at {target} is running and reachable; "
            "nothing is lost meanwhile and work resumes by itself when it answers",
            **context,
        )
        if self.stopping():
            raise Stopped(str(dependency))
        return delay

    def wait(self, dependency: Dependency, error: BaseException, **context: Any) -> None:
        """Sleep before the next try; raises :class:`Stopped` when asked to stop."""
        self.sleep(self.next_delay(dependency, error, **context))
        if self.stopping():
            raise Stopped(str(dependency))

    def recovered(self, **context: Any) -> None:
        """Note that the dependency answers again (once per outage)."""
        if self.waits:
            log.warning(
                f"{self.dependency} reachable again; carrying on",
                waiting=self.what,
                dependency=str(self.dependency),
                down_for_seconds=round(time.monotonic() - self.started, 3),
                waits=self.waits,
                **context,
            )
        self.waits = 0
        self.dependency = None

    def call(self, action: Callable[[], T], **context: Any) -> T:
        """Run ``action`` until it succeeds, waiting out outages of a dependency; any other
        error is raised."""
        while True:
            try:
                result = action()
            except Exception as error:
                dependency = unreachable_dependency(error)
                if dependency is None:
                    raise
                self.wait(dependency, error, **context)
                continue
            self.recovered(**context)
            return result


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
    outage: Outage | None = None,
) -> Outcome:
    """Apply one event to a consumer, retrying; never raises for the consumer's failures.

    A fatal error (the event can never apply as it is) is dead-lettered at once; anything
    else is retried ``policy.max_attempts`` times with backoff first. An outage of the
    database or the broker is not the event's failure: with ``outage`` (a worker) it is
    waited out, however long, counting no attempt, and the dead letter itself (its row, and
    ``on_dead_letter``) is recorded through outages the same way; without it (the
    in-process bus of the embedded mode, inside a request) the error is raised, nothing
    is dead-lettered, and the event stays in the outbox for the relay's next round.
    """
    attempt = 0
    while True:
        try:
            consumer.handle(envelope)
            if outage is not None:
                outage.recovered(event_id=envelope.get("id"))
            return Outcome(applied=True, attempts=attempt + 1)
        except Exception as error:
            kind = disposition(error)
            if kind is Disposition.WAIT:
                if outage is None:
                    raise
                dependency = unreachable_dependency(error)
                assert dependency is not None
                outage.wait(dependency, error, event_id=envelope.get("id"))
                continue
            attempt += 1
            final = kind is Disposition.DEAD_LETTER or attempt >= policy.max_attempts
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
            error_text = f"{type(error).__name__}: {error}"

            def record(error_text: str = error_text, attempts: int = attempt) -> DeadLetterRow:
                return record_dead_letter(
                    db=db,
                    consumer=consumer.name,
                    envelope=envelope,
                    error=error_text,
                    attempts=attempts,
                    origin=origin,
                )

            row = record() if outage is None else outage.call(record, event_id=envelope.get("id"))
            if on_dead_letter is not None:
                if outage is None:
                    on_dead_letter(row)
                else:
                    outage.call(partial(on_dead_letter, row), event_id=envelope.get("id"))
            return Outcome(applied=False, attempts=attempt, dead_letter_id=row.id, error=row.error)


class BatchConsumer(Consumer, Protocol):
    """A consumer that can apply several events in one transaction."""

    def handle_batch(self, envelopes: Sequence[dict[str, Any]]) -> int:
        """Apply the events together, each once, or none of them (it raises)."""
        ...


def deliver_batch(
    *,
    db: Database,
    consumer: BatchConsumer,
    envelopes: Sequence[dict[str, Any]],
    origins: Sequence[str],
    policy: DeliveryPolicy,
    outage: Outage,
    on_dead_letter: DeadLetterHook | None = None,
) -> None:
    """Apply a batch of events in one transaction (a worker's hot path); never raises for the
    consumer's failures.

    An outage of the database is waited out and the whole batch tried again (the consumer's
    inbox absorbs a batch that did commit before the connection went). Any other failure
    means one of the events cannot apply as it is: nothing of the batch was applied, and its
    events go one by one through :func:`deliver`, in order, so that the bad one is retried and
    dead-lettered on its own while the others are applied.
    """
    while True:
        try:
            consumer.handle_batch(envelopes)
            outage.recovered(event_id=envelopes[0].get("id"), events=len(envelopes))
            return
        except Exception as error:
            if disposition(error) is Disposition.WAIT:
                dependency = unreachable_dependency(error)
                assert dependency is not None
                outage.wait(
                    dependency, error, event_id=envelopes[0].get("id"), events=len(envelopes)
                )
                continue
            if len(envelopes) > 1:
                log.warning(
                    "batch failed; applying its events one by one",
                    consumer=consumer.name,
                    events=len(envelopes),
                    error=f"{type(error).__name__}: {error}",
                )
            break
    for envelope, origin in zip(envelopes, origins, strict=True):
        deliver(
            db=db,
            consumer=consumer,
            envelope=envelope,
            origin=origin,
            policy=policy,
            on_dead_letter=on_dead_letter,
            outage=outage,
        )


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
