"""Statutory clocks, gateway side: the clocks of a case as read, the deadlines an institution
may read, and the emitter of ``deadline.due_soon`` / ``deadline.breached``.

The clocks themselves are pure (:mod:`canonical_model.clocks`); here they meet the settings
(the State's s.176(3) start dates, the due-soon lead), the store and the readers' rights.

Who reads which deadlines (``GET /v1/deadlines``, ``icjs deadlines``): each pillar the clocks it
must act on, scoped as its feed is: a court or a prison the clocks naming it; the police the
clocks of the cases of their station, district or State (as they read cases); operators every
clock. Other pillars keep no clocks and are refused (deny by default).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from canonical_model.clock_facts import IST
from canonical_model.clocks import Clock, ClockState, clocks
from canonical_model.deadline_actions import Kind, action
from canonical_model.errors import Forbidden
from canonical_model.events import DeadlineBreached, DeadlineDueSoon, DeadlineNotice
from canonical_model.identifiers import Cnr, PrisonerNumber
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import police_covers
from gateway.messaging.kafka.lock import RelayLock
from gateway.services.auth import Client
from gateway.services.cases import with_forensic_visit
from gateway.services.ingest import append_case_event
from gateway.services.vehicles import GATEWAY_SOURCE
from gateway.settings import Settings
from gateway.store.db import Database
from gateway.store.tables import CaseRow, DeadlineNoticeRow

log = structlog.get_logger(__name__)

#: The pillars that must act on some clock; a key of any other pillar reads none.
CLOCK_PILLARS = ("police", "courts", "prisons")
#: Cases read per round trip when every case is scanned.
BATCH = 500


def today_in_india(now: dt.datetime) -> dt.date:
    """The Indian date at ``now``: the clocks count Indian days."""
    return now.astimezone(IST).date()


def with_clocks(status: CaseStatus, *, settings: Settings, now: dt.datetime) -> CaseStatus:
    """The status with its s.176(3) check and its clocks, computed for ``now`` (they change
    with time, so neither is stored)."""
    status = with_forensic_visit(status, settings=settings, now=now)
    found = clocks(status, today=today_in_india(now), now=now)
    return status.model_copy(update={"clocks": found})


def case_clocks(status: CaseStatus, *, settings: Settings, now: dt.datetime) -> list[Clock]:
    """The clocks of one case at ``now``."""
    return with_clocks(status, settings=settings, now=now).clocks or []


def reader_scope(client: Client, institution: str | None) -> tuple[str | None, str | None]:
    """(pillar, institution) whose clocks ``client`` reads, asking for ``institution``.

    Operators read every pillar's clocks (of ``institution`` when given); a court or a prison
    its own; the police those of their station, district or State, or of a station or district
    within it. Raises Forbidden naming what is wrong.
    """
    asked = institution.strip().upper() if institution else None
    if client.pillar == "operator":
        return None, asked
    if client.pillar not in CLOCK_PILLARS:
        raise Forbidden(
            f"no statutory clock is kept for the {client.pillar} pillar: deadlines are read by "
            f"{', '.join(CLOCK_PILLARS)} and operators"
        )
    own = client.institution.upper()
    if asked is None:
        return client.pillar, own
    if client.pillar == "police":
        if not police_covers(own, asked):
            raise Forbidden(f"institution {asked!r} is outside this key's police unit {own}")
    elif asked != own:
        raise Forbidden(f"this key reads the deadlines of {own}, not of {asked}")
    return client.pillar, asked


def _visible(clock: Clock, *, pillar: str | None, institution: str | None) -> bool:
    if pillar is not None and clock.pillar != pillar:
        return False
    if institution is None:
        return True
    if clock.institution is None:
        return False
    if pillar == "police" or (pillar is None and clock.pillar == "police"):
        return police_covers(institution, clock.institution)
    return clock.institution.upper() == institution


def _cases(session: Session, *, pillar: str | None, institution: str | None) -> Iterator[CaseRow]:
    """The cases whose clocks may concern the scope, in batches (by the indexed columns where
    the scope allows: the police station; every case otherwise)."""
    query = select(CaseRow).order_by(col(CaseRow.id))
    if pillar == "police" and institution is not None:
        query = query.where(
            (col(CaseRow.police_station) == institution)
            | col(CaseRow.police_station).startswith(institution + "/")
        )
    after = ""
    while True:
        rows = session.exec(query.where(col(CaseRow.id) > after).limit(BATCH)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def _identifiers(status: CaseStatus) -> dict[str, Any]:
    ids = status.identifiers
    return {
        "case_id": status.case_id,
        "fir": next(iter(ids.get("fir", [])), None),
        "cnr": next(iter(ids.get("cnr", [])), None),
    }


def deadlines(
    session: Session,
    *,
    settings: Settings,
    now: dt.datetime,
    pillar: str | None,
    institution: str | None,
    states: set[ClockState] | None = None,
) -> list[dict[str, Any]]:
    """Every clock in the scope (see :func:`reader_scope`), due first: each with its case's
    id, FIR and CNR."""
    found: list[dict[str, Any]] = []
    for row in _cases(session, pillar=pillar, institution=institution):
        status = CaseStatus.model_validate(row.status)
        for clock in case_clocks(status, settings=settings, now=now):
            if not _visible(clock, pillar=pillar, institution=institution):
                continue
            if states is not None and clock.state not in states:
                continue
            found.append(_identifiers(status) | clock.model_dump(mode="json"))
    found.sort(key=lambda d: (d["due_on"], d["case_id"], d["key"]))
    return found


# --------------------------------------------------------------------------- the emitter


class DeadlineLock(RelayLock):
    """Lets one gateway process at a time emit deadline events: the relay's kind of lock (a
    PostgreSQL session advisory lock, freed if the process dies), under a key of its own;
    always granted on SQLite (one process). The unique key of ``deadline_notices`` keeps each
    announcement single even if two emitters ever overlap (a lock session lost mid-round)."""

    KEY = 0x1C15_0002


def _announcements(
    found: list[Clock], *, today: dt.date, settings: Settings
) -> list[tuple[Clock, Kind]]:
    """The (clock, kind) pairs due for an announcement today."""
    wanted: list[tuple[Clock, Kind]] = []
    for clock in found:
        if clock.state is ClockState.OVERDUE:
            if (today - clock.due_on).days <= settings.deadline_lookback_days:
                wanted.append((clock, "breached"))
        elif clock.state is ClockState.DUE and clock.days_left <= settings.deadline_due_soon_days:
            wanted.append((clock, "due_soon"))
    return wanted


def _cnr(status: CaseStatus, clock: Clock) -> str | None:
    """The CNR the institution that must act knows the case by: a court's own (None before it
    registers the case); for anyone else, that of the court seized, else the latest."""
    cnrs = [Cnr.parse(c) for c in status.identifiers.get("cnr", [])]
    court = clock.institution if clock.pillar == "courts" else status.court
    own = [c for c in cnrs if str(c.establishment_code) == court]
    if own:
        return str(own[-1])
    return str(cnrs[-1]) if cnrs and clock.pillar != "courts" else None


def _prisoner(status: CaseStatus, clock: Clock) -> str | None:
    """The accused's prisoner number in the prison that must act (prison clocks only)."""
    if clock.pillar != "prisons" or clock.accused_ref is None or clock.institution is None:
        return None
    for person in status.accused:
        if person.ref != clock.accused_ref:
            continue
        numbers = [*person.prisoner_numbers, *filter(None, [person.prisoner_number])]
        held = [n for n in numbers if PrisonerNumber.parse(n).institution == clock.institution]
        return held[-1] if held else None
    return None


