"""The forensics pillar's policy (e-Forensics): a laboratory speaks only under its own lab case
numbers, of requests addressed to it (checked against the case by
:func:`canonical_model.forensics.check_forensic_message`)."""

from __future__ import annotations

from typing import ClassVar

from canonical_model.errors import Forbidden
from canonical_model.events import (
    EventPayload,
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
)
from canonical_model.identifiers import LabCaseNumber
from canonical_model.lifecycle import CaseStatus
from canonical_model.policy import Policy


class ForensicsPolicy(Policy):
    """Laboratories acknowledge the requests addressed to them, record the chain of custody
    and report; a laboratory reads the cases whose exhibits it was asked to examine."""

    pillar: ClassVar[str] = "forensics"
    noun: ClassVar[str] = "laboratory"
    institution_help: ClassVar[str] = (
        "forensics: the laboratory's code, the institution part of its lab case numbers (RFSL_AU)"
    )
    feed_parameter: ClassVar[str | None] = "lab"
    sends: ClassVar[tuple[type[EventPayload], ...]] = (
        ForensicAcknowledged,
        ForensicCustodyRecorded,
        ForensicReported,
        ForensicReportRevised,
    )

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """The lab case number carries the sender's own code."""
        lab = _lab_case(payload).institution
        if lab != institution:
            raise Forbidden(
                f"the lab case number belongs to laboratory {lab}; this key is for {institution}"
            )

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """A laboratory the police sent a request of the case to."""
        return any(request.lab == institution for request in status.forensic_requests)


def _lab_case(payload: EventPayload) -> LabCaseNumber:
    match payload:
        case ForensicAcknowledged(acknowledgement=ack):
            return ack.lab_case
        case ForensicCustodyRecorded(custody=custody):
            return custody.lab_case
        case ForensicReported(report=report) | ForensicReportRevised(report=report):
            return report.lab_case
    raise Forbidden(f"{payload.name} is not a laboratory message")
