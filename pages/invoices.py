"""The Invoices screen (the menu's "Invoices"): one item per invoice of the account."""
from __future__ import annotations

from .base import Items, Journal, Screen, Target
from .profile import UiProfile

FACTS = ("the invoice entry date", "the invoice entry status", "the invoice entry total")


class InvoiceListPage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.heading = self._target("the Invoices heading")
        self._items = Items.of(self, "the invoices listed", "invoices", within=page.get_by_role("main"))
        self.numbers = self._items.names

    def entry(self, number: str) -> str:
        """How the list names invoice `number` (the phrase "invoice number": "#INV-000001")."""
        return self.profile.phrase("invoice number", number=number)

    def item(self, number: str) -> Target:
        return self._items.named(self.entry(number), f"invoice {number} in the list")

    def facts(self, number: str) -> list[Target]:
        """The date, status and total of invoice `number` in the list, in that order."""
        item = self.item(number).locator
        return [self._fact(key, item, f"{key.removeprefix('the invoice entry ')} of invoice {number} in the list",
                           self._items.all.among) for key in FACTS]

    def open_invoice(self, number: str) -> None:
        """Click invoice `number` in the list, to its page."""
        link = self._target("the invoice link in the list", self._items.all.among, within=self.item(number).locator,
                            name=f"link to invoice {number}", fields={"number": number})
        self._click_and_follow(link)
