"""Personal data by law (canonical_model.privacy): who sees which protected identity, the
protected persons a case's events fold into, and the redaction of what everyone else reads.
Pure: no database."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canonical_model import privacy
from canonical_model.entities import Act, Offence
from canonical_model.events import ChargesheetFiled, CloudEvent, EventPayload, payload_class
from canonical_model.lifecycle import CaseStatus, project
from canonical_model.privacy import (
    DISCLOSURE_RULES,
    ProtectedKind,
    ProtectedPerson,
    Protection,
    ReaderRole,
    Redactor,
    disclose_status,
    is_sexual_offence,
    reader_roles,
    redactor_for,
)
from gateway.cli import scenario
from gateway.services.policies import default_policies

CASE = scenario.refs(31)
T0 = dt.datetime(2026, 8, 14, tzinfo=dt.UTC)
BNS_64 = [{"act": "BNS", "section": "64(1)"}]
VICTIM = {
    "ref": "V1",
    "name": "Smt. Sunita Devi Pawar",
    "father_name": "Ramrao Pawar",
    "gender": "female",
    "age": 24,
    "addresses": [{"line": "Plot 9, N-4, CIDCO", "state": "MH"}],
}


def event(n: int, message: dict[str, Any]) -> CloudEvent:
    payload: EventPayload = payload_class(message["type"]).model_validate(message["data"])
    return CloudEvent.wrap(
        payload, event_id=f"e{n}", source="/test", subject="case_x", time=T0 + dt.timedelta(hours=n)
    )


def fir(**changes: Any) -> dict[str, Any]:
    message = copy.deepcopy(scenario.fir_registered(CASE))
    message["data"]["fir"].update(changes)
    return message


def sheet(**changes: Any) -> dict[str, Any]:
    message = copy.deepcopy(scenario.chargesheet_filed(CASE))
    message["data"]["report"].update(changes)
    return message


def status_of(*messages: dict[str, Any]) -> CaseStatus:
    return project("case_x", [event(n, m) for n, m in enumerate(messages)])


def protected(status: CaseStatus) -> dict[str, ProtectedPerson]:
    return {p.ref: p for p in status.protected_persons}


# --------------------------------------------------------------------------- the table


def test_every_row_of_the_table_cites_its_sections() -> None:
    assert set(DISCLOSURE_RULES) == set(Protection)
    for rule in DISCLOSURE_RULES.values():
        assert re.search(r"\bs{1,2}\.\s?\d", rule.law), rule
        assert ReaderRole.OPERATOR in rule.readers
        assert ReaderRole.POLICE_OF_CASE in rule.readers
    victim = DISCLOSURE_RULES[Protection.SEXUAL_OFFENCE_VICTIM]
    assert "BNS s.72" in victim.law and "IPC s.228A" in victim.law and "POCSO" in victim.law
    assert {ReaderRole.COURT_SEIZED, ReaderRole.PROSECUTION_HANDLING} <= victim.readers
    child = DISCLOSURE_RULES[Protection.CHILD_IN_CONFLICT_WITH_LAW]
    assert "JJ Act 2015 s.74" in child.law
    assert child.readers == {ReaderRole.POLICE_OF_CASE, ReaderRole.JJB_SEIZED, ReaderRole.OPERATOR}
    witness = DISCLOSURE_RULES[Protection.PROTECTED_WITNESS]
    assert "BNSS s.398" in witness.law
    assert ReaderRole.PROSECUTION_HANDLING not in witness.readers
    assert ReaderRole.COURT_SEIZED in witness.readers


@pytest.mark.parametrize(
    ("act", "section", "protects"),
    [
        ("BNS", "64(1)", True),
        ("BNS", "64(2)", True),
        ("BNS", "65(2)", True),
        ("BNS", "69", True),
        ("BNS", "70(1)", True),
        ("BNS", "71", True),
        ("BNS", "72(1)", False),
        ("BNS", "63", False),
        ("BNS", "309(6)", False),
        ("BNS", "74", False),
        ("IPC", "376", True),
        ("IPC", "376(2)(n)", True),
        ("IPC", "376A", True),
        ("IPC", "376AB", True),
        ("IPC", "376DA", True),
        ("IPC", "376DB", True),
        ("IPC", "376E", True),
        ("IPC", "375", False),
        ("IPC", "377", False),
        ("POCSO", "4", True),
        ("POCSO", "12", True),
        ("IT", "67A", False),
    ],
)
def test_which_offences_protect_their_victims(act: str, section: str, protects: bool) -> None:
    assert is_sexual_offence(Offence(act=Act(act), section=section)) is protects


# --------------------------------------------------------------------------- readers


def roles_of(
    status: Any, *, pillar: str, institution: str, court_levels: dict[str, str] | None = None
) -> frozenset[ReaderRole]:
    """A reader's roles as its pillar's policy gives them (the installed pillars' policies)."""
    return reader_roles(
        status,
        policy=default_policies().get(pillar),
        institution=institution,
        court_levels=court_levels,
    )


def test_reader_roles_come_from_the_case() -> None:
    status = status_of(fir(), sheet())
    assert status.court == "MHAU01" and status.prosecution.routed_to == "MH/AU/DDP"
    assert status.prosecution.monitored_by == "MH/DOP"

    def roles(pillar: str, institution: str, **levels: str) -> frozenset[ReaderRole]:
        return roles_of(status, pillar=pillar, institution=institution, court_levels=levels)

    for police in ("MH", "MH/AU", "MH/AU/CIDCO"):
        assert roles("police", police) == {ReaderRole.POLICE_OF_CASE}
    for stranger in ("MH/PU", "MH/AU/CID", "MH/AU/CIDCOX"):
        assert roles("police", stranger) == set(), stranger
    assert roles("courts", "MHAU01") == {ReaderRole.COURT_SEIZED}
    assert roles("courts", "MHAU02") == set()
    # The Director monitors the case (s.20(7)), the Deputy Director scrutinises its report
    # (s.20(8)); the Assistant Director has no part in it.
    assert roles("prosecution", "MH/DOP") == {ReaderRole.PROSECUTION_HANDLING}
    assert roles("prosecution", "MH/AU/DDP") == {ReaderRole.PROSECUTION_HANDLING}
    assert roles("prosecution", "MH/AU/ADP") == set()
    for pillar, institution in (
        ("prisons", "HARSUL_CP"),
        ("forensics", "RFSL_AU"),
        ("transport", "SARATHI"),
    ):
        assert roles(pillar, institution) == set()
    assert roles("operator", "OPS") == {ReaderRole.OPERATOR}


def test_a_board_seized_of_the_child_and_its_childrens_court() -> None:
    # The juvenile's report goes to the Board (MHAU04), the adult's to the magistrate.
    status = status_of(fir(), sheet(court="MHAU04", report_number="JR-1"), sheet())
    assert {s.court for s in status.seized_courts} == {"MHAU04", "MHAU01"}
    levels = {"MHAU04": "juvenile_justice_board", "MHAU01": "magistrate"}
    board = roles_of(status, pillar="courts", institution="MHAU04", court_levels=levels)
    assert board == {ReaderRole.COURT_SEIZED, ReaderRole.JJB_SEIZED}
    magistrate = roles_of(status, pillar="courts", institution="MHAU01", court_levels=levels)
    assert magistrate == {ReaderRole.COURT_SEIZED}
    # Without the directory no court is taken for a Board.
    assert roles_of(status, pillar="courts", institution="MHAU04") == {ReaderRole.COURT_SEIZED}
    # The Board transfers the child's trial to a Children's Court (JJ Act s.18(3)).
    order = {
        "cnr": "MHAU04000031" + "2026",
        "order_number": "T/1",
        "order_date": "2026-11-01",
        "kind": "committal",
        "to_court": "MHAU03",
        "accused_refs": ["A1"],
    }
    status = project(
        "case_x",
        [
            event(0, fir()),
            event(1, sheet(court="MHAU04", report_number="JR-1")),
            event(2, {"type": "order.issued", "data": {"order": order}}),
        ],
    )
    children = roles_of(
        status, pillar="courts", institution="MHAU03", court_levels={**levels, "MHAU03": "sessions"}
    )
    assert children == {ReaderRole.COURT_SEIZED, ReaderRole.JJB_SEIZED}


def test_a_prosecution_office_a_report_was_routed_to_and_the_one_assigned() -> None:
    status = status_of(fir(), sheet())
    assignment = scenario.prosecutor_assignment(CASE, office="MH/AU/DDP")
    status = project(
        "case_x",
        [
            event(0, fir()),
            event(1, sheet()),
            event(2, {"type": "prosecution.prosecutor_assigned", "data": assignment}),
        ],
    )
    assert status.prosecution.handling_office() == "MH/AU/DDP"
    for office in ("MH/AU/DDP", "MH/DOP"):
        assert roles_of(status, pillar="prosecution", institution=office) == {
            ReaderRole.PROSECUTION_HANDLING
        }
    assert roles_of(status, pillar="prosecution", institution="MH/AU/ADP") == set()


# --------------------------------------------------------------------------- the fold


def test_a_flagged_juvenile_is_protected_from_the_fir() -> None:
    record = fir()
    record["data"]["fir"]["accused"][0]["juvenile"] = True
    a1 = protected(status_of(record))["A1"]
    assert a1.kind is ProtectedKind.JUVENILE and a1.label == "juvenile A1"
    assert a1.protection is Protection.CHILD_IN_CONFLICT_WITH_LAW
    assert a1.reason is not None and "JJ Act 2015 s.74" in a1.reason
    assert a1.names == ["Ramesh Shankar Jadhav", "Rambo", "Shankar Jadhav"]
    assert "A2" not in protected(status_of(record))


def test_an_accused_aged_15_without_the_flag_is_a_juvenile() -> None:
    record = fir()
    record["data"]["fir"]["accused"][0]["age"] = 15
    assert protected(status_of(record))["A1"].protection is Protection.CHILD_IN_CONFLICT_WITH_LAW


def test_a_date_of_birth_counts_on_the_day_of_the_offence() -> None:
    # 18 on 2026-08-15: a child when the offence was committed (14 August), whatever after.
    record = fir()
    accused = record["data"]["fir"]["accused"][1]
    accused["date_of_birth"] = "2008-08-15"
    assert "A2" in protected(status_of(record))
    accused["date_of_birth"] = "2008-08-14"
    assert "A2" not in protected(status_of(record))
    # No time of the offence: the registration (21:40 on 14 August) decides.
    record["data"]["fir"].pop("occurred_from")
    record["data"]["fir"].pop("occurred_to")
    accused["date_of_birth"] = "2008-08-15"
    assert "A2" in protected(status_of(record))


def test_an_arrest_or_a_charge_sheet_may_reveal_a_child_and_adds_names() -> None:
    arrest = copy.deepcopy(scenario.person_arrested(CASE))
    arrest["data"]["arrest"]["person"] |= {"age": 17, "aliases": ["Rambo", "Chhotu"]}
    status = status_of(fir(), arrest)
    assert protected(status)["A1"].names == [
        "Ramesh Shankar Jadhav",
        "Rambo",
        "Chhotu",
        "Shankar Jadhav",
    ]
    report = sheet()
    report["data"]["report"]["accused"][1]["person"]["juvenile"] = True
    assert "A2" in protected(status_of(fir(), report))


def test_a_victim_named_before_a_sexual_offence_is_protected_once_one_appears() -> None:
    status = status_of(fir(victims=[VICTIM]))
    v1 = protected(status)["V1"]
    assert v1.protection is None, "robbery: the victim is not protected by BNS s.72"
    assert v1.label == "victim V1"
    assert redactor_for(status, set()).empty
    status = status_of(
        fir(victims=[VICTIM]),
        sheet(offences=BNS_64, summary="Sunita was assaulted."),
    )
    v1 = protected(status)["V1"]
    assert v1.protection is Protection.SEXUAL_OFFENCE_VICTIM
    assert v1.names == ["Smt. Sunita Devi Pawar", "Ramrao Pawar"]
    complainant = protected(status)["C1"]
    assert complainant.label == "complainant C1"
    assert complainant.protection is Protection.SEXUAL_OFFENCE_VICTIM
    # Once alleged, always protected: a later report without it changes nothing.
    status = status_of(
        fir(victims=[VICTIM]),
        sheet(offences=BNS_64),
        sheet(report_number="CS-2", supplementary=True),
    )
    assert status.offences == [
        Offence(act=Act.BNS, section="309(6)"),
        Offence(act=Act.BNS, section="3(5)"),
    ]
    assert protected(status)["V1"].protection is Protection.SEXUAL_OFFENCE_VICTIM


def test_a_charge_under_a_sexual_offence_protects_too() -> None:
    report = sheet()
    report["data"]["report"]["accused"][0]["offences"] = BNS_64
    status = status_of(fir(victims=[VICTIM]), report)
    assert protected(status)["V1"].protection is Protection.SEXUAL_OFFENCE_VICTIM


def test_witnesses_protected_by_order_or_by_age() -> None:
    witnesses = [
        {"ref": "W1", "name": "Sunita Ashok Pawar", "age": 34},
        {"ref": "W2", "name": "Kiran Bhosale", "identity_protected": True},
        {"ref": "W3", "name": "Pinky Salve", "age": 12},
    ]
    found = protected(status_of(fir(witnesses=witnesses)))
    assert "W1" not in found
    assert found["W2"].protection is Protection.PROTECTED_WITNESS
    assert found["W2"].label == "witness W2"
    assert found["W3"].protection is Protection.CHILD_VICTIM_OR_WITNESS


def test_an_inmate_s_name_as_the_prison_writes_it_is_scrubbed_too() -> None:
    record = fir()
    record["data"]["fir"]["accused"][0]["juvenile"] = True
    admission = {
        "admission": {
            "inmate": {
                "prisoner": "HARSUL_CP:UT/31/2026",
                "name": "RAMESH S. JADHAO",
                "father_name": "Shankar Jadhav",
                "accused_ref": "A1",
            },
            "admitted_on": "2026-08-18",
            "category": "undertrial",
            "warrant": {
                "kind": "remand",
                "court": "MHAU01",
                "order_date": "2026-08-18",
                "fir": str(CASE.fir),
            },
        }
    }
    status = project(
        "case_x",
        [event(0, record), event(1, {"type": "custody.admitted", "data": admission})],
    )
    assert "RAMESH S. JADHAO" in protected(status)["A1"].names
    redactor = redactor_for(status, set())
    assert redactor.scrub("Jadhao was admitted") == "juvenile A1 was admitted"


# --------------------------------------------------------------------------- redaction


def victim(*names: str, ref: str = "V1") -> ProtectedPerson:
    return ProtectedPerson(
        ref=ref,
        kind=ProtectedKind.VICTIM,
        label=f"victim {ref}",
        names=list(names),
        protection=Protection.SEXUAL_OFFENCE_VICTIM,
    )


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("SUNITA   devi was taken", "victim V1 was taken"),
        ("SunitaDevi was taken", "victim V1 was taken"),
        ("sunita.devi.pawar", "victim V1"),
        ("Smt. Sunita Pawar, d/o Ramrao Pawar", "Smt. victim V1, d/o victim V1"),
        ("Sunitaben's statement", "victim V1ben's statement"),
        ("Devi temple", "victim V1 temple"),
        ("Devika and Pawarwadi", "Devika and victim V1wadi"),
        ("Shri Ram", "Shri Ram"),
    ],
)
def test_names_and_their_parts_are_scrubbed_whatever_their_case_and_spacing(
    text: str, scrubbed: str
) -> None:
    redactor = Redactor([victim("Smt. Sunita Devi Pawar", "Ramrao Pawar")])
    assert redactor.scrub(text) == scrubbed


