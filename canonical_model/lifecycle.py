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

from canonical_model.authority import CourtSeizure, PrisonWarrant, SeizureGround
from canonical_model.clock_facts import Clock, ClockFacts, Remand, note_clock_facts
from canonical_model.custody import CustodyPeriod
from canonical_model.entities import (
    COURT_CHANGING_KINDS,
    AccusedCustody,
    CourtOrder,
    CustodyKind,
    InmateCategory,
    Offence,
    OrderKind,
    PoliceReportKind,
    ReleaseReason,
    Sentence,
    Verdict,
)
from canonical_model.events import (
    ChargesheetFiled,
    CloudEvent,
    CourtCaseRegistered,
    CustodialDeathReported,
    CustodyEscapeReported,
    EventPayload,
    FirRegistered,
    HearingRecorded,
    InmateAdmitted,
    InmateConvicted,
    InmateProduced,
    InmateReadmitted,
    InmateReleased,
    InmateTransferred,
    JudgmentDelivered,
    OrderIssued,
    PersonArrested,
    VehicleLinked,
    VehicleRecovered,
    VehicleReportedStolen,
    VehicleSeized,
)
from canonical_model.forensics import ForensicRequestStatus, ForensicVisitCheck, apply_forensic
from canonical_model.privacy import ProtectedPerson, fold_protected
from canonical_model.prosecution import ProsecutionStatus, apply_prosecution, next_report_version
from canonical_model.transport import (
    VehicleIdentity,
    VehicleLink,
    VehicleMatch,
    VehicleReport,
    VehicleReportKind,
)


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
    # -- prisons
    father_name: str | None = None
    prison_status: str | None = Field(
        default=None,
        description="in_custody, on_parole, on_furlough, escaped, died, or released_<reason>.",
    )
    inmate_category: InmateCategory | None = None
    prison: str | None = Field(default=None, description="The prison holding the accused now.")
    prisoner_number: str | None = Field(
        default=None, description="The current prisoner number, PRISON:NUMBER."
    )
    in_prison_since: dt.date | None = None
    first_offender: bool | None = Field(
        default=None, description="Never convicted before; None when the prison has not said."
    )
    custody_periods: list[CustodyPeriod] = Field(default_factory=list)
    prisoner_numbers: list[str] = Field(
        default_factory=list, description="Every prisoner number the accused has had in this case."
    )


