"""SPEC §5.5 Change page: "Upgrade / Downgrade to", "Select billing cycle", "Continue"."""
from __future__ import annotations

import re

from .base import Among, Journal, Screen, Target


class ChangePage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        fields = Among("fields", page.get_by_role("main").locator("select, input:not([type=hidden]), textarea"))
        buttons = Among("buttons", page.get_by_role("main").get_by_role("button"))
        self.target_plan = Target("Upgrade / Downgrade to", page.get_by_label("Upgrade / Downgrade to"), fields)
        self.target_options = Target("Upgrade / Downgrade to options",
                                     self.target_plan.locator.get_by_role("option"), fields)
        self.billing_cycle = Target("Select billing cycle", page.get_by_label("Select billing cycle"), fields)
        self.cycle_options = Target("Select billing cycle options",
                                    self.billing_cycle.locator.get_by_role("option"), fields)
        self.continue_button = Target("Continue button", page.get_by_role("button", name="Continue"), buttons)
        notes = Among("notes", page.get_by_role("main").locator("p"))
        self.no_downgrade_note = Target(
            "downgrade not available note", page.get_by_text(re.compile("downgrading is not available", re.I)), notes)
        self.refusal = Target("refusal explanation",
                              page.get_by_role("main").get_by_text(re.compile("contact support")), notes)
        self.renewal_refusal = Target("explanation that the renewal must be paid first",
                                      page.get_by_role("main").get_by_text(re.compile("renewal must be paid first")),
                                      notes)
        self._notes = notes

    def timing_note(self, timing: str) -> Target:
        """The sentence saying a downgrade takes effect `timing` ("immediately", ...)."""
        text = re.compile(rf"downgrade takes effect {re.escape(timing)}", re.I)
        return Target(f"note that a downgrade takes effect {timing}", self.page.get_by_text(text), self._notes)

    def invoice_link(self, number: str) -> Target:
        """The link to invoice `number` in a refusal that points to it."""
        link = self.page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(f"Invoice #{number}")))
        return Target(f"link to Invoice #{number}", link, Among("links", self.page.get_by_role("main").get_by_role("link")))

    def open(self, service_id: int):
        return self._visit(f"/services/dns/{service_id}/change", "the Upgrade / Downgrade page")

    def choose_plan(self, plan: str) -> None:
        """Select `plan` ("Start") whatever its tier note ("Start (upgrade)")."""
        self._select(self.target_plan, self._option_starting(self.target_options, plan))

    def choose_cycle(self, cycle: str) -> None:
        """Select `cycle` ("Monthly") whatever its price ("Monthly — $12.00")."""
        self._select(self.billing_cycle, self._option_starting(self.cycle_options, cycle))

    def continue_(self) -> None:
        self._click(self.continue_button)

    def review_change(self, service_id: int, plan: str, cycle: str) -> None:
        """Open the change page, choose `plan` billed `cycle` and continue to the review."""
        self.open(service_id)
        self.choose_plan(plan)
        self.choose_cycle(cycle)
        self.continue_()