def test_short_parts_only_as_whole_words_and_honorifics_never() -> None:
    redactor = Redactor([victim("Kumari Ali Raza")])
    assert (
        redactor.scrub("Ali met Alibaug's Raza; Kumari")
        == "victim V1 met Alibaug's victim V1; Kumari"
    )
    assert redactor.scrub("R. V. Ali") == "R. V. victim V1"


def test_a_person_object_loses_what_identifies_and_identifiers_stay() -> None:
    status = status_of(
        fir(victims=[VICTIM]),
        sheet(offences=BNS_64, summary="Accused A1 raped Sunita Devi at her house."),
    )
    fir_data = event(0, fir(victims=[VICTIM])).data
    redacted = redactor_for(status, {ReaderRole.COURT_SEIZED}).redact(fir_data)
    assert redacted == fir_data, "the court seized sees the victim"
    redacted = redactor_for(status, set()).redact(fir_data)
    (v1,) = redacted["fir"]["victims"]
    assert v1 == {
        **VICTIM,
        "name": "victim V1",
        "father_name": None,
        "addresses": [],
        "aliases": [],
        "mother_name": None,
        "spouse_name": None,
        "date_of_birth": None,
        "identity_documents": [],
        "driving_licence": None,
        "juvenile": False,
        "identity_protected": False,
    }
    assert redacted["fir"]["complainant"]["name"] == "complainant C1"
    assert redacted["fir"]["fir"] == str(CASE.fir)
    assert redacted["fir"]["accused"][0]["name"] == "Ramesh Shankar Jadhav"
    report = event(1, sheet(offences=BNS_64, summary="Accused A1 raped Sunita Devi at her house."))
    payload = report.payload()
    again = ChargesheetFiled.model_validate(redactor_for(status, set()).redact(report.data))
    assert again.report.summary == "Accused A1 raped victim V1 at her house."
    assert again.report.fir == payload.report.fir  # type: ignore[attr-defined]


