"""Statutory clocks of the police's investigation steps and the courts' stages, each at its
boundaries (the day before, the day, the day after), with extensions and stays: BNSS 187(2),
193(3)(ii), 184(1), 184(6), 194(2), 230, 232, 250(1), 262(1), 251(1)(b), 263(1), 258(1),
480(6). Pure: case histories built from canonical events, no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canonical_model.clock_facts import IST
from canonical_model.clocks import Clock, ClockKind, ClockState, clocks
from canonical_model.lifecycle import CaseStatus
from tests.unit.canonical_model.test_clocks import (
    CASE,
    RAPE,
    THEFT,
    arrest,
    chargesheet,
    day,
    fir,
    judgment,
    one,
    status_of,
)

MURDER = [{"act": "BNS", "section": "103(1)"}]  # triable by the Court of Session
Event = tuple[str, dict[str, Any]]


def step(kind: str, on: str, at: str | None = None) -> Event:
    data: dict[str, Any] = {"fir": str(CASE.fir), "kind": kind, "on": on}
    if at is not None:
        data["at"] = at
    return ("investigation.step", {"step": data})


def hearing(on: str, stage: str | None = None, **more: Any) -> Event:
    data: dict[str, Any] = {"cnr": str(CASE.cnr), "hearing_date": on, "purpose": "hearing"}
    if stage is not None:
        data["stage"] = stage
    return ("hearing.recorded", {"hearing": data | more})


def order(number: str, on: str, kind: str, **more: Any) -> Event:
    data = {"cnr": str(CASE.cnr), "order_number": number, "order_date": on, "kind": kind}
    return ("order.issued", {"order": data | more})


def states(status: CaseStatus, provision: str, on: str, accused: str | None = None) -> list[Any]:
    """The clock's state the day before ``on``, on it and the day after."""
    found = []
    for offset in (-1, 0, 1):
        today = day(on) + dt.timedelta(days=offset)
        found.append(one(clocks(status, today=today), provision, accused).state)
    return found


DUE, OVERDUE, MET, MISSED = ClockState.DUE, ClockState.OVERDUE, ClockState.MET, ClockState.MISSED


def at(status: CaseStatus, provision: str, today: str, accused: str | None = None) -> Clock:
    return one(clocks(status, today=day(today)), provision, accused)


# --------------------------------------------------------------------------- s.187(2)


def police_remand(until: str | None = None) -> Event:
    data = arrest()
    data["arrest"]["remanded_to"] = "police"
    if until is not None:
        data["arrest"]["remanded_until"] = until
    return ("person.arrested", data)


def test_s187_2_police_custody_runs_out_on_its_fifteenth_day() -> None:
    # Produced and remanded to police custody on 18 August, the order naming no last day:
    # the fifteenth day of police custody is 1 September (that day of remand counted).
    status = status_of(("fir.registered", fir(offences=THEFT)), police_remand())
    clock = at(status, "BNSS 187(2)", "2026-08-20", "A1")
    assert (clock.started_on, clock.due_on, clock.pillar, clock.institution) == (
        day("2026-08-18"),
        day("2026-09-01"),
        "police",
        str(CASE.fir.police_station),
    )
    assert "within the first 40 days" in clock.title
    assert states(status, "BNSS 187(2)", "2026-09-01", "A1") == [DUE, DUE, OVERDUE]


@pytest.mark.parametrize(("judicial_on", "state"), [("2026-09-02", MET), ("2026-09-03", MISSED)])
def test_s187_2_is_stopped_when_police_custody_ends(judicial_on: str, state: ClockState) -> None:
    # Judicial custody from ``judicial_on``: police custody ended the day before.
    status = status_of(
        ("fir.registered", fir(offences=THEFT)),
        police_remand(),
        order("R2", judicial_on, "remand", accused_refs=["A1"], custody_kind="judicial"),
    )
    clock = at(status, "BNSS 187(2)", "2026-10-01", "A1")
    assert clock.stopped_on == day(judicial_on) - dt.timedelta(days=1)
    assert clock.state is state


