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
NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
#: "imprisonment for life", or IPC s.376D's "may extend to life which shall mean ...".
LIFE = re.compile(r"imprisonment for life|extend to life\b", re.IGNORECASE)
#: Death as a punishment ("punished with death", "death or imprisonment for life"), not as
#: a harm ("causes death").
DEATH = re.compile(
    r"(punished|punishable) with death|or with death|\bdeath,? or (with )?(imprisonment|rigorous)"
    r"|with fine or with death",
    re.IGNORECASE,
)
#: A term the section sets: "may extend to seven years", "may be extended to 4[three years]",
#: "for a term not exceeding ten years".
TERM = re.compile(
    r"(?:extend(?:ed)? to|not exceeding) (?:[0-9]\[)?(\w+)\]? (years?|months?)\b", re.IGNORECASE
)
#: Sections whose text mentions a graver punishment than the entry, and why that is right.
GRAVER_IN_TEXT = {
    ("BNS", "125"): "the clauses (a) and (b), entries of their own, share the section's text",
    ("BNS", "196(1)"): "the conversion put (1) in the heading, so 196(2) shares the text",
    ("BNS", "120(1)"): "the conversion put (1) in the heading, so 120(2) shares the text",
    ("BNS", "332(a)"): "the offence intended is one punishable with death",
    ("BNS", "332(b)"): "the offence intended is one punishable with imprisonment for life",
    ("IPC", "449"): "the offence intended is one punishable with death",
    ("IPC", "450"): "the offence intended is one punishable with imprisonment for life",
    ("BNS", "351(3)"): "the threat is of an offence punishable with death or life",
    ("IPC", "506"): "the threat is of an offence punishable with death or life",
    ("IPC", "376D"): "a State amendment (Arunachal Pradesh) follows in the text",
    ("IPC", "354"): "a State amendment (Chhattisgarh) follows in the text",
    ("IPC", "304A"): "a State amendment (Himachal Pradesh, s.304AA) follows in the text",
}


@pytest.fixture(scope="module", autouse=True)
def acts_present() -> None:
    expected = acts.ACTS_DIR.resolve()
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
        assert DEATH.search(text), "entry says death, text does not"
    if punishment.life:
        assert LIFE.search(text), "entry says imprisonment for life, text does not"
    if punishment.max_years is not None:
        phrase = term_phrase(punishment.max_years)
        assert phrase.search(text), (
            f"entry says {punishment.describe()}, text has no {phrase.pattern}"
        )
    if punishment.fine_only:
        assert "fine" in text and "imprisonment" not in text, "entry says fine only"
    if (entry.act.value, entry.section) in GRAVER_IN_TEXT:
        return
    if not punishment.death:
        assert not DEATH.search(text), "text says death, entry does not"
    if not (punishment.death or punishment.life):
        assert not LIFE.search(text), "text says imprisonment for life, entry does not"
    if punishment.max_years is not None:
        assert max(terms(text)) == punishment.max_years, f"entry is not the longest term of {text}"


def terms(text: str) -> list[float]:
    """Every term of imprisonment the text sets, in years."""
    found = []
    for match in TERM.finditer(text):
        word = match[1].lower()
        count = NUMBERS.index(word) if word in NUMBERS else int(word) if word.isdigit() else None
        if count is not None:
            found.append(count if match[2].lower().startswith("year") else count / 12)
    return found


def test_graver_in_text_exceptions_are_still_needed() -> None:
    # An exception that no longer applies (the text or entry changed) must be dropped.
    for act, section in GRAVER_IN_TEXT:
        entry = next(e for e in ENTRIES if (e.act.value, e.section) == (act, section))
        text = acts.section_text(act, section) or ""
        graver = (
            (not entry.punishment.death and bool(DEATH.search(text)))
            or (
                not entry.punishment.life and not entry.punishment.death and bool(LIFE.search(text))
            )
            or (
                entry.punishment.max_years is not None
                and max(terms(text)) > entry.punishment.max_years
            )
        )
        assert graver, f"{act} s.{section} no longer needs its exception"


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
        if e.act is Act.BNS and int(re.sub(r"[^0-9].*", "", e.section)) <= 189
    ]
    assert sorted(early) == sorted(BNS_ROWS)


@pytest.mark.parametrize("section", sorted(BNS_ROWS), ids=lambda s: f"BNS-{s}")
def test_bns_entry_agrees_with_its_schedule_row(section: str) -> None:
    entry = next(e for e in ENTRIES if e.act is Act.BNS and e.section == section)
    cognizable, bailable = schedule_classes(BNS_ROWS[section])
    assert entry.cognizable in cognizable, f"row says cognizable in {cognizable}"
    assert entry.bailable in bailable, f"row says bailable in {bailable}"
    if entry.punishment.death:
        # "Death or imprisonment for life", or "... natural life or with death."
        assert re.search(r"Death|\bor (with )?death\b", BNS_ROWS[section]), "row has no death"
    elif entry.punishment.life:
        assert "life" in BNS_ROWS[section], "entry says life, the schedule row does not"


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


def crpc_row(entry: LawEntry) -> str | None:
    """The CrPC First Schedule row of an IPC entry; the schedule has one row for all of 376."""
    return acts.schedule_row("IPC", re.sub(r"\(.*", "", entry.section))


IPC_ROWS = {
    entry.section: row
    for entry in ENTRIES
    if entry.act is Act.IPC and (row := crpc_row(entry)) is not None
}


def test_ipc_rows_say_cognizable_and_bailable_often_enough_to_check() -> None:
    # The CrPC schedule writes "Ditto" for a class repeated from the line above; only the
    # classes written out can be checked, and enough of them must be for the test to mean
    # something.
    explicit = [schedule_classes(row) for row in IPC_ROWS.values()]
    assert sum(1 for cognizable, _ in explicit if cognizable) >= 20
    assert sum(1 for _, bailable in explicit if bailable) >= 20


@pytest.mark.parametrize("section", sorted(IPC_ROWS), ids=lambda s: f"IPC-{s}")
def test_ipc_entry_agrees_with_the_classes_its_crpc_row_writes_out(section: str) -> None:
    entry = next(e for e in ENTRIES if e.act is Act.IPC and e.section == section)
    cognizable, bailable = schedule_classes(IPC_ROWS[section])
    assert not cognizable or entry.cognizable in cognizable, f"row says {cognizable}"
    assert not bailable or entry.bailable in bailable, f"row says {bailable}"
