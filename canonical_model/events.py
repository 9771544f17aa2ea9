"""Case lifecycle events and their CloudEvents 1.0 envelope.

Each event type has one typed payload class. A payload knows which case
references it *needs* (``needs``: the case must already be known through one of
them) and which identifiers it *introduces* into the crosswalk. That is what
lets the gateway hold an early message and release it when the case it refers
to becomes known, without knowing any pillar's format.

The envelope follows the CloudEvents 1.0 specification
(github.com/cloudevents/spec, ``spec.md``): required ``id``, ``source``,
``specversion``, ``type``; optional ``subject``, ``time``,
``datacontenttype``, ``dataschema``. Extension attribute names are lower-case
alphanumerics of at most 20 characters, hence ``icjspillar``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from canonical_model.entities import (
    Admission,
    Arrest,
    Conviction,
    CourtCase,
    CourtOrder,
    CustodialDeath,
    CustodyEscape,
    FirRecord,
    Hearing,
    InvestigationStep,
    Judgment,
    PoliceReport,
    Production,
    Readmission,
    Release,
    Transfer,
)
from canonical_model.errors import UnknownMessageType
from canonical_model.forensic_records import (
    ForensicAcknowledgement,
    ForensicReport,
    ForensicRequest,
    LabCustody,
    report_key,
    request_key,
)
from canonical_model.identifiers import Cnr, Fir, PrisonerNumber, ProsecutionOffice
from canonical_model.prosecution_records import (
    AppealRecommendation,
    LegalOpinion,
    ProsecutorAssignment,
    ScrutinyResult,
)
from canonical_model.transport import LicenceRecord, VehicleLink, VehicleRecord, VehicleReport

#: Version of the canonical schema; event data is versioned with it.
SCHEMA_VERSION = "v1"
EVENT_TYPE_PREFIX = "icjs."


class EventPayload(BaseModel):
    """Base of every event payload. Subclasses set ``name`` (``fir.registered``) and ``pillar``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    #: The pillar whose messages produce this event.
    pillar: ClassVar[str]
    #: The event family: the Kafka topic is ``icjs.<family>.<version>``.
    family: ClassVar[str] = "case"

    @classmethod
    def event_type(cls) -> str:
        """The CloudEvents ``type`` attribute, e.g. ``icjs.fir.registered``."""
        return EVENT_TYPE_PREFIX + cls.name

    def needs(self) -> list[str]:
        """Crosswalk keys of which at least one must already be known for this event to apply."""
        return []

    def introduces(self) -> list[str]:
        """Crosswalk keys this event makes known for its case."""
        return []

    def summary(self) -> str:
        """A one-line human description for timelines and logs."""
        return self.name


class FirRegistered(EventPayload):
    """An FIR was registered at a police station: the case begins."""

    name = "fir.registered"
    pillar = "police"
    fir: FirRecord

    def introduces(self) -> list[str]:
        """The FIR number becomes a key of the case."""
        return [self.fir.fir.key()]

    def summary(self) -> str:
        """Describe the FIR."""
        offences = ", ".join(str(o) for o in self.fir.offences)
        return f"FIR {self.fir.fir} registered under {offences}"


class PersonArrested(EventPayload):
    """An accused person of a known FIR was arrested."""

    name = "person.arrested"
    pillar = "police"
    arrest: Arrest

    def needs(self) -> list[str]:
        """The FIR must be known."""
        return [self.arrest.fir.key()]

    def summary(self) -> str:
        """Describe the arrest."""
        return f"{self.arrest.person.name} ({self.arrest.person.ref}) arrested"


class InvestigationStepRecorded(EventPayload):
    """A step of an investigation a statutory clock waits for (BNSS ss.184, 193(3)(ii), 194):
    one police message with a kind (see :class:`canonical_model.entities.InvestigationStep`
    for why one type rather than one per step)."""

    name = "investigation.step"
    pillar = "police"
    step: InvestigationStep

    def needs(self) -> list[str]:
        """The FIR must be known."""
        return [self.step.fir.key()]

    def summary(self) -> str:
        """Describe the step."""
        return f"investigation step: {self.step.kind.value.replace('_', ' ')} on {self.step.on}"


