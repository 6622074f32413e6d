"""No serious or critical axe-core violation on any screen of the portal,
in the light and the dark colour scheme."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from harness.control_client import SimulatorControl
from harness.server import start_simulator

SCREENS = {
    "log in": "/login",
    "DNS SERVICE list": "/services/dns",
    "service details": "/services/dns/1001",
    "change page": "/services/dns/1001/change",
    "review page": "/services/dns/1001/change/review?plan=start&cycle=monthly",
    "invoice page": "/invoices/INV-000001",
    "invoices": "/invoices",
    "refusal (403)": "/services/dns/1002/change",
}
# The same screens in the classic theme (SPEC §5.1), at its addresses.
CLASSIC_SCREENS = {
    "log in": "/login.php",
    "DNS SERVICE list": "/clientarea.php?action=services",
    "service details": "/clientarea.php?action=productdetails&id=1001",
    "change page": "/upgrade.php?type=package&id=1001",
    "change page, a plan chosen": "/upgrade.php?type=package&id=1001&plan=start",
    "review page": "/upgrade.php?type=package&id=1001&step=review&plan=start&cycle=monthly",
    "invoice page": "/viewinvoice.php?id=INV-000001",
    "invoices": "/clientarea.php?action=invoices",
    "refusal (403)": "/upgrade.php?type=package&id=1002",
}

SCENARIO = {
    "plans": [
        {"id": "basic", "name": "Basic", "prices": {"monthly": "5.00", "annually": "50.00"}},
        {"id": "start", "name": "Start", "prices": {"monthly": "12.00"}},
    ],
    "clients": [{"email": "alice@example.com", "password": "alice-pass", "credit": "1.00"}],
    "services": [
        {"id": 1001, "client": "alice@example.com", "plan": "basic", "cycle": "monthly",
         "next_due": "2026-04-01"},
        {"id": 1002, "client": "alice@example.com", "plan": "basic", "cycle": "monthly",
         "next_due": "2026-04-01", "status": "Suspended"},
    ],
}


@pytest.fixture(scope="module")
def portal():
    server = start_simulator(SCENARIO=SCENARIO)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def classic_portal():
    server = start_simulator(SCENARIO={**SCENARIO, "theme": "classic"})
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def axe():
    return Axe()


def serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen_has_no_serious_axe_violation(browser, portal, axe, scheme):
    SimulatorControl(portal).load_scenario(SCENARIO)
    walk(browser, portal, axe, scheme, SCREENS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_classic_screen_has_no_serious_axe_violation(browser, classic_portal, axe, scheme):
    scenario = {**SCENARIO, "theme": "classic"}
    SimulatorControl(classic_portal).load_scenario(scenario)
    walk(browser, classic_portal, axe, scheme, CLASSIC_SCREENS)


def walk(browser, portal, axe, scheme, screens):
    context = browser.new_context(base_url=portal, color_scheme=scheme)
    page = context.new_page()
    try:
        found = {}
        for screen, path in screens.items():
            if screen == "DNS SERVICE list":  # log in on the way, as a visitor would
                page.get_by_label("Email").fill("alice@example.com")
                page.get_by_label("Password").fill("alice-pass")
                page.get_by_role("button", name="Log in").click()
            if screen == "invoice page":
                page.goto(screens["review page"])
                page.get_by_role("button", name="Submit").click()
            page.goto(path)
            problems = serious(axe.run(page))
            if problems:
                found[screen] = problems
        assert found == {}
    finally:
        context.close()
