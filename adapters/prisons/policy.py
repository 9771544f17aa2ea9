"""The prisons pillar's policy (e-Prisons): a prison speaks only of its own inmates, and admits
only on a warrant of a court seized that names it (:mod:`canonical_model.competence`)."""

from __future__ import annotations

from typing import ClassVar

from canonical_model.competence import Directory, check_prison_message, custody_prisoner
from canonical_model.errors import Forbidden
from canonical_model.events import CUSTODY_EVENTS, EventPayload
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import Policy


class PrisonsPolicy(Policy):
    """Prisons report admissions, productions, releases, transfers, readmissions, convictions,
    deaths and escapes of their inmates; a prison reads the cases of the accused it holds or
    held."""

    pillar: ClassVar[str] = "prisons"
    noun: ClassVar[str] = "prison"
    institution_help: ClassVar[str] = (
        "prisons: the prison's e-Prisons code, the institution part of its prisoner numbers "
        "(HARSUL_CP)"
    )
    feed_parameter: ClassVar[str | None] = "prison"
    sends: ClassVar[tuple[type[EventPayload], ...]] = CUSTODY_EVENTS

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """The prisoner number (the prison of departure, for a transfer) is the sender's."""
        prisoner = custody_prisoner(payload)
        if prisoner.institution != institution:
            raise Forbidden(
                f"prisoner {prisoner} is an inmate of {prisoner.institution}; this key is for "
                f"{institution}"
            )

    def check_case(
        self,
        institution: str,
        payload: EventPayload,
        *,
        status: CaseStatus,
        directory: Directory,
    ) -> None:
        """An admission rests on a warrant naming the prison; later messages on an inmate the
        case shows held there."""
        check_prison_message(status, payload, sender=institution)

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """A prison that holds or held an accused of the case."""
        return any(
            period.prison == institution
            for person in status.accused
            for period in person.custody_periods
        )
