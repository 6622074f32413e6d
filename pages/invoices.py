"""The Invoices screen (the menu's "Invoices"): one item per invoice of the account."""
from __future__ import annotations

from .base import Items, Journal, Screen, Target
from .profile import UiProfile


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
