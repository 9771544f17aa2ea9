"""Personal data by law: whose identity a reader of a case may see, and the redaction of what
everyone else reads.

Three kinds of person are shown by identity only to the readers the law allows; every other
reader sees a role label (``victim V1``, ``juvenile A1``, ``witness W2``) in their place, in
free text too:

* **victims of sexual offences**: the Bharatiya Nyaya Sanhita, 2023 (BNS) s.72(1) punishes
  whoever "prints or publishes the name or any matter which may make known the identity of any
  person against whom an offence under section 64 or section 65 or section 66 or section 67 or
  section 68 or section 69 or section 70 or section 71 is alleged or found to have been
  committed"; the Indian Penal Code (IPC) s.228A(1) says the same of ss.376, 376A, 376AB, 376B,
  376C, 376D, 376DA, 376DB and 376E; the Protection of Children from Sexual Offences Act, 2012
  (POCSO) s.23(2) of "the identity of a child including his name, address, photograph, family
  details, school, neighbourhood or any other particulars", and s.33(7) charges the Special
  Court to keep it undisclosed. BNS s.72(2)(a) allows disclosure by the police investigating the
  offence, and the court trying it (BNSS s.366(2)-(3), in camera) and the prosecution conducting
  it (BNSS s.18, s.20) cannot do without it. The informant of such an offence is protected with
  the victim: an FIR of rape is most often laid by the victim herself or her family, whose names
  make her known.
* **children in conflict with law**: the Juvenile Justice (Care and Protection of Children) Act,
  2015 (JJ Act) s.74(1) forbids disclosing "the name, address or school or any other particular,
  which may lead to the identification of a child in conflict with law or ... a child victim or
  witness of a crime", save as the Juvenile Justice Board permits (its proviso); a child in
  conflict with law is one "who has not completed eighteen years of age on the date of
  commission of such offence" (s.2(13)). The Board inquires into the child's case (ss.4, 8), or
  the Children's Court the Board transfers the trial to (s.18(3)); a court trying adult
  co-accused, the prison (a child is never lodged in a jail, s.10(1)), the laboratory and the
  prosecution see a label.
* **protected witnesses**: a witness protection order under the State's Witness Protection Scheme
  (BNSS s.398: "Every State Government shall prepare and notify a Witness Protection Scheme")
  keeps the witness's identity from all but the police of the case and the court seized.

A child victim or witness of any offence is protected by JJ Act s.74(1) as well, and shown to
the same readers as the victim of a sexual offence.

Pure pieces the gateway composes:

* :data:`DISCLOSURE_RULES`: the table of who sees which protected identity, each row citing its
  sections (README "Personal data by law" prints it);
* :func:`reader_roles`: what a reader ``(pillar, institution)`` is to a case, from its status;
* :class:`ProtectedPerson` and :func:`fold_protected`: the protected persons of a case, folded
  from its events (``CaseStatus.protected_persons``);
* :class:`Redactor`, :func:`redactor_for` and :func:`disclose_status`: a JSON tree (what
  ``model_dump(mode="json")`` gives) as a reader not entitled may see it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from canonical_model.entities import Act, Offence, Person
from canonical_model.events import (
    ChargesheetFiled,
    EventPayload,
    FirRegistered,
    InmateAdmitted,
    PersonArrested,
)

if TYPE_CHECKING:  # lifecycle imports this module: no import of it at run time here
    from canonical_model.lifecycle import CaseStatus


# --------------------------------------------------------------------------- who reads


class ReaderRole(StrEnum):
    """What a reader is to a case: what entitles it to a protected identity."""

    POLICE_OF_CASE = "police_of_case"  # the police of the case's station, district or State
    COURT_SEIZED = "court_seized"  # a court that is or was seized of the case
    JJB_SEIZED = "jjb_seized"  # the Juvenile Justice Board seized of the child (or its
    # Children's Court, JJ Act s.18(3))
    PROSECUTION_HANDLING = "prosecution_handling"  # the office handling it, or routed a report
    OPERATOR = "operator"  # the gateway's operators, custodians of every record


#: The level the institution directory gives a Juvenile Justice Board (JJ Act 2015 s.4).
JUVENILE_JUSTICE_BOARD = "juvenile_justice_board"


def courts_seized(status: CaseStatus) -> set[str]:
    """Every court that is or was seized of the case: the one seized now and every seizure."""
    courts = {seizure.court for seizure in status.seized_courts}
    if status.court is not None:
        courts.add(status.court)
    return courts


def prosecution_offices(status: CaseStatus) -> set[str]:
    """The prosecution offices of the case: the one handling it (the current prosecutor's, else
    the one monitoring it) and every office a police report of the case went to, for scrutiny
    or for monitoring (BNSS s.20)."""
    prosecution = status.prosecution
    offices = {
        str(office)
        for report in prosecution.reports
        for version in report.versions
        for office in version.routing.offices()
    }
    for office in (prosecution.handling_office(), prosecution.routed_to):
        if office is not None:
            offices.add(office)
    return offices


class DisclosurePolicy(Protocol):
    """The part of a pillar's policy (:class:`canonical_model.policy.Policy`) that says what
    its institutions are to a case."""

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """The institution's roles in the case."""
        ...


