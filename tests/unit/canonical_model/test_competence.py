"""The rules of competence, without a gateway: who may speak of a case given its history
(canonical_model.competence), and which institutions a message names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canonical_model.authority import CourtSeizure, PrisonWarrant, SeizureGround
from canonical_model.competence import (
    InstitutionRecord,
    check_court_message,
    check_institutions_known,
    check_prison_message,
    institution_references,
)
from canonical_model.errors import ContractViolation, Forbidden
from canonical_model.events import EventPayload, payload_class
from canonical_model.lifecycle import AccusedStatus, CaseStatus
from gateway.cli import scenario

CASE = scenario.refs(417)
DIRECTORY = {
    ("courts", "MHAU01"): InstitutionRecord("courts", "MHAU01", "magistrate", "MH", "AU"),
    ("courts", "MHAU02"): InstitutionRecord("courts", "MHAU02", "magistrate", "MH", "AU"),
    ("courts", "MHAU03"): InstitutionRecord("courts", "MHAU03", "sessions", "MH", "AU"),
    ("courts", "MHPU02"): InstitutionRecord("courts", "MHPU02", "sessions", "MH", "PU"),
    ("courts", "MHHC01"): InstitutionRecord("courts", "MHHC01", "high_court", "MH", None),
    ("courts", "KAHC01"): InstitutionRecord("courts", "KAHC01", "high_court", "KA", None),
}


def directory(pillar: str, code: str | None) -> InstitutionRecord | None:
    return DIRECTORY.get((pillar, code or ""))


def before(court: str | None) -> CaseStatus:
    """A case before ``court`` (seized by a charge sheet), or before none."""
    status = CaseStatus(case_id="case_x", police_station=str(CASE.fir.police_station))
    if court is not None:
        status.court = court
        status.seized_courts.append(
            CourtSeizure(
                court=court,
                ground=SeizureGround.POLICE_REPORT,
                on=dt.date(2026, 10, 9),
                reference="CS-417/2026",
            )
        )
    return status


def order(**changes: Any) -> EventPayload:
    data = {
        "cnr": str(CASE.cnr),
        "order_number": "O/1",
        "order_date": "2026-11-02",
        "kind": "other",
    } | changes
    return payload_class("order.issued").model_validate({"order": data})


def registration(court: str) -> EventPayload:
    data = scenario.court_case(CASE) | {
        "cnr": f"{court}0004172026",
        "establishment": court,
        "filing_number": None,
        "registration_number": None,
    }
    return payload_class("court_case.registered").model_validate({"court_case": data})


def test_only_the_court_seized_registers_and_speaks() -> None:
    with pytest.raises(Forbidden, match="no court is seized of the case"):
        check_court_message(
            before(None), registration("MHAU01"), sender="MHAU01", directory=directory
        )
    with pytest.raises(Forbidden, match=r"MHAU02 is not seized.*before court MHAU01.*BNSS s\.193"):
        check_court_message(
            before("MHAU01"), registration("MHAU02"), sender="MHAU02", directory=directory
        )
    check_court_message(
        before("MHAU01"), registration("MHAU01"), sender="MHAU01", directory=directory
    )
    check_court_message(before("MHAU01"), order(), sender="MHAU01", directory=directory)


def test_a_committal_goes_to_the_court_of_session_of_the_district() -> None:
    status = before("MHAU01")
    check_court_message(
        status, order(kind="committal", to_court="MHAU03"), sender="MHAU01", directory=directory
    )
    with pytest.raises(ContractViolation) as not_sessions:
        check_court_message(
            status, order(kind="committal", to_court="MHAU02"), sender="MHAU01", directory=directory
        )
    assert not_sessions.value.problems[0].location == "/order/to_court"
    with pytest.raises(ContractViolation, match="sessions division"):
        check_court_message(
            status, order(kind="committal", to_court="MHPU02"), sender="MHAU01", directory=directory
        )
    with pytest.raises(Forbidden):
        check_court_message(
            before("MHAU02"),
            order(kind="committal", to_court="MHAU03"),
            sender="MHAU01",
            directory=directory,
        )


@pytest.mark.parametrize(
    ("issuer", "to_court", "allowed"),
    [
        ("MHHC01", "MHAU02", True),  # s.446: the High Court of the State
        ("KAHC01", "MHAU02", False),  # another State's High Court
        ("MHAU03", "MHAU02", True),  # s.448: the Sessions Judge, within the division
        ("MHPU02", "MHAU02", False),  # another division's Sessions Judge
        ("MHAU02", "MHAU03", False),  # a Magistrate transfers nothing
    ],
)
def test_a_transfer_comes_from_a_superior_court(issuer: str, to_court: str, allowed: bool) -> None:
    transfer = order(kind="transfer", to_court=to_court, issued_by=issuer)
    if allowed:
        check_court_message(before("MHAU01"), transfer, sender=issuer, directory=directory)
    else:
        with pytest.raises(Forbidden, match=r"BNSS s\.446"):
            check_court_message(before("MHAU01"), transfer, sender=issuer, directory=directory)


def admission(prison: str, *, accused_ref: str | None = "A1") -> EventPayload:
    data = {
        "inmate": {"prisoner": f"{prison}:UT/1/2026", "name": "Ramesh Shankar Jadhav"}
        | ({"accused_ref": accused_ref} if accused_ref else {}),
        "admitted_on": "2026-08-18",
        "category": "undertrial",
        "warrant": {
            "kind": "remand",
            "court": "MHAU01",
            "order_date": "2026-08-18",
            "fir": str(CASE.fir),
        },
    }
    return payload_class("custody.admitted").model_validate({"admission": data})


def test_a_prison_admits_on_a_warrant_naming_it_for_that_accused() -> None:
    status = before("MHAU01")
    status.accused.append(AccusedStatus(ref="A1", name="Ramesh Shankar Jadhav"))
    status.accused.append(AccusedStatus(ref="A2", name="Salim Yusuf Shaikh"))
    with pytest.raises(Forbidden, match="no court has sent a warrant"):
        check_prison_message(status, admission("HARSUL_CP"), sender="HARSUL_CP")
    status.prison_warrants.append(
        PrisonWarrant(
            prison="HARSUL_CP",
            court="MHAU01",
            order_number="RO/1",
            kind="remand",
            on=dt.date(2026, 8, 18),
            accused_refs=["A1"],
        )
    )
    check_prison_message(status, admission("HARSUL_CP"), sender="HARSUL_CP")
    with pytest.raises(Forbidden, match="name HARSUL_CP"):
        check_prison_message(status, admission("YERAWADA_CP"), sender="YERAWADA_CP")
    with pytest.raises(Forbidden, match="accused A2"):
        check_prison_message(status, admission("HARSUL_CP", accused_ref="A2"), sender="HARSUL_CP")


def test_later_custody_messages_come_from_the_prison_holding_the_inmate() -> None:
    status = before("MHAU01")
    person = AccusedStatus(ref="A1", name="Ramesh Shankar Jadhav")
    person.prisoner_numbers.append("HARSUL_CP:UT/1/2026")
    status.accused.append(person)
    release = payload_class("custody.released").model_validate(
        {
            "release": {
                "prisoner": "HARSUL_CP:UT/1/2026",
                "released_on": "2026-09-01",
                "reason": "escape",
            }
        }
    )
    with pytest.raises(Forbidden, match="does not hold prisoner"):
        check_prison_message(status, release, sender="HARSUL_CP")


def test_every_institution_a_message_names_must_be_listed() -> None:
    transfer = order(kind="transfer", to_court="MHAU09", issued_by="MHHC01", prison="NOWHERE")
    assert institution_references(transfer) == [
        ("prisons", "NOWHERE", "/order/prison"),
        ("courts", "MHAU09", "/order/to_court"),
        ("courts", "MHHC01", "/order/issued_by"),
    ]
    with pytest.raises(ContractViolation) as unknown:
        check_institutions_known(transfer, directory=directory)
    assert [(p.location, p.message) for p in unknown.value.problems] == [
        ("/order/prison", "prison NOWHERE is not in the institution directory"),
        ("/order/to_court", "court establishment MHAU09 is not in the institution directory"),
    ]
    sheet = payload_class("chargesheet.filed").model_validate(
        scenario.chargesheet_filed(CASE)["data"]
    )
    assert institution_references(sheet) == [("courts", "MHAU01", "/report/court")]
    check_institutions_known(sheet, directory=directory)
