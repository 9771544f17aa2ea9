"""The web console without a browser (TestClient, both stores): its session cookie and what it
is made of, the CSRF check of every form, the idle timeout (on the gateway's clock, no
sleeping), the deny-by-default of every page, a pillar's key refused an operator's page as the
API refuses it, and the access record of a page view."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import select

from canonical_model.errors import Unauthenticated
from gateway.api.app import create_app
from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.access_log import read_access_log
from gateway.services.auth import authenticate, create_client, hash_key, revoke_client
from gateway.store.tables import ConsoleSessionRow

T0 = dt.datetime(2026, 9, 1, 4, 30, tzinfo=dt.UTC)
CASE = scenario.refs(31)
#: Every page behind the sign-in (GET), and every form (POST).
PAGES = (
    "/console/",
    "/console/messages",
    "/console/messages/msg_x",
    "/console/held",
    "/console/dead-letters",
    "/console/clients",
    "/console/institutions",
    "/console/health",
    "/console/audit",
    "/console/case?ref=MH/AU/CIDCO/2026/0031",
    "/console/clocks",
    "/console/feed",
    "/console/undertrials",
)
FORMS = (
    "/console/sign-out",
    "/console/dead-letters/1/replay",
    "/console/clients",
    "/console/clients/1/rotate",
    "/console/clients/1/revoke",
    "/console/audit/verify",
)


class Clock:
    """The gateway's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(gateway: Gateway) -> Clock:
    made = Clock()
    gateway.clock = made
    return made


@pytest.fixture
def web(gateway: Gateway, clock: Clock) -> Iterator[TestClient]:
    """The app, cookies kept between requests, redirects not followed."""
    with TestClient(create_app(gateway), follow_redirects=False) as client:
        yield client


def new_key(gateway: Gateway, pillar: str, institution: str) -> str:
    with gateway.db.session(write=True) as session:
        _, key = create_client(
            session, name=f"web-{pillar}", pillar=pillar, institution=institution
        )
    return key


def shown(page: Response) -> str:
    """The page's text as a reader sees it (entities unescaped)."""
    return html.unescape(page.text)


def works(gateway: Gateway, key: str) -> bool:
    """Whether the API would take ``key`` now (asked of the store: the API's cache of keys
    would answer for a few seconds more)."""
    try:
        with gateway.db.session() as session:
            authenticate(session, f"Bearer {key}")
    except Unauthenticated:
        return False
    return True


def csrf_of(page: Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def sign_in(web: TestClient, key: str) -> Response:
    form = web.get("/console/sign-in")
    assert form.status_code == 200
    answer: Response = web.post(
        "/console/sign-in", data={"csrf": csrf_of(form), "api_key": key, "next": "/console/"}
    )
    assert answer.status_code == 303, answer.text
    return answer


def test_the_session_cookie_is_httponly_strict_and_holds_no_key(
    web: TestClient, gateway: Gateway
) -> None:
    key = new_key(gateway, "operator", "OPS")
    answer = sign_in(web, key)
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("icjs_console="))
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/console"} <= attributes
    assert "secure" not in attributes  # plain http here; https below
    token = cookie.split(";")[0].split("=", 1)[1]
    assert key not in cookie
    with gateway.db.session() as session:
        (row,) = session.exec(select(ConsoleSessionRow)).all()
    # Digests only: of the token and of the key, neither in clear.
    assert row.key_hash == hash_key(key) and row.id != token and token not in row.model_dump_json()
    assert web.get("/console/").status_code == 200


def test_over_https_the_cookie_is_secure(gateway: Gateway, clock: Clock) -> None:
    key = new_key(gateway, "operator", "OPS")
    with TestClient(
        create_app(gateway), base_url="https://testserver", follow_redirects=False
    ) as web:
        answer = sign_in(web, key)
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("icjs_console="))
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_a_wrong_key_is_refused_on_the_sign_in_page(web: TestClient) -> None:
    form = web.get("/console/sign-in")
    answer = web.post(
        "/console/sign-in",
        data={"csrf": csrf_of(form), "api_key": "icjs_operator_" + "x" * 43},
    )
    assert answer.status_code == 401
    assert "unknown or revoked API key" in answer.text
    assert "icjs_console=" not in answer.headers.get("set-cookie", "")


