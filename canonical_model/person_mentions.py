"""Who an event names in a criminal role, and what it says happened to them: the input of the
person index (issue 13).

A *record* is one person as one source knows them: an accused of one case (``A1`` of that
case's FIR, the same person when the arrest, the charge sheet and the judgment name ``A1``),
an inmate a prison admitted on that case's warrant, or the holder of one driving licence.
The index links records into persons across cases, States and pillars; this module only
says, for one event, which records it states identity for (:class:`PersonMention`) and which
facts it adds to records it names by reference (:class:`PersonFact` inside
:class:`FactFor`).

Victims, complainants and witnesses are never mentions: the index is a record of criminal
antecedents, and naming a victim of a sexual offence in one would itself be an offence
(BNS s.72). Identity documents are kept only as digests of their numbers, enough to tell
that two records carry the same document and useless for reading it back (Aadhaar
(Targeted Delivery ...) Act, 2016 s.29 limits the sharing of the number).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from canonical_model.entities import IST, Person, Verdict
from canonical_model.events import (
    ChargesheetFiled,
    EventPayload,
    FirRegistered,
    InmateAdmitted,
    InmateConvicted,
    InmateReleased,
    JudgmentDelivered,
    LicenceRecordReceived,
    PersonArrested,
)


class Role(StrEnum):
    """What a record's person was to its source."""

    ACCUSED = "accused"
    ARRESTED = "arrested"
    CHARGED = "charged"
    INMATE = "inmate"
    CONVICT = "convict"
    ACQUITTED = "acquitted"
    LICENCE_HOLDER = "licence_holder"


#: The roles that make a record part of someone's criminal antecedents; a person known only
#: as a licence holder is no search result.
CRIMINAL_ROLES = frozenset(Role) - {Role.LICENCE_HOLDER}


