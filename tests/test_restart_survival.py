"""`portal-sim serve --db FILE` killed and restarted around a Submit loses and
doubles nothing: invoices, credit and plan changes are where they were."""
from __future__ import annotations

import pytest

from harness.control_client import SimulatorControl
from harness.http_client import FormClient
from harness.portal_process import PortalProcess


REVIEW = "/services/dns/1001/change/review?plan=start&cycle=monthly"


@pytest.fixture
def portal(tmp_path):
    with PortalProcess(db=tmp_path / "state.db") as process:
        yield process


def test_restart_between_review_and_submit_keeps_session_and_issues_once(portal):
    browser = FormClient(portal.url)
    browser.log_in("alice@example.com", "alice-pass")
    review = browser.get(REVIEW)
    assert "$2.73" in review

    portal.restart()
    browser.base_url = portal.url
    invoice = browser.submit_review(review, 1001)

    assert "Invoice #INV-000001" in invoice
    state = SimulatorControl(portal.url).state()
    assert [i["number"] for i in state["invoices"]] == ["INV-000001"]
    assert state["invoices"][0]["total"] == "2.73"
    assert state["clients"][0]["credit"] == "0.00"
    assert state["services"][0]["plan"] == "start"


def test_restart_after_submit_loses_nothing_and_a_resubmit_does_not_double(portal):
    browser = FormClient(portal.url)
    browser.log_in("alice@example.com", "alice-pass")
    review = browser.get(REVIEW)
    browser.submit_review(review, 1001)
    before = SimulatorControl(portal.url).state()

    portal.restart()
    browser.base_url = portal.url
    again = browser.submit_review(review, 1001)

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
        browser = FormClient(portal.url)
        browser.log_in("alice@example.com", "alice-pass")
        review = browser.get("/services/dns/1001/change/review?plan=basic&cycle=monthly")
        browser.submit_review(review, 1001)

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