def test_a_party_named_wholly_by_a_protected_name_is_withheld_a_namesake_in_part_is_not() -> None:
    redactor = Redactor([victim("Sunita Devi Pawar", "Ramrao Sopan Pawar")])
    father = {"ref": "A2", "name": "Ramrao Sopan Pawar", "father_name": "Sopan Pawar", "age": 49}
    assert redactor.redact(father) == {
        "ref": "A2",
        "name": "A2 (name withheld)",
        "father_name": None,
        "age": 49,
    }
    cousin = {"ref": "A3", "name": "Mahesh Pawar", "father_name": "Dinkar Pawar"}
    assert redactor.redact(cousin) == {
        "ref": "A3",
        "name": "Mahesh victim V1",
        "father_name": "Dinkar victim V1",
    }
    owner = {"name": "Sunita Ramrao Pawar", "father_name": "Ramrao Pawar", "address": "N-4"}
    assert redactor.redact(owner) == {"name": "victim V1", "father_name": None, "address": None}


def test_bounded_redaction_keeps_every_text_within_its_length() -> None:
    redactor = Redactor([victim("Ali Raza")])
    tree = {"purpose": "Ali, " * 50, "n": 3}
    assert len(redactor.redact(tree)["purpose"]) > 250
    bounded = redactor.redact(tree, bounded=True)
    assert len(bounded["purpose"]) == 250 and "Ali" not in bounded["purpose"]
    assert bounded["n"] == 3


