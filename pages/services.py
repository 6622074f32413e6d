"""SPEC §5.3 / §5.8 DNS SERVICE list: one item per service (table rows, cards...), each
found by its name (the plan's), holding its price, next due date, status and a link."""
from __future__ import annotations

from .base import Items, Journal, Screen, Target
from .profile import UiProfile

FACTS = ("the service price", "the service next due date", "the service status")


class ServiceListPage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.heading = self._target("the DNS SERVICE heading")
        self._items = Items.of(self, "the services listed", "services", within=page.get_by_role("main"))

    def item(self, plan: str | None) -> Target:
        """The item (row, card) of the service whose name (its plan) is `plan`; None: the
        only service of the list."""
        if plan is None:
            return Target("the service in the list", self._items.all.locator.first, self._items.all.among)
        return self._items.named(plan, f"{plan} in the list")

    def service_link(self, plan: str | None) -> Target:
        if plan is None:  # the only service's: its first link
            link = self._target("the service link", self._items.all.among, within=self.item(plan).locator)
            return Target("link to the service", link.locator.first, link.among)
        return self._target("the service link", self._items.all.among, within=self.item(plan).locator,
                            name=f"link to {plan}", fields={"plan": plan})

    def facts(self, plan: str) -> list[Target]:
        """The price, next due date and status of the service `plan`, in that order."""
        item = self.item(plan).locator
        return [self._fact(key, item, f"{key.removeprefix('the service ')} of {plan} in the list",
                           self._items.all.among) for key in FACTS]

    def price(self, plan: str) -> Target:
        """The price with its cycle of `plan` ("$12.00 / Monthly")."""
        return self.facts(plan)[0]

    def services(self) -> Target:
        """The name of every service the list shows."""
        return self._items.names

    def open_service(self, plan: str | None) -> None:
        self._click_and_follow(self.service_link(plan), leads=True)
