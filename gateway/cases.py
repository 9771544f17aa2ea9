"""Reading cases: resolve any identifier to a case, its status and its timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from canonical_model.errors import Forbidden, InvalidIdentifier, NotFound
from canonical_model.events import CloudEvent
from canonical_model.forensics import forensic_visit_check
from canonical_model.identifiers import (
    InstitutionNumber,
    LabCaseNumber,
    PrisonerNumber,
    ProsecutionNumber,
    ProsecutionOffice,
    parse_any,
)
from canonical_model.lifecycle import CaseStatus, project
from canonical_model.prosecution import office_covers_case
from gateway.auth import Client, police_covers
from gateway.ids import is_case_id
from gateway.settings import Settings
from gateway.tables import CaseRow, CrosswalkRow, EventRow

#: Numbers local to an institution that the crosswalk knows a case by: a prisoner number
#: (from the admission), a lab case number (from the acknowledgement) and a prosecution number
#: (from the prosecutor's assignment). All are written ``INSTITUTION:NUMBER``.
INSTITUTION_NUMBERS: tuple[type[InstitutionNumber], ...] = (
    PrisonerNumber,
    LabCaseNumber,
    ProsecutionNumber,
)


def resolve_case_id(session: Session, ref: str) -> str:
    """The case id for ``ref``: a gateway case id, a CNR, an FIR, a court case number, or a
    prisoner, lab case or prosecution number (``HARSUL_CP:UT/12/2026``)."""
    ref = ref.strip()
    if is_case_id(ref):
        if session.get(CaseRow, ref) is None:
            raise NotFound(f"no case {ref}")
        return ref
    try:
        identifier = parse_any(ref)
    except InvalidIdentifier as exc:
        if ":" in ref:
            return _by_institution_number(session, ref)
        raise InvalidIdentifier(
            "case reference",
            ref,
            "ref",
            "not a case id (case_...), CNR (MHAU010012342019), FIR (MH/AU/CIDCO/2024/0123), "
            "court case number (MHAU01/SC/123/2024) or a prisoner, lab case or prosecution "
            f"number (HARSUL_CP:UT/12/2026): {exc.reason}",
        ) from None
    row = session.get(CrosswalkRow, identifier.key())
    if row is None:
        raise NotFound(f"no case known by {identifier.kind.upper()} {identifier}")
    return row.case_id


def _by_institution_number(session: Session, ref: str) -> str:
    """The case a prisoner, lab case or prosecution number belongs to: the three share one
    written form, so each kind is tried in the crosswalk."""
    tried: list[str] = []
    for cls in INSTITUTION_NUMBERS:
        try:
            number = cls.parse(ref)
        except InvalidIdentifier as exc:
            tried.append(f"{cls.kind} ({exc.part}: {exc.reason})")
            continue
        row = session.get(CrosswalkRow, number.key())
        if row is not None:
            return row.case_id
        tried.append(f"{cls.kind}: not known")
    parsed = [t for t in tried if t.endswith("not known")]
    if parsed:
        raise NotFound(f"no case known by prisoner, lab case or prosecution number {ref}")
    raise InvalidIdentifier("case reference", ref, "ref", "tried " + "; ".join(tried))


def load_case(session: Session, case_id: str) -> CaseRow:
    """The case row, or NotFound."""
    case = session.get(CaseRow, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case


def check_can_read(client: Client, case: CaseRow) -> None:
    """Police read the cases of their jurisdiction, courts the cases filed before them, prisons
    the cases of their inmates, laboratories the cases they examine exhibits of, prosecution
    offices the cases of their area, operators every case."""
    if client.pillar == "operator":
        return
    if client.pillar == "police" and police_covers(client.institution, case.police_station):
        return
    if client.pillar == "courts" and case.court == client.institution:
        return
    if client.pillar == "prisons" and client.institution in holding_prisons(case):
        return
    # A laboratory sees the cases whose exhibits it was asked to examine.
    if client.pillar == "forensics" and client.institution in requested_labs(case):
        return
    # A prosecution office deals with any proceeding of its area (BNSS s.20(10)).
    if client.pillar == "prosecution" and office_covers_case(
        ProsecutionOffice.parse(client.institution), case.police_station
    ):
        return
    raise Forbidden(f"case {case.id} is outside the jurisdiction of {client.institution}")


def requested_labs(case: CaseRow) -> set[str]:
    """Every laboratory the police sent a forensic request of the case to."""
    requests = (case.status or {}).get("forensic_requests") or []
    return {r["lab"] for r in requests if isinstance(r, dict) and r.get("lab")}


def holding_prisons(case: CaseRow) -> set[str]:
    """Every prison that holds or held an accused of the case: they see the case."""
    accused = (case.status or {}).get("accused") or []
    return {
        str(period["prison"])
        for person in accused
        for period in person.get("custody_periods") or []
        if isinstance(period, dict) and period.get("prison")
    }


def case_status(session: Session, case: CaseRow) -> CaseStatus:
    """The stored status of a case."""
    return CaseStatus.model_validate(case.status)


def with_forensic_visit(status: CaseStatus, *, settings: Settings, now: dt.datetime) -> CaseStatus:
    """The status with its BNSS s.176(3) check, computed for ``now`` (it changes with time,
    so it is never stored)."""
    state = status.police_station.split("/", 1)[0] if status.police_station else None
    check = forensic_visit_check(
        state=state,
        registered_at=status.fir_registered_at,
        offences=status.offences,
        forensic_requests=len(status.forensic_requests),
        now=now,
        days=settings.forensic_visit_days,
        mandate=settings.forensic_mandate(),
    )
    return status.model_copy(update={"forensic_visit": check})


def case_events(session: Session, case_id: str) -> list[EventRow]:
    """A case's events, in the order the gateway accepted them."""
    return list(
        session.exec(
            select(EventRow).where(EventRow.case_id == case_id).order_by(col(EventRow.sequence))
        ).all()
    )


def rebuild_status(session: Session, case_id: str) -> CaseStatus:
    """Recompute a case's status from its events alone (the event log is the truth)."""
    events = [CloudEvent.model_validate(row.envelope) for row in case_events(session, case_id)]
    return project(case_id, events)


def timeline(session: Session, case_id: str, *, with_data: bool) -> list[dict[str, Any]]:
    """The case's events as a timeline: when, what, from which pillar and message.

    Event data carries the names of victims and juveniles, which BNS s.72 and the
    Juvenile Justice Act keep from anyone not entitled to them, so only the police
    and operators get ``data``; others get the summaries.
    """
    entries: list[dict[str, Any]] = []
    for row in case_events(session, case_id):
        event = CloudEvent.model_validate(row.envelope)
        entries.append(
            {
                "sequence": row.sequence,
                "event_id": row.id,
                "type": row.type,
                "time": row.time.isoformat(),
                "pillar": row.pillar,
                "source": row.source,
                "receipt_id": row.receipt,
                "summary": event.payload().summary(),
            }
        )
        if with_data:
            entries[-1]["data"] = event.data
    return entries
