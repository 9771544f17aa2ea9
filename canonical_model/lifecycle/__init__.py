"""A case's consolidated status, as a projection of its events.

``project(events)`` folds a case's events, in the order the gateway accepted
them, into a :class:`CaseStatus`. The gateway never stores status that cannot
be rebuilt this way: the event log is the truth, the status a cache of it.

Early events are held by the gateway until their case is known, so by the time
an event reaches this fold it always belongs to a known case; the fold itself
is still tolerant of court events whose dates arrive out of order (a hearing
recorded after a later one does not move the next date backwards).

The package: :mod:`~canonical_model.lifecycle.status` holds the models; each pillar's
module (:mod:`~canonical_model.lifecycle.police`, ``courts``, ``prisons``, ``forensics``,
``prosecution``, ``transport``) registers a handler for each event it folds; and
:mod:`~canonical_model.lifecycle.fold` dispatches every event to its handler.
"""

from __future__ import annotations

from canonical_model.lifecycle.fold import apply, apply_in_place, project
from canonical_model.lifecycle.prisons import inmate_by_prisoner, match_accused
from canonical_model.lifecycle.status import (
    AccusedStatus,
    CaseLicenceOrder,
    CaseStatus,
    CaseVehicle,
    CaseVehicleLink,
    CaseVehicleReport,
    CourtStage,
    HearingSummary,
    PoliceStage,
)

__all__ = [
    "AccusedStatus",
    "CaseLicenceOrder",
    "CaseStatus",
    "CaseVehicle",
    "CaseVehicleLink",
    "CaseVehicleReport",
    "CourtStage",
    "HearingSummary",
    "PoliceStage",
    "apply",
    "apply_in_place",
    "inmate_by_prisoner",
    "match_accused",
    "project",
]
