"""SPEC §5.7 Invoice page: "Invoice #…", status, lines, amounts with "Total", "Download PDF"."""
from __future__ import annotations

import re
from pathlib import Path

from .base import AmountsRows, Journal, Screen, Target


class InvoicePage(Screen):
    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        self.heading = Target("invoice heading", page.get_by_role("heading", name=re.compile(r"^Invoice #"), level=1))
        status = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Status", exact=True))
        self.status = Target("invoice status", status.get_by_role("cell"))
        self.lines = Target("line items", page.get_by_role("table", name="Line items").get_by_role("row"))
        self.amounts = AmountsRows(page)
        self.download_link = Target("Download PDF link", page.get_by_role("link", name="Download PDF"))

    def open(self, number: str):
        return self._visit(f"/invoices/{number}", f"invoice {number}")

    def number(self) -> str:
        """The number in the heading ("INV-000001"), once the invoice page is shown."""
        return self.heading.locator.inner_text().split("#", 1)[1].strip()

    def line(self, text: str) -> Target:
        return Target(f"line item “{text}”", self.lines.locator.filter(has_text=text))

    def download_pdf(self, folder: Path) -> Path:
        """Download the PDF copy into `folder`; returns its path."""
        with self.page.expect_download() as info:
            self._click(self.download_link)
        download = info.value
        if failure := download.failure():
            raise RuntimeError(f"Download PDF ({download.url}) failed: {failure}")
        path = folder / download.suggested_filename
        download.save_as(path)
        return path
