"""A case as a reader may see it: found by any identifier, the reader's right to it checked,
its status with the clocks and vehicle matches of now, and the persons the law keeps from the
reader by label. One composition for every way in (``GET /v1/cases/{ref}`` and its timeline,
the console's case page), so that none of them can show more, or less, than another."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from gateway.services.auth import Client
from gateway.services.cases import (
    case_status,
    check_can_read,
    disclose_status,
    load_case,
    resolve_case_id,
    timeline,
)
from gateway.services.deadlines import with_clocks
from gateway.services.policies import PolicyRegistry
from gateway.services.vehicle_lookups import with_vehicle_matches
from gateway.settings import Settings


def case_view(
    session: Session,
    *,
    client: Client,
    ref: str,
    policies: PolicyRegistry,
    settings: Settings,
    now: dt.datetime,
) -> tuple[str, dict[str, Any]]:
    """(case id, status) of the case ``ref`` names, as ``client`` may read it: the s.176(3)
    check and the statutory clocks computed for ``now`` (never stored), the vehicles linked to
    other cases, and victims of sexual offences, children and protected witnesses by label to
    anyone the law does not show them to (BNS s.72, JJ Act 2015 s.74, BNSS s.398). Raises
    NotFound for a case the client may not read, exactly as for an unknown one."""
    case = load_case(session, resolve_case_id(session, ref))
    check_can_read(client, case, ref=ref, policies=policies)
    status = with_vehicle_matches(session, case_status(session, case))
    status = with_clocks(status, settings=settings, now=now)
    return case.id, disclose_status(session, client, status)


def case_timeline(
    session: Session, *, client: Client, ref: str, policies: PolicyRegistry
) -> tuple[str, list[dict[str, Any]]]:
    """(case id, events in order) of the case ``ref`` names, as ``client`` may read them: the
    events' data for the police and operators only, protected persons by label as in
    :func:`case_view`. Raises NotFound as :func:`case_view` does."""
    case = load_case(session, resolve_case_id(session, ref))
    check_can_read(client, case, ref=ref, policies=policies)
    events = timeline(
        session,
        case.id,
        with_data=client.pillar in ("police", "operator"),
        client=client,
        status=case_status(session, case),
    )
    return case.id, events
