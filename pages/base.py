"""What every page object shares: named locators and a journal of actions."""
from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page


@dataclass(frozen=True)
class Target:
    """A locator with the name a person would give it ("Upgrade / Downgrade link")."""

    name: str
    locator: Locator

    def __str__(self) -> str:
        return self.name


class Journal(list):
    """The actions taken so far in a scenario, in words; the last ones caption a failure."""

    def tail(self, count: int = 3) -> str:
        return " → ".join(self[-count:]) if self else "(no action yet)"


class Screen:
    """Base of the page objects: the page, the journal and narrated actions."""

    def __init__(self, page: Page, journal: Journal):
        self.page = page
        self.journal = journal

    # Narrated actions: the journal says what a person did, by the target's name.
    def _visit(self, path: str, name: str):
        self.journal.append(f"open {name} ({path})")
        # Scripts are deferred, so they have run by DOMContentLoaded; no need to wait for fonts.
        return self.page.goto(path, wait_until="domcontentloaded")

    def _click(self, target: Target) -> None:
        self.journal.append(f"click {target.name}")
        target.locator.click()

    def _fill(self, target: Target, value: str, *, secret: bool = False) -> None:
        self.journal.append(f"fill {target.name} with {'••••' if secret else repr(value)}")
        target.locator.fill(value)

    def _select(self, target: Target, label: str) -> None:
        self.journal.append(f"select {label!r} in {target.name}")
        target.locator.select_option(label=label)

    def _option_starting(self, options: Target, prefix: str) -> str:
        """The label of the option that reads `prefix`, alone or followed by a space."""
        option = options.locator.filter(has_text=re.compile(rf"^\s*{re.escape(prefix)}(\s|$)")).first
        return option.text_content(timeout=5000).strip()


class AmountsRows:
    """The amounts rows of the review page and the invoice: each a row with a row header."""

    def __init__(self, page: Page):
        self._page = page

    def row(self, header: str) -> Target:
        """The row headed exactly `header` ("Total" is not "Subtotal")."""
        heading = self._page.get_by_role("rowheader", name=header, exact=True)
        return Target(f"{header} row", self._page.get_by_role("row").filter(has=heading))

    def value(self, header: str) -> Target:
        return Target(f"{header} amount", self.row(header).locator.get_by_role("cell"))