class ChargesheetFiled(EventPayload):
    """A police report (charge sheet, closure, untraced; original or supplementary) was filed
    in court (BNSS s.193)."""

    name = "chargesheet.filed"
    pillar = "police"
    report: PoliceReport
    # -- prosecution: written by the gateway at ingest from the case (the police send the same
    # report number again when they re-file a report the prosecution returned); both are kept.
    report_version: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="Which filing of the report number this is: 1, then 2 after a re-filing. "
        "Written by the gateway; a value the police send is replaced.",
    )

    def needs(self) -> list[str]:
        """The FIR must be known."""
        return [self.report.fir.key()]

    def summary(self) -> str:
        """Describe the report."""
        kind = self.report.kind.value.replace("_", " ")
        sup = "supplementary " if self.report.supplementary else ""
        again = f" (version {self.report_version})" if (self.report_version or 1) > 1 else ""
        return f"{sup}{kind} {self.report.report_number}{again} filed in {self.report.court}"


class CourtCaseRegistered(EventPayload):
    """A court registered the case and assigned its CNR: links FIR and CNR."""

    name = "court_case.registered"
    pillar = "courts"
    court_case: CourtCase

    def needs(self) -> list[str]:
        """The FIR the case was registered on, when the court names one."""
        return [self.court_case.fir.key()] if self.court_case.fir else []

    def introduces(self) -> list[str]:
        """CNR and case numbers become keys of the case."""
        keys = [self.court_case.cnr.key()]
        for number in (self.court_case.filing_number, self.court_case.registration_number):
            if number is not None:
                keys.append(number.key())
        return keys

    def summary(self) -> str:
        """Describe the registration."""
        number = self.court_case.registration_number or self.court_case.filing_number
        return f"registered in {self.court_case.establishment} as {number or '-'}, CNR {self.court_case.cnr}"


class HearingRecorded(EventPayload):
    """A hearing of a court case was held or fixed."""

    name = "hearing.recorded"
    pillar = "courts"
    hearing: Hearing

    def needs(self) -> list[str]:
        """The CNR must be linked to a case."""
        return [self.hearing.cnr.key()]

    def summary(self) -> str:
        """Describe the hearing."""
        nxt = f", next on {self.hearing.next_date}" if self.hearing.next_date else ""
        return f"hearing on {self.hearing.hearing_date}: {self.hearing.purpose}{nxt}"


def _institutions(numbers: list[PrisonerNumber]) -> list[str]:
    """The institutions of ``numbers``, each once, in order."""
    return list(dict.fromkeys(number.institution for number in numbers))


class OrderIssued(EventPayload):
    """A court issued an order in a case."""

    name = "order.issued"
    pillar = "courts"
    order: CourtOrder
    # -- prisons: the prisoner numbers of the accused it concerns who are in prison, filled in
    # by the gateway at ingest from the case's custody (the court does not know them); they
    # route the order to the prison's feed and tell the prison whom it concerns.
    inmates: list[PrisonerNumber] = Field(default_factory=list)

    def prisons(self) -> list[str]:
        """The prisons whose feeds the order goes to: the one it names, else every prison
        holding an accused it concerns (two accused may be held in two prisons)."""
        if self.order.prison is not None:
            return [self.order.prison]
        return _institutions(self.inmates)

    def needs(self) -> list[str]:
        """The CNR must be linked to a case."""
        return [self.order.cnr.key()]

    def summary(self) -> str:
        """Describe the order."""
        return (
            f"order {self.order.order_number} ({self.order.kind.value}) of {self.order.order_date}"
        )


class JudgmentDelivered(EventPayload):
    """A court delivered judgment: the case is disposed of."""

    name = "judgment.delivered"
    pillar = "courts"
    judgment: Judgment
    # -- prisons: the prisoner numbers of the accused in prison, filled in by the gateway at
    # ingest; route the judgment (a conviction warrant with the sentence, or a release on
    # acquittal) to the prison.
    inmates: list[PrisonerNumber] = Field(default_factory=list)

    # -- prosecution: the office that handles the case (the assigned prosecutor's, else the one
    # its police report was routed to), filled in by the gateway at ingest; the judgment goes to
    # its feed so that it can recommend whether to appeal.
    prosecution_office: ProsecutionOffice | None = Field(
        default=None,
        description="The prosecution office handling the case (BNSS s.20), written by the gateway.",
    )

    def prisons(self) -> list[str]:
        """The prisons whose feeds the judgment goes to: every prison holding an accused."""
        return _institutions(self.inmates)

    def needs(self) -> list[str]:
        """The CNR must be linked to a case."""
        return [self.judgment.cnr.key()]

    def summary(self) -> str:
        """Describe the judgment."""
        parts = [f"{v.accused_ref} {v.verdict.value}" for v in self.judgment.verdicts]
        return f"judgment of {self.judgment.judgment_date}: " + ", ".join(parts)