def reader_roles(
    status: CaseStatus,
    *,
    policy: DisclosurePolicy,
    institution: str,
    court_levels: Mapping[str, str] | None = None,
) -> frozenset[ReaderRole]:
    """The roles of ``institution``, of the pillar whose ``policy`` is given, in the case
    ``status`` describes: each pillar's policy says what its institutions may be to a case
    (:meth:`canonical_model.policy.Policy.disclosure_roles`). Registries, prisons and
    laboratories are never entitled: they get no role.

    ``court_levels`` maps court establishment codes to their level in the institution directory
    (``magistrate``, ``sessions``, ``high_court``, ``juvenile_justice_board``), for the codes
    :func:`levels_needed` names.
    """
    return policy.disclosure_roles(institution, status, court_levels=court_levels or {})


def court_roles(
    status: CaseStatus, *, institution: str, court_levels: Mapping[str, str]
) -> frozenset[ReaderRole]:
    """What court ``institution`` is to the case: seized (now or before), and the Juvenile
    Justice Board seized of the child when its level says so; a court the Board committed or
    transferred the case to is the Children's Court trying the child (JJ Act s.18(3))."""
    if institution not in courts_seized(status):
        return frozenset()
    roles = {ReaderRole.COURT_SEIZED}
    from_board = any(
        seizure.court == institution
        and seizure.by is not None
        and court_levels.get(seizure.by) == JUVENILE_JUSTICE_BOARD
        for seizure in status.seized_courts
    )
    if court_levels.get(institution) == JUVENILE_JUSTICE_BOARD or from_board:
        roles.add(ReaderRole.JJB_SEIZED)
    return frozenset(roles)


def levels_needed(status: CaseStatus, *, institution: str) -> list[str]:
    """The codes whose directory level :func:`court_roles` needs for a reader: its own and
    those of the courts that sent the case to it (codes that are not courts' find none)."""
    senders = [s.by for s in status.seized_courts if s.court == institution and s.by is not None]
    return [institution, *senders]


# --------------------------------------------------------------------------- the table


class ProtectedKind(StrEnum):
    """The kinds of protected person."""

    VICTIM = "victim"
    JUVENILE = "juvenile"
    PROTECTED_WITNESS = "protected_witness"


class Protection(StrEnum):
    """Why a person is protected: one row of :data:`DISCLOSURE_RULES` each."""

    SEXUAL_OFFENCE_VICTIM = "sexual_offence_victim"
    CHILD_IN_CONFLICT_WITH_LAW = "child_in_conflict_with_law"
    CHILD_VICTIM_OR_WITNESS = "child_victim_or_witness"
    PROTECTED_WITNESS = "protected_witness"


