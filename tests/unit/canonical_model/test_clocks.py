"""Statutory clocks: each one at its boundaries (the day before, the day, the day after), on
case histories built from canonical events; pure, no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canonical_model.clock_facts import IST, ist_date
from canonical_model.clocks import Clock, ClockState, add_months, clocks
from canonical_model.custody import review
from canonical_model.events import CloudEvent, EventPayload, payload_class
from canonical_model.forensics import forensic_visit_check
from canonical_model.lifecycle import CaseStatus, project
from gateway.cli import scenario

CASE = scenario.refs(31)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _event(n: int, name: str, data: dict[str, Any]) -> CloudEvent:
    payload: EventPayload = payload_class(name).model_validate(data)
    return CloudEvent.wrap(
        payload, event_id=f"e{n}", source="/test", subject="case_x", time=T0 + dt.timedelta(hours=n)
    )


def fir(
    registered_at: str = "2026-08-14T21:40:00+05:30",
    offences: list[dict[str, str]] | None = None,
    fir_number: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = scenario.fir_registered(CASE)["data"]
    data["fir"]["registered_at"] = registered_at
    if fir_number is not None:
        data["fir"]["fir"] = fir_number
    if offences is not None:
        data["fir"]["offences"] = offences
    return data


def arrest(
    arrested_at: str = "2026-08-17T11:05:00+05:30",
    produced_at: str | None = "2026-08-18T10:30:00+05:30",
    ref: str = "A1",
    fir_number: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = scenario.person_arrested(CASE)["data"]
    data["arrest"]["arrested_at"] = arrested_at
    data["arrest"]["person"]["ref"] = ref
    if fir_number is not None:
        data["arrest"]["fir"] = fir_number
    if produced_at is None:
        del data["arrest"]["produced_at"]
        del data["arrest"]["produced_before"]
    else:
        data["arrest"]["produced_at"] = produced_at
    return data


def chargesheet(
    filed_on: str,
    *,
    kind: str = "charge_sheet",
    fir_number: str | None = None,
    offences: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = scenario.chargesheet_filed(CASE)["data"]
    data["report"]["filed_on"] = filed_on
    if offences is not None:
        data["report"]["offences"] = offences
        for charged in data["report"]["accused"]:
            charged["offences"] = offences
    data["report"]["kind"] = kind
    if fir_number is not None:
        data["report"]["fir"] = fir_number
    if kind != "charge_sheet":
        data["report"]["accused"] = []
    return data


def judgment(on: str) -> dict[str, Any]:
    return {
        "judgment": {
            "cnr": str(CASE.cnr),
            "judgment_date": on,
            "verdicts": [{"accused_ref": "A1", "verdict": "convicted"}],
        }
    }


def status_of(*events: tuple[str, dict[str, Any]]) -> CaseStatus:
    return project("case_x", [_event(n, name, data) for n, (name, data) in enumerate(events)])


def one(found: list[Clock], provision: str, accused: str | None = None) -> Clock:
    matching = [c for c in found if c.provision == provision and c.accused_ref == accused]
    assert len(matching) == 1, [(c.provision, c.accused_ref) for c in found]
    return matching[0]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --------------------------------------------------------------------------- counting


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2026-08-14", 2, "2026-10-14"),
        ("2026-12-31", 2, "2027-02-28"),
        ("2027-12-31", 2, "2028-02-29"),
        ("2026-11-30", 3, "2027-02-28"),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(
    start: str, months: int, end: str
) -> None:
    assert add_months(day(start), months) == day(end)


def test_a_time_is_taken_to_its_indian_date() -> None:
    late_utc = dt.datetime(2026, 8, 14, 20, 0, tzinfo=dt.UTC)  # 01:30 on the 15th in IST
    assert ist_date(late_utc) == day("2026-08-15")
    assert ist_date(late_utc.astimezone(IST)) == day("2026-08-15")


# --------------------------------------------------------------------------- s.58


def test_s58_production_within_24_hours_at_the_boundary() -> None:
    status = status_of(
        ("fir.registered", fir()),
        ("person.arrested", arrest(produced_at=None)),
    )
    arrested = dt.datetime(2026, 8, 17, 11, 5, tzinfo=IST)
    due = arrested + dt.timedelta(hours=24)
    clock = one(clocks(status, today=day("2026-08-18"), now=due), "BNSS 58", "A1")
    assert (clock.due_on, clock.due_at, clock.state) == (day("2026-08-18"), due, ClockState.DUE)
    assert clock.pillar == "police" and clock.institution == "MH/AU/CIDCO"
    late = due + dt.timedelta(minutes=1)
    assert one(clocks(status, today=day("2026-08-18"), now=late), "BNSS 58", "A1").state is (
        ClockState.OVERDUE
    )
    # Without a time of day: due on the date its last hour falls in, overdue the day after.
    assert one(clocks(status, today=day("2026-08-17")), "BNSS 58", "A1").state is ClockState.DUE
    assert one(clocks(status, today=day("2026-08-18")), "BNSS 58", "A1").state is ClockState.DUE
    assert one(clocks(status, today=day("2026-08-19")), "BNSS 58", "A1").state is (
        ClockState.OVERDUE
    )


@pytest.mark.parametrize(
    ("produced_at", "state"),
    [
        ("2026-08-18T11:04:00+05:30", ClockState.MET),
        ("2026-08-18T11:05:00+05:30", ClockState.MET),
        ("2026-08-18T11:06:00+05:30", ClockState.MISSED),
    ],
)
def test_s58_is_stopped_by_the_production(produced_at: str, state: ClockState) -> None:
    status = status_of(
        ("fir.registered", fir()), ("person.arrested", arrest(produced_at=produced_at))
    )
    clock = one(clocks(status, today=day("2026-09-01")), "BNSS 58", "A1")
    assert clock.state is state
    assert clock.stopped_on == day("2026-08-18")


def test_s58_of_a_case_under_the_crpc_is_crpc_57() -> None:
    number = "MH/AU/CIDCO/2024/0031"
    status = status_of(
        ("fir.registered", fir("2024-06-30T23:00:00+05:30", fir_number=number)),
        ("person.arrested", arrest("2024-07-02T10:00:00+05:30", None, fir_number=number)),
    )
    assert [c.provision for c in clocks(status, today=day("2024-07-02"))] == ["CrPC 57"]


# --------------------------------------------------------------------------- s.187(3)

ROBBERY = [{"act": "BNS", "section": "309(4)"}]  # rigorous imprisonment up to 10 years
THEFT = [{"act": "BNS", "section": "303(2)"}]  # up to 3 years


@pytest.mark.parametrize(
    ("offences", "days", "last_day"),
    [(ROBBERY, 90, "2026-11-15"), (THEFT, 60, "2026-10-16")],
)
def test_s187_3_counts_the_day_of_the_first_remand(
    offences: list[dict[str, str]], days: int, last_day: str
) -> None:
    status = status_of(("fir.registered", fir(offences=offences)), ("person.arrested", arrest()))
    # First remand on production, 18 August: that day is the first of the 60 or 90.
    assert (day(last_day) - day("2026-08-18")).days + 1 == days
    before = one(clocks(status, today=day(last_day) - dt.timedelta(days=1)), "BNSS 187(3)", "A1")
    on = one(clocks(status, today=day(last_day)), "BNSS 187(3)", "A1")
    after = one(clocks(status, today=day(last_day) + dt.timedelta(days=1)), "BNSS 187(3)", "A1")
    assert on.due_on == day(last_day) and on.started_on == day("2026-08-18")
    assert (before.state, on.state, after.state) == (
        ClockState.DUE,
        ClockState.DUE,
        ClockState.OVERDUE,
    )
    assert (before.days_left, on.days_left, after.days_left) == (1, 0, -1)
    assert str(days) in on.title


@pytest.mark.parametrize(
    ("filed_on", "state"),
    [
        ("2026-10-15", ClockState.MET),
        ("2026-10-16", ClockState.MET),
        ("2026-10-17", ClockState.MISSED),
    ],
)
def test_s187_3_is_stopped_by_the_charge_sheet(filed_on: str, state: ClockState) -> None:
    status = status_of(
        ("fir.registered", fir(offences=THEFT)),
        ("person.arrested", arrest()),
        ("chargesheet.filed", chargesheet(filed_on, offences=THEFT)),
    )
    clock = one(clocks(status, today=day("2026-12-01")), "BNSS 187(3)", "A1")
    assert (clock.state, clock.stopped_on) == (state, day(filed_on))


def test_s187_3_with_an_offence_of_unknown_punishment_shows_60_days_and_says_why() -> None:
    unknown = [{"act": "OTHER", "section": "12", "act_name": "Some State Act"}]
    status = status_of(("fir.registered", fir(offences=unknown)), ("person.arrested", arrest()))
    clock = one(clocks(status, today=day("2026-08-20")), "BNSS 187(3)", "A1")
    assert clock.due_on == day("2026-10-16")
    assert clock.note is not None and "not known" in clock.note


def test_s187_3_under_the_crpc_is_crpc_167_2_with_the_same_figures() -> None:
    number = "MH/AU/CIDCO/2024/0031"
    status = status_of(
        ("fir.registered", fir("2024-06-01T10:00:00+05:30", THEFT, fir_number=number)),
        (
            "person.arrested",
            arrest("2024-07-05T10:00:00+05:30", "2024-07-05T18:00:00+05:30", fir_number=number),
        ),
    )
    clock = one(clocks(status, today=day("2024-07-06")), "CrPC 167(2)", "A1")
    assert clock.due_on == day("2024-09-02")


def test_no_clock_before_what_starts_it() -> None:
    # The FIR starts only the informant's 90 days (BNSS 193(3)(ii)): nothing of an arrest, a
    # custody or a court yet.
    status = status_of(("fir.registered", fir(offences=THEFT)))
    assert [c.provision for c in clocks(status, today=day("2026-08-15"))] == ["BNSS 193(3)(ii)"]


# --------------------------------------------------------------------------- s.193(2)

RAPE = [{"act": "BNS", "section": "64(1)"}]


def test_s193_2_investigation_of_rape_within_two_months() -> None:
    status = status_of(("fir.registered", fir(offences=RAPE)))
    states = [
        one(clocks(status, today=day(d)), "BNSS 193(2)").state
        for d in ("2026-10-13", "2026-10-14", "2026-10-15")
    ]
    assert states == [ClockState.DUE, ClockState.DUE, ClockState.OVERDUE]
    filed = status_of(
        ("fir.registered", fir(offences=RAPE)), ("chargesheet.filed", chargesheet("2026-10-14"))
    )
    assert one(clocks(filed, today=day("2026-12-01")), "BNSS 193(2)").state is ClockState.MET


def test_s193_2_applies_to_pocso_and_not_to_theft() -> None:
    pocso = status_of(("fir.registered", fir(offences=[{"act": "POCSO", "section": "4"}])))
    assert one(clocks(pocso, today=day("2026-08-15")), "BNSS 193(2)")
    theft = status_of(("fir.registered", fir(offences=THEFT)))
    assert "BNSS 193(2)" not in [c.provision for c in clocks(theft, today=day("2026-08-15"))]


def test_s193_2_a_closure_report_stops_it() -> None:
    status = status_of(
        ("fir.registered", fir(offences=RAPE)),
        ("chargesheet.filed", chargesheet("2026-10-20", kind="closure")),
    )
    clock = one(clocks(status, today=day("2026-12-01")), "BNSS 193(2)")
    assert (clock.state, clock.stopped_on) == (ClockState.MISSED, day("2026-10-20"))


def test_an_ipc_rape_investigation_pending_on_1_july_2024_is_crpc_173_1a() -> None:
    status = status_of(
        (
            "fir.registered",
            fir(
                "2024-06-20T10:00:00+05:30",
                [{"act": "IPC", "section": "376"}],
                fir_number="MH/AU/CIDCO/2024/0031",
            ),
        ),
    )
    clock = one(clocks(status, today=day("2024-07-01")), "CrPC 173(1A)")
    assert clock.due_on == day("2024-08-20")


# --------------------------------------------------------------------------- s.346(1) proviso


def test_s346_trial_of_rape_within_two_months_of_the_charge_sheet() -> None:
    status = status_of(
        ("fir.registered", fir(offences=RAPE)),
        ("chargesheet.filed", chargesheet("2026-09-30", offences=RAPE)),
    )
    clock = one(clocks(status, today=day("2026-11-30")), "BNSS 346(1) proviso")
    assert (clock.due_on, clock.state, clock.pillar, clock.institution) == (
        day("2026-11-30"),
        ClockState.DUE,
        "courts",
        str(CASE.court),
    )
    assert one(clocks(status, today=day("2026-12-01")), "BNSS 346(1) proviso").state is (
        ClockState.OVERDUE
    )
    judged = status_of(
        ("fir.registered", fir(offences=RAPE)),
        ("chargesheet.filed", chargesheet("2026-09-30", offences=RAPE)),
        ("judgment.delivered", judgment("2026-11-30")),
    )
    assert one(clocks(judged, today=day("2027-01-01")), "BNSS 346(1) proviso").state is (
        ClockState.MET
    )


# --------------------------------------------------------------------------- s.176(3)


def test_s176_3_follows_the_forensic_visit_check() -> None:
    status = status_of(("fir.registered", fir(offences=ROBBERY)))
    registered = dt.datetime(2026, 8, 14, 21, 40, tzinfo=IST)

    def at(now: dt.datetime) -> Clock:
        check = forensic_visit_check(
            state="MH",
            registered_at=status.fir_registered_at,
            offences=status.offences,
            forensic_requests=0,
            now=now,
            days=3,
            mandate={"*": dt.date(2024, 7, 1)},
        )
        with_check = status.model_copy(update={"forensic_visit": check})
        return one(clocks(with_check, today=now.astimezone(IST).date(), now=now), "BNSS 176(3)")

    due = registered + dt.timedelta(days=3)
    assert at(due).state is ClockState.DUE
    assert at(due).due_on == day("2026-08-17")
    assert at(due + dt.timedelta(seconds=1)).state is ClockState.OVERDUE


# --------------------------------------------------------------------------- s.479


def admitted(on: str, *, first_offender: bool | None) -> dict[str, Any]:
    return {
        "admission": {
            "inmate": {
                "prisoner": f"{scenario.PRISON}:UT/31/2026",
                "name": "Ramesh Shankar Jadhav",
                "accused_ref": "A1",
                "first_offender": first_offender,
            },
            "admitted_on": on,
            "category": "undertrial",
            "warrant": {
                "kind": "remand",
                "court": str(CASE.court),
                "order_date": on,
                "fir": str(CASE.fir),
            },
        }
    }


@pytest.mark.parametrize("first_offender", [False, None])
def test_s479_periods_come_from_the_custody_review_and_turn_at_their_boundary(
    first_offender: bool | None,
) -> None:
    status = status_of(
        ("fir.registered", fir(offences=THEFT)),
        ("person.arrested", arrest()),
        ("chargesheet.filed", chargesheet("2026-10-01", offences=THEFT)),
        ("custody.admitted", admitted("2026-08-18", first_offender=first_offender)),
    )
    person = next(a for a in status.accused if a.ref == "A1")
    today = day("2026-09-01")
    expected = review(
        periods=person.custody_periods,
        today=today,
        first_offender=first_offender,
        offences=person.offences,
        arrested_on=day("2026-08-17"),
    )
    found = [c for c in clocks(status, today=today) if c.pillar == "prisons"]
    assert [(c.provision, c.due_on) for c in found] == [
        (t.provision, t.reached_on) for t in expected.thresholds
    ]
    assert all(c.institution == scenario.PRISON and c.accused_ref == "A1" for c in found)
    assert len({c.key for c in found}) == len(found)
    half = next(t for t in expected.thresholds if t.fraction == "1/2")
    reached = half.reached_on

    def state_on(d: dt.date) -> ClockState:
        clock = next(
            c for c in clocks(status, today=d) if c.key.endswith("/1/2") and c.pillar == "prisons"
        )
        assert clock.due_on == reached, "an unbroken detention keeps its day"
        return clock.state

    assert [state_on(reached + dt.timedelta(days=n)) for n in (-1, 0, 1)] == [
        ClockState.DUE,
        ClockState.DUE,
        ClockState.OVERDUE,
    ]


def test_s479_has_no_clock_for_an_offence_punishable_with_life() -> None:
    status = status_of(
        ("fir.registered", fir(offences=RAPE)),
        ("person.arrested", arrest()),
        ("custody.admitted", admitted("2026-08-18", first_offender=True)),
    )
    assert [c for c in clocks(status, today=day("2026-09-01")) if c.pillar == "prisons"] == []
