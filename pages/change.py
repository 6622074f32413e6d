"""SPEC §5.5 Change page: the target plan, the billing cycle and the Continue button."""
from __future__ import annotations

from .base import Among, Choice, Journal, Screen, Target
from .profile import UiProfile
from .targets import candidates


class ChangePage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        main = page.get_by_role("main")
        fields = Among("fields", candidates(main, "fields"))
        buttons = Among("buttons", main.get_by_role("button"))
        self.plan_choice = Choice.of(self, "the Upgrade / Downgrade to field", fields)
        self.cycle_choice = Choice.of(self, "the Select billing cycle field", fields)
        self.target_plan = self.plan_choice.field
        self.target_options = self.plan_choice.options
        self.billing_cycle = self.cycle_choice.field
        self.cycle_options = self.cycle_choice.options
        self.continue_button = self._target("the Continue button", buttons)
        self._notes = Among("notes", candidates(main, "notes"))
        self.no_downgrade_note = self._target("the downgrade not available note", self._notes)
        self.refusal = self._target("the contact support explanation", self._notes, within=main,
                                    name="refusal explanation")
        self.renewal_refusal = self._target("the explanation that the renewal must be paid first",
                                            self._notes, within=main)

    @property
    def contact_support(self):
        return self.profile.label("the contact support explanation")

    def note(self, key: str) -> Target:
        """A sentence of the page, e.g. "the note that a downgrade takes effect immediately"."""
        return self._target(key, self._notes)

    def invoice_link(self, number: str) -> Target:
        """The link to invoice `number` in a refusal that points to it."""
        main = self.page.get_by_role("main")
        return self._target("the link to an unpaid invoice", Among("links", main.get_by_role("link")),
                            within=main, name=f"link to invoice {number}", fields={"number": number})

    def choose_plan(self, plan: str) -> None:
        """Choose `plan` ("Start") whatever its tier note ("Start (upgrade)")."""
        with_tier = self.profile.phrase("plan with tier", anchored=False, plan=plan)
        self._choose(self.plan_choice, plan, plan, with_tier)

    def choose_cycle(self, cycle_id: str) -> None:
        """Choose the cycle `cycle_id` ("monthly") whatever its price ("Monthly — $12.00")."""
        label = self.profile.cycle(cycle_id)
        with_price = self.profile.phrase("cycle with price", anchored=False, cycle=label)
        self._choose(self.cycle_choice, label, label, with_price)

    def continue_(self) -> None:
        """Click Continue and wait for the page it leads to."""
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            self._click(self.continue_button)

    def review_change(self, plan: str, cycle_id: str) -> None:
        """On the change page: choose `plan` billed `cycle_id` and continue to the review."""
        self.choose_plan(plan)
        self.choose_cycle(cycle_id)
        self.continue_()
