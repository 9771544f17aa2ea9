"""What the statutory clocks need to know of a case, folded from its events.

:mod:`canonical_model.clocks` computes each clock of a case (BNSS ss.58, 187, 193, 230, 232,
258, 346, 479, 480 and the rest) from the case's status. The dates those clocks start and stop
on are kept here, in one member of the status (``CaseStatus.clock_facts``), so that the
status's other members keep meaning what they meant, and so that a stored status from before
the clocks reads as one with no facts yet (every field has a default).

Dates are Indian Standard Time calendar dates: the courts and the police count days in
India's calendar, so a time of day is turned into its date in IST (UTC+05:30; India keeps no
daylight saving time), never in the server's zone.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import (
    IST,
    CustodyKind,
    HearingStage,
    InvestigationStepKind,
    Offence,
    OrderKind,
    PoliceReportKind,
    ist_date,
)
from canonical_model.events import (
    ChargesheetFiled,
    EventPayload,
    FirRegistered,
    HearingRecorded,
    InmateProduced,
    InvestigationStepRecorded,
    JudgmentDelivered,
    OrderIssued,
    PersonArrested,
)

__all__ = [
    "IST",
    "AccusedClockFacts",
    "Clock",
    "ClockFacts",
    "ClockKind",
    "ClockOrder",
    "ClockOrderKind",
    "ClockState",
    "CustodyKind",
    "Remand",
    "StepFact",
    "ist_date",
    "note_clock_facts",
]


class Remand(BaseModel):
    """One authorisation of detention by a Magistrate (BNSS s.187(2), (3); CrPC s.167(2))."""

    model_config = ConfigDict(extra="forbid")

    on: dt.date
    kind: CustodyKind = CustodyKind.UNKNOWN
    until: dt.date | None = Field(
        default=None, description="The last day of detention the order authorises, if it says."
    )
    court: str | None = None
    by: str = Field(description="What recorded it: the arrest's production, an order number.")


class AccusedClockFacts(BaseModel):
    """The dates of one accused that the per-person clocks start and stop on."""

    model_config = ConfigDict(extra="forbid")

    ref: str
    arrested_at: dt.datetime | None = None
    produced_at: dt.datetime | None = Field(
        default=None, description="First production before a Magistrate, with its time."
    )
    produced_on: dt.date | None = Field(
        default=None, description="First production before a Magistrate (its date)."
    )
    remands: list[Remand] = Field(default_factory=list)
    reported_on: dt.date | None = Field(
        default=None,
        description="The first police report (charge sheet) filed against the accused.",
    )
    bailed_on: dt.date | None = Field(
        default=None, description="The first order granting bail (the accused left custody)."
    )


class ClockOrderKind(StrEnum):
    """A court's order that moves a clock rather than the case."""

    EXTENSION = "extension"
    STAY = "stay"
    STAY_VACATED = "stay_vacated"


class ClockOrder(BaseModel):
    """An extension of a period or a stay of proceedings ordered by a court."""

    model_config = ConfigDict(extra="forbid")

    kind: ClockOrderKind
    on: dt.date
    order_number: str
    court: str
    provision: str | None = Field(
        default=None,
        description='The clock it acts on ("BNSS 232"); None for a stay of every clock.',
    )
    until: dt.date | None = Field(
        default=None, description="The new last day (an extension); the end of a stay."
    )


class StepFact(BaseModel):
    """An investigation step the police reported (BNSS ss.184, 193(3)(ii), 194)."""

    model_config = ConfigDict(extra="forbid")

    kind: InvestigationStepKind
    on: dt.date
    at: dt.datetime | None = None


