"""Every endpoint against every kind of caller, on both stores: the authorisation matrix.

The pillars and their feeds come from the policy registry, so a pillar added through the entry
point is in the matrix too; the callers of each pillar are its institution entitled to the demo
case, another of the same pillar in the same district, in another district and in another
State; then the operator, no key, a malformed key and a revoked key. The case is the demo's:
one robbery across all five pillars (``gateway.cli.demo``).

Expected answers, by law and by the gateway's rules:
- case status and timeline: 200 for those entitled (police of the station, district or State;
  the court seized; the prison holding the accused; the laboratory examining its exhibits; the
  prosecution offices of its area, BNSS s.20(10); operators), else 404 exactly as for an
  unknown case; 401 without a valid key;
- a feed: 200 for its own institution and operators, 403 for anyone else;
- a pillar's message: 202 for the institution it speaks for, 403 for everyone else;
- operator endpoints (``/metrics`` among them): 200 for operators only;
- a prison's undertrials: the prison itself and operators;
- the vehicle register: police, courts, registries and operators (its own rule);
- the law table and the AsyncAPI document of the Kafka topics (``/asyncapi.json``): any
  valid key;
- a message's receipt: its sender and operators, 404 for anyone else;
- deadlines: the pillars that keep statutory clocks (police, courts, prisons) their own and
  operators everyone's; another institution's 403; other pillars 403;
- the web console's pages (``/console/``): each as the API answers the read it shows (the
  message log operators only, a case 404 to whoever may not read it, a feed and the undertrial
  review their own institution and operators); without a valid key the sign-in fails and the
  page sends the caller to sign in (303);
- person search and antecedents: the police of any station and operators, courts and
  prosecution for a case before them (404 for another's, as for an unknown case), anyone else
  403; antecedent verification: verifiers and operators;
- a new access code for the informant of the case (``POST /v1/cases/{ref}/citizen-access-code``):
  the police of the case (station, district or State) 200, other police 404 as for an unknown
  case, every other pillar's key 403 (operators' too: the code goes with the FIR copy, which is
  the police's act);
- public but code-protected, the citizen's view of an FIR (``GET /v1/public/fir-status`` and the
  page ``POST /status/``): no key is asked for and any key is ignored, so every caller gets 200
  with the FIR copy's code and 404 with a wrong one (:mod:`gateway.services.citizen`);
- nothing else answers without a key but the listed public routes (health, the API's
  documents, the citizen's view) and the console's pages, which ask for their own session
  (``test_only_the_listed_routes_answer_without_a_key``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import col, select
from starlette.routing import Mount, Route

from canonical_model.events import payload_class
from gateway.api.app import create_app
from gateway.api.openapi_doc import needs_key
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.cli.demo import run_demo
from gateway.services.auth import create_client, revoke_client
from gateway.services.institutions import add_institution
from gateway.settings import Settings
from gateway.store.tables import PersonLinkRow, PersonRecordRow

JSON = "application/json"

#: Per pillar: the institution entitled to the demo case, then another of the same pillar in
#: the same district, in another district, in another State (None where none exists).
INSTITUTIONS: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "police": ("MH/AU/CIDCO", "MH/AU/KRANTI_CHOWK", "MH/PU", "KA"),
    "courts": ("MHAU01", "MHAU02", "MHPU01", "KABN01"),
    "prisons": ("HARSUL_CP", "HARSUL_CJ", "YERAWADA_CP", "PARAPPANA_CP"),
    "forensics": ("RFSL_AU", None, "FSL_MUMBAI", "FSL_BENGALURU"),
    # The demo's robbery (life) goes to the Director (s.20(7)); the district's offices deal
    # with any proceeding of their area too (s.20(10)).
    "prosecution": ("MH/DOP", "MH/AU/ADP", "MH/PU/DDP", "KA/DOP"),
    "transport": ("VAHAN", "SARATHI", None, None),
    "verifier": ("PSK-MUMBAI", None, None, None),
}
#: Institutions the SAMPLE directory lacks that the matrix needs (another State's).
EXTRA = [
    ("prisons", "PARAPPANA_CP", "Parappana Agrahara Central Prison, Bengaluru", "KA", "BN"),
    ("forensics", "FSL_BENGALURU", "State Forensic Science Laboratory, Bengaluru", "KA", "BN"),
]
KINDS = ("entitled", "same district", "other district", "other State")
#: Who besides the entitled institution reads the demo case: prosecution offices of its area.
ALSO_READS = {("prosecution", "same district")}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The store's settings with the rate limits off: the matrix sends about a hundred requests
    without a valid key from one address, and the limit on those (a tenth of the per-minute
    figure, tests/api/test_limits.py) would answer some of them 429 depending on how fast this
    machine runs them. The matrix checks who may do what; the limits are checked on their own."""
    return settings.model_copy(
        update={
            "rate_limit_per_minute": 0,
            # The citizen's view: every caller tries a wrong code once; no lock in the matrix.
            "citizen_failures_per_fir": 1000,
            "citizen_failures_per_address": 1000,
        }
    )