def test_s187_2_police_custody_in_parts_and_only_within_the_first_forty_days() -> None:
    # Five days of police custody, then judicial custody, then police custody again on the
    # fortieth day (26 September): within the window, ten days left.
    parts = (
        ("fir.registered", fir(offences=THEFT)),
        police_remand(until="2026-08-22"),
        order("R2", "2026-08-23", "remand", accused_refs=["A1"], custody_kind="judicial"),
    )
    within = status_of(
        *parts,
        order(
            "R3",
            "2026-09-26",
            "remand",
            accused_refs=["A1"],
            custody_kind="police",
            until="2026-09-26",
        ),
    )
    clock = at(within, "BNSS 187(2)", "2026-10-01", "A1")
    assert (clock.due_on, clock.stopped_on, clock.state) == (
        day("2026-09-26"),
        day("2026-09-26"),
        MET,
    )
    late = status_of(
        *parts,
        order(
            "R3",
            "2026-09-27",
            "remand",
            accused_refs=["A1"],
            custody_kind="police",
            until="2026-09-27",
        ),
    )
    assert at(late, "BNSS 187(2)", "2026-10-01", "A1").state is MISSED
    # Robbery (10 years): the window is the first 60 days.
    robbery = status_of(
        ("fir.registered", fir(offences=[{"act": "BNS", "section": "309(4)"}])), police_remand()
    )
    assert "within the first 60 days" in at(robbery, "BNSS 187(2)", "2026-08-20", "A1").title


def test_s187_2_is_not_raised_without_police_custody() -> None:
    status = status_of(
        ("fir.registered", fir(offences=THEFT)),
        ("person.arrested", arrest()),
        order("R2", "2026-08-19", "remand", accused_refs=["A1"]),
    )
    found = clocks(status, today=day("2026-08-20"))
    assert "BNSS 187(2)" not in [c.provision for c in found]
    assert "BNSS 187(3)" in [c.provision for c in found]


# --------------------------------------------------------------------------- s.193(3)(ii)


def test_s193_3_ii_informant_told_of_progress_within_90_days() -> None:
    status = status_of(("fir.registered", fir(offences=THEFT)))
    clock = at(status, "BNSS 193(3)(ii)", "2026-08-15")
    assert (clock.started_on, clock.due_on) == (day("2026-08-14"), day("2026-11-12"))
    assert states(status, "BNSS 193(3)(ii)", "2026-11-12") == [DUE, DUE, OVERDUE]
    for told, state in (("2026-11-12", MET), ("2026-11-13", MISSED)):
        informed = status_of(
            ("fir.registered", fir(offences=THEFT)), step("progress_informed", told)
        )
        assert at(informed, "BNSS 193(3)(ii)", "2026-12-01").state is state
    reported = status_of(
        ("fir.registered", fir(offences=THEFT)), ("chargesheet.filed", chargesheet("2026-10-01"))
    )
    assert at(reported, "BNSS 193(3)(ii)", "2026-12-01").stopped_on == day("2026-10-01")


def test_s193_3_ii_has_no_crpc_counterpart() -> None:
    old = status_of(
        (
            "fir.registered",
            fir("2024-05-02T10:00:00+05:30", THEFT, fir_number="MH/AU/CIDCO/2024/0031"),
        )
    )
    assert [c.provision for c in clocks(old, today=day("2024-05-03"))] == []


# --------------------------------------------------------------------------- s.184


def test_s184_1_victim_sent_for_medical_examination_within_24_hours() -> None:
    status = status_of(("fir.registered", fir(offences=RAPE)))  # recorded 14 Aug, 21:40 IST
    due = dt.datetime(2026, 8, 15, 21, 40, tzinfo=IST)

    def state(now: dt.datetime) -> ClockState:
        found = clocks(status, today=now.astimezone(IST).date(), now=now)
        return one(found, "BNSS 184(1)").state

    assert at(status, "BNSS 184(1)", "2026-08-15").due_at == due
    second = dt.timedelta(seconds=1)
    assert [state(due - second), state(due), state(due + second)] == [DUE, DUE, OVERDUE]
    for sent, expected in (
        ("2026-08-15T21:40:00+05:30", MET),
        ("2026-08-15T21:41:00+05:30", MISSED),
    ):
        examined = status_of(
            ("fir.registered", fir(offences=RAPE)),
            step("medical_examination", "2026-08-15", sent),
        )
        assert at(examined, "BNSS 184(1)", "2026-08-20").state is expected
    theft = status_of(("fir.registered", fir(offences=THEFT)))
    assert "BNSS 184(1)" not in [c.provision for c in clocks(theft, today=day("2026-08-15"))]


