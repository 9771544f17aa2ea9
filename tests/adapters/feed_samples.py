"""Representative canonical events for every event type a pillar's feed can carry, in every
variant that changes what the feed entry says: a court order of each :class:`OrderKind`, a
judgment with each :class:`Verdict`, each kind of police report, a forensic request for each
:class:`ExaminationKind`, each vehicle report, and the statutory clocks of every pillar that
has them.

The data is the scenario's case (``gateway.cli.scenario``, the robbery at CIDCO), as the gateway
holds it after ingest: a court order and a judgment carry the prisoner number of the accused
in prison (``inmates``, written at ingest), a judgment the prosecution office of the case.
The shared contract suite (``contract_suite.py``) asks each adapter whether an event goes to
one of its feeds and, when it does, validates the feed page against the pillar's own contract.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from canonical_model.deadline_actions import action
from canonical_model.entities import OrderKind, PoliceReportKind, Verdict
from canonical_model.events import (
    ChargesheetFiled,
    DeadlineBreached,
    DeadlineDueSoon,
    DeadlineNotice,
    EventPayload,
    ForensicRequested,
    JudgmentDelivered,
    OrderIssued,
    VehicleRecovered,
    VehicleReportedStolen,
    VehicleSeized,
)
from canonical_model.forensic_records import ExaminationKind
from gateway.cli import scenario

CASE = scenario.refs(417)
#: A1 in judicial custody at the scenario's prison (the number its admission gives him).
INMATE = f"{scenario.PRISON}:UT/{CASE.cnr.serial}/{CASE.cnr.year}"
#: The Sessions Court the Magistrate commits to, and the High Court that transfers or stays.
SESSIONS_COURT = "MHAU02"
HIGH_COURT = "MHHC01"


@dataclass(frozen=True)
class FeedSample:
    """One canonical event a feed may be asked to carry; ``id`` names its variant."""

    id: str
    payload: EventPayload


# -- court orders: one per kind ------------------------------------------------------------

#: What an order of each kind says beyond the common fields, as a court sends it (the courts
#: goldens ``order.*`` have the same forms).
ORDER_FIELDS: dict[OrderKind, dict[str, Any]] = {
    OrderKind.BAIL_GRANTED: {
        "text": "A1 enlarged on bail on a personal bond of Rs 25,000 with one surety."
    },
    OrderKind.BAIL_REJECTED: {"text": "Bail application of A1 rejected."},
    OrderKind.REMAND: {
        "prison": scenario.PRISON,
        "custody_kind": "judicial",
        "until": "2026-09-01",
        "text": "A1 remanded to judicial custody till 01-09-2026.",
    },
    OrderKind.SUMMONS: {"text": "Issue summons to A1 for 15-09-2026."},
    OrderKind.WARRANT: {"text": "Non-bailable warrant against A1."},
    OrderKind.PRODUCTION: {
        "appearance_date": "2026-09-01",
        "text": "Produce A1 before this court on 01-09-2026.",
    },
    OrderKind.RELEASE: {"text": "Release A1 forthwith if not required in any other case."},
    OrderKind.CHARGES_FRAMED: {"text": "Charge framed against A1 under BNS s.309(6)."},
    OrderKind.OTHER: {"text": "Case called out; adjourned."},
    OrderKind.CUSTODY: {
        "prison": scenario.PRISON,
        "custody_kind": "judicial",
        "until": "2026-09-15",
        "text": "A1 to remain in judicial custody during the trial.",
    },
    OrderKind.CONVICTION: {"text": "A1 sentenced to rigorous imprisonment for seven years."},
    OrderKind.LICENCE_SUSPENSION: {
        "licence": {
            "licence": "MH1420110012345",
            "effective_from": "2026-08-29",
            "effective_until": "2027-02-28",
            "provision": "Motor Vehicles Act 1988 s.20",
            "accused_ref": "A1",
        },
        "text": "The driving licence of A1 is suspended for six months.",
    },
    OrderKind.LICENCE_REVOCATION: {
        "licence": {
            "licence": "MH1420110012345",
            "effective_from": "2026-08-29",
            "provision": "Motor Vehicles Act 1988 s.20",
            "accused_ref": "A1",
        },
        "text": "The driving licence of A1 is revoked.",
    },
    OrderKind.COMMITTAL: {
        "to_court": SESSIONS_COURT,
        "text": "Case committed to the Court of Session; A1 remanded to custody until the "
        "conclusion of the trial (BNSS s.232).",
    },
    OrderKind.TRANSFER: {
        "to_court": "MHAU03",
        "issued_by": HIGH_COURT,
        "text": "Case transferred to the Additional Chief Judicial Magistrate (BNSS s.447).",
    },
    OrderKind.COGNIZANCE: {"text": "Cognizance taken of the offences under BNSS s.210."},
    OrderKind.EXTENSION: {
        "provision": "BNSS 232",
        "until": "2026-12-30",
        "text": "Period for committal extended for the reasons recorded.",
    },
    OrderKind.STAY: {
        "issued_by": HIGH_COURT,
        "until": "2026-10-07",
        "text": "Further proceedings stayed till the next date.",
    },
    OrderKind.STAY_VACATED: {"issued_by": HIGH_COURT, "text": "Interim stay vacated."},
}


def order(kind: OrderKind) -> OrderIssued:
    """The court's order of ``kind`` in the scenario case concerning A1, held in prison."""
    return OrderIssued.model_validate(
        {
            "order": {
                "cnr": str(CASE.cnr),
                "order_number": f"{kind.value.upper()}/{CASE.cnr.serial}/{CASE.cnr.year}",
                "order_date": "2026-08-29",
                "kind": kind.value,
                "accused_refs": ["A1"],
                **ORDER_FIELDS[kind],
            },
            "inmates": [INMATE],
        }
    )


