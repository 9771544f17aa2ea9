"""The law table checked against the text of the Acts it was read from.

Reads the Akoma Ntoso texts in ``../shared/data/acts`` (relative to the repository root;
present on every machine this project runs on). For every BNS and IPC entry: the cited
section exists; every limb's death, imprisonment for life and term of years or months is in
the section's text; the text sets nothing graver than the entry's gravest limb (unless an
explained exception says why it may); and every minimum term is the text's "not less than".
For BNS entries whose row survives in the shared BNSS First Schedule (rows 49 to 189(6)),
every limb's cognizable and bailable classes are the row's, and a class given as a condition
is one the row states; for IPC entries, the classes the CrPC row writes out. Every limb names
the section and the schedule row it was read from, and says so where the shared text lacks
the row.
"""

from __future__ import annotations

import re

import pytest

from canonical_model.entities import Act
from canonical_model.law import LawEntry, Limb, Punishment, known_entries
from contracts.law import acts

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
    r"(punished|punishable) with death|(or|either) with death|\bdeath,? or (with )?"
    r"(imprisonment|rigorous)|with fine or with death",
    re.IGNORECASE,
)
#: A term the section sets: "may extend to seven years", "may be extended to 4[three years]",
#: "for a term not exceeding ten years".
TERM = re.compile(
    r"(?:extend(?:ed)? to|not exceeding) (?:[0-9]\[)?(\w+)\]? (years?|months?)\b", re.IGNORECASE
)
#: What the shared texts' lack of a row is written as in a limb's ``source``.
ABSENT_BNSS = "row absent from the shared BNSS text; as in the official schedule"
ABSENT_CRPC = "row absent from the shared CrPC text; as in the official schedule"
#: The graver punishment in these sections' text is that of another offence, which the
#: section (or clause) names as its condition: the offence abetted, concealed, screened,
#: harboured, falsely charged, threatened, or that a person escaping or rescued is charged
#: with or sentenced for.
OTHER_OFFENCE = "the offence {} is one punishable with {}: its punishment, not this one's"
#: The conversion lost the structure of these sections (the "(1)" sits in the heading), so a
#: subsection's text is the whole section's, a graver subsection included.
WHOLE_SECTION = "the conversion put (1) in the heading, so {} shares the text"
#: Sections whose text mentions a graver punishment than the entry's gravest limb, and why
#: that is right.
GRAVER_IN_TEXT = {
    ("BNS", "55"): OTHER_OFFENCE.format("abetted", "death or imprisonment for life"),
    ("BNS", "59(b)"): OTHER_OFFENCE.format("whose design is concealed", "death or life"),
    ("BNS", "61(2)(b)"): "the text of (2) holds clause (a): conspiracy to commit an offence "
    "punishable with death or life, whose punishment is the offence's",
    ("BNS", "111(2)(b)"): "the text of (2) holds clause (a), organised crime resulting in death",
    ("BNS", "113(2)(b)"): "the text of (2) holds clause (a), a terrorist act resulting in death",
    ("BNS", "119(1)"): WHOLE_SECTION.format("119(2) (imprisonment for life)"),
    ("BNS", "120(1)"): WHOLE_SECTION.format("120(2)"),
    ("BNS", "125"): "the clauses (a) and (b), entries of their own, share the section's text",
    ("BNS", "196(1)"): WHOLE_SECTION.format("196(2)"),
    ("BNS", "238(a)"): OTHER_OFFENCE.format("whose evidence is made to disappear", "death"),
    ("BNS", "238(b)"): OTHER_OFFENCE.format("whose evidence is made to disappear", "life"),
    ("BNS", "248(b)"): OTHER_OFFENCE.format("falsely charged", "death, life or ten years"),
    ("BNS", "249(a)"): OTHER_OFFENCE.format("of the offender harboured", "death"),
    ("BNS", "249(b)"): OTHER_OFFENCE.format("of the offender harboured", "life or ten years"),
    ("BNS", "250(a)"): OTHER_OFFENCE.format("screened", "death"),
    ("BNS", "250(b)"): OTHER_OFFENCE.format("screened", "life or ten years"),
    ("BNS", "251(a)"): OTHER_OFFENCE.format("screened", "death"),
    ("BNS", "251(b)"): OTHER_OFFENCE.format("screened", "life or ten years"),
    ("BNS", "253(a)"): OTHER_OFFENCE.format("of the escaped offender harboured", "death"),
    ("BNS", "253(b)"): OTHER_OFFENCE.format("of the escaped offender harboured", "life"),
    ("BNS", "259(a)"): OTHER_OFFENCE.format("the person not apprehended is charged with", "death"),
    ("BNS", "259(b)"): OTHER_OFFENCE.format("the person not apprehended is charged with", "life"),
    ("BNS", "260(b)"): "the person not apprehended is under a sentence of imprisonment for "
    "life or ten years or upwards: that sentence, not this offence's punishment",
    ("BNS", "263(b)"): OTHER_OFFENCE.format("the person rescued is charged with", "life"),
    ("BNS", "263(c)"): OTHER_OFFENCE.format("the person rescued is charged with", "death"),
    ("BNS", "263(d)"): "the person rescued is under a sentence of imprisonment for life or ten "
    "years or upwards: that sentence, not this offence's punishment",
    ("BNS", "308(6)"): OTHER_OFFENCE.format("of which an accusation is threatened", "death"),
    ("BNS", "308(7)"): OTHER_OFFENCE.format("of which an accusation is threatened", "death"),
    ("BNS", "327(1)"): WHOLE_SECTION.format("327(2) (imprisonment for life)"),
    ("BNS", "332(a)"): OTHER_OFFENCE.format("intended", "death"),
    ("BNS", "332(b)"): OTHER_OFFENCE.format("intended", "imprisonment for life"),
    ("BNS", "341(2)"): WHOLE_SECTION.format("341(1) (imprisonment for life)"),
    ("BNS", "341(3)"): WHOLE_SECTION.format("341(1) (imprisonment for life)"),
    ("BNS", "342(2)"): WHOLE_SECTION.format("342(1) (imprisonment for life)"),
    ("BNS", "351(3)"): OTHER_OFFENCE.format("threatened", "death or life"),
    ("IPC", "120B"): "sub-section (1)'s conspiracy is to commit an offence punishable with "
    "death or life, whose punishment is the offence's",
    ("IPC", "153A(1)"): "the section has no subsection elements in the text, so 153A(2) "
    "(five years, in a place of worship) shares it",
    ("IPC", "304A"): "a State amendment (Himachal Pradesh, s.304AA) follows in the text",
    ("IPC", "354"): "a State amendment (Chhattisgarh) follows in the text",
    ("IPC", "376D"): "a State amendment (Arunachal Pradesh) follows in the text",
    ("IPC", "388"): OTHER_OFFENCE.format("of which an accusation is threatened", "death"),
    ("IPC", "389"): OTHER_OFFENCE.format("of which an accusation is threatened", "death"),
    ("IPC", "449"): OTHER_OFFENCE.format("intended", "death"),
    ("IPC", "450"): OTHER_OFFENCE.format("intended", "imprisonment for life"),
    ("IPC", "506"): OTHER_OFFENCE.format("threatened", "death or life"),
}
#: Sections that set their punishment by naming another's ("punished as if he had committed
#: the offence under sub-section (1)", "either with death or the punishment specified in
#: sub-section (1)"): what the text does not say is read in the section named.
PUNISHMENT_BY_REFERENCE = {
    ("BNS", "230(2)"): ("BNS", "230(1)"),
    ("BNS", "350(2)"): ("BNS", "350(1)"),
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
#: The entries of the two penal codes, whose sections and schedule rows the shared texts hold.
PENAL = [e for e in ENTRIES if e.act in (Act.BNS, Act.IPC)]


def find(act: str, section: str) -> LawEntry:
    return next(e for e in ENTRIES if (e.act.value, e.section) == (act, section))


def is_day_term(punishment: Punishment) -> bool:
    """A term of days ("24 hours"), which the Acts write in no form this test reads."""
    if punishment.max_years is None:
        return False
    months = punishment.max_years * 12
    return abs(months - round(months)) > 1e-9


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


def terms(text: str) -> list[float]:
    """Every term of imprisonment the text sets, in years."""
    found = []
    for match in TERM.finditer(text):
        word = match[1].lower()
        count = NUMBERS.index(word) if word in NUMBERS else int(word) if word.isdigit() else None
        if count is not None:
            found.append(count if match[2].lower().startswith("year") else count / 12)
    return found


def gravest_known(entry: LawEntry) -> Punishment | None:
    """The gravest maximum punishment of the entry's limbs (None: every limb's is another
    offence's, as for abetment)."""
    known = [limb.max_punishment for limb in entry.limbs if limb.max_punishment is not None]
    return max(known) if known else None


def graver_in_text(entry: LawEntry, text: str) -> list[str]:
    """What the text sets that is graver than the entry's gravest limb."""
    gravest = gravest_known(entry)
    if gravest is None:
        return []
    found = []
    if not gravest.death and DEATH.search(text):
        found.append("death")
    if not (gravest.death or gravest.life) and LIFE.search(text):
        found.append("imprisonment for life")
    if not (gravest.death or gravest.life):
        longer = [t for t in terms(text) if t > (gravest.max_years or 0)]
        if longer:
            found.append(f"a term of {max(longer):g} years")
    if gravest.fine_only and "imprisonment" in text:
        found.append("imprisonment")
    return found


def missing_from(punishment: Punishment, text: str) -> list[str]:
    """What of ``punishment`` (death, life, a term of years or months, fine) the text lacks."""
    missing = []
    if punishment.death and not DEATH.search(text):
        missing.append("death")
    if punishment.life and not LIFE.search(text):
        missing.append("imprisonment for life")
    if punishment.max_years is not None and not is_day_term(punishment):
        phrase = term_phrase(punishment.max_years)
        if not phrase.search(text):
            missing.append(phrase.pattern)
    # "fine", or "a penalty not exceeding three thousand rupees" (BNS s.165).
    if punishment.fine_only and not re.search(r"\b(fine|penalty)\b", text):
        missing.append("fine")
    return missing


@pytest.mark.parametrize("entry", PENAL, ids=entry_id)
def test_entry_agrees_with_the_section_text(entry: LawEntry) -> None:
    text = acts.section_text(entry.act.value, entry.section)
    assert text, f"{entry.act.value} s.{entry.section} is not in {acts.FILES[entry.act.value]}"
    named = PUNISHMENT_BY_REFERENCE.get((entry.act.value, entry.section))
    read = text + " " + (acts.section_text(*named) or "") if named else text
    for limb in entry.limbs:
        if limb.max_punishment is not None:
            missing = missing_from(limb.max_punishment, read)
            assert not missing, f"limb {limb.code or 'plain'}: the text has no {missing}: {read}"
    if (entry.act.value, entry.section) not in GRAVER_IN_TEXT:
        graver = graver_in_text(entry, text)
        assert not graver, f"the text sets {graver}, graver than every limb: {text}"


@pytest.mark.parametrize("entry", [e for e in PENAL if gravest_known(e) is None], ids=entry_id)
def test_entry_without_a_punishment_of_its_own_is_one_the_text_borrows(entry: LawEntry) -> None:
    # Abetment, conspiracy, attempt and the like: the punishment is another offence's, in a
    # share or in full, and the text says so.
    text = acts.section_text(entry.act.value, entry.section) or ""
    assert re.search(
        r"punishment provided for|same manner|punished as|punish(ed|able) with the punishment"
        r"|liable to (the )?punishment|one-(half|fourth|quarter|eighth)|guilty of that offence"
        r"|the imprisonment with which such offender shall be punished",
        text,
        re.IGNORECASE,
    ), f"no limb has a punishment of its own, but the text sets one: {text}"


def test_graver_in_text_exceptions_are_still_needed() -> None:
    # An exception that no longer applies (the text or entry changed) must be dropped.
    for act, section in GRAVER_IN_TEXT:
        entry = find(act, section)
        text = acts.section_text(act, section) or ""
        assert graver_in_text(entry, text), f"{act} s.{section} no longer needs its exception"


def test_punishments_by_reference_are_still_needed() -> None:
    for (act, section), named in PUNISHMENT_BY_REFERENCE.items():
        text = acts.section_text(act, section) or ""
        limbs = [limb.max_punishment for limb in find(act, section).limbs if limb.max_punishment]
        assert any(missing_from(punishment, text) for punishment in limbs), (act, section)
        assert f"sub-section ({named[1].split('(')[1]}" in text, f"{act} {section} names {named}"


def minimum_limbs() -> list[tuple[LawEntry, Limb]]:
    return [
        (entry, limb)
        for entry in PENAL
        for limb in entry.limbs
        if limb.min_punishment is not None and limb.min_punishment.max_years is not None
    ]


@pytest.mark.parametrize(
    ("entry", "limb"),
    minimum_limbs(),
    ids=lambda x: entry_id(x) if isinstance(x, LawEntry) else (x.code or "plain"),
)
def test_minimum_term_is_the_texts_not_less_than(entry: LawEntry, limb: Limb) -> None:
    text = acts.section_text(entry.act.value, entry.section) or ""
    minimum = limb.min_punishment
    assert minimum is not None and minimum.max_years is not None
    phrase = term_phrase(minimum.max_years).pattern
    assert re.search(
        rf"(not (?:be )?less than|minimum)[^.;]{{0,60}}?{phrase}", text, re.IGNORECASE
    ), f"limb {limb.code or 'plain'} says at least {minimum.describe()}; the text: {text}"


def test_minimum_terms_are_checked_often_enough_to_mean_something() -> None:
    assert len(minimum_limbs()) >= 40


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


#: Rows the reader (``acts.schedule_row``) does not find under their own number, because the
#: flattened text prints the number where a row cannot start ("55" in mid-row, "82(2) Same",
#: "90(1) Death", "111(2)" with its clause "(a)" in the next column): each as (the row the
#: reader runs it into, where it starts there, where it ends there or None for the end).
PRINTED_WITHIN = {
    ("BNS", "55"): ("6", "Abetment of an offence, Imprisonment", None),
    ("BNS", "61(2)(a)"): ("61(2)", "61(2) Criminal conspiracy", "61(2) Any other"),
    ("BNS", "61(2)(b)"): ("61(2)", "61(2) Any other", None),
    ("BNS", "82(2)"): ("82(1)", "82(2) Same offence", None),
    ("BNS", "90(1)"): ("89", "90(1) Death caused", None),
    ("BNS", "111(2)(a)"): ("111(2)", "111(2) Organised crime", "111(2) In any other"),
    ("BNS", "111(2)(b)"): ("111(2)", "111(2) In any other", None),
    ("BNS", "113(2)(a)"): ("113(2)", "113(2) Terrorist act", "113(2) In any other"),
    ("BNS", "113(2)(b)"): ("113(2)", "113(2) In any other", None),
    ("IPC", "314"): ("313", "314 Death caused", None),
    ("IPC", "363"): ("358", "Kidnapping Imprisonment", "1. Subs."),
    ("IPC", "460"): ("459", "460 Death or grievous", None),
}
#: Rows the reader breaks off at a number in a column that it takes for the next row: each
#: with the reader's "row" that holds the rest ("59(b) ... Imprisonment for 10 According as
#: Non-bailable": "10 According ..." read as row 10).
ROW_CONTINUED = {
    ("BNS", "59(b)"): "10",
}


def is_form(row: str) -> bool:
    """Whether the reader's "row" is a form of the Second Schedule, under its capital heading
    ("55 WARRANT TO ATTACH THE PROPERTY ...")."""
    return re.match(r"[0-9A-Z()]+ [A-Z ,]{12}", row) is not None


def printed_row(act: str, section: str) -> str | None:
    """The First Schedule row of ``section`` of ``act`` (BNS or IPC) in the shared text, or
    None: the reader's row cut short where a row it ran on into starts, or the row
    :data:`PRINTED_WITHIN` finds inside another. The shared BNSS schedule ends at row 189(6);
    what the reader finds beyond it is a form of the Second Schedule ("FORM No. 55")."""
    within = PRINTED_WITHIN.get((act, section))
    if within is not None:
        host, start, end = within
        text = acts.schedule_row(act, host) or ""
        assert start in text, f"{act} {section} is no longer printed within row {host}"
        text = text[text.index(start) :]
        return text[: text.index(end)] if end else text
    row = acts.schedule_row(act, section)
    if row is None or is_form(row):
        return None
    if (act, section) in ROW_CONTINUED:
        row += acts.schedule_row(act, ROW_CONTINUED[act, section]) or ""
    for (other_act, _), (host, start, _) in PRINTED_WITHIN.items():
        if other_act == act and host == section and start in row and not row.startswith(start):
            row = row[: row.index(start)]
    return row


def bns_row(entry: LawEntry) -> str | None:
    return printed_row("BNS", entry.section)


def crpc_row(entry: LawEntry) -> str | None:
    """The CrPC First Schedule row of an IPC entry; the schedule has one row for all of 376."""
    if (Act.IPC.value, entry.section) in PRINTED_WITHIN:
        return printed_row("IPC", entry.section)
    return printed_row("IPC", re.sub(r"\(.*", "", entry.section))


BNS_ROWS = {
    entry.section: row for entry in ENTRIES if entry.act is Act.BNS and (row := bns_row(entry))
}
IPC_ROWS = {
    entry.section: row for entry in ENTRIES if entry.act is Act.IPC and (row := crpc_row(entry))
}


def section_number(section: str) -> int:
    return int(re.sub(r"[^0-9].*", "", section))


def test_every_bns_entry_up_to_189_has_its_schedule_row_in_the_text() -> None:
    # The shared BNSS text stops at row 189(6); every entry up to there must be found, and
    # none beyond.
    assert len(BNS_ROWS) >= 150
    early = [e.section for e in ENTRIES if e.act is Act.BNS and section_number(e.section) <= 189]
    assert sorted(early) == sorted(BNS_ROWS)


def test_rows_printed_within_others_are_where_they_are_said_to_be() -> None:
    for (act, section), (host, start, _) in PRINTED_WITHIN.items():
        row = printed_row(act, section)
        assert row is not None and row.startswith(start), (act, section)
        found = acts.schedule_row(act, section)
        assert found is None or is_form(found), f"the reader now finds {act} {section}"
        if any((e.act.value, e.section) == (act, host) for e in ENTRIES):
            assert start not in (printed_row(act, host) or ""), f"{act} {host} keeps {section}"
    for (act, section), rest in ROW_CONTINUED.items():
        cut = acts.schedule_row(act, section) or ""
        assert cut.rstrip().endswith("Imprisonment for"), f"the reader now reads {act} {section}"
        assert (acts.schedule_row(act, rest) or "").startswith(f"{rest} According as")


#: Text classes (a condition, a rule) and the words the row says them with.
CONDITION_GIST = {
    "complaint": "complaint",
    "information": "information",
    "informs": "information",
    "according as": "according as",
}


def gist(value: str) -> list[str]:
    return [said for word, said in CONDITION_GIST.items() if word in value.lower()]


@pytest.mark.parametrize("section", sorted(BNS_ROWS), ids=lambda s: f"BNS-{s}")
def test_bns_entry_agrees_with_its_schedule_row(section: str) -> None:
    entry = find("BNS", section)
    row = BNS_ROWS[section]
    cognizable, bailable = schedule_classes(row)
    for limb in entry.limbs:
        name = limb.code or "plain"
        for column, value, written in (
            ("cognizable", limb.cognizable, cognizable),
            ("bailable", limb.bailable, bailable),
        ):
            if isinstance(value, bool):
                assert value in written, f"limb {name} {column} {value}; row says {written}: {row}"
            else:
                words = gist(value)
                assert words, f"limb {name} {column} {value!r}: no condition this test knows"
                for word in words:
                    assert word in row.lower(), f"limb {name} {column} {value!r}; row: {row}"
        punishment = limb.max_punishment
        if punishment is not None and punishment.death:
            # "Death or imprisonment for life", or "... natural life or with death."
            assert re.search(r"Death|\bor (with )?death\b", row), f"{name}: row has no death"
        elif punishment is not None and punishment.life:
            assert "life" in row, f"limb {name} says life, the schedule row does not: {row}"
    # A class the row writes out is some limb's (a row of two lines, two limbs).
    plain = [limb for limb in entry.limbs if isinstance(limb.cognizable, bool)]
    if plain:
        assert cognizable <= {limb.cognizable for limb in plain}, f"row says {cognizable}"
    plain = [limb for limb in entry.limbs if isinstance(limb.bailable, bool)]
    if plain:
        assert bailable <= {limb.bailable for limb in plain}, f"row says {bailable}"


def test_bns_limbs_say_whether_the_shared_text_has_their_row() -> None:
    for entry in ENTRIES:
        if entry.act is not Act.BNS:
            continue
        for limb in entry.limbs:
            absent = ABSENT_BNSS in limb.source
            assert absent == (entry.section not in BNS_ROWS), (entry.section, limb.source)


def test_limbs_name_their_section_and_schedule_row() -> None:
    schedule = {Act.BNS: "BNSS", Act.IPC: "CrPC"}
    for entry in PENAL:
        act = entry.act.value
        # A row of the schedule is the section's, its clause's (BNS 223 is rows 223(a) and
        # (b)) or its section's (the CrPC has one row for all of IPC 376).
        rows = {entry.section, re.sub(r"\(.*", "", entry.section)}
        for limb in entry.limbs:
            assert f"{act} s.{entry.section}" in limb.source, (act, entry.section, limb.source)
            named = re.findall(
                rf"{schedule[entry.act]} First Schedule, row ([0-9A-Z]+(?:\([0-9a-z]+\))*)",
                limb.source,
            )
            assert any(row in rows or row.startswith(f"{entry.section}(") for row in named), (
                act,
                entry.section,
                limb.source,
            )


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


#: IPC rows whose columns the shared CrPC text jumbled with the next row's, so the classes
#: it writes out beside them are another row's; the entries keep the official schedule's.
CLASSES_JUMBLED_IN_TEXT = {
    "373": "its 'Bailable Any' is row 374's (buying a minor is non-bailable, Court of Session)",
    "374": "its 'Cognizable Non-bailable Court of' is row 376's (compulsory labour is bailable)",
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
    entry = find("IPC", section)
    row = IPC_ROWS[section]
    if section in CLASSES_JUMBLED_IN_TEXT:
        assert all("columns jumbled in the shared text" in limb.source for limb in entry.limbs)
        return
    cognizable, bailable = schedule_classes(row)
    for limb in entry.limbs:
        name = limb.code or "plain"
        assert ABSENT_CRPC not in limb.source, f"limb {name}: the row is in the text: {row}"
        if isinstance(limb.cognizable, bool) and cognizable:
            assert limb.cognizable in cognizable, f"limb {name}: row says {cognizable}: {row}"
        if isinstance(limb.bailable, bool) and bailable:
            assert limb.bailable in bailable, f"limb {name}: row says {bailable}: {row}"


def test_jumbled_ipc_rows_are_still_jumbled() -> None:
    for section in CLASSES_JUMBLED_IN_TEXT:
        entry = find("IPC", section)
        cognizable, bailable = schedule_classes(IPC_ROWS[section])
        limb = entry.limbs[0]
        assert (cognizable and limb.cognizable not in cognizable) or (
            bailable and limb.bailable not in bailable
        ), f"IPC {section}: the row's classes now agree; drop its exception"


def test_ipc_limbs_without_a_row_in_the_text_say_so() -> None:
    for entry in ENTRIES:
        if entry.act is Act.IPC and entry.section not in IPC_ROWS:
            for limb in entry.limbs:
                assert ABSENT_CRPC in limb.source, (entry.section, limb.source)
