"""The canonical crime-and-criminal entities every pillar's messages translate to.

The shapes follow what the pillars of India's ICJS exchange: the CCTNS FIR and
Integrated Investigation Forms (IIF-1 FIR, IIF-3 arrest, IIF-5 final report),
the e-Courts case record (CNR, filing and registration numbers, hearings,
orders, judgments). Field names are the gateway's own.

Every offence is an (act, section) pair, never a bare section: the date of the
offence decides whether the IPC or the BNS applies (BNS in force from
1 July 2024, notification S.O. 850(E) of 23 February 2024).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from canonical_model.identifiers import (
    Cnr,
    CourtCaseNumber,
    DrivingLicence,
    EstablishmentCode,
    Fir,
    PrisonerNumber,
    VehicleRegistration,
)

#: Date on which the BNS, BNSS and BSA replaced the IPC, CrPC and Evidence Act.
NEW_CRIMINAL_LAWS_IN_FORCE = dt.date(2024, 7, 1)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
#: A reference to a party that is local to one case, as the police system numbers them (A1, W2).
#: A prison's code, as e-Prisons names its institutions (the institution part of a prisoner number).
PrisonCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_-]{1,32}$")]
PartyRef = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{1,32}$")
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class CanonicalModel(BaseModel):
    """Base of every canonical entity: strict about unknown fields, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Act(StrEnum):
    """Acts an offence can be charged under. Special and local laws are listed by short code."""

    BNS = "BNS"  # Bharatiya Nyaya Sanhita, 2023 (Act 45 of 2023)
    IPC = "IPC"  # Indian Penal Code, 1860 (Act 45 of 1860)
    NDPS = "NDPS"  # Narcotic Drugs and Psychotropic Substances Act, 1985
    ARMS = "ARMS"  # Arms Act, 1959
    MV = "MV"  # Motor Vehicles Act, 1988
    IT = "IT"  # Information Technology Act, 2000
    POCSO = "POCSO"  # Protection of Children from Sexual Offences Act, 2012
    SC_ST = "SC_ST"  # Scheduled Castes and Scheduled Tribes (Prevention of Atrocities) Act, 1989
    DOWRY = "DOWRY"  # Dowry Prohibition Act, 1961
    EXPLOSIVES = "EXPLOSIVES"  # Explosive Substances Act, 1908
    UAPA = "UAPA"  # Unlawful Activities (Prevention) Act, 1967
    PC = "PC"  # Prevention of Corruption Act, 1988
    OTHER = "OTHER"  # a State or special law not listed; name it in Offence.act_name


class PunishmentKind(StrEnum):
    """The gravest kind of punishment a provision allows."""

    DEATH = "death"
    LIFE = "life"  # imprisonment for life
    YEARS = "years"  # imprisonment for a term
    FINE = "fine"  # fine only


class StatedPunishment(CanonicalModel):
    """A punishment as a message states it: the kind and, for a term, its length.

    A term is given in years, months or days, as the Act writes it ("six months", "24 hours"
    is one day); a pillar charging an offence the gateway's law table does not hold states the
    maximum this way, and the offence is classified by Part II of the BNSS First Schedule."""

    kind: PunishmentKind
    years: float | None = Field(default=None, gt=0, le=100)
    months: int | None = Field(default=None, gt=0, le=1200)
    days: int | None = Field(default=None, gt=0, le=36500)

    @model_validator(mode="after")
    def _term_only_for_years(self) -> StatedPunishment:
        has_term = any(v is not None for v in (self.years, self.months, self.days))
        if self.kind is PunishmentKind.YEARS and not has_term:
            raise ValueError("a term of imprisonment needs years, months or days")
        if self.kind is not PunishmentKind.YEARS and has_term:
            raise ValueError(f"a punishment of kind {self.kind.value} has no term")
        return self


