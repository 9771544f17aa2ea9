"""The prisons' events (e-Prisons) folded into a case's status: admission, production,
release, transfer, readmission, conviction, death and escape; and how an inmate is matched to
an accused of the case, and their periods in custody kept.
"""

from __future__ import annotations

import datetime as dt

from canonical_model.clock_facts import Remand
from canonical_model.custody import CustodyPeriod
from canonical_model.entities import AccusedCustody, CustodyKind, InmateCategory, ReleaseReason
from canonical_model.events import (
    CustodialDeathReported,
    CustodyEscapeReported,
    InmateAdmitted,
    InmateConvicted,
    InmateProduced,
    InmateReadmitted,
    InmateReleased,
    InmateTransferred,
)
from canonical_model.lifecycle.handlers import PillarHandlers
from canonical_model.lifecycle.status import AccusedStatus, CaseStatus

# --------------------------------------------------------------------------- inmates


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


# --------------------------------------------------------------------------- custody periods


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


# --------------------------------------------------------------------------- handlers


def _admitted(status: CaseStatus, payload: InmateAdmitted) -> None:
    admission = payload.admission
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


def _produced(status: CaseStatus, payload: InmateProduced) -> None:
    p = payload.production
    person = inmate_by_prisoner(status, str(p.prisoner))
    if person is not None:
        how = "by video" if p.mode.value == "video" else "in person"
        person.last_order = f"produced {how} before {p.court} on {p.produced_on}"


def _released(status: CaseStatus, payload: InmateReleased) -> None:
    r = payload.release
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


def _transferred(status: CaseStatus, payload: InmateTransferred) -> None:
    t = payload.transfer
    person = inmate_by_prisoner(status, str(t.prisoner))
    if person is not None:
        _open_period(person, t.to_prisoner.institution, str(t.to_prisoner), t.transferred_on)


def _readmitted(status: CaseStatus, payload: InmateReadmitted) -> None:
    r = payload.readmission
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


def _convicted(status: CaseStatus, payload: InmateConvicted) -> None:
    c = payload.conviction
    person = inmate_by_prisoner(status, str(c.prisoner))
    if person is not None:
        person.inmate_category = InmateCategory.CONVICT
        if c.sentence is not None:
            person.sentence = c.sentence


def _death(status: CaseStatus, payload: CustodialDeathReported) -> None:
    d = payload.death
    status.custody_alerts.append(
        f"death in custody of prisoner {d.prisoner} on {d.died_on}: "
        "magisterial inquiry required (BNSS s.196(2))"
    )
    person = inmate_by_prisoner(status, str(d.prisoner))
    if person is not None:
        _leave(person, d.died_on, "died")


def _escape(status: CaseStatus, payload: CustodyEscapeReported) -> None:
    e = payload.escape
    status.custody_alerts.append(f"escape from custody of prisoner {e.prisoner} on {e.escaped_on}")
    person = inmate_by_prisoner(status, str(e.prisoner))
    if person is not None:
        _leave(person, e.escaped_on, "escaped")
        person.custody = AccusedCustody.ABSCONDING


#: The prisons' handlers, by payload type.
HANDLERS = PillarHandlers("prisons")
HANDLERS.add(InmateAdmitted, _admitted)
HANDLERS.add(InmateProduced, _produced)
HANDLERS.add(InmateReleased, _released)
HANDLERS.add(InmateTransferred, _transferred)
HANDLERS.add(InmateReadmitted, _readmitted)
HANDLERS.add(InmateConvicted, _convicted)
HANDLERS.add(CustodialDeathReported, _death)
HANDLERS.add(CustodyEscapeReported, _escape)
