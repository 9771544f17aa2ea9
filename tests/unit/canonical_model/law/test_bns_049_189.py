"""The law table's BNS rows 49 to 189(6) (``canonical_model/data/law/bns-049-189.json``).

Each correction of the earlier table is pinned to what the Acts say: the punishments of the
BNS sections and the classes of the rows of Part I of the BNSS First Schedule, as read from
the texts in ``../shared/data/acts``. The last tests check that every row the shared BNSS
schedule shows between 49 and 189(6) has an entry, and that no limb is left unfinished.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from canonical_model.entities import Act, Offence
from canonical_model.law import LawEntry, Limb, Punishment, charged_limb, find_entry, known_entries
from contracts.law import acts

LIFE = Punishment(death=False, life=True)
DEATH = Punishment(death=True, life=True)
FILE_RANGE = (49, 189)


def years(count: float) -> Punishment:
    return Punishment(death=False, life=False, max_years=count)


def entry(section: str) -> LawEntry:
    found = find_entry(Act.BNS, section)
    assert found is not None, f"no entry for BNS {section}"
    return found


def plain(section: str) -> Limb:
    limb = entry(section).limb(None)
    assert limb is not None, f"BNS {section} has no plain limb"
    return limb


def in_range(section: str) -> bool:
    number = int(re.match(r"[0-9]+", section)[0])  # type: ignore[index]
    return FILE_RANGE[0] <= number <= FILE_RANGE[1]


RANGE_ENTRIES = [e for e in known_entries() if e.act is Act.BNS and in_range(e.section)]


# --- the corrections -------------------------------------------------------------------------


def test_voyeurism_first_conviction_is_the_plain_limb() -> None:
    # BNS s.77: 1 to 3 years on first conviction (bailable), 3 to 7 on a second or subsequent
    # one (non-bailable); both cognizable and triable by a Court of Session.
    first, later = entry("77").limbs
    assert first.plain and not first.subsequent_conviction
    assert (first.max_punishment, first.min_punishment) == (years(3), years(1))
    assert (first.cognizable, first.bailable, first.triable_by) == (True, True, "Court of Session")
    assert later.code == "subsequent_conviction" and later.subsequent_conviction
    assert (later.max_punishment, later.min_punishment) == (years(7), years(3))
    assert (later.cognizable, later.bailable) == (True, False)

    charged = charged_limb(Offence(act=Act.BNS, section="77"))
    assert charged is not None and not charged.assumed
    assert charged.limb == first and charged.limb.max_punishment == years(3)

    repeat = charged_limb(Offence(act=Act.BNS, section="77", limb="subsequent_conviction"))
    assert repeat is not None and repeat.limb == later
    assert repeat.first_offence_limb == first


def test_stalking_first_and_subsequent_conviction() -> None:
    # BNS s.78(2): 3 years (bailable) on first conviction, 5 (non-bailable) after; any Magistrate.
    first, later = entry("78(2)").limbs
    assert first.plain and first.max_punishment == years(3) and first.bailable is True
    assert later.subsequent_conviction and later.max_punishment == years(5)
    assert later.bailable is False
    assert {first.triable_by, later.triable_by} == {"Any Magistrate"}
    charged = charged_limb(Offence(act=Act.BNS, section="78(2)"))
    assert charged is not None and charged.limb.max_punishment == years(3)


def test_hit_and_run_is_not_in_force() -> None:
    # The BNS came into force on 1 July 2024 except s.106(2); the BNSS schedule entry too.
    hit_and_run = entry("106(2)")
    assert hit_and_run.in_force is False and hit_and_run.in_force_from is None
    assert hit_and_run.in_force_note and "106(2)" in hit_and_run.in_force_note
    assert "S.O. 850(E)" in hit_and_run.in_force_note
    others = [e for e in RANGE_ENTRIES if e.section != "106(2)"]
    assert others and all(e.in_force for e in others)
    assert {e.in_force_from for e in others} == {dt.date(2024, 7, 1)}


def test_begging_kidnapping_and_maiming_are_told_apart() -> None:
    kidnapping, maiming = entry("139(1)"), entry("139(2)")
    assert "kidnapping" in kidnapping.title.lower() and "maim" not in kidnapping.title.lower()
    assert "maiming" in maiming.title.lower() and "kidnap" not in maiming.title.lower()
    assert kidnapping.predecessors == ["IPC 363A(1)"]
    assert maiming.predecessors == ["IPC 363A(2)"]
    # 139(1): 10 years to life, Magistrate of the first class; 139(2): 20 years to life,
    # Court of Session.
    assert (plain("139(1)").max_punishment, plain("139(1)").min_punishment) == (LIFE, years(10))
    assert plain("139(1)").triable_by == "Magistrate of the first class"
    assert (plain("139(2)").max_punishment, plain("139(2)").min_punishment) == (LIFE, years(20))
    assert plain("139(2)").triable_by == "Court of Session"


def test_cruelty_and_marital_separation_are_cognizable_only_on_a_condition() -> None:
    cruelty = plain("85").cognizable
    assert isinstance(cruelty, str)
    for words in (
        "officer in charge of a police station",
        "person aggrieved",
        "blood, marriage or adoption",
        "public servant",
    ):
        assert words in cruelty
    assert plain("85").bailable is False and plain("85").max_punishment == years(3)
    separation = plain("67").cognizable
    assert isinstance(separation, str) and "complaint of the victim" in separation
    assert plain("67").bailable is True
    assert (plain("67").max_punishment, plain("67").min_punishment) == (years(7), years(2))


def test_attempt_to_murder_limbs_and_the_life_convict() -> None:
    attempt = entry("109(1)")
    assert attempt.predecessors == ["IPC 307"]
    assert plain("109(1)").max_punishment == years(10)
    hurt = attempt.limb("hurt_caused")
    assert hurt is not None and hurt.max_punishment == LIFE and not hurt.subsequent_conviction
    charged = charged_limb(Offence(act=Act.BNS, section="109(1)"))
    assert charged is not None and charged.limb.max_punishment == years(10)

    life_convict = entry("109(2)")
    assert life_convict.predecessors == ["IPC 307"]
    assert plain("109(2)").max_punishment == DEATH
    assert "life" in life_convict.title.lower() and "hurt" in life_convict.title.lower()


@pytest.mark.parametrize(
    ("section", "maximum", "minimum", "predecessor"),
    [
        ("143(2)", years(10), years(7), "IPC 370(2)"),
        ("143(3)", LIFE, years(10), "IPC 370(3)"),
        ("143(4)", LIFE, years(10), "IPC 370(4)"),
        ("143(5)", LIFE, years(14), "IPC 370(5)"),
        ("143(6)", LIFE, LIFE, "IPC 370(6)"),
        ("143(7)", LIFE, LIFE, "IPC 370(7)"),
    ],
)
def test_trafficking_subsections_are_entries_of_their_own(
    section: str, maximum: Punishment, minimum: Punishment, predecessor: str
) -> None:
    limb = plain(section)
    assert (limb.max_punishment, limb.min_punishment) == (maximum, minimum)
    assert entry(section).predecessors == [predecessor]
    assert (limb.cognizable, limb.bailable, limb.triable_by) == (True, False, "Court of Session")


def test_trafficking_a_child_again_applies_only_after_a_conviction() -> None:
    assert plain("143(6)").subsequent_conviction
    assert not plain("143(5)").subsequent_conviction


def test_rape_of_a_child_titles_and_punishments() -> None:
    assert "under sixteen" in entry("65(1)").title
    assert "under twelve" in entry("65(2)").title
    assert (plain("65(1)").max_punishment, plain("65(1)").min_punishment) == (LIFE, years(20))
    assert (plain("65(2)").max_punishment, plain("65(2)").min_punishment) == (DEATH, years(20))
    assert entry("65(1)").predecessors == ["IPC 376(3)"]
    assert entry("65(2)").predecessors == ["IPC 376AB"]


def test_new_offences_have_no_predecessor() -> None:
    for section in ("69", "95", "111(2)(a)", "111(2)(b)", "112", "113(2)(a)", "113(2)(b)"):
        assert entry(section).predecessors == [], section


def test_abetment_rows_take_the_offence_abetted() -> None:
    for section in ("49", "50", "51", "52", "53", "54"):
        limb = plain(section)
        assert limb.max_punishment is None and limb.punishment_text
        assert isinstance(limb.cognizable, str) and isinstance(limb.bailable, str)
        assert "abetted" in limb.triable_by
    # s.55: 7 years if the offence is not committed, 14 if hurt is caused; non-bailable.
    hurt = entry("55").limb("hurt_caused")
    assert plain("55").max_punishment == years(7) and plain("55").bailable is False
    assert hurt is not None and hurt.max_punishment == years(14)


def test_compoundable_rows_name_the_person_and_the_table() -> None:
    assert plain("115(2)").compoundable == "the person to whom the hurt is caused (BNSS s.359(1))"
    grievous = plain("117(2)").compoundable
    assert isinstance(grievous, str) and "permission of the Court" in grievous
    assert "359(2)" in grievous
    assert plain("118(1)").compoundable is False
    assert plain("103(1)").compoundable is False


# --- completeness ----------------------------------------------------------------------------


#: Rows the shared BNSS schedule text shows but ``acts.schedule_row`` cannot split out (the
#: number of 55 is printed amid the columns' first words; the offences of 82(2) and 90(1) start
#: with a word the splitter takes for a column), with the words that show each.
ROWS_THE_SPLITTER_MISSES = {
    "55": "Court by which 55 punishable with death or",
    "82(2)": "82(2) Same offence with Imprisonment for",
    "90(1)": "90(1) Death caused by an act",
}
#: Rows the schedule prints as a number and a clause: "111(2) (a)", "61(2) (1)" (for (b)).
ROWS_WITH_CLAUSES = {"61(2)", "111(2)", "113(2)"}


def schedule_rows() -> list[str]:
    """The row numbers of Part I from 49 up to 189(6), as the shared schedule text gives them."""
    keys = [match["key"] for match in acts._rows("BNSS")]
    start, end = keys.index("49"), keys.index("189(6)")
    # Page headers ("1 2 3 4 5 6") and columns cut by the flattening leave short numbers.
    return [key for key in keys[start : end + 1] if in_range(key)]


def test_every_schedule_row_in_range_has_an_entry() -> None:
    rows = schedule_rows()
    assert len(rows) > 150
    missing = []
    for row in rows:
        wanted = [f"{row}(a)", f"{row}(b)"] if row in ROWS_WITH_CLAUSES else [row]
        missing += [s for s in wanted if find_entry(Act.BNS, s) is None]
    assert missing == []


def test_rows_the_splitter_misses_have_entries() -> None:
    schedule = acts._schedule("BNSS")
    for section, words in ROWS_THE_SPLITTER_MISSES.items():
        assert re.search(re.escape(words).replace(r"\ ", r"\s+"), schedule), section
        assert find_entry(Act.BNS, section) is not None, section


def test_the_file_holds_only_schedule_rows() -> None:
    rows = set(schedule_rows()) | set(ROWS_THE_SPLITTER_MISSES)
    rows |= {f"{r}({c})" for r in ROWS_WITH_CLAUSES for c in "ab"}
    assert {e.section for e in RANGE_ENTRIES} <= rows


def test_no_limb_is_left_unfinished() -> None:
    assert RANGE_ENTRIES
    for found in RANGE_ENTRIES:
        assert found.predecessors is not None, found.section
        assert found.limbs[0].plain, found.section
        for limb in found.limbs:
            assert limb.triable_by != "TODO", found.section
            assert "TODO" not in limb.source, found.section
            assert f"BNSS First Schedule, row {found.section}" in limb.source, found.section