# -- forensic labs (e-Forensics) ----------------------------------------------------------


class ForensicRequested(EventPayload):
    """The police asked a forensic laboratory to examine exhibits of a known FIR."""

    name = "forensic.requested"
    pillar = "police"
    request: ForensicRequest

    def needs(self) -> list[str]:
        """The FIR must be known."""
        return [self.request.fir.key()]

    def introduces(self) -> list[str]:
        """The police-side request id becomes a key of the case."""
        return [request_key(self.request.request_id)]

    def summary(self) -> str:
        """Describe the request."""
        kinds = ", ".join(k.value for k in self.request.examinations)
        return (
            f"forensic request {self.request.request_id} to {self.request.lab}: "
            f"{len(self.request.exhibits)} exhibit(s) for {kinds}"
        )


class ForensicAcknowledged(EventPayload):
    """A laboratory took up a request and gave it a laboratory case number."""

    name = "forensic.acknowledged"
    pillar = "forensics"
    acknowledgement: ForensicAcknowledgement

    def needs(self) -> list[str]:
        """The request must be known."""
        return [request_key(self.acknowledgement.request_id)]

    def introduces(self) -> list[str]:
        """The laboratory case number becomes a key of the case."""
        return [self.acknowledgement.lab_case.key()]

    def summary(self) -> str:
        """Describe the acknowledgement."""
        ack = self.acknowledgement
        return f"forensic request {ack.request_id} acknowledged as lab case {ack.lab_case}"


class ForensicCustodyRecorded(EventPayload):
    """A laboratory recorded chain-of-custody entries under its case number."""

    name = "forensic.custody_recorded"
    pillar = "forensics"
    custody: LabCustody

    def needs(self) -> list[str]:
        """The laboratory case number must be known (the acknowledgement makes it so)."""
        return [self.custody.lab_case.key()]

    def summary(self) -> str:
        """Describe the entries."""
        actions = ", ".join(f"{e.exhibit_id} {e.action.value}" for e in self.custody.entries)
        return f"lab case {self.custody.lab_case}: {actions}"


class ForensicReported(EventPayload):
    """A laboratory issued its examination report."""

    name = "forensic.reported"
    pillar = "forensics"
    report: ForensicReport

    def needs(self) -> list[str]:
        """The laboratory case number must be known."""
        return [self.report.lab_case.key()]

    def introduces(self) -> list[str]:
        """The report number (qualified by the lab) becomes a key: a revision refers to it."""
        return [self.report.key()]

    def summary(self) -> str:
        """Describe the report."""
        return f"forensic report {self.report.report_number} of lab case {self.report.lab_case}"


class ForensicReportRevised(EventPayload):
    """A laboratory issued a report that supersedes an earlier one, which stays on record."""

    name = "forensic.report_revised"
    pillar = "forensics"
    report: ForensicReport

    @model_validator(mode="after")
    def _names_what_it_supersedes(self) -> ForensicReportRevised:
        if self.report.supersedes is None:
            raise ValueError("a revision names the report it supersedes (report.supersedes)")
        return self

    def needs(self) -> list[str]:
        """The report superseded must be known (a revision arriving first waits for it)."""
        return [report_key(self.report.lab_case.institution, self.report.supersedes or "")]

    def introduces(self) -> list[str]:
        """The revision's own number becomes a key: it may be revised in turn."""
        return [self.report.key()]

    def summary(self) -> str:
        """Describe the revision."""
        return (
            f"forensic report {self.report.report_number} supersedes {self.report.supersedes} "
            f"(lab case {self.report.lab_case})"
        )


#: The forensic events, in the order of the path (request, acknowledgement, custody, reports).
FORENSIC_EVENTS: tuple[type[EventPayload], ...] = (
    ForensicRequested,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
)


# --------------------------------------------------------------------------- prisons
# Custody events. Each names its inmate by prisoner number (institution-qualified); the
# admission finds its case through the warrant's CNR or FIR and introduces the prisoner
# number, so that later messages naming only the prisoner number find the case too.


