"""The identifiers the gateway must know, as immutable value objects.

Every identifier here parses messy input (surrounding whitespace, lowercase,
the usual alternative separators), keeps its parts as typed fields, and prints
back exactly one canonical text form. ``parse(str(x)) == x`` holds for every
valid value. The canonical text, qualified by the identifier's ``kind``, is its
crosswalk key (:meth:`key`, e.g. ``cnr:MHAU010012342019``).

Every parse or construction failure is an
:class:`~canonical_model.errors.InvalidIdentifier` naming the part that is
wrong (``state``, ``serial``, ...). Constructors take the *canonical* parts
(uppercase codes, ints) and reject anything else; :meth:`parse` is the door for
untidy text.

Where each format is taken from:

* All of them: this project's ``DESIGN.md``, section "Identifiers the gateway
  must know".
* :class:`PoliceStation`, :class:`Fir`: no public source fixes police station
  codes (DESIGN.md), so district and station are opaque codes qualified by the
  2-letter state code, and the FIR text form ``STATE/DISTRICT/STATION/YEAR/SERIAL``
  is the gateway's own.
* :class:`Cnr`, :class:`EstablishmentCode`: the e-Courts help pages on the CNR
  (Case Number Record): 16 characters, ``^[A-Z]{4}[0-9]{12}$`` = state,
  district (``HC`` for a High Court), establishment, 6-digit serial, filing
  year; the first six characters are the court establishment code.
* :class:`CourtCaseNumber`: DESIGN.md — (case type, number, year) within an
  establishment; case-type codes differ from court to court, so they are opaque.
* :class:`VehicleRegistration`: DESIGN.md for the state-series layout; the
  Bharat series ``YY BH #### XX`` from the Ministry of Road Transport and
  Highways notification G.S.R. 594(E) of 26 August 2021.
* :class:`DrivingLicence`: the Central Motor Vehicles Rules / Sarathi licence
  number layout (state, RTO, year of issue, 7-digit serial).
* :class:`InstitutionNumber` and subclasses: DESIGN.md — prisoner, forensic lab
  case and prosecution numbers are local to the issuing institution and are
  always qualified with its code.
* :class:`ProsecutionOffice`: the offices of BNSS s.20(1) (a Directorate of Prosecution
  in the State, a District Directorate in every district); the text form
  ``STATE/DOP``, ``STATE/DISTRICT/DDP|ADP`` is the gateway's own, with the FIR's codes.

State codes are checked for shape (two letters) only, not against a list: the
list changes (``TS``/``TG``, ``OR``/``OD``, merged UTs) and old records keep old
codes.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeAlias, cast

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from canonical_model.errors import InvalidIdentifier

__all__ = [
    "CaseReference",
    "Cnr",
    "CourtCaseNumber",
    "DrivingLicence",
    "EstablishmentCode",
    "Fir",
    "Identifier",
    "InstitutionNumber",
    "LabCaseNumber",
    "PoliceStation",
    "PrisonerNumber",
    "ProsecutionLevel",
    "ProsecutionNumber",
    "ProsecutionOffice",
    "VehicleRegistration",
    "compact_number",
    "normalise_chassis",
    "normalise_engine",
    "parse_any",
]

#: Four-digit years accepted anywhere (FIR, CNR filing, case, licence issue):
#: from the Police Act of 1861 to a generous horizon.
YEAR_MIN = 1861
YEAR_MAX = 2200

_STATE = re.compile(r"[A-Z]{2}")
_DISTRICT = re.compile(r"[A-Z0-9_-]{1,16}")
_STATION = re.compile(r"[A-Z0-9_-]{1,32}")
_INSTITUTION = re.compile(r"[A-Z0-9_-]{1,32}")
_CASE_TYPE = re.compile(r"[A-Z0-9][A-Z0-9.()-]{0,15}")
_TWO_DIGITS = re.compile(r"[0-9]{2}")
_RTO = re.compile(r"[0-9]{1,2}")
_SERIES = re.compile(r"[A-Z]{0,3}")
_BH_SERIES = re.compile(r"[A-Z]{1,2}")
_SLASH = re.compile(r"\s*/\s*")
_SPACES_DASHES = re.compile(r"[\s-]+")
_PLATE_SEPARATORS = re.compile(r"[\s.-]+")
_FREE_TEXT_SEPARATORS = re.compile(r"[\s./-]+")


# --------------------------------------------------------------------------- helpers


def _fail(kind: str, value: object, part: str, reason: str) -> InvalidIdentifier:
    # Every error states the identifier's written form with an example (see _EXPECTED).
    return InvalidIdentifier(kind, value, part, reason, expected=_EXPECTED.get(kind))


def _code(
    kind: str,
    value: object,
    part: str,
    text: str,
    rx: re.Pattern[str],
    what: str,
    *,
    fold: bool = False,
) -> str:
    """Return ``text`` if it fully matches ``rx``, else raise naming ``part``.

    With ``fold`` (parsing), ``text`` is uppercased first and the uppercased
    text is returned; an error still quotes ``text`` as written.
    """
    candidate = text.upper() if fold else text
    if not rx.fullmatch(candidate):
        raise _fail(kind, value, part, f"must be {what}, got {text!r}")
    return candidate


def _digits(
    kind: str, value: object, part: str, text: str, low: int, high: int, lo: int, hi: int
) -> int:
    """Parse ``low``..``high`` ASCII digits into an int within ``lo``..``hi``."""
    what = f"{low} digits" if low == high else f"{low} to {high} digits"
    if not re.fullmatch(rf"[0-9]{{{low},{high}}}", text):
        raise _fail(kind, value, part, f"must be {what}, got {text!r}")
    return _in_range(kind, value, part, int(text), lo, hi)


def _in_range(kind: str, value: object, part: str, number: object, lo: int, hi: int) -> int:
    """Return ``number`` if it is an int within ``lo``..``hi``, else raise naming ``part``."""
    if not isinstance(number, int) or isinstance(number, bool):
        raise _fail(kind, value, part, f"must be an int, got {number!r}")
    if not lo <= number <= hi:
        raise _fail(kind, value, part, f"must be {lo} to {hi}, got {number}")
    return number


def _str_part(
    kind: str, value: object, part: str, text: object, rx: re.Pattern[str], what: str
) -> str:
    """Check a string field given to a constructor."""
    if not isinstance(text, str):
        raise _fail(kind, value, part, f"must be a string, got {text!r}")
    return _code(kind, value, part, text, rx, what)


def _slash_parts(kind: str, text: str, names: tuple[str, ...]) -> list[str]:
    """Split ``text`` at ``/`` (spaces around allowed); reject extra parts.

    Missing parts are reported by :func:`_nth` when the caller reaches them, so
    that a wrong earlier part (say, dashes instead of slashes) is named first.
    """
    parts = _SLASH.split(text.strip())
    if len(parts) > len(names):
        extra = "/".join(parts[len(names) :])
        raise _fail(
            kind,
            text,
            names[-1],
            f"unexpected text {extra!r} after the {names[-1]}; expected {'/'.join(names)}",
        )
    return parts


def _nth(kind: str, text: str, parts: list[str], names: tuple[str, ...], i: int) -> str:
    """The ``i``-th part, or an error saying it is missing."""
    if i < len(parts):
        return parts[i]
    raise _fail(kind, text, names[i], f"missing; expected {'/'.join(names)}")


def _take(
    kind: str, text: str, compact: str, spec: tuple[tuple[str, int, str, str], ...]
) -> list[str]:
    """Cut ``compact`` into fixed-width parts ``(name, width, char class, description)``.

    Parts are returned uppercased. The first part that does not fit is named;
    trailing text is blamed on the last part.
    """
    out: list[str] = []
    pos = 0
    for name, width, chars, what in spec:
        piece = compact[pos : pos + width]
        if not re.fullmatch(rf"{chars}{{{width}}}", piece.upper()):
            raise _fail(kind, text, name, f"must be {what}, got {piece!r}")
        out.append(piece.upper())
        pos += width
    if pos < len(compact):
        last = spec[-1][0]
        raise _fail(kind, text, last, f"unexpected text {compact[pos:]!r} after the {last}")
    return out


def _to_str(value: object) -> str:
    return str(value)


@functools.cache
def _field_names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.lru_cache(maxsize=16_384)
def _parsed(cls: Any, text: str) -> Any:
    # Identifiers are frozen: one parsed from the same text can be shared. Stations, courts
    # and offices recur in message after message; a failure is not kept (it raises).
    return cls.parse(text)


# --------------------------------------------------------------------------- base


class _TextIdentifier:
    """Shared behaviour of every identifier: crosswalk key and pydantic integration.

    Subclasses are frozen, slotted dataclasses that set the class variables and
    implement :meth:`parse` and ``__str__``.
    """

    __slots__ = ()

    #: Short name of the identifier kind, the prefix of its crosswalk key.
    kind: ClassVar[str]
    #: Regular expression (JSON Schema / ECMA-262 compatible) accepting the canonical form.
    pattern: ClassVar[str]
    #: Human description used in the JSON Schema.
    description: ClassVar[str]
    #: Canonical examples used in the JSON Schema.
    examples: ClassVar[tuple[str, ...]]
    #: What the identifier is called in an error, with its article (``an FIR number``).
    label: ClassVar[str]
    #: Its written form in an error (``STATE/DISTRICT/STATION/YEAR/SERIAL``).
    form: ClassVar[str]

    @classmethod
    def expected(cls) -> str:
        """What an error says was expected: the label, the form and an example."""
        return f"{cls.label} {cls.form}, e.g. {cls.examples[0]}"

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``text`` (messy spellings allowed) or raise InvalidIdentifier."""
        raise NotImplementedError

    def key(self) -> str:
        """The crosswalk key: ``"<kind>:<canonical text>"``."""
        return f"{self.kind}:{self}"

    def _fields(self) -> dict[str, object]:
        """The constructor arguments, to quote in an error."""
        return {name: getattr(self, name) for name in _field_names(cast(Any, type(self)))}

    @classmethod
    def _validate(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            parsed: Self = _parsed(cast(Any, cls), value)
            return parsed
        raise InvalidIdentifier(
            cls.kind, value, "value", f"expected a string, got {type(value).__name__}"
        )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate from a str (or an instance); serialise to the canonical str."""
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _to_str, return_schema=core_schema.str_schema(), when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """A string with the canonical pattern, a description and examples."""
        return {
            "type": "string",
            "pattern": cls.pattern,
            "description": cls.description,
            "examples": list(cls.examples),
        }


# --------------------------------------------------------------------------- police


def _check_station(
    kind: str, value: object, state: object, district: object, station: object
) -> None:
    _str_part(kind, value, "state", state, _STATE, "2 letters A-Z")
    _str_part(kind, value, "district", district, _DISTRICT, "1 to 16 of A-Z 0-9 _ -")
    _str_part(kind, value, "station", station, _STATION, "1 to 32 of A-Z 0-9 _ -")


def _parse_station(kind: str, text: str, parts: list[str], names: tuple[str, ...]) -> list[str]:
    """The uppercased state, district and station of a parsed ``/`` text."""
    return [
        _code(kind, text, names[i], _nth(kind, text, parts, names, i), rx, what, fold=True)
        for i, rx, what in (
            (0, _STATE, "2 letters A-Z"),
            (1, _DISTRICT, "1 to 16 of A-Z 0-9 _ -"),
            (2, _STATION, "1 to 32 of A-Z 0-9 _ -"),
        )
    ]


@dataclass(frozen=True, slots=True)
class PoliceStation(_TextIdentifier):
    """A police station: state code, opaque district code, opaque station code.

    Canonical form ``MH/AU/CIDCO``.
    """

    state: str
    district: str
    station: str

    kind = "police_station"
    pattern = r"^[A-Z]{2}/[A-Z0-9_-]{1,16}/[A-Z0-9_-]{1,32}$"
    description = (
        "Police station: STATE/DISTRICT/STATION (state code, opaque district and station codes)."
    )
    examples = ("MH/AU/CIDCO",)
    label = "a police station code"
    form = "STATE/DISTRICT/STATION"

    _NAMES: ClassVar[tuple[str, ...]] = ("state", "district", "station")

    def __post_init__(self) -> None:
        _check_station(self.kind, self._fields(), self.state, self.district, self.station)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``MH/AU/CIDCO``; case and spaces around ``/`` are forgiven."""
        parts = _slash_parts(cls.kind, text, cls._NAMES)
        state, district, station = _parse_station(cls.kind, text, parts, cls._NAMES)
        return cls(state, district, station)

    def __str__(self) -> str:
        return f"{self.state}/{self.district}/{self.station}"

    def jurisdiction_prefixes(self) -> tuple[str, str, str]:
        """The state, district and station prefixes: ``("MH", "MH/AU", "MH/AU/CIDCO")``."""
        return (self.state, f"{self.state}/{self.district}", str(self))


@dataclass(frozen=True, slots=True)
class Fir(_TextIdentifier):
    """A First Information Report: unique per (state, district, station, year, serial).

    Canonical form ``MH/AU/CIDCO/2024/0123`` (serial zero-padded to at least 4 digits).
    """

    state: str
    district: str
    station: str
    year: int
    serial: int

    kind = "fir"
    pattern = r"^[A-Z]{2}/[A-Z0-9_-]{1,16}/[A-Z0-9_-]{1,32}/[0-9]{4}/[0-9]{4,6}$"
    description = "FIR: STATE/DISTRICT/STATION/YEAR/SERIAL, serial zero-padded to 4 digits."
    examples = ("MH/AU/CIDCO/2024/0123",)
    label = "an FIR number"
    form = "STATE/DISTRICT/STATION/YEAR/SERIAL"

    _NAMES: ClassVar[tuple[str, ...]] = ("state", "district", "station", "year", "serial")

    def __post_init__(self) -> None:
        value = self._fields()
        _check_station(self.kind, value, self.state, self.district, self.station)
        _in_range(self.kind, value, "year", self.year, YEAR_MIN, YEAR_MAX)
        _in_range(self.kind, value, "serial", self.serial, 1, 999_999)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``MH/AU/CIDCO/2024/123`` (leading zeros of the serial optional)."""
        parts = _slash_parts(cls.kind, text, cls._NAMES)
        state, district, station = _parse_station(cls.kind, text, parts, cls._NAMES)
        year = _digits(
            cls.kind,
            text,
            "year",
            _nth(cls.kind, text, parts, cls._NAMES, 3),
            4,
            4,
            YEAR_MIN,
            YEAR_MAX,
        )
        serial = _digits(
            cls.kind, text, "serial", _nth(cls.kind, text, parts, cls._NAMES, 4), 1, 6, 1, 999_999
        )
        return cls(state, district, station, year, serial)

    def __str__(self) -> str:
        return f"{self.state}/{self.district}/{self.station}/{self.year}/{self.serial:04d}"

    @property
    def police_station(self) -> PoliceStation:
        """The police station that registered the FIR."""
        return PoliceStation(self.state, self.district, self.station)


# --------------------------------------------------------------------------- courts

_ESTABLISHMENT_SPEC: tuple[tuple[str, int, str, str], ...] = (
    ("state", 2, "[A-Z]", "2 letters A-Z"),
    ("district", 2, "[A-Z]", "2 letters A-Z"),
    ("establishment", 2, "[0-9]", "2 digits"),
)


def _check_establishment(
    kind: str, value: object, state: object, district: object, number: object, part: str
) -> None:
    _str_part(kind, value, "state", state, _STATE, "2 letters A-Z")
    _str_part(kind, value, "district", district, _STATE, "2 letters A-Z")
    _str_part(kind, value, part, number, _TWO_DIGITS, "2 digits")


@dataclass(frozen=True, slots=True)
class EstablishmentCode(_TextIdentifier):
    """A court establishment, the first six characters of a CNR: ``MHAU01``."""

    state: str
    district: str
    number: str

    kind = "court"
    pattern = r"^[A-Z]{4}[0-9]{2}$"
    description = "Court establishment code: state, district (HC for a High Court), 2-digit number."
    examples = ("MHAU01",)
    label = "a court establishment code"
    form = "of 2-letter state, 2-letter district (HC for a High Court) and 2 digits"

    def __post_init__(self) -> None:
        _check_establishment(
            self.kind, self._fields(), self.state, self.district, self.number, "number"
        )

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``MHAU01``; case, spaces and dashes are forgiven."""
        compact = _SPACES_DASHES.sub("", text)
        spec = (*_ESTABLISHMENT_SPEC[:2], ("number", 2, "[0-9]", "2 digits"))
        state, district, number = _take(cls.kind, text, compact, spec)
        return cls(state, district, number)

    def __str__(self) -> str:
        return f"{self.state}{self.district}{self.number}"


@dataclass(frozen=True, slots=True)
class Cnr(_TextIdentifier):
    """An e-Courts Case Number Record (CNR).

    Canonical ``MHAU010012342019``; often written ``MHAU01-001234-2019``.
    """

    state: str
    district: str
    establishment: str
    serial: int
    year: int

    kind = "cnr"
    pattern = r"^[A-Z]{4}[0-9]{12}$"
    description = (
        "e-Courts CNR: state, district (HC for a High Court), 2-digit establishment, "
        "6-digit serial, 4-digit filing year."
    )
    examples = ("MHAU010012342019",)
    label = "a CNR"
    form = "of 16 characters (establishment code, 6-digit serial, 4-digit year)"

    def __post_init__(self) -> None:
        value = self._fields()
        _check_establishment(
            self.kind, value, self.state, self.district, self.establishment, "establishment"
        )
        _in_range(self.kind, value, "serial", self.serial, 1, 999_999)
        _in_range(self.kind, value, "year", self.year, YEAR_MIN, YEAR_MAX)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse the compact or dashed form; case and spaces are forgiven."""
        groups = [g for g in _SPACES_DASHES.split(text.strip()) if g]
        serial_spec = (("serial", 6, "[0-9]", "6 digits"),)
        year_spec = (("year", 4, "[0-9]", "4 digits"),)
        if len(groups) == 3:  # MHAU01-001234-2019: judge each group on its own
            state, district, establishment = _take(cls.kind, text, groups[0], _ESTABLISHMENT_SPEC)
            (serial_text,) = _take(cls.kind, text, groups[1], serial_spec)
            (year_text,) = _take(cls.kind, text, groups[2], year_spec)
        else:
            spec = _ESTABLISHMENT_SPEC + serial_spec + year_spec
            state, district, establishment, serial_text, year_text = _take(
                cls.kind, text, "".join(groups), spec
            )
        serial = _in_range(cls.kind, text, "serial", int(serial_text), 1, 999_999)
        year = _in_range(cls.kind, text, "year", int(year_text), YEAR_MIN, YEAR_MAX)
        return cls(state, district, establishment, serial, year)

    def __str__(self) -> str:
        return f"{self.state}{self.district}{self.establishment}{self.serial:06d}{self.year:04d}"

    @classmethod
    def expected(cls) -> str:
        """The form and the example, and the dashed spelling read on input as well."""
        return f"{cls.label} {cls.form}, e.g. {cls.examples[0]} or MHAU01-001234-2019"

    def dashed(self) -> str:
        """The dashed spelling ``MHAU01-001234-2019``."""
        return f"{self.establishment_code}-{self.serial:06d}-{self.year:04d}"

    @property
    def establishment_code(self) -> EstablishmentCode:
        """The court establishment the case is filed in."""
        return EstablishmentCode(self.state, self.district, self.establishment)


@dataclass(frozen=True, slots=True)
class CourtCaseNumber(_TextIdentifier):
    """A case number within a court establishment: ``MHAU01/SC/123/2024``.

    ``case_type`` is the court's own code (``SC``, ``R.C.C.``, ``SPL.CASE``).
    Filing and registration numbers have this same shape.
    """

    establishment: EstablishmentCode
    case_type: str
    number: int
    year: int

    kind = "case_no"
    pattern = r"^[A-Z]{4}[0-9]{2}/[A-Z0-9][A-Z0-9.()-]{0,15}/[1-9][0-9]{0,6}/[0-9]{4}$"
    description = "Court case number: ESTABLISHMENT/CASE_TYPE/NUMBER/YEAR."
    examples = ("MHAU01/SC/123/2024",)
    label = "a court case number"
    form = "ESTABLISHMENT/CASE_TYPE/NUMBER/YEAR"

    _NAMES: ClassVar[tuple[str, ...]] = ("establishment", "case_type", "number", "year")
    _CASE_TYPE_WHAT: ClassVar[str] = "1 to 16 of A-Z 0-9 . ( ) -, starting with a letter or digit"

    def __post_init__(self) -> None:
        value = self._fields()
        if not isinstance(self.establishment, EstablishmentCode):
            raise _fail(self.kind, value, "establishment", "must be an EstablishmentCode")
        _str_part(self.kind, value, "case_type", self.case_type, _CASE_TYPE, self._CASE_TYPE_WHAT)
        _in_range(self.kind, value, "number", self.number, 1, 9_999_999)
        _in_range(self.kind, value, "year", self.year, YEAR_MIN, YEAR_MAX)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``MHAU01/SC/123/2024``; case and spaces around ``/`` are forgiven."""
        parts = _slash_parts(cls.kind, text, cls._NAMES)
        try:
            establishment = EstablishmentCode.parse(_nth(cls.kind, text, parts, cls._NAMES, 0))
        except InvalidIdentifier as exc:
            raise _fail(cls.kind, text, "establishment", f"{exc.part}: {exc.reason}") from None
        case_type = _code(
            cls.kind,
            text,
            "case_type",
            _nth(cls.kind, text, parts, cls._NAMES, 1),
            _CASE_TYPE,
            cls._CASE_TYPE_WHAT,
            fold=True,
        )
        number = _digits(
            cls.kind, text, "number", _nth(cls.kind, text, parts, cls._NAMES, 2), 1, 7, 1, 9_999_999
        )
        year = _digits(
            cls.kind,
            text,
            "year",
            _nth(cls.kind, text, parts, cls._NAMES, 3),
            4,
            4,
            YEAR_MIN,
            YEAR_MAX,
        )
        return cls(establishment, case_type, number, year)

    def __str__(self) -> str:
        return f"{self.establishment}/{self.case_type}/{self.number}/{self.year}"


# --------------------------------------------------------------------------- transport


@dataclass(frozen=True, slots=True)
class VehicleRegistration(_TextIdentifier):
    """A vehicle registration mark.

    State series: ``state`` (2 letters), ``rto`` (1-2 digits, kept as given),
    ``series`` (0-3 letters), ``number`` (1..9999, printed as 4 digits):
    ``MH12AB1234``, ``DL3CAF0001``. Bharat series (G.S.R. 594(E)): ``bh_year``
    (2 digits), ``number`` (0..9999, 4 digits), ``series`` (1-2 letters), with
    ``state`` and ``rto`` None: ``22BH1234AA``. Use :meth:`standard` and
    :meth:`bharat` to build one.
    """

    state: str | None
    rto: str | None
    series: str
    number: int
    bh_year: int | None = None

    kind = "vehicle"
    pattern = r"^(?:[A-Z]{2}[0-9]{1,2}[A-Z]{0,3}[0-9]{4}|[0-9]{2}BH[0-9]{4}[A-Z]{1,2})$"
    description = "Vehicle registration: state series (MH12AB1234) or Bharat series (22BH1234AA)."
    examples = ("MH12AB1234", "DL3CAF0001", "22BH1234AA")
    label = "a vehicle registration number"
    form = "of state, RTO, series and number, or Bharat series YYBH####XX"

    def __post_init__(self) -> None:
        value = self._fields()
        if self.bh_year is None:
            _str_part(self.kind, value, "state", self.state, _STATE, "2 letters A-Z")
            _str_part(self.kind, value, "rto", self.rto, _RTO, "1 or 2 digits")
            _str_part(self.kind, value, "series", self.series, _SERIES, "0 to 3 letters A-Z")
            _in_range(self.kind, value, "number", self.number, 1, 9999)
        else:
            _in_range(self.kind, value, "year", self.bh_year, 0, 99)
            if self.state is not None or self.rto is not None:
                raise _fail(self.kind, value, "state", "a Bharat-series mark has no state or RTO")
            _str_part(self.kind, value, "series", self.series, _BH_SERIES, "1 or 2 letters A-Z")
            _in_range(self.kind, value, "number", self.number, 0, 9999)

    @classmethod
    def standard(cls, state: str, rto: str, series: str, number: int) -> Self:
        """A state-series registration such as ``MH12AB1234``."""
        return cls(state, rto, series, number)

    @classmethod
    def bharat(cls, year: int, number: int, series: str) -> Self:
        """A Bharat-series registration such as ``22BH1234AA``."""
        return cls(None, None, series, number, year)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse a registration mark; spaces, dashes, dots and case are forgiven.

        The RTO code is the 1-2 digits right after the state. With no series
        letters, the digits are split at a separator if the text has one there,
        else the last four are the number (the canonical form pads to four).
        """
        tokens = [t for t in _PLATE_SEPARATORS.split(text.strip()) if t]
        compact = "".join(tokens)
        if compact[:1].isascii() and compact[:1].isdigit():
            return cls._parse_bharat(text, compact)
        state = _code(cls.kind, text, "state", compact[:2], _STATE, "2 letters A-Z", fold=True)
        match = re.fullmatch(r"([0-9]*)([A-Za-z]*)(.*)", compact[2:], re.DOTALL)
        assert match is not None  # the pattern matches any string
        digits, series, tail = match.groups()
        if series:
            rto, number_text = digits, tail
        elif tail:
            raise _fail(cls.kind, text, "number", f"must be 1 to 4 digits, got {tail!r}")
        else:
            cut = cls._rto_cut(tokens, digits)
            rto, number_text = digits[:cut], digits[cut:]
        _code(cls.kind, text, "rto", rto, _RTO, "1 or 2 digits")
        series = _code(cls.kind, text, "series", series, _SERIES, "0 to 3 letters A-Z", fold=True)
        number = _digits(cls.kind, text, "number", number_text, 1, 4, 1, 9999)
        return cls(state, rto, series, number)

    @staticmethod
    def _rto_cut(tokens: list[str], digits: str) -> int:
        """Where the RTO code ends in the digits after the state, when there is no series."""
        pos = 0
        for token in tokens:  # a separator inside the digit run marks the cut
            pos += len(token)
            if 2 < pos < 2 + len(digits):
                return pos - 2
        if len(digits) >= 5:
            return len(digits) - 4
        return min(2, max(len(digits) - 1, 1))

    @classmethod
    def _parse_bharat(cls, text: str, compact: str) -> Self:
        year_text, marker = compact[:2], compact[2:4]
        year = _digits(cls.kind, text, "year", year_text, 2, 2, 0, 99)
        if marker.upper() != "BH":
            raise _fail(
                cls.kind,
                text,
                "bh",
                f"a mark starting with digits must be Bharat series YYBH####XX; "
                f"expected 'BH' after the year, got {marker!r}",
            )
        match = re.fullmatch(r"([0-9]*)(.*)", compact[4:], re.DOTALL)
        assert match is not None  # the pattern matches any string
        number_text, series = match.groups()
        number = _digits(cls.kind, text, "number", number_text, 1, 4, 0, 9999)
        series = _code(
            cls.kind, text, "series", series, _BH_SERIES, "1 or 2 letters A-Z", fold=True
        )
        return cls(None, None, series, number, year)

    @property
    def is_bharat_series(self) -> bool:
        """True for a Bharat-series (``YYBH####XX``) mark."""
        return self.bh_year is not None

    def __str__(self) -> str:
        if self.bh_year is not None:
            return f"{self.bh_year:02d}BH{self.number:04d}{self.series}"
        return f"{self.state}{self.rto}{self.series}{self.number:04d}"

    def display(self) -> str:
        """The spaced form printed on plates and documents: ``MH 12 AB 1234``, ``22 BH 1234 AA``."""
        if self.bh_year is not None:
            return f"{self.bh_year:02d} BH {self.number:04d} {self.series}"
        parts = [self.state or "", self.rto or "", self.series, f"{self.number:04d}"]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class DrivingLicence(_TextIdentifier):
    """A driving licence number: ``MH1420110012345``.

    State (2 letters), RTO (2 digits), year of issue (4 digits), serial (7 digits).
    """

    state: str
    rto: str
    year: int
    serial: int

    kind = "dl"
    pattern = r"^[A-Z]{2}[0-9]{13}$"
    description = "Driving licence: state, 2-digit RTO, 4-digit year of issue, 7-digit serial."
    examples = ("MH1420110012345",)
    label = "a driving licence number"
    form = "of state, 2-digit RTO, 4-digit year of issue, 7-digit serial"

    _SPEC: ClassVar[tuple[tuple[str, int, str, str], ...]] = (
        ("state", 2, "[A-Z]", "2 letters A-Z"),
        ("rto", 2, "[0-9]", "2 digits"),
        ("year", 4, "[0-9]", "4 digits"),
        ("serial", 7, "[0-9]", "7 digits"),
    )

    def __post_init__(self) -> None:
        value = self._fields()
        _str_part(self.kind, value, "state", self.state, _STATE, "2 letters A-Z")
        _str_part(self.kind, value, "rto", self.rto, _TWO_DIGITS, "2 digits")
        _in_range(self.kind, value, "year", self.year, YEAR_MIN, YEAR_MAX)
        _in_range(self.kind, value, "serial", self.serial, 1, 9_999_999)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``MH1420110012345``, also ``MH14 20110012345``, ``MH-14-2011-0012345``."""
        compact = _SPACES_DASHES.sub("", text)
        state, rto, year_text, serial_text = _take(cls.kind, text, compact, cls._SPEC)
        year = _in_range(cls.kind, text, "year", int(year_text), YEAR_MIN, YEAR_MAX)
        serial = _in_range(cls.kind, text, "serial", int(serial_text), 1, 9_999_999)
        return cls(state, rto, year, serial)

    def __str__(self) -> str:
        return f"{self.state}{self.rto}{self.year:04d}{self.serial:07d}"


def compact_number(text: str) -> str:
    """A free-text number as the gateway compares it: upper case, without spaces, dashes, dots
    or slashes (``ma3-fjeb1.s00/123 456`` -> ``MA3FJEB1S00123456``); may be empty."""
    return _FREE_TEXT_SEPARATORS.sub("", text).upper()


def _free_text(kind: str, text: str) -> str:
    compact = compact_number(text)
    if not compact:
        raise _fail(kind, text, "value", "empty after removing spaces, dashes, dots and slashes")
    return compact


def normalise_chassis(text: str) -> str:
    """Normalise a chassis number (VIN): uppercase, without spaces, dashes, dots or slashes."""
    return _free_text("chassis", text)


def normalise_engine(text: str) -> str:
    """Normalise an engine number: uppercase, without spaces, dashes, dots or slashes."""
    return _free_text("engine", text)


# --------------------------------------------------------------------------- institutions


def _normalise_local_number(text: str) -> str:
    return " ".join(text.split()).upper()


@dataclass(frozen=True, slots=True)
class InstitutionNumber(_TextIdentifier):
    """A number local to an institution, qualified by its code: ``YERAWADA_CP:C/1234/2024``.

    ``institution`` is 1-32 of ``A-Z 0-9 _ -``; ``number`` is 1-64 printable
    characters, uppercase, single-spaced. The text splits at the first ``:``.
    """

    institution: str
    number: str

    kind = "institution_no"
    pattern = r"^[A-Z0-9_-]{1,32}:\S(?:.{0,62}\S)?$"
    description = "Institution-local number: INSTITUTION:NUMBER."
    examples = ("YERAWADA_CP:C/1234/2024",)
    label = "an institution's number"
    form = "INSTITUTION:NUMBER"

    def __post_init__(self) -> None:
        value = self._fields()
        _str_part(
            self.kind,
            value,
            "institution",
            self.institution,
            _INSTITUTION,
            "1 to 32 of A-Z 0-9 _ -",
        )
        self._check_number(value, self.number)
        if not isinstance(self.number, str) or self.number != _normalise_local_number(self.number):
            raise _fail(self.kind, value, "number", "must be uppercase and single-spaced")

    @classmethod
    def _check_number(cls, value: object, number: object) -> None:
        if not isinstance(number, str):
            raise _fail(cls.kind, value, "number", f"must be a string, got {number!r}")
        if not 1 <= len(number) <= 64:
            raise _fail(cls.kind, value, "number", f"must be 1 to 64 characters, got {len(number)}")
        if not number.isprintable():
            raise _fail(cls.kind, value, "number", f"must be printable, got {number!r}")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``INSTITUTION:NUMBER``; case and whitespace are forgiven."""
        institution, colon, number = text.partition(":")
        if not colon:
            raise _fail(cls.kind, text, "institution", "missing; expected INSTITUTION:NUMBER")
        institution = _code(
            cls.kind,
            text,
            "institution",
            institution.strip(),
            _INSTITUTION,
            "1 to 32 of A-Z 0-9 _ -",
            fold=True,
        )
        number = _normalise_local_number(number)
        cls._check_number(text, number)
        return cls(institution, number)

    def __str__(self) -> str:
        return f"{self.institution}:{self.number}"


@dataclass(frozen=True, slots=True)
class PrisonerNumber(InstitutionNumber):
    """A prisoner number, qualified by the prison's code."""

    kind = "prisoner"
    description = "Prisoner number: PRISON:NUMBER."
    examples = ("YERAWADA_CP:C/1234/2024",)
    label = "a prisoner number"
    form = "PRISON:NUMBER"


@dataclass(frozen=True, slots=True)
class LabCaseNumber(InstitutionNumber):
    """A forensic laboratory case number, qualified by the laboratory's code."""

    kind = "lab_case"
    description = "Forensic lab case number: LAB:NUMBER."
    examples = ("RFSL_AU:DNA-2024-0456",)
    label = "a forensic lab case number"
    form = "LAB:NUMBER"


# --------------------------------------------------------------------------- prosecution


class ProsecutionLevel(StrEnum):
    """The three ranks of prosecution office BNSS s.20(1) sets up, by the code the gateway's
    office identifiers end in.

    s.20(1)(a): a Directorate of Prosecution in the State, headed by the Director; s.20(1)(b):
    a District Directorate in every district, of Deputy and Assistant Directors.
    """

    DIRECTOR = "DOP"
    DEPUTY_DIRECTOR = "DDP"
    ASSISTANT_DIRECTOR = "ADP"

    @property
    def office_title(self) -> str:
        """The office in words: ``Deputy Director of Prosecution``."""
        return {
            "DOP": "Director of Prosecution",
            "DDP": "Deputy Director of Prosecution",
            "ADP": "Assistant Director of Prosecution",
        }[self.value]

    @property
    def is_district(self) -> bool:
        """Whether offices of this level sit in a district (s.20(1)(b)) rather than the State."""
        return self is not ProsecutionLevel.DIRECTOR


_OFFICE_LEVEL = "DOP, DDP or ADP"


@dataclass(frozen=True, slots=True)
class ProsecutionOffice(_TextIdentifier):
    """A prosecution office of BNSS s.20(1): the State's Director of Prosecution (``MH/DOP``), or
    a district's Deputy or Assistant Director (``MH/AU/DDP``, ``MH/AU/ADP``).

    State and district codes are those of the FIR (``MH/AU/CIDCO/2024/0123``), so an office is
    matched with the cases of its State or district without a table of districts.
    """

    state: str
    district: str | None
    level: ProsecutionLevel

    kind = "prosecution_office"
    pattern = r"^[A-Z]{2}/(?:DOP|[A-Z0-9_-]{1,16}/(?:DDP|ADP))$"
    description = (
        "Prosecution office (BNSS s.20(1)): STATE/DOP for the Director of Prosecution, "
        "STATE/DISTRICT/DDP or STATE/DISTRICT/ADP for a district's Deputy or Assistant Director."
    )
    examples = ("MH/DOP", "MH/AU/DDP", "MH/AU/ADP")
    label = "a prosecution office"
    form = "STATE/DOP or STATE/DISTRICT/DDP or STATE/DISTRICT/ADP"

    def __post_init__(self) -> None:
        value = self._fields()
        _str_part(self.kind, value, "state", self.state, _STATE, "2 letters A-Z")
        if not isinstance(self.level, ProsecutionLevel):
            raise _fail(self.kind, value, "level", f"must be {_OFFICE_LEVEL}")
        if self.level.is_district:
            _str_part(
                self.kind, value, "district", self.district, _DISTRICT, "1 to 16 of A-Z 0-9 _ -"
            )
        elif self.district is not None:
            raise _fail(self.kind, value, "district", "the Director of Prosecution has no district")

    @classmethod
    def director(cls, state: str) -> Self:
        """The State's Director of Prosecution: ``MH/DOP``."""
        return cls(state, None, ProsecutionLevel.DIRECTOR)

    @classmethod
    def district_office(cls, state: str, district: str, level: ProsecutionLevel) -> Self:
        """A district's Deputy or Assistant Director: ``MH/AU/DDP``."""
        return cls(state, district, level)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``MH/DOP``, ``MH/AU/DDP`` or ``MH/AU/ADP``; case and spaces around ``/`` are
        forgiven."""
        parts = [p.upper() for p in _SLASH.split(text.strip())]
        if len(parts) not in (2, 3):
            raise _fail(cls.kind, text, "level", "expected STATE/DOP or STATE/DISTRICT/DDP|ADP")
        state = _code(cls.kind, text, "state", parts[0], _STATE, "2 letters A-Z")
        try:
            level = ProsecutionLevel(parts[-1])
        except ValueError:
            raise _fail(
                cls.kind, text, "level", f"must be {_OFFICE_LEVEL}, got {parts[-1]!r}"
            ) from None
        if len(parts) == 2:
            if level.is_district:
                raise _fail(
                    cls.kind, text, "district", f"missing; {level.value} is a district office"
                )
            return cls(state, None, level)
        if not level.is_district:
            raise _fail(cls.kind, text, "district", "the Director of Prosecution has no district")
        district = _code(cls.kind, text, "district", parts[1], _DISTRICT, "1 to 16 of A-Z 0-9 _ -")
        return cls(state, district, level)

    def __str__(self) -> str:
        if self.district is None:
            return f"{self.state}/{self.level.value}"
        return f"{self.state}/{self.district}/{self.level.value}"

    def covers(self, state: str, district: str | None) -> bool:
        """Whether a case of ``state`` and ``district`` (an FIR's codes) is within the office's
        area: the Director's is the State, a district office's its district."""
        if state != self.state:
            return False
        return self.district is None or district == self.district


@dataclass(frozen=True, slots=True)
class ProsecutionNumber(InstitutionNumber):
    """A prosecution number, qualified by the prosecution office's code (``MH/AU/DDP:PR/77/2024``).

    The office is a :class:`ProsecutionOffice`, whose code has slashes, so this number has its
    own pattern; the text still splits at the first ``:``.
    """

    kind = "prosecution_no"
    pattern = r"^[A-Z]{2}/(?:DOP|[A-Z0-9_-]{1,16}/(?:DDP|ADP)):\S(?:.{0,62}\S)?$"
    description = "Prosecution number: OFFICE:NUMBER, the office as MH/AU/DDP."
    examples = ("MH/AU/DDP:PR/77/2024",)
    label = "a prosecution number"
    form = "OFFICE:NUMBER"

    def __post_init__(self) -> None:
        value = self._fields()
        if not isinstance(self.institution, str):
            raise _fail(self.kind, value, "institution", "must be a prosecution office code")
        try:
            office = ProsecutionOffice.parse(self.institution)
        except InvalidIdentifier as exc:
            raise _fail(self.kind, value, "institution", f"{exc.part}: {exc.reason}") from None
        if str(office) != self.institution:
            raise _fail(self.kind, value, "institution", f"must be written {office}")
        self._check_number(value, self.number)
        if self.number != _normalise_local_number(self.number):
            raise _fail(self.kind, value, "number", "must be uppercase and single-spaced")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``OFFICE:NUMBER``; case and whitespace are forgiven."""
        office_text, colon, number = text.partition(":")
        if not colon:
            raise _fail(cls.kind, text, "institution", "missing; expected OFFICE:NUMBER")
        try:
            office = ProsecutionOffice.parse(office_text)
        except InvalidIdentifier as exc:
            raise _fail(cls.kind, text, "institution", f"{exc.part}: {exc.reason}") from None
        number = _normalise_local_number(number)
        cls._check_number(text, number)
        return cls(str(office), number)

    @property
    def office(self) -> ProsecutionOffice:
        """The office that gave the number."""
        return ProsecutionOffice.parse(self.institution)


# --------------------------------------------------------------------------- expected forms

#: What an error says was expected, by identifier kind (read by :func:`_fail` when it raises).
_EXPECTED: dict[str, str] = {
    cls.kind: cls.expected()
    for cls in (
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
        ProsecutionOffice,
        ProsecutionNumber,
    )
} | {
    "chassis": "a chassis number (VIN) of letters and digits, e.g. MA3FJEB1S00123456",
    "engine": "an engine number of letters and digits, e.g. D13A1234567",
}


# --------------------------------------------------------------------------- any

#: Every identifier class of this module.
Identifier: TypeAlias = (
    PoliceStation
    | Fir
    | Cnr
    | EstablishmentCode
    | CourtCaseNumber
    | VehicleRegistration
    | DrivingLicence
    | InstitutionNumber
    | ProsecutionOffice
)
#: The identifiers a case can be looked up by.
CaseReference: TypeAlias = Cnr | Fir | CourtCaseNumber

_CASE_REFERENCE_CLASSES: tuple[type[Cnr] | type[Fir] | type[CourtCaseNumber], ...] = (
    Cnr,
    Fir,
    CourtCaseNumber,
)


def parse_any(text: str) -> CaseReference:
    """Parse a case reference: a CNR, else an FIR, else a court case number.

    Raises InvalidIdentifier (kind ``case reference``, part ``ref``) listing why
    each was rejected.
    """
    reasons: list[str] = []
    for cls in _CASE_REFERENCE_CLASSES:
        try:
            return cls.parse(text)
        except InvalidIdentifier as exc:
            reasons.append(f"{cls.kind} ({exc.part}: {exc.reason})")
    raise InvalidIdentifier("case reference", text, "ref", "tried " + "; ".join(reasons))
