"""Statutory clocks over random event histories (hypothesis): the state always agrees with the
due date and what stopped the clock, keys are unique, default bail is 60 or 90 days counting the
day of remand, and a clock never starts before what starts it. The histories carry the police's
investigation steps and remand kinds, the courts' hearing stages, cognizance, committal,
charges, bail, extensions and stays: an extension never takes a clock beyond what the Act
allows, a party's period lapses and is never overdue, no stay touches a clock of liberty, and
police custody never runs past the first 40 or 60 days."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from canonical_model.clocks import LIBERTY, ClockKind, ClockState, clocks
from tests.unit.canonical_model.test_clocks import (
    CASE,
    arrest,
    chargesheet,
    fir,
    judgment,
    status_of,
)

OFFENCES = [
    [{"act": "BNS", "section": "303(2)"}],
    [{"act": "BNS", "section": "309(4)"}],
    [{"act": "BNS", "section": "64(1)"}],
    [{"act": "POCSO", "section": "4"}],
    [{"act": "OTHER", "section": "12", "act_name": "Some State Act"}],
    [{"act": "BNS", "section": "103(1)"}],  # murder: triable by the Court of Session
]
STEPS = [
    "progress_informed",
    "medical_examination",
    "medical_report_forwarded",
    "inquest_held",
    "inquest_report_forwarded",
]
STAGES = [
    "cognizance",
    "appearance",
    "documents_supplied",
    "discharge_application",
    "charge_hearing",
    "evidence",
    "arguments_concluded",
]
#: The most an extension may take each extendable clock to, in days from its start.
CAPS = {"BNSS 232": 180, "BNSS 258(1)": 45}


def _order(n: int, on: dt.date, kind: str, **more: Any) -> tuple[str, dict[str, Any]]:
    order = {"cnr": str(CASE.cnr), "order_number": f"O{n}", "order_date": on.isoformat()}
    return ("order.issued", {"order": order | {"kind": kind} | more})


@st.composite
def court_events(draw: st.DrawFn, filed: dt.date, number: str) -> list[tuple[str, dict[str, Any]]]:
    """The court's side after the charge sheet: hearings at random stages, orders that start,
    stop, extend and stay clocks, all on days after the report."""
    events: list[tuple[str, dict[str, Any]]] = []
    for n in range(draw(st.integers(0, 8))):
        on = filed + dt.timedelta(days=draw(st.integers(0, 200)))
        what = draw(
            st.sampled_from(
                [
                    "hearing",
                    "cognizance",
                    "charges_framed",
                    "bail_granted",
                    "remand",
                    "extension",
                    "stay",
                    "stay_vacated",
                    "committal",
                ]
            )
        )
        if what == "hearing":
            hearing: dict[str, Any] = {
                "cnr": str(CASE.cnr),
                "hearing_date": on.isoformat(),
                "purpose": "hearing",
                "stage": draw(st.sampled_from(STAGES)),
            }
            if draw(st.booleans()):
                hearing["next_date"] = (
                    on + dt.timedelta(days=draw(st.integers(1, 40)))
                ).isoformat()
                hearing["next_stage"] = draw(st.sampled_from([*STAGES, None]))
            events.append(("hearing.recorded", {"hearing": hearing}))
        elif what == "extension":
            provision = draw(st.sampled_from(["BNSS 232", "BNSS 258", "BNSS 230"]))
            until = on + dt.timedelta(days=draw(st.integers(0, 200)))
            events.append(_order(n, on, "extension", provision=provision, until=until.isoformat()))
        elif what == "stay":
            more: dict[str, Any] = {}
            if draw(st.booleans()):
                more["until"] = (on + dt.timedelta(days=draw(st.integers(0, 60)))).isoformat()
            if draw(st.booleans()):
                more["provision"] = draw(
                    st.sampled_from(["BNSS 232", "BNSS 193(2)", "BNSS 480(6)"])
                )
            events.append(_order(n, on, "stay", **more))
        elif what == "committal":
            events.append(_order(n, on, "committal", to_court="MHAU02"))
        elif what == "remand":
            kind = draw(st.sampled_from(["police", "judicial", None]))
            more = {"accused_refs": ["A1"]}
            if kind is not None:
                more["custody_kind"] = kind
            if draw(st.booleans()):
                more["until"] = (on + dt.timedelta(days=draw(st.integers(0, 20)))).isoformat()
            events.append(_order(n, on, "remand", **more))
        elif what == "bail_granted":
            events.append(_order(n, on, what, accused_refs=["A1"]))
        else:
            events.append(_order(n, on, what))
    return events


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
        arrested = arrest(
            f"{moment.isoformat()}+05:30",
            f"{produced.isoformat()}+05:30" if produced else None,
            fir_number=number,
        )
        if produced is not None:
            kind = draw(st.sampled_from(["police", "judicial", None]))
            if kind is not None:
                arrested["arrest"]["remanded_to"] = kind
            if draw(st.booleans()):
                until = produced.date() + dt.timedelta(days=draw(st.integers(0, 20)))
                arrested["arrest"]["remanded_until"] = until.isoformat()
        events.append(("person.arrested", arrested))
    for _ in range(draw(st.integers(0, 3))):
        at = registered + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 120)))
        step: dict[str, Any] = {"fir": number, "kind": draw(st.sampled_from(STEPS))}
        step["on"] = at.date().isoformat()
        if draw(st.booleans()):
            step["at"] = f"{at.isoformat()}+05:30"
        events.append(("investigation.step", {"step": step}))
    if draw(st.booleans()):
        filed = moment.date() + dt.timedelta(days=draw(st.integers(0, 150)))
        events.append(
            (
                "chargesheet.filed",
                chargesheet(filed.isoformat(), fir_number=number, offences=offences),
            )
        )
        events.extend(draw(court_events(filed, number)))
        if draw(st.booleans()):
            judged = filed + dt.timedelta(days=draw(st.integers(0, 240)))
            events.append(("judgment.delivered", judgment(judged.isoformat())))
    today = registered.date() + dt.timedelta(days=draw(st.integers(-2, 600)))
    return events, today


@settings(max_examples=200, deadline=None)
@given(histories())
def test_every_clock_agrees_with_its_dates(history: tuple[list[Any], dt.date]) -> None:
    events, today = history
    status = status_of(*events)
    found = clocks(status, today=today)
    assert len({c.key for c in found}) == len(found)
    for clock in found:
        assert re.fullmatch(
            r"(BNSS|CrPC) [0-9]+[A-Z]*(\([0-9a-zA-Z]+\))*( proviso)?", clock.provision
        )
        assert clock.days_left == (clock.due_on - today).days
        assert clock.started_on <= clock.due_on
        past = ClockState.LAPSED if clock.kind is ClockKind.PERIOD else ClockState.OVERDUE
        if clock.stopped_on is not None:
            if clock.due_at is None:
                on_time = clock.stopped_on <= clock.due_on
                assert clock.state is (ClockState.MET if on_time else ClockState.MISSED)
            else:
                assert clock.state in (ClockState.MET, ClockState.MISSED)
        elif clock.stayed:
            assert clock.state is ClockState.STAYED
        elif clock.due_at is None:
            assert clock.state is (past if today > clock.due_on else ClockState.DUE)
        else:
            assert clock.state in (past, ClockState.DUE)
        if clock.state is ClockState.OVERDUE:
            assert clock.kind is ClockKind.DUTY
        if clock.provision.startswith(LIBERTY):
            assert not clock.stayed and "stayed" not in (clock.note or "")
        moved = "the last day moved" in (clock.note or "")
        if clock.extended:
            assert clock.provision in CAPS
            if not moved:
                assert (clock.due_on - clock.started_on).days <= CAPS[clock.provision]
        elif clock.provision in CAPS and not moved:
            assert (clock.due_on - clock.started_on).days == {"BNSS 232": 90}.get(
                clock.provision, 30
            )
        if clock.provision == "BNSS 187(2)":
            assert (clock.due_on - clock.started_on).days + 1 <= 60
        if clock.provision in ("BNSS 187(3)", "CrPC 167(2)"):
            assert (clock.due_on - clock.started_on).days + 1 in (60, 90)
        if clock.provision.startswith("CrPC"):
            assert status.fir_registered_at is not None
            assert status.fir_registered_at.date() < dt.date(2024, 7, 1) or (
                clock.provision == "CrPC 309(1) proviso"
            )