def _case_keys_then_prisoner(prisoner_key: str, *case_keys: str) -> list[str]:
    # A case reference the message carries is tried first: it is what the prison was told.
    return [*case_keys, prisoner_key]


class InmateAdmitted(EventPayload):
    """A person was admitted to a prison on a warrant or remand order."""

    name = "custody.admitted"
    pillar = "prisons"
    admission: Admission

    def needs(self) -> list[str]:
        """The warrant's CNR or FIR must be known."""
        return self.admission.warrant.case_keys()

    def introduces(self) -> list[str]:
        """The prisoner number becomes a key of the case."""
        return [self.admission.inmate.prisoner.key()]

    def summary(self) -> str:
        """Describe the admission."""
        a = self.admission
        return (
            f"{a.inmate.name} admitted to {a.inmate.prisoner.institution} as {a.category.value} "
            f"{a.inmate.prisoner.number} on {a.admitted_on} ({a.warrant.kind.value} of {a.warrant.court})"
        )


class InmateProduced(EventPayload):
    """An inmate was produced before a court, in person or by video."""

    name = "custody.produced"
    pillar = "prisons"
    production: Production

    def needs(self) -> list[str]:
        """The prisoner number (or the CNR it names) must be known."""
        p = self.production
        return _case_keys_then_prisoner(p.prisoner.key(), *([p.cnr.key()] if p.cnr else []))

    def summary(self) -> str:
        """Describe the production."""
        p = self.production
        how = "by video" if p.mode.value == "video" else "in person"
        return f"prisoner {p.prisoner} produced {how} before {p.court} on {p.produced_on}"


class InmateReleased(EventPayload):
    """An inmate left the prison (bail, acquittal, sentence completed, parole, furlough,
    transfer out)."""

    name = "custody.released"
    pillar = "prisons"
    release: Release

    def needs(self) -> list[str]:
        """The prisoner number must be known."""
        order = self.release.order
        return _case_keys_then_prisoner(
            self.release.prisoner.key(), *(order.case_keys() if order else [])
        )

    def summary(self) -> str:
        """Describe the release."""
        r = self.release
        return (
            f"prisoner {r.prisoner} released on {r.released_on}: {r.reason.value.replace('_', ' ')}"
        )


class InmateTransferred(EventPayload):
    """An inmate was transferred to another prison, under a new prisoner number there."""

    name = "custody.transferred"
    pillar = "prisons"
    transfer: Transfer

    def needs(self) -> list[str]:
        """The prisoner number at the prison of departure must be known."""
        return [self.transfer.prisoner.key()]

    def introduces(self) -> list[str]:
        """The number at the receiving prison becomes a key of the case."""
        return [self.transfer.to_prisoner.key()]

    def summary(self) -> str:
        """Describe the transfer."""
        t = self.transfer
        return f"prisoner {t.prisoner} transferred to {t.to_prisoner} on {t.transferred_on}"


class InmateReadmitted(EventPayload):
    """An inmate came back after parole, furlough or escape."""

    name = "custody.readmitted"
    pillar = "prisons"
    readmission: Readmission

    def needs(self) -> list[str]:
        """The prisoner number must be known."""
        return [self.readmission.prisoner.key()]

    def summary(self) -> str:
        """Describe the readmission."""
        r = self.readmission
        return f"prisoner {r.prisoner} readmitted on {r.readmitted_on} after {r.after.value}"


class InmateConvicted(EventPayload):
    """An undertrial was convicted: from now on a convict, held on a conviction warrant."""

    name = "custody.convicted"
    pillar = "prisons"
    conviction: Conviction

    def needs(self) -> list[str]:
        """The prisoner number (or the warrant's CNR or FIR) must be known."""
        c = self.conviction
        return _case_keys_then_prisoner(c.prisoner.key(), *c.warrant.case_keys())

    def summary(self) -> str:
        """Describe the conviction."""
        c = self.conviction
        return f"prisoner {c.prisoner} now a convict from {c.convicted_on} ({c.warrant.court})"