@dataclass(frozen=True)
class DisclosureRule:
    """One row of the table: who is protected, by which sections, and who may see them."""

    protection: Protection
    who: str
    law: str
    readers: frozenset[ReaderRole]


_POLICE, _COURT, _JJB, _PROSECUTION, _OPERATOR = (
    ReaderRole.POLICE_OF_CASE,
    ReaderRole.COURT_SEIZED,
    ReaderRole.JJB_SEIZED,
    ReaderRole.PROSECUTION_HANDLING,
    ReaderRole.OPERATOR,
)

#: Who sees which protected identity (name, parentage, address, identity documents, date of
#: birth, anything that identifies); every other reader sees the person's label.
DISCLOSURE_RULES: dict[Protection, DisclosureRule] = {
    rule.protection: rule
    for rule in (
        DisclosureRule(
            Protection.SEXUAL_OFFENCE_VICTIM,
            "the victim (and the informant) of an offence under BNS ss.64-71, IPC ss.376, "
            "376A-376E (376AB, 376DA, 376DB included) or any offence of the POCSO Act, 2012",
            "BNS s.72 (its (2)(a): the police investigating); IPC s.228A; POCSO Act 2012 "
            "ss.23, 33(7); BNSS s.366(2)-(3) (trial in camera)",
            frozenset({_POLICE, _COURT, _PROSECUTION, _OPERATOR}),
        ),
        DisclosureRule(
            Protection.CHILD_IN_CONFLICT_WITH_LAW,
            "an accused flagged juvenile, or under 18 on the date of the offence",
            "JJ Act 2015 s.74(1) (disclosure only as the Board permits), s.2(13); the Board "
            "inquires (ss.4, 8) or its Children's Court tries the child (s.18(3))",
            frozenset({_POLICE, _JJB, _OPERATOR}),
        ),
        DisclosureRule(
            Protection.CHILD_VICTIM_OR_WITNESS,
            "a victim or witness under 18 (any offence)",
            "JJ Act 2015 s.74(1): a child victim or witness of a crime",
            frozenset({_POLICE, _COURT, _PROSECUTION, _OPERATOR}),
        ),
        DisclosureRule(
            Protection.PROTECTED_WITNESS,
            "a witness under a witness protection order",
            "BNSS s.398 (the State's Witness Protection Scheme)",
            frozenset({_POLICE, _COURT, _OPERATOR}),
        ),
    )
}


class ProtectedPerson(BaseModel):
    """A person of the case whose identity the law protects, and how to hide it.

    ``names`` are what is scrubbed from every text a reader not entitled sees: the name, the
    aliases, the father's, mother's and spouse's names. ``protection`` is None for a victim or
    informant of a case that has no sexual offence (yet): recorded so that she is protected as
    soon as one appears.
    """

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(description="The person's reference in the case (A1, V1, W2).")
    kind: ProtectedKind
    label: str = Field(description='What readers not entitled see instead ("victim V1").')
    names: list[str] = Field(default_factory=list, description="The names to scrub.")
    protection: Protection | None = Field(
        default=None, description="Why the person is protected; None: not (yet) protected."
    )
    reason: str | None = Field(default=None, description="The sections that protect them.")

    def entitled(self, roles: Iterable[ReaderRole]) -> bool:
        """Whether a reader with ``roles`` may see this person's identity."""
        if self.protection is None:
            return True
        return not DISCLOSURE_RULES[self.protection].readers.isdisjoint(roles)


def hidden_persons(status: CaseStatus, roles: Iterable[ReaderRole]) -> list[ProtectedPerson]:
    """The protected persons of the case whose identity a reader with ``roles`` may not see."""
    roles = frozenset(roles)
    return [p for p in status.protected_persons if not p.entitled(roles)]


# --------------------------------------------------------------------------- which offences

