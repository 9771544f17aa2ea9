"""The police pillar's policy (CCTNS): the police speak the canonical model, so their policy is
declared here rather than beside an adapter.

A police key is bound to a State (``MH``), a district (``MH/AU``) or a station
(``MH/AU/CIDCO``); it speaks and reads for every station under it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from canonical_model.errors import Forbidden
from canonical_model.events import (
    VEHICLE_EVENTS,
    ChargesheetFiled,
    EventPayload,
    FirRegistered,
    ForensicRequested,
    InvestigationStepRecorded,
    PersonArrested,
)
from canonical_model.identifiers import Fir, PoliceStation
from canonical_model.policy import Policy, police_covers
from canonical_model.privacy import ReaderRole

if TYPE_CHECKING:
    from canonical_model.lifecycle import CaseStatus


class PolicePolicy(Policy):
    """Police units register FIRs, arrests, investigation steps, reports, forensic requests and
    vehicle reports of the stations they cover, and read those stations' cases."""

    pillar: ClassVar[str] = "police"
    noun: ClassVar[str] = "police unit"
    institution_help: ClassVar[str] = (
        "police: a State (MH), a district (MH/AU) or a station (MH/AU/CIDCO); the key speaks "
        "for every station under it"
    )
    sends: ClassVar[tuple[type[EventPayload], ...]] = (
        FirRegistered,
        PersonArrested,
        InvestigationStepRecorded,
        ChargesheetFiled,
        ForensicRequested,
        *VEHICLE_EVENTS,
    )

    def normalise_institution(self, code: str) -> str:
        """``STATE``, ``STATE/DISTRICT`` or ``STATE/DISTRICT/STATION`` in canonical form."""
        text = code.strip().upper()
        parts = [p.strip() for p in text.split("/")]
        if len(parts) == 3:
            return str(PoliceStation.parse(text))
        if len(parts) in (1, 2) and all(re.fullmatch(r"[A-Z0-9_-]{1,16}", p) for p in parts):
            if not re.fullmatch(r"[A-Z]{2}", parts[0]):
                raise ValueError(f"police institution {code!r}: state must be 2 letters")
            return "/".join(parts)
        raise ValueError(
            f"police institution {code!r}: expected STATE, STATE/DISTRICT or STATE/DISTRICT/STATION"
        )

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """The FIR the message is about must be of a station the unit covers."""
        fir = _fir_of(payload)
        if not police_covers(institution, str(fir.police_station)):
            raise Forbidden(
                f"FIR {fir} belongs to police station {fir.police_station}, "
                f"outside this key's institution {institution}"
            )

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """The police of the case's station, its district and its State read it."""
        return police_covers(institution, status.police_station)

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """The police of the case investigate it: they know whom they protect (BNS s.72(2)(a))."""
        if police_covers(institution, status.police_station):
            return frozenset({ReaderRole.POLICE_OF_CASE})
        return frozenset()


def _fir_of(payload: EventPayload) -> Fir:
    match payload:
        case FirRegistered(fir=record):
            return record.fir
        case PersonArrested(arrest=arrest):
            return arrest.fir
        case InvestigationStepRecorded(step=step):
            return step.fir
        case ChargesheetFiled(report=report):
            return report.fir
        case ForensicRequested(request=request):
            return request.fir
    fir: Fir = payload.report.fir  # type: ignore[attr-defined]  # the vehicle events
    return fir
