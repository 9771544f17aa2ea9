"""The statutory clocks of a case: what starts each, what stops it, when it falls due, under
which provision, and which pillar and institution must act.

``clocks(status, today=...)`` computes every clock of a case from its projected status
(:class:`canonical_model.lifecycle.CaseStatus`, with the dates in ``status.clock_facts``). It
is pure: the same status and day give the same clocks, so the gateway computes them when a
status is read, and the emitter (``gateway/deadlines.py``) when it looks for clocks falling due.

How days are counted, and why:

- **Dates are Indian dates.** A time of day is taken to its calendar date in IST
  (:func:`canonical_model.clock_facts.ist_date`).
- **"within N days from" a day** excludes that day (General Clauses Act 1897, s.9(1): "the
  first in a series of days ... shall be excluded" when the word "from" is used): the last day
  of the period is the start + N. The one exception is default bail (BNSS s.187(3), CrPC
  s.167(2)), where the Supreme Court held that the day of the first remand counts
  (Enforcement Directorate v. Kapil Wadhawan, 2023; the reference is to be checked against
  the report before it is relied on): 60 days of custody end on the 59th day after the remand,
  and the
  accused may apply for default bail from the next day.
- **Months are calendar months** (General Clauses Act, s.3(35): "month" shall mean a month
  reckoned according to the British calendar): two months from 14 August end on 14 October;
  from 31 December on 28 (29) February.
- **Hours** (s.58's 24 hours, ss.184(1) and 194(2)) run from the recorded time when there is
  one; a clock of hours is also due on a date (the IST date its last hour falls in), and is
  overdue on the days after it when no time is known.
- **A clock is "due"** until the end of its last day, **"overdue"** from the day after,
  **"met"** when what stops it happened on or before its last day, **"missed"** when it happened
  later (the deadline was breached and then complied with), **"stayed"** while a court's stay
  of the proceedings runs.
- **The law in force** (BNSS s.531(2)(a)): an investigation pending on 1 July 2024 continues
  under the Code of Criminal Procedure, 1973; so does an inquiry or trial then pending. A case
  whose FIR was registered before that day carries the CrPC's clocks for its investigation
  (CrPC s.57, s.167(2), s.173(1A)); one whose police report was filed before it, the CrPC's
  trial clock (s.309(1) proviso). Clocks the CrPC has no counterpart for are not raised for them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from canonical_model.clock_facts import (
    AccusedClockFacts,
    Clock,
    ClockFacts,
    ClockOrder,
    ClockOrderKind,
    ClockState,
    ist_date,
)
from canonical_model.custody import review
from canonical_model.entities import Act, InmateCategory, Offence
from canonical_model.law import gravest, max_punishment
from canonical_model.lifecycle import AccusedStatus, CaseStatus

#: The day the BNSS came into force (S.O. 850(E), 23 February 2024); s.531(2)(a) keeps what was
#: pending before it under the CrPC.
BNSS_IN_FORCE = dt.date(2024, 7, 1)

__all__ = ["BNSS_IN_FORCE", "Clock", "ClockState", "add_months", "clocks"]


# --------------------------------------------------------------------------- counting


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months (General Clauses Act s.3(35)), clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def days_from(day: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` "from" ``day``, that day excluded (GCA s.9(1))."""
    return day + dt.timedelta(days=days)