@dataclass(frozen=True)
class Caller:
    """One kind of caller and the headers it sends."""

    label: str
    pillar: str | None  # None for the callers without a valid key
    kind: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Endpoint:
    """One endpoint: how to call it and who should get what."""

    label: str
    call: Callable[[TestClient, dict[str, str]], Any]
    expect: Callable[[Caller], int]


def _callers(gateway: Gateway) -> list[Caller]:
    callers: list[Caller] = []
    code: str | None
    with gateway.db.session(write=True) as session:
        for pillar, code, name, state, district in EXTRA:
            add_institution(
                session, pillar=pillar, code=code, name=name, state=state, district=district
            )
        for pillar in gateway.policies.pillars:
            if pillar == "operator":
                continue
            for kind, code in zip(KINDS, INSTITUTIONS[pillar], strict=True):
                if code is None:
                    continue
                _, key = create_client(
                    session, name=f"matrix-{kind}", pillar=pillar, institution=code
                )
                callers.append(
                    Caller(
                        f"{pillar} {code} ({kind})",
                        pillar,
                        kind,
                        {"Authorization": f"Bearer {key}"},
                    )
                )
        _, key = create_client(session, name="matrix-ops", pillar="operator", institution="NIC")
        callers.append(
            Caller("operator NIC", "operator", "operator", {"Authorization": f"Bearer {key}"})
        )
        revoked, key = create_client(
            session, name="matrix-revoked", pillar="police", institution="MH"
        )
        assert revoked.id is not None
        revoke_client(session, client_id=revoked.id)
        callers.append(Caller("revoked key", None, "bad", {"Authorization": f"Bearer {key}"}))
    callers.append(Caller("no key", None, "bad", {}))
    callers.append(
        Caller("malformed key", None, "bad", {"Authorization": "Bearer icjs_police_not-a-key"})
    )
    return callers


def _reads_case(caller: Caller) -> int:
    if caller.pillar is None:
        return 401
    if caller.pillar == "operator" or (
        caller.kind == "entitled" and caller.pillar not in ("transport", "verifier")
    ):
        return 200
    return 200 if (caller.pillar, caller.kind) in ALSO_READS else 404


def _police_of_case(caller: Caller) -> int:
    """Who read a case: its police and operators; anyone else is told it does not exist."""
    if caller.pillar is None:
        return 401
    if caller.pillar == "operator" or (caller.pillar, caller.kind) == ("police", "entitled"):
        return 200
    return 404


def _get(
    path: str, params: dict[str, str] | None = None
) -> Callable[[TestClient, dict[str, str]], Any]:
    """A GET of ``path`` (with ``params``) with the caller's headers."""
    return lambda h, a: h.get(path, params=params, headers=a)


