"""The bundled driver: the simulator's control API, one tenant per scenario (SPEC §4.1)."""
from __future__ import annotations

import re
from datetime import datetime

from harness.control_client import SimulatorControl

from .interface import CAPABILITIES, Account, PortalDriver

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class SimulatorDriver(PortalDriver):
    name = "simulator"
    capabilities = frozenset(CAPABILITIES)

    def __init__(self, base_url: str):
        super().__init__(base_url)
        self.control = SimulatorControl(self.base_url)
        self._tenants: dict[str, SimulatorControl] = {}

    def seed(self, scenario: dict) -> Account:
        tenant, answer = self.control.create_tenant(scenario)
        self._tenants[tenant.tenant] = tenant
        return Account(tenant.tenant, dict(answer["logins"]),
                       {int(given): real for given, real in answer["services"].items()})

    def discard(self, account: Account) -> None:
        self._tenants.pop(account.handle).delete()

    def set_clock(self, account: Account, now: datetime) -> None:
        self._tenants[account.handle].set_clock(now.isoformat(timespec="seconds"))

    def advance_clock(self, account: Account, minutes: int) -> None:
        self._tenants[account.handle].advance(minutes=minutes)

    def pay_invoice(self, account: Account, number: str) -> None:
        self._tenants[account.handle].pay_invoice(number)

    def state(self, account: Account) -> dict:
        return self._tenants[account.handle].state()

    def log_in(self, session, login: str, password: str) -> bool:
        """The Log in form posted over HTTP, as the browser would post it: one round trip
        for the form's CSRF token, one for the login."""
        form = session.get("/login")
        token = CSRF_FIELD.search(form.text())
        if not form.ok or token is None:
            raise RuntimeError(f"GET /login answered {form.status} without the form's csrf_token")
        answer = session.post("/login", form={"email": login, "password": password,
                                              "csrf_token": token[1]}, max_redirects=0)
        if answer.status not in (302, 303):
            raise RuntimeError(f"logging in as {login} answered {answer.status}, not a redirect: "
                               f"{' '.join(answer.text().split())[:200]}")
        return True


class WholePortalDriver(SimulatorDriver):
    """The simulator's whole portal, one scenario at a time: seeding replaces its state
    (`/__sim__/scenario`), so logins, service ids and invoice numbers read exactly as the
    scenario writes them (alice@example.com, #1001, INV-000001). What the article's
    screenshots use, so an image does not depend on which scenarios ran before it.
    Never with -n: a second scenario's seed would replace the first one's account."""

    name = "simulator-whole"
    capabilities = frozenset(CAPABILITIES) - {"several-accounts"}  # a seed replaces the one account

    def seed(self, scenario: dict) -> Account:
        self.control.load_scenario(scenario)
        logins = {client["email"]: client["email"] for client in scenario.get("clients", [])}
        logins.update({user["email"]: user["email"] for client in scenario.get("clients", [])
                       for user in client.get("users", [])})
        services = {int(service["id"]): int(service["id"]) for service in scenario.get("services", [])}
        return Account("default", logins, services)

    def discard(self, account: Account) -> None:
        """Nothing to remove: the next seed replaces the state."""

    def set_clock(self, account: Account, now: datetime) -> None:
        self.control.set_clock(now.isoformat(timespec="seconds"))

    def advance_clock(self, account: Account, minutes: int) -> None:
        self.control.advance(minutes=minutes)

    def pay_invoice(self, account: Account, number: str) -> None:
        self.control.pay_invoice(number)

    def state(self, account: Account) -> dict:
        return self.control.state()
