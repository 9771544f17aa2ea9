"""The law table: the maximum punishment of each offence the gateway knows, and how it is classed.

Every deadline and route that depends on the gravity of an offence reads it here:
undertrial release under BNSS s.479 (CrPC s.436A), the forensic visit for offences
punishable with seven years or more under BNSS s.176(3), default bail under BNSS
s.187(3), and the assignment of police reports to prosecutors by maximum punishment
under BNSS s.20.

The table is ``canonical_model/data/punishments.json``. Each entry was read from the
Acts as published on India Code (the Akoma Ntoso texts in ``shared/data/acts``): the
punishment from the section of the Bharatiya Nyaya Sanhita, 2023 (BNS) or the Indian
Penal Code, 1860 (IPC); cognizable and bailable from the First Schedule of the
Bharatiya Nagarik Suraksha Sanhita, 2023 (BNSS) or of the Code of Criminal Procedure,
1973 (CrPC). Each entry names where it was read in ``source``.

Entries follow the rows of the First Schedules: one entry per row number ("103(1)",
"125(a)", "376"). Where a row lists several limbs with different punishments (a second
conviction, theft intended, robbery on the highway by night, an IPC section with a
life-convict limb), the entry carries the gravest limb, because the charge does not
say which limb will be proved; cognizable and bailable are those of that limb. Where
the shared BNSS text lacks a row (it stops at 189(6)) the classes are those of the
official schedule, and the entry's ``source`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from pydantic import Field, TypeAdapter, model_validator

from canonical_model.entities import Act, CanonicalModel, Offence, ShortText

_DATA_FILE = "punishments.json"
#: The last parenthesised subsection of a section number, e.g. ``(2)`` of ``64(2)``.
_LAST_SUBSECTION = re.compile(r"\([0-9a-z]+\)$")


class Punishment(CanonicalModel):
    """The maximum punishment an offence carries.

    Ordered by gravity, so ``max()`` and ``sorted()`` work: death, then imprisonment
    for life, then a longer term of years, then a shorter one, then fine only.
    """

    death: bool = Field(description="Punishable with death.")
    life: bool = Field(description="Punishable with imprisonment for life.")
    max_years: float | None = Field(
        default=None,
        gt=0,
        description="Longest term of imprisonment in years, when neither death nor life.",
    )
    fine_only: bool = Field(default=False, description="Punishable with fine only.")

    @model_validator(mode="after")
    def _consistent(self) -> Punishment:
        if self.fine_only and (self.death or self.life or self.max_years is not None):
            raise ValueError("fine_only excludes death, life and a term of years")
        if (self.death or self.life) and self.max_years is not None:
            raise ValueError("max_years is only given when neither death nor life is")
        if not (self.fine_only or self.death or self.life or self.max_years is not None):
            raise ValueError("a punishment needs death, life, a term of years or fine_only")
        return self

    @property
    def rank(self) -> tuple[int, int, float, int]:
        """The sort key of the ordering: death, life, years, then fine only last.

        Death ranks the same whether or not the section also allows life: the maximum is death.
        """
        return (
            int(self.death),
            int(self.death or self.life),
            self.max_years if self.max_years is not None else 0.0,
            int(not self.fine_only),
        )

    def at_least_years(self, years: float) -> bool:
        """Whether the offence is punishable with ``years`` of imprisonment or more.

        Death and imprisonment for life count as more than any term of years, as BNSS
        ss.176(3), 187(3) and 479 read "punishable with death, imprisonment for life or
        imprisonment for a term of ... years or more".
        """
        if self.death or self.life:
            return True
        return self.max_years is not None and self.max_years >= years

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Punishment):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Punishment):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Punishment):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Punishment):
            return NotImplemented
        return self.rank >= other.rank

    def describe(self) -> str:
        """The punishment in words, as a schedule would print it."""
        parts = []
        if self.death:
            parts.append("death")
        if self.life:
            parts.append("imprisonment for life")
        if self.max_years is not None:
            months = self.max_years * 12
            # The Acts write short terms in months ("three months"), so the text does too.
            if self.max_years < 1 and abs(months - round(months)) < 1e-9:
                count, unit = f"{round(months)}", "month"
            else:
                count, unit = f"{self.max_years:g}", "year"
            parts.append(f"imprisonment for {count} {unit}{'s' if count != '1' else ''}")
        if self.fine_only:
            parts.append("fine only")
        return " or ".join(parts)


class LawEntry(CanonicalModel):
    """One offence of the table: an (act, section) with its maximum punishment and class."""

    act: Act = Field(description="The Act, as in Offence.act (BNS or IPC).")
    section: ShortText = Field(
        pattern=r"^[0-9]{1,4}[A-Z]{0,3}(\([0-9a-z]{1,4}\))*$",
        description='Section as in Offence.section, e.g. "103(1)", "302", "498A".',
    )
    title: ShortText = Field(description="Short description of the offence.")
    punishment: Punishment
    cognizable: bool = Field(description="Cognizable per the First Schedule (BNSS or CrPC).")
    bailable: bool = Field(description="Bailable per the First Schedule (BNSS or CrPC).")
    replaced_by: list[str] | None = Field(
        default=None, description="For an IPC section: the BNS section(s) that replaced it."
    )
    source: ShortText = Field(description="Where the entry was read in the Acts.")

    @model_validator(mode="after")
    def _replaced_only_for_ipc(self) -> LawEntry:
        if self.act is Act.IPC and not self.replaced_by:
            raise ValueError("an IPC entry names the BNS section(s) that replaced it")
        if self.act is not Act.IPC and self.replaced_by is not None:
            raise ValueError("only an IPC entry has replaced_by")
        return self


_ENTRIES = TypeAdapter(list[LawEntry])


@cache
def _table() -> dict[tuple[Act, str], LawEntry]:
    raw = resources.files("canonical_model").joinpath("data", _DATA_FILE).read_bytes()
    entries = _ENTRIES.validate_json(raw)
    table: dict[tuple[Act, str], LawEntry] = {}
    for index, entry in enumerate(entries):
        key = (entry.act, entry.section)
        if key in table:
            raise ValueError(f"{_DATA_FILE} /{index}: {entry.act} {entry.section} twice")
        table[key] = entry
    return table


def _candidates(section: str) -> list[str]:
    """The section itself, then each parent: ``64(2)(a)``, ``64(2)``, ``64``."""
    found = [section]
    while _LAST_SUBSECTION.search(found[-1]):
        found.append(_LAST_SUBSECTION.sub("", found[-1]))
    return found


def law_entry(offence: Offence) -> LawEntry | None:
    """The table's entry for ``offence``: the most specific one, or None when it is not known.

    A subsection is looked up first and then its parent section, so ``BNS 103(1)`` finds
    an entry for ``103(1)`` or else one for ``103``. A whole section is never answered
    with one of its subsections: ``BNS 106`` does not say which limb was charged.
    """
    table = _table()
    for section in _candidates(offence.section):
        entry = table.get((offence.act, section))
        if entry is not None:
            return entry
    return None


def max_punishment(offence: Offence) -> Punishment | None:
    """The maximum punishment of ``offence``, or None when the table does not know it."""
    entry = law_entry(offence)
    return entry.punishment if entry is not None else None


def gravest(offences: Iterable[Offence]) -> tuple[Offence, Punishment] | None:
    """The known offence with the greatest maximum punishment, with that punishment.

    Offences the table does not know are passed over; None when none is known. On a
    tie the first such offence is kept.
    """
    best: tuple[Offence, Punishment] | None = None
    for offence in offences:
        punishment = max_punishment(offence)
        if punishment is not None and (best is None or punishment > best[1]):
            best = (offence, punishment)
    return best


#: Provisions charged beside an offence that carry no punishment of their own: each makes a
#: person liable for the offence it accompanies, whose punishment then applies. Read from the
#: Acts' text: BNS s.3(5) and IPC s.34 (common intention: "liable for that act in the same
#: manner as if it were done by him alone"), BNS s.190 and IPC s.149 (every member of an
#: unlawful assembly "is guilty of that offence"), BNS s.49 and IPC s.109 (abetment of an act
#: committed, where nothing else provides: "the punishment provided for the offence").
LIABILITY_PROVISIONS: frozenset[tuple[Act, str]] = frozenset(
    {
        (Act.BNS, "3(5)"),
        (Act.IPC, "34"),
        (Act.BNS, "190"),
        (Act.IPC, "149"),
        (Act.BNS, "49"),
        (Act.IPC, "109"),
    }
)


def is_liability_provision(offence: Offence) -> bool:
    """Whether ``offence`` is a provision that only extends another offence's liability (common
    intention, common object, abetment): its punishment is that offence's, not its own."""
    return (offence.act, offence.section) in LIABILITY_PROVISIONS


def known_entries() -> list[LawEntry]:
    """Every entry of the table, in the order of the data file."""
    return list(_table().values())


def successors(entry: LawEntry) -> list[LawEntry]:
    """For an IPC entry, the BNS entries that replaced it (those the table holds)."""
    table = _table()
    found = (table.get((Act.BNS, section)) for section in entry.replaced_by or [])
    return [e for e in found if e is not None]
