"""The courts pillar's policy (e-Courts): a court establishment speaks only of its own cases,
and only of a case it is seized of (:mod:`canonical_model.competence`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from canonical_model.competence import Directory, check_court_message
from canonical_model.errors import Forbidden
from canonical_model.events import (
    CourtCaseRegistered,
    EventPayload,
    HearingRecorded,
    JudgmentDelivered,
    OrderIssued,
)
from canonical_model.identifiers import EstablishmentCode
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import Policy
from canonical_model.privacy import ReaderRole, court_roles


class CourtsPolicy(Policy):
    """Court establishments register the cases they are seized of, record hearings, make
    orders and deliver judgments in them; superior courts transfer cases (BNSS ss.446-448).
    A court reads the cases it is or was seized of."""

    pillar: ClassVar[str] = "courts"
    noun: ClassVar[str] = "court establishment"
    institution_help: ClassVar[str] = (
        "courts: the e-Courts establishment code, state + district + number (MHAU01; "
        "MHHC01 for a High Court bench)"
    )
    feed_parameter: ClassVar[str | None] = "court"
    sends: ClassVar[tuple[type[EventPayload], ...]] = (
        CourtCaseRegistered,
        HearingRecorded,
        OrderIssued,
        JudgmentDelivered,
    )

    def normalise_institution(self, code: str) -> str:
        """An e-Courts establishment code (``MHAU01``)."""
        return str(EstablishmentCode.parse(code.strip().upper()))

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """A court registers under its own establishment and CNR, and speaks of its own CNRs;
        an order is the issuing court's (a superior court's transfer names the CNR below)."""
        match payload:
            case CourtCaseRegistered(court_case=court_case):
                _own(institution, str(court_case.establishment), "establishment")
                _own(institution, str(court_case.cnr.establishment_code), "CNR")
            case HearingRecorded(hearing=hearing):
                _own(institution, str(hearing.cnr.establishment_code), "CNR")
            case OrderIssued(order=order):
                _own(institution, str(order.issuing_court), "order's issuing court")
            case JudgmentDelivered(judgment=judgment):
                _own(institution, str(judgment.cnr.establishment_code), "CNR")

    def check_case(
        self,
        institution: str,
        payload: EventPayload,
        *,
        status: CaseStatus,
        directory: Directory,
    ) -> None:
        """Only the court seized speaks of the case (BNSS ss.58, 187, 193, 232, 446-448)."""
        check_court_message(status, payload, sender=institution, directory=directory)

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """The court seized (BNSS s.366: it tries the case), and the Juvenile Justice Board seized
        of a child (JJ Act 2015 ss.8, 74)."""
        return court_roles(status, institution=institution, court_levels=court_levels)

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """The court seized, and every court that was (a committing Magistrate)."""
        return institution == status.court or any(
            s.court == institution for s in status.seized_courts
        )


def _own(institution: str, establishment: str, what: str) -> None:
    if establishment != institution:
        raise Forbidden(
            f"the {what} names court establishment {establishment}; this key is for {institution}"
        )