def _console(
    path: str, params: dict[str, str] | None = None
) -> Callable[[TestClient, dict[str, str]], Any]:
    """A console page seen by the caller: signed in with the caller's key (when it has one;
    a bad key's sign-in fails), then the page, with the session's cookie only."""

    def call(h: TestClient, a: dict[str, str]) -> Any:
        h.cookies.clear()
        key = a.get("Authorization", "").removeprefix("Bearer ")
        if key:
            form = h.get("/console/sign-in")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf, form.text
            h.post(
                "/console/sign-in",
                data={"csrf": csrf.group(1), "api_key": key},
                follow_redirects=False,
            )
        page = h.get(path, params=params, follow_redirects=False)
        h.cookies.clear()
        return page

    return call


def _or_sign_in(expect: Callable[[Caller], int]) -> Callable[[Caller], int]:
    """A console page answers as the API, but a caller without a valid key is sent to sign in."""
    return lambda caller: 303 if expect(caller) == 401 else expect(caller)


def _post_form(path: str, form: dict[str, str]) -> Callable[[TestClient, dict[str, str]], Any]:
    """A POST of the HTML form ``form`` to ``path`` with the caller's headers."""
    return lambda h, a: h.post(path, data=form, headers=a)


def _only(pillar: str, *, operators: bool = True, otherwise: int = 403) -> Callable[[Caller], int]:
    def expect(caller: Caller) -> int:
        if caller.pillar is None:
            return 401
        if caller.pillar == "operator":
            return 200 if operators else otherwise
        return 200 if (caller.pillar, caller.kind) == (pillar, "entitled") else otherwise

    return expect


def _any_key(caller: Caller) -> int:
    """The law table: any valid key, of any pillar (the figures every pillar is judged by)."""
    return 401 if caller.pillar is None else 200


def _deadlines(caller: Caller) -> int:
    if caller.pillar is None:
        return 401
    return 200 if caller.pillar in ("police", "courts", "prisons", "operator") else 403


def _person_search(caller: Caller) -> int:
    """Person search and antecedents (for the demo case): the police of any station and
    operators; courts and prosecution for a case before them (the demo case is before the
    entitled court and the prosecution offices of its area; others are told it does not
    exist); anyone else 403."""
    if caller.pillar is None:
        return 401
    if caller.pillar in ("police", "operator"):
        return 200
    if caller.pillar in ("courts", "prosecution"):
        return _reads_case(caller)
    return 403


def _verifier(caller: Caller) -> int:
    if caller.pillar is None:
        return 401
    return 200 if caller.pillar in ("verifier", "operator") else 403


def _citizen_code(caller: Caller) -> int:
    """A new access code: the police of the case; other police are told it does not exist;
    any other pillar's key may not."""
    if caller.pillar is None:
        return 401
    if caller.pillar != "police":
        return 403
    return 200 if caller.kind == "entitled" else 404


def _public(status: int) -> Callable[[Caller], int]:
    """Public but code-protected: the same answer whoever asks, with whatever key."""
    return lambda caller: status


def _pillar_message(pillar: str) -> Callable[[Caller], int]:
    def expect(caller: Caller) -> int:
        if caller.pillar is None:
            return 401
        return 202 if (caller.pillar, caller.kind) == (pillar, "entitled") else 403

    return expect


def _register(caller: Caller) -> int:
    if caller.pillar is None:
        return 401
    return 200 if caller.pillar in ("police", "courts", "transport", "operator") else 403


