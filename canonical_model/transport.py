"""Vehicles and driving licences: what the police report about vehicles, what the transport
registries (Vahan for vehicles, Sarathi for licences) hold about them, and the events that
carry both.

A vehicle is named by any of three numbers, each spelled many ways: the registration mark
(:class:`~canonical_model.identifiers.VehicleRegistration` forgives spaces, dashes and case),
the chassis number (the 17-character VIN of ISO 3779 on vehicles since 2001, shorter on
older ones) and the engine number (free text). Stolen vehicles are often found with their
plates changed, so a seizure is matched to a theft on whichever number both reports carry.

Registry records are not events of a case: a Vahan or Sarathi record describes a vehicle
or a licence, whichever cases it appears in. Their events belong to the ``registry``
family (Kafka topic ``icjs.registry.v1``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from canonical_model.entities import CanonicalModel, Officer, Place, ShortText, Text
from canonical_model.identifiers import (
    DrivingLicence,
    Fir,
    VehicleRegistration,
    normalise_chassis,
    normalise_engine,
)

#: The transport registries of the Ministry of Road Transport and Highways, by the codes the
#: gateway knows them by: Vahan holds vehicle registrations, Sarathi driving licences.
VAHAN = "VAHAN"
SARATHI = "SARATHI"
#: Both registries.
REGISTRIES: tuple[str, ...] = (VAHAN, SARATHI)

#: How many trailing characters of a chassis number identify it when written short: police
#: and insurers quote the last five of the VIN (its serial part, ISO 3779 positions 13-17).
CHASSIS_SUFFIX_LENGTH = 5

#: A free-text vehicle number as the sender wrote it (normalised by the model's validators).
VehicleNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)
]


class VehicleIdentity(CanonicalModel):
    """The numbers a vehicle is known by; at least one of them.

    ``chassis`` and ``engine`` are stored normalised (upper case, no spaces, dashes, dots or
    slashes). A chassis of :data:`CHASSIS_SUFFIX_LENGTH` characters is a short form: it
    matches any chassis that ends with it, where only one does.
    """

    registration: VehicleRegistration | None = None
    chassis: VehicleNumber | None = None
    engine: VehicleNumber | None = None

    @field_validator("chassis")
    @classmethod
    def _normal_chassis(cls, value: str | None) -> str | None:
        return None if value is None else normalise_chassis(value)

    @field_validator("engine")
    @classmethod
    def _normal_engine(cls, value: str | None) -> str | None:
        return None if value is None else normalise_engine(value)

    @model_validator(mode="after")
    def _named(self) -> VehicleIdentity:
        if self.registration is None and self.chassis is None and self.engine is None:
            raise ValueError(
                "a vehicle is named by its registration, chassis or engine number; give one"
            )
        if self.chassis is not None and len(self.chassis) < CHASSIS_SUFFIX_LENGTH:
            raise ValueError(
                f"a chassis number has at least {CHASSIS_SUFFIX_LENGTH} characters "
                f"(its last {CHASSIS_SUFFIX_LENGTH} when written short)"
            )
        return self

    @property
    def chassis_is_short(self) -> bool:
        """True when only the last characters of the chassis number are known."""
        return self.chassis is not None and len(self.chassis) == CHASSIS_SUFFIX_LENGTH

    def describe(self) -> str:
        """The numbers given, for timelines: ``MH12AB1234 (chassis ...23456)``."""
        parts = []
        if self.registration is not None:
            parts.append(str(self.registration))
        if self.chassis is not None:
            parts.append(f"chassis {self.chassis}")
        if self.engine is not None:
            parts.append(f"engine {self.engine}")
        return ", ".join(parts)


class VehicleDescription(CanonicalModel):
    """What a vehicle looks like, as a report or a registry describes it."""

    kind: ShortText | None = Field(
        default=None, description="Vehicle class as the sender names it (motor car, motorcycle)."
    )
    make: ShortText | None = None
    model: ShortText | None = None
    colour: ShortText | None = None


class VehicleReportKind(StrEnum):
    """What the police report about a vehicle."""

    STOLEN = "stolen"
    RECOVERED = "recovered"
    SEIZED = "seized"


class VehicleReport(CanonicalModel):
    """A police report about a vehicle in a case: stolen (the FIR of the theft), recovered
    (found again, in the theft's case or another) or seized (BNSS s.106, CrPC s.102: property
    found in circumstances that create suspicion of an offence)."""

    fir: Fir
    vehicle: VehicleIdentity
    description: VehicleDescription | None = None
    on: dt.date = Field(description="When the vehicle was stolen, recovered or seized.")
    place: Place | None = None
    officer: Officer | None = None
    remarks: Text | None = None


# -- registry records (Vahan, Sarathi) --------------------------------------------------


class VehicleStatus(StrEnum):
    """A registration's standing in the registry (Vahan's record status, simplified)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"
    BLACKLISTED = "blacklisted"
    NOC_ISSUED = "noc_issued"
    OTHER = "other"


