"""The forensic rules of the canonical model: BNSS s.176(3), the status fold, and the checks a
laboratory message must pass against its case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canonical_model.entities import Act, Offence
from canonical_model.errors import Conflict, ContractViolation, Forbidden
from canonical_model.events import (
    EventPayload,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.forensic_records import ForensicRequest
from canonical_model.forensics import (
    ForensicRequestStatus,
    ForensicState,
    ForensicVisitCheck,
    apply_forensic,
    check_forensic_message,
    forensic_visit_check,
    parse_mandate_states,
)
from gateway.cli import scenario

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
FIR_AT = dt.datetime(2026, 8, 14, 21, 40, tzinfo=IST)
MANDATE = {"*": dt.date(2024, 7, 1)}
CASE = scenario.refs(123)


def check(
    offences: list[Offence], *, days_after: float, requests: int = 0, **kw: Any
) -> ForensicVisitCheck:
    args: dict[str, Any] = {
        "state": "MH",
        "registered_at": FIR_AT,
        "offences": offences,
        "forensic_requests": requests,
        "now": FIR_AT + dt.timedelta(days=days_after),
        "days": 30,
        "mandate": MANDATE,
    }
    args.update(kw)
    return forensic_visit_check(**args)


ROBBERY_WITH_HURT = Offence(act=Act.BNS, section="309(6)")
MURDER = Offence(act=Act.BNS, section="103(1)")
SIMPLE_HURT = Offence(act=Act.BNS, section="115(2)")
UNKNOWN = Offence(act=Act.OTHER, section="12", act_name="Some State Act")


def test_grave_offence_without_request_is_flagged_only_after_the_days() -> None:
    assert check([ROBBERY_WITH_HURT], days_after=29).flagged is False
    late = check([ROBBERY_WITH_HURT], days_after=31)
    assert late.applies is True and late.flagged is True
    assert late.gravest_offence == "BNS 309(6)"
    assert late.due_by == FIR_AT + dt.timedelta(days=30)


def test_a_request_clears_the_flag() -> None:
    done = check([MURDER], days_after=100, requests=1)
    assert done.applies is True and done.flagged is False


def test_offence_under_seven_years_does_not_apply() -> None:
    result = check([SIMPLE_HURT], days_after=100)
    assert result.applies is False and result.flagged is False


def test_unknown_maximum_is_said_and_never_flagged() -> None:
    alone = check([UNKNOWN], days_after=100)
    assert alone.applies is None and alone.max_punishment == "unknown"
    assert alone.unknown_offences == ["OTHER 12"]
    mixed = check([SIMPLE_HURT, UNKNOWN], days_after=100)
    assert mixed.applies is None and mixed.flagged is False and "unknown" in mixed.reason
    # A known grave offence decides, whatever else is unknown.
    assert check([UNKNOWN, MURDER], days_after=100).flagged is True


def test_the_state_start_date_decides() -> None:
    later = {"MH": dt.date(2026, 9, 1)}
    assert check([MURDER], days_after=100, mandate=later).applies is False
    assert check([MURDER], days_after=100, mandate={"DL": dt.date(2024, 7, 1)}).applies is False
    assert check([MURDER], days_after=100, mandate={"MH": dt.date(2026, 8, 14)}).flagged is True


def test_mandate_setting_parses_and_names_bad_items() -> None:
    assert parse_mandate_states("mh=2024-07-01, *=2025-01-01") == {
        "MH": dt.date(2024, 7, 1),
        "*": dt.date(2025, 1, 1),
    }
    with pytest.raises(ValueError, match="MAH=2024"):
        parse_mandate_states("MAH=2024-07-01")
    with pytest.raises(ValueError, match="twice"):
        parse_mandate_states("MH=2024-07-01,MH=2024-08-01")
    with pytest.raises(ValueError, match="2024-02-30"):
        parse_mandate_states("MH=2024-02-30")


def _fold(*payloads: EventPayload) -> list[ForensicRequestStatus]:
    requests: list[ForensicRequestStatus] = []
    for payload in payloads:
        check_forensic_message(requests, payload)
        assert apply_forensic(requests, payload)
    return requests


REQUEST = ForensicRequested.model_validate(scenario.forensic_requested(CASE)["data"])
ACK = ForensicAcknowledged.model_validate(scenario.forensic_acknowledgement(CASE))
CUSTODY = ForensicCustodyRecorded.model_validate(scenario.forensic_custody(CASE))
REPORT = ForensicReported.model_validate(scenario.forensic_report(CASE))
REVISION = ForensicReportRevised.model_validate(scenario.forensic_report_revision(CASE))


def test_the_fold_keeps_superseded_reports() -> None:
    (request,) = _fold(REQUEST, ACK, CUSTODY, REPORT, REVISION)
    assert request.state is ForensicState.REPORTED
    assert request.current_report is not None
    assert request.current_report.report_number.endswith(f"/{116 + CASE.fir.serial}-R1")
    (old,) = request.superseded_reports
    assert old.superseded_by == request.current_report.report_number


def test_lab_messages_must_agree_with_the_case() -> None:
    requests = _fold(REQUEST)
    other = scenario.forensic_acknowledgement(CASE)
    other["acknowledgement"]["lab_case"] = "FSL_MUMBAI:1"
    with pytest.raises(Forbidden):
        check_forensic_message(requests, ForensicAcknowledged.model_validate(other))
    with pytest.raises(Conflict):
        check_forensic_message(requests, REQUEST)
    requests = _fold(REQUEST, ACK, REPORT)
    with pytest.raises(Conflict, match="revision"):
        check_forensic_message(requests, REPORT)
    stale = scenario.forensic_report_revision(CASE)
    stale["report"]["supersedes"] = "RFSL/AU/DNA/2026/999"
    with pytest.raises(Conflict, match="current report"):
        check_forensic_message(requests, ForensicReportRevised.model_validate(stale))
    stray = scenario.forensic_custody(CASE)
    stray["custody"]["entries"][1]["exhibit_id"] = "E9"
    with pytest.raises(ContractViolation) as caught:
        check_forensic_message(requests, ForensicCustodyRecorded.model_validate(stray))
    assert caught.value.problems[0].location == "/custody/entries/1/exhibit_id"


def test_a_request_names_its_fir_and_known_exhibits() -> None:
    data = scenario.forensic_requested(CASE)["data"]["request"]
    with pytest.raises(ValueError, match="request_id must be the FIR"):
        ForensicRequest.model_validate(data | {"request_id": "MH/AU/WALUJ/2026/0123/FR1"})
    with pytest.raises(ValueError, match="not in the request"):
        ForensicRequest.model_validate(
            data | {"chain_of_custody": [data["chain_of_custody"][0] | {"exhibit_id": "E7"}]}
        )
    revision = scenario.forensic_report_revision(CASE)
    del revision["report"]["supersedes"]
    with pytest.raises(ValueError, match="supersedes"):
        ForensicReportRevised.model_validate(revision)
