"""Deciding which known vehicle a police report names: the vehicle register's matching rules,
without a database. :mod:`gateway.services.vehicles` (the register's storage) reads the
candidates from its tables and lets these rules decide; :mod:`gateway.services.vehicle_lookups`
reads a reference asked for with :func:`read_reference` and, from the vehicles each reading of
it points at, lets :func:`looked_up` say which it names.

A police report is matched to a known vehicle, in this order of trust:

1. the full chassis number (the VIN is stamped on the frame; plates are easily changed),
2. the engine number,
3. the registration mark (normalised: ``mh-12-ab-1234`` is ``MH12AB1234``),
4. a chassis number written short, its last :data:`CHASSIS_SUFFIX_LENGTH` characters, only
   where exactly one known vehicle's chassis ends with them; where several do, the report is
   matched to none of them and its case status says so.

Numbers the police reported before count as well as the vehicle's own: a vehicle seized under
false plates is found again by those plates (the storage side finds those candidates).

Nothing here reads or writes anything: no database, no network, no files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from canonical_model.errors import InvalidIdentifier
from canonical_model.identifiers import VehicleRegistration, compact_number
from canonical_model.transport import CHASSIS_SUFFIX_LENGTH, VehicleIdentity, VehicleMatch


@dataclass(frozen=True, slots=True)
class Numbers:
    """A vehicle's numbers, normalised; any may be missing."""

    registration: str | None = None
    chassis: str | None = None
    engine: str | None = None

    @classmethod
    def of(cls, vehicle: VehicleIdentity) -> Numbers:
        """The numbers of a canonical vehicle identity."""
        registration = str(vehicle.registration) if vehicle.registration is not None else None
        return cls(registration, vehicle.chassis, vehicle.engine)

    @property
    def short_chassis(self) -> bool:
        """Whether the chassis number is only its last characters."""
        return self.chassis is not None and len(self.chassis) <= CHASSIS_SUFFIX_LENGTH

    @property
    def suffix(self) -> str | None:
        """The chassis number's last characters."""
        return self.chassis[-CHASSIS_SUFFIX_LENGTH:] if self.chassis else None

    def identity(self) -> VehicleIdentity:
        """Back to a canonical identity."""
        return VehicleIdentity(
            registration=VehicleRegistration.parse(self.registration)
            if self.registration
            else None,
            chassis=self.chassis,
            engine=self.engine,
        )


@dataclass(frozen=True, slots=True)
class Candidates:
    """The known vehicles (ids, oldest first) each number of a report points at."""

    chassis: list[str] = field(default_factory=list)
    engine: list[str] = field(default_factory=list)
    registration: list[str] = field(default_factory=list)
    #: By the last characters of the chassis: vehicles whose chassis ends with a short one, or
    #: (for a full chassis) vehicles known only by the last characters of theirs.
    chassis_suffix: list[str] = field(default_factory=list)
    #: Vehicles among these whose chassis number cannot be the report's: another vehicle under
    #: the same plates or engine number, never the one reported.
    contradicted: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    """Which known vehicle a report is, and on what; or none, and why."""

    vehicle_id: str | None
    matched_on: VehicleMatch | None
    ambiguous: tuple[str, ...] = ()
    note: str | None = None

    @property
    def label(self) -> str:
        """``registration``, ``chassis``, ``chassis_last5``, ``engine``, ``ambiguous`` or ``new``."""
        if self.matched_on is not None:
            return self.matched_on.value
        return "ambiguous" if self.ambiguous else "new"


#: The numbers in the order they are trusted.
TRUST = (
    VehicleMatch.CHASSIS,
    VehicleMatch.ENGINE,
    VehicleMatch.REGISTRATION,
    VehicleMatch.CHASSIS_SUFFIX,
)


