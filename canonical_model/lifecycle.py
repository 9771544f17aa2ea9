"""A case's consolidated status, as a projection of its events.

``project(events)`` folds a case's events, in the order the gateway accepted
them, into a :class:`CaseStatus`. The gateway never stores status that cannot
be rebuilt this way: the event log is the truth, the status a cache of it.

Early events are held by the gateway until their case is known, so by the time
an event reaches this fold it always belongs to a known case; the fold itself
is still tolerant of court events whose dates arrive out of order (a hearing
recorded after a later one does not move the next date backwards).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import (
    AccusedCustody,
    Offence,
    OrderKind,
    PoliceReportKind,
    Sentence,
    Verdict,
)
from canonical_model.events import (
    ChargesheetFiled,
    CloudEvent,
    CourtCaseRegistered,
    EventPayload,
    FirRegistered,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
    PersonArrested,
)
from canonical_model.forensics import ForensicRequestStatus, ForensicVisitCheck, apply_forensic


class PoliceStage(StrEnum):
    """Where the investigation stands."""

    REGISTERED = "fir_registered"
    UNDER_INVESTIGATION = "under_investigation"
    CHARGE_SHEET_FILED = "charge_sheet_filed"
    CLOSURE_REPORT_FILED = "closure_report_filed"
    UNTRACED_REPORT_FILED = "untraced_report_filed"


class CourtStage(StrEnum):
    """Where the case stands in court."""

    NOT_IN_COURT = "not_in_court"
    AWAITING_REGISTRATION = "awaiting_registration"
    PENDING = "pending"
    DISPOSED = "disposed"


class AccusedStatus(BaseModel):
    """The status of one accused person across pillars."""

    model_config = ConfigDict(extra="forbid")

    ref: str
    name: str
    police_status: str = "named_in_fir"
    arrested_at: dt.datetime | None = None
    charge_sheeted: bool = False
    offences: list[Offence] = Field(default_factory=list)
    custody: AccusedCustody | None = None
    court_status: str = "not_in_court"
    verdict: Verdict | None = None
    sentence: Sentence | None = None
    last_order: str | None = None


class HearingSummary(BaseModel):
    """A hearing as shown on the status."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    purpose: str
    next_date: dt.date | None = None


class CaseStatus(BaseModel):
    """The consolidated status of one case across every pillar."""

    model_config = ConfigDict(extra="forbid")

    case_id: str
    identifiers: dict[str, list[str]] = Field(
        default_factory=dict, description="Every known identifier of the case, by kind."
    )
    police_station: str | None = None
    offences: list[Offence] = Field(default_factory=list)
    police_stage: PoliceStage | None = None
    police_reports: list[str] = Field(default_factory=list)
    court: str | None = None
    court_stage: CourtStage = CourtStage.NOT_IN_COURT
    last_hearing: HearingSummary | None = None
    next_hearing_date: dt.date | None = None
    next_hearing_purpose: str | None = None
    hearings_count: int = 0
    orders_count: int = 0
    judgment_date: dt.date | None = None
    accused: list[AccusedStatus] = Field(default_factory=list)
    events_count: int = 0
    last_event_at: dt.datetime | None = None
    # -- forensic labs (e-Forensics) --
    fir_registered_at: dt.datetime | None = Field(
        default=None, description="When the FIR was registered (BNSS s.176(3) counts from it)."
    )
    forensic_requests: list[ForensicRequestStatus] = Field(
        default_factory=list, description="Forensic requests, their state and reports."
    )
    forensic_visit: ForensicVisitCheck | None = Field(
        default=None,
        description="The BNSS s.176(3) check; computed when the status is read, never stored.",
    )

    def add_identifier(self, key: str) -> None:
        """Record a crosswalk key (``cnr:MHAU010012342019``) under its kind."""
        kind, _, value = key.partition(":")
        values = self.identifiers.setdefault(kind, [])
        if value not in values:
            values.append(value)

    def accused_by_ref(self, ref: str, name: str | None = None) -> AccusedStatus:
        """Return the accused with ``ref``, adding them if the case did not name them yet."""
        for person in self.accused:
            if person.ref == ref:
                return person
        person = AccusedStatus(ref=ref, name=name or ref)
        self.accused.append(person)
        return person


