"""Every event the case status folds has one handler, in its pillar's module; the rest change
nothing. Pure: canonical_model only."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Iterable
from typing import Any

import pytest

from canonical_model import events
from canonical_model.entities import AccusedCustody
from canonical_model.events import EventPayload
from canonical_model.lifecycle import (
    AccusedStatus,
    CaseStatus,
    CourtStage,
    PoliceStage,
    apply_in_place,
    fold,
)
from canonical_model.lifecycle.handlers import PillarHandlers

T0 = dt.datetime(2026, 8, 14, tzinfo=dt.UTC)

#: The pillar module each folded payload type's handler lives in.
FOLDED_BY: dict[type[EventPayload], str] = {
    events.FirRegistered: "police",
    events.PersonArrested: "police",
    events.ChargesheetFiled: "police",
    events.CourtCaseRegistered: "courts",
    events.HearingRecorded: "courts",
    events.OrderIssued: "courts",
    events.JudgmentDelivered: "courts",
    events.InmateAdmitted: "prisons",
    events.InmateProduced: "prisons",
    events.InmateReleased: "prisons",
    events.InmateTransferred: "prisons",
    events.InmateReadmitted: "prisons",
    events.InmateConvicted: "prisons",
    events.CustodialDeathReported: "prisons",
    events.CustodyEscapeReported: "prisons",
    events.VehicleReportedStolen: "transport",
    events.VehicleRecovered: "transport",
    events.VehicleSeized: "transport",
    events.VehicleLinked: "transport",
    events.ForensicRequested: "forensics",
    events.ForensicAcknowledged: "forensics",
    events.ForensicCustodyRecorded: "forensics",
    events.ForensicReported: "forensics",
    events.ForensicReportRevised: "forensics",
    events.ProsecutorAssigned: "prosecution",
    events.ScrutinyCompleted: "prosecution",
    events.LegalOpinionGiven: "prosecution",
    events.AppealRecommended: "prosecution",
}

#: Payload types no pillar folds into the status: an investigation step only moves the
#: statutory clocks (noted before dispatch), registry records belong to no case, and the
#: deadline notices are the gateway's announcements of the status, not changes to it.
NOT_FOLDED: set[type[EventPayload]] = {
    events.InvestigationStepRecorded,
    events.VehicleRecordReceived,
    events.LicenceRecordReceived,
    events.DeadlineDueSoon,
    events.DeadlineBreached,
}


def concrete_payload_classes() -> set[type[EventPayload]]:
    """Every payload class of the events module that names an event (bases name none)."""
    return {
        cls
        for _, cls in inspect.getmembers(events, inspect.isclass)
        if issubclass(cls, EventPayload)
        and cls is not EventPayload
        and isinstance(getattr(cls, "name", None), str)
    }


def by_name(kinds: Iterable[type[EventPayload]]) -> list[type[EventPayload]]:
    """``kinds`` in a stable order, for test ids."""
    return sorted(kinds, key=lambda k: k.name)


class _Unregistered(EventPayload):
    """A payload type no pillar registered (a third party's, say)."""

    name = "test.unregistered"
    pillar = "test"


class _LateFir(events.FirRegistered):
    """A subclass of a folded type: the old fold's ``case FirRegistered()`` matched it too."""

    name = "test.late_fir"


def test_every_payload_class_is_either_folded_or_known_not_to_be() -> None:
    found = concrete_payload_classes()
    assert found == set(events.EVENT_PAYLOADS.values())
    assert not set(FOLDED_BY) & NOT_FOLDED
    assert found - set(FOLDED_BY) - NOT_FOLDED == set(), "a new event type: fold it or list it"
    assert set(FOLDED_BY) | NOT_FOLDED == found


def test_the_table_holds_exactly_the_folded_types() -> None:
    assert set(fold.HANDLERS) == set(FOLDED_BY)


@pytest.mark.parametrize("kind", by_name(FOLDED_BY), ids=[k.name for k in by_name(FOLDED_BY)])
def test_each_folded_type_has_its_handler_in_its_pillars_module(
    kind: type[EventPayload],
) -> None:
    pillar = FOLDED_BY[kind]
    module = importlib.import_module(f"canonical_model.lifecycle.{pillar}")
    handler = fold.handler_for(kind)
    assert handler is not None
    assert handler.__module__ == module.__name__
    assert module.HANDLERS[kind] is handler


@pytest.mark.parametrize(
    ("family", "pillar"),
    [
        (events.CUSTODY_EVENTS, "prisons"),
        (events.FORENSIC_EVENTS, "forensics"),
        (events.PROSECUTION_EVENTS, "prosecution"),
        (events.VEHICLE_EVENTS, "transport"),
    ],
)
def test_each_event_family_is_folded_by_its_pillar(
    family: tuple[type[EventPayload], ...], pillar: str
) -> None:
    module = importlib.import_module(f"canonical_model.lifecycle.{pillar}")
    assert set(family) <= set(module.HANDLERS)


@pytest.mark.parametrize("kind", by_name(NOT_FOLDED), ids=[k.name for k in by_name(NOT_FOLDED)])
def test_the_types_no_pillar_folds_have_no_handler(kind: type[EventPayload]) -> None:
    assert fold.handler_for(kind) is None


def test_a_subclass_of_a_folded_type_is_folded_as_that_type() -> None:
    assert fold.handler_for(_LateFir) is fold.HANDLERS[events.FirRegistered]
    assert fold.handler_for(_Unregistered) is None


def a_status() -> CaseStatus:
    """A status with something in every part an unfolded event could wrongly touch."""
    return CaseStatus(
        case_id="case_x",
        identifiers={"fir": ["MH-PUN-0101:2026:123"]},
        police_station="MH-PUN-0101",
        police_stage=PoliceStage.CHARGE_SHEET_FILED,
        police_reports=["charge sheet CS-1"],
        court="MHPU01",
        court_stage=CourtStage.PENDING,
        hearings_count=2,
        next_hearing_date=dt.date(2026, 12, 16),
        accused=[
            AccusedStatus(
                ref="A1",
                name="Ravi Kumar",
                police_status="charge_sheeted",
                charge_sheeted=True,
                custody=AccusedCustody.JUDICIAL_CUSTODY,
                prisoner_numbers=["MH-YER:1234"],
            )
        ],
        custody_alerts=["escape from custody of prisoner MH-YER:1234 on 2026-09-01"],
        events_count=7,
        last_event_at=T0,
    )


def test_an_unregistered_payload_type_leaves_the_status_as_before() -> None:
    status = a_status()
    before = status.model_dump(exclude={"events_count", "last_event_at"})
    later = T0 + dt.timedelta(days=1)
    apply_in_place(status, _Unregistered(), time=later)
    assert status.model_dump(exclude={"events_count", "last_event_at"}) == before
    # ... but it is still an event of the case, counted like any other.
    assert status.events_count == 8
    assert status.last_event_at == later


def test_apply_in_place_dispatches_through_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[CaseStatus, Any]] = []
    monkeypatch.setattr(fold, "HANDLERS", {_Unregistered: lambda s, p: seen.append((s, p))})
    status, payload = a_status(), _Unregistered()
    apply_in_place(status, payload, time=T0)
    assert seen == [(status, payload)]


def test_a_type_is_registered_once() -> None:
    pillar = PillarHandlers("test")
    pillar.add(_Unregistered, lambda s, p: None)
    with pytest.raises(ValueError, match="_Unregistered has a handler already"):
        pillar.add(_Unregistered, lambda s, p: None)


def test_two_pillars_cannot_fold_one_type() -> None:
    one, other = PillarHandlers("one"), PillarHandlers("other")
    one.add(_Unregistered, lambda s, p: None)
    other.add(_Unregistered, lambda s, p: None)
    with pytest.raises(ValueError, match="folded by two pillars"):
        fold._merge(one, other)
