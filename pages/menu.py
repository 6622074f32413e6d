"""SPEC §5.2 Left menu: a navigation landmark; Services opens to DNS SERVICE."""
from __future__ import annotations

from .base import Among, Journal, Screen
from .profile import UiProfile


class MainMenu(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.nav = self._target("the Main menu")
        nav = self.nav.locator
        entries = Among("menu entries", nav.locator("a, button"))
        self.services = self._target("the Services menu", entries, within=nav)
        self.dns_service = self._target("the DNS SERVICE link", entries, within=nav)
        self.invoices = self._target("the Invoices link", entries, within=nav)

    def open_dns_service(self) -> None:
        """Services → DNS SERVICE, opening the Services sub-menu first when it is closed."""
        if self.services.locator.get_attribute("aria-expanded") != "true":
            self._click(self.services)
        self._click(self.dns_service)

    def open_invoices(self) -> None:
        self._click(self.invoices)
