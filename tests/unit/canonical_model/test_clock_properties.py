"""Statutory clocks over random event histories (hypothesis): the state always agrees with the
due date and what stopped the clock, keys are unique, default bail is 60 or 90 days counting the
day of remand, and a clock never starts before what starts it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from canonical_model.clocks import ClockState, clocks
from tests.unit.canonical_model.test_clocks import arrest, chargesheet, fir, judgment, status_of

OFFENCES = [
    [{"act": "BNS", "section": "303(2)"}],
    [{"act": "BNS", "section": "309(4)"}],
    [{"act": "BNS", "section": "64(1)"}],
    [{"act": "POCSO", "section": "4"}],
    [{"act": "OTHER", "section": "12", "act_name": "Some State Act"}],
]
START = dt.datetime(2024, 5, 1, 9, 0)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[tuple[str, dict[str, Any]]], dt.date]:
    registered = START + dt.timedelta(hours=draw(st.integers(0, 24 * 500)))
    offences = draw(st.sampled_from(OFFENCES))
    number = f"MH/AU/CIDCO/{registered.year}/0031"
    events: list[tuple[str, dict[str, Any]]] = [
        ("fir.registered", fir(f"{registered.isoformat()}+05:30", offences, fir_number=number))
    ]
    moment = registered
    if draw(st.booleans()):
        moment += dt.timedelta(hours=draw(st.integers(0, 24 * 20)))
        produced = (
            moment + dt.timedelta(minutes=draw(st.integers(0, 60 * 48)))
            if draw(st.booleans())
            else None
        )
        events.append(
            (
                "person.arrested",
                arrest(
                    f"{moment.isoformat()}+05:30",
                    f"{produced.isoformat()}+05:30" if produced else None,
                    fir_number=number,
                ),
            )
        )
    if draw(st.booleans()):
        filed = moment.date() + dt.timedelta(days=draw(st.integers(0, 150)))
        events.append(
            (
                "chargesheet.filed",
                chargesheet(filed.isoformat(), fir_number=number, offences=offences),
            )
        )
        if draw(st.booleans()):
            judged = filed + dt.timedelta(days=draw(st.integers(0, 120)))
            events.append(("judgment.delivered", judgment(judged.isoformat())))
    today = registered.date() + dt.timedelta(days=draw(st.integers(-2, 400)))
    return events, today


@settings(max_examples=200, deadline=None)
@given(histories())
def test_every_clock_agrees_with_its_dates(history: tuple[list[Any], dt.date]) -> None:
    events, today = history
    status = status_of(*events)
    found = clocks(status, today=today)
    assert len({c.key for c in found}) == len(found)
    for clock in found:
        assert re.fullmatch(r"(BNSS|CrPC) [0-9]+[A-Z]*(\([0-9A-Z]+\))*( proviso)?", clock.provision)
        assert clock.days_left == (clock.due_on - today).days
        assert clock.started_on <= clock.due_on
        if clock.stopped_on is not None:
            if clock.due_at is None:
                on_time = clock.stopped_on <= clock.due_on
                assert clock.state is (ClockState.MET if on_time else ClockState.MISSED)
            else:
                assert clock.state in (ClockState.MET, ClockState.MISSED)
        else:
            assert clock.state is (ClockState.OVERDUE if today > clock.due_on else ClockState.DUE)
        if clock.provision in ("BNSS 187(3)", "CrPC 167(2)"):
            assert (clock.due_on - clock.started_on).days + 1 in (60, 90)
        if clock.provision.startswith("CrPC"):
            assert status.fir_registered_at is not None
            assert status.fir_registered_at.date() < dt.date(2024, 7, 1) or (
                clock.provision == "CrPC 309(1) proviso"
            )
