"""The law table: lookups with subsection fallback, the gravity order, and the table's own rules."""

from __future__ import annotations

import pydantic
import pytest

from canonical_model.entities import Act, Offence
from canonical_model.law import (
    LawEntry,
    Punishment,
    gravest,
    known_entries,
    law_entry,
    max_punishment,
    successors,
)

DEATH = Punishment(death=True, life=True)
DEATH_ONLY = Punishment(death=True, life=False)
LIFE = Punishment(death=False, life=True)
FOURTEEN = Punishment(death=False, life=False, max_years=14)
TEN = Punishment(death=False, life=False, max_years=10)
SEVEN = Punishment(death=False, life=False, max_years=7)
THREE_MONTHS = Punishment(death=False, life=False, max_years=0.25)
FINE = Punishment(death=False, life=False, fine_only=True)


def bns(section: str) -> Offence:
    return Offence(act=Act.BNS, section=section)


def ipc(section: str) -> Offence:
    return Offence(act=Act.IPC, section=section)


# --- lookups -------------------------------------------------------------------------------


def test_exact_subsection_entry_is_found() -> None:
    entry = law_entry(bns("103(1)"))
    assert entry is not None
    assert (entry.act, entry.section, entry.title) == (Act.BNS, "103(1)", "Murder")
    assert entry.punishment == DEATH
    assert entry.cognizable and not entry.bailable


def test_clause_falls_back_to_its_subsection() -> None:
    # BNS 64(2)(k): rape of a woman incapable of giving consent, a clause of 64(2).
    entry = law_entry(bns("64(2)(k)"))
    assert entry is not None
    assert entry.section == "64(2)"


def test_subsection_falls_back_to_the_whole_section() -> None:
    # The table holds BNS 112 whole; 112(2) is where the punishment is written.
    entry = law_entry(bns("112(2)"))
    assert entry is not None
    assert entry.section == "112"
    assert entry.punishment == SEVEN


def test_most_specific_entry_wins_over_the_parent() -> None:
    base, hurt, grievous = law_entry(bns("125")), law_entry(bns("125(a)")), law_entry(bns("125(b)"))
    assert base is not None and hurt is not None and grievous is not None
    assert [
        base.punishment.max_years,
        hurt.punishment.max_years,
        grievous.punishment.max_years,
    ] == [
        0.25,
        0.5,
        3,
    ]
    other = law_entry(bns("125(c)"))
    assert other is not None and other.section == "125"


def test_whole_section_is_not_answered_with_one_of_its_subsections() -> None:
    # BNS 106 has two limbs (5 and 10 years); a bare "106" does not say which was charged.
    assert law_entry(bns("106")) is None
    assert law_entry(bns("106(2)")) is not None


def test_ipc_376_is_known_whole_and_by_subsection() -> None:
    # The CrPC schedule has one row for s.376; charges cite it bare or by sub-section.
    whole, clause = law_entry(ipc("376")), law_entry(ipc("376(2)(n)"))
    assert whole is not None and whole.section == "376"
    assert clause is not None and clause.section == "376(2)"
    assert whole.punishment == clause.punishment == LIFE
    assert whole.replaced_by == ["64(1)", "64(2)", "65(1)"]


def test_ipc_sections_with_letters_are_found() -> None:
    entry = law_entry(ipc("498A"))
    assert entry is not None
    assert entry.punishment.max_years == 3
    assert entry.replaced_by == ["85"]


def test_unknown_sections_and_acts_give_none() -> None:
    assert law_entry(bns("999")) is None
    assert max_punishment(ipc("1")) is None
    # The same number under another Act is another offence.
    assert law_entry(Offence(act=Act.NDPS, section="302")) is None
    assert law_entry(Offence(act=Act.IT, section="66")) is None


def test_the_act_decides_which_section_is_meant() -> None:
    # BNS 302 is uttering words to wound religious feelings, not murder.
    assert law_entry(bns("302")) is None
    murder = max_punishment(ipc("302"))
    assert murder == DEATH


# --- order -----------------------------------------------------------------------------------


def test_order_death_life_years_fine() -> None:
    ascending = [FINE, THREE_MONTHS, SEVEN, TEN, FOURTEEN, LIFE, DEATH]
    assert sorted(reversed(ascending)) == ascending
    assert sorted([SEVEN, DEATH, FINE, LIFE, FOURTEEN]) == [FINE, SEVEN, FOURTEEN, LIFE, DEATH]
    assert max([SEVEN, LIFE, FOURTEEN]) == LIFE
    assert DEATH > LIFE > FOURTEEN > SEVEN > FINE
    assert FINE < THREE_MONTHS <= THREE_MONTHS
    assert DEATH_ONLY >= DEATH and DEATH >= DEATH_ONLY


def test_comparison_with_something_else_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = SEVEN < 7


def test_at_least_years() -> None:
    assert DEATH.at_least_years(10) and DEATH_ONLY.at_least_years(100)
    assert LIFE.at_least_years(7) and LIFE.at_least_years(10)
    assert SEVEN.at_least_years(7)
    assert not SEVEN.at_least_years(7.5)
    assert not THREE_MONTHS.at_least_years(1)
    assert THREE_MONTHS.at_least_years(0.25)
    assert not FINE.at_least_years(0.01)


def test_at_least_years_on_table_entries() -> None:
    # BNSS s.176(3): forensic visit for offences punishable with seven years or more.
    theft_in_house = max_punishment(bns("305"))
    cheating = max_punishment(bns("318(4)"))
    hurt = max_punishment(bns("115(2)"))
    assert theft_in_house is not None and theft_in_house.at_least_years(7)
    assert cheating is not None and cheating.at_least_years(7)
    assert hurt is not None and not hurt.at_least_years(7)