def _messages(gateway: Gateway, case: scenario.CaseRefs) -> dict[str, tuple[bytes, str]]:
    """One message of each pillar for the demo case, as its entitled institution sends it (a
    fresh one each call: the entitled caller's is accepted, so it must be new)."""
    courts, labs, offices = (
        gateway.adapters.get(p) for p in ("courts", "forensics", "prosecution")
    )
    hearing = payload_class("hearing.recorded").model_validate(
        {"hearing": scenario.hearings(case)[0] | {"hearing_date": "2026-12-01"}}
    )
    production = {
        "messageType": "production",
        "prisonCode": scenario.PRISON,
        "prisonerNumber": f"UT/{case.cnr.serial}/{case.cnr.year}",
        "courtEstablishment": str(case.court),
        "productionDate": "2026-12-01",
        "mode": "video",
    }
    opinion_data = scenario.legal_opinion(case)
    opinion_data["opinion"]["opinion_number"] = "OP/MATRIX/1"
    opinion = payload_class("prosecution.opinion_given").model_validate(opinion_data)
    custody = scenario.forensic_custody(case)
    entry = custody["custody"]["entries"][-1] | {
        "exhibit_id": "E2",
        "at": "2026-12-01T10:00:00+05:30",
    }
    custody["custody"]["entries"] = [entry]
    custody_payload = payload_class("forensic.custody_recorded").model_validate(custody)
    return {
        "police": (json.dumps(scenario.person_arrested(case)).encode(), JSON),
        "courts": (courts.encode(hearing, media_type=JSON), JSON),  # type: ignore[attr-defined]
        "prisons": (json.dumps(production).encode(), JSON),
        "forensics": (labs.encode(custody_payload, media_type=JSON), JSON),  # type: ignore[attr-defined]
        "prosecution": (offices.encode(opinion, media_type=JSON), JSON),  # type: ignore[attr-defined]
        "transport": (json.dumps(scenario.vahan_record(case)).encode(), JSON),
    }


@pytest.fixture
def matrix_case(settings: Settings) -> scenario.CaseRefs:
    status = run_demo(settings, echo=lambda *_: None)
    (fir,) = status.identifiers["fir"]
    serial = int(fir.rsplit("/", 1)[1])
    return scenario.refs(serial)