class ClockFacts(BaseModel):
    """The dates of a case that its statutory clocks start and stop on."""

    model_config = ConfigDict(extra="forbid")

    accused: list[AccusedClockFacts] = Field(default_factory=list)
    offences: list[Offence] = Field(
        default_factory=list,
        description="Every offence the investigation has related to (the FIR's and every "
        "report's), once each: the periods of investigation follow the gravest of them.",
    )
    first_report_on: dt.date | None = Field(
        default=None,
        description="The first final report (charge sheet, closure or untraced; not a "
        "supplementary one): the investigation is complete (BNSS s.193(3)).",
    )
    first_charge_sheet_on: dt.date | None = Field(
        default=None, description="The first charge sheet (BNSS s.346(1) proviso counts from it)."
    )
    committed_on: dt.date | None = None
    charges_framed_on: dt.date | None = None
    judgment_on: dt.date | None = None
    orders: list[ClockOrder] = Field(default_factory=list)
    steps: list[StepFact] = Field(
        default_factory=list, description="Investigation steps reported by the police."
    )
    cognizance_on: dt.date | None = Field(
        default=None, description="Cognizance taken (a hearing's stage or a cognizance order)."
    )
    appearances: list[dt.date] = Field(
        default_factory=list,
        description="Days an accused appeared or was produced in court (a hearing's stage, a "
        "prison's production): BNSS s.230 counts from the first after the police report.",
    )
    documents_supplied_on: dt.date | None = None
    discharge_applied_on: dt.date | None = None
    charge_hearing_on: dt.date | None = Field(
        default=None, description="The first hearing on charge (BNSS ss.251(1)(b), 263(1))."
    )
    evidence_fixed_on: dt.date | None = Field(
        default=None, description="The first date fixed for taking evidence (BNSS s.480(6))."
    )
    arguments_concluded_on: dt.date | None = Field(
        default=None, description="The last completion of arguments (BNSS s.258(1))."
    )

    def step(self, kind: InvestigationStepKind) -> StepFact | None:
        """The first step of ``kind``, if reported."""
        found = [s for s in self.steps if s.kind is kind]
        return min(found, key=lambda s: (s.on, s.at is None, s.at)) if found else None

    def person(self, ref: str) -> AccusedClockFacts:
        """The facts of accused ``ref``, added when first named."""
        for person in self.accused:
            if person.ref == ref:
                return person
        person = AccusedClockFacts(ref=ref)
        self.accused.append(person)
        return person


def _first(current: dt.date | None, day: dt.date) -> dt.date:
    return day if current is None or day < current else current


def note_clock_facts(facts: ClockFacts, payload: EventPayload) -> None:
    """Fold one event into the clock facts of its case (in place)."""
    match payload:
        case FirRegistered(fir=fir):
            _note_offences(facts, fir.offences)
        case PersonArrested(arrest=arrest):
            person = facts.person(arrest.person.ref)
            if person.arrested_at is None or arrest.arrested_at < person.arrested_at:
                person.arrested_at = arrest.arrested_at
            if arrest.produced_before is not None:
                # Produced before the Magistrate (BNSS ss.58, 187(1)): the Magistrate's first
                # order of detention is made on that production.
                on = ist_date(arrest.produced_at) if arrest.produced_at else None
                if arrest.produced_at is not None and (
                    person.produced_at is None or arrest.produced_at < person.produced_at
                ):
                    person.produced_at = arrest.produced_at
                day = on or ist_date(arrest.arrested_at)
                person.produced_on = _first(person.produced_on, day)
                person.remands.append(
                    Remand(
                        on=day,
                        kind=arrest.remanded_to or CustodyKind.UNKNOWN,
                        until=arrest.remanded_until,
                        court=str(arrest.produced_before),
                        by="production on arrest",
                    )
                )
        case InvestigationStepRecorded(step=step):
            facts.steps.append(StepFact(kind=step.kind, on=step.on, at=step.at))
        case ChargesheetFiled(report=report):
            _note_offences(facts, report.offences)
            if not report.supplementary:
                facts.first_report_on = _first(facts.first_report_on, report.filed_on)
                if report.kind is PoliceReportKind.CHARGE_SHEET:
                    facts.first_charge_sheet_on = _first(
                        facts.first_charge_sheet_on, report.filed_on
                    )
            if report.kind is PoliceReportKind.CHARGE_SHEET:
                for charged in report.accused:
                    person = facts.person(charged.person.ref)
                    person.reported_on = _first(person.reported_on, report.filed_on)
        case OrderIssued(order=order):
            _note_order(facts, payload)
            if order.kind is OrderKind.COMMITTAL:
                facts.committed_on = _first(facts.committed_on, order.order_date)
            elif order.kind is OrderKind.CHARGES_FRAMED:
                facts.charges_framed_on = _first(facts.charges_framed_on, order.order_date)
            elif order.kind is OrderKind.COGNIZANCE:
                facts.cognizance_on = _first(facts.cognizance_on, order.order_date)
        case JudgmentDelivered(judgment=judgment):
            facts.judgment_on = _first(facts.judgment_on, judgment.judgment_date)
        case HearingRecorded():
            _note_hearing(facts, payload)
        case InmateProduced(production=production):
            facts.appearances.append(production.produced_on)
        case _:
            pass


