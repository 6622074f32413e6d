"""SPEC §5.3 / §5.8 DNS SERVICE list: one row per service, the plan name a link."""
from __future__ import annotations

from .base import Journal, Screen, Target


class ServiceListPage(Screen):
    PATH = "/services/dns"

    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        self.heading = Target("DNS SERVICE heading", page.get_by_role("heading", name="DNS SERVICE", level=1))
        self.table = Target("DNS SERVICE table", page.get_by_role("main").get_by_role("table"))

    def service_link(self, plan: str) -> Target:
        return Target(f"{plan} link", self.table.locator.get_by_role("link", name=plan, exact=True))

    def row(self, plan: str) -> Target:
        """The row of the service whose name (its plan) is `plan`."""
        link = self.page.get_by_role("link", name=plan, exact=True)
        return Target(f"row of {plan}", self.table.locator.get_by_role("row").filter(has=link))

    def open(self) -> None:
        self._visit(self.PATH, "the DNS SERVICE list")

    def open_service(self, plan: str) -> None:
        self._click(self.service_link(plan))