#: IPC sections whose victims IPC s.228A protects (its sub-section (1), as amended in 2018).
IPC_SEXUAL_OFFENCES = frozenset(
    {"376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB", "376E"}
)
#: BNS sections whose victims BNS s.72 protects.
BNS_SEXUAL_OFFENCES = frozenset(str(n) for n in range(64, 72))
_BASE_SECTION = re.compile(r"^[0-9]+[A-Z]*")


def is_sexual_offence(offence: Offence) -> bool:
    """Whether the victim of ``offence`` may not be identified: BNS ss.64-71 (s.72), IPC
    ss.376-376E (s.228A), any POCSO Act offence (s.23). Sub-sections count with their section
    (``64(2)``, ``376(2)(n)``)."""
    match = _BASE_SECTION.match(offence.section)
    base = match.group(0) if match else offence.section
    if offence.act is Act.BNS:
        return base in BNS_SEXUAL_OFFENCES
    if offence.act is Act.IPC:
        return base in IPC_SEXUAL_OFFENCES
    return offence.act is Act.POCSO


def protects_victims(offences: Iterable[Offence]) -> bool:
    """Whether any of ``offences`` is one whose victims may not be identified."""
    return any(is_sexual_offence(o) for o in offences)


def case_offences(status: CaseStatus) -> list[Offence]:
    """Every offence the case has named: its offences and each accused's charges."""
    return [*status.offences, *(o for person in status.accused for o in person.offences)]


# --------------------------------------------------------------------------- the fold

#: Under this age on the date of the offence a person is a child (JJ Act 2015 s.2(12)).
CHILD_UNTIL = 18


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def is_child(person: Person, offence_day: dt.date | None) -> bool:
    """Whether ``person`` was a child on the day of the offence: flagged juvenile, an age under
    18 as stated (the age on the date of the report, never less than on the offence's), or a
    date of birth less than 18 years before ``offence_day``."""
    if person.juvenile:
        return True
    if person.age is not None and person.age < CHILD_UNTIL:
        return True
    if person.date_of_birth is not None and offence_day is not None:
        return age_on(person.date_of_birth, offence_day) < CHILD_UNTIL
    return False


def names_of(person: Person) -> list[str]:
    """The names by which ``person`` may be known: name, aliases, parents', spouse's."""
    names = [person.name, *person.aliases, person.father_name, person.mother_name]
    return [n for n in (*names, person.spouse_name) if n]


def _protected(
    persons: list[ProtectedPerson], ref: str, kind: ProtectedKind, prefix: str
) -> ProtectedPerson:
    for person in persons:
        if person.ref == ref:
            return person
    person = ProtectedPerson(ref=ref, kind=kind, label=f"{prefix} {ref}")
    persons.append(person)
    return person


def _add_names(person: ProtectedPerson, names: Iterable[str]) -> None:
    known = {n.casefold() for n in person.names}
    for name in names:
        if name.casefold() not in known:
            person.names.append(name)
            known.add(name.casefold())


#: The stronger protection wins when a person has two: a court's order, then a sexual offence.
_PRECEDENCE = (
    Protection.CHILD_IN_CONFLICT_WITH_LAW,
    Protection.PROTECTED_WITNESS,
    Protection.SEXUAL_OFFENCE_VICTIM,
    Protection.CHILD_VICTIM_OR_WITNESS,
)


def _protect(person: ProtectedPerson, protection: Protection | None) -> None:
    if protection is None:
        return
    if person.protection is None or _PRECEDENCE.index(protection) < _PRECEDENCE.index(
        person.protection
    ):
        person.protection = protection
        person.reason = DISCLOSURE_RULES[protection].law