# -- judgments: one per verdict ----------------------------------------------------------------


def judgment(verdict: Verdict) -> JudgmentDelivered:
    """The scenario case's judgment for A1 (held in prison) with ``verdict``."""
    sentence = (
        {"sentence": {"imprisonment_months": 84, "fine_inr": 10000}}
        if verdict is Verdict.CONVICTED
        else {}
    )
    return JudgmentDelivered.model_validate(
        {
            "judgment": {
                "cnr": str(CASE.cnr),
                "judgment_date": "2027-03-10",
                "verdicts": [
                    {
                        "accused_ref": "A1",
                        "verdict": verdict.value,
                        "offences": [{"act": "BNS", "section": "309(6)"}],
                        **sentence,
                    }
                ],
                "judge": {"name": "Shri S. K. Kulkarni", "rank": "Sessions Judge"},
            },
            "inmates": [INMATE],
            "prosecution_office": scenario.PROSECUTION_OFFICE,
        }
    )


# -- police reports -------------------------------------------------------------------------


def police_report(
    kind: PoliceReportKind, *, supplementary: bool = False, version: int | None = None
) -> ChargesheetFiled:
    """The scenario's police report, as a charge sheet or (naming no accused) a closure or
    untraced report, original or supplementary, first filed or re-filed."""
    data = copy.deepcopy(scenario.chargesheet_filed(CASE))["data"]
    data["report"] |= {"kind": kind.value, "supplementary": supplementary}
    if kind is not PoliceReportKind.CHARGE_SHEET:
        data["report"]["accused"] = []
    return ChargesheetFiled.model_validate(data | {"report_version": version})


# -- forensic requests: one per examination -----------------------------------------------


def forensic_request(examination: ExaminationKind) -> ForensicRequested:
    """The scenario's request to the laboratory, asking for ``examination``."""
    data = copy.deepcopy(scenario.forensic_requested(CASE))["data"]
    data["request"]["examinations"] = [examination.value]
    return ForensicRequested.model_validate(data)


# -- deadlines: a clock of each pillar that has them -----------------------------------------

#: A clock of each pillar, as the gateway's emitter announces it (``gateway.services.deadlines``).
CLOCKS: dict[str, dict[str, Any]] = {
    "police": {
        "clock": "BNSS 193(2)",
        "provision": "BNSS 193(2)",
        "title": "investigation of an offence of rape completed within two months",
        "institution": scenario.STATION,
        "started_by": "information recorded",
        "started_on": "2026-08-15",
        "due_on": "2026-10-14",
        "fir": str(CASE.fir),
    },
    "police, hours": {
        "clock": "BNSS 58/A1",
        "provision": "BNSS 58",
        "title": "production before a Magistrate within 24 hours of arrest",
        "institution": scenario.STATION,
        "accused_ref": "A1",
        "started_by": "arrest",
        "started_on": "2026-08-17",
        "due_on": "2026-08-18",
        "due_at": "2026-08-18T11:05:00+05:30",
        "fir": str(CASE.fir),
    },
    "courts": {
        "clock": "BNSS 232",
        "provision": "BNSS 232",
        "title": "committal to the Court of Session within 90 days of cognizance",
        "institution": scenario.COURT,
        "started_by": "cognizance taken",
        "started_on": "2026-10-20",
        "due_on": "2027-01-18",
        "cnr": str(CASE.cnr),
        "fir": str(CASE.fir),
    },
    "courts, hours": {
        "clock": "BNSS 58/A1",
        "provision": "BNSS 58",
        "title": "production before a Magistrate within 24 hours of arrest",
        "institution": scenario.COURT,
        "accused_ref": "A1",
        "started_by": "arrest",
        "started_on": "2026-08-17",
        "due_on": "2026-08-18",
        "due_at": "2026-08-18T11:05:00+05:30",
    },
    "prisons": {
        "clock": "BNSS 479(1)/A1/1/2",
        "provision": "BNSS 479(1)",
        "title": "undertrial detained for one half of the maximum term (548 days, not a first "
        "offender): the Superintendent applies to the court (BNSS 479(3))",
        "institution": scenario.PRISON,
        "accused_ref": "A1",
        "started_by": "detention (arrest or admission)",
        "started_on": "2026-08-17",
        "due_on": "2028-02-15",
        "prisoner": INMATE,
        "cnr": str(CASE.cnr),
        "fir": str(CASE.fir),
    },
}


