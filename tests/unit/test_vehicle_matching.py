"""The rules that match a police report to a known vehicle (gateway.services.vehicle_matching),
without a database: which number decides, when the last five characters of a chassis are enough,
what two reports have in common, how a reference is normalised and read."""

from __future__ import annotations

import pytest

from canonical_model.errors import InvalidIdentifier
from canonical_model.transport import VehicleIdentity, VehicleMatch
from gateway.services.vehicle_matching import (
    Candidates,
    Match,
    Numbers,
    Reference,
    Sighting,
    absorbed,
    chassis_compatible,
    choose,
    link_basis,
    looked_up,
    new_vehicle_numbers,
    normalise_ref,
    pair_match,
    read_reference,
)
from gateway.services.vehicles import written_numbers

VIN = "MA3EWDE1S00123456"


def test_numbers_are_normalised_from_any_spelling() -> None:
    numbers = Numbers.of(
        VehicleIdentity.model_validate(
            {
                "registration": "mh-12-ab-1234",
                "chassis": "ma3 ewde1s00-123456",
                "engine": "k12m.n/1",
            }
        )
    )
    assert numbers == Numbers("MH12AB1234", VIN, "K12MN1")
    assert numbers.suffix == "23456" and not numbers.short_chassis
    assert Numbers(chassis="23456").short_chassis


def test_nothing_known_is_a_new_vehicle() -> None:
    match = choose(Candidates())
    assert (match.vehicle_id, match.label, match.note) == (None, "new", None)


@pytest.mark.parametrize(
    ("candidates", "vehicle", "matched_on"),
    [
        (Candidates(registration=["veh_1"]), "veh_1", VehicleMatch.REGISTRATION),
        (Candidates(engine=["veh_2"]), "veh_2", VehicleMatch.ENGINE),
        (Candidates(chassis=["veh_3"]), "veh_3", VehicleMatch.CHASSIS),
        (Candidates(chassis_suffix=["veh_4"]), "veh_4", VehicleMatch.CHASSIS_SUFFIX),
        # False plates: the chassis, stamped on the frame, outranks the registration.
        (Candidates(registration=["veh_1"], chassis=["veh_3"]), "veh_3", VehicleMatch.CHASSIS),
        (Candidates(registration=["veh_1"], engine=["veh_2"]), "veh_2", VehicleMatch.ENGINE),
        # A full number found twice (two vehicles made at once) takes the oldest.
        (Candidates(registration=["veh_1", "veh_9"]), "veh_1", VehicleMatch.REGISTRATION),
        # An ambiguous short chassis does not stop a full number from deciding.
        (
            Candidates(registration=["veh_1"], chassis_suffix=["veh_1", "veh_5"]),
            "veh_1",
            VehicleMatch.REGISTRATION,
        ),
    ],
)
def test_the_most_trusted_number_decides(
    candidates: Candidates, vehicle: str, matched_on: VehicleMatch
) -> None:
    match = choose(candidates)
    assert (match.vehicle_id, match.matched_on) == (vehicle, matched_on)
    assert match.ambiguous == ()


def test_numbers_pointing_at_different_vehicles_are_noted() -> None:
    match = choose(Candidates(registration=["veh_1"], chassis=["veh_3"]))
    assert match.vehicle_id == "veh_3"
    assert match.note is not None and "veh_1" in match.note and "chassis" in match.note


def test_a_short_chassis_several_vehicles_end_with_matches_none() -> None:
    match = choose(Candidates(chassis_suffix=["veh_4", "veh_5"]))
    assert (match.vehicle_id, match.matched_on, match.label) == (None, None, "ambiguous")
    assert match.ambiguous == ("veh_4", "veh_5")
    assert match.note is not None and "2 known vehicles" in match.note


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        (Numbers("MH12AB1234"), Numbers("MH12AB1234"), VehicleMatch.REGISTRATION),
        (Numbers("MH12AB1234", VIN), Numbers("MH14ZZ9999", VIN), VehicleMatch.CHASSIS),
        (Numbers(engine="E1"), Numbers("MH14ZZ9999", engine="E1"), VehicleMatch.ENGINE),
        (Numbers(chassis=VIN), Numbers(chassis="23456"), VehicleMatch.CHASSIS_SUFFIX),
        (Numbers(chassis="23456"), Numbers(chassis="23456"), VehicleMatch.CHASSIS_SUFFIX),
        # Two full chassis numbers ending alike are two vehicles.
        (Numbers(chassis=VIN), Numbers(chassis="MBLHA10AMDH923456"), None),
        (Numbers("MH12AB1234"), Numbers(chassis=VIN), None),
    ],
)
def test_what_two_reports_have_in_common(
    one: Numbers, other: Numbers, expected: VehicleMatch | None
) -> None:
    assert pair_match(one, other) is expected
    assert pair_match(other, one) is expected