def _accused(persons: list[ProtectedPerson], person: Person, day: dt.date | None) -> None:
    known = next((p for p in persons if p.ref == person.ref), None)
    if known is None and not is_child(person, day):
        return
    found = known or _protected(persons, person.ref, ProtectedKind.JUVENILE, "juvenile")
    _protect(found, Protection.CHILD_IN_CONFLICT_WITH_LAW if is_child(person, day) else None)
    _add_names(found, names_of(person))


def _victim(
    persons: list[ProtectedPerson],
    person: Person,
    day: dt.date | None,
    *,
    sexual: bool,
    prefix: str,
) -> None:
    # Every victim and the informant are recorded, protected or not: a sexual offence charged
    # later protects them from then on.
    found = _protected(persons, person.ref, ProtectedKind.VICTIM, prefix)
    _protect(found, Protection.SEXUAL_OFFENCE_VICTIM if sexual else None)
    _protect(found, Protection.CHILD_VICTIM_OR_WITNESS if is_child(person, day) else None)
    _add_names(found, names_of(person))


def _witness(persons: list[ProtectedPerson], person: Person, day: dt.date | None) -> None:
    known = next((p for p in persons if p.ref == person.ref), None)
    protection: Protection | None = None
    if person.identity_protected:
        protection = Protection.PROTECTED_WITNESS
    elif is_child(person, day):
        protection = Protection.CHILD_VICTIM_OR_WITNESS
    if known is None and protection is None:
        return
    found = known or _protected(persons, person.ref, ProtectedKind.PROTECTED_WITNESS, "witness")
    _protect(found, protection)
    _add_names(found, names_of(person))


def _offence_day(status: CaseStatus, fallback: dt.date) -> dt.date:
    """The day an age is measured on for a person first described after the FIR: the FIR's
    registration (the offence was on or before it), else the event's own day."""
    return status.fir_registered_at.date() if status.fir_registered_at else fallback


def _inmate(status: CaseStatus, payload: InmateAdmitted) -> None:
    # The accused the lifecycle is about to match the inmate to (as it does, before it does).
    from canonical_model.lifecycle import inmate_by_prisoner, match_accused

    inmate = payload.admission.inmate
    accused = inmate_by_prisoner(status, str(inmate.prisoner)) or match_accused(
        status, accused_ref=inmate.accused_ref, name=inmate.name, father_name=inmate.father_name
    )
    ref = accused.ref if accused is not None else str(inmate.prisoner)
    persons = status.protected_persons
    known = next((p for p in persons if p.ref == ref), None)
    child = inmate.age is not None and inmate.age < CHILD_UNTIL
    if known is None and not child:
        return
    found = known or _protected(persons, ref, ProtectedKind.JUVENILE, "juvenile")
    _protect(found, Protection.CHILD_IN_CONFLICT_WITH_LAW if child else None)
    _add_names(found, [n for n in (inmate.name, inmate.father_name) if n])


def _payload_offences(payload: EventPayload) -> list[Offence]:
    match payload:
        case FirRegistered(fir=fir):
            return list(fir.offences)
        case ChargesheetFiled(report=report):
            return [*report.offences, *(o for a in report.accused for o in a.offences)]
    return []


def fold_protected(status: CaseStatus, payload: EventPayload) -> None:
    """Fold one event's persons into ``status.protected_persons`` (in place), before the event
    itself is applied to the status.

    The FIR's accused, victims, informant and witnesses; an arrested person; a charge sheet's
    accused and witnesses; an inmate (whose name as the prison writes it is one more name of
    the accused it is). Once a sexual offence appears in the case (its offences, any accused's
    charges, this event's), every victim and the informant are protected, those named before
    too, and stay so (BNS s.72: an offence "alleged or found").
    """
    persons = status.protected_persons
    sexual = (
        protects_victims(_payload_offences(payload))
        or protects_victims(case_offences(status))
        or any(p.protection is Protection.SEXUAL_OFFENCE_VICTIM for p in persons)
    )
    match payload:
        case FirRegistered(fir=fir):
            day = (fir.occurred_from or fir.registered_at).date()
            for person in fir.accused:
                _accused(persons, person, day)
            for person in fir.victims:
                _victim(persons, person, day, sexual=sexual, prefix="victim")
            _victim(persons, fir.complainant, day, sexual=sexual, prefix="complainant")
            for person in fir.witnesses:
                _witness(persons, person, day)
        case PersonArrested(arrest=arrest):
            _accused(persons, arrest.person, _offence_day(status, arrest.arrested_at.date()))
        case ChargesheetFiled(report=report):
            day = _offence_day(status, report.filed_on)
            for charged in report.accused:
                _accused(persons, charged.person, day)
            for person in report.witnesses:
                _witness(persons, person, day)
        case InmateAdmitted():
            _inmate(status, payload)
        case _:
            pass
    if sexual:
        for protected in persons:
            if protected.kind is ProtectedKind.VICTIM:
                _protect(protected, Protection.SEXUAL_OFFENCE_VICTIM)


