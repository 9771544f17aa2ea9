"""The law table: every offence the gateway knows, limb by limb, and how each limb is classed.

Every deadline and route that depends on the gravity of an offence reads it here:
undertrial release under BNSS s.479 (CrPC s.436A), the forensic visit for offences
punishable with seven years or more under BNSS s.176(3), default bail under BNSS
s.187(3), and the prosecutor's office that monitors a case under BNSS s.20.

The table is the JSON files of ``canonical_model/data/law/``. There is one entry per row of
a First Schedule ("103(1)", "125(a)", "376"), keyed by act and section. An entry holds one
*limb* per distinct punishment the row sets: the plain offence (``code`` and ``condition``
None), then any limb that applies only on a condition, such as a second or subsequent
conviction (BNS 303(2)), an aggravating circumstance (robbery on the highway at night,
BNS 309(4)), or a second schedule row for the same section (BNS 338, a Government promissory
note). Each limb carries its maximum and minimum punishment, its class from the First
Schedule (cognizable, possibly only on a condition; bailable; triable by), whether it is
compoundable under BNSS s.359 (CrPC s.320) and by whom, its predecessor or successor section,
and where it was read in ``source``.

The charged limb decides, never the gravest: an offence names its limb (``Offence.limb``);
without one the plain offence is meant. Where no plain limb exists the gravest limb is used
and :class:`ChargedLimb` says it was assumed.

Values are read from the Acts as published on India Code (``shared/data/acts``): punishments
from the sections of the Bharatiya Nyaya Sanhita, 2023 (BNS) or the Indian Penal Code, 1860
(IPC); classes from the First Schedule of the Bharatiya Nagarik Suraksha Sanhita, 2023
(BNSS) or of the Code of Criminal Procedure, 1973 (CrPC). The shared BNSS text stops at row
189(6) of Part I and the shared CrPC text lacks many rows: there the classes are those of the
official schedule (the Gazette of India text), and the limb's ``source`` says so.

Offences under other laws the table does not hold are classed by Part II of the BNSS First
Schedule from the maximum punishment the charging pillar states (:func:`part_ii_limb`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import Field, StringConstraints, TypeAdapter, ValidationError, model_validator

from canonical_model.entities import (
    Act,
    CanonicalModel,
    Offence,
    PunishmentKind,
    ShortText,
    StatedPunishment,
)

_DATA_DIR = "law"
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

    @model_validator(mode="before")
    @classmethod
    def _from_stated_shape(cls, data: Any) -> Any:
        # The data files and the messages write {"kind": "years", "years": 3}.
        if isinstance(data, dict) and "kind" in data:
            return cls.from_stated(StatedPunishment.model_validate(data)).model_dump()
        return data

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

    @classmethod
    def from_stated(cls, stated: StatedPunishment) -> Punishment:
        """The punishment a message or a data file states as ``{"kind", "years"|"months"|"days"}``."""
        kind = stated.kind
        if kind is PunishmentKind.DEATH:
            return cls(death=True, life=True)
        if kind is PunishmentKind.LIFE:
            return cls(death=False, life=True)
        if kind is PunishmentKind.FINE:
            return cls(death=False, life=False, fine_only=True)
        years = (stated.years or 0) + (stated.months or 0) / 12 + (stated.days or 0) / 365
        return cls(death=False, life=False, max_years=years)

    @property
    def kind(self) -> PunishmentKind:
        """The gravest kind of punishment: death, life, a term of years, or fine only."""
        if self.death:
            return PunishmentKind.DEATH
        if self.life:
            return PunishmentKind.LIFE
        if self.fine_only:
            return PunishmentKind.FINE
        return PunishmentKind.YEARS

    def calendar_term(self) -> tuple[int, int] | None:
        """The term as whole calendar months and days (a year is twelve months, General Clauses
        Act 1897 s.3(35), (66)); None without a term of years."""
        if self.max_years is None:
            return None
        months = self.max_years * 12
        if abs(months - round(months)) < 1e-6:
            return round(months), 0
        return 0, round(self.max_years * 365)

    def as_api(self) -> dict[str, Any]:
        """The shape the API shows: ``{"kind": ..., "years": n}`` (years null unless a term)."""
        years = None if self.max_years is None else round(self.max_years, 4)
        return {"kind": self.kind.value, "years": years, "text": self.describe()}

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
            if self.max_years < 1 and abs(months - round(months)) < 1e-6:
                count, unit = f"{round(months)}", "month"
            elif self.max_years < 1:
                count, unit = f"{round(self.max_years * 365)}", "day"
            else:
                count, unit = f"{self.max_years:g}", "year"
            parts.append(f"imprisonment for {count} {unit}{'s' if count != '1' else ''}")
        if self.fine_only:
            parts.append("fine only")
        return " or ".join(parts)


class Limb(CanonicalModel):
    """One limb of an offence: a distinct punishment the section (or a schedule row of it)
    sets, with that limb's classes from the First Schedule."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")] | None = Field(
        default=None,
        description="How an offence names this limb (Offence.limb); None for the plain offence.",
    )
    condition: ShortText | None = Field(
        default=None,
        description="When this limb applies, in the Act's words; None for the plain offence.",
    )
    subsequent_conviction: bool = Field(
        default=False,
        description="Applies only to a person previously convicted (never to a first offender).",
    )
    max_punishment: Punishment | None = Field(
        description="The maximum punishment; None where it is that of another offence "
        "(abetment, attempt, conspiracy: see punishment_text)."
    )
    min_punishment: Punishment | None = Field(
        default=None, description="The minimum punishment the section sets, if any."
    )
    punishment_text: ShortText | None = Field(
        default=None, description="The punishment in the schedule's words, where useful."
    )
    cognizable: bool | ShortText = Field(
        description="Cognizable (true), non-cognizable (false), or cognizable only on the "
        "condition given as text (BNS 85: on information from the aggrieved person or a "
        "relative)."
    )
    bailable: bool | ShortText = Field(
        description="Bailable, non-bailable, or the rule as text ('according as the offence "
        "abetted')."
    )
    compoundable: bool | ShortText = Field(
        default=False,
        description="False, or by whom it may be compounded (BNSS s.359(1); with the court's "
        "permission under s.359(2) where the text says so).",
    )
    triable_by: ShortText = Field(
        description="The court column of the First Schedule: 'Court of Session', 'Magistrate "
        "of the first class', 'Any Magistrate', a Special Court, or the rule as text."
    )
    predecessors: list[str] | None = Field(
        default=None,
        description="For a BNS limb whose predecessor differs from the entry's: the IPC sections.",
    )
    successors: list[str] | None = Field(
        default=None,
        description="For an IPC limb whose successor differs from the entry's: the BNS sections.",
    )
    source: ShortText = Field(description="Where this limb was read.")

    @model_validator(mode="after")
    def _plain_or_conditioned(self) -> Limb:
        if (self.code is None) != (self.condition is None):
            raise ValueError("a limb has both a code and a condition, or neither (plain)")
        if self.max_punishment is None and not self.punishment_text:
            raise ValueError("a limb without a maximum punishment says what it is in words")
        return self

    @property
    def plain(self) -> bool:
        """Whether this is the plain offence (no condition)."""
        return self.code is None

    @property
    def sessions_triable(self) -> bool:
        """Whether the First Schedule makes this limb triable by a Court of Session."""
        return self.triable_by.lower().startswith("court of session")


