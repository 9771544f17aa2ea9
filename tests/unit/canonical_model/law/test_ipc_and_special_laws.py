"""The IPC part of the law table and the special laws: the corrections to the converted IPC
rows, limb by limb, and the special-law limbs a charge names."""

from __future__ import annotations

import pytest

from canonical_model.entities import Act, Offence, StatedPunishment
from canonical_model.law import (
    Limb,
    Punishment,
    charged_limb,
    find_entry,
    known_entries,
    law_entry,
    max_punishment,
)

DEATH = Punishment(death=True, life=True)
LIFE = Punishment(death=False, life=True)


def years(n: float) -> Punishment:
    return Punishment(death=False, life=False, max_years=n)


def ipc(section: str, limb: str | None = None) -> Offence:
    return Offence(act=Act.IPC, section=section, limb=limb)


# --- the table's own rules ------------------------------------------------------------------


def test_every_ipc_entry_is_classed_and_names_its_successor() -> None:
    entries = [e for e in known_entries() if e.act is Act.IPC]
    assert len(entries) > 150
    for entry in entries:
        assert entry.successors, entry.section
        for limb in entry.limbs:
            assert limb.triable_by != "TODO", entry.section
            assert limb.source.startswith("IPC s."), entry.section


def test_special_law_entries_have_no_successors_or_predecessors() -> None:
    special = [e for e in known_entries() if e.act not in (Act.IPC, Act.BNS)]
    assert {e.act for e in special} >= {
        Act.NDPS,
        Act.POCSO,
        Act.ARMS,
        Act.IT,
        Act.MV,
        Act.DOWRY,
        Act.SC_ST,
    }
    for entry in special:
        assert entry.successors is None and entry.predecessors is None
        assert all(limb.successors is None and limb.predecessors is None for limb in entry.limbs)


# --- corrections to the converted IPC rows --------------------------------------------------


def test_363a_kidnapping_for_begging_is_ten_years_and_maiming_is_life() -> None:
    kidnapping = charged_limb(ipc("363A(1)"))
    assert kidnapping is not None
    assert kidnapping.entry.section == "363A(1)"
    assert kidnapping.limb.max_punishment == years(10)
    assert kidnapping.entry.successors == ["BNS 139(1)"]
    maiming = charged_limb(ipc("363A(2)"))
    assert maiming is not None
    assert maiming.limb.max_punishment == LIFE
    assert maiming.entry.successors == ["BNS 139(2)"]
    assert maiming.limb.sessions_triable and not kidnapping.limb.sessions_triable
    # A bare 363A means the plain offence (kidnapping), never the life term of maiming.
    assert max_punishment(ipc("363A")) == years(10)
    assert max_punishment(ipc("363A", "maiming")) == LIFE


def test_370_is_graded_by_subsection() -> None:
    one = charged_limb(ipc("370(2)"))
    assert one is not None
    assert one.limb.max_punishment == years(10)
    assert one.limb.min_punishment == years(7)
    assert one.entry.successors == ["BNS 143(2)"]
    expected = {
        "370(3)": (LIFE, years(10)),
        "370(4)": (LIFE, years(10)),
        "370(5)": (LIFE, years(14)),
        "370(6)": (LIFE, LIFE),
        "370(7)": (LIFE, LIFE),
    }
    for section, (most, least) in expected.items():
        entry = find_entry(Act.IPC, section)
        assert entry is not None, section
        assert entry.limbs[0].max_punishment == most, section
        assert entry.limbs[0].min_punishment == least, section
        assert entry.successors == [f"BNS 143({section[4]})"]
    assert max_punishment(ipc("370")) == years(10)


def test_153a_in_a_place_of_worship_is_the_graver_subsection() -> None:
    plain = law_entry(ipc("153A(1)"))
    worship = law_entry(ipc("153A(2)"))
    assert plain is not None and worship is not None
    assert plain.limbs[0].max_punishment == years(3)
    assert plain.successors == ["BNS 196(1)"]
    assert worship.limbs[0].max_punishment == years(5)
    assert worship.successors == ["BNS 196(2)"]
    assert max_punishment(ipc("153A")) == years(3)
    limb = charged_limb(ipc("153A", "place_of_worship"))
    assert limb is not None and limb.limb.successors == ["BNS 196(2)"]