# --------------------------------------------------------------------------- redaction

#: Honorifics and forms of address that are not part of a name to scrub.
HONORIFICS = frozenset(
    {
        "smt",
        "shri",
        "shree",
        "sri",
        "shrimati",
        "srimati",
        "sushri",
        "kumari",
        "kum",
        "mrs",
        "miss",
        "master",
        "late",
        "baby",
        "mst",
    }
)
#: Parts of a name shorter than this are not scrubbed on their own (initials, "Md").
MIN_PART = 3
#: Parts at least this long are scrubbed inside longer words too ("Sunitaben", "Sunitaji");
#: shorter ones only as whole words ("Ram" never eats "Ramesh").
ANYWHERE_PART = 5

#: Person fields that identify, dropped (emptied or nulled) for a reader not entitled (on a
#: vehicle owner's or licence holder's record too, when the name is a protected one).
IDENTIFYING_LISTS = ("aliases", "addresses", "identity_documents")
IDENTIFYING_VALUES = (
    "address",
    "father_name",
    "mother_name",
    "spouse_name",
    "date_of_birth",
    "driving_licence",
)
#: Members holding identifiers (case numbers, codes, references, hashes): their values are never
#: scrubbed, so that a redacted payload still validates as the canonical model (an object under
#: such a name, as the FIR record under ``fir``, is redacted like any other).
IDENTIFIER_KEYS = frozenset(
    {
        "ref",
        "accused_ref",
        "accused_refs",
        "fir",
        "cnr",
        "court",
        "to_court",
        "issued_by",
        "produced_before",
        "establishment",
        "filing_number",
        "registration_number",
        "prisoner",
        "to_prisoner",
        "inmates",
        "prison",
        "lab",
        "lab_case",
        "request_id",
        "exhibit_id",
        "office",
        "prosecution_office",
        "prosecution_number",
        "sha256",
        "document_sha256",
        "registration",
        "chassis",
        "engine",
        "licence",
        "case_id",
        "identifiers",
        "police_station",
        "prisoner_number",
        "prisoner_numbers",
        "routed_to",
        "supersedes",
        "report_number",
        "person_ref",
        "event_id",
        "receipt_id",
        "vehicle_id",
        "stolen_case_id",
        "found_case_id",
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")
_SEPARATORS = re.compile(r"[\W_]+")
#: What may stand between the parts of a name ("Sunita   Devi", "Sunita.Devi", "SunitaDevi").
_BETWEEN = r"[\W_]*+"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
#: What a person of the case whose own name is a protected one is shown as, after the ref.
WITHHELD = "(name withheld)"
#: The label used where a scrubbed text's owner cannot be told (never expected).
FALLBACK_LABEL = "[withheld]"


def name_parts(name: str) -> list[str]:
    """The parts of a name, honorifics left out: ``Smt. Sunita Devi`` -> Sunita, Devi."""
    return [w for w in _LETTERS.findall(name) if w.casefold() not in HONORIFICS]


def _runs(parts: list[str]) -> list[list[str]]:
    """The ways a name of several parts is written whole: every run of two parts or more in
    order (``Sunita Devi``, ``Devi Pawar``, ``Sunita Devi Pawar``) and the first with the last
    (``Sunita Pawar``)."""
    runs = [parts[i:j] for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)]
    if len(parts) > 2:
        runs.append([parts[0], parts[-1]])
    return runs


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text).lower()


