"""`portal-sim serve --db FILE` killed and restarted around a Submit loses and
doubles nothing: invoices, credit and plan changes are where they were."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from harness.control import SimulatorControl
from harness.portal_process import PortalProcess


class Browser:
    """A cookie-keeping HTTP client that reads forms the way a user's browser sends them."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.base = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as answer:
            return answer.read().decode()

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=10) as answer:
            self.last_url = answer.geturl()
            return answer.read().decode()

    def log_in(self, email: str, password: str) -> None:
        page = self.get("/login")
        self.post("/login", {"email": email, "password": password,
                             "csrf_token": hidden(page, "csrf_token")})


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert match, f"no hidden field {name} on the page"
    return match.group(1)


REVIEW = "/services/dns/1001/change/review?plan=start&cycle=monthly"


@pytest.fixture
def portal(tmp_path):
    with PortalProcess(db=tmp_path / "state.db") as process:
        yield process


def submit_fields(review_page: str) -> dict:
    return {name: hidden(review_page, name)
            for name in ("csrf_token", "plan", "cycle", "review_token")}


def test_restart_between_review_and_submit_keeps_session_and_issues_once(portal):
    browser = Browser()
    browser.base = portal.url
    browser.log_in("alice@example.com", "alice-pass")
    review = browser.get(REVIEW)
    assert "$2.73" in review

    portal.restart()
    browser.base = portal.url
    invoice = browser.post("/services/dns/1001/change", submit_fields(review))

    assert "Invoice #INV-000001" in invoice
    state = SimulatorControl(portal.url).state()
    assert [i["number"] for i in state["invoices"]] == ["INV-000001"]
    assert state["invoices"][0]["total"] == "2.73"
    assert state["clients"][0]["credit"] == "0.00"
    assert state["services"][0]["plan"] == "start"


def test_restart_after_submit_loses_nothing_and_a_resubmit_does_not_double(portal):
    browser = Browser()
    browser.base = portal.url
    browser.log_in("alice@example.com", "alice-pass")
    review = browser.get(REVIEW)
    browser.post("/services/dns/1001/change", submit_fields(review))
    before = SimulatorControl(portal.url).state()

    portal.restart()
    browser.base = portal.url
    again = browser.post("/services/dns/1001/change", submit_fields(review))

    assert "Invoice #INV-000001" in again  # the same review shows the same invoice
    after = SimulatorControl(portal.url).state()
    assert after == before
    assert "Start" in browser.get("/services/dns")
    assert "$12.00 / Monthly" in browser.get("/services/dns")


def test_scheduled_downgrade_survives_restart_and_applies_on_the_due_date(tmp_path):
    scenario = tmp_path / "scheduled.yaml"
    scenario.write_text(
        "now: 2026-03-17T09:00:00\n"
        "settings: {downgrade_timing: next_renewal}\n"
        "plans:\n"
        "  - {id: basic, name: Basic, prices: {monthly: '5.00'}}\n"
        "  - {id: start, name: Start, prices: {monthly: '12.00'}}\n"
        "clients: [{email: alice@example.com, password: alice-pass}]\n"
        "services: [{id: 1001, client: alice@example.com, plan: start, cycle: monthly,"
        " next_due: 2026-04-01}]\n")
    with PortalProcess(db=tmp_path / "state.db", scenario=scenario) as portal:
        browser = Browser()
        browser.base = portal.url
        browser.log_in("alice@example.com", "alice-pass")
        review = browser.get("/services/dns/1001/change/review?plan=basic&cycle=monthly")
        browser.post("/services/dns/1001/change", submit_fields(review))

        portal.restart()
        control = SimulatorControl(portal.url)
        pending = control.state()["services"][0]["pending_change"]
        assert (pending["plan"], pending["effective"]) == ("basic", "2026-04-01")
        control.set_clock("2026-04-01T00:00:00")

        portal.restart()
        state = SimulatorControl(portal.url).state()
        assert state["services"][0]["plan"] == "basic"
        assert state["services"][0]["pending_change"] is None
        assert len(state["invoices"]) == 1
