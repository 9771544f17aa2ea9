"""BNSS s.20 routing of police reports, and the prosecution part of the case status: versions of
a re-filed report, scrutiny states, the checks prosecution messages must pass, and what the
gateway writes into events at ingest. Pure, no database."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from canonical_model.entities import Act, Offence
from canonical_model.errors import Conflict, ContractViolation, Forbidden
from canonical_model.events import (
    ChargesheetFiled,
    CloudEvent,
    EventPayload,
    JudgmentDelivered,
    ScrutinyCompleted,
    payload_class,
)
from canonical_model.identifiers import ProsecutionLevel, ProsecutionOffice
from canonical_model.law import Punishment
from canonical_model.lifecycle import CaseStatus, apply, project
from canonical_model.prosecution import (
    ProsecutionStatus,
    ScrutinyState,
    check_prosecution_message,
    level_for,
    office_covers_case,
    route,
    route_police_report,
    stamp_prosecution,
)
from gateway.cli import scenario

CASE = scenario.refs(21)
T0 = dt.datetime(2026, 8, 14, tzinfo=dt.UTC)


def years(n: float) -> Punishment:
    return Punishment(death=False, life=False, max_years=n)


# --------------------------------------------------------------------------- levels


@pytest.mark.parametrize(
    ("punishment", "level"),
    [
        (years(6 + 11 / 12), ProsecutionLevel.ASSISTANT_DIRECTOR),  # six years eleven months
        (years(7), ProsecutionLevel.DEPUTY_DIRECTOR),
        (years(9), ProsecutionLevel.DEPUTY_DIRECTOR),
        (years(9 + 11 / 12), ProsecutionLevel.DEPUTY_DIRECTOR),
        (years(10), ProsecutionLevel.DIRECTOR),
        (years(14), ProsecutionLevel.DIRECTOR),
        (Punishment(death=False, life=True), ProsecutionLevel.DIRECTOR),
        (Punishment(death=True, life=True), ProsecutionLevel.DIRECTOR),
        (Punishment(death=False, life=False, fine_only=True), ProsecutionLevel.ASSISTANT_DIRECTOR),
        (years(0.25), ProsecutionLevel.ASSISTANT_DIRECTOR),
        (None, ProsecutionLevel.DEPUTY_DIRECTOR),
    ],
)
def test_the_level_follows_bnss_s20_at_its_boundaries(
    punishment: Punishment | None, level: ProsecutionLevel
) -> None:
    assert level_for(punishment) is level


def bns(section: str) -> Offence:
    return Offence(act=Act.BNS, section=section)


@pytest.mark.parametrize(
    ("offences", "monitor", "rule", "gravest"),
    [
        (["303(2)"], "MH/AU/ADP", "BNSS s.20(9)", "BNS 303(2)"),  # theft: 3 years
        (["309(5)", "303(2)"], "MH/AU/DDP", "BNSS s.20(8)", "BNS 309(5)"),  # 7 years
        (["303(2)", "108"], "MH/DOP", "BNSS s.20(7)", "BNS 108"),  # 10 years
        (["309(6)", "3(5)"], "MH/DOP", "BNSS s.20(7)", "BNS 309(6)"),  # life
        (["103(1)"], "MH/DOP", "BNSS s.20(7)", "BNS 103(1)"),  # death
    ],
)
def test_every_report_is_scrutinised_by_the_deputy_director_and_monitored_by_its_band(
    offences: list[str], monitor: str, rule: str, gravest: str
) -> None:
    # s.20(8) gives scrutiny to the Deputy Director alone; s.20(7)-(9) give monitoring by band.
    routing = route([bns(s) for s in offences], state="MH", district="AU")
    assert str(routing.office) == "MH/AU/DDP" and routing.rule == "BNSS s.20(8)"
    assert routing.level is ProsecutionLevel.DEPUTY_DIRECTOR
    assert str(routing.monitoring_office) == monitor and routing.monitoring_rule == rule
    assert str(routing.gravest_offence) == gravest
    assert routing.gravest_offence is not None and gravest in routing.reason
    assert routing.punishment in routing.reason
    assert "for scrutiny" in routing.reason and "monitored by" in routing.reason
    assert [str(o) for o in routing.offices()] == list(dict.fromkeys(["MH/AU/DDP", monitor]))
    assert routing.purpose("MH/AU/DDP") == "scrutiny"
    if monitor != "MH/AU/DDP":
        assert routing.purpose(monitor) == "monitoring"


def test_the_director_monitors_expedites_and_opines_on_appeals() -> None:
    routing = route([bns("103(1)")], state="MH", district="AU")
    assert "expedites the proceedings and gives opinion on filing appeals" in routing.reason
    minor = route([bns("115(2)")], state="MH", district="AU")
    assert "Assistant Director" in minor.reason and "opinion" not in minor.reason


def test_a_report_of_unknown_offences_goes_to_the_deputy_director_and_says_so() -> None:
    routing = route([Offence(act=Act.NDPS, section="99")], state="MH", district="AU")
    assert str(routing.office) == "MH/AU/DDP"
    assert routing.level is ProsecutionLevel.DEPUTY_DIRECTOR
    assert routing.gravest_offence is None and routing.punishment == "unknown"
    assert routing.unknown_offences == ["NDPS 99"]
    assert routing.monitoring_office is None
    assert "no offence" in routing.reason and "NDPS 99" in routing.reason


def test_an_unknown_offence_beside_a_minor_one_leaves_the_monitoring_band_open() -> None:
    routing = route([bns("303(2)"), Offence(act=Act.NDPS, section="99")], state="MH", district="AU")
    assert str(routing.office) == "MH/AU/DDP" and routing.monitoring_office is None
    assert str(routing.gravest_offence) == "BNS 303(2)"
    assert "may be graver" in routing.reason
    # ... but a case that is the Director's stays his whatever the unknown one carries.
    routing = route([bns("103(1)"), Offence(act=Act.NDPS, section="99")], state="MH", district="AU")
    assert str(routing.monitoring_office) == "MH/DOP"


@pytest.mark.parametrize(
    ("liability", "act"),
    [("3(5)", Act.BNS), ("190", Act.BNS), ("49", Act.BNS), ("34", Act.IPC), ("149", Act.IPC)],
)
def test_common_intention_object_or_abetment_beside_an_offence_is_punished_as_that_offence(
    liability: str, act: Act
) -> None:
    # Theft read with common intention is still a case below seven years: the Assistant
    # Director monitors it, not left open as though s.3(5) (IPC s.34) were an offence of
    # unknown punishment.
    theft = Offence(act=act, section="303(2)" if act is Act.BNS else "379")
    routing = route([theft, Offence(act=act, section=liability)], state="MH", district="AU")
    assert str(routing.monitoring_office) == "MH/AU/ADP", routing.reason
    assert routing.unknown_offences == []
    assert "not in the law table" not in routing.reason


def test_the_accused_charges_count_as_well_as_the_report_s_sections() -> None:
    data = copy.deepcopy(scenario.chargesheet_filed(CASE))["data"]
    data["report"]["offences"] = [{"act": "BNS", "section": "303(2)"}]
    data["report"]["accused"][1]["offences"] = [{"act": "BNS", "section": "103(1)"}]
    payload = ChargesheetFiled.model_validate(data)
    routing = route_police_report(payload.report)
    assert str(routing.monitoring_office) == "MH/DOP"
    assert str(routing.gravest_offence) == "BNS 103(1)"


def test_office_areas() -> None:
    assert office_covers_case(ProsecutionOffice.parse("MH/DOP"), "MH/PU/SHIVAJINAGAR")
    assert office_covers_case(ProsecutionOffice.parse("MH/AU/ADP"), "MH/AU/CIDCO")
    assert not office_covers_case(ProsecutionOffice.parse("MH/AU/ADP"), "MH/PU/SHIVAJINAGAR")
    assert not office_covers_case(ProsecutionOffice.parse("KA/DOP"), "MH/AU/CIDCO")
    assert not office_covers_case(ProsecutionOffice.parse("MH/DOP"), None)


# --------------------------------------------------------------------------- the status


def event(n: int, name: str, data: dict[str, Any]) -> CloudEvent:
    payload: EventPayload = payload_class(name).model_validate(data)
    return CloudEvent.wrap(
        payload, event_id=f"e{n}", source="/test", subject="case_x", time=T0 + dt.timedelta(hours=n)
    )


def police(n: int, message: dict[str, Any]) -> CloudEvent:
    return event(n, message["type"], message["data"])


def filed_returned_refiled() -> CaseStatus:
    return project(
        "case_x",
        [
            police(0, scenario.fir_registered(CASE)),
            police(1, scenario.chargesheet_filed(CASE)),
            event(2, "prosecution.prosecutor_assigned", scenario.prosecutor_assignment(CASE)),
            event(3, "prosecution.scrutiny_completed", scenario.scrutiny_returned(CASE)),
            police(4, scenario.chargesheet_filed(CASE)),
        ],
    )


def test_a_returned_report_filed_again_keeps_both_versions() -> None:
    status = filed_returned_refiled()
    prosecution = status.prosecution
    assert prosecution.routed_to == "MH/AU/DDP" and prosecution.monitored_by == "MH/DOP"
    assert prosecution.routing is not None and prosecution.routing.rule == "BNSS s.20(8)"
    assert prosecution.routing.monitoring_rule == "BNSS s.20(7)"
    assert prosecution.prosecutor is not None
    assert prosecution.prosecutor.prosecutor.name == "Adv. Sunanda Gaikwad"
    (report,) = prosecution.reports
    assert report.report_number == "CS-21/2026"
    assert [v.version for v in report.versions] == [1, 2]
    assert report.state is ScrutinyState.REFILED
    first, second = report.versions
    assert [d.field for d in first.scrutiny[0].deficiencies] == ["documents", "accused[A2].custody"]
    assert second.scrutiny == []
    assert status.police_reports == [
        "charge sheet CS-21/2026",
        "charge sheet CS-21/2026 (version 2)",
    ]
    assert "prosecution_no" in status.identifiers


def test_approval_of_the_second_version_settles_the_report() -> None:
    status = apply(
        filed_returned_refiled(),
        event(5, "prosecution.scrutiny_completed", scenario.scrutiny_approved(CASE)),
    )
    (report,) = status.prosecution.reports
    assert report.state is ScrutinyState.APPROVED
    assert report.versions[0].scrutiny[0].outcome.value == "returned"
    assert report.versions[1].scrutiny[0].outcome.value == "approved"


def test_scrutiny_states_from_filing_to_return() -> None:
    status = project(
        "case_x",
        [police(0, scenario.fir_registered(CASE)), police(1, scenario.chargesheet_filed(CASE))],
    )
    assert status.prosecution.reports[0].state is ScrutinyState.PENDING
    status = apply(
        status, event(2, "prosecution.scrutiny_completed", scenario.scrutiny_returned(CASE))
    )
    assert status.prosecution.reports[0].state is ScrutinyState.RETURNED


def test_opinions_and_appeal_recommendations_are_listed() -> None:
    status = apply(
        filed_returned_refiled(),
        event(5, "prosecution.opinion_given", scenario.legal_opinion(CASE)),
    )
    status = apply(
        status,
        event(
            6,
            "prosecution.appeal_recommendation",
            scenario.appeal_recommendation(CASE, judgment_date="2027-03-10"),
        ),
    )
    assert status.prosecution.opinions[0].subject.startswith("Whether BNS s.311")
    (appeal,) = status.prosecution.appeal_recommendations
    assert appeal.recommended and appeal.accused_refs == ["A2"]


# --------------------------------------------------------------------------- checks, stamping


def scrutiny(**changes: Any) -> ScrutinyCompleted:
    data = scenario.scrutiny_returned(CASE)
    data["scrutiny"] |= changes
    return ScrutinyCompleted.model_validate(data)


def test_a_scrutiny_of_a_report_the_case_lacks_is_refused_at_the_field() -> None:
    status = filed_returned_refiled()
    with pytest.raises(ContractViolation) as caught:
        check_prosecution_message(
            scrutiny(report_number="CS-99/2026"),
            status=status.prosecution,
            police_station=status.police_station,
            judgment_date=None,
        )
    assert caught.value.problems[0].location == "/scrutiny/report_number"
    assert "CS-21/2026" in caught.value.problems[0].message
    with pytest.raises(ContractViolation) as caught:
        check_prosecution_message(
            scrutiny(version=3),
            status=status.prosecution,
            police_station=status.police_station,
            judgment_date=None,
        )
    assert caught.value.problems[0].location == "/scrutiny/version"


def test_an_office_speaks_only_of_cases_of_its_area() -> None:
    status = filed_returned_refiled()
    other_district = scrutiny(office="MH/PU/DDP")
    with pytest.raises(Forbidden):
        check_prosecution_message(
            other_district,
            status=status.prosecution,
            police_station=status.police_station,
            judgment_date=None,
        )
    # Any level of the case's district or State may deal with it (BNSS s.20(10)).
    for office in ("MH/AU/ADP", "MH/AU/DDP", "MH/DOP"):
        check_prosecution_message(
            scrutiny(office=office),
            status=status.prosecution,
            police_station=status.police_station,
            judgment_date=None,
        )


def test_an_appeal_recommendation_needs_the_case_s_judgment() -> None:
    recommendation = payload_class("prosecution.appeal_recommendation").model_validate(
        scenario.appeal_recommendation(CASE, judgment_date="2027-03-10")
    )
    status = filed_returned_refiled()
    kwargs: dict[str, Any] = {"status": status.prosecution, "police_station": "MH/AU/CIDCO"}
    with pytest.raises(Conflict):
        check_prosecution_message(recommendation, judgment_date=None, **kwargs)
    with pytest.raises(ContractViolation) as caught:
        check_prosecution_message(recommendation, judgment_date=dt.date(2027, 3, 9), **kwargs)
    assert caught.value.problems[0].location == "/recommendation/judgment_date"
    check_prosecution_message(recommendation, judgment_date=dt.date(2027, 3, 10), **kwargs)


def test_stamping_versions_and_the_judgment_s_office() -> None:
    status = filed_returned_refiled()
    refiled = ChargesheetFiled.model_validate(scenario.chargesheet_filed(CASE)["data"])
    stamped = stamp_prosecution(refiled, status.prosecution)
    assert isinstance(stamped, ChargesheetFiled) and stamped.report_version == 3
    assert "(version 3)" in stamped.summary()
    latest = stamp_prosecution(scrutiny(), status.prosecution)
    assert isinstance(latest, ScrutinyCompleted) and latest.scrutiny.version == 2
    judgment = JudgmentDelivered.model_validate(
        {
            "judgment": {
                "cnr": str(CASE.cnr),
                "judgment_date": "2027-03-10",
                "verdicts": [{"accused_ref": "A1", "verdict": "acquitted"}],
            }
        }
    )
    routed = stamp_prosecution(judgment, status.prosecution)
    assert isinstance(routed, JudgmentDelivered)
    assert str(routed.prosecution_office) == "MH/DOP"
    assert stamp_prosecution(judgment, ProsecutionStatus()) == judgment


def test_a_returned_report_needs_deficiencies_and_an_approved_one_has_none() -> None:
    with pytest.raises(ValueError, match="lists its deficiencies"):
        scrutiny(deficiencies=[])
    with pytest.raises(ValueError, match="no deficiencies"):
        scrutiny(outcome="approved")
