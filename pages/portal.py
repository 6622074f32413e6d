"""The whole portal as the steps see it: every screen's page object on one page."""
from __future__ import annotations

from playwright.sync_api import Page

from .base import Journal
from .change import ChangePage
from .invoice import InvoicePage
from .invoices import InvoiceListPage
from .login import LoginPage
from .menu import MainMenu
from .profile import UiProfile
from .review import ReviewPage
from .service import ServiceDetailsPage
from .services import ServiceListPage


class Portal:
    """Every screen's page object over one page, as the UI profile says the portal shows it."""

    def __init__(self, page: Page, profile: UiProfile):
        self.page = page
        self.profile = profile
        self.journal = Journal()
        self.login = LoginPage(page, self.journal, profile)
        self.menu = MainMenu(page, self.journal, profile)
        self.services = ServiceListPage(page, self.journal, profile)
        self.details = ServiceDetailsPage(page, self.journal, profile)
        self.change = ChangePage(page, self.journal, profile)
        self.review = ReviewPage(page, self.journal, profile)
        self.invoice = InvoicePage(page, self.journal, profile)
        self.invoices = InvoiceListPage(page, self.journal, profile)

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
