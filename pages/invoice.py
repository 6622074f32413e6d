"""SPEC §5.7 Invoice page: "Invoice #…", status, lines, amounts with "Total", "Download PDF"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .base import Among, AmountsRows, Journal, Screen, Target


@dataclass(frozen=True)
class Downloaded:
    """A file the browser downloaded, and the address it came from."""

    path: Path
    url: str


class InvoicePage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        main = page.get_by_role("main")
        self.heading = Target("invoice heading", page.get_by_role("heading", name=re.compile(r"^Invoice #"), level=1),
                              Among("headings", main.get_by_role("heading")))
        status = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Status", exact=True))
        facts = Among("facts", main.get_by_role("rowheader"))
        self.status = Target("invoice status", status.get_by_role("cell"), facts)
        issued = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Invoice date", exact=True))
        self.date = Target("invoice date", issued.get_by_role("cell"), facts)
        line_items = page.get_by_role("table", name="Line items")
        self.lines = Target("line items", line_items.get_by_role("row"))
        # Description, amount, description, amount, ... (the header row's cells are column headers).
        self.line_cells = Target("line item cells", line_items.get_by_role("cell"),
                                 Among("tables", main.get_by_role("table")))
        self.amounts = AmountsRows(page)
        self.download_link = Target("Download PDF link", page.get_by_role("link", name="Download PDF"),
                                    Among("links", main.get_by_role("link")))

    def open(self, number: str):
        return self._visit(f"/invoices/{number}", f"invoice {number}")

    def number(self) -> str:
        """The number in the heading ("INV-000001"), once the invoice page is shown."""
        self._act(self.heading, lambda timeout: self.heading.locator.wait_for(timeout=timeout))
        return self.heading.locator.inner_text().split("#", 1)[1].strip()

    def line(self, text: str) -> Target:
        return Target(f"line item “{text}”", self.lines.locator.filter(has_text=text),
                      Among("line items", self.lines.locator))

    def line_amount(self, text: str) -> Target:
        """The amount of the line item that mentions `text` ("Start")."""
        return Target(f"amount of line item “{text}”", self.line(text).locator.get_by_role("cell").last,
                      Among("line items", self.lines.locator))

    def download_pdf(self, folder: Path) -> Downloaded:
        """Download the copy behind "Download PDF" into `folder`, whatever it is."""
        self.journal.append(f"click {self.download_link.name}")
        with self.page.expect_download() as info:
            self._act(self.download_link, lambda timeout: self.download_link.locator.click(timeout=timeout))
        download = info.value
        if failure := download.failure():
            raise RuntimeError(f"Download PDF ({download.url}) failed: {failure}")
        path = folder / download.suggested_filename
        download.save_as(path)
        return Downloaded(path, download.url)