def test_s184_1_under_the_crpc_is_164a_1() -> None:
    rape = [{"act": "IPC", "section": "376(1)"}]
    old = status_of(
        (
            "fir.registered",
            fir("2024-05-02T10:00:00+05:30", rape, fir_number="MH/AU/CIDCO/2024/0031"),
        )
    )
    clock = one(clocks(old, today=day("2024-05-02")), "CrPC 164A(1)")
    assert clock.due_at == dt.datetime(2024, 5, 3, 10, 0, tzinfo=IST)


def test_s184_6_report_to_the_investigating_officer_within_7_days() -> None:
    examined = (
        ("fir.registered", fir(offences=RAPE)),
        step("medical_examination", "2026-08-15", "2026-08-15T11:00:00+05:30"),
    )
    status = status_of(*examined)
    assert at(status, "BNSS 184(6)", "2026-08-15").due_on == day("2026-08-22")
    assert states(status, "BNSS 184(6)", "2026-08-22") == [DUE, DUE, OVERDUE]
    for forwarded, state in (("2026-08-22", MET), ("2026-08-23", MISSED)):
        done = status_of(*examined, step("medical_report_forwarded", forwarded))
        assert at(done, "BNSS 184(6)", "2026-09-01").state is state


# --------------------------------------------------------------------------- s.194(2)


def test_s194_2_inquest_report_forwarded_within_24_hours() -> None:
    held = step("inquest_held", "2026-08-20", "2026-08-20T18:00:00+05:30")
    status = status_of(("fir.registered", fir(offences=MURDER)), held)
    clock = at(status, "BNSS 194(2)", "2026-08-20")
    assert clock.due_at == dt.datetime(2026, 8, 21, 18, 0, tzinfo=IST)
    due = clock.due_at
    found = [
        one(clocks(status, today=now.astimezone(IST).date(), now=now), "BNSS 194(2)").state
        for now in (due - dt.timedelta(minutes=1), due, due + dt.timedelta(minutes=1))
    ]
    assert found == [DUE, DUE, OVERDUE]
    sent = status_of(
        ("fir.registered", fir(offences=MURDER)),
        held,
        step("inquest_report_forwarded", "2026-08-21", "2026-08-21T17:00:00+05:30"),
    )
    assert at(sent, "BNSS 194(2)", "2026-08-25").state is MET
    # Without the inquest's time, the whole next day is allowed.
    untimed = status_of(
        ("fir.registered", fir(offences=MURDER)), step("inquest_held", "2026-08-20")
    )
    assert states(untimed, "BNSS 194(2)", "2026-08-21") == [DUE, DUE, OVERDUE]


# --------------------------------------------------------------------------- courts


def filed(offences: list[dict[str, str]], *more: Event) -> CaseStatus:
    return status_of(
        ("fir.registered", fir(offences=offences)),
        ("person.arrested", arrest()),
        ("chargesheet.filed", chargesheet("2026-10-01", offences=offences)),
        *more,
    )


def test_s230_documents_within_14_days_of_appearance() -> None:
    status = filed(THEFT, hearing("2026-10-10", "appearance"))
    clock = at(status, "BNSS 230", "2026-10-10")
    assert (clock.due_on, clock.pillar, clock.institution) == (
        day("2026-10-24"),
        "courts",
        str(CASE.court),
    )
    assert states(status, "BNSS 230", "2026-10-24") == [DUE, DUE, OVERDUE]
    for supplied, state in (("2026-10-24", MET), ("2026-10-25", MISSED)):
        done = filed(
            THEFT, hearing("2026-10-10", "appearance"), hearing(supplied, "documents_supplied")
        )
        assert at(done, "BNSS 230", "2026-11-30").state is state
    # No appearance after the police report yet: no clock.
    assert "BNSS 230" not in [c.provision for c in clocks(filed(THEFT), today=day("2026-10-10"))]


def test_s230_cannot_be_extended() -> None:
    status = filed(
        THEFT,
        hearing("2026-10-10", "appearance"),
        order("E1", "2026-10-20", "extension", provision="BNSS 230", until="2026-11-30"),
    )
    clock = at(status, "BNSS 230", "2026-10-25")
    assert (clock.due_on, clock.extended, clock.state) == (day("2026-10-24"), False, OVERDUE)
    assert "does not allow" in (clock.note or "")


