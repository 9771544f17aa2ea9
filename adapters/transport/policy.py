"""The transport pillar's policy (Vahan and Sarathi): each registry speaks only for its own
records, and neither reads cases (it reads its feed and the look-ups)."""

from __future__ import annotations

from typing import ClassVar

from canonical_model.errors import Forbidden
from canonical_model.events import EventPayload, LicenceRecordReceived, VehicleRecordReceived
from canonical_model.policy import Policy
from canonical_model.transport import REGISTRIES, SARATHI, VAHAN


class TransportPolicy(Policy):
    """Vahan sends vehicle registration records, Sarathi driving licence records."""

    pillar: ClassVar[str] = "transport"
    noun: ClassVar[str] = "registry"
    institution_help: ClassVar[str] = (
        "transport: VAHAN (vehicle registrations) or SARATHI (driving licences)"
    )
    feed_parameter: ClassVar[str | None] = "registry"
    sends: ClassVar[tuple[type[EventPayload], ...]] = (VehicleRecordReceived, LicenceRecordReceived)

    def normalise_institution(self, code: str) -> str:
        """``VAHAN`` or ``SARATHI``."""
        text = code.strip().upper()
        if text not in REGISTRIES:
            raise ValueError(
                f"transport registry {code!r}: one of {', '.join(REGISTRIES)} "
                "(Vahan for vehicle registrations, Sarathi for driving licences)"
            )
        return text

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """Vehicle records come from Vahan, licence records from Sarathi."""
        registry, what = (
            (VAHAN, "vehicle registration records")
            if isinstance(payload, VehicleRecordReceived)
            else (SARATHI, "driving licence records")
        )
        if institution != registry:
            raise Forbidden(
                f"{what} come from the {registry} registry; this key is for {institution}"
            )
