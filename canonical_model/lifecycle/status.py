"""The models of a case's consolidated status: what every pillar's handler folds into.

Nothing here folds an event: the handlers (one module per pillar in this package) change
these models in place, and :mod:`canonical_model.lifecycle.fold` drives them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.authority import CourtSeizure, PrisonWarrant
from canonical_model.clock_facts import Clock, ClockFacts
from canonical_model.custody import CustodyPeriod
from canonical_model.entities import (
    AccusedCustody,
    InmateCategory,
    Offence,
    OrderKind,
    Sentence,
    Verdict,
)
from canonical_model.forensics import ForensicRequestStatus, ForensicVisitCheck
from canonical_model.privacy import ProtectedPerson
from canonical_model.prosecution import ProsecutionStatus
from canonical_model.transport import VehicleIdentity, VehicleMatch, VehicleReportKind


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
