"""Reading cases: resolve any identifier to a case, its status and its timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from canonical_model.errors import InvalidIdentifier, NotFound
from canonical_model.events import CloudEvent
from canonical_model.forensics import forensic_visit_check
from canonical_model.identifiers import (
    InstitutionNumber,
    LabCaseNumber,
    PrisonerNumber,
    ProsecutionNumber,
    parse_any,
)
from canonical_model.lifecycle import CaseStatus, project
from gateway.services.auth import Client
from gateway.services.disclosure import disclosed_status, disclosed_timeline
from gateway.services.policies import PolicyRegistry, default_policies
from gateway.settings import Settings
from gateway.store.ids import is_case_id
from gateway.store.tables import CaseRow, CrosswalkRow, EventRow

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
            raise NotFound(not_known(ref))
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
        raise NotFound(not_known(ref))
    return row.case_id


def not_known(ref: str) -> str:
    """What a caller is told of a case it cannot read, known or not: the same words either
    way, so that the answer is no oracle of which cases exist."""
    return f"no case known by {ref.strip()!r} that this key may read"


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
        raise NotFound(not_known(ref))
    raise InvalidIdentifier("case reference", ref, "ref", "tried " + "; ".join(tried))


def load_case(session: Session, case_id: str) -> CaseRow:
    """The case row, or NotFound."""
    case = session.get(CaseRow, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case


def check_can_read(
    client: Client,
    case: CaseRow,
    *,
    ref: str | None = None,
    policies: PolicyRegistry | None = None,
) -> None:
    """Raise NotFound unless the caller's pillar policy entitles it to read the case: police
    their jurisdiction's cases, courts the cases they are or were seized of, prisons the cases
    of their inmates, laboratories the cases they examine exhibits of, prosecution offices the
    cases of their area, operators every case.

    Anyone else is told exactly what a caller asking for an unknown case is told
    (:func:`not_known`, 404): a case that is not yours does not exist for you.
    """
    if not can_read(client, case, policies=policies):
        raise NotFound(not_known(ref if ref is not None else case.id))


def can_read(client: Client, case: CaseRow, *, policies: PolicyRegistry | None = None) -> bool:
    """Whether ``client`` may read ``case`` (see :func:`check_can_read`)."""
    policy = (policies or default_policies()).get(client.pillar)
    return policy.entitled(client.institution, CaseStatus.model_validate(case.status))


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


def timeline(
    session: Session,
    case_id: str,
    *,
    with_data: bool,
    client: Client | None = None,
    status: CaseStatus | None = None,
) -> list[dict[str, Any]]:
    """The case's events as a timeline: when, what, from which pillar and message.

    Only the police and operators get ``data``; others get the summaries. Read by ``client``
    (whose case ``status`` is), persons the law keeps from it (victims of sexual offences,
    children, protected witnesses: BNS s.72, JJ Act 2015 s.74, BNSS s.398) are labels in the
    summaries and in the data (:mod:`gateway.services.disclosure`).
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
    if client is None:
        return entries
    status = status if status is not None else case_status(session, load_case(session, case_id))
    return disclosed_timeline(
        session, status, entries, pillar=client.pillar, institution=client.institution
    )


def disclose_status(
    session: Session, client: Client, status: CaseStatus, tree: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The case's status as ``client`` may read it: ``tree`` (the status's JSON, by default
    ``status.model_dump(mode="json")``) with the persons the law keeps from the client (victims
    of sexual offences, children in conflict with law, protected witnesses) as labels in every
    member and every text, and ``protected_persons`` reduced to their labels and kinds."""
    tree = tree if tree is not None else status.model_dump(mode="json")
    return disclosed_status(
        session, status, tree, pillar=client.pillar, institution=client.institution
    )
