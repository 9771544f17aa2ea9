"""The prosecution's events (e-Prosecution) folded into a case's status: prosecutor
assignments, scrutiny of police reports, legal opinions and appeal recommendations.

How each folds is :func:`canonical_model.prosecution.apply_prosecution`'s, next to the rules
the prosecution's messages are checked by; this module routes them there. A police report's
filing, which the prosecution folds too, is the police's event
(:mod:`canonical_model.lifecycle.police`).
"""

from __future__ import annotations

from canonical_model.events import (
    AppealRecommended,
    LegalOpinionGiven,
    ProsecutorAssigned,
    ScrutinyCompleted,
)
from canonical_model.lifecycle.handlers import PillarHandlers
from canonical_model.lifecycle.status import CaseStatus
from canonical_model.prosecution import apply_prosecution

_ProsecutionEvent = ProsecutorAssigned | ScrutinyCompleted | LegalOpinionGiven | AppealRecommended


def _prosecution(status: CaseStatus, payload: _ProsecutionEvent) -> None:
    apply_prosecution(status.prosecution, payload)


#: The prosecution's handlers, by payload type.
HANDLERS = PillarHandlers("prosecution")
HANDLERS.add(ProsecutorAssigned, _prosecution)
HANDLERS.add(ScrutinyCompleted, _prosecution)
HANDLERS.add(LegalOpinionGiven, _prosecution)
HANDLERS.add(AppealRecommended, _prosecution)
