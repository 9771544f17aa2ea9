"""Prosecution on a case: where a police report goes under BNSS s.20, how the prosecution's
events fold into the case's status, and what their messages must agree with.

Pure pieces the gateway and the prosecution adapter compose:

* :func:`route_police_report` (and :func:`route`, :func:`level_for`): the offices a police
  report goes to: the district's Deputy Director to examine and scrutinise it (s.20(8), the
  only level the Act gives scrutiny to), and the office that monitors the case by the maximum
  punishment of its gravest offence (s.20(7)-(9));
* :class:`ProsecutionStatus` and :func:`apply_prosecution`: the prosecution part of a case's
  status: the routed office, the prosecutors assigned, every police report with each of its
  versions and their scrutiny, opinions and appeal recommendations;
* :func:`check_prosecution_message`: what a prosecution message must agree with in its case;
* :func:`stamp_prosecution`: what the gateway writes into an event at ingest from the case (the
  version of a re-filed report, the version a scrutiny judged, the office a judgment goes to).

BNSS s.20, as enacted (``shared/data/acts/bharatiya-nagarik-suraksha-sanhita-2023.akn.xml``):
"(7) The powers and functions of the Director of Prosecution shall be to monitor cases in which
offences are punishable for ten years or more, or with life imprisonment, or with death; to
expedite the proceedings and to give opinion on filing of appeals. (8) The powers and functions
of the Deputy Director of Prosecution shall be to examine and scrutinise police report and
monitor the cases in which offences are punishable for seven years or more, but less than ten
years, for ensuring their expeditious disposal. (9) The functions of the Assistant Director of
Prosecution shall be to monitor cases in which offences are punishable for less than seven
years. (10) Notwithstanding anything contained in sub-sections (7), (8) and (9), the Director,
Deputy Director or Assistant Director of Prosecution shall have the power to deal with and be
responsible for all proceedings under this Sanhita."

Read limb by limb: scrutiny of police reports is a function of the Deputy Director alone
(s.20(8) "to examine and scrutinise police report"), for every report, so every report goes to
the district's Deputy Director *for scrutiny*. Monitoring is by gravity: the Director monitors
cases of ten years or more, life or death, expedites them and gives opinions on appeals
(s.20(7)); the Deputy Director monitors seven to under ten years (s.20(8)); the Assistant
Director less than seven (s.20(9)). So a report also goes, *for monitoring*, to the Director or
the Assistant Director when the case is theirs; s.20(10) lets any of them deal with any
proceeding, so none is shut out of a case of its area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import (
    CanonicalModel,
    DocumentRef,
    Offence,
    PoliceReport,
    PoliceReportKind,
)
from canonical_model.errors import Conflict, ContractViolation, Forbidden, Problem
from canonical_model.events import (
    AppealRecommended,
    ChargesheetFiled,
    EventPayload,
    JudgmentDelivered,
    LegalOpinionGiven,
    ProsecutorAssigned,
    ScrutinyCompleted,
)
from canonical_model.identifiers import ProsecutionLevel, ProsecutionOffice
from canonical_model.law import Punishment, gravest, is_liability_provision, max_punishment
from canonical_model.prosecution_records import (
    Deficiency,
    ProsecutionMessage,
    Prosecutor,
    ScrutinyOutcome,
)

#: Offences punishable with this many years or more (or life, or death) go to the Director.
DIRECTOR_MIN_YEARS = 10
#: Offences punishable with this many years or more, and less than ten, go to a Deputy Director.
DEPUTY_DIRECTOR_MIN_YEARS = 7

#: The sub-section of BNSS s.20 that gives each level its cases.
RULES: dict[ProsecutionLevel, str] = {
    ProsecutionLevel.DIRECTOR: "BNSS s.20(7)",
    ProsecutionLevel.DEPUTY_DIRECTOR: "BNSS s.20(8)",
    ProsecutionLevel.ASSISTANT_DIRECTOR: "BNSS s.20(9)",
}


#: BNSS s.20(8): the Deputy Director examines and scrutinises police reports.
SCRUTINY_RULE = "BNSS s.20(8)"

#: What each level does with a case it monitors, as s.20(7)-(9) put it.
FUNCTIONS: dict[ProsecutionLevel, str] = {
    ProsecutionLevel.DIRECTOR: "monitors the case, expedites the proceedings and gives opinion "
    "on filing appeals",
    ProsecutionLevel.DEPUTY_DIRECTOR: "monitors the case for its expeditious disposal",
    ProsecutionLevel.ASSISTANT_DIRECTOR: "monitors the case",
}


class ProsecutionRouting(CanonicalModel):
    """Where a police report goes under BNSS s.20, and why: ``office`` examines and
    scrutinises it (the district's Deputy Director, s.20(8)); ``monitoring_office`` monitors
    the case at the level the gravest offence's maximum punishment gives (s.20(7)-(9))."""

    office: ProsecutionOffice = Field(
        description="The office the report goes to for scrutiny: the district's Deputy "
        "Director (BNSS s.20(8))."
    )
    level: ProsecutionLevel = Field(description="The scrutinising office's level.")
    rule: str = Field(description="The sub-section of BNSS s.20 that gives it the scrutiny.")
    gravest_offence: Offence | None = Field(
        default=None, description="The offence with the greatest maximum punishment known."
    )
    max_punishment: Punishment | None = None
    punishment: str = Field(description='The maximum punishment in words; "unknown" when none.')
    unknown_offences: list[str] = Field(
        default_factory=list, description="Offences whose punishment the law table does not know."
    )
    monitoring_office: ProsecutionOffice | None = Field(
        default=None,
        description="The office that monitors the case (s.20(7)-(9)); None while an offence's "
        "punishment is unknown and the band cannot be told.",
    )
    monitoring_level: ProsecutionLevel | None = None
    monitoring_rule: str | None = Field(
        default=None, description="The sub-section of BNSS s.20 that gives it the case."
    )
    reason: str

    def offices(self) -> list[ProsecutionOffice]:
        """The offices the report goes to: the scrutinising one, then the monitoring one when
        it is another."""
        found = [self.office]
        if self.monitoring_office is not None and self.monitoring_office != self.office:
            found.append(self.monitoring_office)
        return found

    def purpose(self, office: str) -> str:
        """Why the report is on ``office``'s feed: ``scrutiny`` or ``monitoring``."""
        return "scrutiny" if office == str(self.office) else "monitoring"


def level_for(punishment: Punishment | None) -> ProsecutionLevel:
    """The monitoring level of BNSS s.20(7)-(9) for a maximum punishment; unknown -> Deputy
    Director.

    Death and imprisonment for life count as more than any term of years (s.20(7) names them
    beside "ten years or more"); a fine-only offence is below seven years.
    """
    if punishment is None:
        return ProsecutionLevel.DEPUTY_DIRECTOR
    if punishment.at_least_years(DIRECTOR_MIN_YEARS):
        return ProsecutionLevel.DIRECTOR
    if punishment.at_least_years(DEPUTY_DIRECTOR_MIN_YEARS):
        return ProsecutionLevel.DEPUTY_DIRECTOR
    return ProsecutionLevel.ASSISTANT_DIRECTOR


def _office(state: str, district: str, level: ProsecutionLevel) -> ProsecutionOffice:
    if level is ProsecutionLevel.DIRECTOR:
        return ProsecutionOffice.director(state)
    return ProsecutionOffice.district_office(state, district, level)


_BANDS = {
    ProsecutionLevel.DIRECTOR: "ten years or more, imprisonment for life or death",
    ProsecutionLevel.DEPUTY_DIRECTOR: "seven years or more but less than ten",
    ProsecutionLevel.ASSISTANT_DIRECTOR: "less than seven years",
}


def route(offences: Iterable[Offence], *, state: str, district: str) -> ProsecutionRouting:
    """The offices a report of ``offences`` in ``state`` and ``district`` goes to.

    Every report goes to the district's Deputy Director for scrutiny (s.20(8)), whatever its
    offences, so none is ever dropped. The monitoring office follows the gravest offence's
    charged limb; when an offence's punishment is unknown and the known ones are below ten
    years, the band cannot be told and no monitoring office is named: the Deputy Director who
    scrutinises deals with it (s.20(10)).
    """
    # Common intention, common object and abetment (BNS ss.3(5), 190, 49) are punished as the
    # offence they accompany: they are neither graver nor unknown.
    offences = list(offences)
    offences = [o for o in offences if not is_liability_provision(o)] or offences
    unknown = [str(o) for o in offences if max_punishment(o) is None]
    scrutiny = ProsecutionLevel.DEPUTY_DIRECTOR
    office = _office(state, district, scrutiny)
    lead = (
        "sent for scrutiny to the district's Deputy Director of Prosecution, whose office "
        f"examines and scrutinises police reports ({SCRUTINY_RULE})"
    )
    found = gravest(offences)
    if found is None:
        return ProsecutionRouting(
            office=office,
            level=scrutiny,
            rule=SCRUTINY_RULE,
            punishment="unknown",
            unknown_offences=unknown,
            reason=f"{lead}; the maximum punishment of no offence of the report is in the law "
            f"table ({', '.join(unknown)}), so the office that monitors the case cannot be told "
            "yet and the Deputy Director deals with it (BNSS s.20(10))",
        )
    offence, punishment = found
    level = level_for(punishment)
    reason = (
        f"{lead}; the gravest offence, {offence}, is punishable with {punishment.describe()}: "
        f"cases of offences punishable with {_BANDS[level]} are monitored by the "
        f"{level.office_title} ({RULES[level]}), who {FUNCTIONS[level]}"
    )
    monitoring: ProsecutionLevel | None = level
    if unknown and level is not ProsecutionLevel.DIRECTOR:
        monitoring = None
        reason = (
            f"{lead}; the gravest known offence, {offence}, is punishable with "
            f"{punishment.describe()}, but the punishment of {', '.join(unknown)} is not in the "
            "law table and may be graver, so the office that monitors the case cannot be told "
            "yet and the Deputy Director deals with it (BNSS s.20(10))"
        )
    elif unknown:
        reason += f"; the punishment of {', '.join(unknown)} is not in the law table"
    return ProsecutionRouting(
        office=office,
        level=scrutiny,
        rule=SCRUTINY_RULE,
        gravest_offence=offence,
        max_punishment=punishment,
        punishment=punishment.describe(),
        unknown_offences=unknown,
        monitoring_office=_office(state, district, monitoring) if monitoring else None,
        monitoring_level=monitoring,
        monitoring_rule=RULES[monitoring] if monitoring else None,
        reason=reason,
    )


def report_offences(report: PoliceReport) -> list[Offence]:
    """Every offence a police report names: its own, then each accused's charges, once each."""
    seen: list[Offence] = []
    for offence in [*report.offences, *(o for a in report.accused for o in a.offences)]:
        if offence not in seen:
            seen.append(offence)
    return seen


def route_police_report(report: PoliceReport) -> ProsecutionRouting:
    """The offices a police report goes to (for scrutiny, and for monitoring by its gravest
    offence), in the State and district of its FIR."""
    return route(report_offences(report), state=report.fir.state, district=report.fir.district)


# --------------------------------------------------------------------------- the status


class ScrutinyState(StrEnum):
    """Where the scrutiny of a police report stands (that of its latest version)."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned_with_deficiencies"
    REFILED = "refiled"  # filed again after being returned; awaiting scrutiny


class ScrutinyView(BaseModel):
    """The scrutiny of one version of a report, as the status shows it."""

    model_config = ConfigDict(extra="forbid")

    office: str
    outcome: ScrutinyOutcome
    scrutinised_on: dt.date
    deficiencies: list[Deficiency] = Field(default_factory=list)
    prosecutor: Prosecutor | None = None
    remarks: str | None = None


class ReportVersion(BaseModel):
    """One filing of a police report: the first, or a re-filing under the same number."""

    model_config = ConfigDict(extra="forbid")

    version: int
    filed_on: dt.date
    offences: list[Offence] = Field(default_factory=list)
    accused: list[str] = Field(default_factory=list, description="Refs of the accused sent up.")
    witnesses: int = 0
    documents: list[DocumentRef] = Field(default_factory=list)
    routing: ProsecutionRouting
    scrutiny: list[ScrutinyView] = Field(
        default_factory=list, description="Every scrutiny of this version, oldest first."
    )


class ReportScrutiny(BaseModel):
    """A police report of the case, every version of it, and where its scrutiny stands."""

    model_config = ConfigDict(extra="forbid")

    report_number: str
    kind: PoliceReportKind
    supplementary: bool = False
    state: ScrutinyState = ScrutinyState.PENDING
    versions: list[ReportVersion] = Field(default_factory=list)

    @property
    def latest(self) -> ReportVersion:
        """The version filed last."""
        return self.versions[-1]


class AssignmentView(BaseModel):
    """A prosecutor assigned to the case."""

    model_config = ConfigDict(extra="forbid")

    office: str
    prosecutor: Prosecutor
    court: str
    assigned_on: dt.date
    prosecution_number: str | None = None


class OpinionView(BaseModel):
    """A legal opinion given in the case."""

    model_config = ConfigDict(extra="forbid")

    office: str
    subject: str
    opinion: str
    given_on: dt.date
    opinion_number: str | None = None
    prosecutor: Prosecutor | None = None


class AppealView(BaseModel):
    """A recommendation whether to appeal a judgment of the case."""

    model_config = ConfigDict(extra="forbid")

    office: str
    judgment_date: dt.date
    recommended: bool
    grounds: list[str]
    recommended_on: dt.date
    accused_refs: list[str] = Field(default_factory=list)
    appeal_to: str | None = None


class ProsecutionStatus(BaseModel):
    """The prosecution side of a case."""

    model_config = ConfigDict(extra="forbid")

    routed_to: str | None = Field(
        default=None,
        description="The office the latest police report went to for scrutiny (BNSS s.20(8)).",
    )
    level: ProsecutionLevel | None = None
    monitored_by: str | None = Field(
        default=None,
        description="The office that monitors the case by its gravest offence (BNSS "
        "s.20(7)-(9)); None while that cannot be told.",
    )
    routing: ProsecutionRouting | None = Field(
        default=None, description="Why the latest police report went where it went."
    )
    prosecutor: AssignmentView | None = Field(default=None, description="The current prosecutor.")
    assignments: list[AssignmentView] = Field(default_factory=list)
    reports: list[ReportScrutiny] = Field(default_factory=list)
    opinions: list[OpinionView] = Field(default_factory=list)
    appeal_recommendations: list[AppealView] = Field(default_factory=list)

    def report(self, report_number: str) -> ReportScrutiny | None:
        """The report with ``report_number``, if the case has it."""
        return next((r for r in self.reports if r.report_number == report_number), None)

    def handling_office(self) -> str | None:
        """The office that handles the case: the current prosecutor's, else the one monitoring
        it, else the one scrutinising its report."""
        if self.prosecutor is not None:
            return self.prosecutor.office
        return self.monitored_by or self.routed_to


def _state(report: ReportScrutiny) -> ScrutinyState:
    latest = report.latest
    if latest.scrutiny:
        last = latest.scrutiny[-1].outcome
        return (
            ScrutinyState.APPROVED if last is ScrutinyOutcome.APPROVED else ScrutinyState.RETURNED
        )
    return ScrutinyState.REFILED if latest.version > 1 else ScrutinyState.PENDING


def apply_prosecution(status: ProsecutionStatus, payload: EventPayload) -> bool:
    """Fold one event into the prosecution status (in place); False for events it ignores.

    A police report filed again under its number becomes its next version; both are kept.
    """
    match payload:
        case ChargesheetFiled(report=report):
            _file(status, report)
        case ProsecutorAssigned(assignment=a):
            view = AssignmentView(
                office=str(a.office),
                prosecutor=a.prosecutor,
                court=str(a.court),
                assigned_on=a.assigned_on,
                prosecution_number=str(a.prosecution_number) if a.prosecution_number else None,
            )
            status.assignments.append(view)
            status.prosecutor = view
        case ScrutinyCompleted(scrutiny=s):
            found = status.report(s.report_number)
            if found is None:
                return True  # the gateway refuses such a message first (check_prosecution_message)
            version = next((v for v in found.versions if v.version == s.version), found.latest)
            version.scrutiny.append(
                ScrutinyView(
                    office=str(s.office),
                    outcome=s.outcome,
                    scrutinised_on=s.scrutinised_on,
                    deficiencies=list(s.deficiencies),
                    prosecutor=s.prosecutor,
                    remarks=s.remarks,
                )
            )
            found.state = _state(found)
        case LegalOpinionGiven(opinion=o):
            status.opinions.append(
                OpinionView(
                    office=str(o.office),
                    subject=o.subject,
                    opinion=o.opinion,
                    given_on=o.given_on,
                    opinion_number=o.opinion_number,
                    prosecutor=o.prosecutor,
                )
            )
        case AppealRecommended(recommendation=r):
            status.appeal_recommendations.append(
                AppealView(
                    office=str(r.office),
                    judgment_date=r.judgment_date,
                    recommended=r.recommended,
                    grounds=list(r.grounds),
                    recommended_on=r.recommended_on,
                    accused_refs=list(r.accused_refs),
                    appeal_to=r.appeal_to,
                )
            )
        case _:
            return False
    return True


def _file(status: ProsecutionStatus, report: PoliceReport) -> None:
    routing = route_police_report(report)
    found = status.report(report.report_number)
    if found is None:
        found = ReportScrutiny(
            report_number=report.report_number,
            kind=report.kind,
            supplementary=report.supplementary,
        )
        status.reports.append(found)
    found.kind = report.kind
    found.versions.append(
        ReportVersion(
            version=len(found.versions) + 1,
            filed_on=report.filed_on,
            offences=report_offences(report),
            accused=[a.person.ref for a in report.accused],
            witnesses=len(report.witnesses),
            documents=list(report.documents),
            routing=routing,
        )
    )
    found.state = _state(found)
    status.routed_to = str(routing.office)
    status.level = routing.level
    status.monitored_by = str(routing.monitoring_office) if routing.monitoring_office else None
    status.routing = routing


# --------------------------------------------------------------------------- ingest


def next_report_version(status: ProsecutionStatus, report_number: str) -> int:
    """The version a filing of ``report_number`` will be: 1, or one more than those filed."""
    found = status.report(report_number)
    return 1 if found is None else len(found.versions) + 1


def check_prosecution_message(
    payload: EventPayload,
    *,
    status: ProsecutionStatus,
    police_station: str | None,
    judgment_date: dt.date | None,
) -> None:
    """Raise when a prosecution message contradicts the case it refers to.

    Forbidden: an office speaking of a case outside its area (another State; for a district
    office, another district), whatever the reference it found the case by. ContractViolation:
    a scrutiny of a report (or version) the case does not have, or an appeal recommendation
    naming another judgment date, located at the canonical field. Conflict: an appeal
    recommendation on a case without a judgment.
    """
    message = prosecution_message(payload)
    if message is None:
        return
    office = message.office
    if not office_covers_case(office, police_station):
        raise Forbidden(
            f"the case of police station {police_station} is outside the area of prosecution "
            f"office {office}"
        )
    match payload:
        case ScrutinyCompleted(scrutiny=s):
            found = status.report(s.report_number)
            if found is None:
                known = ", ".join(r.report_number for r in status.reports) or "none"
                raise ContractViolation(
                    f"the case has no police report {s.report_number}",
                    [
                        Problem(
                            "/scrutiny/report_number",
                            f"no police report {s.report_number} was filed in this case; "
                            f"its reports: {known}",
                        )
                    ],
                )
            if s.version is not None and s.version > len(found.versions):
                raise ContractViolation(
                    f"police report {s.report_number} has no version {s.version}",
                    [
                        Problem(
                            "/scrutiny/version",
                            f"report {s.report_number} was filed {len(found.versions)} time(s); "
                            f"version {s.version} does not exist",
                        )
                    ],
                )
        case AppealRecommended(recommendation=r):
            if judgment_date is None:
                raise Conflict(
                    "the case has no judgment yet; an appeal recommendation follows a judgment"
                )
            if r.judgment_date != judgment_date:
                raise ContractViolation(
                    f"the case's judgment is of {judgment_date}, not {r.judgment_date}",
                    [
                        Problem(
                            "/recommendation/judgment_date",
                            f"the judgment of this case was delivered on {judgment_date}",
                        )
                    ],
                )
        case _:
            pass


def prosecution_message(payload: EventPayload) -> ProsecutionMessage | None:
    """The prosecution message an event carries (office and case references); None for events
    of other pillars."""
    match payload:
        case ProsecutorAssigned(assignment=message):
            return message
        case ScrutinyCompleted(scrutiny=message):
            return message
        case LegalOpinionGiven(opinion=message):
            return message
        case AppealRecommended(recommendation=message):
            return message
    return None


def office_covers_case(office: ProsecutionOffice, police_station: str | None) -> bool:
    """Whether a case registered at ``police_station`` (``MH/AU/CIDCO``) is within the office's
    area: its State for the Director, its district for a district office."""
    if police_station is None:
        return False
    state, _, rest = police_station.partition("/")
    district = rest.partition("/")[0]
    return office.covers(state, district)


def stamp_prosecution(payload: EventPayload, status: ProsecutionStatus) -> EventPayload:
    """The event with what the gateway knows from the case written in: the version of a filed
    police report, the version a scrutiny judged (the latest when the office did not say), the
    office a judgment goes to.

    Written into the event at ingest, as prisoner numbers are into court orders, so that the
    prosecution adapter routes and writes its feed from the event alone.
    """
    match payload:
        case ChargesheetFiled(report=report):
            version = next_report_version(status, report.report_number)
            return payload.model_copy(update={"report_version": version})
        case ScrutinyCompleted(scrutiny=s) if s.version is None:
            found = status.report(s.report_number)
            if found is None:
                return payload
            scrutiny = s.model_copy(update={"version": found.latest.version})
            return payload.model_copy(update={"scrutiny": scrutiny})
        case JudgmentDelivered() if payload.prosecution_office is None:
            office = status.handling_office()
            if office is None:
                return payload
            return payload.model_copy(
                update={"prosecution_office": ProsecutionOffice.parse(office)}
            )
        case _:
            return payload
