"""Which records an event names for the person index, and what it adds to them: accused,
arrested, charged, inmates, verdicts and licence holders; never a complainant, victim or
witness; documents kept as digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from canonical_model.events import payload_class
from canonical_model.person_mentions import (
    FactFor,
    PersonMention,
    Role,
    document_identifier,
    person_updates,
)
from gateway.cli import scenario

CASE = scenario.refs(7)


def updates(message: Mapping[str, Any], case_id: str | None = "CASE-1") -> list[object]:
    payload = payload_class(str(message["type"])).model_validate(message["data"])
    return list(person_updates(payload, case_id=case_id))


def test_an_fir_names_its_accused_and_no_one_else() -> None:
    found = updates(scenario.fir_registered(CASE))
    assert all(isinstance(u, PersonMention) for u in found)
    mentions = [u for u in found if isinstance(u, PersonMention)]
    assert [m.name for m in mentions] == ["Ramesh Shankar Jadhav", "Salim Yusuf Shaikh"]
    ramesh, salim = mentions
    assert ramesh.record_key == "case:CASE-1:A1"
    assert ramesh.role is Role.ACCUSED
    assert ramesh.aliases == ("Rambo",)
    assert ramesh.age == 27 and ramesh.stated_on == dt.date(2026, 8, 14)
    assert ramesh.birth_year == 1999
    assert ramesh.district == "Chhatrapati Sambhajinagar" and ramesh.state == "MH"
    assert ramesh.fir == str(CASE.fir) and ramesh.police_station == "MH/AU/CIDCO"
    assert ramesh.identifiers == (document_identifier("aadhaar", "XXXX-XXXX-4821"),)
    assert "4821" not in ramesh.identifiers[0]
    assert salim.birth_year == 1999 and salim.date_of_birth == dt.date(1999, 3, 11)
    assert ramesh.fact is not None and ramesh.fact.kind == "named_in_fir"
    assert dict(ramesh.fact.detail)["sections"]


def test_a_document_digest_ignores_spacing_and_case_but_not_the_kind() -> None:
    assert document_identifier("pan", "abcde 1234 f") == document_identifier("pan", "ABCDE1234F")
    assert document_identifier("pan", "ABCDE1234F") != document_identifier("passport", "ABCDE1234F")


def test_arrest_and_charge_sheet_name_the_same_record_as_the_fir() -> None:
    (arrest,) = updates(scenario.person_arrested(CASE))
    assert isinstance(arrest, PersonMention)
    assert arrest.record_key == "case:CASE-1:A1" and arrest.role is Role.ARRESTED
    assert arrest.fact is not None and arrest.fact.kind == "arrested"
    assert arrest.fact.on == dt.date(2026, 8, 17)
    charged = updates(scenario.chargesheet_filed(CASE))
    assert {m.record_key for m in charged if isinstance(m, PersonMention)} == {
        "case:CASE-1:A1",
        "case:CASE-1:A2",
    }
    assert all(isinstance(m, PersonMention) and m.role is Role.CHARGED for m in charged)


def test_a_judgment_adds_verdicts_to_the_accused_it_names() -> None:
    message = {
        "type": "judgment.delivered",
        "data": {
            "judgment": {
                "cnr": str(CASE.cnr),
                "judgment_date": "2027-03-01",
                "verdicts": [
                    {"accused_ref": "A1", "verdict": "convicted"},
                    {"accused_ref": "A2", "verdict": "acquitted"},
                ],
            }
        },
    }
    a1, a2 = updates(message)
    assert isinstance(a1, FactFor) and isinstance(a2, FactFor)
    assert (a1.party_ref, a1.role, a1.fact.on) == ("A1", Role.CONVICT, dt.date(2027, 3, 1))
    assert a2.role is Role.ACQUITTED
    assert dict(a1.fact.detail)["verdict"] == "convicted"


def test_a_licence_record_names_its_holder_without_a_case() -> None:
    message = {
        "type": "licence.record",
        "data": {
            "record": {
                "licence": "MH14 20110012345",
                "holder": "Ramesh Shankar Jadhav",
                "father_name": "Shankar Jadhav",
                "date_of_birth": "1999-01-05",
                "classes": ["LMV"],
                "valid_from": "2019-01-01",
                "valid_until": "2039-01-01",
                "as_of": "2026-08-20",
            }
        },
    }
    (holder,) = updates(message, case_id=None)
    assert isinstance(holder, PersonMention)
    assert holder.role is Role.LICENCE_HOLDER and holder.case_id is None
    assert holder.identifiers == ("dl:MH1420110012345",)
    assert holder.record_key == "licence:MH1420110012345"
    assert holder.birth_year == 1999


def test_events_naming_no_one_in_a_criminal_role_give_nothing() -> None:
    assert updates(scenario.vehicle_stolen(CASE)) == []
    assert updates(scenario.fir_registered(CASE), case_id=None) == []
