"""Portal drivers (SPEC §9): how a scenario gets its starting state and watches the back office.

The features speak the article's language; a driver turns a scenario's Givens (a
SPEC §3 mapping) into an account on the portal under test and answers with the
real logins and service ids it got. It may also move that account's clock, record
a payment, and read the account's state. What it can do it declares in
`capabilities`; a scenario tagged `@needs:<capability>` that its driver lacks is
skipped with the reason before its first step; a scenario its portal cannot
represent at all, `seed()` refuses with CannotSeed(reason), and it is skipped so.

    --portal-driver simulator              # the bundled driver (SPEC §4.1 tenants), the default
    --portal-driver mypkg.drivers:Staging  # a class, by module:name
    --portal-driver staging                # a name registered under the entry-point group below

A driver is constructed with the portal's base URL and lives for the pytest
process (one per xdist worker); each scenario seeds and discards its own account.
"""
from __future__ import annotations

from .interface import CAPABILITIES, Account, CannotSeed, PortalDriver, UndeclaredCapability, Unsupported, served
from .loading import ENTRY_POINT_GROUP, DriverNotFound, load_driver

__all__ = ["CAPABILITIES", "ENTRY_POINT_GROUP", "Account", "CannotSeed", "DriverNotFound", "PortalDriver",
           "UndeclaredCapability", "Unsupported", "load_driver", "served"]
