"""The law table checked against the text of the Acts it was read from.

Reads the Akoma Ntoso texts in ``../shared/data/acts`` (relative to the repository root;
present on every machine this project runs on). For every entry: the cited BNS or IPC
section exists, its text names death when the entry says death, imprisonment for life
when it says life, and the term in words when it gives a term of years; for BNS entries
whose row survives in the BNSS First Schedule text, the row carries the entry's
cognizable and bailable classes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from canonical_model.entities import Act
from canonical_model.law import LawEntry, known_entries
from contracts.law import acts

ROOT = Path(__file__).resolve().parents[3]
NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
#: "imprisonment for life", or IPC s.376D's "may extend to life which shall mean ...".
LIFE = re.compile(r"imprisonment for life|extend to life\b", re.IGNORECASE)


@pytest.fixture(scope="module", autouse=True)
def acts_present() -> None:
    expected = (ROOT.parent / "shared" / "data" / "acts").resolve()
    assert acts.ACTS_DIR.resolve() == expected
    missing = [name for name in acts.FILES.values() if not (expected / name).is_file()]
    if missing:
        pytest.fail(
            f"the Acts' texts are not at {expected} (missing {missing}); the law table "
            "is checked against them, so this test cannot pass without them",
            pytrace=False,
        )


def entry_id(entry: LawEntry) -> str:
    return f"{entry.act.value}-{entry.section}"


ENTRIES = known_entries()


def term_phrase(years: float) -> re.Pattern[str]:
    """The term as the Acts write it: "seven years", "7 years", "three months", "one month"."""
    if years >= 1:
        assert years == int(years), f"{years} years is not a whole number of years"
        count, unit = int(years), "year"
    else:
        months = years * 12
        assert abs(months - round(months)) < 1e-9, f"{years} years is not whole months"
        count, unit = round(months), "month"
    return re.compile(rf"\b({NUMBERS[count]}|{count})\]? {unit}s?\b", re.IGNORECASE)


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_entry_agrees_with_the_section_text(entry: LawEntry) -> None:
    text = acts.section_text(entry.act.value, entry.section)
    assert text, f"{entry.act.value} s.{entry.section} is not in {acts.FILES[entry.act.value]}"
    punishment = entry.punishment
    if punishment.death:
        assert re.search(r"\bdeath\b", text, re.IGNORECASE), "entry says death, text does not"
    if punishment.life:
        assert LIFE.search(text), "entry says imprisonment for life, text does not"
    if punishment.max_years is not None:
        phrase = term_phrase(punishment.max_years)
        assert phrase.search(text), f"entry says {punishment.describe()}, text has no {phrase.pattern}"
    if punishment.fine_only:
        assert "fine" in text and "imprisonment" not in text, "entry says fine only"


def schedule_classes(row: str) -> tuple[set[bool], set[bool]]:
    """The cognizable and bailable classes a flattened schedule row carries.

    The conversion sometimes breaks "Non-cognizable" across the columns ("Non- Bailable.
    ... cognizable."), so a lower-case "cognizable" on its own is the tail of a
    "Non-cognizable", and a capital "Bailable" after a dangling "Non- " is bailable.
    """
    cognizable = set()
    if re.search(r"(?<!Non-)(?<!Non- )Cognizable", row):
        cognizable.add(True)
    if re.search(r"Non-\s?[Cc]ognizable|(?<!Non-)(?<!Non- )\bcognizable\b", row):
        cognizable.add(False)
    bailable = set()
    if re.search(r"(?<!Non-)Bailable", row):
        bailable.add(True)
    if re.search(r"Non-\s?bailable", row):
        bailable.add(False)
    return cognizable, bailable


BNS_ROWS = {
    entry.section: row
    for entry in ENTRIES
    if entry.act is Act.BNS and (row := acts.schedule_row("BNS", entry.section)) is not None
}


def test_most_bns_entries_have_their_schedule_row_in_the_text() -> None:
    # The shared BNSS text stops at row 189(6); every entry up to there must be found.
    assert len(BNS_ROWS) >= 50
    early = [
        e.section
        for e in ENTRIES
        if e.act is Act.BNS and int(re.match(r"[0-9]+", e.section)[0]) <= 189  # type: ignore[index]
    ]
    assert sorted(early) == sorted(BNS_ROWS)


@pytest.mark.parametrize("section", sorted(BNS_ROWS), ids=lambda s: f"BNS-{s}")
def test_bns_entry_agrees_with_its_schedule_row(section: str) -> None:
    entry = next(e for e in ENTRIES if e.act is Act.BNS and e.section == section)
    cognizable, bailable = schedule_classes(BNS_ROWS[section])
    assert entry.cognizable in cognizable, f"row says cognizable in {cognizable}"
    assert entry.bailable in bailable, f"row says bailable in {bailable}"


def test_entries_without_a_schedule_row_say_so() -> None:
    for entry in ENTRIES:
        if entry.act is Act.BNS and entry.section not in BNS_ROWS:
            assert "absent from the shared BNSS text" in entry.source, entry.source


def test_schedule_classes_reads_the_broken_rows() -> None:
    assert schedule_classes(acts.schedule_row("BNS", "115(2)") or "") == ({False}, {True})
    assert schedule_classes(acts.schedule_row("BNS", "103(1)") or "") == ({True}, {False})
    assert schedule_classes(acts.schedule_row("BNS", "78(2)") or "") == ({True}, {True, False})


def test_reader_finds_structured_and_folded_sections() -> None:
    murder = acts.section_text("BNS", "103(1)")
    assert murder is not None and murder.startswith("(1) Whoever commits murder")
    folded = acts.section_text("IPC", "376AB")
    assert folded is not None and "under twelve years of age" in folded
    assert acts.section_text("BNS", "9999") is None
    assert acts.section_text("IPC", "not a section") is None