class VehicleOwner(CanonicalModel):
    """The registered owner of a vehicle."""

    name: ShortText
    father_name: ShortText | None = None
    address: Text | None = None


class VehicleRecord(CanonicalModel):
    """A vehicle's registration record as the registry holds it (Vahan)."""

    registration: VehicleRegistration
    chassis: VehicleNumber
    engine: VehicleNumber
    owner: VehicleOwner
    description: VehicleDescription
    registered_on: dt.date | None = None
    registering_authority: ShortText | None = Field(default=None, description="The RTO.")
    status: VehicleStatus = VehicleStatus.ACTIVE
    as_of: dt.date = Field(description="The day the registry read the record.")

    @field_validator("chassis")
    @classmethod
    def _normal_chassis(cls, value: str) -> str:
        return normalise_chassis(value)

    @field_validator("engine")
    @classmethod
    def _normal_engine(cls, value: str) -> str:
        return normalise_engine(value)

    def identity(self) -> VehicleIdentity:
        """The three numbers of the record as a vehicle identity."""
        return VehicleIdentity(
            registration=self.registration, chassis=self.chassis, engine=self.engine
        )


class LicenceStatus(StrEnum):
    """A driving licence's standing in the registry (Sarathi)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    SURRENDERED = "surrendered"


#: A class of vehicle a licence authorises, by the Sarathi abbreviation (MCWG, LMV, HGMV,
#: TRANS, ...; MV Act 1988 s.10(2) lists the classes).
LicenceClass = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9-]{1,12}$")
]


class LicenceRecord(CanonicalModel):
    """A driving licence as the registry holds it (Sarathi)."""

    licence: DrivingLicence
    holder: ShortText
    father_name: ShortText | None = None
    date_of_birth: dt.date
    classes: list[LicenceClass] = Field(min_length=1)
    valid_from: dt.date
    valid_until: dt.date
    issuing_authority: ShortText | None = None
    status: LicenceStatus = LicenceStatus.ACTIVE
    as_of: dt.date

    @model_validator(mode="after")
    def _validity(self) -> LicenceRecord:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


# -- links the gateway makes between cases ----------------------------------------------


class VehicleMatch(StrEnum):
    """Which number two reports of one vehicle have in common."""

    REGISTRATION = "registration"
    CHASSIS = "chassis"
    #: Only the last :data:`CHASSIS_SUFFIX_LENGTH` characters of a chassis number, where
    #: exactly one known chassis ends with them.
    CHASSIS_SUFFIX = "chassis_last5"
    ENGINE = "engine"


class VehicleLink(CanonicalModel):
    """The gateway found the vehicle this case reported in another case as well: a theft here
    and its recovery or seizure there, or the other way round.

    ``fir``, ``report_event``, ``kind`` and ``vehicle`` describe this case's report;
    ``other_*`` the other case's, as the police of that case reported it.
    """

    fir: Fir
    report_event: ShortText = Field(description="The event of this case's report.")
    kind: VehicleReportKind
    vehicle: VehicleIdentity = Field(description="The vehicle as this case's report names it.")
    matched_on: VehicleMatch
    other_case_id: ShortText
    other_fir: Fir
    other_police_station: ShortText
    other_kind: VehicleReportKind
    other_on: dt.date
    other_vehicle: VehicleIdentity = Field(
        description="The vehicle as the other case's report names it (the plates may differ)."
    )
    other_event: ShortText = Field(description="The event of the other case's report.")