@dataclass(frozen=True, slots=True)
class PersonFact:
    """Something that happened to a record's person: arrested, charged, admitted, released,
    convicted, acquitted. ``detail`` holds short strings only (court, prison, sections)."""

    kind: str
    on: dt.date | None
    detail: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The fact as JSON-ready data."""
        return {
            "kind": self.kind,
            "on": self.on.isoformat() if self.on else None,
            **dict(self.detail),
        }


@dataclass(frozen=True, slots=True)
class PersonMention:
    """What one event states about one record's identity (and, with ``fact``, what happened).

    ``record_key`` names the record: ``case:<case id>:<party ref>`` for a party of a case,
    ``case:<case id>:prisoner:<prisoner number>`` for an inmate whose warrant named no
    party, ``licence:<number>`` for a licence holder. Age is as stated on ``stated_on``, so
    that a birth year can be estimated and ages stated years apart still compare.
    """

    record_key: str
    role: Role
    name: str
    case_id: str | None = None
    party_ref: str | None = None
    aliases: tuple[str, ...] = ()
    father_name: str | None = None
    gender: str = "unknown"
    date_of_birth: dt.date | None = None
    age: int | None = None
    stated_on: dt.date | None = None
    state: str | None = None
    district: str | None = None
    identifiers: tuple[str, ...] = ()
    juvenile: bool = False
    fir: str | None = None
    police_station: str | None = None
    fact: PersonFact | None = None

    @property
    def birth_year(self) -> int | None:
        """The year of birth, stated or estimated from the age on the day it was stated."""
        if self.date_of_birth is not None:
            return self.date_of_birth.year
        if self.age is not None and self.stated_on is not None:
            return self.stated_on.year - self.age
        return None


@dataclass(frozen=True, slots=True)
class FactFor:
    """A fact about a record named by its case and party ref, or by an identifier it carries
    within the case (a prisoner number): a judgment names ``A1`` and no name."""

    case_id: str
    fact: PersonFact
    party_ref: str | None = None
    identifier: str | None = None
    role: Role | None = field(default=None)


PersonUpdate = PersonMention | FactFor


def document_identifier(kind: str, number: str) -> str:
    """An identity document as the index keeps it: its kind and a digest of its number
    (spaces and case ignored), never the number."""
    folded = "".join(number.split()).upper()
    digest = hashlib.sha256(f"{kind}:{folded}".encode()).hexdigest()[:24]
    return f"{kind}:{digest}"


def licence_identifier(number: str) -> str:
    """A driving licence as an identifier of the index (its number is no secret: Sarathi's
    look-ups print it)."""
    return "dl:" + "".join(number.split()).upper()


def prisoner_identifier(key: str) -> str:
    """A prisoner number (institution-qualified) as an identifier of the index."""
    return "prisoner:" + key


def _person_mention(
    person: Person,
    *,
    role: Role,
    case_id: str,
    stated_on: dt.date,
    fir: str | None,
    state: str | None,
    fact: PersonFact | None = None,
) -> PersonMention:
    identifiers = [document_identifier(d.kind.value, d.number) for d in person.identity_documents]
    if person.driving_licence is not None:
        identifiers.append(licence_identifier(str(person.driving_licence)))
    address = next((a for a in person.addresses if a.district or a.state), None)
    return PersonMention(
        record_key=f"case:{case_id}:{person.ref}",
        role=role,
        name=person.name,
        case_id=case_id,
        party_ref=person.ref,
        aliases=tuple(person.aliases),
        father_name=person.father_name or person.spouse_name,
        gender=person.gender.value,
        date_of_birth=person.date_of_birth,
        age=person.age,
        stated_on=stated_on,
        state=(address.state if address and address.state else state),
        district=address.district if address else None,
        identifiers=tuple(sorted(set(identifiers))),
        juvenile=person.juvenile,
        fir=fir,
        police_station=_station(fir),
        fact=fact,
    )


def _station(fir: str | None) -> str | None:
    return "/".join(fir.split("/")[:3]) if fir else None


def _sections(offences: object) -> str:
    return ", ".join(str(o) for o in offences)  # type: ignore[attr-defined]


def person_updates(payload: EventPayload, *, case_id: str | None) -> list[PersonUpdate]:
    """The records ``payload`` states identity for and the facts it adds, in its order.

    ``case_id`` is the event's subject. An age counts from the day of the document that
    states it (the FIR's registration, the arrest, the filing, the admission). An event that
    names nobody in a criminal role gives nothing.
    """
    match payload:
        case LicenceRecordReceived(record=record):
            return [
                PersonMention(
                    record_key=f"licence:{record.licence}",
                    role=Role.LICENCE_HOLDER,
                    name=record.holder,
                    father_name=record.father_name,
                    date_of_birth=record.date_of_birth,
                    stated_on=record.as_of,
                    state=record.licence.state,
                    identifiers=(licence_identifier(str(record.licence)),),
                    fact=PersonFact("licence", record.as_of, (("status", record.status.value),)),
                )
            ]
    if case_id is None:
        return []
    match payload:
        case FirRegistered(fir=fir):
            number = str(fir.fir)
            stated = fir.registered_at.astimezone(IST).date()
            fact = PersonFact(
                "named_in_fir", stated, (("fir", number), ("sections", _sections(fir.offences)))
            )
            return [
                _person_mention(
                    person,
                    role=Role.ACCUSED,
                    case_id=case_id,
                    stated_on=stated,
                    fir=number,
                    state=fir.fir.state,
                    fact=fact,
                )
                for person in fir.accused
            ]
        case PersonArrested(arrest=arrest):
            on = arrest.arrested_at.astimezone(IST).date()
            detail = [("fir", str(arrest.fir))]
            if arrest.place is not None:
                detail.append(("place", arrest.place.description[:200]))
            return [
                _person_mention(
                    arrest.person,
                    role=Role.ARRESTED,
                    case_id=case_id,
                    stated_on=on,
                    fir=str(arrest.fir),
                    state=arrest.fir.state,
                    fact=PersonFact("arrested", on, tuple(detail)),
                )
            ]
        case ChargesheetFiled(report=report):
            return [
                _person_mention(
                    charged.person,
                    role=Role.CHARGED,
                    case_id=case_id,
                    stated_on=report.filed_on,
                    fir=str(report.fir),
                    state=report.fir.state,
                    fact=PersonFact(
                        f"{report.kind.value}_filed",
                        report.filed_on,
                        (
                            ("court", str(report.court)),
                            ("report_number", report.report_number),
                            ("sections", _sections(charged.offences)),
                            ("custody", charged.custody.value),
                        ),
                    ),
                )
                for charged in report.accused
            ]
        case InmateAdmitted(admission=admission):
            inmate = admission.inmate
            prisoner = inmate.prisoner.key()
            ref = inmate.accused_ref
            warrant_fir = admission.warrant.fir
            return [
                PersonMention(
                    record_key=f"case:{case_id}:{ref}" if ref else f"case:{case_id}:{prisoner}",
                    role=Role.INMATE,
                    name=inmate.name,
                    case_id=case_id,
                    party_ref=ref,
                    father_name=inmate.father_name,
                    gender=inmate.gender.value,
                    age=inmate.age,
                    stated_on=admission.admitted_on,
                    state=warrant_fir.state if warrant_fir else None,
                    identifiers=(prisoner_identifier(prisoner),),
                    fir=str(warrant_fir) if warrant_fir else None,
                    police_station=_station(str(warrant_fir)) if warrant_fir else None,
                    fact=PersonFact(
                        "admitted",
                        admission.admitted_on,
                        (
                            ("prison", inmate.prisoner.institution),
                            ("category", admission.category.value),
                            (
                                "warrant",
                                f"{admission.warrant.kind.value} of {admission.warrant.court}",
                            ),
                        ),
                    ),
                )
            ]
        case InmateReleased(release=release):
            return [
                FactFor(
                    case_id=case_id,
                    identifier=prisoner_identifier(release.prisoner.key()),
                    fact=PersonFact(
                        "released",
                        release.released_on,
                        (
                            ("prison", release.prisoner.institution),
                            ("reason", release.reason.value),
                        ),
                    ),
                )
            ]
        case InmateConvicted(conviction=conviction):
            return [
                FactFor(
                    case_id=case_id,
                    identifier=prisoner_identifier(conviction.prisoner.key()),
                    role=Role.CONVICT,
                    fact=PersonFact(
                        "convicted",
                        conviction.convicted_on,
                        (("court", str(conviction.warrant.court)),),
                    ),
                )
            ]
        case JudgmentDelivered(judgment=judgment):
            updates: list[PersonUpdate] = []
            for verdict in judgment.verdicts:
                detail = [("cnr", str(judgment.cnr)), ("verdict", verdict.verdict.value)]
                if verdict.offences:
                    detail.append(("sections", _sections(verdict.offences)))
                if verdict.sentence is not None and verdict.sentence.description:
                    detail.append(("sentence", verdict.sentence.description[:200]))
                role = {
                    Verdict.CONVICTED: Role.CONVICT,
                    Verdict.ACQUITTED: Role.ACQUITTED,
                    Verdict.DISCHARGED: Role.ACQUITTED,
                }.get(verdict.verdict)
                updates.append(
                    FactFor(
                        case_id=case_id,
                        party_ref=verdict.accused_ref,
                        role=role,
                        fact=PersonFact("judgment", judgment.judgment_date, tuple(detail)),
                    )
                )
            return updates
    return []


#: The event types that can name a person in a criminal role or add a fact to one.
PERSON_EVENT_TYPES: frozenset[str] = frozenset(
    cls.event_type()
    for cls in (
        FirRegistered,
        PersonArrested,
        ChargesheetFiled,
        InmateAdmitted,
        InmateReleased,
        InmateConvicted,
        JudgmentDelivered,
        LicenceRecordReceived,
    )
)