def test_s232_committal_within_90_days_of_cognizance_extendable_to_180() -> None:
    status = filed(MURDER, order("C1", "2026-10-05", "cognizance"))
    clock = at(status, "BNSS 232", "2026-10-05")
    assert (clock.due_on, clock.institution) == (day("2027-01-03"), str(CASE.court))
    assert states(status, "BNSS 232", "2027-01-03") == [DUE, DUE, OVERDUE]
    extended = filed(
        MURDER,
        order("C1", "2026-10-05", "cognizance"),
        order("E1", "2026-12-20", "extension", provision="BNSS 232", until="2027-03-01"),
    )
    clock = at(extended, "BNSS 232", "2027-01-04")
    assert (clock.due_on, clock.extended, clock.state) == (day("2027-03-01"), True, DUE)
    assert clock.extended_by is not None and "E1" in clock.extended_by
    assert states(extended, "BNSS 232", "2027-03-01") == [DUE, DUE, OVERDUE]
    # Never beyond 180 days from cognizance (2027-04-03), however long the order says.
    beyond = filed(
        MURDER,
        order("C1", "2026-10-05", "cognizance"),
        order("E1", "2026-12-20", "extension", provision="BNSS 232", until="2027-06-01"),
    )
    clock = at(beyond, "BNSS 232", "2027-01-04")
    assert clock.due_on == day("2027-04-03") and "capped" in (clock.note or "")
    committed = filed(
        MURDER,
        order("C1", "2026-10-05", "cognizance"),
        order("K1", "2027-01-03", "committal", to_court="MHAU02"),
    )
    assert at(committed, "BNSS 232", "2027-02-01").state is MET
    # Theft is triable by a Magistrate: nothing to commit.
    theft = filed(THEFT, order("C1", "2026-10-05", "cognizance"))
    assert "BNSS 232" not in [c.provision for c in clocks(theft, today=day("2026-10-06"))]


def test_a_superior_courts_stay_holds_the_court_clocks_and_moves_the_last_day() -> None:
    base = (
        order("C1", "2026-10-05", "cognizance"),
        order("S1", "2026-12-01", "stay", issued_by="MHHC01"),
    )
    stayed = filed(MURDER, *base)
    clock = at(stayed, "BNSS 232", "2027-01-10")
    assert (clock.state, clock.stayed, clock.due_on) == (ClockState.STAYED, True, day("2027-01-03"))
    assert clock.stayed_by is not None and "MHHC01" in clock.stayed_by
    # Vacated on 10 December: ten days (1 to 10 December, both counted) are added.
    vacated = filed(MURDER, *base, order("S2", "2026-12-10", "stay_vacated", issued_by="MHHC01"))
    clock = at(vacated, "BNSS 232", "2026-12-11")
    assert (clock.state, clock.stayed, clock.due_on) == (DUE, False, day("2027-01-13"))
    assert states(vacated, "BNSS 232", "2027-01-13") == [DUE, DUE, OVERDUE]
    # A stay with a last day ends on it.
    until = filed(
        MURDER,
        order("C1", "2026-10-05", "cognizance"),
        order("S1", "2026-12-01", "stay", issued_by="MHHC01", until="2026-12-05"),
    )
    assert at(until, "BNSS 232", "2026-12-05").state is ClockState.STAYED
    assert at(until, "BNSS 232", "2026-12-06").due_on == day("2027-01-08")
    # The police's clocks and the clocks of liberty are not stayed by a stay of proceedings.
    police = at(stayed, "BNSS 187(3)", "2026-12-02", "A1")
    assert police.stayed is False


def test_s250_1_the_accuseds_sixty_days_after_committal_lapse() -> None:
    status = filed(MURDER, order("K1", "2026-12-01", "committal", to_court="MHAU02"))
    clock = at(status, "BNSS 250(1)", "2026-12-01")
    assert (clock.kind, clock.due_on, clock.institution) == (
        ClockKind.PERIOD,
        day("2027-01-30"),
        "MHAU02",
    )
    assert states(status, "BNSS 250(1)", "2027-01-30") == [DUE, DUE, ClockState.LAPSED]
    applied = filed(
        MURDER,
        order("K1", "2026-12-01", "committal", to_court="MHAU02"),
        ("hearing.recorded", hearing("2027-01-30", "discharge_application")[1]),
    )
    assert at(applied, "BNSS 250(1)", "2027-02-15").state is MET


