"""The whole portal as the steps see it: every screen's page object on one page."""
from __future__ import annotations

from playwright.sync_api import Page

from .base import Journal
from .change import ChangePage
from .invoice import InvoicePage
from .invoices import InvoiceListPage
from .login import LoginPage
from .menu import MainMenu
from .review import ReviewPage
from .service import ServiceDetailsPage
from .services import ServiceListPage


class Portal:
    def __init__(self, page: Page):
        self.page = page
        self.journal = Journal()
        self.login = LoginPage(page, self.journal)
        self.menu = MainMenu(page, self.journal)
        self.services = ServiceListPage(page, self.journal)
        self.details = ServiceDetailsPage(page, self.journal)
        self.change = ChangePage(page, self.journal)
        self.review = ReviewPage(page, self.journal)
        self.invoice = InvoicePage(page, self.journal)
        self.invoices = InvoiceListPage(page, self.journal)

    def enter(self) -> None:
        """Open the portal's home page, unless a portal page is already shown."""
        if self.page.url == "about:blank":
            self.journal.append("open the portal")
            self.page.goto("/", wait_until="domcontentloaded")

    def open_address_of(self, other: "Portal") -> None:
        """Open in this tab the page another tab shows, by its address."""
        self.journal.append(f"open {other.page.url} (the other tab's page)")
        self.page.goto(other.page.url, wait_until="domcontentloaded")

    def refresh(self) -> None:
        self.journal.append("refresh the page")
        self.page.reload(wait_until="domcontentloaded")