def _notice(clock: Clock, status: CaseStatus) -> DeadlineNotice:
    return DeadlineNotice(
        clock=clock.key,
        provision=clock.provision,
        title=clock.title,
        pillar=clock.pillar,
        institution=clock.institution,
        accused_ref=clock.accused_ref,
        started_by=clock.started_by,
        started_on=clock.started_on,
        due_on=clock.due_on,
        due_at=clock.due_at,
        state=clock.state.value,
        days_left=clock.days_left,
        cnr=_cnr(status, clock),
        fir=next(iter(status.identifiers.get("fir", [])), None),
        prisoner=_prisoner(status, clock),
        action=action(clock.provision, title=clock.title),
    )


def _case_ids(db: Database) -> Iterator[list[str]]:
    after = ""
    while True:
        with db.session() as session:
            ids = list(
                session.exec(
                    select(CaseRow.id)
                    .where(col(CaseRow.id) > after)
                    .order_by(col(CaseRow.id))
                    .limit(BATCH)
                ).all()
            )
        if ids:
            yield ids
        if len(ids) < BATCH:
            return
        after = ids[-1]


def emit_deadlines(db: Database, *, settings: Settings, now: dt.datetime) -> int:
    """Announce every clock falling due within the lead (``deadline.due_soon``) or breached
    (``deadline.breached``) that has not been announced for its due date; return how many
    events were written. Each goes to the case's event log and the outbox in the transaction
    that records it in ``deadline_notices``, so it is published exactly once."""
    today = today_in_india(now)
    written = 0
    for ids in _case_ids(db):
        with db.session() as session:
            rows = session.exec(select(CaseRow).where(col(CaseRow.id).in_(ids))).all()
            pending = {
                row.id: wanted
                for row in rows
                if (
                    wanted := _announcements(
                        case_clocks(
                            CaseStatus.model_validate(row.status), settings=settings, now=now
                        ),
                        today=today,
                        settings=settings,
                    )
                )
            }
        for case_id, wanted in pending.items():
            written += _announce(db, case_id, wanted)
    return written


