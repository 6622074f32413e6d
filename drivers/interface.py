"""The interface every portal driver implements, and the capabilities it may declare."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

# What a scenario may need beyond logging in and clicking, as its @needs:<name> tag says.
CAPABILITIES: dict[str, str] = {
    "clock": "moves the account's clock during a scenario",
    "pay": "records the payment of an invoice (a bank transfer arriving)",
    "state": "reads the account's back-office state (its credit balance)",
    "cycle-change": "changes the billing cycle together with the plan",
    "downgrade-at-renewal": "schedules a downgrade for the next renewal",
    "provisioning-delay": "seeds paid changes that take a while to provision",
    "permissions": "seeds extra logins on an account, with or without the right to change plans",
    "contract-lock": "seeds contracts that lock plan changes or limit the plans on offer",
    "bank-transfer": "seeds clients who pay by bank transfer (the invoice stays Unpaid)",
    "jpy": "seeds accounts billed in Japanese yen",
    "scenario-date": "seeds an account as of the scenario's date, without moving a clock later "
                     "(a driver with clock has it too)",
    "per-account-tax": "seeds a tax rate, name or inclusion of the account's own",
    "per-account-catalog": "seeds plans and prices of the account's own",
    "several-services": "seeds more than one service for one client",
    "credit-balance": "seeds a credit balance on a client's account",
    "several-accounts": "seeds a second account beside the scenario's, live in the same portal at the same "
                        "time (its clock and invoices its own)",
}

# A driver that can move an account's clock can also seed it as of any date.
IMPLIED: dict[str, frozenset[str]] = {"clock": frozenset({"scenario-date"})}


def served(capabilities: frozenset[str] | set[str]) -> frozenset[str]:
    """The capabilities declared, and those they imply (`clock` serves `scenario-date`)."""
    return frozenset(capabilities).union(*(IMPLIED.get(name, ()) for name in capabilities))


@dataclass(frozen=True)
class Account:
    """What seeding a scenario gave: the driver's handle on the account (the simulator's
    tenant id), and the portal's real login for each scenario email and real id for each
    scenario service id. Passwords are the scenario's."""

    handle: str
    logins: dict[str, str]
    services: dict[int, int]


class Unsupported(NotImplementedError):
    """A driver was asked for something it did not declare it can do."""

    def __init__(self, driver: "PortalDriver", capability: str):
        super().__init__(f"portal driver {driver.name!r} cannot do {capability!r} "
                         f"({CAPABILITIES.get(capability, 'unknown capability')})")


class UndeclaredCapability(AssertionError):
    """A scenario used a capability its @needs tags do not declare: the feature's error, never
    a difference of the portal (an AssertionError still, as a failed check of the scenario)."""


class CannotSeed(Exception):
    """Raised by `seed()` when the portal cannot represent the scenario (a global tax rate,
    one plan per user, no quarterly price): the scenario is skipped with `reason`,
    never failed at whatever step first needed the account."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PortalDriver(ABC):
    """Seed an account, move its clock, pay its invoices, read its state, discard it.

    Subclasses declare `name` and `capabilities` and implement `seed` and `discard`,
    plus the methods of the capabilities they declare (`clock`: set_clock and
    advance_clock; `pay`: pay_invoice; `state`: state). The others (cycle-change,
    jpy, ...) say what `seed` can represent and the portal can do.
    """

    name: ClassVar[str] = "unnamed"
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    @abstractmethod
    def seed(self, scenario: dict) -> Account:
        """Create the account a SPEC §3 scenario mapping describes, isolated from every
        other scenario's, with its clock at the scenario's `now`; raise CannotSeed(reason)
        when the portal cannot represent it."""

    @abstractmethod
    def discard(self, account: Account) -> None:
        """Remove the account (or leave it to the portal's clean-up); called after each scenario."""

    def set_clock(self, account: Account, now: datetime) -> None:
        """Move the account's clock forward to `now`, applying what falls due by then."""
        raise Unsupported(self, "clock")

    def advance_clock(self, account: Account, minutes: int) -> None:
        raise Unsupported(self, "clock")

    def pay_invoice(self, account: Account, number: str) -> None:
        """Record the payment of invoice `number` (as shown on screen) in full."""
        raise Unsupported(self, "pay")

    def state(self, account: Account) -> dict:
        """The account in the shape of SPEC §4's state, with the portal's real logins and ids."""
        raise Unsupported(self, "state")

    def log_in(self, session, login: str, password: str) -> bool:
        """Log `login` in on `session` (a Playwright APIRequestContext whose cookies become the
        scenario's browser context's) without a browser page; False when the driver has no
        such shortcut, and the suite logs in through the Log in page instead."""
        return False

    def close(self) -> None:
        """Release what the driver holds (connections); called once at the end of the run."""