def test_disclose_status_lists_protected_persons_by_label_only() -> None:
    record = fir(victims=[VICTIM])
    record["data"]["fir"]["accused"][0]["juvenile"] = True
    status = status_of(record, sheet(offences=BNS_64))
    tree = status.model_dump(mode="json")
    police = disclose_status(tree, status, {ReaderRole.POLICE_OF_CASE})
    assert police == tree
    court = disclose_status(tree, status, {ReaderRole.COURT_SEIZED})
    listed = {p["ref"]: p for p in court["protected_persons"]}
    assert listed["A1"] == {"ref": "A1", "kind": "juvenile", "label": "juvenile A1"}
    assert listed["V1"]["names"] == ["Smt. Sunita Devi Pawar", "Ramrao Pawar"]
    accused = {a["ref"]: a for a in court["accused"]}
    assert accused["A1"]["name"] == "juvenile A1" and accused["A1"]["father_name"] is None
    assert accused["A2"]["name"] == "Salim Yusuf Shaikh"
    prison = disclose_status(tree, status, set())
    assert "Sunita" not in str(prison) and "Ramesh" not in str(prison)
    assert {p["label"] for p in prison["protected_persons"]} == {
        "juvenile A1",
        "victim V1",
        "complainant C1",
    }


def test_unprotected_victims_are_listed_for_the_police_only() -> None:
    status = status_of(fir(victims=[VICTIM]))
    tree = status.model_dump(mode="json")
    assert disclose_status(tree, status, {ReaderRole.POLICE_OF_CASE})["protected_persons"]
    assert disclose_status(tree, status, {ReaderRole.COURT_SEIZED})["protected_persons"] == []