def test_every_page_and_form_denies_without_a_session(web: TestClient) -> None:
    for path in PAGES:
        answer = web.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/console/sign-in?reason=required"), path
    for path in FORMS:
        answer = web.post(path, data={"csrf": "x"})
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/console/sign-in"), path
    # The sign-in page and the stylesheet are the only things served without one.
    assert web.get("/console/sign-in").status_code == 200
    css = web.get("/console/static/console.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_forms_without_the_session_s_csrf_token_are_refused(
    web: TestClient, gateway: Gateway
) -> None:
    key = new_key(gateway, "operator", "OPS")
    # The sign-in form too: without the token of its own cookie.
    web.get("/console/sign-in")
    refused = web.post("/console/sign-in", data={"csrf": "forged", "api_key": key})
    assert refused.status_code == 403 and "CSRF" in refused.text
    sign_in(web, key)
    page = web.get("/console/clients")
    for data in ({}, {"csrf": "forged"}, {"csrf": csrf_of(page) + "0"}):
        answer = web.post("/console/clients", data=data | {"name": "x", "pillar": "police"})
        assert answer.status_code == 403, data
        assert "CSRF token is missing or is not this session's" in shown(answer)
        assert web.post("/console/sign-out", data=data).status_code == 403
    # The session survived every refused form, and the right token works.
    assert web.get("/console/").status_code == 200
    signed_out = web.post("/console/sign-out", data={"csrf": csrf_of(page)})
    assert signed_out.status_code == 303


def test_a_form_of_one_session_is_refused_in_another(web: TestClient, gateway: Gateway) -> None:
    key = new_key(gateway, "operator", "OPS")
    sign_in(web, key)
    old = csrf_of(web.get("/console/"))
    web.cookies.clear()
    sign_in(web, key)
    assert web.post("/console/sign-out", data={"csrf": old}).status_code == 403


def test_the_session_ends_after_the_idle_timeout(
    web: TestClient, gateway: Gateway, clock: Clock
) -> None:
    idle = gateway.settings.console_idle_minutes
    assert idle == 15  # ICJS_CONSOLE_IDLE_MINUTES' default
    sign_in(web, new_key(gateway, "operator", "OPS"))
    # Each use moves the idle timer: three uses 14 minutes apart keep it alive.
    for _ in range(3):
        clock.now += dt.timedelta(minutes=idle - 1)
        assert web.get("/console/health").status_code == 200
    clock.now += dt.timedelta(minutes=idle, seconds=1)
    expired = web.get("/console/health")
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/console/sign-in?reason=idle")
    with gateway.db.session() as session:
        (row,) = session.exec(select(ConsoleSessionRow)).all()
    assert row.ended_why == "idle" and row.ended_at == clock.now
    # Ended for good: going back within the timeout does not bring it back.
    clock.now -= dt.timedelta(minutes=idle)
    assert web.get("/console/health").status_code == 303


def test_signing_out_ends_the_session_and_its_cookie_never_works_again(
    web: TestClient, gateway: Gateway
) -> None:
    sign_in(web, new_key(gateway, "operator", "OPS"))
    token = web.cookies["icjs_console"]
    out = web.post("/console/sign-out", data={"csrf": csrf_of(web.get("/console/"))})
    assert out.status_code == 303 and out.headers["location"].endswith("reason=signed_out")
    web.cookies.set("icjs_console", token, path="/console")
    again = web.get("/console/")
    assert again.status_code == 303 and "reason=ended" in again.headers["location"]


def test_revoking_the_key_ends_its_sessions(web: TestClient, gateway: Gateway) -> None:
    key = new_key(gateway, "courts", "MHAU01")
    sign_in(web, key)
    assert web.get("/console/clocks").status_code == 200
    with gateway.db.session(write=True) as session:
        revoke_client(session, key_prefix=key[: len("courts") + 10])
    answer = web.get("/console/clocks")
    assert answer.status_code == 303 and "reason=key_invalid" in answer.headers["location"]


