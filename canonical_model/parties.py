"""What a case's messages have said of each of its persons, and a police report's persons
completed with it.

A charge sheet names an accused by the ``ref`` the FIR gave him (``A1``) and often no more
than a name: the court's and the prosecution's feeds would then show him with no gender, age
or address, although the FIR said them (CCTNS sends the person in full once, at
registration). The gateway writes what earlier messages said into the charge sheet's event at
ingest, as it writes prisoner numbers into a court order, so that every feed carrying the
report carries every field a pillar sent, and the adapters stay pure translators.

A field is *stated* when its value differs from the canonical default (``gender`` other than
``unknown``, a list not empty, a flag set): a stored event holds every field, defaults
included, so this is what can be told apart in the event log. What a later message states
wins over an earlier one; what the report itself states wins over both. A flag that protects
a person (``juvenile``, ``identity_protected``) thus survives a report that leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from canonical_model.entities import Person
from canonical_model.events import ChargesheetFiled, EventPayload, FirRegistered, PersonArrested

#: What is known of each person of a case, by ref: the stated fields, by name.
KnownPersons = dict[str, dict[str, Any]]


def stated(person: Person) -> dict[str, Any]:
    """The fields of ``person`` that say something: those whose value is not the default."""
    out: dict[str, Any] = {}
    for name, info in Person.model_fields.items():
        value = getattr(person, name)
        if value != info.get_default(call_default_factory=True):
            out[name] = value
    return out


def mentions(payload: EventPayload) -> Iterator[Person]:
    """Every person a police message describes: the FIR's complainant, accused, victims and
    witnesses, the person arrested, a report's accused and witnesses."""
    match payload:
        case FirRegistered(fir=fir):
            yield fir.complainant
            yield from fir.accused
            yield from fir.victims
            yield from fir.witnesses
        case PersonArrested(arrest=arrest):
            yield arrest.person
        case ChargesheetFiled(report=report):
            yield from (charged.person for charged in report.accused)
            yield from report.witnesses


def known_persons(payloads: Iterable[EventPayload]) -> KnownPersons:
    """What ``payloads`` (a case's events, oldest first) say of each person, by ref; a later
    statement of a field wins."""
    known: KnownPersons = {}
    for payload in payloads:
        for person in mentions(payload):
            known[person.ref] = known.get(person.ref, {}) | stated(person)
    return known


def complete(person: Person, known: Mapping[str, Mapping[str, Any]]) -> Person:
    """``person`` with the fields it leaves unsaid taken from what is known of its ref."""
    earlier = known.get(person.ref)
    if not earlier:
        return person
    said = stated(person)
    missing = {name: value for name, value in earlier.items() if name not in said}
    return person.model_copy(update=missing) if missing else person


def with_known_persons(
    payload: EventPayload, known: Mapping[str, Mapping[str, Any]]
) -> EventPayload:
    """A police report with its accused and witnesses completed from ``known``; any other
    payload as it is."""
    if not isinstance(payload, ChargesheetFiled) or not known:
        return payload
    report = payload.report
    accused = [
        charged.model_copy(update={"person": complete(charged.person, known)})
        for charged in report.accused
    ]
    witnesses = [complete(person, known) for person in report.witnesses]
    if accused == report.accused and witnesses == report.witnesses:
        return payload
    completed = report.model_copy(update={"accused": accused, "witnesses": witnesses})
    return payload.model_copy(update={"report": completed})
