"""The prosecution pillar's policy (e-Prosecution): an office of BNSS s.20(1) speaks only for
itself and of cases of its area (checked against the case by
:func:`canonical_model.prosecution.check_prosecution_message`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from canonical_model.errors import Forbidden, InvalidIdentifier
from canonical_model.events import PROSECUTION_EVENTS, EventPayload
from canonical_model.identifiers import ProsecutionOffice
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import Policy
from canonical_model.privacy import ReaderRole, prosecution_offices
from canonical_model.prosecution import office_covers_case, prosecution_message


class ProsecutionPolicy(Policy):
    """Prosecution offices assign prosecutors, return scrutiny results, opinions and appeal
    recommendations; an office reads the cases of its area (BNSS s.20(10))."""

    pillar: ClassVar[str] = "prosecution"
    noun: ClassVar[str] = "prosecution office"
    institution_help: ClassVar[str] = (
        "prosecution: the BNSS s.20(1) office, MH/DOP (the State's Director), MH/AU/DDP or "
        "MH/AU/ADP (a district's Deputy or Assistant Director)"
    )
    feed_parameter: ClassVar[str | None] = "office"
    sends: ClassVar[tuple[type[EventPayload], ...]] = PROSECUTION_EVENTS

    def normalise_institution(self, code: str) -> str:
        """A prosecution office code (``MH/DOP``, ``MH/AU/DDP``)."""
        try:
            return str(ProsecutionOffice.parse(code.strip().upper()))
        except InvalidIdentifier as exc:
            raise ValueError(f"prosecution office {code!r}: {exc.part}: {exc.reason}") from None

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """An office speaks only for itself, and only of FIRs of its area as far as the
        message shows them (the case itself is checked on applying, whatever reference found
        it). Any level may deal with any proceeding (BNSS s.20(10))."""
        message = prosecution_message(payload)
        if message is None:
            raise Forbidden(f"prosecution clients may not send {payload.name}")
        office, fir = message.office, message.fir
        if str(office) != institution:
            raise Forbidden(
                f"the message is sent for prosecution office {office}; this key is for "
                f"{institution}"
            )
        if fir is not None and not office.covers(fir.state, fir.district):
            raise Forbidden(f"FIR {fir} is outside the area of prosecution office {office}")

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """The office handling the case, or one a report of it was routed to (BNSS s.20)."""
        if institution in prosecution_offices(status):
            return frozenset({ReaderRole.PROSECUTION_HANDLING})
        return frozenset()

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """An office of the case's area (BNSS s.20(10))."""
        return office_covers_case(ProsecutionOffice.parse(institution), status.police_station)
