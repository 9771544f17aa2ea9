"""Custody periods and the undertrial review of BNSS s.479.

BNSS s.479 (``shared/data/acts/bharatiya-nagarik-suraksha-sanhita-2023.akn.xml``):

- (1): a person who has "undergone detention for a period extending up to one-half of the
  maximum period of imprisonment specified for that offence" during investigation, inquiry
  or trial is to be released on bail; not for "an offence for which the punishment of death
  or life imprisonment has been specified as one of the punishments".
- First proviso: a first-time offender "who has never been convicted of any offence in the
  past" on bond after one-third.
- Third proviso: "no such person shall in any case be detained ... for more than the maximum
  period of imprisonment provided for the said offence".
- (2): "where an investigation, inquiry or trial in more than one offence or in multiple
  cases are pending against a person, he shall not be released on bail by the Court", subject
  to the third proviso.
- (3): the Superintendent of the jail, on completion of one-half or one-third, "shall
  forthwith make an application in writing to the Court", which is why the prison's list
  carries this computation.

Decisions, and why:

- **Days in custody** are counted as the courts count detention: every calendar day on which
  the person was detained, the day detention began and the day it ended both included. The
  Supreme Court held that the day of remand is counted in the period of detention
  (*Enforcement Directorate v. Kapil Wadhawan*, 2023, on CrPC s.167(2), the predecessor of
  BNSS s.187(3)); the same count serves s.479. A day spent in two places (a transfer, a
  return from police custody) is one day, so stretches are merged, never added twice.
- **What counts as detention**: prison custody, police custody in parts after admission
  (BNSS s.187(2): the prison hands the inmate to the police and takes him back; the inmate is
  still detained), and the days from the arrest to the first admission when they can all have
  been custody: production within 24 hours (s.58) and police custody of at most 15 days
  (s.187(2)), so an arrest at most 16 days before the admission is counted in full; a longer
  gap cannot all have been custody (bail, release) and is not counted, and the review says so.
  Time out on bail, parole, furlough or after an escape is not detention.
- **The offence** is the gravest by its *charged* limb (``canonical_model.law.charged_limb``):
  BNS 303(2) theft is 3 years on a first conviction; its 5-year limb applies only to a second
  conviction and only when charged. Provisions that only extend liability (common intention,
  abetment of an act done: BNS ss.3(5), 49, 190) are not offences of their own here.
- **Unknown offences**: if any offence's maximum is not in the law table, no threshold is
  asserted (the unknown one may be graver, even life); the known gravest's figures are shown
  as provisional.
- **Periods** of the maximum are calendar periods: a year is twelve months of the British
  calendar (General Clauses Act, 1897, s.3(35), (66)); one-half of 3 years is 18 months,
  one-third of 7 years 28 months. A part month (one-half of 3 months) is counted at 30 days a
  month. The period is completed on the last day of the calendar span that begins with the
  first day of detention; with breaks in custody, its length in days is what the detained days
  must reach.
- **First-offender status unknown**: both thresholds are shown and the earlier (one-third)
  decides when the Superintendent is prompted, because a wrong "not yet" keeps a person in
  prison too long while a prompt costs one enquiry.
- **s.479(2)**: raised when more than one offence is pending in the case, or when the same
  person (by a prisoner number shared across cases) has another case pending. It bars release
  on bail under (1), but not the third proviso: at the full maximum the person is not detained
  further in any case.
- The Explanation (delay caused by the accused excluded) needs the court's record and is left
  to the court; the review says "threshold crossed", never "must be released".
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import Offence
from canonical_model.law import Punishment, gravest, is_liability_provision, max_punishment

#: The longest an arrested person can be held before judicial custody: production before a
#: Magistrate within 24 hours (BNSS s.58) and police custody of at most 15 days (s.187(2)).
MAX_DAYS_BEFORE_ADMISSION = 16
#: Days of a part month when a fraction of the maximum is not whole months.
DAYS_PER_PART_MONTH = 30
#: Provisions of s.479 as the review cites them.
HALF = "BNSS 479(1)"
THIRD = "BNSS 479(1), first proviso"
FULL = "BNSS 479(1), third proviso"
BAR = "BNSS 479(2)"
DUTY = "BNSS 479(3)"


class CustodyPeriod(BaseModel):
    """A stretch of detention: in one prison, or in police custody after admission
    (``kind`` police, BNSS s.187(2)); ``until`` is None while it lasts."""

    model_config = ConfigDict(extra="forbid")

    prison: str
    prisoner: str
    since: dt.date
    until: dt.date | None = None
    kind: Literal["prison", "police"] = Field(
        default="prison",
        description="prison, or police: handed to the police in custody after admission "
        "(BNSS s.187(2)); both are detention.",
    )


def _spans(
    periods: Iterable[CustodyPeriod], today: dt.date, before: tuple[dt.date, dt.date] | None
) -> list[tuple[dt.date, dt.date]]:
    """The detained days as disjoint inclusive spans, merged where they touch or overlap."""
    raw = [
        (p.since, min(p.until if p.until is not None else today, today))
        for p in periods
        if p.since <= today
    ]
    if before is not None:
        raw.append(before)
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(raw):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def days_in_custody(
    periods: Iterable[CustodyPeriod], *, today: dt.date, arrested_on: dt.date | None = None
) -> int:
    """Every calendar day of detention up to ``today``, each counted once, both ends of each
    stretch included (see the module's notes); from ``arrested_on`` when it is given."""
    periods = list(periods)
    before = _before_admission(periods, arrested_on, today)[0]
    return _counted(_spans(periods, today, before))


def _counted(spans: list[tuple[dt.date, dt.date]]) -> int:
    """The days the spans hold, both ends of each included."""
    return sum((end - start).days + 1 for start, end in spans)


def _before_admission(
    periods: Sequence[CustodyPeriod], arrested_on: dt.date | None, today: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, str | None]:
    if arrested_on is None or not periods or arrested_on > today:
        return None, None
    admitted = min(period.since for period in periods)
    gap = (admitted - arrested_on).days
    if gap <= 0:
        return None, None
    if gap > MAX_DAYS_BEFORE_ADMISSION:
        return None, (
            f"the {gap} days between the arrest ({arrested_on}) and the admission ({admitted}) "
            f"are not counted: police custody lasts at most {MAX_DAYS_BEFORE_ADMISSION} days "
            "(BNSS ss.58, 187(2)), so the accused was not detained throughout"
        )
    return (arrested_on, admitted), None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, the day clamped to the month's last (31 Jan + 1
    month is 28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_days(first_day: dt.date, months: float, extra_days: int = 0) -> int:
    """The length in days of a calendar period of ``months`` (and ``extra_days``) that begins
    on ``first_day``: the days from ``first_day`` to the day the period is completed, both
    included. A part month counts at 30 days."""
    whole = math.floor(months + 1e-9)
    part = round((months - whole) * DAYS_PER_PART_MONTH)
    end = add_months(first_day, whole) + dt.timedelta(days=part + extra_days)
    return (end - first_day).days


class Threshold(BaseModel):
    """One period of s.479 for this undertrial: its length, when it is reached, and whether it
    has been."""

    model_config = ConfigDict(extra="forbid")

    fraction: Literal["1/3", "1/2", "full"]
    provision: str = Field(description="As the Act numbers it, e.g. 'BNSS 479(1), first proviso'.")
    applies_to: str = Field(description="first offender, not a first offender, or everyone.")
    days: int = Field(description="Days of detention that complete the period.")
    crossed: bool
    days_to_go: int
    reached_on: dt.date = Field(
        description="The day the period is or was completed if detention is (or had been) "
        "unbroken from today on."
    )


class UndertrialReview(BaseModel):
    """Where an undertrial stands under BNSS s.479 on a given day."""

    model_config = ConfigDict(extra="forbid")

    days_in_custody: int = Field(description="Days detained: before admission and in custody.")
    days_before_admission: int = Field(
        default=0, description="Of those, the days between the arrest and the first admission."
    )
    gravest_offence: Offence | None = Field(
        default=None,
        description="The gravest offence the law table knows, by its charged limb.",
    )
    max_punishment: Punishment | None = None
    punishment_known: bool = Field(
        description="Every offence's maximum is known (else nothing is asserted)."
    )
    unknown_offences: list[str] = Field(default_factory=list)
    first_offender: bool | None = Field(
        default=None, description="Never convicted before; None when the prison does not know."
    )
    excluded: bool = Field(
        default=False,
        description="Death or life imprisonment is one of the punishments: s.479 does not apply.",
    )
    fraction: str | None = Field(
        default=None, description="1/2, 1/3 for a first offender, '1/3 or 1/2' when unknown."
    )
    threshold_days: int | None = Field(
        default=None, description="The period that prompts the Superintendent (s.479(3))."
    )
    crossed: bool | None = Field(
        default=None,
        description="Whether the days in custody reach that period; None when unknown or excluded.",
    )
    days_to_threshold: int | None = None
    thresholds: list[Threshold] = Field(
        default_factory=list,
        description="Each period of s.479 that applies: 1/3 and/or 1/2, and the full maximum.",
    )
    provisional: bool = Field(
        default=False,
        description="The thresholds come from the known offences only (another is unknown).",
    )
    full_maximum_crossed: bool | None = Field(
        default=None,
        description="Detained for the full maximum: not to be detained further in any case "
        "(third proviso), whatever s.479(2) says.",
    )
    bar_479_2: list[str] = Field(
        default_factory=list,
        description="Why s.479(2) bars release on bail: the other offences or cases pending.",
    )
    note: str


def _offences_that_count(offences: Iterable[Offence]) -> list[Offence]:
    listed = list(offences)
    # Common intention, common object and abetment of an act done are punished as the offence
    # they accompany: not an offence pending of their own.
    return [o for o in listed if not is_liability_provision(o)] or listed


def review(
    *,
    periods: Sequence[CustodyPeriod],
    today: dt.date,
    first_offender: bool | None,
    offences: Iterable[Offence],
    arrested_on: dt.date | None = None,
    other_pending_cases: Sequence[str] = (),
) -> UndertrialReview:
    """Review an undertrial's detention against BNSS s.479 on ``today`` (see the module's
    notes). ``other_pending_cases`` names the person's other cases still pending (s.479(2))."""
    offences = _offences_that_count(offences)
    before_span, not_counted = _before_admission(periods, arrested_on, today)
    spans = _spans(periods, today, before_span)
    days = _counted(spans)
    before = (before_span[1] - before_span[0]).days if before_span else 0
    first_day = spans[0][0] if spans else today
    detained_now = (
        bool(spans)
        and spans[-1][1] == today
        and any(p.until is None and p.since <= today for p in periods)
    )
    base = {
        "days_in_custody": days,
        "days_before_admission": before,
        "first_offender": first_offender,
    }
    unknown = [str(o) for o in offences if max_punishment(o) is None]
    bar = [f"{len(offences)} offences pending: {', '.join(map(str, offences))}"] * (
        len(offences) > 1
    ) + [f"another case pending against the same person: {c}" for c in other_pending_cases]
    found = gravest(offences)
    tail = f"; {not_counted}" if not_counted else ""
    if found is None:
        return UndertrialReview(
            **base,
            punishment_known=False,
            unknown_offences=unknown,
            bar_479_2=bar,
            note="maximum punishment unknown: no offence is in the law table ("
            + ", ".join(unknown)
            + "); no period can be computed"
            + tail,
        )
    offence, punishment = found
    known = {
        "gravest_offence": offence,
        "max_punishment": punishment,
        "unknown_offences": unknown,
        "bar_479_2": bar,
    }
    if punishment.death or punishment.life:
        return UndertrialReview(
            **base,
            **known,
            punishment_known=not unknown,
            excluded=True,
            note=f"{offence} is punishable with death or imprisonment for life: BNSS s.479(1) "
            "does not apply" + tail,
        )
    term = punishment.calendar_term()
    if term is None:  # fine only: no detention period to count against
        return UndertrialReview(
            **base,
            **known,
            punishment_known=not unknown,
            excluded=True,
            note=f"{offence} is punishable with fine only: no term of imprisonment to count "
            "against" + tail,
        )
    months, extra = term

    def threshold(fraction: Literal["1/3", "1/2", "full"], provision: str, who: str) -> Threshold:
        divisor = {"1/3": 3, "1/2": 2, "full": 1}[fraction]
        # A term in days (24 hours) is divided as days; one in months as a calendar period.
        length = math.ceil(extra / divisor) if extra else period_days(first_day, months / divisor)
        to_go = max(0, length - days)
        if to_go == 0:
            reached = first_day if not spans else _day_reached(spans, length)
        else:
            reached = today + dt.timedelta(days=to_go if detained_now else to_go - 1)
        return Threshold(
            fraction=fraction,
            provision=provision,
            applies_to=who,
            days=length,
            crossed=days >= length,
            days_to_go=to_go,
            reached_on=reached,
        )

    thresholds: list[Threshold] = []
    if first_offender is not False:
        thresholds.append(threshold("1/3", THIRD, "first offender"))
    if first_offender is not True:
        thresholds.append(threshold("1/2", HALF, "not a first offender"))
    full = threshold("full", FULL, "everyone")
    thresholds.append(full)
    prompt = thresholds[0]
    fraction = {True: "1/3", False: "1/2", None: "1/3 or 1/2"}[first_offender]
    provisional = bool(unknown)
    crossed = None if provisional else prompt.crossed
    years = punishment.describe().removeprefix("imprisonment for ")
    head = f"{fraction} of {years} ({offence})"
    if first_offender is None:
        head += (
            f" is {thresholds[0].days} days if never convicted before, else "
            f"{thresholds[1].days} days (first-offender status unknown)"
        )
    else:
        head += f" is {prompt.days} days"
    said: list[str] = []
    if provisional:
        said.append(
            f"provisional: the maximum of {', '.join(unknown)} is not in the law table and may "
            "be graver, so no threshold is asserted"
        )
    elif full.crossed:
        said.append(
            f"the full maximum ({full.days} days) is served: not to be detained further in any "
            f"case ({FULL})"
        )
    elif prompt.crossed:
        said.append(f"threshold crossed; the Superintendent applies to the court ({DUTY})")
        if bar:
            said.append(f"but {BAR} bars release on bail: " + "; ".join(bar))
    else:
        said.append(f"{prompt.days_to_go} days to go")
    return UndertrialReview(
        **base,
        **known,
        punishment_known=not unknown,
        fraction=fraction,
        threshold_days=prompt.days,
        crossed=crossed,
        days_to_threshold=prompt.days_to_go,
        thresholds=thresholds,
        provisional=provisional,
        full_maximum_crossed=None if provisional else full.crossed,
        note=f"{head}: {'; '.join(said)}{tail}",
    )


def _day_reached(spans: list[tuple[dt.date, dt.date]], length: int) -> dt.date:
    """The day on which the ``length``-th day of detention fell."""
    left = length
    for start, end in spans:
        size = (end - start).days + 1
        if left <= size:
            return start + dt.timedelta(days=left - 1)
        left -= size
    return spans[-1][1]