class Offence(CanonicalModel):
    """An offence charged: an (act, section) pair such as ``BNS 103(1)`` or ``IPC 302``.

    ``limb`` names the limb of the section charged where the section has more than one (the
    code of a limb of the law table, e.g. ``subsequent_conviction`` of BNS 303(2)); without it
    the plain offence is meant. ``stated_max_punishment`` is the maximum the charging pillar
    states, for an offence under a law the table does not hold."""

    act: Act
    section: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, pattern=r"^[0-9]{1,4}[A-Z]{0,3}(\([0-9a-z]{1,4}\))*$"
        ),
    ]
    act_name: ShortText | None = Field(
        default=None, description="Full name of the act when act is OTHER."
    )
    limb: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")] | None = Field(
        default=None,
        description="The limb charged, by its code in the law table; None: the plain offence.",
    )
    stated_max_punishment: StatedPunishment | None = Field(
        default=None,
        description="The maximum punishment as the charging pillar states it (laws the table "
        "does not hold: classified by BNSS First Schedule Part II).",
    )

    def __str__(self) -> str:
        return f"{self.act.value} {self.section}"

    @model_validator(mode="after")
    def _other_needs_name(self) -> Offence:
        if self.act is Act.OTHER and not self.act_name:
            raise ValueError("act_name is required when act is OTHER")
        return self


class Gender(StrEnum):
    """Gender as recorded by CCTNS; transgender persons are a category of their own
    (Transgender Persons (Protection of Rights) Act, 2019)."""

    MALE = "male"
    FEMALE = "female"
    TRANSGENDER = "transgender"
    UNKNOWN = "unknown"


class Address(CanonicalModel):
    """A postal address in India."""

    line: Text
    district: ShortText | None = None
    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    pincode: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{5}$")] | None = None


class IdentityDocumentKind(StrEnum):
    """Kinds of identity document a person may be identified by."""

    AADHAAR = "aadhaar"
    PAN = "pan"
    PASSPORT = "passport"
    VOTER_ID = "voter_id"
    DRIVING_LICENCE = "driving_licence"
    RATION_CARD = "ration_card"
    OTHER = "other"


class IdentityDocument(CanonicalModel):
    """An identity document and its number as written on it."""

    kind: IdentityDocumentKind
    number: ShortText


class Person(CanonicalModel):
    """A person in a case: accused, victim, complainant or witness.

    ``ref`` is local to the case (``A1`` for the first accused) and is how every
    later message of the case (arrest, charge sheet, judgment) names the person.
    Either the date of birth or the age (as on the date of the report) may be known.
    """

    ref: PartyRef
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    father_name: ShortText | None = None
    mother_name: ShortText | None = None
    spouse_name: ShortText | None = None
    gender: Gender = Gender.UNKNOWN
    date_of_birth: dt.date | None = None
    age: Annotated[int, Field(ge=0, le=130)] | None = None
    addresses: list[Address] = Field(default_factory=list)
    identity_documents: list[IdentityDocument] = Field(default_factory=list)
    driving_licence: DrivingLicence | None = None
    juvenile: bool = Field(
        default=False,
        description="A child in conflict with law (Juvenile Justice Act, 2015): identity protected.",
    )
    identity_protected: bool = Field(
        default=False,
        description="A witness under a witness protection order (BNSS s.398, the State's "
        "Witness Protection Scheme): identity shown only to the police of the case and the "
        "court seized.",
    )


class Place(CanonicalModel):
    """Where something happened."""

    description: Text
    district: ShortText | None = None
    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class Officer(CanonicalModel):
    """A police officer, prosecutor, judge or examiner named in a record."""

    name: ShortText
    rank: ShortText | None = None
    badge_number: ShortText | None = None


class PropertyItem(CanonicalModel):
    """Property stolen, involved or seized in a case."""

    description: Text
    kind: ShortText | None = None
    estimated_value_inr: Annotated[int, Field(ge=0)] | None = None
    vehicle: VehicleRegistration | None = None


