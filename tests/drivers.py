"""Drivers for the suite's own tests: the simulator driver with capabilities switched off,
as a portal whose admin API cannot move time, record payments or show balances; and one
whose portal cannot represent some scenarios at all, which it refuses at seed time.

    pytest tests/test_acceptance.py --portal-driver tests.drivers:NoClockDriver
    pytest tests/test_acceptance.py --portal-driver tests.drivers:GlobalTaxDriver
"""
from __future__ import annotations

from drivers import CannotSeed
from drivers.simulator import SimulatorDriver


class NoClockDriver(SimulatorDriver):
    name = "simulator-without-clock-pay-state"
    capabilities = SimulatorDriver.capabilities - {"clock", "pay", "state"}


class GlobalTaxDriver(SimulatorDriver):
    """A portal with one tax for every account (10%, added to prices) and no quarterly
    prices: it declares per-account-tax and per-account-catalog (it can seed accounts
    with the sample's tax and with plans of their own), but refuses what it cannot show."""

    name = "simulator-global-tax-no-quarterly"

    def seed(self, scenario: dict):
        tax = scenario.get("tax") or {}
        if str(tax.get("rate")) != "10" or tax.get("inclusive"):
            shown = f"{tax.get('rate')}% {'included' if tax.get('inclusive') else 'added'}"
            raise CannotSeed(f"this portal has one tax for all accounts, 10% added, not {shown}")
        quarterly = [plan["name"] for plan in scenario.get("plans", []) if "quarterly" in plan.get("prices", {})]
        if quarterly:
            raise CannotSeed(f"this portal has no quarterly prices ({', '.join(quarterly)} have one)")
        return super().seed(scenario)


class NotADriver:
    """Has a driver's name but is no PortalDriver: --portal-driver refuses it."""

    name = "not-a-driver"
