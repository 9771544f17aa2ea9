"""The forensic labs' events (e-Forensics) folded into a case's status: requests,
acknowledgements, chain of custody, reports and their revisions.

How each folds is :func:`canonical_model.forensics.apply_forensic`'s, next to the rules the
lab's messages are checked by; this module routes them there.
"""

from __future__ import annotations

from canonical_model.events import (
    ForensicAcknowledged,
    ForensicCustodyRecorded,
    ForensicReported,
    ForensicReportRevised,
    ForensicRequested,
)
from canonical_model.forensics import apply_forensic
from canonical_model.lifecycle.handlers import PillarHandlers
from canonical_model.lifecycle.status import CaseStatus

_ForensicEvent = (
    ForensicRequested
    | ForensicAcknowledged
    | ForensicCustodyRecorded
    | ForensicReported
    | ForensicReportRevised
)


def _forensic(status: CaseStatus, payload: _ForensicEvent) -> None:
    apply_forensic(status.forensic_requests, payload)


#: The forensic labs' handlers, by payload type.
HANDLERS = PillarHandlers("forensics")
HANDLERS.add(ForensicRequested, _forensic)
HANDLERS.add(ForensicAcknowledged, _forensic)
HANDLERS.add(ForensicCustodyRecorded, _forensic)
HANDLERS.add(ForensicReported, _forensic)
HANDLERS.add(ForensicReportRevised, _forensic)
