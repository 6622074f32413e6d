"""SPEC §5.4 Service details: the Billing Information section and, when allowed, the
Upgrade / Downgrade link."""
from __future__ import annotations

from .base import Among, Journal, Screen, Target
from .profile import UiProfile
from .targets import candidates


class ServiceDetailsPage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.billing = self._target("the Billing Information section",
                                    Among("sections", page.get_by_role("main").get_by_role("heading")))
        billing = self.billing.locator
        self.change_link = self._target("the Upgrade / Downgrade link",
                                        Among("links in Billing Information", billing.get_by_role("link")),
                                        within=billing)
        self.support_note = self._target("the contact support explanation",
                                         Among("notes in Billing Information", candidates(billing, "notes")),
                                         within=billing)

    def fact(self, key: str) -> Target:
        """The value of the fact `key` ("the Plan row", ...) in Billing Information."""
        return self._fact(key, self.billing.locator, f"{key.removeprefix('the ').removesuffix(' row')} "
                                                     f"in Billing Information")

    def open_change(self) -> None:
        self._click_and_follow(self.change_link, leads=True)