def _announce(db: Database, case_id: str, wanted: list[tuple[Clock, Kind]]) -> int:
    try:
        with db.session(write=True) as session:
            row = session.get(CaseRow, case_id)
            if row is None:
                return 0
            status = CaseStatus.model_validate(row.status)
            done = {
                (n.clock, n.kind, n.due_on)
                for n in session.exec(
                    select(DeadlineNoticeRow).where(DeadlineNoticeRow.case_id == case_id)
                ).all()
            }
            count = 0
            for clock, kind in wanted:
                if (clock.key, kind, clock.due_on) in done:
                    continue
                payload_class = DeadlineBreached if kind == "breached" else DeadlineDueSoon
                event = append_case_event(
                    session,
                    payload_class(deadline=_notice(clock, status)),
                    case_id=case_id,
                    source=GATEWAY_SOURCE,
                )
                if event is None:
                    return 0
                session.add(
                    DeadlineNoticeRow(
                        case_id=case_id,
                        clock=clock.key,
                        kind=kind,
                        due_on=clock.due_on,
                        event_id=event.id,
                    )
                )
                count += 1
            session.flush()
    except IntegrityError:
        # Another emitter announced one of these first: its transaction stands, this one
        # (events, outbox rows and notices together) is rolled back.
        log.info("deadline already announced by another emitter", case_id=case_id)
        return 0
    if count:
        log.info("deadlines announced", case_id=case_id, events=count)
    return count


async def run_emitter(
    *,
    db: Database,
    settings: Settings,
    clock: Callable[[], dt.datetime],
    announce: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
) -> None:
    """Every ``deadline_interval_seconds``, while this process holds the lock: announce what
    fell due, then call ``announce`` (in embedded mode it relays to the feeds at once; with
    Kafka it wakes the relay)."""
    interval = settings.deadline_interval_seconds
    if interval <= 0:
        return
    lock = DeadlineLock(db)
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
            if stop.is_set():
                break
            try:
                if not await asyncio.to_thread(lock.try_acquire):
                    continue  # another gateway process emits
                count = await asyncio.to_thread(emit_deadlines, db, settings=settings, now=clock())
                if count:
                    await announce()
            except Exception:
                log.exception("deadline emitter failed; retrying at the next interval")
    finally:
        await asyncio.to_thread(lock.release)
