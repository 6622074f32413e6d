"""Drivers for the suite's own tests: the simulator driver with capabilities switched off,
as a portal whose admin API cannot move time, record payments or show balances.

    pytest tests/test_acceptance.py --portal-driver tests.drivers:NoClockDriver
"""
from __future__ import annotations

from drivers.simulator import SimulatorDriver


class NoClockDriver(SimulatorDriver):
    name = "simulator-without-clock-pay-state"
    capabilities = SimulatorDriver.capabilities - {"clock", "pay", "state"}


class NotADriver:
    """Has a driver's name but is no PortalDriver: --portal-driver refuses it."""

    name = "not-a-driver"