class FirRecord(CanonicalModel):
    """A First Information Report (BNSS s.173, CrPC s.154) as registered at a police station."""

    fir: Fir
    # With its UTC offset (RFC 3339, as the contract's "date-time" says): a time without one
    # is a different instant in every zone, and the clocks it starts (BNSS ss.58, 187, 193)
    # compare it with instants that have one.
    registered_at: AwareDatetime
    occurred_from: AwareDatetime | None = None
    occurred_to: AwareDatetime | None = None
    place: Place
    complainant: Person
    accused: list[Person] = Field(default_factory=list)
    victims: list[Person] = Field(default_factory=list)
    witnesses: list[Person] = Field(default_factory=list)
    offences: list[Offence] = Field(min_length=1)
    properties: list[PropertyItem] = Field(default_factory=list)
    brief_facts: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)] = ""
    investigating_officer: Officer | None = None

    @model_validator(mode="after")
    def _refs_unique(self) -> FirRecord:
        refs = [p.ref for p in [self.complainant, *self.accused, *self.victims, *self.witnesses]]
        dupes = sorted({r for r in refs if refs.count(r) > 1})
        if dupes:
            raise ValueError(f"person refs must be unique within the FIR, repeated: {dupes}")
        return self


class CustodyKind(StrEnum):
    """Whose custody a Magistrate's order of detention puts the accused in (BNSS s.187(2);
    its second proviso: police custody in a police station, judicial custody in a prison)."""

    POLICE = "police"
    JUDICIAL = "judicial"
    UNKNOWN = "unknown"  # the order does not say (messages from before the field existed)


class Arrest(CanonicalModel):
    """The arrest of an accused person of a case (BNSS s.35-s.62; CCTNS IIF-3)."""

    fir: Fir
    person: Person
    arrested_at: AwareDatetime
    place: Place | None = None
    arresting_officer: Officer | None = None
    grounds: Text | None = None
    produced_before: EstablishmentCode | None = Field(
        default=None,
        description="The Magistrate's court the arrested person was produced before for remand "
        "(BNSS ss.58, 187): it becomes seized of the case.",
    )
    produced_at: AwareDatetime | None = Field(
        default=None, description="When the person was produced (BNSS s.58: within 24 hours)."
    )
    # -- statutory clocks: optional (canonical v1, additive), where the police report them
    remanded_to: CustodyKind | None = Field(
        default=None,
        description="Whose custody the Magistrate's order on this production put the accused "
        "in (BNSS s.187(2)): police or judicial.",
    )
    remanded_until: dt.date | None = Field(
        default=None, description="The last day of detention that order authorised."
    )

    @model_validator(mode="after")
    def _production_names_the_court(self) -> Arrest:
        if self.produced_at is not None and self.produced_before is None:
            raise ValueError("produced_at is given without produced_before (the court)")
        if (self.remanded_to or self.remanded_until) and self.produced_before is None:
            raise ValueError("a remand is given without produced_before (the court)")
        if self.produced_at is not None and self.produced_at < self.arrested_at:
            raise ValueError("produced_at is before arrested_at")
        return self


class InvestigationStepKind(StrEnum):
    """A step of an investigation that a statutory clock waits for (BNSS ss.184, 193, 194)."""

    #: The informant or the victim told of the progress of the investigation (s.193(3)(ii)).
    PROGRESS_INFORMED = "progress_informed"
    #: The victim of rape sent to a registered medical practitioner and examined (s.184(1));
    #: ``at`` is when she was sent.
    MEDICAL_EXAMINATION = "medical_examination"
    #: The practitioner's report forwarded to the investigating officer (s.184(6)); ``on`` is
    #: the day the officer received it.
    MEDICAL_REPORT_FORWARDED = "medical_report_forwarded"
    #: The inquest report on an unnatural death drawn up at the place (s.194(1)).
    INQUEST_HELD = "inquest_held"
    #: The inquest report forwarded to the District or Sub-divisional Magistrate (s.194(2)).
    INQUEST_REPORT_FORWARDED = "inquest_report_forwarded"


#: Indian Standard Time: UTC+05:30 all year (India keeps no daylight saving time). Days of
#: the Acts' periods are Indian calendar days.
IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")


