"""What a sender is told of a value the canonical model refuses: the form expected, with an
example, and the value as sent (pydantic's own words name the parser's complaint instead)."""

from __future__ import annotations

import datetime as dt

import pydantic
import pytest

from canonical_model.errors import ContractViolation
from canonical_model.identifiers import Cnr, Fir
from canonical_model.messages import (
    POLICE_MESSAGE_TYPES,
    parse_canonical_message,
    problems_from_validation,
)
from gateway.cli import scenario


class Report(pydantic.BaseModel):
    registered_at: dt.datetime | None = None
    filed_on: dt.date | None = None
    at: dt.time | None = None
    aware: pydantic.AwareDatetime | None = None
    cnr: Cnr | None = None


def messages(document: dict[str, object]) -> dict[str, str]:
    with pytest.raises(pydantic.ValidationError) as info:
        Report.model_validate(document)
    return {p.location: p.message for p in problems_from_validation(info.value)}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "registered_at",
            "14/08/2026",
            "expected an ISO 8601 date-time such as 2026-08-14T10:30:00+05:30, got '14/08/2026'",
        ),
        (
            "registered_at",
            [1],
            "expected an ISO 8601 date-time such as 2026-08-14T10:30:00+05:30, got [1]",
        ),
        (
            "filed_on",
            "14/08/2026",
            "expected an ISO 8601 date such as 2026-08-14, got '14/08/2026'",
        ),
        (
            "filed_on",
            "2026-08-14T10:00:00",
            "expected an ISO 8601 date such as 2026-08-14, without a time of day, "
            "got '2026-08-14T10:00:00'",
        ),
        ("at", "half past ten", "expected an ISO 8601 time such as 10:30:00, got 'half past ten'"),
        (
            "aware",
            "2026-08-14T10:30:00",
            "expected an ISO 8601 date-time with its UTC offset, such as "
            "2026-08-14T10:30:00+05:30, got '2026-08-14T10:30:00'",
        ),
    ],
)
def test_a_date_or_time_that_does_not_parse_is_told_the_iso_form(
    field: str, value: object, expected: str
) -> None:
    assert messages({field: value}) == {f"/{field}": expected}


def test_a_long_value_is_quoted_in_part() -> None:
    (message,) = messages({"filed_on": "x" * 500}).values()
    assert message.startswith("expected an ISO 8601 date such as 2026-08-14, got 'xxx")
    assert len(message) < 150 and message.endswith("\u2026")


def test_an_identifier_error_drops_pydantic_s_wrapper() -> None:
    assert messages({"cnr": "MHAU01-1-2026"}) == {
        "/cnr": "expected a CNR of 16 characters (establishment code, 6-digit serial, 4-digit "
        "year), e.g. MHAU010012342019 or MHAU01-001234-2019; got 'MHAU01-1-2026' "
        "(serial: must be 6 digits, got '1')"
    }


def test_the_police_message_of_the_issue() -> None:
    """An FIR written with dashes and a date written the Indian way, each located."""
    message = scenario.fir_registered(scenario.refs(5))
    message["data"]["fir"]["fir"] = "MH-AU-CIDCO-2026-0501"
    message["data"]["fir"]["registered_at"] = "14/08/2026"
    with pytest.raises(ContractViolation) as info:
        parse_canonical_message(message, allowed_types=POLICE_MESSAGE_TYPES)
    found = {p.location: p.message for p in info.value.problems}
    assert found == {
        "/data/fir/fir": f"expected {Fir.expected()}; got 'MH-AU-CIDCO-2026-0501' "
        "(state: must be 2 letters A-Z)",
        "/data/fir/registered_at": "expected an ISO 8601 date-time such as "
        "2026-08-14T10:30:00+05:30, got '14/08/2026'",
    }


@pytest.mark.parametrize(
    ("message_type", "path", "field"),
    [
        ("fir.registered", ("fir",), "registered_at"),
        ("fir.registered", ("fir",), "occurred_from"),
        ("person.arrested", ("arrest",), "arrested_at"),
        ("person.arrested", ("arrest",), "produced_at"),
    ],
)
def test_a_police_time_without_its_utc_offset_is_refused_where_it_is(
    message_type: str, path: tuple[str, ...], field: str
) -> None:
    # A time without an offset is another instant in every zone; accepted, it broke the
    # clocks that compare it with times that have one (a 500 on the case's status).
    case = scenario.refs(417)
    message = (
        scenario.fir_registered(case)
        if message_type == "fir.registered"
        else scenario.person_arrested(case)
    )
    node = message["data"]
    for key in path:
        node = node[key]
    node[field] = "2026-08-14T21:40"
    with pytest.raises(ContractViolation) as info:
        parse_canonical_message(message, allowed_types=POLICE_MESSAGE_TYPES)
    location = "/data/" + "/".join(path) + f"/{field}"
    assert {p.location: p.message for p in info.value.problems} == {
        location: "expected an ISO 8601 date-time with its UTC offset, such as "
        "2026-08-14T10:30:00+05:30, got '2026-08-14T21:40'"
    }
