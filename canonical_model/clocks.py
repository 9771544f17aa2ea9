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
  of the proceedings runs. A party's period rather than an institution's duty (the accused's
  sixty days to apply for discharge, ss.250(1), 262(1): ``ClockKind.PERIOD``) **lapses**: it is
  never overdue, and no breach is announced for it.
- **Extensions** move the last day only where the Act allows one (s.232 proviso: to 180 days
  from cognizance; s.258(1): to 45 days from the completion of arguments), and never beyond
  it: a longer extension is read as the longest allowed, and the clock says so.
- **Stays.** While a court's stay runs, a clock it covers is "stayed"; once it ends (vacated,
  or its last day passed) the clock's last day moves by the days it ran, the day it was made
  and the day it ended included, as the Limitation Act 1963 s.15(1) excludes "the time of the
  continuance of the injunction or order, the day on which it was issued or made, and the day
  on which it was withdrawn" (applied here by analogy: the BNSS says nothing of stays). A stay
  naming no provision stays the proceedings before the court, so it covers the courts'
  clocks; a stay naming a provision covers that clock. No stay covers a clock of the
  accused's liberty (ss.58, 187, 479, 480(6)): a stay of the proceedings never lengthens a
  detention.
- **The law in force** (BNSS s.531(2)(a)): an investigation pending on 1 July 2024 continues
  under the Code of Criminal Procedure, 1973; so does an inquiry or trial then pending. A case
  whose FIR was registered before that day carries the CrPC's clocks for its investigation
  (CrPC s.57, s.167(2), s.173(1A)); one whose police report was filed before it, the CrPC's
  trial clock (s.309(1) proviso). Clocks the CrPC has no counterpart for are not raised for them:
  it had one for s.184(1) (CrPC s.164A(1), the same 24 hours) and s.480(6) (CrPC s.437(6), the
  same 60 days), and none with a period for ss.184(6) and 194(2) ("without delay",
  "forthwith"), 193(3)(ii), 230 (s.207: "without delay"), 232 (s.209), 250, 251, 258, 262, 263.
  The CrPC's police custody under s.167(2) (fifteen days, read as the first fifteen days of
  detention: CBI v. Anupam J. Kulkarni, 1992) is not computed.