def test_a_pillar_s_key_is_refused_an_operator_page_as_the_api_refuses_it(
    web: TestClient, gateway: Gateway
) -> None:
    key = new_key(gateway, "courts", "MHAU01")
    api = web.get("/v1/admin/messages", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 403
    sign_in(web, key)
    for path in (
        "/console/messages",
        "/console/dead-letters",
        "/console/clients",
        "/console/health",
    ):
        page = web.get(path)
        assert page.status_code == 403, path
        assert api.json()["message"] in shown(page), path
    # A form too: the replay of a dead letter.
    replay = web.post("/console/dead-letters/1/replay", data={"csrf": csrf_of(page)})
    assert replay.status_code == 403


def test_a_case_the_key_may_not_read_is_404_as_in_the_api(
    web: TestClient, gateway: Gateway
) -> None:
    police = new_key(gateway, "police", "MH/AU")
    posted = web.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(CASE)),
        headers={"Authorization": f"Bearer {police}", "Content-Type": "application/json"},
    )
    assert posted.status_code == 202, posted.text
    other = new_key(gateway, "police", "MH/PU")
    api = web.get(f"/v1/cases/{CASE.fir}", headers={"Authorization": f"Bearer {other}"})
    assert api.status_code == 404
    sign_in(web, other)
    page = web.get("/console/case", params={"ref": str(CASE.fir)})
    assert page.status_code == 404
    assert api.json()["message"] in shown(page)
    assert "Jadhav" not in page.text


def test_a_page_view_is_recorded_in_the_access_log_as_an_api_read(
    web: TestClient, gateway: Gateway
) -> None:
    police = new_key(gateway, "police", "MH/AU/CIDCO")
    posted = web.post(
        "/v1/police/messages",
        content=json.dumps(scenario.fir_registered(CASE)),
        headers={"Authorization": f"Bearer {police}", "Content-Type": "application/json"},
    )
    case_id = posted.json()["case_ids"][0]
    sign_in(web, police)
    page = web.get("/console/case", params={"ref": str(CASE.fir)}, headers={"X-Request-ID": "r1"})
    assert page.status_code == 200 and "Ramesh Shankar Jadhav" in page.text
    refused = web.get("/console/messages", headers={"X-Request-ID": "r2"})
    assert refused.status_code == 403
    with gateway.db.session() as session:
        reads = read_access_log(session, case_id=case_id)
        everything = read_access_log(session)
    (view,) = [r for r in reads if r["request_id"] == "r1"]
    assert view["path"] == "/console/case" and view["method"] == "GET"
    assert view["status"] == 200 and view["case_ids"] == [case_id]
    assert view["pillar"] == "police" and view["institution"] == "MH/AU/CIDCO"
    (denied,) = [r for r in everything if r["request_id"] == "r2"]
    assert denied["status"] == 403 and denied["case_ids"] == []


def test_an_operator_issues_rotates_and_revokes_a_key(web: TestClient, gateway: Gateway) -> None:
    sign_in(web, new_key(gateway, "operator", "OPS"))
    csrf = csrf_of(web.get("/console/clients"))
    bad = web.post(
        "/console/clients",
        data={"csrf": csrf, "name": "x", "pillar": "courts", "institution": "ZZZZ99"},
    )
    assert bad.status_code == 422 and "/institution" in bad.text
    issued = web.post(
        "/console/clients",
        data={"csrf": csrf, "name": "cjm", "pillar": "courts", "institution": "MHAU01"},
    )
    assert issued.status_code == 200
    key = re.search(r'id="new-key">([^<]+)<', issued.text)
    assert key, issued.text
    assert works(gateway, key.group(1))
    client_id = re.search(r"The key of client (\d+)", issued.text)
    assert client_id
    rotated = web.post(
        f"/console/clients/{client_id.group(1)}/rotate", data={"csrf": csrf, "overlap": "0s"}
    )
    assert rotated.status_code == 200
    newer = re.search(r'id="new-key">([^<]+)<', rotated.text)
    assert newer and newer.group(1) != key.group(1)
    assert not works(gateway, key.group(1)) and works(gateway, newer.group(1))
    revoked = web.post(f"/console/clients/{client_id.group(1)}/revoke", data={"csrf": csrf})
    assert revoked.status_code == 303
    assert not works(gateway, newer.group(1))