def ist_date(moment: dt.datetime) -> dt.date:
    """The Indian calendar date of ``moment`` (a naive time is taken as IST already)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(IST).date()


class InvestigationStep(CanonicalModel):
    """One step of an investigation that a statutory clock starts or stops on, as the police
    record it (CCTNS): the informant told of progress, the victim's medical examination and its
    report, an inquest and its report.

    One record with a kind, rather than a message type per step: each step is a dated fact
    about an FIR that the police station reports on its own, after the FIR and apart from any
    arrest or report, and none of them changes who the case concerns; one type keeps the
    police contract to one new message, authorised as every police message is (the FIR's
    station), and a further step is one more kind.
    """

    fir: Fir
    kind: InvestigationStepKind
    on: dt.date = Field(description="The day of the step (IST).")
    at: AwareDatetime | None = Field(
        default=None, description="Its time, where a clock of hours runs to it (ss.184(1), 194)."
    )
    person_ref: PartyRef | None = Field(
        default=None,
        description="Whom it concerns, by their reference in the FIR: the victim examined, the "
        "informant or victim told (never a name: BNS s.72).",
    )
    officer: Officer | None = None
    remarks: Text | None = None

    @model_validator(mode="after")
    def _time_on_its_day(self) -> InvestigationStep:
        if self.at is not None:
            day = ist_date(self.at)
            if day != self.on:
                raise ValueError(
                    f"at ({self.at.isoformat()}) falls on {day} in IST, not on {self.on}"
                )
        return self


class PoliceReportKind(StrEnum):
    """The final report of an investigation (BNSS s.193, CrPC s.173)."""

    CHARGE_SHEET = "charge_sheet"
    CLOSURE = "closure"
    UNTRACED = "untraced"


class AccusedCustody(StrEnum):
    """Where an accused stands when the report is filed."""

    ARRESTED = "arrested"
    ON_BAIL = "on_bail"
    NOT_ARRESTED = "not_arrested"
    ABSCONDING = "absconding"
    JUDICIAL_CUSTODY = "judicial_custody"


class ChargedAccused(CanonicalModel):
    """An accused person sent up for trial in a police report, with the offences charged."""

    person: Person
    offences: list[Offence] = Field(min_length=1)
    custody: AccusedCustody = AccusedCustody.NOT_ARRESTED


class DocumentRef(CanonicalModel):
    """A document filed with a report, identified by its content hash (BSA s.63)."""

    title: ShortText
    sha256: Sha256 | None = None
    pages: Annotated[int, Field(ge=1)] | None = None


class PoliceReport(CanonicalModel):
    """A police report to the Magistrate: charge sheet, closure or untraced; original or
    supplementary (BNSS s.193(9), CrPC s.173(8))."""

    fir: Fir
    report_number: ShortText
    kind: PoliceReportKind
    supplementary: bool = False
    filed_on: dt.date
    court: EstablishmentCode = Field(description="The court establishment the report is filed in.")
    accused: list[ChargedAccused] = Field(default_factory=list)
    witnesses: list[Person] = Field(default_factory=list)
    offences: list[Offence] = Field(min_length=1)
    documents: list[DocumentRef] = Field(default_factory=list)
    investigating_officer: Officer | None = None
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)] = ""

    @model_validator(mode="after")
    def _charge_sheet_names_accused(self) -> PoliceReport:
        if self.kind is PoliceReportKind.CHARGE_SHEET and not self.accused:
            raise ValueError("a charge sheet names at least one accused")
        return self


class CourtCase(CanonicalModel):
    """A case registered in a court, with its CNR and case numbers (e-Courts)."""

    cnr: Cnr
    fir: Fir | None = None
    establishment: EstablishmentCode
    court_name: ShortText | None = None
    filing_number: CourtCaseNumber | None = None
    registration_number: CourtCaseNumber | None = None
    registered_on: dt.date
    judge: Officer | None = None


class HearingStage(StrEnum):
    """The stage of a hearing the statutory clocks count from or stop at
    (:mod:`canonical_model.clocks`); ``purpose`` stays the court's own words."""

    COGNIZANCE = "cognizance"  # cognizance taken on the police report (BNSS s.210; s.232 counts)
    APPEARANCE = "appearance"  # the accused produced or appeared (s.230 counts from it)
    DOCUMENTS_SUPPLIED = "documents_supplied"  # copies furnished to the accused (BNSS s.230)
    DISCHARGE_APPLICATION = "discharge_application"  # the accused applied (ss.250(1), 262(1))
    CHARGE_HEARING = "charge_hearing"  # hearing on charge (ss.251(1)(b), 263(1): the first)
    EVIDENCE = "evidence"  # a date for taking evidence (s.480(6): the first date fixed)
    ARGUMENTS_CONCLUDED = "arguments_concluded"  # arguments completed (s.258(1))


