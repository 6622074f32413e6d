"""SPEC §5.6 Review page: before → after, the amounts rows, "Submit"."""
from __future__ import annotations

import re

from .base import AmountsRows, Among, Journal, Screen, Target


class ReviewPage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        main = page.get_by_role("main")
        self.comparison = Target("before → after table", page.get_by_role("table", name=re.compile("before", re.I)),
                                 Among("tables", main.get_by_role("table")))
        self.amounts = AmountsRows(page)
        notes = Among("statements", main.locator("p"))
        self.final_note = Target(
            "final calculation statement", page.get_by_text(re.compile("amount shown .* is the final calculation result")),
            notes)
        self.stale_note = Target("note that the figures changed since the review",
                                 main.get_by_role("alert").filter(has_text=re.compile("figures changed", re.I)), notes)
        self.submit_button = Target("Submit button", page.get_by_role("button", name="Submit"),
                                    Among("buttons", main.get_by_role("button")))
        self._notes = notes
        self._items = Among("items compared", self.comparison.locator.get_by_role("rowheader"))

    def compared(self, item: str) -> Target:
        """The before and after cells of `item` ("Plan", "Billing cycle", ...)."""
        header = self.page.get_by_role("rowheader", name=item, exact=True)
        row = self.comparison.locator.get_by_role("row").filter(has=header)
        return Target(f"{item} before → after", row.get_by_role("cell"), self._items)

    def statement(self, text: str) -> Target:
        return Target(f"statement “{text}”", self.page.get_by_role("main").get_by_text(text), self._notes)

    def submit(self) -> None:
        self._click(self.submit_button)

    def submit_twice(self) -> None:
        """Double-click Submit, as an impatient person does."""
        self.journal.append(f"double-click {self.submit_button.name}")
        self._act(self.submit_button, lambda timeout: self.submit_button.locator.dblclick(timeout=timeout))