def test_scrubbing_never_backtracks_over_what_separates_name_parts() -> None:
    """Linear by construction rather than by a stopwatch (timings are not tests here): what
    may stand between the parts of a name is matched possessively, so a part that is not
    followed by the next is given up at once, however much filler follows it."""
    assert privacy._BETWEEN.endswith("*+")
    redactor = Redactor([victim("Sunita Devi Pawar", "Ramrao Pawar")])
    text = ("Sunita" + " " * 2000 + "x") * 200
    scrubbed = redactor.scrub(text)
    assert "Sunita" not in scrubbed
    assert scrubbed.count("victim V1") == 200


# --------------------------------------------------------------------------- property

NAMES = st.sampled_from(
    [
        ("Sunita", "Devi"),
        ("Ramesh", "Shankar", "Jadhav"),
        ("Pooja", "Yadav"),
        ("Ayesha", "Begum", "Shaikh"),
        ("Lakshmi", "Narayanan"),
        ("Gurpreet", "Kaur"),
        ("Md", "Salim", "Ansari"),
    ]
)
NOISE = st.text(
    alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), max_size=60
)


@st.composite
def written(draw: st.DrawFn, parts: tuple[str, ...]) -> str:
    """``parts`` in random case, joined by random spacing (none included)."""
    cased = [
        "".join(c.upper() if draw(st.booleans()) else c.lower() for c in part) for part in parts
    ]
    out = cased[0]
    for part in cased[1:]:
        out += draw(st.sampled_from(["", " ", "   ", "\t", ". ", "-", "\n"])) + part
    return out


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


@settings(max_examples=300, deadline=None)
@given(data=st.data(), parts=NAMES, before=NOISE, after=NOISE)
def test_a_protected_name_never_survives_in_any_case_or_spacing(
    data: st.DataObject, parts: tuple[str, ...], before: str, after: str
) -> None:
    name = " ".join(parts)
    redactor = Redactor([victim(f"Smt. {name}")])
    text = before + data.draw(written(parts)) + after
    scrubbed = redactor.scrub(text)
    assert _compact(name) not in _compact(scrubbed)
    # Each part of three letters or more, written as a word of its own, goes too.
    word = data.draw(st.sampled_from([p for p in parts if len(p) >= 3]))
    alone = redactor.scrub(f"{before} {data.draw(written((word,)))}, {after}")
    assert not re.search(rf"(?<![^\W\d_]){word}(?![^\W\d_])", alone, re.IGNORECASE)
