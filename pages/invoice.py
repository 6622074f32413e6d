"""SPEC §5.7 Invoice page: its number in the heading, status, date, line items, the amounts
rows with the Total, and the Download PDF link."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .base import Among, AmountsRows, Journal, Screen, Target
from .narration import narrated
from .profile import UiProfile
from .targets import candidates, lines_of


@dataclass(frozen=True)
class Downloaded:
    """A file the browser downloaded, and the address it came from."""

    path: Path
    url: str


class InvoicePage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        main = page.get_by_role("main")
        self.heading = self._target("the invoice heading", Among("headings", main.get_by_role("heading")))
        facts = Among("facts", candidates(main, "facts"))
        self.status = self._target("the invoice status", facts, within=main, name="invoice status")
        self.date = self._fact("the Invoice date row", main, "invoice date", facts)
        self.billed_to = self._fact("the Billed to row", main, "billed to", facts)
        line_items = self._target("the Line items table", Among("tables", main.get_by_role("table")))
        self.lines = Target("line items", lines_of(line_items.locator), line_items.among)
        # Description, amount, description, amount, ... (the header row's cells are column headers).
        self.line_cells = Target("line item cells", line_items.locator.get_by_role("cell"), line_items.among)
        self.amounts = AmountsRows(self)
        self.download_link = self._target("the Download PDF link", Among("links", main.get_by_role("link")))

    def number(self) -> str:
        """The number in the heading ("INV-000001"), once the invoice page is shown."""
        self._act(self.heading, lambda timeout: self.heading.locator.wait_for(timeout=timeout))
        heading = self.heading.locator.inner_text()
        number = self.profile.read_field("the invoice heading", "number", heading)
        if number is None:
            raise AssertionError(f"invoice heading: {heading!r} does not read as "
                                 f"{self.profile.spec('the invoice heading').label!r}")
        return number

    def heading_of(self, number: str) -> Target:
        """The heading of invoice `number`, as the portal writes it."""
        return self._target("the invoice heading", self.heading.among, name=f"heading of invoice {number}",
                            fields={"number": number})

    def line(self, text: str) -> Target:
        return Target(f"line item “{text}”", self.lines.locator.filter(has_text=text),
                      Among("line items", self.lines.locator))

    def line_amount(self, text: str) -> Target:
        """The amount of the line item that mentions `text` ("Start")."""
        return Target(f"amount of line item “{text}”", self.line(text).locator.get_by_role("cell").last,
                      Among("line items", self.lines.locator))

    @narrated("click {self.download_link.name}")
    def download_pdf(self, folder: Path) -> Downloaded:
        """Download the copy behind "Download PDF" into `folder`, whatever it is."""
        with self.page.expect_download() as info:
            self._act(self.download_link, lambda timeout: self.download_link.locator.click(timeout=timeout))
        download = info.value
        if failure := download.failure():
            raise RuntimeError(f"{self.download_link.name} ({download.url}) failed: {failure}")
        path = folder / download.suggested_filename
        download.save_as(path)
        return Downloaded(path, download.url)
