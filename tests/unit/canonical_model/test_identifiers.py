"""Identifiers parse messy text, print one canonical form, and round-trip."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from canonical_model.errors import InvalidIdentifier
from canonical_model.identifiers import (
    Cnr,
    CourtCaseNumber,
    DrivingLicence,
    EstablishmentCode,
    Fir,
    InstitutionNumber,
    LabCaseNumber,
    PoliceStation,
    PrisonerNumber,
    ProsecutionLevel,
    ProsecutionNumber,
    ProsecutionOffice,
    VehicleRegistration,
    compact_number,
    normalise_chassis,
    normalise_engine,
    parse_any,
)

Draw = Callable[[st.SearchStrategy[Any]], Any]

# --------------------------------------------------------------------------- strategies


def _rx(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(pattern, fullmatch=True)


states = _rx(r"[A-Z]{2}")
years = st.integers(1861, 2200)


@st.composite
def police_stations(draw: Draw) -> PoliceStation:
    return PoliceStation(
        draw(states), draw(_rx(r"[A-Z0-9_-]{1,16}")), draw(_rx(r"[A-Z0-9_-]{1,32}"))
    )


@st.composite
def firs(draw: Draw) -> Fir:
    ps = draw(police_stations())
    return Fir(ps.state, ps.district, ps.station, draw(years), draw(st.integers(1, 999_999)))


@st.composite
def establishments(draw: Draw) -> EstablishmentCode:
    return EstablishmentCode(draw(states), draw(states), draw(_rx(r"[0-9]{2}")))


@st.composite
def cnrs(draw: Draw) -> Cnr:
    court = draw(establishments())
    return Cnr(
        court.state, court.district, court.number, draw(st.integers(1, 999_999)), draw(years)
    )


@st.composite
def case_numbers(draw: Draw) -> CourtCaseNumber:
    return CourtCaseNumber(
        draw(establishments()),
        draw(_rx(r"[A-Z0-9][A-Z0-9.()-]{0,15}")),
        draw(st.integers(1, 9_999_999)),
        draw(years),
    )


@st.composite
def standard_vehicles(draw: Draw) -> VehicleRegistration:
    return VehicleRegistration.standard(
        draw(states),
        draw(_rx(r"[0-9]{1,2}")),
        draw(_rx(r"[A-Z]{0,3}")),
        draw(st.integers(1, 9999)),
    )


@st.composite
def bharat_vehicles(draw: Draw) -> VehicleRegistration:
    return VehicleRegistration.bharat(
        draw(st.integers(0, 99)), draw(st.integers(0, 9999)), draw(_rx(r"[A-Z]{1,2}"))
    )


vehicles = st.one_of(standard_vehicles(), bharat_vehicles())


@st.composite
def licences(draw: Draw) -> DrivingLicence:
    return DrivingLicence(
        draw(states), draw(_rx(r"[0-9]{2}")), draw(years), draw(st.integers(1, 9_999_999))
    )


def _local_number(raw: str) -> str | None:
    number = " ".join(raw.split()).upper()
    if not 1 <= len(number) <= 64 or not number.isprintable():
        return None
    return number if " ".join(number.split()).upper() == number else None


local_numbers = st.text(min_size=1, max_size=64).map(_local_number).filter(bool)
institution_classes = st.sampled_from([InstitutionNumber, PrisonerNumber, LabCaseNumber])


@st.composite
def institution_numbers(draw: Draw) -> InstitutionNumber:
    cls: type[InstitutionNumber] = draw(institution_classes)
    return cls(draw(_rx(r"[A-Z0-9_-]{1,32}")), draw(local_numbers))


@st.composite
def prosecution_offices(draw: Draw) -> ProsecutionOffice:
    level: ProsecutionLevel = draw(st.sampled_from(list(ProsecutionLevel)))
    if not level.is_district:
        return ProsecutionOffice.director(draw(states))
    return ProsecutionOffice.district_office(draw(states), draw(_rx(r"[A-Z0-9_-]{1,16}")), level)


@st.composite
def prosecution_numbers(draw: Draw) -> ProsecutionNumber:
    return ProsecutionNumber(str(draw(prosecution_offices())), draw(local_numbers))


ALL = st.one_of(
    prosecution_offices(),
    prosecution_numbers(),
    police_stations(),
    firs(),
    establishments(),
    cnrs(),
    case_numbers(),
    vehicles,
    licences(),
    institution_numbers(),
)

# --------------------------------------------------------------------------- messy spelling


@st.composite
def random_case(draw: Draw, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.lower() if f else c for c, f in zip(text, flips, strict=True))


def _pad(draw: Draw) -> str:
    return str(draw(st.sampled_from(["", " ", "  ", "\t"])))


@st.composite
def messy_slashed(draw: Draw, parts: list[str]) -> str:
    """Parts joined by ``/`` with random spaces around, random case, surrounding blanks."""
    out = _pad(draw)
    for i, part in enumerate(parts):
        if i:
            out += _pad(draw).replace("\t", " ") + "/" + _pad(draw).replace("\t", " ")
        out += draw(random_case(part))
    return out + _pad(draw)


@st.composite
def messy_joined(draw: Draw, parts: list[str], seps: list[str]) -> str:
    """Parts joined by a random choice of ``seps``, random case, surrounding blanks."""
    out = _pad(draw)
    for i, part in enumerate(parts):
        if i:
            out += draw(st.sampled_from(seps))
        out += draw(random_case(part))
    return out + _pad(draw)


# --------------------------------------------------------------------------- round trip


@given(ALL)
def test_canonical_text_round_trips(x: Any) -> None:
    text = str(x)
    assert type(x).parse(text) == x
    assert str(type(x).parse(text)) == text
    assert re.fullmatch(type(x).pattern, text), (type(x).pattern, text)
    assert x.key() == f"{x.kind}:{text}"


@given(ALL)
def test_pydantic_round_trips(x: Any) -> None:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(type(x))
    assert adapter.validate_python(str(x)) == x
    assert adapter.validate_python(x) is x
    assert adapter.dump_python(x) == str(x)
    assert adapter.validate_json(adapter.dump_json(x)) == x


@given(st.data(), police_stations())
def test_messy_police_station(data: st.DataObject, x: PoliceStation) -> None:
    text = data.draw(messy_slashed([x.state, x.district, x.station]))
    assert PoliceStation.parse(text) == x


@given(st.data(), firs(), st.booleans())
def test_messy_fir(data: st.DataObject, x: Fir, padded: bool) -> None:
    serial = f"{x.serial:06d}" if padded else str(x.serial)
    text = data.draw(messy_slashed([x.state, x.district, x.station, str(x.year), serial]))
    assert Fir.parse(text) == x


@given(st.data(), cnrs())
def test_messy_cnr(data: st.DataObject, x: Cnr) -> None:
    assert Cnr.parse(data.draw(messy_joined([x.dashed()], [""]))) == x
    parts = [x.state + x.district + x.establishment, f"{x.serial:06d}", str(x.year)]
    assert Cnr.parse(data.draw(messy_joined(parts, ["", "-", " ", " - "]))) == x


@given(st.data(), establishments())
def test_messy_establishment(data: st.DataObject, x: EstablishmentCode) -> None:
    text = data.draw(messy_joined([x.state, x.district, x.number], ["", " ", "-"]))
    assert EstablishmentCode.parse(text) == x


@given(st.data(), case_numbers())
def test_messy_case_number(data: st.DataObject, x: CourtCaseNumber) -> None:
    number = data.draw(st.sampled_from([str(x.number), f"{x.number:07d}"]))
    text = data.draw(messy_slashed([str(x.establishment), x.case_type, number, str(x.year)]))
    assert CourtCaseNumber.parse(text) == x


@given(st.data(), standard_vehicles())
def test_messy_standard_vehicle(data: st.DataObject, x: VehicleRegistration) -> None:
    seps = ["", " ", "-", ".", " - "]
    before_number = data.draw(st.sampled_from(seps))
    # Without series letters or a separator, only the 4-digit number says where the RTO ends.
    unpadded = bool(x.series or before_number) and data.draw(st.booleans())
    number = str(x.number) if unpadded else f"{x.number:04d}"
    head = data.draw(messy_joined([x.state or "", x.rto or "", x.series], seps))
    text = head + before_number + number
    assert VehicleRegistration.parse(text) == x
    assert VehicleRegistration.parse(x.display()) == x


@given(st.data(), bharat_vehicles())
def test_messy_bharat_vehicle(data: st.DataObject, x: VehicleRegistration) -> None:
    number = data.draw(st.sampled_from([str(x.number), f"{x.number:04d}"]))
    parts = [f"{x.bh_year:02d}", "BH", number, x.series]
    text = data.draw(messy_joined(parts, ["", " ", "-", ".", " - "]))
    assert VehicleRegistration.parse(text) == x
    assert VehicleRegistration.parse(x.display()) == x


@given(st.data(), licences())
def test_messy_licence(data: st.DataObject, x: DrivingLicence) -> None:
    parts = [x.state, x.rto, str(x.year), f"{x.serial:07d}"]
    text = data.draw(messy_joined(parts, ["", " ", "-"]))
    assert DrivingLicence.parse(text) == x


@given(st.data(), institution_numbers(), st.sampled_from(["", " ", "  ", "\t", "\n"]))
def test_messy_institution_number(data: st.DataObject, x: InstitutionNumber, blank: str) -> None:
    inst = data.draw(random_case(x.institution))
    number = blank + x.number.replace(" ", f" {blank}") + blank
    assert type(x).parse(f"{blank}{inst}{blank}:{number}") == x


# --------------------------------------------------------------------------- examples


def test_design_examples() -> None:
    assert Cnr.parse("MHAU010012342019") == Cnr.parse("MHAU01-001234-2019")
    cnr = Cnr.parse(" mhau01-001234-2019 ")
    assert (cnr.state, cnr.district, cnr.establishment, cnr.serial, cnr.year) == (
        "MH",
        "AU",
        "01",
        1234,
        2019,
    )
    assert str(cnr) == "MHAU010012342019"
    assert cnr.dashed() == "MHAU01-001234-2019"
    assert cnr.establishment_code == EstablishmentCode("MH", "AU", "01")
    assert str(cnr.establishment_code) == "MHAU01"
    assert cnr.key() == "cnr:MHAU010012342019"

    bh = VehicleRegistration.parse("22BH1234AA")
    assert bh.is_bharat_series
    assert (bh.bh_year, bh.number, bh.series, bh.state, bh.rto) == (22, 1234, "AA", None, None)
    assert bh.display() == "22 BH 1234 AA"
    assert str(VehicleRegistration.parse("22 bh 1234 aa")) == "22BH1234AA"

    dl3 = VehicleRegistration.parse("DL3CAF0001")
    assert (dl3.state, dl3.rto, dl3.series, dl3.number) == ("DL", "3", "CAF", 1)
    assert not dl3.is_bharat_series
    assert dl3.display() == "DL 3 CAF 0001"
    mh = VehicleRegistration.parse("mh-12-ab-1234")
    assert str(mh) == "MH12AB1234"
    assert mh.display() == "MH 12 AB 1234"
    assert mh.key() == "vehicle:MH12AB1234"

    dl = DrivingLicence("MH", "14", 2011, 12345)
    for text in ("MH1420110012345", "MH14 20110012345", "MH-14-2011-0012345", "mh14-20110012345"):
        assert DrivingLicence.parse(text) == dl
    assert str(dl) == "MH1420110012345"


def test_fir_and_police_station() -> None:
    fir = Fir.parse(" mh / au / cidco / 2024 / 123 ")
    assert fir == Fir("MH", "AU", "CIDCO", 2024, 123)
    assert str(fir) == "MH/AU/CIDCO/2024/0123"
    assert str(Fir.parse("MH/AU/CIDCO/2024/000123")) == "MH/AU/CIDCO/2024/0123"
    assert str(Fir("MH", "AU", "CIDCO", 2024, 123456)) == "MH/AU/CIDCO/2024/123456"
    assert fir.key() == "fir:MH/AU/CIDCO/2024/0123"
    assert fir.police_station == PoliceStation.parse("MH/AU/CIDCO")
    assert fir.police_station.jurisdiction_prefixes() == ("MH", "MH/AU", "MH/AU/CIDCO")


def test_court_case_number() -> None:
    case = CourtCaseNumber.parse("mhau01 / r.c.c. / 0123 / 2024")
    assert case == CourtCaseNumber(EstablishmentCode("MH", "AU", "01"), "R.C.C.", 123, 2024)
    assert str(case) == "MHAU01/R.C.C./123/2024"
    assert case.key() == "case_no:MHAU01/R.C.C./123/2024"


def test_vehicle_without_series() -> None:
    assert VehicleRegistration.parse("MH121234") == VehicleRegistration.standard(
        "MH", "12", "", 1234
    )
    one = VehicleRegistration.standard("MH", "1", "", 234)
    assert str(one) == "MH10234"
    assert VehicleRegistration.parse("MH10234") == one
    assert VehicleRegistration.parse("MH 1 234") == one
    assert one.display() == "MH 1 0234"


def test_institution_numbers() -> None:
    p = PrisonerNumber.parse(" yerawada_cp : c/1234/2024 ")
    assert str(p) == "YERAWADA_CP:C/1234/2024"
    assert p.key() == "prisoner:YERAWADA_CP:C/1234/2024"
    assert LabCaseNumber.parse("RFSL:a:b  c").number == "A:B C"
    assert LabCaseNumber.parse("RFSL:X").key() == "lab_case:RFSL:X"
    assert ProsecutionNumber.parse("mh / au / ddp:x").key() == "prosecution_no:MH/AU/DDP:X"
    lab: object = LabCaseNumber("X", "1")
    assert PrisonerNumber("X", "1") != lab


def test_free_text_normalisers() -> None:
    assert normalise_chassis(" ma3-fjeb1.s00/123 456 ") == "MA3FJEB1S00123456"
    assert compact_number(" ma3-fjeb1.s00/123 456 ") == "MA3FJEB1S00123456"
    assert compact_number(" - ./ ") == "", "compacting never refuses; the normalisers do"
    assert normalise_engine("d13a-1234567") == "D13A1234567"
    for fn, kind in ((normalise_chassis, "chassis"), (normalise_engine, "engine")):
        with pytest.raises(InvalidIdentifier) as info:
            fn(" - . / ")
        assert (info.value.kind, info.value.part) == (kind, "value")


def test_parse_any() -> None:
    assert parse_any("MHAU01-001234-2019") == Cnr.parse("MHAU010012342019")
    assert parse_any("MH/AU/CIDCO/2024/0123") == Fir.parse("MH/AU/CIDCO/2024/123")
    assert isinstance(parse_any("MHAU01/SC/123/2024"), CourtCaseNumber)
    with pytest.raises(InvalidIdentifier) as info:
        parse_any("not a case")
    assert (info.value.kind, info.value.part) == ("case reference", "ref")
    assert all(kind in info.value.reason for kind in ("cnr", "fir", "case_no"))


# --------------------------------------------------------------------------- invalid input

INVALID: list[tuple[type[Any], str, str]] = [
    (PoliceStation, "", "state"),
    (PoliceStation, "M/AU/CIDCO", "state"),
    (PoliceStation, "MH-AU-CIDCO", "state"),
    (PoliceStation, "MH/A U/CIDCO", "district"),
    (PoliceStation, "MH/" + "A" * 17 + "/CIDCO", "district"),
    (PoliceStation, "MH/AU", "station"),
    (PoliceStation, "MH/AU/", "station"),
    (PoliceStation, "MH/AU/" + "C" * 33, "station"),
    (PoliceStation, "MH/AU/CIDCO/X", "station"),
    (Fir, "1H/AU/CIDCO/2024/0123", "state"),
    (Fir, "MH/AU/CIDCO/24/0123", "year"),
    (Fir, "MH/AU/CIDCO/1800/0123", "year"),
    (Fir, "MH/AU/CIDCO/2024", "serial"),
    (Fir, "MH/AU/CIDCO/2024/x12", "serial"),
    (Fir, "MH/AU/CIDCO/2024/0", "serial"),
    (Fir, "MH/AU/CIDCO/2024/1234567", "serial"),
    (Fir, "MH/AU/CIDCO/2024/0123/1", "serial"),
    (EstablishmentCode, "M1AU01", "state"),
    (EstablishmentCode, "MH0101", "district"),
    (EstablishmentCode, "MHAU1", "number"),
    (EstablishmentCode, "MHAU012", "number"),
    (Cnr, "M1AU010012342019", "state"),
    (Cnr, "MHA1010012342019", "district"),
    (Cnr, "MHAUX10012342019", "establishment"),
    (Cnr, "MHAU010000002019", "serial"),
    (Cnr, "MHAU01-000000-2019", "serial"),
    (Cnr, "MHAU01-1234-2019", "serial"),
    (Cnr, "MHAU01001234201", "year"),
    (Cnr, "MHAU010012341800", "year"),
    (Cnr, "MHAU0100123420190", "year"),
    (Cnr, "MHAU01/001234/2019", "serial"),
    (CourtCaseNumber, "MHAU1/SC/123/2024", "establishment"),
    (CourtCaseNumber, "MHAU01/S C/123/2024", "case_type"),
    (CourtCaseNumber, "MHAU01/.SC/123/2024", "case_type"),
    (CourtCaseNumber, "MHAU01/" + "X" * 17 + "/123/2024", "case_type"),
    (CourtCaseNumber, "MHAU01/SC/0/2024", "number"),
    (CourtCaseNumber, "MHAU01/SC/12345678/2024", "number"),
    (CourtCaseNumber, "MHAU01/SC/123/24", "year"),
    (CourtCaseNumber, "MHAU01/SC/123", "year"),
    (VehicleRegistration, "", "state"),
    (VehicleRegistration, "M112AB1234", "state"),
    (VehicleRegistration, "MH", "rto"),
    (VehicleRegistration, "MHAB1234", "rto"),
    (VehicleRegistration, "MH123AB1234", "rto"),
    (VehicleRegistration, "MH12ABCD1234", "series"),
    (VehicleRegistration, "MH12AB", "number"),
    (VehicleRegistration, "MH12AB12345", "number"),
    (VehicleRegistration, "MH12AB0000", "number"),
    (VehicleRegistration, "MH12AB12X4", "number"),
    (VehicleRegistration, "MH12/1234", "number"),
    (VehicleRegistration, "2BH1234AA", "year"),
    (VehicleRegistration, "22XX1234AA", "bh"),
    (VehicleRegistration, "22BHAA", "number"),
    (VehicleRegistration, "22BH12345AA", "number"),
    (VehicleRegistration, "22BH1234", "series"),
    (VehicleRegistration, "22BH1234ABC", "series"),
    (DrivingLicence, "1H1420110012345", "state"),
    (DrivingLicence, "MH1A20110012345", "rto"),
    (DrivingLicence, "MH1418000012345", "year"),
    (DrivingLicence, "MH14201100123", "serial"),
    (DrivingLicence, "MH1420110000000", "serial"),
    (DrivingLicence, "MH14201100123456", "serial"),
    (PrisonerNumber, "YERAWADA C/1234", "institution"),
    (PrisonerNumber, ":1234", "institution"),
    (PrisonerNumber, "YERAWADA CP:1234", "institution"),
    (PrisonerNumber, "Y" * 33 + ":1234", "institution"),
    (PrisonerNumber, "YERAWADA:", "number"),
    (PrisonerNumber, "YERAWADA:   ", "number"),
    (PrisonerNumber, "YERAWADA:" + "9" * 65, "number"),
    (PrisonerNumber, "YERAWADA:12\x0034", "number"),
]


@pytest.mark.parametrize(
    ("cls", "text", "part"), INVALID, ids=[f"{c.__name__}:{t!r}" for c, t, _ in INVALID]
)
def test_invalid_input_names_the_part(cls: type[Any], text: str, part: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        cls.parse(text)
    assert info.value.part == part, info.value
    assert info.value.kind == cls.kind
    assert info.value.value == text
    # The form and an example first, then the value as sent and the part at fault.
    assert str(info.value).startswith(f"expected {cls.expected()}; got {text!r} ({part}: ")
    assert [p.location for p in info.value.problems] == [part]
    assert info.value.problems[0].message == str(info.value)


def test_reason_quotes_the_part_as_written() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        Fir.parse("MH/AU/CIDCO/2024/x12")
    assert info.value.reason == "must be 1 to 6 digits, got 'x12'"


@pytest.mark.parametrize(
    ("make", "part"),
    [
        (lambda: PoliceStation("mh", "AU", "CIDCO"), "state"),
        (lambda: Fir("MH", "AU", "CIDCO", 2024, 0), "serial"),
        (lambda: Fir("MH", "AU", "CIDCO", True, 1), "year"),
        (lambda: Cnr("MH", "AU", "1", 1, 2019), "establishment"),
        (lambda: Cnr("MH", "AU", "01", 0, 2019), "serial"),
        (lambda: EstablishmentCode("MH", "AU", "001"), "number"),
        (lambda: CourtCaseNumber(EstablishmentCode("MH", "AU", "01"), "sc", 1, 2024), "case_type"),
        (lambda: VehicleRegistration("MH", "12", "AB", 0), "number"),
        (lambda: VehicleRegistration("MH", None, "AB", 1), "rto"),
        (lambda: VehicleRegistration("MH", None, "AA", 1, bh_year=22), "state"),
        (lambda: VehicleRegistration.bharat(22, 1, ""), "series"),
        (lambda: DrivingLicence("MH", "14", 2011, 10_000_000), "serial"),
        (lambda: PrisonerNumber("YCP", "c 1"), "number"),
        (lambda: PrisonerNumber("YCP", "C  1"), "number"),
        (lambda: PrisonerNumber("ycp", "C1"), "institution"),
    ],
)
def test_constructors_reject_non_canonical_parts(make: Callable[[], object], part: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        make()
    assert info.value.part == part


# --------------------------------------------------------------------------- pydantic


class Filing(pydantic.BaseModel):
    cnr: Cnr
    fir: Fir | None = None


def test_pydantic_field() -> None:
    filing = Filing.model_validate({"cnr": "MHAU01-001234-2019", "fir": "mh/au/cidco/2024/123"})
    assert filing.cnr == Cnr("MH", "AU", "01", 1234, 2019)
    assert filing.model_dump(mode="json") == {
        "cnr": "MHAU010012342019",
        "fir": "MH/AU/CIDCO/2024/0123",
    }
    assert filing.model_dump() == {"cnr": "MHAU010012342019", "fir": "MH/AU/CIDCO/2024/0123"}
    assert Filing.model_validate_json(filing.model_dump_json()) == filing
    assert Filing(cnr=filing.cnr).cnr is filing.cnr


@pytest.mark.parametrize(
    ("value", "part"), [("MHAU01-000000-2019", "serial"), ("MHAU0X0012342019", "establishment")]
)
def test_pydantic_rejects_with_the_part(value: str, part: str) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Filing.model_validate({"cnr": value})
    message = str(info.value)
    assert (
        f"expected a CNR of 16 characters (establishment code, 6-digit serial, 4-digit year), e.g. MHAU010012342019 or MHAU01-001234-2019; got {value!r} ({part}: "
        in message
    )
    assert "Value error" in message, "pydantic's own wrapper; the gateway's problems drop it"
    assert info.value.errors()[0]["loc"] == ("cnr",)


def test_pydantic_rejects_non_strings() -> None:
    with pytest.raises(pydantic.ValidationError, match="expected a string"):
        Filing.model_validate({"cnr": 16})


def test_json_schema() -> None:
    prop = Filing.model_json_schema()["properties"]["cnr"]
    assert prop["type"] == "string"
    assert prop["pattern"] == "^[A-Z]{4}[0-9]{12}$"
    assert prop["description"]
    assert re.fullmatch(prop["pattern"], "MHAU010012342019")
    assert not re.fullmatch(prop["pattern"], "MHAU01-001234-2019")


@pytest.mark.parametrize(
    "cls",
    [
        PoliceStation,
        Fir,
        EstablishmentCode,
        Cnr,
        CourtCaseNumber,
        VehicleRegistration,
        DrivingLicence,
        InstitutionNumber,
        PrisonerNumber,
        LabCaseNumber,
        ProsecutionNumber,
        ProsecutionOffice,
    ],
)
def test_every_json_schema_accepts_its_examples(cls: type[Any]) -> None:
    schema = pydantic.TypeAdapter(cls).json_schema()
    assert set(schema) == {"type", "pattern", "description", "examples"}
    assert schema["type"] == "string"
    assert schema["examples"]
    for example in schema["examples"]:
        assert re.fullmatch(schema["pattern"], example)
        assert str(cls.parse(example)) == example


# --------------------------------------------------------------------------- prosecution


@given(st.data(), prosecution_offices())
def test_messy_prosecution_office(data: st.DataObject, x: ProsecutionOffice) -> None:
    parts = [x.state, *([x.district] if x.district else []), x.level.value]
    assert ProsecutionOffice.parse(data.draw(messy_slashed(parts))) == x


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("MH/AU/DOP", "district"),
        ("MH/DDP", "district"),
        ("MH/ADP", "district"),
        ("MH/AU/XYZ", "level"),
        ("MH", "level"),
        ("MH/AU/CIDCO/DDP", "level"),
        ("M/DOP", "state"),
        ("MH/A U/DDP", "district"),
    ],
)
def test_bad_prosecution_office_names_the_part(text: str, part: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        ProsecutionOffice.parse(text)
    assert caught.value.part == part


def test_prosecution_office_areas_and_numbers() -> None:
    director, deputy = ProsecutionOffice.parse("MH/DOP"), ProsecutionOffice.parse("MH/AU/DDP")
    assert director.covers("MH", "AU") and director.covers("MH", "PU")
    assert deputy.covers("MH", "AU") and not deputy.covers("MH", "PU")
    assert not director.covers("KA", "BN")
    assert deputy.level.office_title == "Deputy Director of Prosecution"
    number = ProsecutionNumber.parse("MH/AU/DDP:PR/77/2026")
    assert number.office == deputy and number.number == "PR/77/2026"
    with pytest.raises(InvalidIdentifier) as caught:
        ProsecutionNumber.parse("DPO_AU:PR/77/2026")
    assert caught.value.part == "institution"


def test_an_fir_written_with_dashes_is_told_the_form_with_an_example() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        Fir.parse("MH-AU-CIDCO-2026-0501")
    assert str(info.value) == (
        "expected an FIR number STATE/DISTRICT/STATION/YEAR/SERIAL, e.g. "
        "MH/AU/CIDCO/2024/0123; got 'MH-AU-CIDCO-2026-0501' (state: must be 2 letters A-Z)"
    )


@pytest.mark.parametrize(
    ("make", "example"),
    [
        (lambda: normalise_chassis("-"), "MA3FJEB1S00123456"),
        (lambda: normalise_engine("/"), "D13A1234567"),
        (lambda: PoliceStation("mh", "AU", "CIDCO"), "MH/AU/CIDCO"),
        (lambda: ProsecutionNumber.parse("DPO_AU:PR/77/2026"), "MH/AU/DDP:PR/77/2024"),
    ],
)
def test_every_identifier_error_gives_an_example(make: Callable[[], object], example: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        make()
    assert str(info.value).startswith("expected ") and f"e.g. {example}" in str(info.value)
