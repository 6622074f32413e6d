"""SPEC §5.2 The portal's menu: a navigation landmark that leads to DNS SERVICE and Invoices
(a left menu whose Services entry opens a sub-menu, or a top bar of plain links)."""
from __future__ import annotations

from .base import AbsentLocator, Among, Journal, Screen
from .profile import UiProfile
from .targets import candidates


class MainMenu(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.nav = self._target("the Main menu")
        nav = self.nav.locator
        entries = Among("menu entries", candidates(nav, "menu entries"))
        self.services = self._target("the Services menu", entries, within=nav)
        self.dns_service = self._target("the DNS SERVICE link", entries, within=nav)
        self.invoices = self._target("the Invoices link", entries, within=nav)

    def _open_services(self) -> None:
        """Open the Services sub-menu when the portal has one and DNS SERVICE is not shown."""
        if isinstance(self.services.locator, AbsentLocator):
            return  # a menu without a disclosure: DNS SERVICE is a link of its own
        if self.dns_service.locator.is_visible():
            return  # the sub-menu is open already
        self._click(self.services)

    def open_dns_service(self) -> None:
        """Services → DNS SERVICE."""
        self._open_services()
        self._click_and_follow(self.dns_service, leads=True)

    def open_invoices(self) -> None:
        self._click_and_follow(self.invoices, leads=True)
