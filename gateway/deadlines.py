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

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, col, select

from canonical_model.clock_facts import IST
from canonical_model.clocks import Clock, ClockState, clocks
from canonical_model.errors import Forbidden
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import police_covers
from gateway.auth import Client
from gateway.cases import with_forensic_visit
from gateway.settings import Settings
from gateway.tables import CaseRow

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
