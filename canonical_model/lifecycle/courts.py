"""The courts' events (e-Courts) folded into a case's status: registration, hearings, orders,
judgments; and which court is seized of the case and which prisons hold its warrants
(:mod:`canonical_model.authority`), which police reports and arrests move too.
"""

from __future__ import annotations

import datetime as dt

from canonical_model.authority import CourtSeizure, PrisonWarrant, SeizureGround
from canonical_model.entities import COURT_CHANGING_KINDS, AccusedCustody, CourtOrder, OrderKind
from canonical_model.events import (
    CourtCaseRegistered,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.lifecycle.handlers import PillarHandlers
from canonical_model.lifecycle.status import (
    CaseLicenceOrder,
    CaseStatus,
    CourtStage,
    HearingSummary,
)


def _court_case_registered(status: CaseStatus, payload: CourtCaseRegistered) -> None:
    # Only the court seized registers the case (the gateway refuses any other), so
    # the registration confirms the court; it never moves the case.
    if status.court_stage is not CourtStage.DISPOSED:
        status.court_stage = CourtStage.PENDING
    for person in status.accused:
        if person.charge_sheeted and person.verdict is None:
            person.court_status = "under_trial"


def _hearing_recorded(status: CaseStatus, payload: HearingRecorded) -> None:
    hearing = payload.hearing
    status.hearings_count += 1
    if status.last_hearing is None or hearing.hearing_date >= status.last_hearing.date:
        status.last_hearing = HearingSummary(
            date=hearing.hearing_date, purpose=hearing.purpose, next_date=hearing.next_date
        )
        if status.court_stage is not CourtStage.DISPOSED:
            status.next_hearing_date = hearing.next_date
            status.next_hearing_purpose = hearing.next_purpose


def _order_issued(status: CaseStatus, payload: OrderIssued) -> None:
    order = payload.order
    status.orders_count += 1
    _note_authority(status, order)
    if order.licence is not None:
        status.licence_orders.append(
            CaseLicenceOrder(
                licence=str(order.licence.licence),
                kind=order.kind,
                order_number=order.order_number,
                order_date=order.order_date,
                effective_from=order.licence.effective_from,
                effective_until=order.licence.effective_until,
            )
        )
    for ref in order.accused_refs:
        person = status.accused_by_ref(ref)
        person.last_order = f"{order.kind.value} on {order.order_date}"
        if order.kind is OrderKind.BAIL_GRANTED:
            person.custody = AccusedCustody.ON_BAIL
        elif order.kind is OrderKind.REMAND:
            person.custody = AccusedCustody.JUDICIAL_CUSTODY


def _judgment_delivered(status: CaseStatus, payload: JudgmentDelivered) -> None:
    judgment = payload.judgment
    status.court_stage = CourtStage.DISPOSED
    status.judgment_date = judgment.judgment_date
    status.next_hearing_date = None
    status.next_hearing_purpose = None
    for verdict in judgment.verdicts:
        person = status.accused_by_ref(verdict.accused_ref)
        person.verdict = verdict.verdict
        person.sentence = verdict.sentence
        person.court_status = verdict.verdict.value


# --------------------------------------------------------------------------- authority


def seize(
    status: CaseStatus,
    *,
    court: str,
    ground: SeizureGround,
    on: dt.date,
    reference: str,
    by: str | None = None,
) -> None:
    """The case is now before ``court``; a court already seized stays so (a supplementary
    report or a second remand production before it seizes nothing new)."""
    if status.court != court:
        status.seized_courts.append(
            CourtSeizure(court=court, ground=ground, on=on, reference=reference, by=by)
        )
    status.court = court


def _note_authority(status: CaseStatus, order: CourtOrder) -> None:
    """A committal or transfer moves the case; an order naming a prison is that prison's
    warrant for the accused it names."""
    if order.kind in COURT_CHANGING_KINDS and order.to_court is not None:
        seize(
            status,
            court=str(order.to_court),
            ground=(
                SeizureGround.COMMITTAL
                if order.kind is OrderKind.COMMITTAL
                else SeizureGround.TRANSFER
            ),
            on=order.order_date,
            reference=order.order_number,
            by=str(order.issuing_court),
        )
    if order.prison is not None:
        status.prison_warrants.append(
            PrisonWarrant(
                prison=order.prison,
                court=str(order.issuing_court),
                order_number=order.order_number,
                kind=order.kind.value,
                on=order.order_date,
                accused_refs=list(order.accused_refs),
            )
        )


#: The courts' handlers, by payload type.
HANDLERS = PillarHandlers("courts")
HANDLERS.add(CourtCaseRegistered, _court_case_registered)
HANDLERS.add(HearingRecorded, _hearing_recorded)
HANDLERS.add(OrderIssued, _order_issued)
HANDLERS.add(JudgmentDelivered, _judgment_delivered)
