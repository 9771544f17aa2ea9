"""``icjs demo``: one case through the whole path, over the real HTTP API, then its status.

It talks to the app in-process (no port needed) through the same routes, keys
and adapters a police station and a court would use, and leaves the case in the
database so that ``icjs serve`` shows it afterwards.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from typing import Any

with warnings.catch_warnings():
    # Starlette's notice about its test client's HTTP library means nothing to a demo user.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from canonical_model.events import CourtCaseRegistered, HearingRecorded, OrderIssued, payload_class
from canonical_model.lifecycle import CaseStatus
from gateway.api.app import create_app
from gateway.bootstrap import build_gateway
from gateway.cli import scenario
from gateway.services.auth import create_client
from gateway.services.institutions import seed_sample_directory
from gateway.settings import Settings
from gateway.store.tables import CrosswalkRow

Echo = Callable[[str], Any]
#: The police of the scenario's district (Chhatrapati Sambhajinagar), both of its stations.
DISTRICT_POLICE = scenario.STATION.rsplit("/", 1)[0]


class DemoError(RuntimeError):
    """A step of the demo did not get the answer it expected."""


def _next_serial(gateway: Any) -> int:
    """The first scenario serial whose FIRs and CNR are all still free in this database."""
    serial = 1
    with gateway.db.session() as session:
        while True:
            refs = scenario.refs(serial)
            keys = (refs.fir.key(), refs.cnr.key(), scenario.theft_fir(refs).key())
            if all(session.get(CrosswalkRow, key) is None for key in keys):
                return serial
            serial += 1


def run_demo(settings: Settings, *, echo: Echo = print) -> CaseStatus:
    """Run the demo against the database of ``settings`` and print what happens."""
    gateway = build_gateway(settings)
    app = create_app(gateway)
    try:
        with gateway.db.session(write=True) as session:
            # Keys go only to listed institutions: the demo's come from the SAMPLE directory.
            seed_sample_directory(session)
            # A district-level police key: the demo speaks for two stations of the district.
            _, police_key = create_client(
                session, name="demo-au-police", pillar="police", institution=DISTRICT_POLICE
            )
            _, court_key = create_client(
                session, name="demo-cjm", pillar="courts", institution=scenario.COURT
            )
            _, prison_key = create_client(
                session, name="demo-harsul", pillar="prisons", institution=scenario.PRISON
            )
            _, lab_key = create_client(
                session, name="demo-rfsl", pillar="forensics", institution=scenario.LAB
            )
            _, prosecution_key = create_client(
                session,
                name="demo-dop",
                pillar="prosecution",
                institution=scenario.PROSECUTION_OFFICE,
            )
            _, scrutiny_key = create_client(
                session,
                name="demo-ddp",
                pillar="prosecution",
                institution=scenario.SCRUTINY_OFFICE,
            )
            _, vahan_key = create_client(
                session, name="demo-vahan", pillar="transport", institution="VAHAN"
            )
        case = scenario.refs(_next_serial(gateway))
        courts = gateway.adapters.get("courts")
        labs = gateway.adapters.get("forensics")
        offices = gateway.adapters.get("prosecution")
        police = {"Authorization": f"Bearer {police_key}", "Content-Type": "application/json"}
        court = {"Authorization": f"Bearer {court_key}"}
        prison = {"Authorization": f"Bearer {prison_key}"}
        lab = {"Authorization": f"Bearer {lab_key}"}
        vahan = {"Authorization": f"Bearer {vahan_key}"}
        prosecution = {"Authorization": f"Bearer {prosecution_key}"}
        scrutiny = {"Authorization": f"Bearer {scrutiny_key}"}
        echo(f"ICJS gateway demo (database: {settings.database_url})")
        echo(
            f"  clients created: police {DISTRICT_POLICE}, court {scenario.COURT}, "
            f"prison {scenario.PRISON}, forensic lab {scenario.LAB}, transport VAHAN, "
            f"prosecution {scenario.PROSECUTION_OFFICE} and {scenario.SCRUTINY_OFFICE}\n"
        )
        with TestClient(app) as http:

            def send(step: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
                response = http.post(path, content=body, headers=headers)
                answer: dict[str, Any] = response.json()
                if response.status_code not in (200, 202) or answer.get("status") != "accepted":
                    raise DemoError(
                        f"{step}: HTTP {response.status_code}: {json.dumps(answer, indent=2)}"
                    )
                echo(f"  {step:<56} -> {answer['status']}, receipt {answer['receipt_id']}")
                return answer

            def police_send(step: str, message: dict[str, Any]) -> dict[str, Any]:
                return send(step, "/v1/police/messages", json.dumps(message).encode(), police)

            def office_send(
                step: str, name: str, data: dict[str, Any], *, key: dict[str, str] = prosecution
            ) -> dict[str, Any]:
                payload = payload_class(name).model_validate(data)
                body = offices.encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
                return send(
                    step,
                    "/v1/prosecution/messages",
                    body,
                    key | {"Content-Type": "application/xml"},
                )

            def court_send(step: str, payload: Any) -> dict[str, Any]:
                body = courts.encode(payload, media_type="application/json")  # type: ignore[attr-defined]
                return send(
                    step, "/v1/courts/messages", body, court | {"Content-Type": "application/json"}
                )

            def feed_until(
                what: str,
                path: str,
                params: dict[str, str],
                headers: dict[str, str],
                worker: str,
                found: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
            ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
                """Read a feed until it holds what the demo just caused. In production mode a
                feed is filled by `icjs worker <pillar>` a moment after the message is accepted,
                so the demo waits for it (with a deadline) rather than read an empty page."""
                # In embedded mode the feeds are filled before the message is answered; in
                # production mode a worker files it a moment later.
                wait = settings.demo_feed_wait_seconds
                deadline = time.monotonic() + wait
                told = False
                while True:
                    page = http.get(path, params=params, headers=headers)
                    if page.status_code != 200:
                        raise DemoError(f"{what}: HTTP {page.status_code}: {page.text}")
                    body: dict[str, Any] = page.json()
                    hits = found(body["items"])
                    if hits:
                        return body, hits
                    if time.monotonic() > deadline:
                        raise DemoError(
                            f"{what}: nothing for this case after {wait:g} s; in "
                            f"production mode the feed is filled by `icjs worker {worker}`: is it "
                            "running against this database and broker?"
                        )
                    if not told:
                        echo(f"  (waiting for `icjs worker {worker}` to fill the {what})")
                        told = True
                    time.sleep(0.2)

            echo("Police (CCTNS) -> gateway")
            police_send(
                f"FIR {scenario.theft_fir(case)} (motorcycle theft)",
                scenario.vehicle_theft_fir_registered(case),
            )
            numbers = scenario.vehicle_numbers(case)
            police_send(
                f"motorcycle {numbers['registration']} reported stolen",
                scenario.vehicle_stolen(case),
            )
            registered = police_send(
                f"FIR {case.fir} registered (BNS 309(6), 3(5))", scenario.fir_registered(case)
            )
            # The informant's access code, which the police print with the FIR copy.
            access_code = registered["citizen_access"]["code"]
            echo(f"  informant's access code, printed with the FIR copy: {access_code}")
            police_send("A1 arrested", scenario.person_arrested(case))
            seized = police_send(
                "motorcycle seized from A1 (plates MH 20 EK 1102)", scenario.vehicle_seized(case)
            )
            linked = http.get(f"/v1/cases/{case.fir}", headers=police).json()["vehicles"]
            for vehicle in linked:
                for link in vehicle["links"]:
                    echo(
                        f"  gateway links it, on its {link['matched_on'].replace('_', ' ')}, to the "
                        f"{link['kind']} report of FIR {link['fir']} (both stations see the link)"
                    )
            if not any(v["links"] for v in linked):
                raise DemoError(f"the seizure was not linked to the theft: {seized}")
            police_send(
                f"charge sheet filed in court {case.court}", scenario.chargesheet_filed(case)
            )

            echo("\nTransport (Vahan) <- gateway: pulls its feed of flagged vehicles")
            firs = (str(case.fir), str(scenario.theft_fir(case)))

            def our_flags(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
                ours = [i for i in items if i.get("vehicleFlag", {}).get("firNo") in firs]
                # Both flags (the theft's stolen, the robbery's seized) or wait for the second.
                return (
                    ours if {i["vehicleFlag"]["flag"] for i in ours} >= {"stolen", "seized"} else []
                )

            _, ours = feed_until(
                "Vahan feed",
                "/v1/transport/feed",
                {"registry": "VAHAN"},
                vahan,
                "transport",
                our_flags,
            )
            for item in ours:
                flag = item["vehicleFlag"]
                plate = flag["vehicle"].get("registrationNumber", "-")
                echo(f"  {flag['flag']:<8} {plate:<11} FIR {flag['firNo']}")
            stolen = next(i for i in ours if i["vehicleFlag"]["flag"] == "stolen")
            send(
                "Vahan answers the theft flag with the registration record",
                "/v1/transport/messages",
                json.dumps(scenario.vahan_record(case, in_reply_to=stolen["eventId"])).encode(),
                vahan | {"Content-Type": "application/json"},
            )
            found = http.get(f"/v1/vehicles/{numbers['chassis'][-5:]}", headers=police).json()
            echo(
                f"  GET /v1/vehicles/{numbers['chassis'][-5:]} (chassis, last 5): "
                f"{found['registration']}, {found['police']['state']}, owner "
                f"{(found.get('vahan') or {}).get('owner', {}).get('name', '?')}, "
                f"in {len(found['cases'])} cases"
            )

            echo("\nCourt (e-Courts) <- gateway: pulls its charge-sheet feed")
            params = {"court": str(case.court)}
            page, mine = feed_until(
                "court's feed",
                "/v1/courts/feed",
                params,
                court,
                "courts",
                lambda items: [i for i in items if str(case.fir) in json.dumps(i)],
            )
            xml = http.get(
                "/v1/courts/feed", params=params, headers=court | {"Accept": "application/xml"}
            )
            if xml.status_code != 200:
                raise DemoError(f"court feed (XML): HTTP {xml.status_code}: {xml.text}")
            echo(
                f"  GET /v1/courts/feed?court={case.court}: {len(page['items'])} charge sheet(s) "
                f"in the feed, {len(mine)} for FIR {case.fir} (same page as XML: {len(xml.content)} bytes)"
            )

            echo(
                "\nProsecution (e-Prosecution) <- gateway: the report goes to the district's "
                "Deputy Director for scrutiny and to the Director to monitor (BNSS s.20)"
            )
            office = scenario.SCRUTINY_OFFICE
            _, (report, *_) = feed_until(
                "prosecution feed",
                "/v1/prosecution/feed",
                {"office": office},
                scrutiny,
                "prosecution",
                lambda items: [
                    i["policeReport"]
                    for i in items
                    if i.get("policeReport", {}).get("firNo") == str(case.fir)
                ],
            )
            echo(
                f"  GET /v1/prosecution/feed?office={office}: {report['reportNumber']} "
                f"v{report['version']} for {report['purpose']}, "
                f"{len(report['documents'])} documents; {report['routing']['reason']}"
            )
            office_send(
                "prosecutor assigned (Adv. Sunanda Gaikwad)",
                "prosecution.prosecutor_assigned",
                scenario.prosecutor_assignment(case),
            )
            office_send(
                "scrutiny: returned with 2 deficiencies",
                "prosecution.scrutiny_completed",
                scenario.scrutiny_returned(case),
                key=scrutiny,
            )
            police_send(
                "police re-file the charge sheet (version 2)", scenario.chargesheet_refiled(case)
            )
            office_send(
                "scrutiny of version 2: approved",
                "prosecution.scrutiny_completed",
                scenario.scrutiny_approved(case),
                key=scrutiny,
            )

            echo("\nCourt (e-Courts) -> gateway")
            court_send(
                f"case registered, CNR {case.cnr}",
                CourtCaseRegistered.model_validate({"court_case": scenario.court_case(case)}),
            )
            for hearing in scenario.hearings(case):
                court_send(
                    f"hearing of {hearing['hearing_date']} recorded",
                    HearingRecorded.model_validate({"hearing": hearing}),
                )

            echo("\nCourt (e-Courts) -> gateway -> prison (e-Prisons)")
            court_send(
                f"A1 remanded to judicial custody at {scenario.PRISON}",
                OrderIssued.model_validate({"order": scenario.remand_order(case)}),
            )
            warrants, _ = feed_until(
                "prison's feed",
                "/v1/prisons/feed",
                {"prison": scenario.PRISON},
                prison,
                "prisons",
                lambda items: [i for i in items if str(case.cnr) in json.dumps(i)],
            )
            echo(
                f"  GET /v1/prisons/feed?prison={scenario.PRISON}: "
                f"{len(warrants['items'])} order(s) for the prison"
            )
            send(
                f"prison admits A1 as undertrial {scenario.admission(case)['prisonerNumber']}",
                "/v1/prisons/messages",
                json.dumps(scenario.admission(case)).encode(),
                prison | {"Content-Type": "application/json"},
            )

            echo("\nPolice -> gateway -> forensic lab (e-Forensics)")
            police_send(
                f"examination requested at {scenario.LAB}", scenario.forensic_requested(case)
            )
            requests, _ = feed_until(
                "laboratory's feed",
                "/v1/forensics/feed",
                {"lab": scenario.LAB},
                lab,
                "forensics",
                lambda items: [i for i in items if str(case.fir) in json.dumps(i)],
            )
            echo(
                f"  GET /v1/forensics/feed?lab={scenario.LAB}: "
                f"{len(requests['items'])} examination request(s)"
            )
            for step, name, data in (
                (
                    f"lab acknowledges, lab case {scenario.lab_case_number(case)}",
                    "forensic.acknowledged",
                    scenario.forensic_acknowledgement(case),
                ),
                (
                    "lab records the chain of custody",
                    "forensic.custody_recorded",
                    scenario.forensic_custody(case),
                ),
                ("lab posts its report", "forensic.reported", scenario.forensic_report(case)),
            ):
                payload = payload_class(name).model_validate(data)
                body = labs.encode(payload, media_type="application/xml")  # type: ignore[attr-defined]
                send(
                    step, "/v1/forensics/messages", body, lab | {"Content-Type": "application/xml"}
                )

            echo("\nThe informant asks, with the code of the FIR copy (no API key): /status/")
            public = http.get(
                "/v1/public/fir-status", params={"fir": str(case.fir), "code": access_code}
            )
            if public.status_code != 200:
                raise DemoError(f"FIR status: HTTP {public.status_code}: {public.text}")
            view = public.json()
            echo(
                f"  GET /v1/public/fir-status: {view['stage_text']}, CNR {view['cnr']}, next "
                f"hearing {view['next_hearing_on']}; nothing else of the case"
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
    for person in status.accused:
        if person.prison:
            lines.append(
                f"  {'In prison':<15} {person.ref} at {person.prison} since {person.in_prison_since} "
                f"({person.prisoner_number}; {(person.prison_status or '').replace('_', ' ')})"
            )
    for request in status.forensic_requests:
        report = request.current_report
        lines.append(
            f"  {'Forensics':<15} {request.request_id} at {request.lab}: "
            f"{request.state.value.replace('_', ' ')}"
            + (f"; lab case {request.lab_case}" if request.lab_case else "")
            + (f"; report {report.report_number}" if report is not None else "")
        )
    prosecution = status.prosecution
    if prosecution.routed_to is not None:
        who = prosecution.prosecutor
        lines.append(
            f"  {'Prosecution':<15} scrutiny {prosecution.routed_to}"
            + (f", monitored by {prosecution.monitored_by}" if prosecution.monitored_by else "")
            + (f"; prosecutor {who.prosecutor.name} ({who.office})" if who is not None else "")
        )
        for scrutiny in prosecution.reports:
            history = "; ".join(
                f"v{v.version} filed {v.filed_on}"
                + "".join(
                    f", {s.outcome.value}"
                    + (f" ({len(s.deficiencies)} deficiencies)" if s.deficiencies else "")
                    for s in v.scrutiny
                )
                for v in scrutiny.versions
            )
            lines.append(
                f"  {'':<15} {scrutiny.report_number}: {scrutiny.state.value.replace('_', ' ')} "
                f"({history})"
            )
    for vehicle in status.vehicles:
        numbers = ", ".join(
            f"{label} {value}"
            for label, value in (
                ("plates", vehicle.registration),
                ("chassis", vehicle.chassis),
                ("engine", vehicle.engine),
            )
            if value
        )
        lines.append(f"  {'Vehicle':<15} {vehicle.state.value} {vehicle.state_on} ({numbers})")
        for link in vehicle.links:
            lines.append(
                f"  {'':<15} = {link.kind.value} {link.on} in FIR {link.fir} as "
                f"{link.registration or link.chassis} (matched on {link.matched_on.value})"
            )
    for alert in status.custody_alerts:
        lines.append(f"  {'ALERT':<15} {alert}")
    lines.append("  Timeline")
    for entry in timeline:
        lines.append(f"    #{entry['sequence']:<4} {entry['pillar']:<11} {entry['summary']}")
    return "\n".join(lines)