def apply(status: CaseStatus, event: CloudEvent) -> CaseStatus:
    """Apply one event to a case's status and return the new status (the input is not changed)."""
    new = status.model_copy(deep=True)
    payload = event.payload()
    for key in payload.introduces():
        new.add_identifier(key)
    _apply_payload(new, payload)
    new.events_count += 1
    new.last_event_at = event.time
    return new


def project(case_id: str, events: Iterable[CloudEvent]) -> CaseStatus:
    """Fold a case's events, in acceptance order, into its status."""
    status = CaseStatus(case_id=case_id)
    for event in events:
        status = apply(status, event)
    return status


def _apply_payload(status: CaseStatus, payload: EventPayload) -> None:
    match payload:
        case FirRegistered(fir=fir):
            status.police_station = str(fir.fir.police_station)
            status.fir_registered_at = fir.registered_at
            status.offences = list(fir.offences)
            status.police_stage = PoliceStage.REGISTERED
            for named in fir.accused:
                status.accused_by_ref(named.ref, named.name)
        case PersonArrested(arrest=arrest):
            person = status.accused_by_ref(arrest.person.ref, arrest.person.name)
            person.police_status = "arrested"
            person.arrested_at = arrest.arrested_at
            person.custody = AccusedCustody.ARRESTED
            if status.police_stage in (None, PoliceStage.REGISTERED):
                status.police_stage = PoliceStage.UNDER_INVESTIGATION
        case ChargesheetFiled(report=report):
            kind = report.kind.value.replace("_", " ")
            label = (
                f"{'supplementary ' if report.supplementary else ''}{kind} {report.report_number}"
            )
            status.police_reports.append(label)
            status.police_stage = {
                PoliceReportKind.CHARGE_SHEET: PoliceStage.CHARGE_SHEET_FILED,
                PoliceReportKind.CLOSURE: PoliceStage.CLOSURE_REPORT_FILED,
                PoliceReportKind.UNTRACED: PoliceStage.UNTRACED_REPORT_FILED,
            }[report.kind]
            status.court = str(report.court)
            if status.court_stage is CourtStage.NOT_IN_COURT:
                status.court_stage = CourtStage.AWAITING_REGISTRATION
            for charged in report.accused:
                person = status.accused_by_ref(charged.person.ref, charged.person.name)
                person.charge_sheeted = True
                person.offences = list(charged.offences)
                person.custody = charged.custody
                person.police_status = "charge_sheeted"
            if report.offences:
                status.offences = list(report.offences)
        case CourtCaseRegistered(court_case=court_case):
            status.court = str(court_case.establishment)
            if status.court_stage is not CourtStage.DISPOSED:
                status.court_stage = CourtStage.PENDING
            for person in status.accused:
                if person.charge_sheeted and person.verdict is None:
                    person.court_status = "under_trial"
        case HearingRecorded(hearing=hearing):
            status.hearings_count += 1
            if status.last_hearing is None or hearing.hearing_date >= status.last_hearing.date:
                status.last_hearing = HearingSummary(
                    date=hearing.hearing_date, purpose=hearing.purpose, next_date=hearing.next_date
                )
                if status.court_stage is not CourtStage.DISPOSED:
                    status.next_hearing_date = hearing.next_date
                    status.next_hearing_purpose = hearing.next_purpose
        case OrderIssued(order=order):
            status.orders_count += 1
            for ref in order.accused_refs:
                person = status.accused_by_ref(ref)
                person.last_order = f"{order.kind.value} on {order.order_date}"
                if order.kind is OrderKind.BAIL_GRANTED:
                    person.custody = AccusedCustody.ON_BAIL
                elif order.kind is OrderKind.REMAND:
                    person.custody = AccusedCustody.JUDICIAL_CUSTODY
        case JudgmentDelivered(judgment=judgment):
            status.court_stage = CourtStage.DISPOSED
            status.judgment_date = judgment.judgment_date
            status.next_hearing_date = None
            status.next_hearing_purpose = None
            for verdict in judgment.verdicts:
                person = status.accused_by_ref(verdict.accused_ref)
                person.verdict = verdict.verdict
                person.sentence = verdict.sentence
                person.court_status = verdict.verdict.value
        case _:
            apply_forensic(status.forensic_requests, payload)
