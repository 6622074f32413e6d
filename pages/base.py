"""What every page object shares: named locators, a journal of actions, and the
words a failure needs (what is on the screen instead of a missing target)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .profile import UiProfile

# The name a person reads for each element: its aria-label, its <label>, else its text.
_NAMES_JS = """elements => elements.map(e => (
    e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].innerText : '')
    || e.innerText || e.textContent || e.value || ''
  ).replace(/\\s+/g, ' ').trim()).filter(Boolean)"""


@dataclass(frozen=True)
class Among:
    """The elements of a kind a missing target would be one of ("buttons", "services"),
    listed when it is not found: "row of Basic not found; services there: Start, Business"."""

    kind: str
    locator: Locator

    def names(self) -> list[str]:
        try:
            return self.locator.evaluate_all(_NAMES_JS)
        except PlaywrightError:  # the page is gone or navigating: say nothing rather than fail again
            return []


@dataclass(frozen=True)
class Target:
    """A locator with the name a person would give it ("Upgrade / Downgrade link")."""

    name: str
    locator: Locator
    among: Among | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.name


def texts_of(target: Target) -> list[str]:
    """What `target` reads now, one text per element, whitespace collapsed; no waiting."""
    try:
        return [" ".join(text.split()) for text in target.locator.all_inner_texts()]
    except PlaywrightError:
        return []


def where_shown(page: Page) -> str:
    """The page's path, as a QA engineer would type it after the portal's address."""
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "") or page.url


def not_found(target: Target, page: Page) -> str:
    """ "Continue button not found on /services/dns/1001/change (Upgrade / Downgrade);
    buttons there: Back, Next"."""
    try:
        headings = page.locator("h1").all_inner_texts()
    except PlaywrightError:
        headings = []
    message = f"{target.name} not found on {where_shown(page)}"
    if headings:
        message += f" ({' '.join(headings[0].split())})"
    if target.among is not None:
        names = target.among.names()
        message += f"; {target.among.kind} there: {', '.join(names) if names else '(none)'}"
    return message


class Patience:
    """How long to wait for a target. The page's default timeout, except for a target
    already found missing in this process: that one gets only `grace_ms`, so a control
    renamed in the product fails every later scenario at once instead of after a full
    timeout each. A target found again gets the full timeout back."""

    def __init__(self, grace_ms: float = 500):
        self.grace_ms = grace_ms
        self._missing: set[str] = set()

    def timeout(self, target: Target) -> float | None:
        """A timeout in ms for a wait on `target`; None means the page's default."""
        return self.grace_ms if target.name in self._missing else None

    def missed(self, target: Target) -> None:
        self._missing.add(target.name)

    def found(self, target: Target) -> None:
        self._missing.discard(target.name)


PATIENCE = Patience()


class NotDriven(Exception):
    """The suite could not reach or read a screen, control or address (a profile or driver gap)."""


class ControlNotFound(NotDriven):
    """An action's target is not on the screen; the message lists what is there instead."""


class Journal(list):
    """The actions taken so far in a scenario, in words; the last ones caption a failure."""

    def tail(self, count: int = 3) -> str:
        return " → ".join(self[-count:]) if self else "(no action yet)"


def spoken(key: str) -> str:
    """A target's key as a failure names it: "the Submit button" -> "Submit button"."""
    return key.removeprefix("the ")


class Screen:
    """Base of the page objects: the page, the UI profile, the journal and narrated actions."""

    def __init__(self, page: Page, journal: Journal, profile: UiProfile):
        self.page = page
        self.journal = journal
        self.profile = profile

    def _target(self, key: str, among: Among | None = None, *, within: Locator | None = None,
                name: str | None = None, **fields) -> Target:
        """The target the profile names `key`, within the page or a part of it."""
        locator = self.profile.locate(within if within is not None else self.page, key, **fields)
        return Target(name or spoken(key), locator, among)

    # Narrated actions: the journal says what a person did, by the target's name.
    def _visit(self, path: str, name: str):
        self.journal.append(f"open {name} ({path})")
        # Scripts are deferred, so they have run by DOMContentLoaded; no need to wait for fonts.
        return self.page.goto(path, wait_until="domcontentloaded")

    def _click(self, target: Target) -> None:
        self.journal.append(f"click {target.name}")
        self._act(target, lambda timeout: target.locator.click(timeout=timeout))

    def _fill(self, target: Target, value: str, *, secret: bool = False) -> None:
        self.journal.append(f"fill {target.name} with {'••••' if secret else repr(value)}")
        self._act(target, lambda timeout: target.locator.fill(value, timeout=timeout))

    def _select(self, target: Target, label: str) -> None:
        self.journal.append(f"select {label!r} in {target.name}")
        self._act(target, lambda timeout: target.locator.select_option(label=label, timeout=timeout))

    def _act(self, target: Target, action) -> None:
        """Do `action` on `target`; if it never shows up, say so and what is there instead."""
        try:
            action(PATIENCE.timeout(target))
        except PlaywrightTimeoutError:
            if target.locator.count():
                raise ControlNotFound(f"{target.name} is on {where_shown(self.page)} but could not "
                                      f"be used (hidden or disabled)") from None
            PATIENCE.missed(target)
            raise ControlNotFound(not_found(target, self.page)) from None
        PATIENCE.found(target)

    def _wait_for(self, condition, what: str, timeout_ms: float = 5000) -> None:
        """Let the page run until `condition()` holds (route handlers run meanwhile)."""
        waited = 0.0
        while not condition():
            if waited >= timeout_ms:
                raise TimeoutError(f"waited {timeout_ms / 1000:g} s for {what}")
            self.page.wait_for_timeout(20)
            waited += 20

    def _option_reading(self, options: Target, what: str, *texts: str | re.Pattern) -> str:
        """The label of the option that reads one of `texts` (whole, or a pattern)."""
        wanted = "|".join(text.pattern if isinstance(text, re.Pattern) else re.escape(text) for text in texts)
        option = Target(f"option {what!r} in {options.name.removesuffix(' options')}",
                        options.locator.filter(has_text=re.compile(rf"^\s*(?:{wanted})\s*$")).first,
                        Among("options", options.locator))
        texts: list[str] = []
        self._act(option, lambda timeout: texts.append(option.locator.text_content(timeout=timeout)))
        return texts[0].strip()


class AmountsRows:
    """The amounts rows of the review page and the invoice: each a row with a row header."""

    def __init__(self, page: Page, profile: UiProfile):
        self._page = page
        self._profile = profile
        self._headers = Among("rows", page.get_by_role("rowheader"))
        self.tax_row = self.row("the tax row")  # any tax row, whatever its name and rate

    def row(self, key: str, **fields) -> Target:
        """The row the profile names `key` ("the Total row" is not "the Subtotal row")."""
        return Target(spoken(key), self._profile.locate(self._page, key, **fields), self._headers)

    def value(self, key: str, **fields) -> Target:
        row = self.row(key, **fields)
        return Target(f"{row.name.removesuffix(' row')} amount", row.locator.get_by_role("cell"), self._headers)
