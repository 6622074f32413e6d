"""SPEC §5.2 Left menu: a navigation landmark; "Services" opens to "DNS SERVICE"."""
from __future__ import annotations

from .base import Among, Journal, Screen, Target


class MainMenu(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        nav = page.get_by_role("navigation", name="Main menu")
        self.nav = Target("Main menu", nav)
        entries = Among("menu entries", nav.locator("a, button"))
        self.services = Target("Services menu", nav.get_by_role("button", name="Services"), entries)
        self.dns_service = Target("DNS SERVICE link", nav.get_by_role("link", name="DNS SERVICE"), entries)
        self.invoices = Target("Invoices link", nav.get_by_role("link", name="Invoices"), entries)

    def open_dns_service(self) -> None:
        """Services → DNS SERVICE, opening the Services sub-menu first when it is closed."""
        if self.services.locator.get_attribute("aria-expanded") != "true":
            self._click(self.services)
        self._click(self.dns_service)

    def open_invoices(self) -> None:
        self._click(self.invoices)
