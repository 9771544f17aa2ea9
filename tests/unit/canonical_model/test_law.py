"""The law table: lookups with subsection fallback, the gravity order, and the table's own rules."""

from __future__ import annotations

import pydantic
import pytest

from canonical_model.entities import Act, Offence
from canonical_model.law import (
    LawEntry,
    Limb,
    Punishment,
    charged_limb,
    gravest,
    known_entries,
    law_entry,
    max_punishment,
    predecessors,
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
    plain = entry.limbs[0]
    assert plain.plain and plain.max_punishment == DEATH
    assert plain.cognizable is True and plain.bailable is False
    assert plain.triable_by == "Court of Session"


def test_clause_falls_back_to_its_subsection() -> None:
    # BNS 64(2)(k): rape of a woman incapable of giving consent, a clause of 64(2).
    entry = law_entry(bns("64(2)(k)"))
    assert entry is not None
    assert entry.section == "64(2)"


def test_subsection_falls_back_to_the_whole_section() -> None:
    # BNS 303 has its row at 303(2); a charge of "303(2)(b)" finds it.
    entry = law_entry(bns("303(2)(b)"))
    assert entry is not None
    assert entry.section == "303(2)"


def test_most_specific_entry_wins_over_the_parent() -> None:
    hurt, grievous = law_entry(bns("125(a)")), law_entry(bns("125(b)"))
    assert hurt is not None and grievous is not None
    assert [max_punishment(bns("125(a)")), max_punishment(bns("125(b)"))] == [
        Punishment(death=False, life=False, max_years=0.5),
        Punishment(death=False, life=False, max_years=3),
    ]


def test_whole_section_is_not_answered_with_one_of_its_subsections() -> None:
    # BNS 106 has two limbs (5 and 10 years); a bare "106" does not say which was charged.
    assert law_entry(bns("106")) is None
    assert law_entry(bns("106(2)")) is not None


def test_ipc_376_is_known_whole_and_by_subsection() -> None:
    # The CrPC schedule has one row for s.376; charges cite it bare or by sub-section.
    whole, clause = law_entry(ipc("376")), law_entry(ipc("376(2)(n)"))
    assert whole is not None and whole.section == "376"
    assert clause is not None and clause.section == "376(2)"
    assert max_punishment(ipc("376(2)(n)")) == LIFE
    assert whole.successors is not None and "BNS 64(1)" in whole.successors


def test_ipc_sections_with_letters_are_found() -> None:
    entry = law_entry(ipc("498A"))
    assert entry is not None
    assert max_punishment(ipc("498A")) == Punishment(death=False, life=False, max_years=3)
    assert entry.successors == ["BNS 85"]


def test_unknown_sections_and_acts_give_none() -> None:
    assert law_entry(bns("999")) is None
    assert max_punishment(ipc("1")) is None
    # The same number under another Act is another offence.
    assert law_entry(Offence(act=Act.NDPS, section="302")) is None
    assert law_entry(Offence(act=Act.OTHER, act_name="A local Act", section="12")) is None


def test_the_act_decides_which_section_is_meant() -> None:
    # BNS 302 is uttering words to wound religious feelings (one year), IPC 302 murder.
    assert max_punishment(bns("302")) == Punishment(death=False, life=False, max_years=1)
    assert max_punishment(ipc("302")) == DEATH


def test_the_charged_limb_decides_never_the_gravest() -> None:
    # BNS 303(2): 3 years; 5 years only on a second conviction, and only when charged so.
    assert max_punishment(bns("303(2)")) == Punishment(death=False, life=False, max_years=3)
    second = Offence(act=Act.BNS, section="303(2)", limb="subsequent_conviction")
    assert max_punishment(second) == Punishment(death=False, life=False, max_years=5)
    found = charged_limb(second)
    assert found is not None and found.limb.subsequent_conviction
    assert found.first_offence_limb is not None and found.first_offence_limb.plain
    # A limb the entry does not have is unknown, never guessed.
    assert charged_limb(Offence(act=Act.BNS, section="303(2)", limb="no_such_limb")) is None
    # A section with no plain limb, charged without naming one: the entry is found, but no
    # consequence is drawn from a limb the charge did not name.
    bare = charged_limb(Offence(act=Act.NDPS, section="20"))
    assert bare is not None and bare.assumed
    assert max_punishment(Offence(act=Act.NDPS, section="20")) is None


def test_conditionally_cognizable_offences_say_their_condition() -> None:
    for offence in (bns("85"), ipc("498A"), bns("67")):
        entry = law_entry(offence)
        assert entry is not None
        cognizable = entry.limbs[0].cognizable
        assert isinstance(cognizable, str) and cognizable, offence


def test_two_schedule_rows_for_one_section_are_two_limbs() -> None:
    # BNS 338 / IPC 467: the Central Government promissory note row is cognizable.
    for offence in (bns("338"), ipc("467")):
        entry = law_entry(offence)
        assert entry is not None and len(entry.limbs) == 2
        plain, note = entry.limbs
        assert plain.cognizable is False and note.cognizable is True
        assert note.condition is not None and "promissory note" in note.condition


def test_a_provision_not_in_force_says_so() -> None:
    entry = law_entry(bns("106(2)"))
    assert entry is not None and entry.in_force is False and entry.in_force_note
    murder = law_entry(bns("103(1)"))
    assert murder is not None and murder.in_force and str(murder.in_force_from) == "2024-07-01"


def test_other_laws_are_classed_by_part_ii_from_the_stated_maximum() -> None:
    def stated(kind: str, years: float | None = None) -> Offence:
        punishment = {"kind": kind} | ({"years": years} if years else {})
        return Offence.model_validate(
            {
                "act": "OTHER",
                "act_name": "A State Act",
                "section": "5",
                "stated_max_punishment": punishment,
            }
        )

    cases = [
        (stated("life"), True, False, "Court of Session"),
        (stated("years", 7.5), True, False, "Court of Session"),
        (stated("years", 7), True, False, "Magistrate of the first class"),
        (stated("years", 3), True, False, "Magistrate of the first class"),
        (stated("years", 2.9), False, True, "Any Magistrate"),
        (stated("fine"), False, True, "Any Magistrate"),
    ]
    for offence, cognizable, bailable, court in cases:
        entry = law_entry(offence)
        assert entry is not None
        (limb,) = entry.limbs
        assert (limb.cognizable, limb.bailable, limb.triable_by) == (cognizable, bailable, court)
        assert "Part II" in limb.source


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
        Offence(act=Act.NDPS, section="20"),  # no quantity named: no limb to go by
        bns("64(1)"),  # rape: imprisonment for life
        ipc("506"),  # criminal intimidation: 2 years
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
    assert (
        gravest([bns("999"), Offence(act=Act.OTHER, act_name="A local Act", section="25")]) is None
    )


def test_gravest_accepts_any_iterable() -> None:
    found = gravest(bns(s) for s in ["303(2)", "115(2)", "292"])
    assert found == (bns("303(2)"), Punishment(death=False, life=False, max_years=3))


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
    limb = Limb(
        max_punishment=DEATH,
        cognizable=True,
        bailable=False,
        triable_by="Court of Session",
        source="IPC s.302",
    )
    fields = {"section": "302", "title": "Murder", "limbs": [limb]}
    with pytest.raises(pydantic.ValidationError, match="replaced it"):
        LawEntry(act=Act.IPC, **fields)
    with pytest.raises(pydantic.ValidationError, match="only an IPC entry has successors"):
        LawEntry(act=Act.BNS, successors=["BNS 1"], **fields)
    with pytest.raises(pydantic.ValidationError, match="share a code"):
        LawEntry(
            act=Act.BNS,
            section="302",
            title="Twice",
            limbs=[
                limb.model_copy(update={"code": "x", "condition": "a"}),
                limb.model_copy(update={"code": "x", "condition": "b"}),
            ],
        )
    with pytest.raises(pydantic.ValidationError, match="both a code and a condition"):
        Limb(
            code="x",
            max_punishment=DEATH,
            cognizable=True,
            bailable=False,
            triable_by="Court of Session",
            source="-",
        )


def test_every_successor_named_is_in_the_table_and_names_its_predecessor_back() -> None:
    # An IPC entry names the BNS rows that replaced it; each must be an entry of the table (by
    # its row or a parent row). The BNS table is complete, so every name resolves. The IPC
    # table holds the sections most charged, so a BNS entry's predecessor need not be in it;
    # where it is, the two must agree.
    def entry_of(name: str) -> LawEntry | None:
        act, _, section = name.partition(" ")
        return law_entry(Offence(act=Act(act), section=section))

    missing, disagree = [], []
    for entry in known_entries():
        if entry.act is not Act.IPC:
            continue
        names = [*(entry.successors or [])]
        names += [n for limb in entry.limbs for n in limb.successors or []]
        for name in names:
            successor = entry_of(name)
            if successor is None:
                missing.append(f"IPC {entry.section} -> {name}")
                continue
            back = [*(successor.predecessors or [])]
            back += [n for limb in successor.limbs for n in limb.predecessors or []]
            back_entries = {id(e) for n in back if (e := entry_of(n)) is not None}
            # A whole-section entry (IPC 370) agrees with a BNS row naming its sub-section.
            mine = f"IPC {entry.section}"
            agrees = id(entry) in back_entries or any(
                n == mine or n.startswith(mine + "(") for n in back
            )
            if back and not agrees:
                disagree.append(f"{mine} -> {name}, which names {back}")
    assert missing == []
    assert disagree == []
    assert predecessors(law_entry(bns("303(2)")))  # type: ignore[arg-type]


def test_the_table_holds_every_bns_offence_row_and_the_special_laws() -> None:
    entries = known_entries()
    bns_rows = {e.section for e in entries if e.act is Act.BNS}
    # Part I of the BNSS First Schedule has about 440 rows for the BNS.
    assert len(bns_rows) >= 400
    acts = {e.act for e in entries}
    assert {Act.BNS, Act.IPC, Act.NDPS, Act.POCSO, Act.ARMS, Act.IT, Act.MV, Act.DOWRY} <= acts
    assert Act.SC_ST in acts


def test_entries_are_unique() -> None:
    entries = known_entries()
    keys = [(e.act, e.section) for e in entries]
    assert len(keys) == len(set(keys))


def test_every_limb_names_its_source_and_court() -> None:
    for entry in known_entries():
        for limb in entry.limbs:
            assert limb.source, (entry.act, entry.section)
            assert limb.triable_by and limb.triable_by != "TODO", (entry.act, entry.section)
            if entry.act in (Act.BNS, Act.IPC):
                assert entry.act.value in limb.source, (entry.act, entry.section, limb.source)


def test_entries_are_valid_offences() -> None:
    # Every section of the table is one an Offence can carry, so a lookup can find it.
    for entry in known_entries():
        assert law_entry(Offence(act=entry.act, section=entry.section)) == entry


@pytest.mark.parametrize(
    ("offence", "expected"),
    [
        # Facts the other pillars lean on, each read from the Act (see the entry's source).
        (bns("103(1)"), DEATH),
        (Offence(act=Act.IPC, section="307", limb="life_convict"), DEATH),
        (bns("109(1)"), TEN),
        (Offence(act=Act.BNS, section="109(1)", limb="hurt_caused"), LIFE),
        (bns("80(2)"), LIFE),
        (ipc("304A"), Punishment(death=False, life=False, max_years=2)),
        (bns("106(1)"), Punishment(death=False, life=False, max_years=5)),
        (bns("106(2)"), TEN),
        (bns("309(4)"), TEN),
        (Offence(act=Act.BNS, section="309(4)", limb="highway_at_night"), FOURTEEN),
        (bns("126(2)"), Punishment(death=False, life=False, max_years=1 / 12)),
        (bns("292"), FINE),
        (ipc("290"), FINE),
    ],
)
def test_known_punishments(offence: Offence, expected: Punishment) -> None:
    assert max_punishment(offence) == expected