def test_every_endpoint_answers_every_kind_of_caller_as_the_law_says(
    http: TestClient, gateway: Gateway, matrix_case: scenario.CaseRefs
) -> None:
    case = matrix_case
    callers = _callers(gateway)
    police = next(c for c in callers if c.label.startswith("police MH/AU/CIDCO"))
    receipt = http.post(
        "/v1/police/messages",
        content=json.dumps(scenario.person_arrested(case) | {"id": "matrix"}).encode(),
        headers=police.headers | {"Content-Type": JSON},
    ).json()["receipt_id"]
    vehicle = scenario.vehicle_numbers(case)["registration"]

    endpoints = [
        Endpoint("GET case", lambda h, a: h.get(f"/v1/cases/{case.fir}", headers=a), _reads_case),
        Endpoint(
            "GET timeline",
            lambda h, a: h.get(f"/v1/cases/{case.cnr}/timeline", headers=a),
            _reads_case,
        ),
        Endpoint(
            "GET message receipt",
            lambda h, a: h.get(f"/v1/messages/{receipt}", headers=a),
            _only("police", otherwise=404),
        ),
        Endpoint(
            "GET undertrials",
            lambda h, a: h.get(f"/v1/prisons/{scenario.PRISON}/undertrials", headers=a),
            _only("prisons"),
        ),
        Endpoint("GET law entry", lambda h, a: h.get("/v1/law/BNS/303(2)", headers=a), _any_key),
        Endpoint("GET asyncapi", _get("/asyncapi.json"), _any_key),
        Endpoint(
            "GET vehicle", lambda h, a: h.get(f"/v1/vehicles/{vehicle}", headers=a), _register
        ),
    ]
    endpoints.append(
        Endpoint("GET deadlines", lambda h, a: h.get("/v1/deadlines", headers=a), _deadlines)
    )
    endpoints.append(
        Endpoint(
            "GET a court's deadlines",
            lambda h, a: h.get("/v1/deadlines", params={"institution": str(case.court)}, headers=a),
            _only("courts"),
        )
    )
    endpoints.append(
        Endpoint(
            "GET case access log",
            lambda h, a: h.get(f"/v1/cases/{case.fir}/access-log", headers=a),
            _police_of_case,
        )
    )
    # The citizen's view of the demo's FIR, with a code its police issue for the matrix.
    issued = http.post(f"/v1/cases/{case.fir}/citizen-access-code", headers=police.headers)
    assert issued.status_code == 200, issued.text
    code = issued.json()["code"]
    wrong = "ZZZZZ-ZZZZZ" if code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"
    for given, answer in ((code, 200), (wrong, 404)):
        fir_status = {"fir": str(case.fir), "code": given}
        endpoints.append(
            Endpoint(
                f"GET public FIR status {answer}",
                _get("/v1/public/fir-status", params=fir_status),
                _public(answer),
            )
        )
        endpoints.append(
            Endpoint(
                f"POST /status/ page {answer}", _post_form("/status/", fir_status), _public(answer)
            )
        )
    purpose = {"X-Purpose": "authorisation matrix"}
    with gateway.db.session() as session:
        person = session.exec(
            select(PersonRecordRow.person_id).where(col(PersonRecordRow.party_ref) == "A1")
        ).first()
    assert person, "the demo's accused are in the person index"
    by_case = {"case": str(case.fir)}
    endpoints.append(
        Endpoint(
            "GET person search",
            lambda h, a: h.get(
                "/v1/persons/search",
                params={"name": "Ramesh Jadhav"} | by_case,
                headers=a | purpose,
            ),
            _person_search,
        )
    )
    endpoints.append(
        Endpoint(
            "GET person antecedents",
            lambda h, a: h.get(f"/v1/persons/{person}", params=by_case, headers=a | purpose),
            _person_search,
        )
    )
    endpoints.append(
        Endpoint(
            "GET person verification",
            _get("/v1/persons/verify", params={"name": "Ramesh Jadhav"}),
            _verifier,
        )
    )
    for path in (
        "/v1/admin/person-links",
        "/v1/admin/messages",
        "/v1/admin/dead-letters",
        "/v1/admin/institutions",
        "/v1/admin/access-log",
        "/metrics",
    ):
        endpoints.append(Endpoint(f"GET {path}", _get(path), _only("operator")))
    endpoints += [
        Endpoint(
            "console message log", _console("/console/messages"), _or_sign_in(_only("operator"))
        ),
        Endpoint(
            "console case",
            _console("/console/case", {"ref": str(case.fir)}),
            _or_sign_in(_reads_case),
        ),
        Endpoint(
            "console courts feed",
            _console("/console/feed", {"pillar": "courts", "institution": str(case.court)}),
            _or_sign_in(_only("courts")),
        ),
        Endpoint(
            "console undertrials",
            _console("/console/undertrials", {"prison": scenario.PRISON}),
            _or_sign_in(_only("prisons")),
        ),
        Endpoint("console clocks", _console("/console/clocks"), _or_sign_in(_deadlines)),
    ]
    for adapter in gateway.adapters:
        if not adapter.feed_event_types:
            continue
        param = gateway.policies.get(adapter.pillar).feed_parameter or "institution"
        own = INSTITUTIONS[adapter.pillar][0]
        endpoints.append(
            Endpoint(
                f"GET {adapter.pillar} feed",
                _get(f"/v1/{adapter.pillar}/feed", params={param: own}),
                _only(adapter.pillar),
            )
        )

    mismatches: list[str] = []
    cells = 0
    for endpoint in endpoints:
        for caller in callers:
            got = endpoint.call(http, caller.headers).status_code
            cells += 1
            if got != endpoint.expect(caller):
                mismatches.append(
                    f"{endpoint.label:<28} {caller.label:<40} got {got}, "
                    f"expected {endpoint.expect(caller)}"
                )
    # An operator's decision on a pair of the person index's review queue: the same decision
    # asked again answers as the first, so every operator call is 200.
    with gateway.db.session(write=True) as session:
        keys = session.exec(
            select(PersonRecordRow.record_key).where(col(PersonRecordRow.case_id).is_not(None))
        ).all()
        link = PersonLinkRow(record_a=min(keys[:2]), record_b=max(keys[:2]))
        session.add(link)
        session.flush()
        link_id = link.id
    decide = Endpoint(
        "POST person-link split",
        lambda h, a: h.post(f"/v1/admin/person-links/{link_id}/split", headers=a),
        _only("operator"),
    )
    for caller in callers:
        got = decide.call(http, caller.headers).status_code
        cells += 1
        if got != decide.expect(caller):
            mismatches.append(
                f"{decide.label:<28} {caller.label:<40} got {got}, expected {decide.expect(caller)}"
            )
    # A new access code: after the public view's cells, which the code it replaces answered.
    reissue = Endpoint(
        "POST citizen access code",
        lambda h, a: h.post(f"/v1/cases/{case.fir}/citizen-access-code", headers=a),
        _citizen_code,
    )
    for caller in callers:
        got = reissue.call(http, caller.headers).status_code
        cells += 1
        if got != reissue.expect(caller):
            mismatches.append(
                f"{reissue.label:<28} {caller.label:<40} got {got}, "
                f"expected {reissue.expect(caller)}"
            )
    # Messages last: the entitled institution's is accepted and changes the case.
    for pillar in ["police", *(a.pillar for a in gateway.adapters)]:
        expect = _pillar_message(pillar)
        # The entitled caller goes last, after everyone else was refused the same bytes.
        for caller in sorted(callers, key=lambda c: (c.pillar, c.kind) == (pillar, "entitled")):
            body, media_type = _messages(gateway, case)[pillar]
            got = http.post(
                f"/v1/{pillar}/messages",
                content=body,
                headers=caller.headers | {"Content-Type": media_type},
            ).status_code
            cells += 1
            if got != expect(caller):
                mismatches.append(
                    f"POST {pillar} message{'':<14} {caller.label:<40} got {got}, "
                    f"expected {expect(caller)}"
                )
    assert not mismatches, f"{len(mismatches)} of {cells} cells differ:\n" + "\n".join(mismatches)
    assert cells > 300