class Hearing(CanonicalModel):
    """One hearing of a court case: its date, purpose or stage, and the next date fixed."""

    cnr: Cnr
    hearing_date: dt.date
    purpose: ShortText
    business: Text | None = None
    next_date: dt.date | None = None
    next_purpose: ShortText | None = None
    judge: Officer | None = None
    # -- statutory clocks: optional (courts v1, additive)
    stage: HearingStage | None = Field(
        default=None, description="The stage this hearing was at, where a clock turns on it."
    )
    next_stage: HearingStage | None = Field(
        default=None,
        description="The stage fixed for the next date (evidence: the date is a date fixed for "
        "taking evidence, BNSS s.480(6)).",
    )

    @model_validator(mode="after")
    def _next_stage_has_a_date(self) -> Hearing:
        if self.next_stage is not None and self.next_date is None:
            raise ValueError("next_stage is given without next_date")
        return self


class OrderKind(StrEnum):
    """Kinds of court order the pillars act on."""

    BAIL_GRANTED = "bail_granted"
    BAIL_REJECTED = "bail_rejected"
    REMAND = "remand"
    SUMMONS = "summons"
    WARRANT = "warrant"
    PRODUCTION = "production"
    RELEASE = "release"
    CHARGES_FRAMED = "charges_framed"
    OTHER = "other"
    # -- prisons: orders a prison acts on (custody warrant, conviction warrant)
    CUSTODY = "custody"
    CONVICTION = "conviction"
    # -- transport: a driving licence suspended or revoked (MV Act 1988 ss.19-21)
    LICENCE_SUSPENSION = "licence_suspension"
    LICENCE_REVOCATION = "licence_revocation"
    # -- authority: the case goes to another court (canonical_model.authority)
    COMMITTAL = "committal"  # BNSS s.232: the Magistrate commits the case to the Court of Session
    TRANSFER = "transfer"  # BNSS ss.446-448: a superior court transfers the case
    # -- statutory clocks (canonical_model.clocks)
    COGNIZANCE = "cognizance"  # BNSS s.210: cognizance taken (s.232's 90 days count from it)
    EXTENSION = (
        "extension"  # a period extended as the Act allows (ss.232, 258(1)): provision, until
    )
    STAY = "stay"  # proceedings stayed (by the court seized or a superior court): provision, until
    STAY_VACATED = "stay_vacated"  # the stay ends


#: The order kinds that may come from a superior court rather than the court seized.
SUPERIOR_COURT_KINDS = frozenset({OrderKind.TRANSFER, OrderKind.STAY, OrderKind.STAY_VACATED})
#: The order kinds that put the accused in custody for a period (``custody_kind``, ``until``).
DETENTION_KINDS = frozenset({OrderKind.REMAND, OrderKind.CUSTODY})
#: A clock's provision as an extension or stay names it ("BNSS 232", "BNSS 258(1)").
PROVISION_PATTERN = r"^(BNSS|CrPC) [0-9]{1,3}[A-Z]{0,2}(\([0-9a-z]{1,4}\))*( proviso)?$"


#: The order kinds that send the case to another court and so must name it (``to_court``).
COURT_CHANGING_KINDS = frozenset({OrderKind.COMMITTAL, OrderKind.TRANSFER})


#: The order kinds that act on a driving licence and so must name one.
LICENCE_ORDER_KINDS = frozenset({OrderKind.LICENCE_SUSPENSION, OrderKind.LICENCE_REVOCATION})


class LicenceAction(CanonicalModel):
    """What a court orders about a driving licence: suspended for a period, or revoked.

    Courts disqualify a convicted driver from holding a licence (Motor Vehicles Act, 1988
    s.20; ss.19 and 21 give the licensing authority the same power); Sarathi, the licence
    registry, is told so that the licence stops being valid everywhere.
    """

    licence: DrivingLicence
    effective_from: dt.date
    effective_until: dt.date | None = Field(
        default=None, description="The last day of a suspension; none for a revocation."
    )
    provision: ShortText | None = Field(
        default=None, description="The provision ordered under, as the court cites it."
    )
    accused_ref: PartyRef | None = Field(
        default=None, description="The accused who holds the licence, when the case names them."
    )

    @model_validator(mode="after")
    def _period(self) -> LicenceAction:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise ValueError("effective_until is before effective_from")
        return self


