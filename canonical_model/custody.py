"""Custody periods and the undertrial review of BNSS s.479.

BNSS s.479(1) (``shared/data/acts/bharatiya-nagarik-suraksha-sanhita-2023.akn.xml``):
a person who has "undergone detention for a period extending up to one-half of the
maximum period of imprisonment specified for that offence" during investigation,
inquiry or trial is to be released on bail; a first-time offender "who has never been
convicted of any offence in the past" on bond after one-third; not for "an offence for
which the punishment of death or life imprisonment has been specified as one of the
punishments". Under s.479(3) the Superintendent of the jail applies to the court when
the period is completed, which is why the prison's list carries this computation.

Decisions, and why:

- **Days in custody** add up every custody period of the case: the section counts
  detention "undergone", so a transfer between prisons does not interrupt it, and time
  out of prison (bail, parole, furlough, escape) is not detention and is not counted.
  Detention before the first admission counts as well, from the arrest (the police
  report it): the accused is produced within 24 hours (BNSS s.58) and police custody is
  at most 15 days (s.187(2)), so an arrest at most 16 days before the admission is counted
  in full; a longer gap cannot all have been custody (bail, release) and is not counted,
  and the review says so rather than guess. The Explanation (delay caused by the accused excluded) and
  s.479(2) (several cases pending) need the court's record and are left to the court;
  the review says "threshold crossed", never "must be released".
- **The offence** is the gravest charged, by the law table (``canonical_model.law``):
  an undertrial charged with several offences is held for all of them.
- **A year** is 365.25 days (leap years averaged), so half of 3 years is 548 days.
- **Unknown offences**: when none of the offences is in the law table the review says
  the maximum punishment is unknown and computes no threshold; it never guesses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import Offence
from canonical_model.law import Punishment, gravest

#: Days in a year for the thresholds: the mean of the Gregorian calendar's years.
DAYS_PER_YEAR = 365.25
#: The longest an arrested person can be held before judicial custody: production before a
#: Magistrate within 24 hours (BNSS s.58) and police custody of at most 15 days (s.187(2)).
MAX_DAYS_BEFORE_ADMISSION = 16


def days_before_admission(
    periods: Sequence[CustodyPeriod], arrested_on: dt.date | None
) -> tuple[int, str | None]:
    """The days of detention between the arrest and the first admission to prison, and a note
    when the gap is too long to have been all custody (and is therefore not counted)."""
    if arrested_on is None or not periods:
        return 0, None
    admitted = min(period.since for period in periods)
    gap = (admitted - arrested_on).days
    if gap < 0:
        return 0, None
    if gap > MAX_DAYS_BEFORE_ADMISSION:
        return 0, (
            f"the {gap} days between the arrest ({arrested_on}) and the admission ({admitted}) "
            f"are not counted: police custody lasts at most {MAX_DAYS_BEFORE_ADMISSION} days "
            "(BNSS ss.58, 187(2)), so the accused was not detained throughout"
        )
    return gap, None


class CustodyPeriod(BaseModel):
    """A stretch of time an inmate spent in one prison: ``until`` is None while it lasts."""

    model_config = ConfigDict(extra="forbid")

    prison: str
    prisoner: str
    since: dt.date
    until: dt.date | None = None

    def days(self, today: dt.date) -> int:
        """Days of this period up to ``today`` (a period not yet begun counts none)."""
        end = self.until if self.until is not None else today
        return max(0, (min(end, today) - self.since).days)


def days_in_custody(periods: Iterable[CustodyPeriod], *, today: dt.date) -> int:
    """Every day of every custody period up to ``today``."""
    return sum(period.days(today) for period in periods)


class UndertrialReview(BaseModel):
    """Where an undertrial stands under BNSS s.479 on a given day."""

    model_config = ConfigDict(extra="forbid")

    days_in_custody: int = Field(description="Days detained: before admission and in prison.")
    days_before_admission: int = Field(
        default=0, description="Of those, the days between the arrest and the first admission."
    )
    gravest_offence: Offence | None = Field(
        default=None,
        description="The gravest offence the law table knows; None when it knows none.",
    )
    max_punishment: Punishment | None = None
    punishment_known: bool
    excluded: bool = Field(
        default=False,
        description="Death or life imprisonment is one of the punishments: s.479 does not apply.",
    )
    fraction: str | None = Field(default=None, description="1/2, or 1/3 for a first offender.")
    threshold_days: int | None = None
    crossed: bool | None = Field(
        default=None,
        description="Whether the days in custody reach the threshold; None when unknown or excluded.",
    )
    days_to_threshold: int | None = None
    note: str


def review(
    *,
    periods: Sequence[CustodyPeriod],
    today: dt.date,
    first_offender: bool,
    offences: Iterable[Offence],
    arrested_on: dt.date | None = None,
) -> UndertrialReview:
    """Review an undertrial's custody against BNSS s.479 (see the module's notes)."""
    before, not_counted = days_before_admission(periods, arrested_on)
    days = days_in_custody(periods, today=today) + before
    result = _review(days, first_offender=first_offender, offences=offences)
    note = result.note if not_counted is None else f"{result.note}; {not_counted}"
    return result.model_copy(update={"days_before_admission": before, "note": note})


def _review(days: int, *, first_offender: bool, offences: Iterable[Offence]) -> UndertrialReview:
    found = gravest(offences)
    if found is None:
        return UndertrialReview(
            days_in_custody=days,
            punishment_known=False,
            note="maximum punishment unknown: none of the offences is in the law table",
        )
    offence, punishment = found
    if punishment.death or punishment.life:
        return UndertrialReview(
            days_in_custody=days,
            gravest_offence=offence,
            max_punishment=punishment,
            punishment_known=True,
            excluded=True,
            note=f"{offence} is punishable with death or imprisonment for life: BNSS s.479(1) does not apply",
        )
    if punishment.max_years is None:  # fine only: no detention period to halve
        return UndertrialReview(
            days_in_custody=days,
            gravest_offence=offence,
            max_punishment=punishment,
            punishment_known=True,
            excluded=True,
            note=f"{offence} is punishable with fine only: no term of imprisonment to count against",
        )
    fraction, divisor = ("1/3", 3) if first_offender else ("1/2", 2)
    threshold = math.ceil(punishment.max_years * DAYS_PER_YEAR / divisor)
    crossed = days >= threshold
    who = "first offender, " if first_offender else ""
    return UndertrialReview(
        days_in_custody=days,
        gravest_offence=offence,
        max_punishment=punishment,
        punishment_known=True,
        fraction=fraction,
        threshold_days=threshold,
        crossed=crossed,
        days_to_threshold=max(0, threshold - days),
        note=(
            f"{who}{fraction} of {punishment.max_years:g} years ({offence}) is {threshold} days: "
            + (
                "threshold crossed; the Superintendent applies to the court (BNSS s.479(3))"
                if crossed
                else f"{threshold - days} days to go"
            )
        ),
    )