@pytest.mark.parametrize(
    ("ref", "normal"),
    [
        ("MH 12 AB 1234", "MH12AB1234"),
        ("mh-12-ab-1234", "MH12AB1234"),
        ("ma3.ewde1s00/123456", VIN),
        ("2 3 4 5 6", "23456"),
    ],
)
def test_a_reference_in_any_spelling(ref: str, normal: str) -> None:
    assert normalise_ref(ref) == normal


@pytest.mark.parametrize(
    ("ref", "part"), [("MH12@AB1234", "characters"), (" - / ", "length"), ("X" * 41, "length")]
)
def test_a_malformed_reference_names_the_part(ref: str, part: str) -> None:
    with pytest.raises(InvalidIdentifier) as error:
        normalise_ref(ref)
    assert error.value.part == part and error.value.kind == "vehicle reference"


def test_the_numbers_as_written_come_from_the_police_message() -> None:
    body = b'{"type": "vehicle.seized", "data": {"report": {"vehicle": {"registration": "mh-12 ab1234", "engine": 5}}}}'
    assert written_numbers(body) == {"registration": "mh-12 ab1234"}
    assert written_numbers(b"not json") == {}
    assert written_numbers(b'{"data": []}') == {}


def test_a_vehicle_whose_chassis_differs_is_never_the_one_reported() -> None:
    # The plates of veh_1 on a car whose chassis is not veh_1's: another vehicle.
    match = choose(Candidates(registration=["veh_1"], contradicted=frozenset({"veh_1"})))
    assert (match.vehicle_id, match.label) == (None, "new")
    assert match.note is not None and "veh_1" in match.note
    # ... and where another number fits a vehicle, that one is taken.
    match = choose(
        Candidates(registration=["veh_1"], engine=["veh_2"], contradicted=frozenset({"veh_1"}))
    )
    assert (match.vehicle_id, match.matched_on) == ("veh_2", VehicleMatch.ENGINE)


@pytest.mark.parametrize(
    ("one", "other", "compatible"),
    [
        (None, VIN, True),
        (VIN, VIN, True),
        (VIN, "23456", True),
        ("23456", "23456", True),
        (VIN, "MBLHA10AMDH923456", False),
        (VIN, "99999", False),
    ],
)
def test_which_chassis_numbers_can_be_one_vehicles(
    one: str | None, other: str, compatible: bool
) -> None:
    assert chassis_compatible(one, other) is compatible
    assert chassis_compatible(other, one) is compatible


def test_a_report_matched_to_none_makes_a_vehicle_of_its_own() -> None:
    numbers = Numbers("MH12AB1234", "23456", "E1")
    assert new_vehicle_numbers(numbers, Match(None, None)) == numbers
    # Chassis characters that fit several vehicles are not given to the new one ...
    several = Match(None, None, ("veh_4", "veh_5"))
    assert new_vehicle_numbers(numbers, several) == Numbers("MH12AB1234", None, "E1")
    # ... and a report named by nothing else makes none.
    assert new_vehicle_numbers(Numbers(chassis="23456"), several) is None


@pytest.mark.parametrize(
    ("known", "reported", "after"),
    [
        # The numbers it lacked are the report's.
        (Numbers("MH12AB1234"), Numbers(None, VIN, "E1"), Numbers("MH12AB1234", VIN, "E1")),
        # A short chassis grows into the full one that ends with it.
        (Numbers(chassis="23456"), Numbers(chassis=VIN), Numbers(chassis=VIN)),
        # Numbers it has are kept: false plates change nothing, nor a chassis ending otherwise.
        (Numbers("MH12AB1234", VIN), Numbers("MH14ZZ9999"), Numbers("MH12AB1234", VIN)),
        (Numbers(chassis="99999"), Numbers(chassis=VIN), Numbers(chassis="99999")),
        (Numbers(chassis=VIN), Numbers(chassis="23456"), Numbers(chassis=VIN)),
    ],
)
def test_a_vehicle_takes_the_numbers_it_lacked(
    known: Numbers, reported: Numbers, after: Numbers
) -> None:
    assert absorbed(known, reported) == after


