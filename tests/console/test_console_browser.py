"""The web console in a real browser: Debian's Chromium (``scripts/services.sh up`` installs
``chromium`` and ``chromium-driver``) driven by Selenium through ``/usr/bin/chromedriver``, never
a driver Selenium would download, against the gateway served by a real uvicorn on a free port.

One browser and one server for the module (SQLite, the demo's case across the five pillars and
a child's case built as the API tests build them). The tests run in order, each signing in as
the user it is about, and take screenshots of the main pages into docs/screenshots/ (kept in
the repository, rewritten by every run)."""

from __future__ import annotations

import copy
import json
import os
import secrets
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait
from served import free_port
from sqlmodel import col, select

from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.cli import scenario
from gateway.cli.demo import run_demo
from gateway.messaging.consumers import record_dead_letter
from gateway.services.auth import create_client
from gateway.settings import Settings
from gateway.store.tables import EventRow
from tests.conftest import ROOT, copy_sqlite

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: Where the screenshots go: var/screenshots (not committed) unless ICJS_TEST_SCREENSHOTS names
#: another folder; `make screenshots` names docs/screenshots, the README's copies. A test run
#: that rewrote the committed copies would leave every checkout it ran in modified.
SCREENSHOTS = ROOT / os.environ.get("ICJS_TEST_SCREENSHOTS", "var/screenshots")
CHILD_CASE = scenario.refs(901)
CHILD = "Salim Yusuf Shaikh"
HINT = "install them with `scripts/services.sh up` (Debian's chromium and chromium-driver)"


@dataclass
class Served:
    """The served console: its address, the keys of its users, the cases it holds."""

    url: str
    keys: dict[str, str]
    fir: str
    child_fir: str
    dead_letter: int


def child_case(http: TestClient, police: dict[str, str]) -> None:
    """The scenario robbery with its second accused a child (JJ Act 2015: flagged juvenile,
    aged 16), charge-sheeted before the magistrate MHAU01, as tests/api/test_personal_data.py
    builds it."""
    fir = copy.deepcopy(scenario.fir_registered(CHILD_CASE))
    child = fir["data"]["fir"]["accused"][1]
    child.pop("date_of_birth")
    child |= {"age": 16, "juvenile": True}
    sheet = copy.deepcopy(scenario.chargesheet_filed(CHILD_CASE, report_number="CS-901/2026"))
    sheet["data"]["report"]["court"] = "MHAU01"
    sheeted = sheet["data"]["report"]["accused"][1]["person"]
    sheeted.pop("date_of_birth")
    sheeted |= {"age": 16, "juvenile": True}
    for message in (fir, sheet):
        answer = http.post(
            "/v1/police/messages",
            content=json.dumps(message),
            headers=police | {"Content-Type": "application/json"},
        )
        assert answer.status_code == 202, answer.text


def build_store(settings: Settings) -> tuple[dict[str, str], str, int]:
    """The demo, the child's case, a dead letter of the courts' feed, and a key per user."""
    status = run_demo(settings, echo=lambda *_: None)
    gateway = build_gateway(settings)
    try:
        keys: dict[str, str] = {}
        with gateway.db.session(write=True) as session:
            for pillar, code in (
                ("operator", "OPS"),
                ("police", "MH/AU/CIDCO"),
                ("courts", "MHAU01"),
            ):
                _, keys[pillar] = create_client(
                    session, name=f"browser-{pillar}", pillar=pillar, institution=code
                )
        with TestClient(create_app(gateway)) as http:
            child_case(http, {"Authorization": f"Bearer {keys['police']}"})
        # A charge sheet the courts' feed consumer gave up on (as a defect would leave it); it
        # was filed meanwhile, so its replay applies nothing twice.
        with gateway.db.session() as session:
            envelope = session.exec(
                select(EventRow.envelope)
                .where(EventRow.type == "icjs.chargesheet.filed")
                .order_by(col(EventRow.sequence))
            ).first()
        assert envelope is not None
        letter = record_dead_letter(
            db=gateway.db,
            consumer="feed.courts",
            envelope=dict(envelope),
            error="RuntimeError: defect while filing this charge sheet",
            attempts=5,
            origin="feed.courts/0/12",
        )
        assert letter.id is not None
        return keys, status.identifiers["fir"][0], letter.id
    finally:
        gateway.close()


