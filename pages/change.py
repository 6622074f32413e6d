"""SPEC §5.5 Change page: "Upgrade / Downgrade to", "Select billing cycle", "Continue"."""
from __future__ import annotations

import re

from .base import Journal, Screen, Target


class ChangePage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        self.target_plan = Target("Upgrade / Downgrade to", page.get_by_label("Upgrade / Downgrade to"))
        self.target_options = Target("Upgrade / Downgrade to options", self.target_plan.locator.get_by_role("option"))
        self.billing_cycle = Target("Select billing cycle", page.get_by_label("Select billing cycle"))
        self.cycle_options = Target("Select billing cycle options", self.billing_cycle.locator.get_by_role("option"))
        self.continue_button = Target("Continue button", page.get_by_role("button", name="Continue"))
        self.no_downgrade_note = Target(
            "downgrade not available note", page.get_by_text(re.compile("downgrading is not available", re.I)))
        self.refusal = Target("refusal explanation", page.get_by_role("main").get_by_text(re.compile("contact support")))

    def timing_note(self, timing: str) -> Target:
        """The sentence saying a downgrade takes effect `timing` ("immediately", ...)."""
        text = re.compile(rf"downgrade takes effect {re.escape(timing)}", re.I)
        return Target(f"note that a downgrade takes effect {timing}", self.page.get_by_text(text))

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