"""

from __future__ import annotations

import datetime as dt
import re

from canonical_model.authority import SeizureGround
from canonical_model.clock_facts import (
    AccusedClockFacts,
    Clock,
    ClockFacts,
    ClockKind,
    ClockOrder,
    ClockOrderKind,
    ClockState,
    CustodyKind,
    Remand,
    ist_date,
)
from canonical_model.custody import add_months, review
from canonical_model.entities import Act, InmateCategory, InvestigationStepKind, Offence
from canonical_model.law import Limb, charged_limb, gravest, max_punishment
from canonical_model.lifecycle import AccusedStatus, CaseStatus

#: The day the BNSS came into force (S.O. 850(E), 23 February 2024); s.531(2)(a) keeps what was
#: pending before it under the CrPC.
BNSS_IN_FORCE = dt.date(2024, 7, 1)

__all__ = ["BNSS_IN_FORCE", "Clock", "ClockKind", "ClockState", "add_months", "clocks"]


# --------------------------------------------------------------------------- counting


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
    kind: ClockKind = ClockKind.DUTY,
) -> ClockState:
    if stopped_on is not None:
        if due_at is not None and stopped_at is not None:
            return ClockState.MET if stopped_at <= due_at else ClockState.MISSED
        return ClockState.MET if stopped_on <= due_on else ClockState.MISSED
    if stayed:
        return ClockState.STAYED
    past = now > due_at if due_at is not None and now is not None else today > due_on
    if not past:
        return ClockState.DUE
    return ClockState.LAPSED if kind is ClockKind.PERIOD else ClockState.OVERDUE


def _covers(named: str, provision: str) -> bool:
    """Whether an order naming ``named`` ("BNSS 258") acts on the clock of ``provision``
    ("BNSS 258(1)"): the same provision, or a part of it."""
    return provision == named or provision.startswith((named + "(", named + " "))


#: Clocks of the accused's liberty: no stay of the proceedings lengthens them.
LIBERTY = ("BNSS 58", "CrPC 57", "BNSS 187", "CrPC 167", "BNSS 479", "BNSS 480", "CrPC 437")


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
        kind: ClockKind = ClockKind.DUTY,
    ) -> Clock:
        extended_by = None
        extension = self._extension(provision, started_on)
        if extension is not None and extension.until is not None:
            if extendable_to is None:
                note = _join(
                    note,
                    f"order {extension.order_number} of {extension.on} extends {provision}, "
                    "which the Act does not allow to be extended: not applied",
                )
            else:
                # An extension moves the last day, never beyond what the Act allows (s.232:
                # 180 days; s.258(1): 45 days): a longer one is read as the longest allowed.
                due_on, due_at = max(due_on, min(extension.until, extendable_to)), None
                extended_by = (
                    f"order {extension.order_number} of {extension.on} ({extension.court})"
                )
                if extension.until > extendable_to:
                    note = _join(
                        note,
                        f"extension to {extension.until} capped at {extendable_to}, the most "
                        f"{provision} allows",
                    )
        stay, due_on, stay_note = self._stays(provision, pillar, started_on, due_on)
        if stay_note:
            due_at = None
            note = _join(note, stay_note)
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
            kind=kind,
        )
        clock = Clock(
            key="/".join(p for p in (provision, accused_ref, key_suffix) if p),
            provision=provision,
            title=title,
            kind=kind,
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
            and o.provision is not None
            and _covers(o.provision, provision)
            and o.on >= since
            and o.on <= self.today
        ]
        return max(found, key=lambda o: (o.on, o.until or o.on)) if found else None

    def _stays(
        self, provision: str, pillar: str, since: dt.date, due_on: dt.date
    ) -> tuple[ClockOrder | None, dt.date, str | None]:
        """The stay running today over the clock (if any), its last day moved by the stays
        that ran and ended (see the module's notes), and a note saying so."""
        if provision.startswith(LIBERTY):
            return None, due_on, None

        def covers(order: ClockOrder) -> bool:
            if order.provision is None:
                return pillar == "courts"
            return _covers(order.provision, provision)

        running: ClockOrder | None = None
        began: dt.date | None = None
        moved: list[str] = []
        for order in sorted(self.facts.orders, key=lambda o: o.on):
            if order.on > self.today or not covers(order):
                continue
            # A stay with a last day that has passed ended on that day.
            if (
                running is not None
                and began is not None
                and running.until is not None
                and running.until < order.on
            ):
                due_on = _moved(due_on, began, running.until, since, moved)
                running, began = None, None
            if order.kind is ClockOrderKind.STAY:
                if running is None:
                    began = order.on
                running = order
            elif order.kind is ClockOrderKind.STAY_VACATED and running is not None:
                assert began is not None
                due_on = _moved(due_on, began, order.on, since, moved)
                running, began = None, None
        if (
            running is not None
            and began is not None
            and running.until is not None
            and running.until < self.today
        ):
            due_on = _moved(due_on, began, running.until, since, moved)
            running = None
        return running, due_on, ("; ".join(moved) or None)


def _moved(
    due_on: dt.date, began: dt.date, ended: dt.date, since: dt.date, notes: list[str]
) -> dt.date:
    """``due_on`` moved by a stay from ``began`` to ``ended`` (both days counted), when the
    stay began while the period ran."""
    if began < since or began > due_on:
        return due_on
    days = (ended - began).days + 1
    notes.append(f"stayed {began} to {ended}: the last day moved by {days} days")
    return due_on + dt.timedelta(days=days)


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
        _police_custody(build, person)
        _default_bail(build, person)
    _investigation(build)
    _progress_informed(build)
    _medical_examination(build)
    _medical_report(build)
    _inquest_report(build)
    _forensic_visit(build)
    _documents_to_accused(build)
    _committal(build)
    _discharge_period(build)
    _charge(build)
    _judgment(build)
    _sexual_offence_trial(build)
    for person in status.clock_facts.accused:
        _magistrate_trial_bail(build, person)
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
    days, note = _detention_days(build)
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


def _detention_days(build: _Builder) -> tuple[int, str | None]:
    """BNSS s.187(3): 90 days where the investigation relates to an offence punishable with
    death, life or 10 years or more, 60 otherwise; with a note when a maximum is unknown."""
    offences = build.status.clock_facts.offences or list(build.status.offences)
    found = gravest(offences)
    if found is not None and found[1].at_least_years(10):
        return 90, None
    # Sixty days is the period of "any other offence"; where an offence's maximum is not known
    # the shorter period is shown (an early warning rather than a late one), and the clock says
    # so.
    unknown = [str(o) for o in offences if max_punishment(o) is None]
    if unknown:
        return 60, (
            f"the maximum punishment of {', '.join(unknown)} is not known: 60 days shown "
            "(90 if it is death, life or 10 years or more)"
        )
    return 60, None


def _police_custody(build: _Builder, person: AccusedClockFacts) -> None:
    """BNSS s.187(2): the Magistrate may authorise detention in police custody "for a term not
    exceeding fifteen days in the whole, or in parts, at any time during the initial forty days
    or sixty days out of detention period of sixty days or ninety days" of s.187(3).

    The clock runs once a remand to police custody is known (the police's report of the remand
    on production, ``Arrest.remanded_to``, or a court's remand order with ``custody_kind``).
    Its last day is the last on which police custody may lawfully run: the end of the initial
    40 (60) days, counted from the first remand as s.187(3)'s period is (that day included), or
    the day the fifteenth day of police custody falls, if earlier. It stops on the last day of
    the last police custody known (a part ends on the last day its order authorised, the day
    before the next remand, or bail or the police report): met when that is on or before its
    last day, missed after. A further part within the limits opens it again. Not raised for an
    investigation under the CrPC (see the module's notes)."""
    police = [r for r in person.remands if r.kind is CustodyKind.POLICE]
    if not police or _under_crpc(
        ist_date(build.status.fir_registered_at) if build.status.fir_registered_at else None
    ):
        return
    ordered = sorted(person.remands, key=lambda r: r.on)
    first = ordered[0]
    detention, note = _detention_days(build)
    window = 60 if detention == 90 else 40
    window_end = days_counting(first.on, window)
    parts = [
        (remand, _custody_end(remand, ordered, person))
        for remand in ordered
        if remand.kind is CustodyKind.POLICE
    ]
    used, cap_day = 0, None
    for remand, end in parts:
        length = (end - remand.on).days + 1 if end is not None else None
        if length is None or used + length >= 15:
            cap_day = remand.on + dt.timedelta(days=15 - used - 1)
            break
        used += length
    counted = sum(
        ((min(end, build.today) if end else build.today) - r.on).days + 1
        for r, end in parts
        if r.on <= build.today
    )
    notes = [note, f"{counted} day(s) of police custody so far" if counted else None]
    unknown = [r for r in ordered if r.kind is CustodyKind.UNKNOWN]
    if unknown:
        notes.append(
            f"{len(unknown)} remand(s) do not say police or judicial custody and are not counted"
        )
    last_remand, last_end = parts[-1]
    ended = last_end is not None and last_end <= build.today
    build.add(
        provision="BNSS 187(2)",
        title=f"police custody at most 15 days, in whole or in parts, within the first {window} "
        "days of detention",
        pillar="police",
        institution=_station(build),
        accused_ref=person.ref,
        started_by=f"first remand ({first.by})",
        started_on=first.on,
        due_on=min(window_end, cap_day) if cap_day is not None else window_end,
        stopped_by=f"police custody ended ({last_remand.by})" if ended else None,
        stopped_on=last_end if ended else None,
        note="; ".join(n for n in notes if n) or None,
    )


def _custody_end(
    remand: Remand, ordered: list[Remand], person: AccusedClockFacts
) -> dt.date | None:
    """The last day of the custody ``remand`` authorised: its own last day, the day before the
    next remand, or the day before bail or the police report; None while it runs open."""
    later = [r.on for r in ordered if r.on > remand.on]
    ends = [
        d
        for d in (
            remand.until,
            min(later) - dt.timedelta(days=1) if later else None,
            person.bailed_on - dt.timedelta(days=1)
            if person.bailed_on and person.bailed_on > remand.on
            else None,
            person.reported_on if person.reported_on and person.reported_on >= remand.on else None,
        )
        if d is not None
    ]
    return min(ends) if ends else None


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


# --------------------------------------------------------------------------- police steps

#: BNSS s.184(1) (CrPC s.164A(1)): "rape or attempt to commit rape". The BNS sections the
#: s.193(2) list groups with rape (BNS 69, intercourse by deceitful means, is not rape and is
#: left out), and POCSO's penetrative sexual assaults (ss.4, 6), which are rape of a child.
POCSO_184 = frozenset({"4", "6"})


def _step_time(
    build: _Builder, kind: InvestigationStepKind
) -> tuple[dt.date | None, dt.datetime | None]:
    step = build.facts.step(kind)
    return (step.on, step.at) if step is not None else (None, None)


def _progress_informed(build: _Builder) -> None:
    """BNSS s.193(3)(ii): "the police officer shall, within a period of ninety days, inform the
    progress of the investigation ... to the informant or the victim". Counted from the day the
    information was recorded; stopped when the police report that they told the informant or
    the victim (``investigation.step`` ``progress_informed``), or by the final report (the
    investigation is then complete, and s.193(3)(iii)'s communication of the action taken
    follows). The CrPC has no such period (s.173(2)(ii) is the action taken only)."""
    status = build.status
    if status.fir_registered_at is None:
        return
    recorded = ist_date(status.fir_registered_at)
    if _under_crpc(recorded):
        return
    informed, _ = _step_time(build, InvestigationStepKind.PROGRESS_INFORMED)
    report = build.facts.first_report_on
    stops = [
        (d, by)
        for d, by in (
            (informed, "informant or victim told of the progress"),
            (report, "final report filed (the action taken is communicated, s.193(3)(iii))"),
        )
        if d is not None
    ]
    stopped_on, stopped_by = min(stops) if stops else (None, None)
    build.add(
        provision="BNSS 193(3)(ii)",
        title="the informant or the victim told of the progress of the investigation within "
        "90 days",
        pillar="police",
        institution=_station(build),
        started_by="information recorded (FIR)",
        started_on=recorded,
        started_at=status.fir_registered_at,
        due_on=days_from(recorded, 90),
        stopped_by=stopped_by,
        stopped_on=stopped_on,
    )


def _medical_examination(build: _Builder) -> None:
    """BNSS s.184(1) (CrPC s.164A(1)): where the woman is to be examined, she "shall be sent to
    such registered medical practitioner within twenty-four hours from the time of receiving
    the information relating to the commission of such offence". Started by the FIR of rape
    (its time of recording: the information received); stopped by the step
    ``medical_examination`` (the time she was sent)."""
    status = build.status
    if status.fir_registered_at is None:
        return
    offences = build.facts.offences or status.offences
    crpc = _under_crpc(ist_date(status.fir_registered_at))
    if crpc:
        charged = _charged(offences, Act.IPC, IPC_173_1A)
    else:
        charged = _charged(offences, Act.BNS, BNS_SEXUAL) + _charged(offences, Act.POCSO, POCSO_184)
    if not charged:
        return
    on, at = _step_time(build, InvestigationStepKind.MEDICAL_EXAMINATION)
    due_at = status.fir_registered_at + dt.timedelta(hours=24)
    build.add(
        provision="CrPC 164A(1)" if crpc else "BNSS 184(1)",
        title="the victim sent for medical examination within 24 hours of the information",
        pillar="police",
        institution=_station(build),
        started_by="information recorded (FIR)",
        started_on=ist_date(status.fir_registered_at),
        started_at=status.fir_registered_at,
        due_on=ist_date(due_at),
        due_at=due_at,
        stopped_by="victim sent for medical examination",
        stopped_on=on,
        stopped_at=at,
        note=f"charged: {', '.join(str(o) for o in charged)}; the duty arises where the "
        "woman is to be examined, with her consent (s.184(1), (7))",
    )


def _medical_report(build: _Builder) -> None:
    """BNSS s.184(6): "The registered medical practitioner shall, within a period of seven days
    forward the report to the investigating officer". From the examination (the step
    ``medical_examination``) to the step ``medical_report_forwarded``. The practitioner's duty,
    followed up by the police station (the officer forwards it with the s.193 report). The CrPC
    (s.164A(6)) said "without delay": no clock for an examination before 1 July 2024."""
    examined, _ = _step_time(build, InvestigationStepKind.MEDICAL_EXAMINATION)
    if examined is None or _under_crpc(examined):
        return
    forwarded, _ = _step_time(build, InvestigationStepKind.MEDICAL_REPORT_FORWARDED)
    build.add(
        provision="BNSS 184(6)",
        title="the medical examination report forwarded to the investigating officer within 7 days",
        pillar="police",
        institution=_station(build),
        started_by="victim's medical examination",
        started_on=examined,
        due_on=days_from(examined, 7),
        stopped_by="report received by the investigating officer",
        stopped_on=forwarded if forwarded is not None and forwarded >= examined else None,
        note="the registered medical practitioner forwards it; the police station follows it up",
    )


def _inquest_report(build: _Builder) -> None:
    """BNSS s.194(2): the report of the inquest (drawn up at the place under s.194(1)) "shall
    be forwarded to the District Magistrate or the Sub-divisional Magistrate within twenty-four
    hours". From the step ``inquest_held`` (its time; without one, to the end of the next day)
    to ``inquest_report_forwarded``. The CrPC (s.174(2)) said "forthwith": no clock for an
    inquest before 1 July 2024."""
    held_on, held_at = _step_time(build, InvestigationStepKind.INQUEST_HELD)
    if held_on is None or _under_crpc(held_on):
        return
    sent_on, sent_at = _step_time(build, InvestigationStepKind.INQUEST_REPORT_FORWARDED)
    due_at = held_at + dt.timedelta(hours=24) if held_at is not None else None
    build.add(
        provision="BNSS 194(2)",
        title="the inquest report forwarded to the District or Sub-divisional Magistrate within "
        "24 hours",
        pillar="police",
        institution=_station(build),
        started_by="inquest report drawn up",
        started_on=held_on,
        started_at=held_at,
        due_on=ist_date(due_at) if due_at is not None else days_from(held_on, 1),
        due_at=due_at,
        stopped_by="inquest report forwarded",
        stopped_on=sent_on,
        stopped_at=sent_at,
        note=None
        if held_at is not None
        else "the inquest's time is not known: the whole next day is allowed",
    )


# --------------------------------------------------------------------------- court stages


def _limbs(build: _Builder) -> list[Limb | None]:
    """The limb each charged offence of the case is under (None where not known)."""
    found = [charged_limb(o) for o in build.status.offences]
    return [c.limb if c is not None else None for c in found]


def _sessions_case(build: _Builder) -> bool:
    """Whether the case goes to a Court of Session: committed, or an offence charged is
    triable by it (the First Schedule's court column)."""
    if build.facts.committed_on is not None:
        return True
    return any(limb is not None and limb.sessions_triable for limb in _limbs(build))


def _bnss_trial(build: _Builder) -> bool:
    """Whether the inquiry or trial is under the BNSS: a police report filed on or after
    1 July 2024 (s.531(2)(a) keeps one pending before it under the CrPC)."""
    filed = build.facts.first_report_on or build.facts.first_charge_sheet_on
    return filed is not None and not _under_crpc(filed)


def _magistrate(build: _Builder) -> str | None:
    """The Magistrate's court: the committing court once the case is committed, else the court
    seized."""
    for seizure in build.status.seized_courts:
        if seizure.ground is SeizureGround.COMMITTAL and seizure.by:
            return seizure.by
    return build.status.court


def _sessions_court(build: _Builder) -> str | None:
    for seizure in build.status.seized_courts:
        if seizure.ground is SeizureGround.COMMITTAL:
            return seizure.court
    return build.status.court


def _documents_to_accused(build: _Builder) -> None:
    """BNSS s.230: in a case instituted on a police report the Magistrate furnishes the accused
    copies of the report and documents "without delay, and in no case beyond fourteen days from
    the date of production or appearance of the accused". From the first production or
    appearance in court (a hearing at stage ``appearance``, a prison's production) on or after
    the police report (and cognizance, where known), to the hearing at stage
    ``documents_supplied``. For the case (the first accused to appear starts it)."""
    facts = build.facts
    if facts.first_charge_sheet_on is None or not _bnss_trial(build):
        return
    after = max(d for d in (facts.first_charge_sheet_on, facts.cognizance_on) if d is not None)
    seen = [d for d in facts.appearances if d >= after]
    if not seen:
        return
    first = min(seen)
    build.add(
        provision="BNSS 230",
        title="copies of the police report and documents furnished to the accused within 14 "
        "days of production or appearance",
        pillar="courts",
        institution=_magistrate(build),
        started_by="the accused produced or appeared",
        started_on=first,
        due_on=days_from(first, 14),
        stopped_by="documents supplied to the accused",
        stopped_on=facts.documents_supplied_on
        if facts.documents_supplied_on and facts.documents_supplied_on >= first
        else None,
    )


def _committal(build: _Builder) -> None:
    """BNSS s.232 first proviso: the committal of a case triable exclusively by the Court of
    Session "shall be completed within a period of ninety days from the date of taking
    cognizance, and such period may be extended by the Magistrate for a period not exceeding
    one hundred and eighty days for the reasons to be recorded in writing" (read as 180 days
    from cognizance at most). From cognizance (a hearing at stage ``cognizance`` or a
    ``cognizance`` order) to the committal order; an ``extension`` order naming BNSS 232 moves
    the last day."""
    facts = build.facts
    taken = facts.cognizance_on
    if taken is None or _under_crpc(taken) or not _bnss_trial(build):
        return
    if not _sessions_case(build):
        return
    build.add(
        provision="BNSS 232",
        title="committal to the Court of Session within 90 days of cognizance (extendable to 180)",
        pillar="courts",
        institution=_magistrate(build),
        started_by="cognizance taken",
        started_on=taken,
        due_on=days_from(taken, 90),
        extendable_to=days_from(taken, 180),
        stopped_by="committed to the Court of Session",
        stopped_on=facts.committed_on,
    )


def _warrant_case(build: _Builder) -> tuple[bool, str | None]:
    """Whether the trial is of a warrant-case (BNSS s.2(1)(z): an offence punishable with
    death, life or a term exceeding two years); unknown maxima are counted in, with a note."""
    found = gravest(build.status.offences)
    if found is not None:
        p = found[1]
        if p.death or p.life or (p.max_years is not None and p.max_years > 2):
            return True, None
    unknown = [str(o) for o in build.status.offences if max_punishment(o) is None]
    if unknown:
        return True, f"the maximum punishment of {', '.join(unknown)} is not known"
    return False, None


def _discharge_period(build: _Builder) -> None:
    """BNSS ss.250(1), 262(1): "The accused may prefer an application for discharge within a
    period of sixty days" from the commitment of the case (s.250(1), a Sessions trial) or from
    the supply of copies of documents under s.230 (s.262(1), a Magistrate's warrant-case on a
    police report). The time limit is the accused's, not the court's: the clock is a period
    (``ClockKind.PERIOD``) that lapses when unused, never a breach; the court is told when it
    closes (it may then take up the charge). Stopped by the accused's application (a hearing
    at stage ``discharge_application``)."""
    facts = build.facts
    if not _bnss_trial(build):
        return
    note = None
    if facts.committed_on is not None:
        provision, start, started_by = "BNSS 250(1)", facts.committed_on, "committal"
        institution = _sessions_court(build)
    elif facts.documents_supplied_on is not None and not _sessions_case(build):
        warrant, note = _warrant_case(build)
        if not warrant:
            return
        provision, start = "BNSS 262(1)", facts.documents_supplied_on
        started_by, institution = "documents supplied under s.230", build.status.court
    else:
        return
    applied = facts.discharge_applied_on
    build.add(
        provision=provision,
        title="the accused's sixty days to apply for discharge (the accused's period: it lapses, "
        "no one is in breach)",
        kind=ClockKind.PERIOD,
        pillar="courts",
        institution=institution,
        started_by=started_by,
        started_on=start,
        due_on=days_from(start, 60),
        stopped_by="application for discharge",
        stopped_on=applied if applied is not None and applied >= start else None,
        note=note,
    )


def _charge(build: _Builder) -> None:
    """BNSS s.251(1)(b) (a Sessions trial) and s.263(1) (a Magistrate's warrant-case): the
    Judge or Magistrate "shall frame in writing a charge against the accused within a period of
    sixty days from the date of first hearing on charge". From the first hearing at stage
    ``charge_hearing`` to the ``charges_framed`` order."""
    facts = build.facts
    heard = facts.charge_hearing_on
    if heard is None or not _bnss_trial(build):
        return
    sessions = _sessions_case(build)
    framed = facts.charges_framed_on
    build.add(
        provision="BNSS 251(1)(b)" if sessions else "BNSS 263(1)",
        title="charge framed within 60 days of the first hearing on charge",
        pillar="courts",
        institution=build.status.court,
        started_by="first hearing on charge",
        started_on=heard,
        due_on=days_from(heard, 60),
        stopped_by="charges framed",
        stopped_on=framed if framed is not None and framed >= heard else None,
    )


def _judgment(build: _Builder) -> None:
    """BNSS s.258(1) (a Sessions trial, Chapter XIX): judgment "within a period of thirty days
    from the date of completion of arguments, which may be extended to a period of forty-five
    days for reasons to be recorded in writing". From the completion of arguments (a hearing at
    stage ``arguments_concluded``; the last, if heard again) to the judgment; an ``extension``
    order naming BNSS 258 moves the last day, to 45 days at most."""
    facts = build.facts
    argued = facts.arguments_concluded_on
    if argued is None or not _bnss_trial(build) or not _sessions_case(build):
        return
    judged = facts.judgment_on
    build.add(
        provision="BNSS 258(1)",
        title="judgment within 30 days of the completion of arguments (extendable to 45)",
        pillar="courts",
        institution=build.status.court,
        started_by="arguments completed",
        started_on=argued,
        due_on=days_from(argued, 30),
        extendable_to=days_from(argued, 45),
        stopped_by="judgment",
        stopped_on=judged if judged is not None and judged >= argued else None,
    )


def _magistrate_trial_bail(build: _Builder, person: AccusedClockFacts) -> None:
    """BNSS s.480(6) (CrPC s.437(6)): "If, in any case triable by a Magistrate, the trial of a
    person accused of any non-bailable offence is not concluded within a period of sixty days
    from the first date fixed for taking evidence in the case, such person shall, if he is in
    custody during the whole of the said period, be released on bail ... unless for reasons to
    be recorded in writing, the Magistrate otherwise directs."

    A clock per accused in custody on the first date fixed for evidence (arrested, not bailed
    by then), in a case neither committed nor charged with an offence triable by the Court of
    Session, with an offence charged that the First Schedule makes non-bailable. Stopped by
    the judgment (the trial concluded) or by bail (the accused was not in custody throughout).
    The Magistrate's duty on the day after it: release on bail, or reasons recorded."""
    facts = build.facts
    fixed = facts.evidence_fixed_on
    filed = facts.first_charge_sheet_on
    if fixed is None or filed is None or person.arrested_at is None:
        return
    if _sessions_case(build):
        return
    if ist_date(person.arrested_at) > fixed or (
        person.bailed_on is not None and person.bailed_on <= fixed
    ):
        return
    bailable = [limb.bailable if limb is not None else None for limb in _limbs(build)]
    if False not in bailable:
        if all(b is True for b in bailable):
            return
        note: str | None = "whether every offence charged is bailable is not known"
    else:
        note = None
    stops = [
        (d, by)
        for d, by in (
            (facts.judgment_on, "trial concluded (judgment)"),
            (person.bailed_on, "released on bail"),
        )
        if d is not None and d >= fixed
    ]
    stopped_on, stopped_by = min(stops) if stops else (None, None)
    build.add(
        provision="CrPC 437(6)" if _under_crpc(filed) else "BNSS 480(6)",
        title="a Magistrate's trial not concluded within 60 days of the first date fixed for "
        "evidence, the accused in custody throughout: bail unless reasons are recorded",
        pillar="courts",
        institution=build.status.court,
        accused_ref=person.ref,
        started_by="first date fixed for taking evidence",
        started_on=fixed,
        due_on=days_from(fixed, 60),
        stopped_by=stopped_by,
        stopped_on=stopped_on,
        note=note,
    )