def test_describe() -> None:
    assert DEATH.describe() == "death or imprisonment for life"
    assert SEVEN.describe() == "imprisonment for 7 years"
    assert Punishment(death=False, life=False, max_years=1).describe() == "imprisonment for 1 year"
    assert FINE.describe() == "fine only"
    assert THREE_MONTHS.describe() == "imprisonment for 3 months"
    assert Punishment(death=False, life=False, max_years=1 / 12).describe() == (
        "imprisonment for 1 month"
    )
    assert Punishment(death=False, life=False, max_years=1.5).describe() == (
        "imprisonment for 1.5 years"
    )


# --- gravest -----------------------------------------------------------------------------------


def test_gravest_of_a_mixed_ipc_and_bns_list() -> None:
    charges = [
        ipc("379"),  # theft: 3 years
        Offence(act=Act.NDPS, section="20"),  # not in the table: passed over
        bns("64(1)"),  # rape: imprisonment for life
        ipc("506"),  # criminal intimidation, threat to kill: 7 years
        bns("318(4)"),  # cheating: 7 years
    ]
    found = gravest(charges)
    assert found is not None
    assert found == (bns("64(1)"), LIFE)


def test_gravest_prefers_death_and_keeps_the_first_of_equals() -> None:
    found = gravest([bns("109(1)"), ipc("302"), bns("103(1)")])
    assert found == (ipc("302"), DEATH)


def test_gravest_of_nothing_known_is_none() -> None:
    assert gravest([]) is None
    assert gravest([bns("999"), Offence(act=Act.ARMS, section="25")]) is None


def test_gravest_accepts_any_iterable() -> None:
    found = gravest(bns(s) for s in ["303(2)", "115(2)", "292"])
    assert found == (bns("303(2)"), Punishment(death=False, life=False, max_years=5))


# --- the table's rules -------------------------------------------------------------------------


def test_punishment_must_be_one_consistent_thing() -> None:
    with pytest.raises(pydantic.ValidationError):
        Punishment(death=False, life=False)
    with pytest.raises(pydantic.ValidationError):
        Punishment(death=False, life=False, max_years=2, fine_only=True)
    with pytest.raises(pydantic.ValidationError):
        Punishment(death=False, life=True, max_years=10)
    with pytest.raises(pydantic.ValidationError):
        Punishment(death=False, life=False, max_years=0)


def test_ipc_entry_needs_its_bns_successor() -> None:
    fields = {
        "section": "302",
        "title": "Murder",
        "punishment": DEATH,
        "cognizable": True,
        "bailable": False,
        "source": "IPC s.302",
    }
    with pytest.raises(pydantic.ValidationError, match="replaced"):
        LawEntry(act=Act.IPC, **fields)
    with pytest.raises(pydantic.ValidationError, match="replaced_by"):
        LawEntry(act=Act.BNS, replaced_by=["1"], **fields)


def test_every_ipc_entry_is_replaced_by_bns_entries_of_the_table() -> None:
    ipc_entries = [e for e in known_entries() if e.act is Act.IPC]
    assert ipc_entries
    for entry in ipc_entries:
        assert entry.replaced_by, entry.section
        named = successors(entry)
        assert [e.section for e in named] == entry.replaced_by, (
            f"IPC {entry.section} names BNS {entry.replaced_by}, table has {[e.section for e in named]}"
        )


def test_table_covers_sixty_bns_sections_and_their_ipc_predecessors() -> None:
    entries = known_entries()
    bns_sections = {e.section for e in entries if e.act is Act.BNS}
    assert len(bns_sections) >= 60
    with_predecessor = {s for e in entries if e.act is Act.IPC for s in e.replaced_by or []}
    assert len(with_predecessor) >= 60
    assert with_predecessor <= bns_sections


def test_entries_are_unique_and_only_bns_or_ipc() -> None:
    entries = known_entries()
    keys = [(e.act, e.section) for e in entries]
    assert len(keys) == len(set(keys))
    assert {e.act for e in entries} == {Act.BNS, Act.IPC}


def test_every_entry_names_its_source_in_both_acts() -> None:
    for entry in known_entries():
        procedure = "BNSS" if entry.act is Act.BNS else "CrPC"
        assert entry.source.startswith(f"{entry.act.value} s.{entry.section}"), entry.source
        assert f"{procedure} First Schedule" in entry.source, entry.source


def test_entries_are_valid_offences() -> None:
    # Every section of the table is one an Offence can carry, so a lookup can find it.
    for entry in known_entries():
        assert law_entry(Offence(act=entry.act, section=entry.section)) == entry


@pytest.mark.parametrize(
    ("offence", "expected"),
    [
        # Facts the other pillars lean on, each read from the Act (see the entry's source).
        (bns("103(1)"), DEATH),
        (ipc("307"), DEATH),  # life-convict limb of s.307
        (bns("109(1)"), LIFE),
        (bns("80(2)"), LIFE),
        (ipc("304A"), Punishment(death=False, life=False, max_years=2)),
        (bns("106(1)"), Punishment(death=False, life=False, max_years=5)),
        (bns("106(2)"), TEN),
        (bns("309(4)"), FOURTEEN),
        (bns("126(2)"), Punishment(death=False, life=False, max_years=1 / 12)),
        (bns("292"), FINE),
        (ipc("290"), FINE),
    ],
)
def test_known_punishments(offence: Offence, expected: Punishment) -> None:
    assert max_punishment(offence) == expected
