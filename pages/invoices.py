"""The Invoices screen (left menu "Invoices"): one row per invoice of the account."""
from __future__ import annotations

from .base import Among, Journal, Screen, Target


class InvoiceListPage(Screen):
    PATH = "/invoices"

    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        self.heading = Target("Invoices heading", page.get_by_role("heading", name="Invoices", level=1))
        # Each invoice's row header is its number ("#INV-000001").
        numbers = page.get_by_role("main").get_by_role("rowheader")
        self.numbers = Target("invoices listed", numbers, Among("invoices", numbers))

    def open(self) -> None:
        self._visit(self.PATH, "the Invoices list")