class LawEntry(CanonicalModel):
    """One offence of the table: an (act, section) as a First Schedule row numbers it, and its
    limbs."""

    act: Act = Field(description="The Act, as in Offence.act.")
    section: ShortText = Field(
        pattern=r"^[0-9]{1,4}[A-Z]{0,3}(\([0-9a-z]{1,4}\))*$",
        description='Section as in Offence.section, e.g. "103(1)", "302", "498A".',
    )
    title: ShortText = Field(description="Short description of the offence.")
    in_force: bool = Field(default=True, description="Whether the provision is in force.")
    in_force_from: dt.date | None = Field(
        default=None, description="Since when it is in force (None when not, or not recorded)."
    )
    in_force_note: ShortText | None = Field(
        default=None, description="Why it is not in force, or how it came into force."
    )
    predecessors: list[str] | None = Field(
        default=None,
        description='For a BNS entry: the IPC section(s) it replaced, e.g. ["IPC 379"] '
        "(empty: a new offence).",
    )
    successors: list[str] | None = Field(
        default=None,
        description='For an IPC entry: the BNS section(s) that replaced it, e.g. ["BNS 303(2)"].',
    )
    limbs: list[Limb] = Field(min_length=1, description="The plain offence first, then the rest.")

    @model_validator(mode="after")
    def _consistent(self) -> LawEntry:
        if self.act is Act.IPC and not self.successors:
            raise ValueError("an IPC entry names the BNS section(s) that replaced it")
        if self.act is not Act.IPC and self.successors is not None:
            raise ValueError("only an IPC entry has successors")
        if self.act is not Act.BNS and self.predecessors is not None:
            raise ValueError("only a BNS entry has predecessors")
        codes = [limb.code for limb in self.limbs]
        if len(set(codes)) != len(codes):
            raise ValueError("two limbs of one entry share a code")
        if self.in_force and self.in_force_note is None and self.in_force_from is None:
            pass  # in force with the Act itself
        return self

    def limb(self, code: str | None) -> Limb | None:
        """The limb named ``code`` (None: the plain offence), or None when there is none."""
        return next((limb for limb in self.limbs if limb.code == code), None)

    def as_api(self, *, asked: str | None = None) -> dict[str, Any]:
        """The entry as ``GET /v1/law/{act}/{section}`` and ``icjs law show`` give it: act,
        section, title, whether in force, and each limb with its condition (null for the plain
        offence), maximum and minimum punishment as ``{"kind", "years"}``, classes and source.
        ``asked`` is the section the caller asked for when a parent row answered it."""

        def term(punishment: Punishment | None) -> dict[str, Any] | None:
            return None if punishment is None else punishment.as_api()

        answer: dict[str, Any] = {
            "act": self.act.value,
            "section": self.section,
            "title": self.title,
            "in_force": self.in_force,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "in_force_note": self.in_force_note,
        }
        if asked is not None and asked != self.section:
            answer["asked"] = asked
        if self.act is Act.BNS:
            answer["predecessors"] = self.predecessors or []
        if self.act is Act.IPC:
            answer["successors"] = self.successors or []
        answer["limbs"] = [
            {
                "code": limb.code,
                "condition": limb.condition,
                "subsequent_conviction": limb.subsequent_conviction,
                "max_punishment": term(limb.max_punishment),
                "min_punishment": term(limb.min_punishment),
                "punishment_text": limb.punishment_text,
                "cognizable": limb.cognizable,
                "bailable": limb.bailable,
                "compoundable": limb.compoundable,
                "triable_by": limb.triable_by,
                **({"predecessors": limb.predecessors} if limb.predecessors else {}),
                **({"successors": limb.successors} if limb.successors else {}),
                "source": limb.source,
            }
            for limb in self.limbs
        ]
        return answer

    @property
    def gravest_limb(self) -> Limb:
        """The limb with the greatest maximum punishment (the first on a tie)."""
        best = self.limbs[0]
        for limb in self.limbs[1:]:
            if limb.max_punishment is not None and (
                best.max_punishment is None or limb.max_punishment > best.max_punishment
            ):
                best = limb
        return best


