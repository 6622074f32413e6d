"""SPEC §5.4 Service details: "Billing Information" and, when allowed, "Upgrade / Downgrade"."""
from __future__ import annotations

import re

from .base import Among, Journal, Screen, Target


class ServiceDetailsPage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        billing = page.get_by_role("region", name="Billing Information")
        self.billing = Target("Billing Information section", billing,
                              Among("sections", page.get_by_role("main").get_by_role("heading")))
        self.change_link = Target("Upgrade / Downgrade link", billing.get_by_role("link", name="Upgrade / Downgrade"),
                                  Among("links in Billing Information", billing.get_by_role("link")))
        self.support_note = Target("contact support explanation", billing.get_by_text(re.compile("contact support")),
                                   Among("notes in Billing Information", billing.locator("p")))
        self._facts = Among("facts in Billing Information", billing.get_by_role("rowheader"))

    def fact(self, name: str) -> Target:
        """The value beside `name` ("Plan", "Price", ...) in Billing Information."""
        header = self.page.get_by_role("rowheader", name=name, exact=True)
        row = self.billing.locator.get_by_role("row").filter(has=header)
        return Target(f"{name} in Billing Information", row.get_by_role("cell"), self._facts)

    def open(self, service_id: int):
        return self._visit(f"/services/dns/{service_id}", f"the details of service {service_id}")

    def open_change(self) -> None:
        self._click(self.change_link)
