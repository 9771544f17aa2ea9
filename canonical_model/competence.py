"""Whether an institution may say a message of a case, judged from the case's history.

The records come from :mod:`canonical_model.authority` (court seizures, prison warrants),
folded into the case status; the gateway calls these checks inside the transaction that would
apply the message, so a held message is judged against the case as it is when released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from canonical_model.authority import SEIZURE_SECTIONS, CourtSeizure
from canonical_model.entities import CourtOrder, OrderKind
from canonical_model.errors import ContractViolation, Forbidden, Problem
from canonical_model.events import (
    CUSTODY_EVENTS,
    ChargesheetFiled,
    CourtCaseRegistered,
    CustodialDeathReported,
    CustodyEscapeReported,
    EventPayload,
    ForensicRequested,
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
    ProsecutorAssigned,
)
from canonical_model.identifiers import PrisonerNumber
from canonical_model.lifecycle import CaseStatus, inmate_by_prisoner, match_accused


@dataclass(frozen=True, slots=True)
class InstitutionRecord:
    """What the institution directory says of an institution: the checks need its level (for
    a court) and its area."""

    pillar: str
    code: str
    level: str | None = None
    state: str | None = None
    district: str | None = None


#: The institution directory as the checks see it: (pillar, code) -> its record, or None.
Directory = Callable[[str, str], "InstitutionRecord | None"]

#: How each pillar's institutions are called in error messages.
INSTITUTION_NOUNS = {
    "police": "police unit",
    "courts": "court establishment",
    "prisons": "prison",
    "forensics": "laboratory",
    "prosecution": "prosecution office",
    "transport": "registry",
    "operator": "operator unit",
}


def institution_references(payload: EventPayload) -> list[tuple[str, str, str]]:
    """Every institution a message names, as (pillar, code, canonical JSON pointer): each must
    be in the institution directory."""
    match payload:
        case ChargesheetFiled(report=report):
            return [("courts", str(report.court), "/report/court")]
        case PersonArrested(arrest=arrest) if arrest.produced_before is not None:
            return [("courts", str(arrest.produced_before), "/arrest/produced_before")]
        case CourtCaseRegistered(court_case=court_case):
            return [("courts", str(court_case.establishment), "/court_case/establishment")]
        case OrderIssued(order=order):
            refs = []
            if order.prison is not None:
                refs.append(("prisons", order.prison, "/order/prison"))
            if order.to_court is not None:
                refs.append(("courts", str(order.to_court), "/order/to_court"))
            if order.issued_by is not None:
                refs.append(("courts", str(order.issued_by), "/order/issued_by"))
            return refs
        case InmateAdmitted(admission=admission):
            return [("courts", str(admission.warrant.court), "/admission/warrant/court")]
        case InmateProduced(production=production):
            return [("courts", str(production.court), "/production/court")]
        case InmateTransferred(transfer=transfer):
            refs = [("prisons", transfer.to_prisoner.institution, "/transfer/to_prisoner")]
            if transfer.order is not None:
                refs.append(("courts", str(transfer.order.court), "/transfer/order/court"))
            return refs
        case InmateReleased(release=release) if release.order is not None:
            return [("courts", str(release.order.court), "/release/order/court")]
        case InmateConvicted(conviction=conviction):
            return [("courts", str(conviction.warrant.court), "/conviction/warrant/court")]
        case ForensicRequested(request=request):
            return [("forensics", str(request.lab), "/request/lab")]
        case ProsecutorAssigned(assignment=assignment):
            return [("courts", str(assignment.court), "/assignment/court")]
    return []


def check_institutions_known(payload: EventPayload, *, directory: Directory) -> None:
    """Raise ContractViolation (422) at each field naming an institution the directory lacks."""
    problems = [
        Problem(
            pointer,
            f"{INSTITUTION_NOUNS.get(pillar, pillar)} {code} is not in the institution directory",
        )
        for pillar, code, pointer in institution_references(payload)
        if directory(pillar, code) is None
    ]
    if problems:
        raise ContractViolation(
            f"the message names an unknown institution: {problems[0].message}", problems
        )


#: Court levels of the institution directory.
MAGISTRATE, SESSIONS, HIGH_COURT, JJB = (
    "magistrate",
    "sessions",
    "high_court",
    "juvenile_justice_board",
)


def _seizure_of(status: CaseStatus, court: str) -> CourtSeizure | None:
    return next((s for s in reversed(status.seized_courts) if s.court == court), None)


def _seized_text(status: CaseStatus) -> str:
    seizure = _seizure_of(status, status.court or "")
    if seizure is None:
        return f"the case is before court {status.court}"
    return (
        f"the case is before court {status.court}, seized on {seizure.on} by "
        f"{seizure.ground.value.replace('_', ' ')} {seizure.reference} "
        f"({SEIZURE_SECTIONS[seizure.ground]})"
    )


NOT_SEIZED = (
    "no court is seized of the case: a court is seized by a police report filed to it "
    "(BNSS s.193(3)), the production of an arrested person before it for remand (BNSS ss.58, "
    "187), a committal (BNSS s.232) or a transfer by a superior court (BNSS ss.446-448)"
)


def check_court_message(
    status: CaseStatus,
    payload: EventPayload,
    *,
    sender: str,
    directory: Directory,
) -> None:
    """Raise Forbidden unless ``sender`` (a court establishment) may say ``payload`` of the
    case: the court seized registers the case, records hearings, makes orders and delivers the
    judgment; a committal goes from the court seized to a Court of Session of its district;
    a transfer comes from the High Court of the State or the Sessions Judge of the district.
    ``directory`` gives the record of every court the message and the case name.
    """
    match payload:
        case OrderIssued(order=order) if order.kind is OrderKind.TRANSFER:
            _check_transfer(status, order, sender=sender, directory=directory)
            return
        case OrderIssued(order=order) if order.issued_by is not None:
            _check_superior_stay(status, sender=sender, directory=directory)
            return
        case OrderIssued(order=order) if order.kind is OrderKind.COMMITTAL:
            _require_seized(status, sender)
            target = directory("courts", str(order.to_court))
            here = directory("courts", sender)
            if target is None or target.level != SESSIONS:
                raise ContractViolation(
                    f"a committal goes to a Court of Session (BNSS s.232); {order.to_court} is not one",
                    [Problem("/order/to_court", f"{order.to_court} is not a Court of Session")],
                )
            if here is not None and (target.state, target.district) != (here.state, here.district):
                raise ContractViolation(
                    f"court {sender} commits to the Court of Session of its own sessions division "
                    f"(BNSS s.232); {order.to_court} is in {target.state}/{target.district}",
                    [
                        Problem(
                            "/order/to_court", "outside the committing court's sessions division"
                        )
                    ],
                )
            return
        case CourtCaseRegistered() | HearingRecorded() | OrderIssued() | JudgmentDelivered():
            _require_seized(status, sender)
        case _:
            return


def _require_seized(status: CaseStatus, sender: str) -> None:
    if status.court is None:
        raise Forbidden(f"court {sender} is not seized of the case: {NOT_SEIZED}")
    if status.court != sender:
        raise Forbidden(f"court {sender} is not seized of the case: {_seized_text(status)}")


def _check_transfer(
    status: CaseStatus, order: CourtOrder, *, sender: str, directory: Directory
) -> None:
    if status.court is None:
        raise Forbidden(f"there is no case before a court to transfer: {NOT_SEIZED}")
    issuer = directory("courts", sender)
    seized = directory("courts", status.court)
    target = directory("courts", str(order.to_court))
    if issuer is None or seized is None or target is None:
        # Every court named is checked against the directory before this (422 at its field).
        raise Forbidden(
            f"court {sender} may not transfer the case: a court is not in the directory"
        )
    if issuer.level == HIGH_COURT and issuer.state == seized.state == target.state:
        return  # BNSS s.446: the High Court, between criminal courts subordinate to it
    same_division = (
        (issuer.state, issuer.district)
        == (seized.state, seized.district)
        == (
            target.state,
            target.district,
        )
    )
    if issuer.level == SESSIONS and same_division and target.level != HIGH_COURT:
        return  # BNSS s.448: the Sessions Judge, from one criminal court to another of the division
    raise Forbidden(
        f"court {sender} may not transfer the case from {status.court} to {order.to_court}: a "
        "transfer comes from the High Court of the State (BNSS s.446) or the Sessions Judge "
        "of the sessions division, between its courts (BNSS s.448)"
    )


def _check_superior_stay(status: CaseStatus, *, sender: str, directory: Directory) -> None:
    """A stay of the proceedings (or its vacating) from a court other than the court seized:
    the High Court of the State (revision, BNSS ss.438(1), 442; inherent powers, s.528) or the
    Sessions Judge of the sessions division (s.438(1): calling for the record, he may direct that
    the execution of an order be suspended; s.440, revision)."""
    if status.court is None:
        raise Forbidden(f"there are no proceedings before a court to stay: {NOT_SEIZED}")
    issuer = directory("courts", sender)
    seized = directory("courts", status.court)
    if issuer is not None and seized is not None:
        if issuer.level == HIGH_COURT and issuer.state == seized.state:
            return
        if issuer.level == SESSIONS and (issuer.state, issuer.district) == (
            seized.state,
            seized.district,
        ):
            return
    raise Forbidden(
        f"court {sender} may not stay the proceedings before {status.court}: a stay comes from "
        "the court seized, the High Court of the State (BNSS ss.442, 528) or the Sessions Judge "
        "of the sessions division (BNSS ss.438, 440)"
    )


def check_prison_message(status: CaseStatus, payload: EventPayload, *, sender: str) -> None:
    """Raise Forbidden unless prison ``sender`` has authority over the inmate the message
    is about: an admission rests on a warrant or order of a court seized of the case that
    names this prison for that accused, or on the accused being held here already; every later
    message is about an inmate the case shows held (or last held) here."""
    match payload:
        case InmateAdmitted(admission=admission):
            inmate = admission.inmate
            person = inmate_by_prisoner(status, str(inmate.prisoner)) or match_accused(
                status,
                accused_ref=inmate.accused_ref,
                name=inmate.name,
                father_name=inmate.father_name,
            )
            ref = person.ref if person is not None else None
            if person is not None and person.prison == sender:
                return
            warrants = [w for w in status.prison_warrants if w.prison == sender and w.covers(ref)]
            if warrants:
                return
            who = f"accused {ref}" if ref else f"inmate {inmate.name}"
            named = sorted({w.prison for w in status.prison_warrants if w.covers(ref)})
            raise Forbidden(
                f"prison {sender} holds no warrant or order of a court seized of the case naming "
                f"it for {who} (BNSS ss.187, 346, 456): "
                + (
                    f"the case's warrants name {', '.join(named)}"
                    if named
                    else "no court has sent a warrant naming a prison for them"
                )
            )
        case _ if isinstance(payload, CUSTODY_EVENTS):
            prisoner = str(custody_prisoner(payload))
            person = inmate_by_prisoner(status, prisoner)
            last = person.custody_periods[-1].prison if person and person.custody_periods else None
            if last != sender:
                raise Forbidden(
                    f"prison {sender} does not hold prisoner {prisoner} in this case"
                    + (f" (the case shows them last held by {last})" if last else "")
                )
        case _:
            return


def custody_prisoner(payload: EventPayload) -> PrisonerNumber:
    """The prisoner number a custody event is sent for: the sending prison's own inmate (the
    prison of departure, for a transfer)."""
    match payload:
        case InmateAdmitted(admission=admission):
            return admission.inmate.prisoner
        case InmateProduced(production=production):
            return production.prisoner
        case InmateReleased(release=release):
            return release.prisoner
        case InmateTransferred(transfer=transfer):
            return transfer.prisoner
        case InmateReadmitted(readmission=readmission):
            return readmission.prisoner
        case InmateConvicted(conviction=conviction):
            return conviction.prisoner
        case CustodialDeathReported(death=death):
            return death.prisoner
        case CustodyEscapeReported(escape=escape):
            return escape.prisoner
    raise Forbidden(f"{payload.name} is not a custody event")