class CourtOrder(CanonicalModel):
    """An order of a court in a case; ``accused_refs`` names whom it concerns."""

    cnr: Cnr
    order_number: ShortText
    order_date: dt.date
    kind: OrderKind
    accused_refs: list[PartyRef] = Field(default_factory=list)
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50000)] = ""
    document_sha256: Sha256 | None = None
    # -- prisons: optional, so court messages without them stay valid (courts v1, additive)
    prison: PrisonCode | None = Field(
        default=None,
        description="The prison the order is addressed to (a remand or custody warrant).",
    )
    appearance_date: dt.date | None = Field(
        default=None, description="The date the accused is to be produced (a production order)."
    )
    # -- transport: optional as well (courts v1, additive)
    licence: LicenceAction | None = Field(
        default=None, description="The driving licence a suspension or revocation acts on."
    )
    # -- authority: optional as well (courts v1, additive)
    to_court: EstablishmentCode | None = Field(
        default=None,
        description="The court a committal (BNSS s.232) or transfer (BNSS ss.446-448) sends "
        "the case to.",
    )
    issued_by: EstablishmentCode | None = Field(
        default=None,
        description="The court issuing the order when it is not the court of the CNR: a "
        "superior court transferring the case or staying its proceedings.",
    )
    # -- statutory clocks: optional as well (courts v1, additive)
    custody_kind: CustodyKind | None = Field(
        default=None,
        description="A remand or custody order: police or judicial custody (BNSS s.187(2)).",
    )
    provision: Annotated[str, StringConstraints(pattern=PROVISION_PATTERN)] | None = Field(
        default=None,
        description="The clock an extension extends or a stay stays, as the Act names it "
        '("BNSS 232", "BNSS 258(1)"); a stay naming none stays the proceedings.',
    )
    until: dt.date | None = Field(
        default=None,
        description="The last day: of the detention a remand authorises, of the period as "
        "extended, of a stay (none: until vacated).",
    )

    @property
    def issuing_court(self) -> EstablishmentCode:
        """The court that made the order: ``issued_by``, else the court of the CNR."""
        return self.issued_by or self.cnr.establishment_code

    @model_validator(mode="after")
    def _court_changes_name_the_court(self) -> CourtOrder:
        if self.kind in COURT_CHANGING_KINDS and self.to_court is None:
            raise ValueError(f"a {self.kind.value} order names the court it sends the case to")
        if self.kind not in COURT_CHANGING_KINDS and self.to_court is not None:
            raise ValueError("only a committal or transfer order names a to_court")
        if self.issued_by is not None and self.kind not in SUPERIOR_COURT_KINDS:
            raise ValueError(
                "only a transfer or stay order may be issued by a court other than the court of "
                "the CNR"
            )
        return self

    @model_validator(mode="after")
    def _clock_orders(self) -> CourtOrder:
        if self.custody_kind is not None and self.kind not in DETENTION_KINDS:
            raise ValueError("only a remand or custody order gives a custody_kind")
        if self.kind is OrderKind.EXTENSION and (self.provision is None or self.until is None):
            raise ValueError("an extension names the provision it extends and the new last day")
        if self.provision is not None and self.kind not in (OrderKind.EXTENSION, OrderKind.STAY):
            raise ValueError("only an extension or a stay names a provision")
        if self.until is not None and self.kind not in (
            *DETENTION_KINDS,
            OrderKind.EXTENSION,
            OrderKind.STAY,
        ):
            raise ValueError("only a remand, custody, extension or stay order gives until")
        if self.until is not None and self.until < self.order_date:
            raise ValueError("until is before the order's date")
        return self

    @model_validator(mode="after")
    def _licence_orders_name_a_licence(self) -> CourtOrder:
        if self.kind in LICENCE_ORDER_KINDS:
            if self.licence is None:
                raise ValueError(f"a {self.kind.value} order names the licence it acts on")
            if self.kind is OrderKind.LICENCE_SUSPENSION and self.licence.effective_until is None:
                raise ValueError("a licence suspension gives its last day (effective_until)")
            if self.kind is OrderKind.LICENCE_REVOCATION and self.licence.effective_until:
                raise ValueError("a licence revocation has no last day (leave out effective_until)")
        elif self.licence is not None:
            raise ValueError(
                "only a licence_suspension or licence_revocation order names a licence"
            )
        return self