def _note_hearing(facts: ClockFacts, payload: HearingRecorded) -> None:
    hearing = payload.hearing
    day = hearing.hearing_date
    match hearing.stage:
        case HearingStage.COGNIZANCE:
            facts.cognizance_on = _first(facts.cognizance_on, day)
        case HearingStage.APPEARANCE:
            facts.appearances.append(day)
        case HearingStage.DOCUMENTS_SUPPLIED:
            facts.documents_supplied_on = _first(facts.documents_supplied_on, day)
        case HearingStage.DISCHARGE_APPLICATION:
            facts.discharge_applied_on = _first(facts.discharge_applied_on, day)
        case HearingStage.CHARGE_HEARING:
            facts.charge_hearing_on = _first(facts.charge_hearing_on, day)
        case HearingStage.EVIDENCE:
            facts.evidence_fixed_on = _first(facts.evidence_fixed_on, day)
        case HearingStage.ARGUMENTS_CONCLUDED:
            # Arguments heard again (a new judge, reopened) complete again: s.258(1) counts from
            # the completion the judgment follows.
            current = facts.arguments_concluded_on
            facts.arguments_concluded_on = day if current is None or day > current else current
        case None:
            pass
    if hearing.next_stage is HearingStage.EVIDENCE and hearing.next_date is not None:
        # "the first date fixed for taking evidence" (s.480(6)): fixed at this hearing.
        facts.evidence_fixed_on = _first(facts.evidence_fixed_on, hearing.next_date)


def _note_offences(facts: ClockFacts, offences: list[Offence]) -> None:
    for offence in offences:
        if offence not in facts.offences:
            facts.offences.append(offence)


def _note_order(facts: ClockFacts, payload: OrderIssued) -> None:
    order = payload.order
    court = str(order.issuing_court)
    if order.kind in (OrderKind.REMAND, OrderKind.CUSTODY):
        # A custody warrant to a prison is judicial custody; a remand says which where the
        # court sends custody_kind (courts v1, additive), and is unknown otherwise.
        default = CustodyKind.JUDICIAL if order.kind is OrderKind.CUSTODY else CustodyKind.UNKNOWN
        for ref in order.accused_refs:
            facts.person(ref).remands.append(
                Remand(
                    on=order.order_date,
                    kind=order.custody_kind or default,
                    until=order.until,
                    court=court,
                    by=f"order {order.order_number}",
                )
            )
    elif order.kind in (OrderKind.EXTENSION, OrderKind.STAY, OrderKind.STAY_VACATED):
        facts.orders.append(
            ClockOrder(
                kind=ClockOrderKind(order.kind.value),
                on=order.order_date,
                order_number=order.order_number,
                court=court,
                provision=order.provision,
                until=order.until,
            )
        )
    elif order.kind is OrderKind.BAIL_GRANTED:
        for ref in order.accused_refs:
            person = facts.person(ref)
            person.bailed_on = _first(person.bailed_on, order.order_date)


class ClockState(StrEnum):
    """Where a clock stands on a given day."""

    DUE = "due"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"
    STAYED = "stayed"
    LAPSED = "lapsed"  # a party's period (ClockKind.PERIOD) ran out unused: no one is in breach


class ClockKind(StrEnum):
    """Whose time limit a clock is."""

    #: An institution must act by the due date: overdue after it, a breach.
    DUTY = "duty"
    #: A period a party has to act in (the accused's sixty days to apply for discharge, BNSS
    #: ss.250(1), 262(1)): the court is told when it closes; it lapses, it is never breached.
    PERIOD = "period"


class Clock(BaseModel):
    """One statutory clock of a case (or of one accused of it)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(
        description="Stable within the case: the provision, and the accused for a clock per "
        "person (an extension moves the due date, never the key)."
    )
    provision: str = Field(description='As the Act names it: "BNSS 187(3)", "CrPC 167(2)".')
    title: str
    kind: ClockKind = Field(
        default=ClockKind.DUTY,
        description="duty: the institution must act by the due date; period: a party's time "
        "to act, which lapses (the court is the institution told).",
    )
    pillar: str = Field(description="The pillar that must act: police, courts or prisons.")
    institution: str | None = Field(
        default=None, description="The police station, court or prison that must act."
    )
    accused_ref: str | None = None
    started_by: str
    started_on: dt.date
    started_at: dt.datetime | None = None
    due_on: dt.date = Field(description="The last day to act (IST).")
    due_at: dt.datetime | None = Field(
        default=None, description="For a clock of hours: the last moment to act."
    )
    stopped_by: str | None = None
    stopped_on: dt.date | None = None
    extended: bool = False
    extended_by: str | None = None
    stayed: bool = False
    stayed_by: str | None = None
    state: ClockState
    days_left: int = Field(description="Days from today to the due date (negative: overdue).")
    note: str | None = None