class CustodialDeathReported(EventPayload):
    """A death in custody. Every pillar watching the case sees it; a Judicial or Metropolitan
    Magistrate must hold an inquiry (BNSS s.196(2), CrPC s.176(1A))."""

    name = "custody.death"
    pillar = "prisons"
    death: CustodialDeath

    def needs(self) -> list[str]:
        """The prisoner number must be known."""
        return [self.death.prisoner.key()]

    def summary(self) -> str:
        """Describe the death, and the inquiry it requires."""
        d = self.death
        return (
            f"DEATH IN CUSTODY of prisoner {d.prisoner} on {d.died_on}: "
            "magisterial inquiry required (BNSS s.196(2))"
        )


class CustodyEscapeReported(EventPayload):
    """An inmate escaped from custody; every pillar watching the case sees it."""

    name = "custody.escape"
    pillar = "prisons"
    escape: CustodyEscape

    def needs(self) -> list[str]:
        """The prisoner number must be known."""
        return [self.escape.prisoner.key()]

    def summary(self) -> str:
        """Describe the escape."""
        return f"ESCAPE from custody of prisoner {self.escape.prisoner} on {self.escape.escaped_on}"


#: Every custody event class (the prisons pillar's inbound events).
CUSTODY_EVENTS: tuple[type[EventPayload], ...] = (
    InmateAdmitted,
    InmateProduced,
    InmateReleased,
    InmateTransferred,
    InmateReadmitted,
    InmateConvicted,
    CustodialDeathReported,
    CustodyEscapeReported,
)


# -- vehicles and licences (transport: Vahan, Sarathi) ------------------------------------


class _VehicleReported(EventPayload):
    """Base of the police's vehicle events: a report about a vehicle in a known FIR."""

    pillar = "police"
    report: VehicleReport

    def needs(self) -> list[str]:
        """The FIR must be known."""
        return [self.report.fir.key()]

    def summary(self) -> str:
        """Describe the report."""
        verb = self.name.removeprefix("vehicle.")
        return f"vehicle {self.report.vehicle.describe()} {verb} on {self.report.on}"


class VehicleReportedStolen(_VehicleReported):
    """The police reported a vehicle stolen (the FIR of the theft)."""

    name = "vehicle.stolen"


class VehicleRecovered(_VehicleReported):
    """The police recovered a vehicle (a stolen one found again)."""

    name = "vehicle.recovered"


class VehicleSeized(_VehicleReported):
    """The police seized a vehicle as case property (BNSS s.106, CrPC s.102)."""

    name = "vehicle.seized"


class VehicleLinked(EventPayload):
    """The gateway linked a vehicle reported in this case to a report of the same vehicle in
    another case (a theft and a recovery or seizure), so that the police of both see it."""

    name = "vehicle.linked"
    pillar = "gateway"
    link: VehicleLink

    def needs(self) -> list[str]:
        """The FIR of the case the link is told to."""
        return [self.link.fir.key()]

    def summary(self) -> str:
        """Describe the link."""
        link = self.link
        return (
            f"vehicle {link.vehicle.describe()} {link.kind.value} here was "
            f"{link.other_kind.value} on {link.other_on} in FIR {link.other_fir} "
            f"({link.other_police_station}, case {link.other_case_id}), "
            f"as {link.other_vehicle.describe()}; matched on {link.matched_on.value}"
        )


class VehicleRecordReceived(EventPayload):
    """The vehicle registry (Vahan) sent a registration record, pushed or in answer to a
    look-up (``in_reply_to`` names the feed event that asked)."""

    name = "vehicle.record"
    pillar = "transport"
    family = "registry"
    record: VehicleRecord
    in_reply_to: str | None = None

    def summary(self) -> str:
        """Describe the record."""
        r = self.record
        return f"Vahan record of {r.registration}: {r.status.value}, owner {r.owner.name}"


class LicenceRecordReceived(EventPayload):
    """The licence registry (Sarathi) sent a driving licence record, pushed or in answer to a
    look-up (``in_reply_to`` names the feed event that asked)."""

    name = "licence.record"
    pillar = "transport"
    family = "registry"
    record: LicenceRecord
    in_reply_to: str | None = None

    def summary(self) -> str:
        """Describe the record."""
        r = self.record
        return f"Sarathi record of licence {r.licence}: {r.status.value}, valid to {r.valid_until}"


#: The police's vehicle events.
VEHICLE_EVENTS: tuple[type[EventPayload], ...] = (
    VehicleReportedStolen,
    VehicleRecovered,
    VehicleSeized,
)