def days_counting(day: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` that counts ``day`` itself (default bail)."""
    return day + dt.timedelta(days=days - 1)


def _state(
    *,
    today: dt.date,
    now: dt.datetime | None,
    due_on: dt.date,
    due_at: dt.datetime | None,
    stopped_on: dt.date | None,
    stopped_at: dt.datetime | None = None,
    stayed: bool = False,
) -> ClockState:
    if stopped_on is not None:
        if due_at is not None and stopped_at is not None:
            return ClockState.MET if stopped_at <= due_at else ClockState.MISSED
        return ClockState.MET if stopped_on <= due_on else ClockState.MISSED
    if stayed:
        return ClockState.STAYED
    if due_at is not None and now is not None:
        return ClockState.OVERDUE if now > due_at else ClockState.DUE
    return ClockState.OVERDUE if today > due_on else ClockState.DUE


class _Builder:
    """Collects a case's clocks, applying its extensions and stays."""

    def __init__(self, status: CaseStatus, *, today: dt.date, now: dt.datetime | None) -> None:
        self.status = status
        self.facts: ClockFacts = status.clock_facts
        self.today = today
        self.now = now
        self.clocks: list[Clock] = []

    def add(
        self,
        *,
        provision: str,
        title: str,
        pillar: str,
        institution: str | None,
        started_by: str,
        started_on: dt.date,
        due_on: dt.date,
        accused_ref: str | None = None,
        started_at: dt.datetime | None = None,
        due_at: dt.datetime | None = None,
        stopped_by: str | None = None,
        stopped_on: dt.date | None = None,
        stopped_at: dt.datetime | None = None,
        extendable_to: dt.date | None = None,
        note: str | None = None,
        key_suffix: str | None = None,
    ) -> Clock:
        extended_by = None
        extension = self._extension(provision, started_on)
        if extension is not None and extension.until is not None:
            # An extension moves the last day, never beyond what the Act allows (s.232: 180
            # days; s.258: 45 days): a longer one is read as the longest allowed.
            limit = extendable_to or extension.until
            due_on, due_at = min(extension.until, limit), None
            extended_by = f"order {extension.order_number} of {extension.on} ({extension.court})"
            if extension.until > limit:
                note = _join(note, f"extension to {extension.until} capped at {limit}")
        stay = self._stay(provision, started_on)
        stayed_by = (
            f"order {stay.order_number} of {stay.on} ({stay.court})" if stay is not None else None
        )
        state = _state(
            today=self.today,
            now=self.now,
            due_on=due_on,
            due_at=due_at,
            stopped_on=stopped_on,
            stopped_at=stopped_at,
            stayed=stay is not None,
        )
        clock = Clock(
            key="/".join(p for p in (provision, accused_ref, key_suffix) if p),
            provision=provision,
            title=title,
            pillar=pillar,
            institution=institution,
            accused_ref=accused_ref,
            started_by=started_by,
            started_on=started_on,
            started_at=started_at,
            due_on=due_on,
            due_at=due_at,
            stopped_by=stopped_by if stopped_on is not None else None,
            stopped_on=stopped_on,
            extended=extended_by is not None,
            extended_by=extended_by,
            stayed=stay is not None,
            stayed_by=stayed_by,
            state=state,
            days_left=(due_on - self.today).days,
            note=note,
        )
        self.clocks.append(clock)
        return clock

    def _extension(self, provision: str, since: dt.date) -> ClockOrder | None:
        found = [
            o
            for o in self.facts.orders
            if o.kind is ClockOrderKind.EXTENSION
            and o.provision == provision
            and o.on >= since
            and o.on <= self.today
        ]
        return max(found, key=lambda o: (o.on, o.until or o.on)) if found else None

    def _stay(self, provision: str, since: dt.date) -> ClockOrder | None:
        """The stay running today over ``provision`` (or over every clock of the case)."""
        running: ClockOrder | None = None
        for order in sorted(self.facts.orders, key=lambda o: o.on):
            if order.on > self.today or order.provision not in (None, provision):
                continue
            if order.kind is ClockOrderKind.STAY:
                ended = order.until is not None and order.until < self.today
                running = None if ended else order
            elif order.kind is ClockOrderKind.STAY_VACATED:
                running = None
        return running


def _join(first: str | None, second: str) -> str:
    return second if not first else f"{first}; {second}"


# --------------------------------------------------------------------------- which law


def _under_crpc(day: dt.date | None) -> bool:
    """Whether a proceeding pending on ``day`` continues under the CrPC (BNSS s.531(2)(a))."""
    return day is not None and day < BNSS_IN_FORCE


def _number(section: str) -> str:
    match = re.match(r"[0-9]+[A-Z]*", section.strip().upper())
    return match.group(0) if match else section.strip().upper()


#: BNSS s.193(2) and s.346(1) proviso: rape and the sexual offences tried with it.
BNS_SEXUAL = frozenset({"64", "65", "66", "67", "68", "70", "71"})
#: BNSS s.193(2): and the penetrative and aggravated sexual assaults of POCSO.
POCSO_193 = frozenset({"4", "6", "8", "10"})
#: CrPC s.173(1A) (as amended by Act 22 of 2018): rape under the IPC.
IPC_173_1A = frozenset({"376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB", "376E"})
#: CrPC s.309(1) proviso: the same offences, as the text lists them (without s.376E).
IPC_309 = frozenset({"376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB"})


def _charged(offences: list[Offence], act: Act, sections: frozenset[str]) -> list[Offence]:
    return [o for o in offences if o.act is act and _number(o.section) in sections]


# --------------------------------------------------------------------------- the clocks


def clocks(status: CaseStatus, *, today: dt.date, now: dt.datetime | None = None) -> list[Clock]:
    """Every statutory clock of the case on ``today`` (IST), with ``now`` for clocks of hours.

    A clock appears once what starts it has happened, and stays (met, missed) once stopped,
    so that a case's history of deadlines can be read back.
    """
    build = _Builder(status, today=today, now=now)
    for person in status.clock_facts.accused:
        _production(build, person)
        _default_bail(build, person)
    _investigation(build)
    _forensic_visit(build)
    _sexual_offence_trial(build)
    for accused in status.accused:
        _undertrial_review(build, accused)
    return build.clocks


def _station(build: _Builder) -> str | None:
    return build.status.police_station


def _production(build: _Builder, person: AccusedClockFacts) -> None:
    """BNSS s.58 (CrPC s.57): an arrested person is produced before a Magistrate within 24
    hours, the journey excluded."""
    if person.arrested_at is None:
        return
    crpc = _under_crpc(ist_date(build.status.fir_registered_at or person.arrested_at))
    due_at = person.arrested_at + dt.timedelta(hours=24)
    build.add(
        provision="CrPC 57" if crpc else "BNSS 58",
        title="production before a Magistrate within 24 hours of arrest",
        pillar="police",
        institution=_station(build),
        accused_ref=person.ref,
        started_by="arrest",
        started_on=ist_date(person.arrested_at),
        started_at=person.arrested_at,
        due_on=ist_date(due_at),
        due_at=due_at,
        stopped_by="produced before a Magistrate",
        stopped_on=person.produced_on,
        stopped_at=person.produced_at,
        note="the time of the journey to the Magistrate's court is excluded by the section "
        "and is not known to the gateway",
    )


def _default_bail(build: _Builder, person: AccusedClockFacts) -> None:
    """BNSS s.187(3) (CrPC s.167(2) proviso (a)): no detention beyond 90 days (offences
    punishable with death, life or 10 years or more) or 60 days (any other) in all; on expiry
    the accused is released on bail if he furnishes it. Counted from the first remand, that day
    included (see the module's notes); stopped by the police report against the accused
    (custody then rests on s.190 and the court's orders, not on s.187) or by bail."""
    if not person.remands:
        return
    first = min(person.remands, key=lambda r: r.on)
    offences = build.status.clock_facts.offences or list(build.status.offences)
    found = gravest(offences)
    unknown = [str(o) for o in offences if max_punishment(o) is None]
    note = None
    if found is not None and found[1].at_least_years(10):
        days = 90
    else:
        # Sixty days is the period of "any other offence"; where an offence's maximum is not
        # known the shorter period is shown (an early warning rather than a late one), and
        # the clock says so.
        days = 60
        if unknown:
            note = (
                f"the maximum punishment of {', '.join(unknown)} is not known: 60 days shown "
                "(90 if it is death, life or 10 years or more)"
            )
    crpc = _under_crpc(
        ist_date(build.status.fir_registered_at) if build.status.fir_registered_at else None
    )
    stops = [
        (d, by)
        for d, by in (
            (person.reported_on, "police report filed against the accused"),
            (
                build.status.clock_facts.first_report_on if _final_closure(build) else None,
                "final report filed",
            ),
            (person.bailed_on, "released on bail"),
        )
        if d is not None
    ]
    stopped_on, stopped_by = min(stops) if stops else (None, None)
    build.add(
        provision="CrPC 167(2)" if crpc else "BNSS 187(3)",
        title=f"default bail: detention before the police report at most {days} days",
        pillar="police",
        institution=_station(build),
        accused_ref=person.ref,
        started_by=f"first remand ({first.by})",
        started_on=first.on,
        due_on=days_counting(first.on, days),
        stopped_by=stopped_by,
        stopped_on=stopped_on,
        note=note,
    )


def _final_closure(build: _Builder) -> bool:
    """Whether the first final report was a closure or untraced report (it ends the
    investigation for every accused)."""
    facts = build.status.clock_facts
    return (
        facts.first_report_on is not None and facts.first_report_on != facts.first_charge_sheet_on
    )


def _investigation(build: _Builder) -> None:
    """BNSS s.193(2) (CrPC s.173(1A)): the investigation of rape and the sexual offences with
    it completed within two months from the date the information was recorded."""
    status = build.status
    if status.fir_registered_at is None:
        return
    recorded = ist_date(status.fir_registered_at)
    offences = status.clock_facts.offences or status.offences
    if _under_crpc(recorded):
        charged, provision = _charged(offences, Act.IPC, IPC_173_1A), "CrPC 173(1A)"
    else:
        charged = _charged(offences, Act.BNS, BNS_SEXUAL) + _charged(offences, Act.POCSO, POCSO_193)
        provision = "BNSS 193(2)"
    if not charged:
        return
    build.add(
        provision=provision,
        title="investigation of a sexual offence completed within two months",
        pillar="police",
        institution=_station(build),
        started_by="information recorded (FIR)",
        started_on=recorded,
        started_at=status.fir_registered_at,
        due_on=add_months(recorded, 2),
        stopped_by="police report filed",
        stopped_on=status.clock_facts.first_report_on,
        note=f"charged: {', '.join(str(o) for o in charged)}",
    )


def _forensic_visit(build: _Builder) -> None:
    """BNSS s.176(3): a forensic expert at the scene for offences punishable with seven years
    or more, from the date each State notifies. The check itself is
    :func:`canonical_model.forensics.forensic_visit_check` (it needs the State's date, a
    setting): the clock is shown when the status carries it and it applies."""
    check = build.status.forensic_visit
    if check is None or not check.applies or check.due_by is None:
        return
    status = build.status
    requested = [r.requested_at for r in status.forensic_requests]
    first = min(requested) if requested else None
    started_at = status.fir_registered_at
    build.add(
        provision="BNSS 176(3)",
        title="forensic expert to visit the scene (a forensic request on record)",
        pillar="police",
        institution=_station(build),
        started_by="information recorded (FIR)",
        started_on=ist_date(started_at) if started_at else ist_date(check.due_by),
        started_at=started_at,
        due_on=ist_date(check.due_by),
        due_at=check.due_by,
        stopped_by="forensic request",
        stopped_on=ist_date(first) if first else None,
        stopped_at=first,
        note=f"{check.gravest_offence}: {check.max_punishment}",
    )


def _sexual_offence_trial(build: _Builder) -> None:
    """BNSS s.346(1) proviso (CrPC s.309(1) proviso): the inquiry or trial of rape and the
    sexual offences with it completed within two months from the filing of the charge sheet."""
    facts = build.status.clock_facts
    filed = facts.first_charge_sheet_on
    if filed is None:
        return
    offences = build.status.offences
    if _under_crpc(filed):
        charged, provision = _charged(offences, Act.IPC, IPC_309), "CrPC 309(1) proviso"
    else:
        # A trial begun after 1 July 2024 is under the BNSS; its list names BNS sections only,
        # and an IPC rape charge sheet filed after that day is read under its BNS successor.
        charged = _charged(offences, Act.BNS, BNS_SEXUAL) + _charged(offences, Act.IPC, IPC_309)
        provision = "BNSS 346(1) proviso"
    if not charged:
        return
    build.add(
        provision=provision,
        title="inquiry or trial of a sexual offence completed within two months of the charge "
        "sheet",
        pillar="courts",
        institution=build.status.court,
        started_by="charge sheet filed",
        started_on=filed,
        due_on=add_months(filed, 2),
        stopped_by="judgment",
        stopped_on=facts.judgment_on,
        note=f"charged: {', '.join(str(o) for o in charged)}",
    )


def _undertrial_review(build: _Builder, person: AccusedStatus) -> None:
    """BNSS s.479: an undertrial detained for one third (a first offender, first proviso) or
    one half (s.479(1)) of the maximum term of the offence is to be released on bail, and in
    no case detained beyond the full maximum (third proviso); the Superintendent of the jail
    applies to the court when a period is completed (s.479(3)). The periods are
    :func:`canonical_model.custody.review`'s (days counted as the courts count them, calendar
    periods, the charged limb, both periods when first-offender status is unknown); a clock
    per period, due on the day it is completed, stopped when the accused leaves custody or the
    trial ends in judgment."""
    if not person.custody_periods or person.inmate_category not in (
        None,
        InmateCategory.UNDERTRIAL,
    ):
        return
    status = build.status
    arrested = person.arrested_at
    result = review(
        periods=person.custody_periods,
        today=build.today,
        first_offender=person.first_offender,
        offences=person.offences or status.offences,
        arrested_on=ist_date(arrested) if arrested else None,
    )
    if not result.thresholds:
        return  # excluded (death, life, fine only) or the maximum is not known
    prison = person.prison or person.custody_periods[-1].prison
    started = min(p.since for p in person.custody_periods)
    if arrested is not None and result.days_before_admission:
        started = ist_date(arrested)
    left = person.prison is None and person.prison_status not in (None, "in_police_custody")
    stops = [
        (day, by)
        for day, by in (
            (
                max((p.until for p in person.custody_periods if p.until), default=None)
                if left
                else None,
                f"left custody ({person.prison_status})",
            ),
            (status.clock_facts.judgment_on, "judgment"),
        )
        if day is not None
    ]
    stopped_on, stopped_by = min(stops) if stops else (None, None)
    notes = [result.note, *result.bar_479_2]
    for threshold in result.thresholds:
        portion = {"1/3": "one third", "1/2": "one half", "full": "the whole"}[threshold.fraction]
        build.add(
            provision=threshold.provision,
            title=f"undertrial detained for {portion} of the maximum term ({threshold.days} "
            f"days, {threshold.applies_to}): the Superintendent applies to the court "
            "(BNSS 479(3))",
            pillar="prisons",
            institution=prison,
            accused_ref=person.ref,
            started_by="detention (arrest or admission)",
            started_on=started,
            due_on=threshold.reached_on,
            stopped_by=stopped_by,
            stopped_on=stopped_on,
            note="; ".join(n for n in notes if n),
            key_suffix=threshold.fraction,
        )