#: The routes that answer without an API key, each with why. Every other route of the API asks
#: for one (it depends on ``get_client``), and the console's pages for their own session.
PUBLIC = {
    ("GET", "/healthz"): "liveness, for the load balancer",
    ("GET", "/readyz"): "readiness, for the load balancer",
    ("GET", "/openapi.json"): "the API's description",
    ("GET", "/docs"): "Swagger UI of the API's description",
    ("GET", "/redoc"): "ReDoc of the API's description",
    ("MOUNT", "/docs/assets"): "the documentation pages' own scripts and styles",
    ("GET", "/v1/public/fir-status"): "the citizen's view of an FIR: the FIR copy's code",
    ("GET", "/status/"): "the citizen's page: its form",
    ("POST", "/status/"): "the citizen's page: the FIR copy's code",
    ("GET", "/status/citizen.css"): "the citizen's page: its stylesheet",
}
#: The console's pages: each asks for the session its sign-in made (tests/console).
CONSOLE = "/console/"


def test_only_the_listed_routes_answer_without_a_key(gateway: Gateway) -> None:
    """Deny by default: a new route that asks for no key fails here until it is listed."""
    app = create_app(gateway)
    open_routes: set[tuple[str, str]] = set()
    keyed = 0
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            open_routes.add(("MOUNT", route.path))
            continue
        assert isinstance(route, Route), route
        if isinstance(route, APIRoute) and needs_key(route):
            keyed += 1
            continue
        path = context.path_format or ""
        if path.startswith(CONSOLE):
            continue
        open_routes |= {(method, path) for method in route.methods or ()}
    open_routes -= {("HEAD", path) for _method, path in open_routes}
    assert open_routes == set(PUBLIC), (
        f"answer without a key but are not listed: {sorted(open_routes - set(PUBLIC))}; "
        f"listed but not found: {sorted(set(PUBLIC) - open_routes)}"
    )
    assert keyed > 30
