"""The Invoices screen (left menu "Invoices"): one row per invoice of the account."""
from __future__ import annotations

from .base import Among, Journal, Screen, Target
from .profile import UiProfile


class InvoiceListPage(Screen):
    PATH = "/invoices"

    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        self.heading = self._target("the Invoices heading")
        # Each invoice's row header is its number (the phrase "invoice number": "#INV-000001").
        numbers = page.get_by_role("main").get_by_role("rowheader")
        self.numbers = Target("invoices listed", numbers, Among("invoices", numbers))

    def open(self) -> None:
        self._visit(self.PATH, "the Invoices list")

    def entry(self, number: str) -> str:
        """How the list writes invoice `number` in its row header."""
        return self.profile.phrase("invoice number", number=number)