class ChargedLimb(CanonicalModel):
    """The limb of an offence that a charge means, and how it was decided."""

    offence: Offence
    entry: LawEntry
    limb: Limb
    assumed: bool = Field(
        default=False,
        description="The charge named no limb and the entry has no plain limb: the gravest "
        "limb is used.",
    )
    first_offence_limb: Limb | None = Field(
        default=None,
        description="Where the charged limb applies only on a subsequent conviction, the limb "
        "a first offender would face (None otherwise).",
    )


_FILE = TypeAdapter(dict[str, Any])
_ENTRIES = TypeAdapter(list[LawEntry])


@cache
def _table() -> dict[tuple[Act, str], LawEntry]:
    folder = resources.files("canonical_model").joinpath("data", _DATA_DIR)
    table: dict[tuple[Act, str], LawEntry] = {}
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if not item.name.endswith(".json"):
            continue
        document = _FILE.validate_json(item.read_bytes())
        try:
            entries = _ENTRIES.validate_python(document.get("entries"))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(p) for p in first["loc"])
            raise ValueError(f"{_DATA_DIR}/{item.name} /entries/{where}: {first['msg']}") from None
        for index, entry in enumerate(entries):
            key = (entry.act, entry.section)
            if key in table:
                raise ValueError(
                    f"{_DATA_DIR}/{item.name} /entries/{index}: {entry.act} {entry.section} twice"
                )
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

    An offence under another law that the table lacks, charged with its maximum punishment
    stated, gets an entry classed by Part II of the BNSS First Schedule.
    """
    table = _table()
    for section in _candidates(offence.section):
        entry = table.get((offence.act, section))
        if entry is not None:
            return entry
    if offence.act not in (Act.BNS, Act.IPC) and offence.stated_max_punishment is not None:
        return LawEntry(
            act=offence.act,
            section=offence.section,
            title=offence.act_name or f"an offence under the {offence.act.value} Act",
            limbs=[part_ii_limb(Punishment.from_stated(offence.stated_max_punishment))],
        )
    return None


def charged_limb(offence: Offence) -> ChargedLimb | None:
    """The limb ``offence`` is charged under, or None when the table does not know it (or the
    limb it names)."""
    entry = law_entry(offence)
    if entry is None:
        return None
    limb = entry.limb(offence.limb)
    assumed = False
    if limb is None:
        if offence.limb is not None:
            return None  # a limb the entry does not have: unknown, never guessed
        limb, assumed = entry.gravest_limb, True
    first = None
    if limb.subsequent_conviction:
        first = next((x for x in entry.limbs if not x.subsequent_conviction), None)
    return ChargedLimb(
        offence=offence, entry=entry, limb=limb, assumed=assumed, first_offence_limb=first
    )


def max_punishment(offence: Offence) -> Punishment | None:
    """The maximum punishment of the limb ``offence`` is charged under, or None when unknown:
    the table lacks it, it is another offence's (abetment), or the charge names no limb of a
    section that has no plain one (NDPS s.20 without the quantity). Consequences are never
    drawn from a limb the charge did not name."""
    found = charged_limb(offence)
    if found is None or found.assumed:
        return None
    return found.limb.max_punishment


def gravest(offences: Iterable[Offence]) -> tuple[Offence, Punishment] | None:
    """The known offence with the greatest maximum punishment (of its charged limb), with that
    punishment.

    Offences the table does not know are passed over; None when none is known. On a
    tie the first such offence is kept.
    """
    best: tuple[Offence, Punishment] | None = None
    for offence in offences:
        punishment = max_punishment(offence)
        if punishment is not None and (best is None or punishment > best[1]):
            best = (offence, punishment)
    return best


#: Where Part II of the BNSS First Schedule (offences against other laws) is cited from: the
#: shared BNSS text stops inside Part I, so the official schedule as published.
PART_II_SOURCE = "BNSS First Schedule, Part II (official schedule; not in the shared text)"


def part_ii_limb(punishment: Punishment) -> Limb:
    """The class Part II of the BNSS First Schedule gives an offence under another law, from its
    maximum punishment: death, life or more than 7 years: cognizable, non-bailable, Court of
    Session; 3 years and upwards but not more than 7: cognizable, non-bailable, Magistrate of
    the first class; less than 3 years or fine only: non-cognizable, bailable, any Magistrate.
    The other law's own provision prevails where it classes the offence itself (BNSS s.4(2))."""
    if punishment.death or punishment.life or (punishment.max_years or 0) > 7:
        cognizable, bailable, court = True, False, "Court of Session"
    elif (punishment.max_years or 0) >= 3:
        cognizable, bailable, court = True, False, "Magistrate of the first class"
    else:
        cognizable, bailable, court = False, True, "Any Magistrate"
    return Limb(
        max_punishment=punishment,
        cognizable=cognizable,
        bailable=bailable,
        triable_by=court,
        source=f"{PART_II_SOURCE}, from the maximum punishment stated",
    )


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


def _referenced(names: Iterable[str]) -> list[LawEntry]:
    table = _table()
    found = []
    for name in names:
        act, _, section = name.partition(" ")
        entry = table.get((Act(act), section))
        if entry is not None:
            found.append(entry)
    return found


def successors(entry: LawEntry) -> list[LawEntry]:
    """For an IPC entry, the BNS entries that replaced it (those the table holds)."""
    names = [*(entry.successors or [])]
    names += [n for limb in entry.limbs for n in limb.successors or [] if n not in names]
    return _referenced(names)


def predecessors(entry: LawEntry) -> list[LawEntry]:
    """For a BNS entry, the IPC entries it replaced (those the table holds)."""
    names = [*(entry.predecessors or [])]
    names += [n for limb in entry.limbs for n in limb.predecessors or [] if n not in names]
    return _referenced(names)


def find_entry(act: Act, section: str) -> LawEntry | None:
    """The entry numbered exactly ``section`` of ``act`` (no parent fallback), or None."""
    return _table().get((act, section))
