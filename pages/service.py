"""SPEC §5.4 Service details: "Billing Information" and, when allowed, "Upgrade / Downgrade"."""
from __future__ import annotations

import re

from .base import Journal, Screen, Target


class ServiceDetailsPage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        billing = page.get_by_role("region", name="Billing Information")
        self.billing = Target("Billing Information section", billing)
        self.change_link = Target("Upgrade / Downgrade link", billing.get_by_role("link", name="Upgrade / Downgrade"))
        self.support_note = Target("contact support explanation", billing.get_by_text(re.compile("contact support")))

    def fact(self, name: str) -> Target:
        """The value beside `name` ("Plan", "Price", ...) in Billing Information."""
        header = self.page.get_by_role("rowheader", name=name, exact=True)
        row = self.billing.locator.get_by_role("row").filter(has=header)
        return Target(f"{name} in Billing Information", row.get_by_role("cell"))

    def open(self, service_id: int):
        return self._visit(f"/services/dns/{service_id}", f"the details of service {service_id}")

    def open_change(self) -> None:
        self._click(self.change_link)
