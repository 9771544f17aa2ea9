"""Custody: the s.479 review (BNSS) and custody on the case status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canonical_model.custody import CustodyPeriod, days_in_custody, review
from canonical_model.entities import Offence
from canonical_model.events import CloudEvent, EventPayload, payload_class
from canonical_model.lifecycle import CaseStatus, apply, match_accused

D0 = dt.date(2026, 1, 1)
THEFT = Offence.model_validate({"act": "BNS", "section": "303(2)"})  # 3 years, first conviction
MURDER = Offence.model_validate({"act": "BNS", "section": "103(1)"})  # death
HURT = Offence.model_validate({"act": "BNS", "section": "115(2)"})  # 1 year
UNKNOWN = Offence.model_validate({"act": "OTHER", "section": "12", "act_name": "A local Act"})


def period(since: dt.date, until: dt.date | None = None, prison: str = "P1") -> CustodyPeriod:
    return CustodyPeriod(prison=prison, prisoner=f"{prison}:1", since=since, until=until)


def test_days_are_counted_as_the_courts_count_them() -> None:
    # Both the first and the last day of a stretch are days of detention (the day of remand
    # counts: Enforcement Directorate v. Kapil Wadhawan, 2023), and a day spent in two places
    # (a transfer) is one day.
    assert days_in_custody([period(D0, D0)], today=D0) == 1
    periods = [period(D0, D0 + dt.timedelta(days=10)), period(D0 + dt.timedelta(days=40))]
    assert days_in_custody(periods, today=D0 + dt.timedelta(days=50)) == 11 + 11
    assert days_in_custody(periods, today=D0 + dt.timedelta(days=5)) == 6
    assert days_in_custody(periods, today=D0 - dt.timedelta(days=1)) == 0
    transfer = [
        period(D0, D0 + dt.timedelta(days=9)),
        period(D0 + dt.timedelta(days=9), prison="P2"),
    ]
    assert days_in_custody(transfer, today=D0 + dt.timedelta(days=19)) == 20


def test_the_charged_limb_decides_not_the_gravest() -> None:
    # BNS 303(2): three years on a first conviction; the five-year limb is a second conviction's.
    # One-half of three years is 18 calendar months: 1 Jan 2026 to 30 Jun 2027, 546 days.
    day_before = review(
        periods=[period(D0)], today=dt.date(2027, 6, 29), first_offender=False, offences=[THEFT]
    )
    assert (day_before.threshold_days, day_before.crossed, day_before.days_to_threshold) == (
        546,
        False,
        1,
    )
    on_the_day = review(
        periods=[period(D0)], today=dt.date(2027, 6, 30), first_offender=False, offences=[THEFT]
    )
    assert on_the_day.crossed is True and on_the_day.fraction == "1/2"
    assert on_the_day.max_punishment is not None and on_the_day.max_punishment.max_years == 3
    second = Offence.model_validate(
        {"act": "BNS", "section": "303(2)", "limb": "subsequent_conviction"}
    )
    graver = review(
        periods=[period(D0)], today=dt.date(2027, 6, 30), first_offender=False, offences=[second]
    )
    assert graver.max_punishment is not None and graver.max_punishment.max_years == 5
    assert graver.crossed is False


def test_one_third_for_a_first_offender_is_a_calendar_year_of_three() -> None:
    # The case: a first-time thief waited 609 days for a review due after one year.
    before = review(
        periods=[period(D0)], today=dt.date(2026, 12, 30), first_offender=True, offences=[THEFT]
    )
    on = review(
        periods=[period(D0)], today=dt.date(2026, 12, 31), first_offender=True, offences=[THEFT]
    )
    after = review(
        periods=[period(D0)], today=dt.date(2027, 1, 1), first_offender=True, offences=[THEFT]
    )
    assert (before.fraction, before.threshold_days, before.crossed) == ("1/3", 365, False)
    assert on.crossed is True and after.crossed is True
    assert on.thresholds[0].reached_on == dt.date(2026, 12, 31)


def test_unknown_first_offender_status_shows_both_thresholds() -> None:
    result = review(
        periods=[period(D0)], today=dt.date(2026, 12, 31), first_offender=None, offences=[THEFT]
    )
    assert result.fraction == "1/3 or 1/2"
    assert [(t.fraction, t.days, t.crossed) for t in result.thresholds] == [
        ("1/3", 365, True),
        ("1/2", 546, False),
        ("full", 1096, False),
    ]
    # The earlier period prompts the Superintendent: a late prompt keeps a person in prison.
    assert result.crossed is True and result.threshold_days == 365
    assert "if never convicted before" in result.note


def test_the_full_maximum_caps_detention_even_where_479_2_bars_bail() -> None:
    # Third proviso: never detained beyond the maximum (3 years from 1 Jan 2026: 1,096 days).
    other = Offence.model_validate({"act": "BNS", "section": "115(2)"})
    held = review(
        periods=[period(D0)],
        today=dt.date(2028, 12, 30),
        first_offender=False,
        offences=[THEFT, other],
    )
    assert held.full_maximum_crossed is False and held.crossed is True
    assert held.bar_479_2 and "BNSS 479(2) bars release" in held.note
    served = review(
        periods=[period(D0)],
        today=dt.date(2028, 12, 31),
        first_offender=False,
        offences=[THEFT, other],
    )
    assert served.full_maximum_crossed is True
    assert "not to be detained further in any case" in served.note


def test_another_pending_case_of_the_same_person_raises_479_2() -> None:
    result = review(
        periods=[period(D0)],
        today=dt.date(2027, 7, 1),
        first_offender=False,
        offences=[THEFT],
        other_pending_cases=["MHAU010000022026"],
    )
    assert result.bar_479_2 == ["another case pending against the same person: MHAU010000022026"]
    assert result.crossed is True and "479(2)" in result.note
    alone = review(
        periods=[period(D0)], today=dt.date(2027, 7, 1), first_offender=False, offences=[THEFT]
    )
    assert alone.bar_479_2 == [] and "479(2)" not in alone.note


def test_detention_from_the_arrest_to_the_admission_counts() -> None:
    # Arrested three days before the admission: those days are detention (BNSS s.479(1)).
    counted = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=10),
        first_offender=False,
        offences=[THEFT],
        arrested_on=D0 - dt.timedelta(days=3),
    )
    assert (counted.days_in_custody, counted.days_before_admission) == (14, 3)
    # A gap longer than police custody can last (24 hours + 15 days) was not all custody.
    gap = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=10),
        first_offender=False,
        offences=[THEFT],
        arrested_on=D0 - dt.timedelta(days=17),
    )
    assert (gap.days_in_custody, gap.days_before_admission) == (11, 0)
    assert "17 days between the arrest" in gap.note and "not counted" in gap.note
    at_limit = review(
        periods=[period(D0)],
        today=D0,
        first_offender=False,
        offences=[THEFT],
        arrested_on=D0 - dt.timedelta(days=16),
    )
    assert at_limit.days_before_admission == 16


def test_the_gravest_offence_decides() -> None:
    result = review(periods=[period(D0)], today=D0, first_offender=False, offences=[HURT, THEFT])
    assert result.gravest_offence == THEFT


def test_death_or_life_is_never_eligible() -> None:
    result = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=10000),
        first_offender=True,
        offences=[THEFT, MURDER],
    )
    assert result.excluded is True and result.crossed is None and result.threshold_days is None
    assert "does not apply" in result.note


def test_an_unknown_offence_is_reported_not_guessed() -> None:
    result = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=3000),
        first_offender=False,
        offences=[UNKNOWN],
    )
    assert result.punishment_known is False and result.crossed is None
    assert "maximum punishment unknown" in result.note


def test_an_unknown_offence_beside_a_known_one_asserts_nothing() -> None:
    # The unknown one may carry life: "threshold crossed" from the theft alone would be wrong.
    result = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=3000),
        first_offender=False,
        offences=[THEFT, UNKNOWN],
    )
    assert result.crossed is None and result.provisional is True
    assert result.full_maximum_crossed is None and result.unknown_offences == ["OTHER 12"]
    assert "provisional" in result.note and "threshold crossed" not in result.note


# -- custody on the case status ---------------------------------------------------------------


def event(name: str, data: dict[str, Any], n: int) -> CloudEvent:
    payload: EventPayload = payload_class(name).model_validate(data)
    return CloudEvent.wrap(
        payload,
        event_id=f"evt_{n}",
        source="/test",
        subject="case_1",
        time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def status_with_accused() -> CaseStatus:
    status = CaseStatus(case_id="case_1")
    for ref, name, father in (
        ("A1", "Ravi Kumar", "Mohan Kumar"),
        ("A2", "Ravi Kumar", "Shyam Lal"),
    ):
        person = status.accused_by_ref(ref, name)
        person.father_name = father
    return status


def admission(
    number: str,
    *,
    name: str = "Ravi Kumar",
    father: str | None = "Shyam Lal",
    ref: str | None = None,
) -> dict[str, Any]:
    inmate: dict[str, Any] = {"prisoner": f"P1:{number}", "name": name}
    if father:
        inmate["father_name"] = father
    if ref:
        inmate["accused_ref"] = ref
    return {
        "admission": {
            "inmate": inmate,
            "admitted_on": "2026-01-01",
            "category": "undertrial",
            "warrant": {
                "kind": "remand",
                "court": "MHAU01",
                "order_date": "2026-01-01",
                "cnr": "MHAU010000012026",
            },
        }
    }


def test_an_inmate_is_matched_by_name_and_fathers_name() -> None:
    status = status_with_accused()
    assert (
        match_accused(status, accused_ref=None, name=" ravi  KUMAR", father_name="shyam lal")
        is status.accused[1]
    )
    assert (
        match_accused(status, accused_ref=None, name="Ravi Kumar", father_name=None) is None
    )  # two of that name
    assert (
        match_accused(status, accused_ref="A1", name="R. Kumar", father_name=None)
        is status.accused[0]
    )
    status = apply(status, event("custody.admitted", admission("7"), 1))
    assert status.accused[1].prison == "P1" and status.accused[0].prison is None


def test_an_unmatched_inmate_is_kept_under_the_prisoner_number() -> None:
    status = apply(
        status_with_accused(), event("custody.admitted", admission("9", name="Unknown Person"), 1)
    )
    assert status.accused[-1].ref == "P1:9" and status.accused[-1].prison == "P1"


def test_transfer_parole_and_readmission_make_custody_periods() -> None:
    status = apply(status_with_accused(), event("custody.admitted", admission("7"), 1))
    status = apply(
        status,
        event(
            "custody.transferred",
            {
                "transfer": {
                    "prisoner": "P1:7",
                    "to_prisoner": "P2:70",
                    "transferred_on": "2026-02-01",
                }
            },
            2,
        ),
    )
    status = apply(
        status,
        event(
            "custody.released",
            {
                "release": {
                    "prisoner": "P2:70",
                    "released_on": "2026-03-01",
                    "reason": "parole",
                    "order": {"kind": "parole", "court": "MHAU01", "order_date": "2026-02-27"},
                }
            },
            3,
        ),
    )
    assert status.accused[1].prison_status == "on_parole" and status.accused[1].prison is None
    status = apply(
        status,
        event(
            "custody.readmitted",
            {
                "readmission": {
                    "prisoner": "P2:70",
                    "readmitted_on": "2026-03-15",
                    "after": "parole",
                }
            },
            4,
        ),
    )
    person = status.accused[1]
    assert [
        (p.prison, p.since.isoformat(), p.until and p.until.isoformat())
        for p in person.custody_periods
    ] == [
        ("P1", "2026-01-01", "2026-02-01"),
        ("P2", "2026-02-01", "2026-03-01"),
        ("P2", "2026-03-15", None),
    ]
    assert person.prison == "P2" and person.in_prison_since == dt.date(2026, 3, 15)
    # Parole is not detention: 1 Jan to 1 Mar (60 days), then 15 to 31 Mar (17 days).
    assert days_in_custody(person.custody_periods, today=dt.date(2026, 3, 31)) == 60 + 17
    status = apply(
        status,
        event(
            "custody.convicted",
            {
                "conviction": {
                    "prisoner": "P2:70",
                    "convicted_on": "2026-04-01",
                    "warrant": {
                        "kind": "conviction",
                        "court": "MHAU01",
                        "order_date": "2026-04-01",
                        "cnr": "MHAU010000012026",
                    },
                    "sentence": {"imprisonment_months": 24},
                }
            },
            5,
        ),
    )
    assert status.accused[1].inmate_category == "convict"
    assert (
        status.accused[1].sentence is not None
        and status.accused[1].sentence.imprisonment_months == 24
    )


def test_an_escape_is_an_alert_and_the_accused_absconds() -> None:
    status = apply(status_with_accused(), event("custody.admitted", admission("7"), 1))
    status = apply(
        status,
        event("custody.escape", {"escape": {"prisoner": "P1:7", "escaped_on": "2026-01-20"}}, 2),
    )
    assert status.custody_alerts == ["escape from custody of prisoner P1:7 on 2026-01-20"]
    assert (
        status.accused[1].custody == "absconding" and status.accused[1].prison_status == "escaped"
    )


def test_police_custody_in_parts_after_admission_is_detention() -> None:
    # BNSS s.187(2): the prison hands the inmate to the police for some of the 15 days and
    # takes him back; those days are detention for s.479, not a release.
    status = apply(status_with_accused(), event("custody.admitted", admission("7"), 1))
    release = {
        "release": {
            "prisoner": "P1:7",
            "released_on": "2026-01-05",
            "reason": "police_custody",
            "order": {"kind": "remand", "court": "MHAU01", "order_date": "2026-01-05"},
        }
    }
    status = apply(status, event("custody.released", release, 2))
    person = status.accused[1]
    assert person.prison_status == "in_police_custody"
    back = {
        "readmission": {
            "prisoner": "P1:7",
            "readmitted_on": "2026-01-12",
            "after": "police_custody",
        }
    }
    status = apply(status, event("custody.readmitted", back, 3))
    person = status.accused[1]
    assert [p.kind for p in person.custody_periods] == ["prison", "police", "prison"]
    assert days_in_custody(person.custody_periods, today=dt.date(2026, 1, 31)) == 31
    # The s.187(2) clock counts the hand-over as a part of police custody, ended by the return.
    remands = status.clock_facts.person(person.ref).remands
    assert [(r.on.isoformat(), r.kind.value) for r in remands] == [
        ("2026-01-05", "police"),
        ("2026-01-12", "judicial"),
    ]