def deadline(
    cls: type[DeadlineDueSoon] | type[DeadlineBreached], clock: str
) -> DeadlineDueSoon | DeadlineBreached:
    """The announcement ``cls`` of the clock ``clock`` (a key of :data:`CLOCKS`)."""
    fields = dict(CLOCKS[clock])
    breached = cls is DeadlineBreached
    notice = DeadlineNotice.model_validate(
        fields
        | {
            "pillar": clock.split(",")[0],
            "state": "overdue" if breached else "due",
            "days_left": -1 if breached else 7,
            "action": action(fields["provision"], title=fields["title"]),
        }
    )
    return cls(deadline=notice)


def _vehicle(cls: type[VehicleReportedStolen | VehicleRecovered | VehicleSeized]) -> EventPayload:
    source = scenario.vehicle_seized if cls is VehicleSeized else scenario.vehicle_stolen
    return cls.model_validate(copy.deepcopy(source(CASE))["data"])


#: Every variant of every event type a feed can carry, by event name.
SAMPLES: dict[str, Callable[[], list[FeedSample]]] = {
    OrderIssued.name: lambda: [FeedSample(k.value, order(k)) for k in OrderKind],
    JudgmentDelivered.name: lambda: [FeedSample(v.value, judgment(v)) for v in Verdict],
    ChargesheetFiled.name: lambda: [
        FeedSample("charge_sheet", police_report(PoliceReportKind.CHARGE_SHEET, version=1)),
        FeedSample("charge_sheet-refiled", police_report(PoliceReportKind.CHARGE_SHEET, version=2)),
        FeedSample(
            "charge_sheet-supplementary",
            police_report(PoliceReportKind.CHARGE_SHEET, supplementary=True),
        ),
        FeedSample("closure", police_report(PoliceReportKind.CLOSURE)),
        FeedSample("untraced", police_report(PoliceReportKind.UNTRACED)),
    ],
    ForensicRequested.name: lambda: [
        FeedSample(k.value, forensic_request(k)) for k in ExaminationKind
    ],
    VehicleReportedStolen.name: lambda: [FeedSample("stolen", _vehicle(VehicleReportedStolen))],
    VehicleRecovered.name: lambda: [FeedSample("recovered", _vehicle(VehicleRecovered))],
    VehicleSeized.name: lambda: [FeedSample("seized", _vehicle(VehicleSeized))],
    DeadlineDueSoon.name: lambda: [
        FeedSample(clock.replace(", ", "-"), deadline(DeadlineDueSoon, clock)) for clock in CLOCKS
    ],
    DeadlineBreached.name: lambda: [
        FeedSample(clock.replace(", ", "-"), deadline(DeadlineBreached, clock)) for clock in CLOCKS
    ],
}


def feed_samples(event_types: tuple[str, ...]) -> list[tuple[str, str]]:
    """(event type, variant id) of every sample of ``event_types``; an event type without
    samples gives one pair with variant ``""``, which the suite fails on."""
    pairs: list[tuple[str, str]] = []
    for event_type in event_types:
        make = SAMPLES.get(event_type)
        ids = [sample.id for sample in make()] if make else [""]
        pairs.extend((event_type, sample_id) for sample_id in ids)
    return pairs


def sample(event_type: str, sample_id: str) -> EventPayload:
    """The payload of one sample."""
    make = SAMPLES.get(event_type)
    assert make is not None, f"no representative sample of {event_type}: add one to SAMPLES"
    (found,) = [s.payload for s in make() if s.id == sample_id]
    return found
