"""Forensic requests on a case's status, the rules lab messages must keep, and BNSS s.176(3).

Three pure pieces the gateway composes:

* :class:`ForensicRequestStatus` and :func:`apply_forensic`: how the forensic events of a case
  fold into its status (request, acknowledgement, custody, current report and the reports it
  superseded);
* :func:`check_forensic_message`: what a laboratory message must agree with in the case it
  lands in (addressed to that laboratory, one report then revisions, known exhibits);
* :func:`forensic_visit_check`: the flag of BNSS s.176(3) for a case whose gravest offence is
  punishable with seven years or more and that has no forensic request after a number of days.

BNSS s.176(3), as enacted (``shared/data/acts/bharatiya-nagarik-suraksha-sanhita-2023.akn.xml``):
"On receipt of every information relating to the commission of an offence which is made
punishable for seven years or more, the officer in charge of a police station shall, from such
date, as may be notified within a period of five years by the State Government in this regard,
cause the forensic expert to visit the crime scene to collect forensic evidence ...". The Act
fixes no number of days: the visit is due on receipt of the information. The gateway sees the
forensic request, not the visit, so it allows a configurable number of days for the request to
appear before it flags the case; and it applies the rule per State, from the date each State
notified.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import Offence
from canonical_model.errors import Conflict, ContractViolation, Forbidden, Problem
from canonical_model.events import (
    EventPayload,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.forensic_records import (
    Attachment,
    CustodyAction,
    CustodyEntry,
    ExaminationKind,
    Examiner,
    ExhibitFinding,
    ForensicReport,
)
from canonical_model.law import gravest, max_punishment

#: The section the flag is raised under.
FORENSIC_VISIT_RULE = "BNSS s.176(3)"
#: Offences punishable with this many years or more call for the forensic visit (s.176(3)).
FORENSIC_VISIT_MIN_YEARS = 7
#: The wildcard State of :func:`parse_mandate_states`: every State not named.
ANY_STATE = "*"
_MANDATE_ITEM = re.compile(r"^(\*|[A-Z]{2})=([0-9]{4}-[0-9]{2}-[0-9]{2})$")


class ForensicState(StrEnum):
    """Where a forensic request stands."""

    REQUESTED = "requested"
    ACKNOWLEDGED = "acknowledged"
    UNDER_EXAMINATION = "under_examination"
    REPORTED = "reported"


class ReportView(BaseModel):
    """A laboratory report as the status shows it; ``superseded_by`` once it was revised."""

    model_config = ConfigDict(extra="forbid")

    report_number: str
    signed_on: dt.date
    examiner: Examiner
    conclusion: str
    findings: list[ExhibitFinding] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    supersedes: str | None = None
    revision_reason: str | None = None
    superseded_by: str | None = None

    @classmethod
    def of(cls, report: ForensicReport) -> ReportView:
        """The view of a canonical report."""
        return cls(
            report_number=report.report_number,
            signed_on=report.signed_on,
            examiner=report.examiner,
            conclusion=report.conclusion,
            findings=list(report.findings),
            attachments=list(report.attachments),
            supersedes=report.supersedes,
            revision_reason=report.revision_reason,
        )


class ForensicRequestStatus(BaseModel):
    """One forensic request of a case and everything that followed it."""

    model_config = ConfigDict(extra="forbid")

    request_id: str
    lab: str
    requested_at: dt.datetime
    examinations: list[ExaminationKind] = Field(default_factory=list)
    exhibits: list[str] = Field(default_factory=list, description="Exhibit ids.")
    state: ForensicState = ForensicState.REQUESTED
    lab_case: str | None = Field(default=None, description="LAB:NUMBER once acknowledged.")
    acknowledged_at: dt.datetime | None = None
    chain_of_custody: list[CustodyEntry] = Field(default_factory=list)
    current_report: ReportView | None = None
    superseded_reports: list[ReportView] = Field(
        default_factory=list, description="Earlier reports, oldest first; never erased."
    )


def _by_id(requests: list[ForensicRequestStatus], request_id: str) -> ForensicRequestStatus | None:
    return next((r for r in requests if r.request_id == request_id), None)


def _by_lab_case(
    requests: list[ForensicRequestStatus], lab_case: str
) -> ForensicRequestStatus | None:
    return next((r for r in requests if r.lab_case == lab_case), None)


#: Custody actions by which a laboratory has the exhibits in hand.
_IN_LAB = frozenset({CustodyAction.RECEIVED, CustodyAction.EXAMINED, CustodyAction.RESEALED})


def apply_forensic(requests: list[ForensicRequestStatus], payload: EventPayload) -> bool:
    """Fold one forensic event into a case's requests (in place); False for other events.

    Tolerant like the rest of the projection: an event whose request cannot be found changes
    nothing (the gateway checks lab messages with :func:`check_forensic_message` first).
    """
    match payload:
        case ForensicRequested(request=request):
            if _by_id(requests, request.request_id) is None:
                requests.append(
                    ForensicRequestStatus(
                        request_id=request.request_id,
                        lab=request.lab,
                        requested_at=request.requested_at,
                        examinations=list(request.examinations),
                        exhibits=[e.exhibit_id for e in request.exhibits],
                        chain_of_custody=list(request.chain_of_custody),
                    )
                )
        case ForensicAcknowledged(acknowledgement=ack):
            found = _by_id(requests, ack.request_id)
            if found is not None:
                found.lab_case = str(ack.lab_case)
                found.acknowledged_at = ack.received_at
                if found.state is ForensicState.REQUESTED:
                    found.state = ForensicState.ACKNOWLEDGED
        case ForensicCustodyRecorded(custody=custody):
            found = _by_lab_case(requests, str(custody.lab_case))
            if found is not None:
                found.chain_of_custody.extend(custody.entries)
                in_lab = any(e.action in _IN_LAB for e in custody.entries)
                if in_lab and found.state in (ForensicState.REQUESTED, ForensicState.ACKNOWLEDGED):
                    found.state = ForensicState.UNDER_EXAMINATION
        case ForensicReported(report=report) | ForensicReportRevised(report=report):
            found = _by_lab_case(requests, str(report.lab_case))
            if found is not None:
                previous = found.current_report
                if previous is not None:
                    previous.superseded_by = report.report_number
                    found.superseded_reports.append(previous)
                found.current_report = ReportView.of(report)
                found.state = ForensicState.REPORTED
        case _:
            return False
    return True


def check_forensic_message(requests: list[ForensicRequestStatus], payload: EventPayload) -> None:
    """Raise when a forensic message contradicts the case it refers to.

    Forbidden: a laboratory acknowledging a request addressed to another laboratory.
    Conflict: a request id used twice, a second acknowledgement with another case number, a
    second report where a revision is due, a revision of a report that is not the current one.
    ContractViolation: custody entries or findings about exhibits the request does not list.
    """
    match payload:
        case ForensicRequested(request=request):
            if _by_id(requests, request.request_id) is not None:
                raise Conflict(f"forensic request {request.request_id} was already made")
        case ForensicAcknowledged(acknowledgement=ack):
            found = _by_id(requests, ack.request_id)
            if found is None:
                return
            if found.lab != ack.lab_case.institution:
                raise Forbidden(
                    f"forensic request {ack.request_id} is addressed to laboratory {found.lab}, "
                    f"not to {ack.lab_case.institution}"
                )
            if found.lab_case is not None and found.lab_case != str(ack.lab_case):
                raise Conflict(
                    f"forensic request {ack.request_id} was acknowledged as lab case "
                    f"{found.lab_case}, not {ack.lab_case}"
                )
            _known_exhibits(found, ack.exhibits_received, "/acknowledgement/exhibits_received")
        case ForensicCustodyRecorded(custody=custody):
            found = _by_lab_case(requests, str(custody.lab_case))
            if found is not None:
                _known_exhibits(
                    found, [e.exhibit_id for e in custody.entries], "/custody/entries", "exhibit_id"
                )
        case ForensicReported(report=report):
            found = _by_lab_case(requests, str(report.lab_case))
            if found is None:
                return
            if found.current_report is not None:
                raise Conflict(
                    f"lab case {report.lab_case} already has report "
                    f"{found.current_report.report_number}; send a revision that supersedes it"
                )
            _known_exhibits(
                found, [f.exhibit_id for f in report.findings], "/report/findings", "exhibit_id"
            )
        case ForensicReportRevised(report=report):
            found = _by_lab_case(requests, str(report.lab_case))
            if found is None:
                return
            current = found.current_report
            if current is None or current.report_number != report.supersedes:
                raise Conflict(
                    f"report {report.supersedes} is not the current report of lab case "
                    f"{report.lab_case} ({current.report_number if current else 'none'}); "
                    "a revision supersedes the current report"
                )
            _known_exhibits(
                found, [f.exhibit_id for f in report.findings], "/report/findings", "exhibit_id"
            )
        case _:
            pass


def _known_exhibits(
    request: ForensicRequestStatus, named: list[str], pointer: str, member: str | None = None
) -> None:
    problems = [
        Problem(
            f"{pointer}/{i}" + (f"/{member}" if member else ""),
            f"exhibit {exhibit} is not one of request {request.request_id}'s: "
            + ", ".join(request.exhibits),
        )
        for i, exhibit in enumerate(named)
        if exhibit not in request.exhibits
    ]
    if problems:
        raise ContractViolation(
            f"the message names exhibits that forensic request {request.request_id} does not list",
            problems,
        )


# -- BNSS s.176(3) ------------------------------------------------------------------------


def parse_mandate_states(text: str) -> dict[str, dt.date]:
    """Parse ``MH=2024-07-01,DL=2024-09-01,*=2025-01-01`` into State -> start date.

    ``*`` stands for every State not named. Raises ValueError naming the item at fault.
    """
    starts: dict[str, dt.date] = {}
    for raw in text.split(","):
        item = raw.strip().upper()
        if not item:
            continue
        match = _MANDATE_ITEM.fullmatch(item)
        if match is None:
            raise ValueError(f"{raw.strip()!r}: expected STATE=YYYY-MM-DD or *=YYYY-MM-DD")
        state, day = match.groups()
        if state in starts:
            raise ValueError(f"{state} is given twice")
        try:
            starts[state] = dt.date.fromisoformat(day)
        except ValueError as exc:
            raise ValueError(f"{raw.strip()!r}: {exc}") from None
    return starts


class ForensicVisitCheck(BaseModel):
    """The BNSS s.176(3) check of a case, computed when the status is read.

    ``applies`` is None when the maximum punishment of the case cannot be told (offences the
    law table does not know); then the case is never flagged and ``unknown_offences`` says why.
    """

    model_config = ConfigDict(extra="forbid")

    rule: str = FORENSIC_VISIT_RULE
    applies: bool | None
    flagged: bool = False
    gravest_offence: str | None = None
    max_punishment: str = Field(description='In words; "unknown" when no offence is known.')
    unknown_offences: list[str] = Field(default_factory=list)
    mandate_from: dt.date | None = Field(
        default=None, description="The start date notified for the State of the case."
    )
    due_by: dt.datetime | None = Field(
        default=None, description="When a forensic request should be on record at the latest."
    )
    forensic_requests: int = 0
    reason: str


def forensic_visit_check(
    *,
    state: str | None,
    registered_at: dt.datetime | None,
    offences: Iterable[Offence],
    forensic_requests: int,
    now: dt.datetime,
    days: int,
    mandate: dict[str, dt.date],
) -> ForensicVisitCheck:
    """Whether the case is flagged under BNSS s.176(3) at ``now``.

    Flagged when: the gravest known offence is punishable with seven years or more (death and
    life count, as the section reads "punishable for seven years or more"); the FIR was
    registered on or after the date ``mandate`` gives for its State (or for ``*``); there is
    no forensic request; and more than ``days`` days have passed since the FIR.
    """
    offences = list(offences)
    unknown = [str(o) for o in offences if max_punishment(o) is None]
    found = gravest(offences)
    base: dict[str, Any] = {"unknown_offences": unknown, "forensic_requests": forensic_requests}
    if found is None:
        return ForensicVisitCheck(
            applies=None,
            max_punishment="unknown",
            reason="the maximum punishment of the case is unknown (no offence of it is in the "
            "law table); not flagged",
            **base,
        )
    offence, punishment = found
    base |= {"gravest_offence": str(offence), "max_punishment": punishment.describe()}
    if not punishment.at_least_years(FORENSIC_VISIT_MIN_YEARS):
        if unknown:
            return ForensicVisitCheck(
                applies=None,
                reason=f"the gravest known offence, {offence}, is punishable with less than "
                f"{FORENSIC_VISIT_MIN_YEARS} years, but the maximum of {', '.join(unknown)} is "
                "unknown; not flagged",
                **base,
            )
        return ForensicVisitCheck(
            applies=False,
            reason=f"the gravest offence, {offence}, is punishable with less than "
            f"{FORENSIC_VISIT_MIN_YEARS} years",
            **base,
        )
    start = mandate.get(state or "", mandate.get(ANY_STATE))
    if start is None:
        return ForensicVisitCheck(
            applies=False, reason=f"State {state} has no start date configured", **base
        )
    base["mandate_from"] = start
    if registered_at is None:
        return ForensicVisitCheck(
            applies=None, reason="the FIR's registration time is not known", **base
        )
    if registered_at.date() < start:
        return ForensicVisitCheck(
            applies=False,
            reason=f"the FIR was registered before {start}, the start date for State {state}",
            **base,
        )
    due_by = registered_at + dt.timedelta(days=days)
    base["due_by"] = due_by
    if forensic_requests:
        reason, flagged = f"{forensic_requests} forensic request(s) on record", False
    elif now > due_by:
        reason = (
            f"no forensic request {days} days after the FIR, though {offence} is punishable "
            f"with {punishment.describe()}"
        )
        flagged = True
    else:
        reason, flagged = f"no forensic request yet; due by {due_by.isoformat()}", False
    return ForensicVisitCheck(applies=True, flagged=flagged, reason=reason, **base)