#: The events the gateway itself makes (a vehicle found in two cases).
class DeadlineNotice(BaseModel):
    """A statutory clock as announced on the bus (``canonical_model.clocks.Clock``, flattened):
    which provision, whose duty, since when and until when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    clock: str = Field(description="The clock's key within the case (provision, accused).")
    provision: str = Field(description='As the Act names it: "BNSS 187(3)".')
    title: str
    pillar: str = Field(description="The pillar that must act.")
    institution: str | None = Field(default=None, description="The institution that must act.")
    accused_ref: str | None = None
    started_by: str
    started_on: dt.date
    due_on: dt.date
    due_at: dt.datetime | None = None
    state: str = Field(description="due or overdue when announced.")
    days_left: int
    # Where the notice is read (the pillars' feeds): the case as the institution knows it, and
    # what it is to do. Optional, filled by the emitter from the case's status.
    cnr: Cnr | None = Field(default=None, description="The case's CNR in the court that must act.")
    fir: Fir | None = None
    prisoner: PrisonerNumber | None = Field(
        default=None, description="The accused's prisoner number in the prison that must act."
    )
    action: str | None = Field(default=None, description="What the institution is to do.")

    def describe(self, due: str) -> str:
        """The notice in one line, ``due`` saying when ("due on", "was due on")."""
        who = f" (accused {self.accused_ref})" if self.accused_ref else ""
        return (
            f"{self.provision}{who}: {self.title}, {due} {self.due_on}; "
            f"{self.pillar} {self.institution or '(institution not known)'} to act"
        )


class DeadlineDueSoon(EventPayload):
    """A statutory clock of the case falls due within the configured lead
    (``ICJS_DEADLINE_DUE_SOON_DAYS``); announced once per due date."""

    name = "deadline.due_soon"
    pillar = "gateway"
    deadline: DeadlineNotice

    def summary(self) -> str:
        """Describe the deadline."""
        return self.deadline.describe("due on")


class DeadlineBreached(EventPayload):
    """A statutory clock of the case ran out with nothing on record that stops it; announced
    once per due date (an extension that moves it announces again)."""

    name = "deadline.breached"
    pillar = "gateway"
    deadline: DeadlineNotice

    def summary(self) -> str:
        """Describe the breach."""
        return self.deadline.describe("was due on")


#: The gateway's own deadline announcements (``gateway/deadlines.py``).
DEADLINE_EVENTS: tuple[type[EventPayload], ...] = (DeadlineDueSoon, DeadlineBreached)
GATEWAY_EVENTS: tuple[type[EventPayload], ...] = (VehicleLinked, *DEADLINE_EVENTS)
#: The transport registries' inbound events (records about vehicles and licences, no case).
REGISTRY_EVENTS: tuple[type[EventPayload], ...] = (VehicleRecordReceived, LicenceRecordReceived)


# -- prosecution (e-Prosecution) -------------------------------------------------------------
# Each message names the case by CNR, FIR or the office's prosecution number; the assignment
# makes its prosecution number a key of the case.


class ProsecutorAssigned(EventPayload):
    """A prosecution office assigned a prosecutor to a case, for a court."""

    name = "prosecution.prosecutor_assigned"
    pillar = "prosecution"
    assignment: ProsecutorAssignment

    def needs(self) -> list[str]:
        """The CNR or FIR must be known."""
        return [k for k in self.assignment.case_keys() if not k.startswith("prosecution_no:")]

    def introduces(self) -> list[str]:
        """The prosecution number, when given, becomes a key of the case."""
        number = self.assignment.prosecution_number
        return [number.key()] if number is not None else []

    def summary(self) -> str:
        """Describe the assignment."""
        a = self.assignment
        number = f" as {a.prosecution_number}" if a.prosecution_number else ""
        return f"{a.prosecutor.name} ({a.office}) assigned for court {a.court} on {a.assigned_on}{number}"


class ScrutinyCompleted(EventPayload):
    """A prosecution office scrutinised a police report: approved, or returned with
    deficiencies (BNSS s.20(8))."""

    name = "prosecution.scrutiny_completed"
    pillar = "prosecution"
    scrutiny: ScrutinyResult

    def needs(self) -> list[str]:
        """The case must be known."""
        return self.scrutiny.case_keys()

    def summary(self) -> str:
        """Describe the result."""
        s = self.scrutiny
        version = f" version {s.version}" if s.version else ""
        if s.outcome.value == "approved":
            return f"report {s.report_number}{version} approved by {s.office} on {s.scrutinised_on}"
        return (
            f"report {s.report_number}{version} returned by {s.office} on {s.scrutinised_on} "
            f"with {len(s.deficiencies)} deficiencies"
        )


class LegalOpinionGiven(EventPayload):
    """A prosecution office gave a legal opinion in a case."""

    name = "prosecution.opinion_given"
    pillar = "prosecution"
    opinion: LegalOpinion

    def needs(self) -> list[str]:
        """The case must be known."""
        return self.opinion.case_keys()

    def summary(self) -> str:
        """Describe the opinion."""
        o = self.opinion
        return f"legal opinion of {o.office} on {o.given_on}: {o.subject}"


class AppealRecommended(EventPayload):
    """A prosecution office recommended, after a judgment, to appeal it or not (BNSS s.20(7))."""

    name = "prosecution.appeal_recommendation"
    pillar = "prosecution"
    recommendation: AppealRecommendation

    def needs(self) -> list[str]:
        """The judgment's CNR must be linked to a case."""
        return self.recommendation.case_keys()

    def summary(self) -> str:
        """Describe the recommendation."""
        r = self.recommendation
        verdict = "recommends an appeal" if r.recommended else "recommends no appeal"
        return f"{r.office} {verdict} against the judgment of {r.judgment_date}"


