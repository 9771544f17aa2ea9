"""The police's events (CCTNS) folded into a case's status: FIR, arrest, police report.

An investigation step is not folded here: only the statutory clocks wait for it, and
:func:`canonical_model.clock_facts.note_clock_facts` notes it before any handler runs.
"""

from __future__ import annotations

from canonical_model.authority import SeizureGround
from canonical_model.entities import AccusedCustody, PoliceReportKind
from canonical_model.events import ChargesheetFiled, FirRegistered, PersonArrested
from canonical_model.lifecycle.courts import seize
from canonical_model.lifecycle.handlers import PillarHandlers
from canonical_model.lifecycle.status import CaseStatus, CourtStage, PoliceStage
from canonical_model.prosecution import apply_prosecution, next_report_version


def _fir_registered(status: CaseStatus, payload: FirRegistered) -> None:
    fir = payload.fir
    status.police_station = str(fir.fir.police_station)
    status.fir_registered_at = fir.registered_at
    status.offences = list(fir.offences)
    status.police_stage = PoliceStage.REGISTERED
    for named in fir.accused:
        person = status.accused_by_ref(named.ref, named.name)
        person.father_name = named.father_name or person.father_name


def _person_arrested(status: CaseStatus, payload: PersonArrested) -> None:
    arrest = payload.arrest
    person = status.accused_by_ref(arrest.person.ref, arrest.person.name)
    person.father_name = arrest.person.father_name or person.father_name
    person.police_status = "arrested"
    person.arrested_at = arrest.arrested_at
    person.custody = AccusedCustody.ARRESTED
    if arrest.produced_before is not None:
        produced = arrest.produced_at or arrest.arrested_at
        seize(
            status,
            court=str(arrest.produced_before),
            ground=SeizureGround.REMAND_PRODUCTION,
            on=produced.date(),
            reference=f"of accused {arrest.person.ref}",
        )
    if status.police_stage in (None, PoliceStage.REGISTERED):
        status.police_stage = PoliceStage.UNDER_INVESTIGATION


def _chargesheet_filed(status: CaseStatus, payload: ChargesheetFiled) -> None:
    report = payload.report
    kind = report.kind.value.replace("_", " ")
    label = f"{'supplementary ' if report.supplementary else ''}{kind} {report.report_number}"
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
    seize(
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


#: The police's handlers, by payload type.
HANDLERS = PillarHandlers("police")
HANDLERS.add(FirRegistered, _fir_registered)
HANDLERS.add(PersonArrested, _person_arrested)
HANDLERS.add(ChargesheetFiled, _chargesheet_filed)
