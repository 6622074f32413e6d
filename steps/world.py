"""The state a scenario starts from, the account the portal driver seeds from it,
and the fixtures that log in.

Every scenario starts from the help article's sample account (`SAMPLE`, the file the
simulator starts from); its Givens change that mapping.
The portal driver (--portal-driver, SPEC §9) seeds it once, when the scenario
first needs the portal, as an account of its own: so scenarios run side by side
against one portal, and every login, service id and invoice number a step uses
is one the driver or the screen gave, never a constant. Nothing is set up by
clicking through the portal.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import resources

import pytest
import yaml

from drivers import CAPABILITIES, Account, CannotSeed, PortalDriver, UndeclaredCapability, served
from drivers.plugin import needs_of
from harness import skips
from pages import Portal, UiProfile

class _TextDates(yaml.SafeLoader):
    """YAML as the portal's scenario file, but dates kept as the text written (a scenario
    goes to the driver as JSON)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

# The article's sample environment (SPEC §3): Alice upgrades Basic -> Start on 17 March. One
# file, the one `portal-sim serve` starts from; the Givens of a scenario edit a copy of it.
SAMPLE: dict = yaml.load((resources.files("simulator") / "sample_scenario.yaml").read_text(encoding="utf-8"),
                         Loader=_TextDates)
# The sample's service, by the scenario's own id; the portal gives it another (World.service_id).
SAMPLE_SERVICE: int = SAMPLE["services"][0]["id"]


class SeededAlready(RuntimeError):
    """A Given ran after the scenario first used the portal."""