class Redactor:
    """Redaction of a case's JSON trees for a reader not entitled to ``persons``.

    One regular expression per case: every name of every person (its parts in order, whatever
    stands between them) and every part of three letters or more, case ignored, each replaced
    by its person's label. Scrubbing a text is one pass of it; redacting a tree visits each node
    once.
    """

    def __init__(self, persons: Iterable[ProtectedPerson]) -> None:
        self.persons = [p for p in persons if p.protection is not None]
        self.labels = {p.ref: p.label for p in self.persons}
        self._label_of: dict[str, str] = {}
        # Each spelling once (by its lower-case parts), longest first: the alternation takes
        # the first that matches, so a whole name wins over its parts.
        whole: dict[tuple[str, ...], list[str]] = {}
        words: dict[str, str] = {}
        anywhere: dict[str, str] = {}
        for person in self.persons:
            for name in person.names:
                parts = name_parts(name)
                for run in _runs(parts):
                    whole.setdefault(tuple(p.lower() for p in run), run)
                    self._label_of.setdefault(_compact("".join(run)), person.label)
                for part in parts:
                    if len(part) < MIN_PART:
                        continue
                    self._label_of.setdefault(part.lower(), person.label)
                    (anywhere if len(part) >= ANYWHERE_PART else words).setdefault(
                        part.lower(), part
                    )
        alternatives = [
            _BETWEEN.join(re.escape(p) for p in run)
            for run in sorted(whole.values(), key=lambda run: -sum(map(len, run)))
        ]
        alternatives += [re.escape(p) for p in sorted(anywhere.values(), key=len, reverse=True)]
        if words:
            bounded = "|".join(re.escape(w) for w in sorted(words.values(), key=len, reverse=True))
            alternatives.append(f"{_NOT_LETTER_BEFORE}(?:{bounded}){_NOT_LETTER_AFTER}")
        self._pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        labels = "|".join(re.escape(label) for label in sorted(set(self._label_of.values())))
        self._repeated = (
            re.compile(rf"(?P<label>{labels})(?:[\s._-]*+(?P=label))+") if labels else None
        )

    @property
    def empty(self) -> bool:
        """Whether there is nothing to hide: trees pass unchanged."""
        return not self.persons

    def _label(self, match: re.Match[str]) -> str:
        return self._label_of.get(_compact(match.group(0)), FALLBACK_LABEL)

    def scrub(self, text: str) -> str:
        """``text`` with every protected name, and every part of one, replaced by its label."""
        if self._pattern is None:
            return text
        scrubbed = self._pattern.sub(self._label, text)
        # "Sunita Ramrao Pawar" is her name and her father's: one label, not two in a row.
        return self._repeated.sub(r"\g<label>", scrubbed) if self._repeated else scrubbed

    def redact(self, tree: Any, *, bounded: bool = False) -> Any:
        """A copy of the JSON ``tree`` as a reader not entitled may see it.

        A person object (a ``ref``, or an inmate's ``accused_ref``, with a ``name``) of a
        protected person gets the label as its name and loses every identifying field (aliases,
        addresses, identity documents, parents' and spouse's names, date of birth, driving
        licence). So does a person object whose name is wholly a protected name (the victim's
        father accused: ``A2 (name withheld)``; one sharing a part of it has that part
        scrubbed), and a record of a person without a reference
        (a vehicle's owner, a licence's holder) whose name is one. Every text anywhere is
        scrubbed. Members holding identifiers
        (:data:`IDENTIFIER_KEYS`) are left as they are. ``bounded`` keeps every text within
        its length (cut short where labels would make it longer), for a tree that must
        validate again against length limits.
        """
        if self.empty:
            return tree
        return self._redact(tree, bounded)

    def _redact(self, node: Any, bounded: bool) -> Any:
        if isinstance(node, str):
            scrubbed = self.scrub(node)
            if bounded and len(scrubbed) > len(node):
                return scrubbed[: len(node)]
            return scrubbed
        if isinstance(node, list):
            return [self._redact(item, bounded) for item in node]
        if not isinstance(node, dict):
            return node
        label = self._person_label(node)
        named = label is not None or self._names_someone(node)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in IDENTIFIER_KEYS and (key == "identifiers" or not isinstance(value, dict)):
                out[key] = value
            elif label is not None and key == "name":
                out[key] = label
            elif named and key in IDENTIFYING_LISTS:
                out[key] = []
            elif named and key in IDENTIFYING_VALUES:
                out[key] = None
            else:
                out[key] = self._redact(value, bounded)
        return out

    def _person_label(self, node: dict[str, Any]) -> str | None:
        name = node.get("name")
        if not isinstance(name, str):
            return None
        for key in ("ref", "accused_ref"):
            ref = node.get(key)
            if isinstance(ref, str) and ref in self.labels:
                return self.labels[ref]
        for key in ("ref", "accused_ref"):
            ref = node.get(key)
            if isinstance(ref, str) and self._only_protected(name):
                return f"{ref} {WITHHELD}"
        return None

    def _only_protected(self, name: str) -> bool:
        """Whether ``name`` is wholly a protected name (not merely shares a part with one)."""
        scrubbed = self.scrub(name)
        if scrubbed == name:
            return False
        for label in set(self._label_of.values()):
            scrubbed = scrubbed.replace(label, "")
        return not _LETTERS.search(" ".join(name_parts(scrubbed)))

    def _names_someone(self, node: dict[str, Any]) -> bool:
        """Whether ``node`` is a record of a person without a reference in the case (a
        vehicle's owner, a licence's holder) whose name is a protected name."""
        if "ref" in node or "accused_ref" in node:
            return False
        return any(
            isinstance(node.get(key), str) and self.scrub(node[key]) != node[key]
            for key in ("name", "holder")
        )