def choose(candidates: Candidates) -> Match:
    """The vehicle a report is, by the most trusted number that points at one.

    A full number pointing at several vehicles (made concurrently, before they could be
    told apart) takes the oldest; a chassis's last characters shared by several vehicles
    decide nothing.
    """
    every = {
        VehicleMatch.CHASSIS: candidates.chassis,
        VehicleMatch.ENGINE: candidates.engine,
        VehicleMatch.REGISTRATION: candidates.registration,
        VehicleMatch.CHASSIS_SUFFIX: candidates.chassis_suffix,
    }
    by = {k: [v for v in ids if v not in candidates.contradicted] for k, ids in every.items()}
    ambiguous = candidates.chassis_suffix if len(candidates.chassis_suffix) > 1 else []
    for kind in TRUST:
        ids = by[kind]
        if not ids or (kind is VehicleMatch.CHASSIS_SUFFIX and ambiguous):
            continue
        chosen = ids[0]
        others = sorted(
            {other for k in TRUST if k is not VehicleMatch.CHASSIS_SUFFIX for other in every[k]}
            - {chosen}
        )
        note = (
            f"other numbers of this report are known for {', '.join(others)}; "
            f"matched on the {kind.value.replace('_', ' ')}"
            if others
            else None
        )
        return Match(chosen, kind, (), note)
    if candidates.contradicted and not ambiguous:
        return Match(
            None,
            None,
            (),
            f"the chassis number differs from that of {', '.join(sorted(candidates.contradicted))}, "
            "known by another number of this report: taken for another vehicle",
        )
    if ambiguous:
        return Match(
            None,
            None,
            tuple(ambiguous),
            f"the chassis number's last {CHASSIS_SUFFIX_LENGTH} characters match "
            f"{len(ambiguous)} known vehicles ({', '.join(ambiguous)}): not matched to any",
        )
    return Match(None, None)


def new_vehicle_numbers(numbers: Numbers, match: Match) -> Numbers | None:
    """The numbers a report matched to no known vehicle gives the new vehicle it makes; None
    when it makes none.

    A report whose chassis's last characters fit several known vehicles makes a vehicle of its
    own only when it names one otherwise too (registration or engine number), and that vehicle
    does not take the chassis characters that could be any of several."""
    if not match.ambiguous:
        return numbers
    if numbers.registration is None and numbers.engine is None:
        return None
    return Numbers(numbers.registration, None, numbers.engine)


def absorbed(known: Numbers, reported: Numbers) -> Numbers:
    """A vehicle's numbers after a report about it: the numbers it lacked are the report's,
    and a chassis known only by its last characters grows into the full one reported. Numbers
    the vehicle has already are kept (a report under false plates does not change them)."""
    chassis = known.chassis
    if reported.chassis is not None and (
        chassis is None
        or (len(chassis) < len(reported.chassis) and reported.chassis.endswith(chassis))
    ):
        chassis = reported.chassis
    return Numbers(
        registration=known.registration
        if known.registration is not None
        else reported.registration,
        chassis=chassis,
        engine=known.engine if known.engine is not None else reported.engine,
    )


def pair_match(one: Numbers, other: Numbers) -> VehicleMatch | None:
    """The most trusted number two reports have in common, if any."""
    both_chassis = one.chassis is not None and other.chassis is not None
    if both_chassis and one.chassis == other.chassis and not one.short_chassis:
        return VehicleMatch.CHASSIS
    if one.engine is not None and one.engine == other.engine:
        return VehicleMatch.ENGINE
    if one.registration is not None and one.registration == other.registration:
        return VehicleMatch.REGISTRATION
    short = one.short_chassis or other.short_chassis
    if both_chassis and short and one.suffix == other.suffix:
        return VehicleMatch.CHASSIS_SUFFIX
    return None


def link_basis(one: Numbers, other: Numbers, *, one_matched: str) -> VehicleMatch:
    """What two reports of the same vehicle are linked on: the most trusted number they have
    in common or, where they share none (each shares one with the vehicle's registry record),
    the number the first was matched to the vehicle on (``one_matched``, a :attr:`Match.label`;
    the registration for a report that made the vehicle)."""
    shared = pair_match(one, other)
    if shared is not None:
        return shared
    try:
        return VehicleMatch(one_matched)
    except ValueError:
        return VehicleMatch.REGISTRATION


def chassis_compatible(one: str | None, other: str | None) -> bool:
    """Whether two chassis numbers (normalised; either may be the last characters only, or
    unknown) can be the same vehicle's."""
    if one is None or other is None:
        return True
    if len(one) > CHASSIS_SUFFIX_LENGTH and len(other) > CHASSIS_SUFFIX_LENGTH:
        return one == other
    return one.endswith(other) or other.endswith(one)