class World:
    """One scenario's starting state (a SPEC §3 mapping its Givens edit) and, once the
    scenario first needs the portal, the account the driver seeded from it.

    It also keeps the scenario honest about its @needs tags: a step that uses a
    capability the scenario does not declare fails, naming the tag to add.
    """

    def __init__(self, driver: PortalDriver, needs: frozenset[str] = frozenset(CAPABILITIES),
                 base: dict = SAMPLE):
        self.driver = driver
        self.needs = needs
        self._base = copy.deepcopy(base)  # what the portal has anyway: the sample, as the run asks it
        self._scenario = copy.deepcopy(base)
        self._account: Account | None = None

    # --- the Givens' mapping, editable until the account is seeded -----------------------

    @property
    def scenario(self) -> dict:
        if self._account is not None:
            raise SeededAlready("a Given after the scenario's first look at the portal: its account "
                                "is already seeded; put every Given before the first When")
        return self._scenario

    def plan_names(self) -> list[str]:
        """The names of the plans the portal offers in this scenario (also once seeded)."""
        return [plan["name"] for plan in self._scenario["plans"]]

    @property
    def service(self) -> dict:
        """The sample's service, to edit."""
        return self.scenario["services"][0]

    @property
    def owner(self) -> dict:
        """The sample's client (Alice), to edit."""
        return self.scenario["clients"][0]

    def user(self, email: str) -> dict:
        """The client or the extra login with that (scenario) email, to edit."""
        return self._user(self.scenario, email)

    @staticmethod
    def _user(scenario: dict, email: str) -> dict:
        for client in scenario["clients"]:
            for user in (client, *client.get("users", ())):
                if user["email"] == email:
                    return user
        raise LookupError(f"no user {email} in the scenario")

    def add_service(self, client: str, plan: str, cycle: str) -> None:
        """A further Active service of `client` on `plan` (a name), like the sample's."""
        services = self.scenario["services"]
        services.append({**services[0], "id": max(s["id"] for s in services) + 1, "client": client,
                         "plan": self.plan_id(plan), "cycle": cycle})

    def plan_id(self, name: str) -> str:
        for plan in self._scenario["plans"]:
            if plan["name"] == name:
                return plan["id"]
        raise LookupError(f"no plan named {name!r}; plans: {[p['name'] for p in self._scenario['plans']]}")

    # --- what the scenario's own names are -------------------------------------------------

    @property
    def owner_email(self) -> str:
        return self._scenario["clients"][0]["email"]

    def today(self) -> date:
        """The scenario's date ("now" is a date, or a date and time)."""
        return date.fromisoformat(str(self._scenario["now"])[:10])

    def password(self, email: str) -> str:
        return self._user(self._scenario, email)["password"]

    def is_extra_user(self, email: str) -> bool:
        return all(client["email"] != email for client in self._scenario["clients"])

    def plan_of_service(self) -> str | None:
        """How the DNS SERVICE list names the sample's service: None when it is the owner's
        only service (the list's one item, whatever plan a change has put it on since),
        else the name of the plan the scenario gave it."""
        owned = [s for s in self._scenario["services"] if s["client"] == self.owner_email]
        return None if len(owned) == 1 else self.plan_name(owned[0]["plan"])

    def plan_name(self, plan_id: str) -> str:
        return next(plan["name"] for plan in self._scenario["plans"] if plan["id"] == plan_id)

    def cycle_of_plan(self, plan: str | None) -> str:
        """The billing cycle the scenario gave the owner's service on `plan` (a name; None:
        her only service)."""
        return next(s["cycle"] for s in self._scenario["services"]
                    if s["client"] == self.owner_email and (plan is None or s["plan"] == self.plan_id(plan)))

    # --- the seeded account: real logins and ids ----------------------------------------------

    @property
    def account(self) -> Account:
        """The account seeded from the Givens' mapping, seeded now if not yet. A driver
        that cannot represent it (CannotSeed) skips the scenario with its reason, at
        whichever step or fixture first needed the account."""
        if self._account is None:
            scenario = self._for_the_driver()
            try:
                self._account = self.driver.seed(scenario)
            except CannotSeed as refusal:
                skips.skip(skips.REFUSED, f"refused by portal driver {self.driver.name!r}: {refusal.reason}")
        return self._account

    def _for_the_driver(self) -> dict:
        """The mapping to seed, once the scenario says it uses what differs from the sample:
        a tax of its own (per-account-tax), plans or prices of its own (per-account-catalog),
        a client with more than one service (several-services), a client with a credit
        balance (credit-balance; the sample's $1.00 is one). The sample's date needs
        nothing: a driver on the real date shifts the scenario's dates to it; a Given that
        names a date says so itself (set_today)."""
        scenario = copy.deepcopy(self._scenario)
        settings = scenario.get("settings", {})
        if scenario.get("tax") != self._base.get("tax"):
            self.uses("per-account-tax")
        if scenario.get("plans") != self._base.get("plans"):
            self.uses("per-account-catalog")
        clients = [service["client"] for service in scenario["services"]]
        if any(clients.count(client) > 1 for client in clients):
            self.uses("several-services")
        if any(Decimal(str(client.get("credit", "0"))) for client in scenario["clients"]):
            self.uses("credit-balance")
        if scenario.get("currency") == "JPY":
            self.uses("jpy")
        if settings.get("downgrade_timing") == "next_renewal":
            self.uses("downgrade-at-renewal")
        if int(settings.get("provisioning_delay_minutes", 0)):
            self.uses("provisioning-delay")
        if any(client.get("payment_method") == "bank_transfer" for client in scenario["clients"]):
            self.uses("bank-transfer")
        if any(not s.get("plan_change_allowed", True) or "allowed_targets" in s for s in scenario["services"]):
            self.uses("contract-lock")
        if "permissions" not in served(self.driver.capabilities):
            # The sample's extra login is only there for the scenarios about permissions.
            for client in scenario["clients"]:
                client.pop("users", None)
        return scenario

    def login(self, email: str) -> str:
        """The portal's login for the scenario's `email`."""
        if self.is_extra_user(email):
            self.uses("permissions")
        try:
            return self.account.logins[email]
        except KeyError:
            raise LookupError(f"portal driver {self.driver.name!r} gave no login for {email}; "
                              f"it gave {sorted(self.account.logins)}") from None

    def service_id(self, client: str | None = None, plan: str | None = None) -> int:
        """The portal's id of `client`'s service (on `plan`, a name, when given); by
        default the sample's service."""
        for service in self._scenario["services"]:
            if (client is None or service["client"] == client) and (
                    plan is None or service["plan"] == self.plan_id(plan)):
                return self.account.services[service["id"]]
        raise LookupError(f"no service of {client or 'the sample'}" + (f" on {plan}" if plan else ""))

    # --- the back office, through the driver --------------------------------------------------

    def uses(self, capability: str) -> None:
        """Fail unless the scenario is tagged @needs:<capability> (or a capability that
        implies it: @needs:clock serves scenario-date): an untagged scenario would run
        half-way on a portal whose driver cannot do it."""
        if capability not in served(self.needs):
            raise UndeclaredCapability(f"this scenario uses {capability} (the driver {CAPABILITIES[capability]}) "
                                 f"but is not tagged @needs:{capability}")

    def set_today(self, today: date) -> None:
        """A Given that names the scenario's date: seeded as of it (scenario-date, or clock)."""
        self.uses("scenario-date")
        self.scenario["now"] = today.isoformat()

    def set_clock(self, today: date) -> None:
        self.uses("clock")
        self.driver.set_clock(self.account, datetime.combine(today, datetime.min.time()).replace(hour=9))

    def advance_clock(self, minutes: int) -> None:
        self.uses("clock")
        self.driver.advance_clock(self.account, minutes)

    def pay_invoice(self, number: str) -> None:
        self.uses("pay")
        self.driver.pay_invoice(self.account, number)

    def credit_of(self, email: str) -> str:
        """The credit balance of the client with the scenario's `email`, from the back office."""
        self.uses("state")
        login = self.login(email)
        for client in self.driver.state(self.account)["clients"]:
            if client["email"] == login:
                return client["credit"]
        raise LookupError(f"the portal's state has no client {login}")

    def discard(self) -> None:
        if self._account is not None:
            self.driver.discard(self._account)


