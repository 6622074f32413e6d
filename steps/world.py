"""The state a scenario starts from, and the fixtures that seed it and log in.

Every scenario starts from the help article's sample account (`SAMPLE`, written
out here rather than read from the simulator); its Givens change that mapping
and load it through the control API (POST /__sim__/scenario). Nothing is set up
by clicking through the portal.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from harness.control_client import SimulatorControl
from pages import Portal, UiProfile
from pages.base import Journal
from pages.login import LoginPage

SERVICE_ID = 1001

# The article's sample environment (SPEC §3): Alice upgrades Basic -> Start on 17 March.
SAMPLE: dict = {
    "now": "2026-03-17T09:00:00",
    "currency": "USD",
    "tax": {"name": "Tax", "rate": "10", "inclusive": False},
    "settings": {
        "downgrade_timing": "immediate",
        "credit_on_downgrade": True,
        "apply_credit_automatically": True,
        "provisioning_delay_minutes": 0,
    },
    "plans": [
        {"id": "basic", "name": "Basic", "prices": {"monthly": "5.00", "annually": "50.00"}},
        {"id": "start", "name": "Start", "prices": {"monthly": "12.00", "annually": "120.00"}},
        {"id": "business", "name": "Business", "prices": {"monthly": "30.00", "annually": "300.00"}},
    ],
    "clients": [
        {
            "email": "alice@example.com",
            "password": "alice-pass",
            "name": "Alice Example",
            "credit": "1.00",
            "payment_method": "card",
            "users": [{"email": "bob@example.com", "password": "bob-pass", "can_change_plans": False}],
        }
    ],
    "services": [
        {
            "id": SERVICE_ID,
            "client": "alice@example.com",
            "plan": "basic",
            "cycle": "monthly",
            "status": "Active",
            "next_due": "2026-04-01",
            "plan_change_allowed": True,
        }
    ],
}


class World:
    """The scenario mapping of one test, loaded into the simulator after each change."""

    def __init__(self, control: SimulatorControl, base: dict = SAMPLE):
        self.control = control
        self.scenario = copy.deepcopy(base)
        self.load()

    @property
    def service(self) -> dict:
        return self.scenario["services"][0]

    @property
    def owner(self) -> dict:
        return self.scenario["clients"][0]

    def user(self, email: str) -> dict:
        """The client or the extra login with that email."""
        for client in self.scenario["clients"]:
            for user in (client, *client.get("users", ())):
                if user["email"] == email:
                    return user
        raise LookupError(f"no user {email} in the scenario")

    def add_service(self, client: str, plan: str, cycle: str) -> int:
        """A further Active service of `client` on `plan` (a name), like the sample's; its id."""
        service_id = max(service["id"] for service in self.scenario["services"]) + 1
        self.scenario["services"].append({**self.service, "id": service_id, "client": client,
                                          "plan": self.plan_id(plan), "cycle": cycle})
        return service_id

    def service_id(self, client: str, plan: str | None = None) -> int:
        """The id of `client`'s service (on `plan`, a name, when given)."""
        for service in self.scenario["services"]:
            if service["client"] == client and (plan is None or service["plan"] == self.plan_id(plan)):
                return service["id"]
        raise LookupError(f"no service of {client}" + (f" on {plan}" if plan else ""))

    def plan_id(self, name: str) -> str:
        for plan in self.scenario["plans"]:
            if plan["name"] == name:
                return plan["id"]
        raise LookupError(f"no plan named {name!r}; plans: {[p['name'] for p in self.scenario['plans']]}")

    def load(self) -> dict:
        return self.control.load_scenario(self.scenario)

    def today(self) -> date:
        """The scenario's date ("now" is a date, or a date and time)."""
        return date.fromisoformat(str(self.scenario["now"])[:10])

    def state(self) -> dict:
        return self.control.state()


@pytest.fixture(scope="session")
def control(base_url: str) -> SimulatorControl:
    return SimulatorControl(base_url)


@pytest.fixture
def world(control: SimulatorControl, ui_profile: UiProfile) -> World:
    """A fresh sample account in the simulator, for this scenario only, asking what the
    UI profile asks of every scenario (its language: `locale: ja`)."""
    return World(control, {**SAMPLE, **ui_profile.scenario()})


@dataclass
class SignedIn:
    """Who the scenario's browser context starts logged in as (see browser_context_args)."""

    storage_state: Path | None = None
    context_opened: bool = False


@pytest.fixture
def signed_in() -> SignedIn:
    return SignedIn()


@dataclass
class StorageStates:
    """One logged-in storage state per user, made once per worker and reused by every context.

    The session cookie names the user by email, and the simulator keeps its
    secret key when a scenario is loaded, so a state stays valid across scenarios.
    """

    browser: object
    base_url: str
    folder: Path
    timeout_ms: float
    profile: UiProfile
    _paths: dict[str, Path] = field(default_factory=dict)

    def for_user(self, email: str, password: str) -> Path:
        if email not in self._paths:
            self._paths[email] = self._log_in(email, password)
        return self._paths[email]

    def _log_in(self, email: str, password: str) -> Path:
        context = self.browser.new_context(base_url=self.base_url)
        context.set_default_timeout(self.timeout_ms)
        try:
            page = context.new_page()
            login = LoginPage(page, Journal(), self.profile)
            login.open()
            login.log_in(email, password)
            page.wait_for_url(lambda url: "/login" not in url)
            path = self.folder / f"{email}.json"
            context.storage_state(path=path)
            return path
        finally:
            context.close()


@pytest.fixture(scope="session")
def storage_states(browser, base_url: str, tmp_path_factory, ui_timeout_ms: float,
                   ui_profile: UiProfile) -> StorageStates:
    return StorageStates(browser, base_url, tmp_path_factory.mktemp("storage-states"), ui_timeout_ms, ui_profile)


@pytest.fixture
def invoices_shown() -> list[str]:
    """The numbers of the invoices the scenario has seen on screen, in order."""
    return []


PORTAL_KEY = pytest.StashKey[Portal]()


@pytest.fixture
def portal(page, request, world, ui_timeout_ms: float, ui_profile: UiProfile) -> Portal:
    """The page objects over this scenario's page, which also captions failure screenshots."""
    page.set_default_timeout(ui_timeout_ms)
    portal = Portal(page, ui_profile)
    request.node.stash[PORTAL_KEY] = portal
    return portal


@pytest.fixture
def new_tab(portal: Portal, ui_timeout_ms: float):
    """Opens a second tab of the same browser (same login) as its own Portal."""

    def open_tab() -> Portal:
        page = portal.page.context.new_page()
        page.set_default_timeout(ui_timeout_ms)
        return Portal(page, portal.profile)

    return open_tab