def test_307_limbs_and_the_life_convict_successor() -> None:
    entry = find_entry(Act.IPC, "307")
    assert entry is not None
    assert entry.successors == ["BNS 109(1)"]
    assert [limb.code for limb in entry.limbs] == [None, "hurt_caused", "life_convict"]
    assert [limb.max_punishment for limb in entry.limbs] == [years(10), LIFE, DEATH]
    life_convict = entry.limb("life_convict")
    assert life_convict is not None and life_convict.successors == ["BNS 109(2)"]
    assert entry.limbs[0].successors is None
    assert max_punishment(ipc("307")) == years(10)


def test_471_using_a_forged_document_is_known() -> None:
    entry = law_entry(ipc("471"))
    assert entry is not None
    assert entry.successors == ["BNS 340(2)"]
    plain = entry.limbs[0]
    assert plain.max_punishment is None and plain.punishment_text
    assert "forgery" in plain.triable_by


@pytest.mark.parametrize(
    ("section", "first", "first_min", "later", "later_min"),
    [("354C", years(3), years(1), years(7), years(3)), ("354D", years(3), None, years(5), None)],
)
def test_voyeurism_and_stalking_grade_a_subsequent_conviction(
    section: str,
    first: Punishment,
    first_min: Punishment | None,
    later: Punishment,
    later_min: Punishment | None,
) -> None:
    plain = charged_limb(ipc(section))
    assert plain is not None and not plain.assumed
    assert plain.limb.max_punishment == first
    assert plain.limb.min_punishment == first_min
    assert plain.limb.bailable is True and not plain.limb.subsequent_conviction
    again = charged_limb(ipc(section, "subsequent_conviction"))
    assert again is not None
    assert again.limb.subsequent_conviction
    assert again.limb.max_punishment == later
    assert again.limb.min_punishment == later_min
    assert again.limb.bailable is False
    assert again.first_offence_limb == plain.limb


def test_theft_is_three_years_and_compoundable_by_the_owner() -> None:
    found = charged_limb(ipc("379"))
    assert found is not None
    assert found.limb.max_punishment == years(3)
    assert found.entry.successors == ["BNS 303(2)"]
    assert found.limb.triable_by == "Any Magistrate"
    assert isinstance(found.limb.compoundable, str) and "320(1)" in found.limb.compoundable


def test_467_government_promissory_note_is_a_cognizable_limb() -> None:
    entry = find_entry(Act.IPC, "467")
    assert entry is not None
    plain, note = entry.limbs
    assert plain.code is None and plain.cognizable is False
    assert note.code == "government_promissory_note" and note.cognizable is True
    assert plain.max_punishment == note.max_punishment == LIFE


def test_498a_is_cognizable_only_on_information_from_the_aggrieved_or_a_relative() -> None:
    limb = charged_limb(ipc("498A"))
    assert limb is not None
    cognizable = limb.limb.cognizable
    assert isinstance(cognizable, str)
    for words in ("aggrieved", "blood, marriage or adoption", "public servant", "police station"):
        assert words in cognizable
    assert limb.limb.bailable is False
    assert limb.limb.triable_by == "Magistrate of the first class"


def test_titles_of_376da_376db_and_427() -> None:
    entries = {s: find_entry(Act.IPC, s) for s in ("376DA", "376DB", "427")}
    titles = {s: entry.title for s, entry in entries.items() if entry is not None}
    assert titles.keys() == entries.keys()
    assert "under sixteen years of age" in titles["376DA"]
    assert "under twelve years of age" in titles["376DB"]
    assert "fifty rupees" in titles["427"]


# --- special laws ---------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["20", "21", "22"])
def test_ndps_quantity_limbs(section: str) -> None:
    def limb(code: str) -> Limb:
        found = charged_limb(Offence(act=Act.NDPS, section=section, limb=code))
        assert found is not None
        return found.limb

    commercial = limb("commercial_quantity")
    assert commercial.max_punishment == years(20)
    assert commercial.min_punishment == years(10)
    assert commercial.cognizable is True
    assert isinstance(commercial.bailable, str) and "37" in commercial.bailable
    assert commercial.triable_by == "Special Court"
    assert limb("intermediate_quantity").max_punishment == years(10)
    small = limb("small_quantity")
    assert small.max_punishment == years(1) and small.bailable is True
    # Without a limb the quantity is unknown: the gravest is assumed, and said to be.
    bare = charged_limb(Offence(act=Act.NDPS, section=section))
    assert bare is not None and bare.assumed and bare.limb.code == "commercial_quantity"