@pytest.fixture
def world(portal_driver: PortalDriver, account_asks: dict, request) -> World:
    """The sample account for this scenario only, seeded when first needed, discarded after;
    it asks what the run asks of every account (the profile's language: `locale: ja`)."""
    world = World(portal_driver, needs_of(request.node), {**SAMPLE, **account_asks})
    yield world
    world.discard()


@dataclass
class SignedIn:
    """Who the scenario's browser context starts logged in as (see browser_context_args):
    a scenario email, or None for a visitor."""

    email: str | None = None
    context_opened: bool = False


@pytest.fixture
def signed_in() -> SignedIn:
    return SignedIn()


@dataclass
class Logins:
    """Logged-in storage states, made without opening a page where the driver can.

    The driver posts the Log in form over HTTP (Playwright's request context, whose
    cookies become the scenario's context's); a driver with no such shortcut is logged
    in through the Log in page of a throwaway context.
    """

    playwright: object
    browser: object
    base_url: str
    timeout_ms: float
    driver: PortalDriver
    profile: UiProfile

    def storage_state(self, login: str, password: str) -> dict:
        session = self.playwright.request.new_context(base_url=self.base_url, timeout=self.timeout_ms)
        try:
            if self.driver.log_in(session, login, password):
                return session.storage_state()
        finally:
            session.dispose()
        return self._through_the_page(login, password)

    def context(self, login: str, password: str, **options):
        """A browser context of its own, logged in as `login` (another account's browser)."""
        context = self.browser.new_context(base_url=self.base_url, **options,
                                           storage_state=self.storage_state(login, password))
        context.set_default_timeout(self.timeout_ms)
        return context

    def _through_the_page(self, login: str, password: str) -> dict:
        context = self.browser.new_context(base_url=self.base_url)
        context.set_default_timeout(self.timeout_ms)
        try:
            portal = Portal(context.new_page(), self.profile)
            portal.enter()  # a visitor is sent to Log in
            portal.login.log_in(login, password)
            return context.storage_state()
        finally:
            context.close()


@pytest.fixture(scope="session")
def logins(playwright, browser, base_url: str, ui_timeout_ms: float, portal_driver: PortalDriver,
           ui_profile: UiProfile) -> Logins:
    return Logins(playwright, browser, base_url, ui_timeout_ms, portal_driver, ui_profile)


@dataclass
class InvoicesShown:
    """The invoices the scenario has seen on screen, in order, and which of them the
    last Submit issued ("the invoice of this change")."""

    numbers: list[str] = field(default_factory=list)
    this_change: str | None = None

    def submitted(self) -> None:
        """A Submit was clicked: the next invoice on screen is this change's."""
        self.this_change = None

    def shown(self, number: str) -> None:
        if number not in self.numbers:
            self.numbers.append(number)

    def of_this_change(self) -> str:
        if self.this_change is None:
            raise AssertionError("no invoice of this change has been shown yet: a step "
                                 "'Then the invoice of this change is ...' comes first")
        return self.this_change


@pytest.fixture
def invoices_shown() -> InvoicesShown:
    return InvoicesShown()


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


@pytest.fixture
def other_accounts() -> list[World]:
    """Other accounts of the same portal a scenario seeds beside its own (several-accounts),
    discarded after it."""
    accounts: list[World] = []
    yield accounts
    for account in accounts:
        account.discard()
