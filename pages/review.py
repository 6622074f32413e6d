"""SPEC §5.6 Review page: before → after, the amounts rows, "Submit"."""
from __future__ import annotations

import re

from .base import AmountsRows, Journal, Screen, Target


class ReviewPage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        self.comparison = Target("before → after table", page.get_by_role("table", name=re.compile("before", re.I)))
        self.amounts = AmountsRows(page)
        self.final_note = Target(
            "final calculation statement", page.get_by_text(re.compile("amount shown .* is the final calculation result")))
        self.submit_button = Target("Submit button", page.get_by_role("button", name="Submit"))

    def compared(self, item: str) -> Target:
        """The before and after cells of `item` ("Plan", "Billing cycle", ...)."""
        header = self.page.get_by_role("rowheader", name=item, exact=True)
        row = self.comparison.locator.get_by_role("row").filter(has=header)
        return Target(f"{item} before → after", row.get_by_role("cell"))

    def statement(self, text: str) -> Target:
        return Target(f"statement “{text}”", self.page.get_by_role("main").get_by_text(text))

    def submit(self) -> None:
        self._click(self.submit_button)