@pytest.fixture(scope="module")
def served(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The gateway on a SQLite copy of the template, served by uvicorn in a thread."""
    path = tmp_path_factory.mktemp("console") / "icjs.db"
    copy_sqlite(sqlite_template, path)
    # Embedded whatever the shell exported (a module's fixture runs before the suite's
    # function-scoped one that clears the services' variables).
    settings = Settings(
        database_url=f"sqlite:///{path}",
        kafka_bootstrap_servers=None,
        log_level="WARNING",
        deadline_interval_seconds=0,
    )
    keys, fir, letter = build_store(settings)
    gateway: Gateway = build_gateway(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(gateway), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while thread.is_alive() and not server.started:
        started.wait(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield Served(f"http://127.0.0.1:{port}", keys, fir, str(CHILD_CASE.fir), letter)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        gateway.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """One headless Chromium for the module, through Debian's chromedriver."""
    for program in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(program), f"{program} is missing; {HINT}"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the tests may run as root (CI containers)
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def follow(browser: webdriver.Chrome, element: WebElement) -> None:
    """Click ``element`` (a link or a form's button) and wait until the page it leads to has
    loaded: a click returns as soon as it is dispatched, before the navigation it starts, so
    the URL or an element read at once may still be the old page's (a two-core machine under
    load shows it)."""
    # A mark on the old page's window: a navigation gives the next page a new window, so the
    # mark's absence says the page has changed. Selenium's staleness_of asked the old page's
    # element instead, and Chromium answers that with an "unhandled inspector error" when the
    # question falls in the middle of the navigation (seen in CI).
    mark = secrets.token_hex(8)
    browser.execute_script("window.icjsTestPage = arguments[0];", mark)
    element.click()

    def arrived(driver: webdriver.Chrome) -> bool:
        try:
            return bool(
                driver.execute_script(
                    "return window.icjsTestPage !== arguments[0]"
                    " && document.readyState === 'complete';",
                    mark,
                )
            )
        except WebDriverException:
            # Asked while the old document was being torn down: ask again.
            return False

    WebDriverWait(browser, 30).until(arrived)


def shoot(browser: webdriver.Chrome, name: str) -> None:
    """A screenshot of the page into docs/screenshots/<name>.png."""
    assert browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def sign_in(browser: webdriver.Chrome, served: Served, user: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{served.url}/console/sign-in")
    browser.find_element(By.ID, "api_key").send_keys(served.keys[user])
    follow(browser, browser.find_element(By.ID, "sign-in"))
    assert browser.current_url == f"{served.url}/console/", browser.page_source[:2000]


def text_of(browser: webdriver.Chrome, element_id: str) -> str:
    found: str = browser.find_element(By.ID, element_id).text
    return found


def test_sign_in(browser: webdriver.Chrome, served: Served) -> None:
    browser.get(f"{served.url}/console/messages")
    # No session: to the sign-in page, which comes back to the page asked for.
    assert "/console/sign-in" in browser.current_url
    shoot(browser, "sign-in")
    browser.find_element(By.ID, "api_key").send_keys("icjs_operator_" + "x" * 43)
    follow(browser, browser.find_element(By.ID, "sign-in"))
    assert "unknown or revoked API key" in text_of(browser, "error")
    browser.find_element(By.ID, "api_key").send_keys(served.keys["operator"])
    follow(browser, browser.find_element(By.ID, "sign-in"))
    assert browser.current_url == f"{served.url}/console/messages"
    assert "operator · OPS" in browser.find_element(By.CLASS_NAME, "who").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#messages tr")
    assert len(rows) > 10  # the demo's messages, newest first
    assert "messages table" in text_of(browser, "source")
    shoot(browser, "message-log")
    for page in ("health", "audit", "clients"):
        browser.get(f"{served.url}/console/{page}")
        shoot(browser, page)
    assert text_of(browser, "clients").count("browser-") == 3


def test_find_a_case_by_fir(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served, "police")
    follow(browser, browser.find_element(By.LINK_TEXT, "Find a case"))
    browser.find_element(By.ID, "ref").send_keys(served.fir)
    follow(browser, browser.find_element(By.ID, "find"))
    assert served.fir in text_of(browser, "case-facts")
    assert text_of(browser, "police-stage") == "charge_sheet_filed"
    names = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#accused td.name")]
    assert names == ["Ramesh Shankar Jadhav", CHILD]  # the demo's A2 is an adult
    timeline = text_of(browser, "timeline")
    assert "fir.registered" in timeline or "icjs.fir.registered" in timeline
    assert "courts" in timeline and "prisons" in timeline and "forensics" in timeline
    shoot(browser, "case")


def test_a_court_sees_a_juvenile_by_label_only(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served, "courts")
    browser.get(f"{served.url}/console/case?ref={served.child_fir}")
    names = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#accused td.name")]
    assert names == ["Ramesh Shankar Jadhav", "juvenile A2"]
    page = browser.page_source
    assert "Salim" not in page and "Shaikh" not in page
    shoot(browser, "case-juvenile-for-a-court")
    # The police of the case see the child by name (JJ Act 2015 s.74 keeps him from others).
    sign_in(browser, served, "police")
    browser.get(f"{served.url}/console/case?ref={served.child_fir}")
    assert CHILD in text_of(browser, "accused")


def test_replay_a_dead_letter(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served, "operator")
    browser.get(f"{served.url}/console/dead-letters")
    row = browser.find_element(By.ID, f"dead-letter-{served.dead_letter}")
    assert "dead" in row.find_element(By.CLASS_NAME, "status-cell").text
    shoot(browser, "dead-letters")
    follow(browser, row.find_element(By.TAG_NAME, "button"))
    assert f"Dead letter {served.dead_letter} was replayed." in text_of(browser, "notice")
    row = browser.find_element(By.ID, f"dead-letter-{served.dead_letter}")
    assert "replayed" in row.find_element(By.CLASS_NAME, "status-cell").text
    assert row.find_elements(By.TAG_NAME, "button") == []


def test_page_through_a_feed(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served, "courts")
    follow(browser, browser.find_element(By.LINK_TEXT, "Charge sheets waiting"))
    assert "Charge sheets waiting: courts feed of MHAU01" in browser.title
    shoot(browser, "court-feed")
    browser.get(f"{served.url}/console/feed?type=all&limit=1")
    cursors: list[int] = []
    while True:
        cells = browser.find_elements(By.CSS_SELECTOR, "#feed td.num")
        assert len(cells) == 1, browser.page_source[:2000]
        cursors.append(int(cells[0].text))
        following = browser.find_elements(By.ID, "next")
        if not following:
            break
        follow(browser, following[0])
        assert browser.find_elements(By.ID, "first")
    # Every item once, oldest first: the demo's two charge sheets and the child's, and the
    # clocks' notices the courts' feed carries.
    assert len(cursors) >= 3 and cursors == sorted(set(cursors))


def test_sign_out(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served, "operator")
    cookie = browser.get_cookie("icjs_console")
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    follow(browser, browser.find_element(By.ID, "sign-out"))
    assert "You have signed out." in text_of(browser, "notice")
    assert browser.get_cookie("icjs_console") is None
    # The old cookie, put back, opens nothing.
    browser.add_cookie(
        {k: cookie[k] for k in ("name", "value", "path", "httpOnly", "sameSite") if k in cookie}
    )
    browser.get(f"{served.url}/console/messages")
    assert "/console/sign-in?reason=ended" in browser.current_url
    assert "Your session has ended." in text_of(browser, "notice")