def redactor_for(status: CaseStatus, roles: Iterable[ReaderRole]) -> Redactor:
    """The redactor of the case for a reader with ``roles`` (empty when it is entitled to all)."""
    return Redactor(hidden_persons(status, roles))


def public_view(person: ProtectedPerson) -> dict[str, Any]:
    """What a reader not entitled learns of a protected person: reference, kind and label."""
    return {"ref": person.ref, "kind": person.kind.value, "label": person.label}


def disclose_status(
    tree: dict[str, Any], status: CaseStatus, roles: Iterable[ReaderRole]
) -> dict[str, Any]:
    """The status ``tree`` (``status.model_dump(mode="json")``, perhaps with computed members)
    as a reader with ``roles`` may see it.

    Persons it may not see are labels, in every member and every text; ``protected_persons``
    lists them by reference, kind and label only. The police of the case and operators see the
    status whole; other readers do not see the victims and informant of a case with no sexual
    offence listed there (they are no one's business in it).
    """
    roles = frozenset(roles)
    redactor = redactor_for(status, roles)
    if roles & {ReaderRole.POLICE_OF_CASE, ReaderRole.OPERATOR} and redactor.empty:
        return tree
    rest = {k: v for k, v in tree.items() if k != "protected_persons"}
    out: dict[str, Any] = redactor.redact(rest)
    listed: list[dict[str, Any]] = []
    for person in status.protected_persons:
        if person.protection is None:
            continue
        listed.append(
            person.model_dump(mode="json") if person.entitled(roles) else public_view(person)
        )
    out["protected_persons"] = listed
    return out