def normalise_ref(ref: str) -> str:
    """A vehicle number as asked for (registration, chassis or engine, any spelling) in the
    register's form: upper case, without spaces, dashes, dots or slashes; InvalidIdentifier
    naming what is wrong otherwise."""
    compact = compact_number(ref)
    bad = next((c for c in compact if not (c.isascii() and c.isalnum())), None)
    if bad is not None:
        raise InvalidIdentifier(
            "vehicle reference",
            ref,
            "characters",
            f"{bad!r} is not a letter or digit; a registration, chassis or engine number "
            "has letters and digits (spaces, dashes, dots and slashes are ignored)",
        )
    if not 1 <= len(compact) <= 40:
        raise InvalidIdentifier(
            "vehicle reference",
            ref,
            "length",
            f"{len(compact)} letters and digits; a registration, chassis or engine number has "
            "1 to 40 (the canonical model's VehicleNumber)",
        )
    return compact


@dataclass(frozen=True, slots=True)
class Reference:
    """What a vehicle number asked for can be, each in the register's form: a look-up searches
    the register for each reading it has."""

    #: The reference normalised (:func:`normalise_ref`).
    compact: str
    #: The registration mark it reads as, if it reads as one.
    registration: str | None
    #: A full chassis number: only a reference longer than a chassis written short.
    chassis: str | None
    #: Any reference can be an engine number.
    engine: str
    #: Its last :data:`CHASSIS_SUFFIX_LENGTH` characters, when it has that many.
    suffix: str | None
    #: Whether the reference is itself a chassis written short (its suffix is compared with
    #: the last characters of known chassis numbers); otherwise its suffix is compared with
    #: the chassis of vehicles known only by the last characters of theirs.
    written_short: bool


def read_reference(ref: str) -> Reference:
    """The readings of a vehicle number asked for (any spelling); InvalidIdentifier when it
    cannot be a vehicle number (:func:`normalise_ref`)."""
    compact = normalise_ref(ref)
    try:
        registration: str | None = str(VehicleRegistration.parse(compact))
    except InvalidIdentifier:
        registration = None
    return Reference(
        compact=compact,
        registration=registration,
        # Five characters are a chassis written short, never a full one.
        chassis=compact if len(compact) > CHASSIS_SUFFIX_LENGTH else None,
        engine=compact,
        suffix=compact[-CHASSIS_SUFFIX_LENGTH:] if len(compact) >= CHASSIS_SUFFIX_LENGTH else None,
        written_short=len(compact) == CHASSIS_SUFFIX_LENGTH,
    )


#: The full readings of a reference a look-up searches the register for, in the order that
#: says what a vehicle found by several of them matched on.
LOOKUP_ORDER = (VehicleMatch.REGISTRATION, VehicleMatch.CHASSIS, VehicleMatch.ENGINE)


@dataclass(frozen=True, slots=True)
class Sighting:
    """A known vehicle one reading of a reference points at (the storage finds them)."""

    #: The reading: registration, chassis, engine, or the chassis's last characters.
    reading: VehicleMatch
    #: Whether the number is the vehicle's own; otherwise a police report named the vehicle
    #: by it (false plates).
    own: bool
    vehicle_id: str


def looked_up(sightings: Iterable[Sighting]) -> dict[str, VehicleMatch]:
    """The vehicles a reference names and how each matched, from every vehicle each reading
    of it points at; empty when none.

    For each full reading, the vehicles whose own number it is; failing those, the vehicles
    the police reported under it (false plates are found again, but never outrank the vehicle
    they belong to). A vehicle several readings find matched on the first of
    :data:`LOOKUP_ORDER`. The chassis's last characters count only where no full reading
    found a vehicle; several vehicles found are for the caller to call ambiguous."""
    own: dict[VehicleMatch, list[str]] = {}
    reported: dict[VehicleMatch, list[str]] = {}
    for sighting in sightings:
        (own if sighting.own else reported).setdefault(sighting.reading, []).append(
            sighting.vehicle_id
        )
    how: dict[str, VehicleMatch] = {}
    for reading in LOOKUP_ORDER:
        for vehicle_id in own.get(reading) or reported.get(reading, []):
            how.setdefault(vehicle_id, reading)
    if how:
        return how
    return dict.fromkeys(own.get(VehicleMatch.CHASSIS_SUFFIX, []), VehicleMatch.CHASSIS_SUFFIX)
