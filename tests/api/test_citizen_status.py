"""The citizen's view of an FIR (BNSS s.173(2), s.193(3)), on both stores: the access code in
the registration's receipt, the stage as the case moves, nothing else of the case, wrong codes
and unknown FIRs alike, the rate limits kept in the database, a code issued again, and the
code in no log. The page ``/status/`` is driven through its form (a browser test is the
console's)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from canonical_model.events import EventPayload, payload_class
from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.cli import scenario
from gateway.services.citizen import ALPHABET, NOT_KNOWN
from gateway.settings import Settings
from gateway.store.tables import AccessRow, MessageRow

JSON = "application/json"
CASE = scenario.refs(511)
VICTIM_CASE = scenario.refs(512)
UNKNOWN_FIR = "MH/AU/CIDCO/2026/0999"
#: Every member of the citizen's view, whatever the stage and the case.
MEMBERS = {"fir", "stage", "stage_text", "report_filed_on", "cnr", "next_hearing_on", "disposed_on"}
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
CODE = re.compile(rf"^[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}$")


@pytest.fixture
def clocked(gateway: Gateway) -> Iterator[Gateway]:
    """The gateway at a fixed time (the failures' window counts from it)."""
    gateway.clock = lambda: T0
    yield gateway


# -- sending ----------------------------------------------------------------------------------


def police_post(http: TestClient, headers: dict[str, str], message: dict[str, Any]) -> Any:
    response = http.post(
        "/v1/police/messages", content=json.dumps(message), headers=headers | {"Content-Type": JSON}
    )
    assert response.status_code == 202, response.text
    return response.json()


def court_post(
    http: TestClient, gateway: Gateway, headers: dict[str, str], name: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Canonical data sent in the courts' own format, written by their adapter."""
    payload: EventPayload = payload_class(name).model_validate(data)
    body = gateway.adapters.get("courts").encode(payload, media_type=JSON)  # type: ignore[attr-defined]
    response = http.post(
        "/v1/courts/messages", content=body, headers=headers | {"Content-Type": JSON}
    )
    assert response.status_code == 202, response.text
    sent: dict[str, Any] = payload.model_dump(mode="json")
    return sent


def register(http: TestClient, police: dict[str, str], message: dict[str, Any]) -> str:
    """Register an FIR; the code of its receipt."""
    receipt = police_post(http, police, message)
    access = receipt["citizen_access"]
    assert access["fir"] == message["data"]["fir"]["fir"]
    assert access["page"] == "/status/" and access["issues"] == 1
    assert CODE.fullmatch(access["code"]), access
    code: str = access["code"]
    return code


def status(http: TestClient, fir: str, code: str, **headers: str) -> Any:
    return http.get("/v1/public/fir-status", params={"fir": fir, "code": code}, headers=headers)


def names_in(message: Any) -> set[str]:
    """Every name a message gives a person (and the parts of each), to look for in answers."""
    found: set[str] = set()
    if isinstance(message, dict):
        for key, value in message.items():
            if key in ("name", "father_name", "mother_name", "aliases", "judge") and value:
                values = value if isinstance(value, list) else [value]
                for text in values:
                    if isinstance(text, str):
                        found.add(text)
            found |= names_in(value)
    elif isinstance(message, list):
        for item in message:
            found |= names_in(item)
    return found


def assert_no_names(text: str, names: set[str]) -> None:
    lowered = text.lower()
    leaked = sorted(name for name in names if name.lower() in lowered)
    assert not leaked, f"names in the citizen's answer: {leaked}"


def page(http: TestClient, fir: str, code: str) -> Any:
    return http.post("/status/", data={"fir": fir, "code": code})


def judgment(case: scenario.CaseRefs) -> dict[str, Any]:
    return {
        "judgment": {
            "cnr": str(case.cnr),
            "judgment_date": "2027-03-15",
            "verdicts": [
                {
                    "accused_ref": "A1",
                    "verdict": "convicted",
                    "offences": [{"act": "BNS", "section": "309(6)"}],
                    "sentence": {"imprisonment_months": 84, "fine_inr": 10000},
                },
                {"accused_ref": "A2", "verdict": "acquitted"},
            ],
        }
    }


# -- the stage ----------------------------------------------------------------------------------


def test_the_stage_follows_the_case_and_shows_nothing_else(
    http: TestClient, gateway: Gateway, police: dict[str, str], court: dict[str, str]
) -> None:
    sent: list[Any] = [scenario.fir_registered(CASE)]
    code = register(http, police, sent[0])
    fir = str(CASE.fir)

    def stage() -> dict[str, Any]:
        answer = status(http, fir, code)
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        view: dict[str, Any] = answer.json()
        assert set(view) == MEMBERS and view["fir"] == fir
        assert_no_names(answer.text, names_in(sent))
        shown = page(http, fir, code)
        assert shown.status_code == 200 and view["stage_text"] in shown.text
        assert_no_names(shown.text, names_in(sent))
        assert "BNS" not in answer.text + shown.text  # no sections, for any case
        return view

    assert stage() == {
        "fir": fir,
        "stage": "registered",
        "stage_text": "FIR registered",
        "report_filed_on": None,
        "cnr": None,
        "next_hearing_on": None,
        "disposed_on": None,
    }
    sent.append(scenario.person_arrested(CASE))
    police_post(http, police, sent[-1])
    assert stage()["stage"] == "under_investigation"

    sent.append(scenario.chargesheet_filed(CASE))
    police_post(http, police, sent[-1])
    view = stage()
    # BNSS s.193(3): the informant is told of the report, with its date.
    assert (view["stage"], view["report_filed_on"]) == ("report_filed", "2026-10-09")
    assert view["cnr"] is None

    sent.append(
        court_post(
            http, gateway, court, "court_case.registered", {"court_case": scenario.court_case(CASE)}
        )
    )
    view = stage()
    # The CNR in its one canonical form, the e-Courts 16 characters.
    assert (view["stage"], view["cnr"], view["next_hearing_on"]) == (
        "in_court",
        "MHAU010005112026",
        None,
    )
    assert view["report_filed_on"] is None
    for hearing in scenario.hearings(CASE):
        sent.append(court_post(http, gateway, court, "hearing.recorded", {"hearing": hearing}))
    view = stage()
    assert (view["stage"], view["next_hearing_on"]) == ("in_court", "2026-12-16")
    shown = page(http, fir, code)
    assert "16 December 2026" in shown.text and "MHAU010005112026" in shown.text

    sent.append(court_post(http, gateway, court, "judgment.delivered", judgment(CASE)))
    view = stage()
    assert (view["stage"], view["disposed_on"], view["cnr"]) == (
        "disposed",
        "2027-03-15",
        "MHAU010005112026",
    )
    assert view["next_hearing_on"] is None
    # The names looked for are the messages' own: the check could fail.
    assert {"Vinod Prabhakar Kulkarni", "Ramesh Shankar Jadhav", "Smt. R. V. Patil"} <= names_in(
        sent
    )


def test_a_sexual_offence_case_shows_no_sections_and_answers_as_any_other(
    http: TestClient, police: dict[str, str]
) -> None:
    """BNS s.72: no section of a BNS ss.64-71 case, and no member that would mark one (the
    answer has the same members as a robbery's)."""
    message = copy.deepcopy(scenario.fir_registered(VICTIM_CASE))
    record = message["data"]["fir"]
    record["offences"] = [{"act": "BNS", "section": "64(1)"}]
    record["victims"] = [{"ref": "V1", "name": "Sunita Devi Pawar", "gender": "female", "age": 19}]
    record["complainant"] = {"ref": "C1", "name": "Kamala Ramrao Pawar", "gender": "female"}
    code = register(http, police, message)
    robbery = register(http, police, scenario.fir_registered(CASE))
    answer = status(http, str(VICTIM_CASE.fir), code)
    assert answer.status_code == 200, answer.text
    other = status(http, str(CASE.fir), robbery).json()
    view = answer.json()
    assert set(view) == set(other) == MEMBERS
    assert {k: v for k, v in view.items() if k != "fir"} == {
        k: v for k, v in other.items() if k != "fir"
    }
    shown = page(http, str(VICTIM_CASE.fir), code)
    for text in (answer.text, shown.text):
        words = re.sub(r"<[^>]*>", " ", text).replace(str(VICTIM_CASE.fir), "")
        assert "64" not in words and not re.search(r"\bBNS\b|\bsections?\b", words, re.I)
        assert_no_names(text, names_in(message))


# -- wrong codes, unknown FIRs, limits ---------------------------------------------------------------


def test_a_wrong_code_and_an_unknown_fir_answer_alike(
    http: TestClient, police: dict[str, str]
) -> None:
    code = register(http, police, scenario.fir_registered(CASE))
    wrong = "ZZZZZ-ZZZZZ" if code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"
    same_id = {"X-Request-ID": "citizen-alike"}
    for_known = status(http, str(CASE.fir), wrong, **same_id)
    for_unknown = status(http, UNKNOWN_FIR, wrong, **same_id)
    assert for_known.status_code == for_unknown.status_code == 404
    assert for_known.content == for_unknown.content
    assert dict(for_known.headers) == dict(for_unknown.headers)
    assert for_known.json()["message"] == NOT_KNOWN
    # The page alike (it writes back the FIR typed, and only that).
    pages = [page(http, fir, wrong) for fir in (str(CASE.fir), UNKNOWN_FIR)]
    assert [p.status_code for p in pages] == [404, 404]
    assert pages[0].text.replace(str(CASE.fir), "?") == pages[1].text.replace(UNKNOWN_FIR, "?")
    # The right code written as people type it: lower case, spaces, O for 0, I or L for 1.
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert status(http, str(CASE.fir).lower(), typed).status_code == 200
    # A code that is not one is told so, without repeating it; the FIR's form is named.
    short = status(http, str(CASE.fir), "ABC-123")
    assert short.status_code == 422 and "ABC" not in short.text
    assert short.json()["errors"][0]["location"] == "code"
    dashed = status(http, "MH-AU-CIDCO-2026-511", code)
    assert dashed.status_code == 422 and "MH/AU/CIDCO/2024/0123" in dashed.text
    assert code not in dashed.text


def test_wrong_codes_lock_the_fir_for_everyone_across_processes(
    clocked: Gateway, settings: Settings, http: TestClient, police: dict[str, str]
) -> None:
    code = register(http, police, scenario.fir_registered(CASE))
    other = register(http, police, scenario.fir_registered(VICTIM_CASE))
    fir = str(CASE.fir)
    wrong = "ZZZZZ-ZZZZZ" if code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"
    limit = settings.citizen_failures_per_fir
    for _ in range(limit - 1):
        assert status(http, fir, wrong).status_code == 404
    assert status(http, fir, code).status_code == 200  # one short of the limit
    assert status(http, fir, wrong).status_code == 404  # the limit-th
    locked = status(http, fir, code)
    assert locked.status_code == 429, locked.text
    assert locked.headers["retry-after"] == str(settings.citizen_window_seconds)
    assert locked.json()["code"] == "rate_limited"
    # Everyone: another address, and another gateway process on the same database (no memory
    # of its own), are refused the right code too; another FIR is not locked.
    second = build_gateway(settings)
    second.clock = lambda: T0 + dt.timedelta(minutes=30)
    try:
        with TestClient(create_app(second), client=("192.0.2.7", 4000)) as elsewhere:
            again = status(elsewhere, fir, code)
            assert again.status_code == 429
            assert again.headers["retry-after"] == str(settings.citizen_window_seconds - 1800)
            assert again.json()["message"] == locked.json()["message"]
            assert status(elsewhere, str(VICTIM_CASE.fir), other).status_code == 200
    finally:
        second.close()
    # An unknown FIR locks as a known one does: a lock says nothing of which FIRs exist.
    with TestClient(create_app(clocked), client=("192.0.2.8", 4000)) as stranger:
        for _ in range(limit):
            assert status(stranger, UNKNOWN_FIR, wrong).status_code == 404
        unknown_locked = status(stranger, UNKNOWN_FIR, wrong)
    assert unknown_locked.status_code == 429
    assert unknown_locked.json()["message"] == locked.json()["message"]
    # When the failures leave the window, the right code reads the stage again.
    clocked.clock = lambda: T0 + dt.timedelta(seconds=settings.citizen_window_seconds + 1)
    assert status(http, fir, code).status_code == 200


def test_wrong_attempts_from_one_address_lock_that_address(
    clocked: Gateway, settings: Settings, http: TestClient, police: dict[str, str]
) -> None:
    code = register(http, police, scenario.fir_registered(CASE))
    # One wrong attempt at each of many FIRs: no FIR reaches its own limit.
    for serial in range(settings.citizen_failures_per_address):
        assert status(http, f"MH/AU/CIDCO/2025/{serial + 1}", "ZZZZZ-ZZZZZ").status_code == 404
    refused = status(http, str(CASE.fir), code)
    assert refused.status_code == 429 and "this address" in refused.json()["message"]
    with TestClient(create_app(clocked), client=("192.0.2.9", 4000)) as other_address:
        assert status(other_address, str(CASE.fir), code).status_code == 200


def test_every_request_from_an_address_is_taken_from_its_bucket(
    settings: Settings, police: dict[str, str], http: TestClient
) -> None:
    """Right codes too: each answer writes an access record, so a flood is refused (429) by the
    per-address bucket of requests without a key (a tenth of ICJS_RATE_LIMIT_PER_MINUTE)."""
    code = register(http, police, scenario.fir_registered(CASE))
    strict = build_gateway(settings.model_copy(update={"rate_limit_per_minute": 30}))
    strict.limits.set_clock(lambda: 0.0)  # no refill while the test runs, however slowly
    try:
        with TestClient(create_app(strict)) as limited:
            answers = [status(limited, str(CASE.fir), code).status_code for _ in range(4)]
    finally:
        strict.close()
    assert answers == [200, 200, 200, 429]


# -- a new code ---------------------------------------------------------------------------------


def test_the_police_of_the_case_issue_a_new_code_and_the_old_one_stops(
    http: TestClient, police: dict[str, str], key_for: Any
) -> None:
    message = scenario.fir_registered(CASE)
    old = register(http, police, message)
    # The same bytes again (a retry after a lost answer): the first receipt, without a code,
    # which is never kept in clear.
    again = http.post(
        "/v1/police/messages", content=json.dumps(message), headers=police | {"Content-Type": JSON}
    )
    assert again.status_code == 200 and "citizen_access" not in again.json()
    station = key_for("police", scenario.STATION)
    issued = http.post(f"/v1/cases/{CASE.fir}/citizen-access-code", headers=station)
    assert issued.status_code == 200, issued.text
    assert issued.headers["cache-control"] == "no-store"
    new = issued.json()
    assert new["fir"] == str(CASE.fir) and new["issues"] == 2 and CODE.fullmatch(new["code"])
    assert new["code"] != old
    assert status(http, str(CASE.fir), old).status_code == 404
    assert status(http, str(CASE.fir), new["code"]).status_code == 200
    # Another station's police are told the case is not known; other pillars may not.
    kranti = key_for("police", "MH/AU/KRANTI_CHOWK")
    assert http.post(f"/v1/cases/{CASE.fir}/citizen-access-code", headers=kranti).status_code == 404
    for pillar, institution in (("courts", "MHAU01"), ("operator", "NIC")):
        refused = http.post(
            f"/v1/cases/{CASE.fir}/citizen-access-code", headers=key_for(pillar, institution)
        )
        assert refused.status_code == 403, (pillar, refused.text)
    assert http.post(f"/v1/cases/{CASE.fir}/citizen-access-code").status_code == 401
    assert status(http, str(CASE.fir), new["code"]).status_code == 200


def test_the_code_is_in_no_log_and_each_read_is_audited(
    http: TestClient, gateway: Gateway, police: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    code = register(http, police, scenario.fir_registered(CASE))
    issued = http.post(f"/v1/cases/{CASE.fir}/citizen-access-code", headers=police).json()["code"]
    assert status(http, str(CASE.fir), issued).status_code == 200
    assert status(http, str(CASE.fir), code).status_code == 404
    assert page(http, str(CASE.fir), issued).status_code == 200
    secrets = {code, issued, code.replace("-", ""), issued.replace("-", "")}
    with gateway.db.session() as session:
        reads = session.exec(select(AccessRow)).all()
        messages = session.exec(select(MessageRow)).all()
    public = [r for r in reads if r.pillar == "citizen"]
    assert [(r.path, r.status) for r in public] == [
        ("/v1/public/fir-status", 200),
        ("/v1/public/fir-status", 404),
        ("/status/", 200),
    ]
    assert public[0].case_ids == public[2].case_ids != [] and public[1].case_ids == []
    for row in reads:
        assert not any(s in json.dumps(row.model_dump(mode="json")) for s in secrets), row
    for message in messages:
        kept = message.body.decode("utf-8", "replace") + json.dumps(message.errors)
        assert not any(s in kept for s in secrets)
    # The police of the case see that the informant read it.
    log = http.get(f"/v1/cases/{CASE.fir}/access-log", headers=police).json()["reads"]
    assert any(entry["pillar"] == "citizen" for entry in log)
    # The gateway's own log lines (not the test client's, which prints the URL it asks for).
    lines = [
        line
        for line in capfd.readouterr().err.splitlines()
        if line.startswith("{") and json.loads(line).get("logger") != "httpx"
    ]
    assert any('"/v1/public/fir-status"' in line for line in lines)
    assert not [line for line in lines if any(s in line for s in secrets)]


# -- the page -----------------------------------------------------------------------------------


def test_the_page_is_a_form_served_whole_by_the_gateway(
    http: TestClient, police: dict[str, str]
) -> None:
    form = http.get("/status/")
    assert form.status_code == 200 and form.headers["content-type"].startswith("text/html")
    assert form.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in form.headers["content-security-policy"]
    html = form.text
    assert '<form method="post" action="/status/"' in html
    assert 'name="fir"' in html and 'name="code"' in html
    assert "<script" not in html.lower()
    # Nothing from elsewhere: every link and stylesheet is the gateway's own.
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", html)
    (css,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    sheet = http.get(css)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/css")
    assert "ol.stages" in sheet.text

    code = register(http, police, scenario.fir_registered(CASE))
    answer = page(http, str(CASE.fir), code)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert f"FIR {CASE.fir}" in answer.text and "FIR registered" in answer.text
    assert code not in answer.text  # the code is not written back
    wrong = page(http, str(CASE.fir), "ZZZZZ-ZZZZZ" if code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY")
    assert wrong.status_code == 404 and "no FIR is known by that number" in wrong.text
    assert f'value="{CASE.fir}"' in wrong.text  # the FIR typed is kept, the code is not
    bad = page(http, str(CASE.fir), "12")
    assert bad.status_code == 422 and "10 letters and digits" in bad.text
    assert http.get("/status").status_code == 200  # redirected to /status/