class Verdict(StrEnum):
    """Outcome of a trial for one accused."""

    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISCHARGED = "discharged"
    ABATED = "abated"


class Sentence(CanonicalModel):
    """A sentence passed on a convicted person."""

    imprisonment_months: Annotated[int, Field(ge=0)] | None = None
    life_imprisonment: bool = False
    death: bool = False
    fine_inr: Annotated[int, Field(ge=0)] | None = None
    description: Text | None = None


class AccusedVerdict(CanonicalModel):
    """The verdict and sentence for one accused in a judgment."""

    accused_ref: PartyRef
    verdict: Verdict
    offences: list[Offence] = Field(default_factory=list)
    sentence: Sentence | None = None

    @model_validator(mode="after")
    def _sentence_only_on_conviction(self) -> AccusedVerdict:
        if self.sentence is not None and self.verdict is not Verdict.CONVICTED:
            raise ValueError("a sentence is only passed on a convicted accused")
        return self


class Judgment(CanonicalModel):
    """The judgment disposing of a court case, with a verdict for every accused tried."""

    cnr: Cnr
    judgment_date: dt.date
    verdicts: list[AccusedVerdict] = Field(min_length=1)
    judge: Officer | None = None
    document_sha256: Sha256 | None = None


# --------------------------------------------------------------------------- prisons (e-Prisons)
# The e-Prisons side of a case: an inmate (prisoner number, qualified by the prison's
# code) admitted on a warrant or remand order, produced before courts, released,
# transferred, readmitted, convicted. Categories and release reasons follow the Model
# Prison Manual, 2016 (Ministry of Home Affairs), chapters on admission and release.


class InmateCategory(StrEnum):
    """Why a person is held: the warrant they were admitted on decides it."""

    UNDERTRIAL = "undertrial"
    CONVICT = "convict"
    DETENUE = "detenue"  # preventive detention
    CIVIL = "civil"  # civil prisoner (e.g. a decree-debtor)


class WarrantKind(StrEnum):
    """The order a custody event rests on."""

    REMAND = "remand"  # remand to judicial custody (BNSS s.187, CrPC s.167)
    CUSTODY = "custody"  # a custody warrant during inquiry or trial (BNSS s.346)
    CONVICTION = "conviction"  # a warrant of commitment on sentence (BNSS s.456)
    DETENTION = "detention"  # a preventive detention order
    CIVIL = "civil"  # a civil court's warrant
    PRODUCTION = "production"
    BAIL = "bail"
    RELEASE = "release"
    ACQUITTAL = "acquittal"
    PAROLE = "parole"
    FURLOUGH = "furlough"
    TRANSFER = "transfer"


class Warrant(CanonicalModel):
    """The order a custody event rests on; it names the case by CNR and/or FIR."""

    kind: WarrantKind
    court: EstablishmentCode
    order_date: dt.date
    order_number: ShortText | None = None
    cnr: Cnr | None = None
    fir: Fir | None = None

    def case_keys(self) -> list[str]:
        """The case references it carries, CNR first: how a prison message finds its case."""
        return [ref.key() for ref in (self.cnr, self.fir) if ref is not None]


class Inmate(CanonicalModel):
    """A person held in a prison, as the prison records them at admission.

    ``accused_ref`` is the person's reference in the case (``A1``) when the warrant
    names it; otherwise the gateway matches the inmate to an accused of the case by
    name and father's name (see ``canonical_model.lifecycle``).
    """

    prisoner: PrisonerNumber
    name: ShortText
    father_name: ShortText | None = None
    gender: Gender = Gender.UNKNOWN
    age: Annotated[int, Field(ge=0, le=130)] | None = None
    accused_ref: PartyRef | None = None
    first_offender: bool | None = Field(
        default=None,
        description="Never convicted of any offence before (BNSS s.479(1), first proviso); "
        "None when the prison does not say.",
    )