def test_two_reports_are_linked_on_what_they_share_or_on_how_one_was_matched() -> None:
    shared = link_basis(Numbers("MH12AB1234"), Numbers("MH12AB1234"), one_matched="engine")
    assert shared is VehicleMatch.REGISTRATION
    apart = link_basis(Numbers("MH12AB1234"), Numbers(engine="E1"), one_matched="engine")
    assert apart is VehicleMatch.ENGINE
    made = link_basis(Numbers("MH12AB1234"), Numbers(engine="E1"), one_matched="new")
    assert made is VehicleMatch.REGISTRATION


@pytest.mark.parametrize(
    ("ref", "reading"),
    [
        (
            "mh-12-ab-1234",
            Reference("MH12AB1234", "MH12AB1234", "MH12AB1234", "MH12AB1234", "B1234", False),
        ),
        ("ma3 ewde1s00-123456", Reference(VIN, None, VIN, VIN, "23456", False)),
        # Five characters are a chassis written short (or an engine number), never a full one.
        ("2345-6", Reference("23456", None, None, "23456", "23456", True)),
        ("K12", Reference("K12", None, None, "K12", None, False)),
    ],
)
def test_what_a_reference_can_be(ref: str, reading: Reference) -> None:
    assert read_reference(ref) == reading


def test_a_reference_that_is_no_vehicle_number_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        read_reference("MH12@AB1234")


def _own(reading: VehicleMatch, *ids: str) -> list[Sighting]:
    return [Sighting(reading, True, vid) for vid in ids]


def _reported(reading: VehicleMatch, *ids: str) -> list[Sighting]:
    return [Sighting(reading, False, vid) for vid in ids]


def test_a_look_up_finding_nothing_finds_nothing() -> None:
    assert looked_up([]) == {}


def test_a_look_up_prefers_a_vehicles_own_number_to_a_police_reports() -> None:
    # False plates are found again, but never outrank the vehicle they belong to.
    sightings = _reported(VehicleMatch.REGISTRATION, "veh_2") + _own(
        VehicleMatch.REGISTRATION, "veh_1"
    )
    assert looked_up(sightings) == {"veh_1": VehicleMatch.REGISTRATION}
    assert looked_up(_reported(VehicleMatch.ENGINE, "veh_2", "veh_2")) == {
        "veh_2": VehicleMatch.ENGINE
    }


def test_a_look_up_falls_back_to_reports_per_reading() -> None:
    sightings = (
        _own(VehicleMatch.REGISTRATION, "veh_1")
        + _reported(VehicleMatch.REGISTRATION, "veh_9")
        + _reported(VehicleMatch.ENGINE, "veh_2")
    )
    assert looked_up(sightings) == {
        "veh_1": VehicleMatch.REGISTRATION,
        "veh_2": VehicleMatch.ENGINE,
    }


def test_a_vehicle_found_by_several_readings_matched_on_the_first_of_them() -> None:
    sightings = _own(VehicleMatch.ENGINE, "veh_1") + _own(VehicleMatch.CHASSIS, "veh_1")
    assert looked_up(sightings) == {"veh_1": VehicleMatch.CHASSIS}
    sightings += _own(VehicleMatch.REGISTRATION, "veh_1")
    assert looked_up(sightings) == {"veh_1": VehicleMatch.REGISTRATION}


def test_a_chassis_suffix_counts_only_where_no_full_reading_found_a_vehicle() -> None:
    suffixed = _own(VehicleMatch.CHASSIS_SUFFIX, "veh_3", "veh_4")
    assert looked_up(suffixed) == {
        "veh_3": VehicleMatch.CHASSIS_SUFFIX,
        "veh_4": VehicleMatch.CHASSIS_SUFFIX,
    }
    assert looked_up(suffixed + _reported(VehicleMatch.ENGINE, "veh_5")) == {
        "veh_5": VehicleMatch.ENGINE
    }
