"""``icjs demo``: one case through the whole path, over the real HTTP API, then its status.

It talks to the app in-process (no port needed) through the same routes, keys
and adapters a police station and a court would use, and leaves the case in the
database so that ``icjs serve`` shows it afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from canonical_model.events import CourtCaseRegistered, HearingRecorded
from canonical_model.lifecycle import CaseStatus
from gateway import scenario
from gateway.api.app import create_app
from gateway.auth import create_client
from gateway.bootstrap import build_gateway
from gateway.settings import Settings
from gateway.tables import CrosswalkRow

Echo = Callable[[str], Any]


class DemoError(RuntimeError):
    """A step of the demo did not get the answer it expected."""


def _next_serial(gateway: Any) -> int:
    """The first scenario serial whose FIR and CNR are both still free in this database."""
    serial = 1
    with gateway.db.session() as session:
        while True:
            refs = scenario.refs(serial)
            if (
                session.get(CrosswalkRow, refs.fir.key()) is None
                and session.get(CrosswalkRow, refs.cnr.key()) is None
            ):
                return serial
            serial += 1


def run_demo(settings: Settings, *, echo: Echo = print) -> CaseStatus:
    """Run the demo against the database of ``settings`` and print what happens."""
    gateway = build_gateway(settings)
    app = create_app(gateway)
    try:
        with gateway.db.session(write=True) as session:
            _, police_key = create_client(
                session, name="demo-cidco", pillar="police", institution=scenario.STATION
            )
            _, court_key = create_client(
                session, name="demo-cjm", pillar="courts", institution=scenario.COURT
            )
        case = scenario.refs(_next_serial(gateway))
        courts = gateway.adapters.get("courts")
        police = {"Authorization": f"Bearer {police_key}", "Content-Type": "application/json"}
        court = {"Authorization": f"Bearer {court_key}"}
        echo(f"ICJS gateway demo (database: {settings.database_url})")
        echo(f"  police client {scenario.STATION} and court client {scenario.COURT} created\n")
        with TestClient(app) as http:

            def send(step: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
                response = http.post(path, content=body, headers=headers)
                answer: dict[str, Any] = response.json()
                if response.status_code not in (200, 202) or answer.get("status") != "accepted":
                    raise DemoError(
                        f"{step}: HTTP {response.status_code}: {json.dumps(answer, indent=2)}"
                    )
                echo(f"  {step:<46} -> {answer['status']}, receipt {answer['receipt_id']}")
                return answer

            def police_send(step: str, message: dict[str, Any]) -> dict[str, Any]:
                return send(step, "/v1/police/messages", json.dumps(message).encode(), police)

            def court_send(step: str, payload: Any) -> dict[str, Any]:
                body = courts.encode(payload, media_type="application/json")  # type: ignore[attr-defined]
                return send(
                    step, "/v1/courts/messages", body, court | {"Content-Type": "application/json"}
                )

            echo("Police (CCTNS) -> gateway")
            police_send(
                f"FIR {case.fir} registered (BNS 309(6), 3(5))", scenario.fir_registered(case)
            )
            police_send("A1 arrested", scenario.person_arrested(case))
            police_send(
                f"charge sheet filed in court {case.court}", scenario.chargesheet_filed(case)
            )

            echo("\nCourt (e-Courts) <- gateway: pulls its charge-sheet feed")
            params = {"court": str(case.court)}
            feed = http.get("/v1/courts/feed", params=params, headers=court)
            xml = http.get(
                "/v1/courts/feed", params=params, headers=court | {"Accept": "application/xml"}
            )
            if feed.status_code != 200 or xml.status_code != 200:
                raise DemoError(f"court feed: HTTP {feed.status_code}: {feed.text}")
            mine = [i for i in feed.json()["items"] if str(case.fir) in json.dumps(i)]
            echo(
                f"  GET /v1/courts/feed?court={case.court}: {len(feed.json()['items'])} charge sheet(s) "
                f"in the feed, {len(mine)} for FIR {case.fir} (same page as XML: {len(xml.content)} bytes)"
            )

            echo("\nCourt (e-Courts) -> gateway")
            court_send(
                f"case registered, CNR {case.cnr.dashed()}",
                CourtCaseRegistered.model_validate({"court_case": scenario.court_case(case)}),
            )
            for hearing in scenario.hearings(case):
                court_send(
                    f"hearing of {hearing['hearing_date']} recorded",
                    HearingRecorded.model_validate({"hearing": hearing}),
                )

            echo(f"\nPolice ask: GET /v1/cases/{case.fir}")
            answer = http.get(f"/v1/cases/{case.fir}", headers=police)
            if answer.status_code != 200:
                raise DemoError(f"case status: HTTP {answer.status_code}: {answer.text}")
            status = CaseStatus.model_validate(answer.json())
            timeline = http.get(f"/v1/cases/{case.fir}/timeline", headers=police).json()["events"]
        echo("")
        echo(render_status(status, timeline))
        return status
    finally:
        gateway.close()


def render_status(status: CaseStatus, timeline: list[dict[str, Any]]) -> str:
    """A case's status as a person reads it."""
    ids = status.identifiers
    lines = [f"Case {status.case_id}"]
    for kind, label in (("fir", "FIR"), ("cnr", "CNR"), ("case_no", "Court case no.")):
        for value in ids.get(kind, []):
            lines.append(f"  {label:<15} {value}")
    lines.append(f"  {'Police station':<15} {status.police_station or '-'}")
    lines.append(f"  {'Offences':<15} {', '.join(str(o) for o in status.offences) or '-'}")
    police_stage = status.police_stage.value.replace("_", " ") if status.police_stage else "-"
    lines.append(
        f"  {'Police stage':<15} {police_stage} ({'; '.join(status.police_reports) or 'no report yet'})"
    )
    lines.append(
        f"  {'Court':<15} {status.court or '-'}, {status.court_stage.value.replace('_', ' ')}"
    )
    if status.last_hearing:
        lines.append(
            f"  {'Last hearing':<15} {status.last_hearing.date} - {status.last_hearing.purpose}"
        )
    if status.next_hearing_date:
        lines.append(
            f"  {'Next hearing':<15} {status.next_hearing_date} - {status.next_hearing_purpose or ''}".rstrip()
        )
    lines.append("  Accused")
    for person in status.accused:
        custody = person.custody.value.replace("_", " ") if person.custody else "-"
        arrested = (
            f"arrested {person.arrested_at:%Y-%m-%d}" if person.arrested_at else "not arrested"
        )
        offences = ", ".join(str(o) for o in person.offences) or "-"
        lines.append(
            f"    {person.ref} {person.name}: {arrested}; custody: {custody}; "
            f"{'charge-sheeted' if person.charge_sheeted else 'not charge-sheeted'} ({offences}); "
            f"court: {person.court_status.replace('_', ' ')}"
        )
    lines.append("  Timeline")
    for entry in timeline:
        lines.append(f"    #{entry['sequence']:<4} {entry['pillar']:<7} {entry['summary']}")
    return "\n".join(lines)