class Admission(CanonicalModel):
    """A person admitted to a prison on a warrant or remand order."""

    inmate: Inmate
    admitted_on: dt.date
    category: InmateCategory
    warrant: Warrant

    @model_validator(mode="after")
    def _names_a_case(self) -> Admission:
        if not self.warrant.case_keys():
            raise ValueError("the warrant must name the case by CNR or FIR")
        return self


class ProductionMode(StrEnum):
    """How an inmate appeared before the court (BNSS s.530 allows audio-video means)."""

    IN_PERSON = "in_person"
    VIDEO = "video"


class Production(CanonicalModel):
    """An inmate produced before a court."""

    prisoner: PrisonerNumber
    court: EstablishmentCode
    produced_on: dt.date
    mode: ProductionMode
    cnr: Cnr | None = None
    outcome: Text | None = None
    next_date: dt.date | None = None


class ReleaseReason(StrEnum):
    """Why an inmate left the prison."""

    BAIL = "bail"
    ACQUITTAL = "acquittal"
    SENTENCE_COMPLETED = "sentence_completed"
    PAROLE = "parole"
    FURLOUGH = "furlough"
    TRANSFER_OUT = "transfer_out"
    # Handed to the police in custody for a part of the 15 days of BNSS s.187(2) after
    # admission: still detention (counted under s.479), and the inmate comes back.
    POLICE_CUSTODY = "police_custody"
    DEATH = "death"
    ESCAPE = "escape"


#: Releases after which the inmate is expected back (readmission).
TEMPORARY_RELEASES = frozenset(
    {ReleaseReason.PAROLE, ReleaseReason.FURLOUGH, ReleaseReason.POLICE_CUSTODY}
)


class Release(CanonicalModel):
    """An inmate left the prison; ``order`` is the order it rests on (none for death or escape)."""

    prisoner: PrisonerNumber
    released_on: dt.date
    reason: ReleaseReason
    order: Warrant | None = None
    remarks: Text | None = None

    @model_validator(mode="after")
    def _order_when_ordered(self) -> Release:
        needs_order = self.reason in (
            ReleaseReason.BAIL,
            ReleaseReason.ACQUITTAL,
            ReleaseReason.PAROLE,
            ReleaseReason.FURLOUGH,
        )
        if needs_order and self.order is None:
            raise ValueError(f"a release on {self.reason.value} rests on an order; give it")
        return self


class Transfer(CanonicalModel):
    """An inmate moved from one prison to another; the new prison gives a new number."""

    prisoner: PrisonerNumber
    to_prisoner: PrisonerNumber
    transferred_on: dt.date
    order: Warrant | None = None

    @model_validator(mode="after")
    def _another_prison(self) -> Transfer:
        if self.to_prisoner.institution == self.prisoner.institution:
            raise ValueError("a transfer goes to another prison")
        return self


class Readmission(CanonicalModel):
    """An inmate back after parole, furlough or recapture."""

    prisoner: PrisonerNumber
    readmitted_on: dt.date
    after: ReleaseReason

    @model_validator(mode="after")
    def _after_absence(self) -> Readmission:
        if self.after not in (*TEMPORARY_RELEASES, ReleaseReason.ESCAPE):
            raise ValueError("readmission follows parole, furlough, police custody or escape")
        return self


class Conviction(CanonicalModel):
    """An undertrial convicted: now held on a conviction warrant, with the sentence."""

    prisoner: PrisonerNumber
    convicted_on: dt.date
    warrant: Warrant
    sentence: Sentence | None = None


class CustodialDeath(CanonicalModel):
    """A death in custody: a magisterial inquiry is mandatory (BNSS s.196(2), CrPC s.176(1A))."""

    prisoner: PrisonerNumber
    died_on: dt.date
    cause: Text | None = None


class CustodyEscape(CanonicalModel):
    """An inmate escaped from custody."""

    prisoner: PrisonerNumber
    escaped_on: dt.date
    circumstances: Text | None = None
