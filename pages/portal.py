"""The whole portal as the steps see it: every screen's page object on one page, and the
ways a person gets from one screen to another (SPEC §9: by clicking, as the article says;
an address is typed only by the scenarios about typing one, from the profile's templates)."""
from __future__ import annotations

from urllib.parse import urlencode, urljoin

from playwright.sync_api import Page

from .base import Among, Journal, first_answer
from .change import ChangePage
from .invoice import InvoicePage
from .invoices import InvoiceListPage
from .login import LoginPage
from .menu import MainMenu
from .narration import narrated
from .profile import UiProfile
from .targets import candidates
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

    # --- Getting somewhere, by clicking ---------------------------------------------------

    def enter(self) -> None:
        """Open the portal's home page (its base URL), unless a portal page is already shown."""
        if self.page.url == "about:blank":
            self._open_home()

    @narrated("open the portal")
    def _open_home(self) -> None:
        self.page.goto("./", wait_until="domcontentloaded")

    def open_dns_service(self) -> None:
        """Services → DNS SERVICE, from wherever she is."""
        self.enter()
        self.menu.open_dns_service()

    def open_service(self, plan: str | None) -> None:
        """The details of the service on `plan` (None: the account's only one), through the
        menu and the list (no click on the menu when the list is what the portal shows)."""
        self.enter()
        if not self.services.heading.locator.is_visible():
            self.menu.open_dns_service()
        self.services.open_service(plan)

    def open_change_page(self, plan: str | None) -> None:
        """The Upgrade / Downgrade page of the service on `plan`, through its details."""
        self.open_service(plan)
        self.details.open_change()

    def review_change(self, current: str | None, plan: str, cycle_id: str) -> None:
        """From the service on `current`, the review of a change to `plan` billed `cycle_id`."""
        self.open_change_page(current)
        self.change.review_change(plan, cycle_id)

    def open_invoices(self) -> None:
        self.enter()
        self.menu.open_invoices()

    def open_invoice(self, number: str) -> None:
        """Invoice `number`'s page, through the menu and the Invoices list."""
        self.open_invoices()
        self.invoices.open_invoice(number)

    def click(self, key: str) -> None:
        """Click the control the profile names `key` on the screen shown, and wait for the
        page it leads to when it is a link or a form's button."""
        control = self.details._target(key, Among("controls", candidates(self.page.get_by_role("main"), "controls")))
        self.details._click_and_follow(control)

    # --- Typing an address (the few scenarios about that) -------------------------------

    def visit(self, address: str, **fields):
        """Type the profile's address `address` ("details", "change", "review") with its
        fields; returns the portal's answer (its status tells a refusal)."""
        url = self.profile.address(address, **fields)
        return self.details._visit(url, f"the {address} address")

    @narrated("send a form filled in another browser to {url}")
    def send_form(self, url: str, fields: list[list[str]]) -> int:
        """Open the address `url` sending `fields` (a form filled in another browser) as this
        browser's own form would: a field this page's forms also hide (the session's token)
        takes this page's value. Returns the status the portal answered with."""
        own = dict(self.page.evaluate(
            "() => [...document.forms].flatMap(f => [...f.elements])"
            ".filter(e => e.type === 'hidden' && e.name).map(e => [e.name, e.value])"))
        body = urlencode([(name, own.get(name, value)) for name, value in fields])
        target = urljoin(self.page.url, url)

        def as_posted_form(route) -> None:
            route.continue_(method="POST", post_data=body,
                            headers={**route.request.headers, "content-type": "application/x-www-form-urlencoded"})

        def is_target(address: str) -> bool:
            return address == target

        self.page.route(is_target, as_posted_form, times=1)
        try:
            answer = self.page.goto(target, wait_until="domcontentloaded")
        finally:
            self.page.unroute(is_target, as_posted_form)
        return first_answer(answer.request)

    @narrated("open {other.page.url} (the other tab's page)")
    def open_address_of(self, other: "Portal") -> None:
        """Open in this tab the page another tab shows, by its address."""
        self.page.goto(other.page.url, wait_until="domcontentloaded")

    @narrated("refresh the page")
    def refresh(self) -> None:
        self.page.reload(wait_until="domcontentloaded")
