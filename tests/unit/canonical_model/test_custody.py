"""Custody: the s.479 review (BNSS) and custody on the case status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canonical_model.custody import CustodyPeriod, days_in_custody, review
from canonical_model.entities import Offence
from canonical_model.events import CloudEvent, EventPayload, payload_class
from canonical_model.lifecycle import CaseStatus, apply, match_accused

D0 = dt.date(2026, 1, 1)
THEFT = Offence.model_validate({"act": "BNS", "section": "303(2)"})  # 5 years
MURDER = Offence.model_validate({"act": "BNS", "section": "103(1)"})  # death
HURT = Offence.model_validate({"act": "BNS", "section": "115(2)"})  # 1 year
UNKNOWN = Offence.model_validate({"act": "OTHER", "section": "12", "act_name": "A local Act"})


def period(since: dt.date, until: dt.date | None = None, prison: str = "P1") -> CustodyPeriod:
    return CustodyPeriod(prison=prison, prisoner=f"{prison}:1", since=since, until=until)


def test_days_add_up_every_period_and_stop_today() -> None:
    periods = [period(D0, D0 + dt.timedelta(days=10)), period(D0 + dt.timedelta(days=40))]
    assert days_in_custody(periods, today=D0 + dt.timedelta(days=50)) == 20
    assert days_in_custody(periods, today=D0 + dt.timedelta(days=5)) == 5
    assert days_in_custody(periods, today=D0 - dt.timedelta(days=1)) == 0


def test_half_of_the_maximum_for_theft() -> None:
    before = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=913),
        first_offender=False,
        offences=[THEFT],
    )
    assert (before.threshold_days, before.crossed, before.days_to_threshold) == (914, False, 1)
    at = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=914),
        first_offender=False,
        offences=[THEFT],
    )
    assert at.crossed is True and at.fraction == "1/2"


def test_detention_from_the_arrest_to_the_admission_counts() -> None:
    # Arrested three days before the admission: those days are detention (BNSS s.479(1)).
    counted = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=911),
        first_offender=False,
        offences=[THEFT],
        arrested_on=D0 - dt.timedelta(days=3),
    )
    assert (counted.days_in_custody, counted.days_before_admission) == (914, 3)
    assert counted.crossed is True
    # A gap longer than police custody can last (24 hours + 15 days) was not all custody.
    gap = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=10),
        first_offender=False,
        offences=[THEFT],
        arrested_on=D0 - dt.timedelta(days=17),
    )
    assert (gap.days_in_custody, gap.days_before_admission) == (10, 0)
    assert "17 days between the arrest" in gap.note and "not counted" in gap.note
    at_limit = review(
        periods=[period(D0)],
        today=D0,
        first_offender=False,
        offences=[THEFT],
        arrested_on=D0 - dt.timedelta(days=16),
    )
    assert at_limit.days_before_admission == 16


def test_one_third_for_a_first_offender() -> None:
    result = review(
        periods=[period(D0)],
        today=D0 + dt.timedelta(days=609),
        first_offender=True,
        offences=[THEFT],
    )
    assert (result.fraction, result.threshold_days, result.crossed) == ("1/3", 609, True)


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
    # Parole is not detention: 59 days before it, 16 after.
    assert days_in_custody(person.custody_periods, today=dt.date(2026, 3, 31)) == 59 + 16
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
