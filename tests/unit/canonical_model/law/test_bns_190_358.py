"""BNS rows 190 to 357 of the law table (``bns-190-358.json``): the corrections to the earlier
table, checked limb by limb, and the rules every entry of the file keeps."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from canonical_model.entities import Act, Offence
from canonical_model.law import LawEntry, Punishment, charged_limb, find_entry
from contracts.law import acts

FILE = "bns-190-358.json"
LIFE = Punishment(death=False, life=True)


def _sections() -> list[str]:
    path = resources.files("canonical_model").joinpath("data", "law", FILE)
    return [entry["section"] for entry in json.loads(path.read_text())["entries"]]


SECTIONS = _sections()


def entry(section: str) -> LawEntry:
    found = find_entry(Act.BNS, section)
    assert found is not None, section
    return found


def years(n: float) -> Punishment:
    return Punishment(death=False, life=False, max_years=n)


# --- corrections to the earlier table ---------------------------------------------------------


def test_theft_plain_limb_is_three_years_and_compoundable_by_the_owner() -> None:
    found = charged_limb(Offence(act=Act.BNS, section="303(2)"))
    assert found is not None and not found.assumed
    assert found.limb.max_punishment is not None
    assert found.limb.max_punishment.max_years == 3
    plain = found.limb
    assert (plain.cognizable, plain.bailable, plain.triable_by) == (True, False, "Any Magistrate")
    assert isinstance(plain.compoundable, str)
    assert "owner of the property stolen" in plain.compoundable
    assert "359(1)" in plain.compoundable
    assert entry("303(2)").predecessors == ["IPC 379"]


def test_theft_subsequent_conviction_is_its_own_limb() -> None:
    theft = entry("303(2)")
    assert [limb.code for limb in theft.limbs] == [None, "subsequent_conviction"]
    repeat = theft.limbs[1]
    assert repeat.subsequent_conviction
    assert repeat.max_punishment == years(5)
    assert repeat.min_punishment == years(1)
    # BNSS s.359(7): no composition where a previous conviction enhances the punishment.
    assert repeat.compoundable is False
    found = charged_limb(Offence(act=Act.BNS, section="303(2)", limb="subsequent_conviction"))
    assert found is not None and found.first_offence_limb == theft.limbs[0]


def test_forgery_of_valuable_security_has_the_promissory_note_row_as_a_limb() -> None:
    forgery = entry("338")
    assert forgery.predecessors == ["IPC 467"]
    plain, note = forgery.limbs
    assert plain.plain and plain.cognizable is False and plain.bailable is False
    assert note.code == "government_promissory_note"
    assert (
        note.condition is not None and "promissory note of the Central Government" in note.condition
    )
    assert note.cognizable is True and note.bailable is False
    assert plain.max_punishment == note.max_punishment == LIFE
    assert plain.triable_by == note.triable_by == "Magistrate of the first class"


def test_using_a_forged_document_as_genuine_is_present() -> None:
    using = entry("340(2)")
    assert using.predecessors == ["IPC 471"]
    assert using.title == "Using as genuine a forged document or electronic record"
    plain = using.limbs[0]
    # "Punished in the same manner as if he had forged such document": no term of its own.
    assert plain.max_punishment is None
    assert plain.punishment_text is not None and "forgery" in plain.punishment_text
    assert using.limb("government_promissory_note") is not None


def test_promoting_enmity_is_two_entries() -> None:
    plain, worship = entry("196(1)"), entry("196(2)")
    assert plain.predecessors == ["IPC 153A(1)"]
    assert worship.predecessors == ["IPC 153A(2)"]
    assert plain.limbs[0].max_punishment == years(3)
    assert worship.limbs[0].max_punishment == years(5)
    assert "place of worship" in worship.title
    for limb in (plain.limbs[0], worship.limbs[0]):
        assert (limb.cognizable, limb.bailable) == (True, False)
    assert find_entry(Act.BNS, "196") is None


def test_robbery_highway_at_night_is_a_separate_limb() -> None:
    robbery = entry("309(4)")
    assert robbery.predecessors == ["IPC 392"]
    plain = charged_limb(Offence(act=Act.BNS, section="309(4)"))
    assert plain is not None and plain.limb.max_punishment == years(10)
    night = robbery.limb("highway_at_night")
    assert night is not None and night.max_punishment == years(14)
    assert night.condition is not None and "between sunset and sunrise" in night.condition
    assert robbery.gravest_limb is night


@pytest.mark.parametrize(
    ("section", "words"),
    [
        ("231", "same as for the offence"),
        ("233", "false evidence"),
        ("266", "original sentence"),
        ("341(4)", "same as for making"),
    ],
)
def test_same_as_another_offence_has_no_maximum_but_words(section: str, words: str) -> None:
    limb = entry(section).limbs[0]
    assert limb.max_punishment is None
    assert limb.punishment_text is not None and words in limb.punishment_text.lower()


def test_snatching_and_suicide_to_compel_a_public_servant_are_new_offences() -> None:
    assert entry("304(2)").predecessors == []
    assert entry("226").predecessors == []


def test_intimidation_predecessors_and_compounding() -> None:
    for section, court in (
        ("351(2)", "Any Magistrate"),
        ("351(3)", "Magistrate of the first class"),
    ):
        limb = entry(section).limbs[0]
        assert entry(section).predecessors == ["IPC 506"]
        assert limb.triable_by == court
        assert isinstance(limb.compoundable, str) and "person intimidated" in limb.compoundable


def test_cheating_delivering_property_is_compoundable_only_with_permission() -> None:
    cheating = entry("318(4)")
    assert cheating.predecessors == ["IPC 420"]
    limb = cheating.limbs[0]
    assert limb.max_punishment == years(7)
    assert isinstance(limb.compoundable, str) and "359(2)" in limb.compoundable


# --- the rules of the file --------------------------------------------------------------------


def test_the_file_covers_its_range_in_section_order() -> None:
    numbers = [int("".join(c for c in s.split("(")[0] if c.isdigit())) for s in SECTIONS]
    assert numbers == sorted(numbers)
    assert min(numbers) == 190 and max(numbers) <= 358
    assert len(SECTIONS) == len(set(SECTIONS))
    assert len(SECTIONS) >= 250


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_exists_in_the_bns_text(section: str) -> None:
    assert acts.section_text("BNS", section)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_limb_is_classed_and_in_force(section: str) -> None:
    found = entry(section)
    assert found.in_force and found.in_force_from is not None
    assert found.in_force_from.isoformat() == "2024-07-01"
    assert found.predecessors is not None
    assert found.limbs[0].plain
    for limb in found.limbs:
        assert limb.triable_by != "TODO"
        assert limb.source.startswith(f"BNS s.{section}")
        if limb.compoundable:
            assert isinstance(limb.compoundable, str) and "BNSS s.359(" in limb.compoundable