def test_ndps_clause_finds_its_own_entry() -> None:
    small = charged_limb(Offence(act=Act.NDPS, section="21(a)"))
    assert small is not None and small.limb.max_punishment == years(1)
    commercial = charged_limb(Offence(act=Act.NDPS, section="22(c)"))
    assert commercial is not None and commercial.limb.min_punishment == years(10)


def test_pocso_sections() -> None:
    four_one = charged_limb(Offence(act=Act.POCSO, section="4(1)"))
    four_two = charged_limb(Offence(act=Act.POCSO, section="4(2)"))
    six = charged_limb(Offence(act=Act.POCSO, section="6"))
    assert four_one is not None and four_two is not None and six is not None
    assert four_one.limb.min_punishment == years(10)
    assert four_two.limb.min_punishment == years(20)
    assert six.limb.max_punishment == DEATH
    for section in ("4", "6", "8", "10", "12"):
        found = charged_limb(Offence(act=Act.POCSO, section=section))
        assert found is not None
        assert found.limb.triable_by == "Special Court"
        assert found.limb.cognizable is True and found.limb.bailable is False


def test_arms_act_sub_sections_as_limbs() -> None:
    expected = {"sub_1": LIFE, "sub_1a": years(14), "sub_1aa": LIFE, "sub_1b": years(3)}
    for code, most in expected.items():
        found = charged_limb(Offence(act=Act.ARMS, section="25", limb=code))
        assert found is not None, code
        assert found.limb.max_punishment == most, code
    death = charged_limb(Offence(act=Act.ARMS, section="27(3)"))
    assert death is not None and death.limb.max_punishment == DEATH
    assert max_punishment(Offence(act=Act.ARMS, section="27")) == years(7)


@pytest.mark.parametrize(
    ("section", "first", "later"),
    [("67", years(3), years(5)), ("67A", years(5), years(7)), ("67B", years(5), years(7))],
)
def test_it_act_first_and_subsequent_conviction(
    section: str, first: Punishment, later: Punishment
) -> None:
    plain = charged_limb(Offence(act=Act.IT, section=section))
    again = charged_limb(Offence(act=Act.IT, section=section, limb="subsequent_conviction"))
    assert plain is not None and again is not None
    assert plain.limb.max_punishment == first and again.limb.max_punishment == later
    assert plain.limb.cognizable is True  # s.77B: three years and above
    # s.77B makes only offences of three years bailable.
    assert plain.limb.bailable is (first == years(3))
    assert again.limb.bailable is False


def test_mv_185_subsequent_offence() -> None:
    first = charged_limb(Offence(act=Act.MV, section="185"))
    again = charged_limb(Offence(act=Act.MV, section="185", limb="subsequent_offence"))
    assert first is not None and again is not None
    assert first.limb.max_punishment == years(0.5)
    assert again.limb.max_punishment == years(2)
    assert again.first_offence_limb == first.limb


def test_dowry_offences_are_non_bailable_and_not_compoundable() -> None:
    for section in ("3", "4"):
        found = charged_limb(Offence(act=Act.DOWRY, section=section))
        assert found is not None
        assert found.limb.bailable is False and found.limb.compoundable is False
    demand = charged_limb(Offence(act=Act.DOWRY, section="4"))
    assert demand is not None and demand.limb.max_punishment == years(2)


def test_sc_st_atrocities() -> None:
    one = charged_limb(Offence(act=Act.SC_ST, section="3(1)(r)"))
    assert one is not None and one.entry.section == "3(1)"
    assert one.limb.max_punishment == years(5)
    assert one.limb.triable_by == "Special Court"
    five = charged_limb(Offence(act=Act.SC_ST, section="3(2)(v)"))
    assert five is not None and five.limb.max_punishment == LIFE
    five_a = charged_limb(Offence(act=Act.SC_ST, section="3(2)(va)"))
    assert five_a is not None and five_a.limb.max_punishment is None


def test_a_state_act_is_classed_by_part_ii_from_its_stated_maximum() -> None:
    offence = Offence(
        act=Act.OTHER,
        act_name="Some State Act",
        section="5",
        stated_max_punishment=StatedPunishment.model_validate({"kind": "years", "years": 5}),
    )
    entry = law_entry(offence)
    assert entry is not None
    (limb,) = entry.limbs
    assert limb.cognizable is True
    assert limb.bailable is False
    assert limb.triable_by == "Magistrate of the first class"
    assert "Part II" in limb.source
