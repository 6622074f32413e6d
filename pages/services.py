"""SPEC §5.3 / §5.8 DNS SERVICE list: one row per service, the plan name a link."""
from __future__ import annotations

from .base import Among, Journal, Screen, Target
from .profile import UiProfile


class ServiceListPage(Screen):
    PATH = "/services/dns"

    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.heading = self._target("the DNS SERVICE heading")
        self.table = Target("DNS SERVICE table", page.get_by_role("main").get_by_role("table"))
        # A missing row is reported with the services the list does show.
        self._services = Among("services", self.table.locator.get_by_role("row").get_by_role("link"))

    def service_link(self, plan: str) -> Target:
        return self._target("the service link", self._services, within=self.table.locator, name=f"{plan} link", plan=plan)

    def row(self, plan: str) -> Target:
        """The row of the service whose name (its plan) is `plan`."""
        link = self.page.get_by_role("link", name=plan, exact=True)
        return Target(f"row of {plan}", self.table.locator.get_by_role("row").filter(has=link), self._services)

    def cells(self, plan: str) -> Target:
        """The price, next due date and status cells of the row of `plan`."""
        return Target(f"row of {plan}", self.row(plan).locator.get_by_role("cell"), self._services)

    def price(self, plan: str) -> Target:
        """The price with its cycle in the row of `plan` ("$12.00 / Monthly")."""
        return Target(f"price of {plan} in the list", self.cells(plan).locator.first, self._services)

    def services(self) -> Target:
        """The name of every service the list shows."""
        return Target("services in the list", self._services.locator, self._services)

    def open(self) -> None:
        self._visit(self.PATH, "the DNS SERVICE list")

    def open_service(self, plan: str) -> None:
        self._click(self.service_link(plan))