#: The prosecution pillar's inbound events.
PROSECUTION_EVENTS: tuple[type[EventPayload], ...] = (
    ProsecutorAssigned,
    ScrutinyCompleted,
    LegalOpinionGiven,
    AppealRecommended,
)


#: The spine's events (police and courts).
_SPINE_EVENTS: tuple[type[EventPayload], ...] = (
    FirRegistered,
    PersonArrested,
    InvestigationStepRecorded,
    ChargesheetFiled,
    CourtCaseRegistered,
    HearingRecorded,
    OrderIssued,
    JudgmentDelivered,
)
#: Every event payload class by its short name.
EVENT_PAYLOADS: dict[str, type[EventPayload]] = {
    cls.name: cls
    for cls in (
        *_SPINE_EVENTS,
        *CUSTODY_EVENTS,
        *FORENSIC_EVENTS,
        *VEHICLE_EVENTS,
        *GATEWAY_EVENTS,
        *REGISTRY_EVENTS,
        *PROSECUTION_EVENTS,
    )
}


def payload_class(name: str) -> type[EventPayload]:
    """Return the payload class for a short name (``fir.registered``) or CloudEvents type
    (``icjs.fir.registered``); raise UnknownMessageType naming the known ones."""
    short = name.removeprefix(EVENT_TYPE_PREFIX)
    try:
        return EVENT_PAYLOADS[short]
    except KeyError:
        known = ", ".join(sorted(EVENT_PAYLOADS))
        raise UnknownMessageType(f"unknown event type {name!r}; known types: {known}") from None


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 envelope around one canonical event payload.

    ``subject`` is the gateway's case id; ``icjspillar`` the pillar that sent the
    message the event came from; ``icjsreceipt`` that message's receipt id.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(pattern=r"^icjs\.[a-z_]+\.[a-z_]+$")
    subject: str | None = None
    time: dt.datetime
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    icjspillar: str
    icjsreceipt: str | None = None
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        payload: EventPayload,
        *,
        event_id: str,
        source: str,
        subject: str | None,
        time: dt.datetime,
        receipt: str | None = None,
    ) -> CloudEvent:
        """Wrap a payload in an envelope."""
        return cls(
            id=event_id,
            source=source,
            type=payload.event_type(),
            subject=subject,
            time=time,
            dataschema=f"urn:icjs:canonical:{SCHEMA_VERSION}:{payload.name}",
            icjspillar=payload.pillar,
            icjsreceipt=receipt,
            data=payload.model_dump(mode="json"),
        )

    def payload(self) -> EventPayload:
        """Parse ``data`` into the typed payload named by ``type``."""
        return payload_class(self.type).model_validate(self.data)

    @property
    def name(self) -> str:
        """The short event name (``fir.registered``)."""
        return self.type.removeprefix(EVENT_TYPE_PREFIX)