class HearingSummary(BaseModel):
    """A hearing as shown on the status."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    purpose: str
    next_date: dt.date | None = None


class CaseVehicleReport(BaseModel):
    """One police report about a vehicle of the case."""

    model_config = ConfigDict(extra="forbid")

    kind: VehicleReportKind
    on: dt.date


class CaseVehicleLink(BaseModel):
    """Another case that reported the same vehicle (found by the gateway)."""

    model_config = ConfigDict(extra="forbid")

    case_id: str
    fir: str
    police_station: str
    kind: VehicleReportKind = Field(description="What the other case reported.")
    on: dt.date
    matched_on: VehicleMatch
    registration: str | None = Field(
        default=None, description="The registration the other case reported (plates may differ)."
    )
    chassis: str | None = None
    engine: str | None = None


class CaseVehicle(BaseModel):
    """A vehicle the police reported in this case, and the other cases it was found in."""

    model_config = ConfigDict(extra="forbid")

    registration: str | None = None
    chassis: str | None = None
    engine: str | None = None
    state: VehicleReportKind = Field(description="The latest report of this case about it.")
    state_on: dt.date
    reports: list[CaseVehicleReport] = Field(default_factory=list)
    links: list[CaseVehicleLink] = Field(default_factory=list)
    match: str | None = Field(
        default=None,
        description="What the gateway could not match (a chassis written short that several "
        "known vehicles end with); filled in when the status is read, never stored.",
    )

    def names(self, vehicle: VehicleIdentity) -> bool:
        """Whether ``vehicle`` shares a number with this one (within one case)."""
        pairs = (
            (self.registration, str(vehicle.registration) if vehicle.registration else None),
            (self.chassis, vehicle.chassis),
            (self.engine, vehicle.engine),
        )
        return any(mine is not None and mine == theirs for mine, theirs in pairs)


class CaseLicenceOrder(BaseModel):
    """A court order of the case suspending or revoking a driving licence."""

    model_config = ConfigDict(extra="forbid")

    licence: str
    kind: OrderKind
    order_number: str
    order_date: dt.date
    effective_from: dt.date
    effective_until: dt.date | None = None


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
    court: str | None = Field(
        default=None, description="The court seized of the case now (the latest seizure)."
    )
    seized_courts: list[CourtSeizure] = Field(
        default_factory=list,
        description="Every court seized of the case, in order: police report, remand "
        "production, committal, transfer (canonical_model.authority).",
    )
    prison_warrants: list[PrisonWarrant] = Field(
        default_factory=list,
        description="Orders of a court seized that name a prison: the prisons' authority to "
        "admit the accused.",
    )
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
    custody_alerts: list[str] = Field(
        default_factory=list,
        description="Deaths in custody and escapes, for every pillar watching the case.",
    )
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
    # -- prosecution (e-Prosecution) --
    prosecution: ProsecutionStatus = Field(
        default_factory=ProsecutionStatus,
        description="The office each police report was routed to (BNSS s.20), the prosecutor, "
        "every version of every report with its scrutiny, opinions and appeal recommendations.",
    )
    # -- transport (Vahan, Sarathi) --
    vehicles: list[CaseVehicle] = Field(
        default_factory=list,
        description="Vehicles reported stolen, recovered or seized in the case, with the other "
        "cases the gateway found them in.",
    )
    licence_orders: list[CaseLicenceOrder] = Field(
        default_factory=list, description="Driving licences the court suspended or revoked."
    )
    # -- personal data by law (canonical_model.privacy) --
    protected_persons: list[ProtectedPerson] = Field(
        default_factory=list,
        description="The persons whose identity the law shows only to some readers (victims of "
        "sexual offences, children, protected witnesses), with their labels and the names to "
        "scrub; and the victims and informant of a case without a sexual offence yet "
        "(protection null), protected as soon as one appears.",
    )

    # -- statutory clocks (canonical_model.clocks) --
    clock_facts: ClockFacts = Field(
        default_factory=ClockFacts,
        description="The dates the case's statutory clocks start and stop on (arrests, "
        "productions, remands, reports, court stages, extensions and stays).",
    )
    clocks: list[Clock] | None = Field(
        default=None,
        description="The case's statutory clocks (canonical_model.clocks.Clock); computed when "
        "the status is read, never stored.",
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
    match payload:
        case FirRegistered(fir=fir):
            status.police_station = str(fir.fir.police_station)
            status.fir_registered_at = fir.registered_at
            status.offences = list(fir.offences)
            status.police_stage = PoliceStage.REGISTERED
            for named in fir.accused:
                person = status.accused_by_ref(named.ref, named.name)
                person.father_name = named.father_name or person.father_name
        case PersonArrested(arrest=arrest):
            person = status.accused_by_ref(arrest.person.ref, arrest.person.name)
            person.father_name = arrest.person.father_name or person.father_name
            person.police_status = "arrested"
            person.arrested_at = arrest.arrested_at
            person.custody = AccusedCustody.ARRESTED
            if arrest.produced_before is not None:
                produced = arrest.produced_at or arrest.arrested_at
                _seize(
                    status,
                    court=str(arrest.produced_before),
                    ground=SeizureGround.REMAND_PRODUCTION,
                    on=produced.date(),
                    reference=f"of accused {arrest.person.ref}",
                )
            if status.police_stage in (None, PoliceStage.REGISTERED):
                status.police_stage = PoliceStage.UNDER_INVESTIGATION
        case ChargesheetFiled(report=report):
            kind = report.kind.value.replace("_", " ")
            label = (
                f"{'supplementary ' if report.supplementary else ''}{kind} {report.report_number}"
            )
            # A report filed again under its number (re-filed after the prosecution returned
            # it) is its next version: both stay listed.
            version = next_report_version(status.prosecution, report.report_number)
            status.police_reports.append(label if version == 1 else f"{label} (version {version})")
            apply_prosecution(status.prosecution, payload)
            status.police_stage = {
                PoliceReportKind.CHARGE_SHEET: PoliceStage.CHARGE_SHEET_FILED,
                PoliceReportKind.CLOSURE: PoliceStage.CLOSURE_REPORT_FILED,
                PoliceReportKind.UNTRACED: PoliceStage.UNTRACED_REPORT_FILED,
            }[report.kind]
            _seize(
                status,
                court=str(report.court),
                ground=SeizureGround.POLICE_REPORT,
                on=report.filed_on,
                reference=report.report_number,
            )
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
        case CourtCaseRegistered():
            # Only the court seized registers the case (the gateway refuses any other), so
            # the registration confirms the court; it never moves the case.
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
        case (
            InmateAdmitted()
            | InmateProduced()
            | InmateReleased()
            | InmateTransferred()
            | InmateReadmitted()
            | InmateConvicted()
            | CustodialDeathReported()
            | CustodyEscapeReported()
        ):
            _apply_custody(status, payload)
        case VehicleReportedStolen(report=r) | VehicleRecovered(report=r) | VehicleSeized(report=r):
            _apply_vehicle_report(status, payload.name, r)
        case VehicleLinked(link=link):
            _apply_vehicle_link(status, link)
        case _:
            if not apply_prosecution(status.prosecution, payload):
                apply_forensic(status.forensic_requests, payload)


# --------------------------------------------------------------------------- authority


def _seize(
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
        _seize(
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


# --------------------------------------------------------------------------- transport


def _case_vehicle(status: CaseStatus, vehicle: VehicleIdentity) -> CaseVehicle | None:
    return next((v for v in status.vehicles if v.names(vehicle)), None)


def _apply_vehicle_report(status: CaseStatus, name: str, report: VehicleReport) -> None:
    kind = VehicleReportKind(name.removeprefix("vehicle."))
    vehicle = _case_vehicle(status, report.vehicle)
    numbers = report.vehicle
    if vehicle is None:
        vehicle = CaseVehicle(state=kind, state_on=report.on)
        status.vehicles.append(vehicle)
    # A later report of the case may give a number the first one lacked.
    if vehicle.registration is None and numbers.registration is not None:
        vehicle.registration = str(numbers.registration)
    if numbers.chassis is not None and (
        vehicle.chassis is None or len(numbers.chassis) > len(vehicle.chassis)
    ):
        vehicle.chassis = numbers.chassis
    vehicle.engine = vehicle.engine or numbers.engine
    vehicle.reports.append(CaseVehicleReport(kind=kind, on=report.on))
    if report.on >= vehicle.state_on:
        vehicle.state, vehicle.state_on = kind, report.on


def _apply_vehicle_link(status: CaseStatus, link: VehicleLink) -> None:
    vehicle = _case_vehicle(status, link.vehicle)
    if vehicle is None:  # the report it links is always folded first; kept rather than lost
        vehicle = CaseVehicle(state=link.kind, state_on=link.other_on)
        status.vehicles.append(vehicle)
    other = link.other_vehicle
    vehicle.links.append(
        CaseVehicleLink(
            case_id=link.other_case_id,
            fir=str(link.other_fir),
            police_station=link.other_police_station,
            kind=link.other_kind,
            on=link.other_on,
            matched_on=link.matched_on,
            registration=str(other.registration) if other.registration else None,
            chassis=other.chassis,
            engine=other.engine,
        )
    )


# --------------------------------------------------------------------------- prisons


def _fold(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def match_accused(
    status: CaseStatus, *, accused_ref: str | None, name: str, father_name: str | None
) -> AccusedStatus | None:
    """The accused of the case an inmate is, or None.

    By the accused's reference in the case when the warrant gives it; else by name and
    father's name (how the FIR and the charge sheet identify an accused, and what a
    prison records at admission); else by name alone when exactly one accused has it.
    Names are compared case-insensitively, whitespace folded.
    """
    if accused_ref is not None:
        for person in status.accused:
            if person.ref == accused_ref:
                return person
    same_name = [p for p in status.accused if _fold(p.name) == _fold(name)]
    if father_name is not None:
        both = [p for p in same_name if _fold(p.father_name) == _fold(father_name)]
        if len(both) == 1:
            return both[0]
        same_name = [p for p in same_name if p.father_name is None]
    return same_name[0] if len(same_name) == 1 else None


def inmate_by_prisoner(status: CaseStatus, prisoner: str) -> AccusedStatus | None:
    """The accused who has (or had) ``prisoner`` (``PRISON:NUMBER``) in this case."""
    for person in status.accused:
        if prisoner in person.prisoner_numbers:
            return person
    return None


def _close_period(person: AccusedStatus, on: dt.date) -> None:
    for period in person.custody_periods:
        if period.until is None:
            period.until = on


def _open_period(person: AccusedStatus, prison: str, prisoner: str, on: dt.date) -> None:
    _close_period(person, on)
    person.custody_periods.append(CustodyPeriod(prison=prison, prisoner=prisoner, since=on))
    person.prison = prison
    person.prisoner_number = prisoner
    person.in_prison_since = on
    person.prison_status = "in_custody"
    person.custody = AccusedCustody.JUDICIAL_CUSTODY
    if prisoner not in person.prisoner_numbers:
        person.prisoner_numbers.append(prisoner)


def _leave(person: AccusedStatus, on: dt.date, state: str) -> None:
    _close_period(person, on)
    person.prison = None
    person.in_prison_since = None
    person.prison_status = state


def _apply_custody(status: CaseStatus, payload: EventPayload) -> None:
    match payload:
        case InmateAdmitted(admission=admission):
            inmate = admission.inmate
            prisoner = str(inmate.prisoner)
            person = inmate_by_prisoner(status, prisoner) or match_accused(
                status,
                accused_ref=inmate.accused_ref,
                name=inmate.name,
                father_name=inmate.father_name,
            )
            if person is None:
                # Nobody of that name is known as accused yet: the inmate is shown under the
                # prisoner number rather than dropped, and can be matched by hand later.
                person = status.accused_by_ref(prisoner, inmate.name)
            person.father_name = person.father_name or inmate.father_name
            person.inmate_category = admission.category
            person.first_offender = inmate.first_offender
            _open_period(person, inmate.prisoner.institution, prisoner, admission.admitted_on)
        case _:
            _apply_later_custody(status, payload)


def _apply_later_custody(status: CaseStatus, payload: EventPayload) -> None:
    match payload:
        case InmateProduced(production=p):
            person = inmate_by_prisoner(status, str(p.prisoner))
            if person is not None:
                how = "by video" if p.mode.value == "video" else "in person"
                person.last_order = f"produced {how} before {p.court} on {p.produced_on}"
        case InmateReleased(release=r):
            person = inmate_by_prisoner(status, str(r.prisoner))
            if person is None:
                return
            if r.reason is ReleaseReason.TRANSFER_OUT:
                _leave(person, r.released_on, "transferred_out")
                return
            if r.reason is ReleaseReason.POLICE_CUSTODY:
                # Police custody in parts after admission (BNSS s.187(2)) is still detention:
                # a period of its own, closed when the prison takes the inmate back.
                prison, prisoner = person.prison, person.prisoner_number
                _leave(person, r.released_on, "in_police_custody")
                person.custody_periods.append(
                    CustodyPeriod(
                        prison=prison or r.prisoner.institution,
                        prisoner=prisoner or str(r.prisoner),
                        since=r.released_on,
                        kind="police",
                    )
                )
                # ... and a part of the 15 days of police custody the s.187(2) clock counts.
                status.clock_facts.person(person.ref).remands.append(
                    Remand(
                        on=r.released_on,
                        kind=CustodyKind.POLICE,
                        by=f"handed to the police by {prison or r.prisoner.institution}",
                    )
                )
                return
            state = {
                ReleaseReason.PAROLE: "on_parole",
                ReleaseReason.FURLOUGH: "on_furlough",
                ReleaseReason.DEATH: "died",
                ReleaseReason.ESCAPE: "escaped",
            }.get(r.reason, f"released_{r.reason.value}")
            _leave(person, r.released_on, state)
            if r.reason is ReleaseReason.BAIL:
                person.custody = AccusedCustody.ON_BAIL
            elif r.reason is ReleaseReason.ESCAPE:
                person.custody = AccusedCustody.ABSCONDING
        case InmateTransferred(transfer=t):
            person = inmate_by_prisoner(status, str(t.prisoner))
            if person is not None:
                _open_period(
                    person, t.to_prisoner.institution, str(t.to_prisoner), t.transferred_on
                )
        case InmateReadmitted(readmission=r):
            person = inmate_by_prisoner(status, str(r.prisoner))
            if person is not None:
                _open_period(person, r.prisoner.institution, str(r.prisoner), r.readmitted_on)
                if r.after is ReleaseReason.POLICE_CUSTODY:
                    # Back in judicial custody: the part of police custody ended the day before.
                    status.clock_facts.person(person.ref).remands.append(
                        Remand(
                            on=r.readmitted_on,
                            kind=CustodyKind.JUDICIAL,
                            by=f"readmitted to {r.prisoner.institution} from police custody",
                        )
                    )
        case InmateConvicted(conviction=c):
            person = inmate_by_prisoner(status, str(c.prisoner))
            if person is not None:
                person.inmate_category = InmateCategory.CONVICT
                if c.sentence is not None:
                    person.sentence = c.sentence
        case CustodialDeathReported(death=d):
            status.custody_alerts.append(
                f"death in custody of prisoner {d.prisoner} on {d.died_on}: "
                "magisterial inquiry required (BNSS s.196(2))"
            )
            person = inmate_by_prisoner(status, str(d.prisoner))
            if person is not None:
                _leave(person, d.died_on, "died")
        case CustodyEscapeReported(escape=e):
            status.custody_alerts.append(
                f"escape from custody of prisoner {e.prisoner} on {e.escaped_on}"
            )
            person = inmate_by_prisoner(status, str(e.prisoner))
            if person is not None:
                _leave(person, e.escaped_on, "escaped")
                person.custody = AccusedCustody.ABSCONDING
        case _:
            pass