def test_s262_1_the_accuseds_sixty_days_from_the_supply_of_documents() -> None:
    status = filed(THEFT, hearing("2026-10-24", "documents_supplied"))
    clock = at(status, "BNSS 262(1)", "2026-10-24")
    assert (clock.kind, clock.due_on) == (ClockKind.PERIOD, day("2026-12-23"))
    assert states(status, "BNSS 262(1)", "2026-12-23") == [DUE, DUE, ClockState.LAPSED]


@pytest.mark.parametrize(
    ("offences", "provision"), [(MURDER, "BNSS 251(1)(b)"), (THEFT, "BNSS 263(1)")]
)
def test_charge_within_60_days_of_the_first_hearing_on_charge(
    offences: list[dict[str, str]], provision: str
) -> None:
    status = filed(
        offences, hearing("2027-01-10", "charge_hearing"), hearing("2027-02-01", "charge_hearing")
    )
    clock = at(status, provision, "2027-01-10")
    assert clock.started_on == day("2027-01-10") and clock.due_on == day("2027-03-11")
    assert states(status, provision, "2027-03-11") == [DUE, DUE, OVERDUE]
    for framed, state in (("2027-03-11", MET), ("2027-03-12", MISSED)):
        done = filed(
            offences, hearing("2027-01-10", "charge_hearing"), order("F", framed, "charges_framed")
        )
        assert at(done, provision, "2027-04-01").state is state


def test_s258_1_judgment_within_30_days_extendable_to_45() -> None:
    argued = (
        order("K1", "2026-12-01", "committal", to_court="MHAU02"),
        hearing("2027-06-01", "arguments_concluded"),
    )
    status = filed(MURDER, *argued)
    assert at(status, "BNSS 258(1)", "2027-06-01").due_on == day("2027-07-01")
    assert states(status, "BNSS 258(1)", "2027-07-01") == [DUE, DUE, OVERDUE]
    extended = filed(
        MURDER,
        *argued,
        order("E", "2027-06-25", "extension", provision="BNSS 258", until="2027-07-31"),
    )
    clock = at(extended, "BNSS 258(1)", "2027-07-02")
    assert (clock.due_on, clock.extended, clock.state) == (day("2027-07-16"), True, DUE)
    assert states(extended, "BNSS 258(1)", "2027-07-16") == [DUE, DUE, OVERDUE]
    judged = filed(MURDER, *argued, ("judgment.delivered", judgment("2027-07-01")))
    assert at(judged, "BNSS 258(1)", "2027-08-01").state is MET
    # A Magistrate's trial has no such clock.
    theft = filed(THEFT, hearing("2027-06-01", "arguments_concluded"))
    assert "BNSS 258(1)" not in [c.provision for c in clocks(theft, today=day("2027-06-02"))]


def test_s480_6_magistrates_trial_60_days_from_the_first_date_fixed_for_evidence() -> None:
    # At the hearing of 5 October the Magistrate fixes 2 November for evidence.
    fixed = hearing("2026-10-05", "charge_hearing", next_date="2026-11-02", next_stage="evidence")
    status = filed(THEFT, fixed)
    clock = at(status, "BNSS 480(6)", "2026-11-02", "A1")
    assert (clock.due_on, clock.pillar, clock.institution) == (
        day("2027-01-01"),
        "courts",
        str(CASE.court),
    )
    assert states(status, "BNSS 480(6)", "2027-01-01", "A1") == [DUE, DUE, OVERDUE]
    bailed = filed(THEFT, fixed, order("B", "2026-12-01", "bail_granted", accused_refs=["A1"]))
    clock = at(bailed, "BNSS 480(6)", "2027-01-10", "A1")
    assert (clock.state, clock.stopped_by) == (MET, "released on bail")
    judged = filed(THEFT, fixed, ("judgment.delivered", judgment("2027-01-02")))
    assert at(judged, "BNSS 480(6)", "2027-02-01", "A1").state is MISSED
    # No stay of the proceedings keeps the accused in custody longer.
    stayed = filed(THEFT, fixed, order("S", "2026-12-01", "stay"))
    clock = at(stayed, "BNSS 480(6)", "2027-01-02", "A1")
    assert (clock.stayed, clock.state, clock.due_on) == (False, OVERDUE, day("2027-01-01"))
    # Not for a case triable by the Court of Session.
    murder = filed(MURDER, fixed)
    assert "BNSS 480(6)" not in [c.provision for c in clocks(murder, today=day("2026-11-03"))]
