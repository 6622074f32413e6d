"""What every page object shares: named locators, a journal of actions, and the
words a failure needs (what is on the screen instead of a missing target)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .formats import regex_body
from .narration import Journal, narrated
from .patience import PATIENCE, Missing, watch
from .profile import TargetAbsent, UiProfile
from .targets import LEADS_TO_A_PAGE_JS, Spec, candidates, choice_options, reads_exactly, spaced

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


class AbsentLocator:
    """Stands for a target the profile declares absent: any use says why, as TargetAbsent
    (the scenario is skipped with that reason, not failed)."""

    CHAINED = {"locator", "get_by_role", "get_by_text", "get_by_label", "filter", "nth", "or_", "and_"}

    def __init__(self, reason: str):
        self.reason = reason

    def __getattr__(self, name):
        if name in ("first", "last"):
            return self
        if name in self.CHAINED:  # a locator within it is just as absent
            return lambda *args, **kwargs: self
        raise TargetAbsent(self.reason)


@dataclass(frozen=True)
class Target:
    """A locator with the name a person would give it ("Upgrade / Downgrade link").
    `prefix`: the element reads "<prefix> <value>" ("Invoice date: 17/03/2026"), and
    checks compare the value after it."""

    name: str
    locator: Locator
    among: Among | None = field(default=None, compare=False)
    prefix: str | None = None

    def __str__(self) -> str:
        return self.name

    def framed(self, expected: str | re.Pattern) -> str | re.Pattern:
        """What the element reads when its value is `expected`."""
        if self.prefix is None:
            return expected
        return re.compile(rf"^\s*{re.escape(self.prefix)}\s*(?:{regex_body(expected)})\s*$")

    def unframed(self, text: str) -> str:
        """The value in a text the element reads."""
        if self.prefix is not None and text.startswith(self.prefix):
            return text[len(self.prefix):].strip()
        return text


def texts_of(target: Target) -> list[str]:
    """What `target` reads now, one text per element, whitespace collapsed; no waiting."""
    try:
        return [target.unframed(" ".join(text.split())) for text in target.locator.all_inner_texts()]
    except PlaywrightError:
        return []


def first_answer(request) -> int:
    """The status the portal answered a navigation's first request with (a redirect's own 303,
    not the page it led to)."""
    while request.redirected_from is not None:
        request = request.redirected_from
    return request.response().status


def where_shown(page: Page) -> str:
    """The page's path, as a QA engineer would type it after the portal's address."""
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "") or page.url


def not_found(target: Target, page: Page) -> str:
    """ "Continue button not found on /services/dns/1001/change (Upgrade / Downgrade);
    buttons there: Back, Next"."""
    try:
        headings = page.get_by_role("heading", level=1).all_inner_texts()
    except PlaywrightError:
        headings = []
    message = f"{target.name} not found on {where_shown(page)}"
    if headings:
        message += f" ({' '.join(headings[0].split())})"
    if target.among is not None:
        names = target.among.names()
        message += f"; {target.among.kind} there: {', '.join(names) if names else '(none)'}"
    return message


class NotDriven(Exception):
    """The suite could not reach or read a screen, control or address of the portal: a gap
    of the profile or the driver, not a difference of the portal (conformance: not driven)."""


class ControlNotFound(NotDriven):
    """An action's target is not on the screen; the message lists what is there instead."""


def spoken(key: str) -> str:
    """A target's key as a failure names it: "the Submit button" -> "Submit button"."""
    return key.removeprefix("the ")


class Screen:
    """Base of the page objects: the page, the UI profile, the journal and narrated actions."""

    def __init__(self, page: Page, journal: Journal, profile: UiProfile):
        self.page = page
        self.journal = journal
        self.profile = profile
        watch(page)

    def _target(self, key: str, among: Among | None = None, *, within: Locator | None = None,
                name: str | None = None, fields: dict | None = None, whole: bool = False) -> Target:
        """The target the profile names `key`, within the page or a part of it (`whole`: a
        fact as its whole row, not its value)."""
        fields = fields or {}
        reason = self.profile.absent(key)
        if reason is not None:
            return Target(name or spoken(key), AbsentLocator(f"{self.profile.name} profile: {reason}"), among)
        spec = self.profile.spec(key)
        scope = within if within is not None else self.page
        if whole:
            return Target(name or spoken(key), self.profile.locate_whole(scope, key, **fields), among)
        locator = self.profile.locate(scope, key, **fields)
        label = self.profile.label(key, **fields)
        # "Invoice date: 17/03/2026": checks compare what follows the label, when it is written out.
        colon = spec.kind == "fact" and spec.form == "colon" and isinstance(label, str)
        return Target(name or spoken(key), locator, among, f"{label}:" if colon else None)

    def _fact(self, key: str, within: Locator | None, name: str, among: Among | None = None,
              fields: dict | None = None) -> Target:
        """The value of the fact `key` ("the Plan row"), within a part of the page."""
        scope = within if within is not None else self.page
        return self._target(key, among or Among("facts", candidates(scope, "facts")), within=within, name=name,
                            fields=fields)

    # Narrated actions: the journal says what a person did, by the target's name.
    @narrated("open {name} ({url})")
    def _visit(self, url: str, name: str):
        # Scripts are deferred, so they have run by DOMContentLoaded; no need to wait for fonts.
        return self.page.goto(url, wait_until="domcontentloaded")

    @narrated("click {target.name}")
    def _click(self, target: Target) -> None:
        self._act(target, lambda timeout: target.locator.click(timeout=timeout))

    def _click_and_follow(self, target: Target, *, leads: bool | None = None) -> None:
        """Click `target`; when it is a link or a form's submit button (`leads`, else asked
        of the page), wait for the page it leads to (the next step reads that page)."""
        if leads is None:
            answer: list[bool] = []
            self._act(target, lambda timeout: answer.append(target.locator.evaluate(LEADS_TO_A_PAGE_JS,
                                                                                     timeout=timeout)))
            leads = answer[0]
        if not leads:
            self._click(target)
            return
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            self._click(target)

    @narrated("fill {target.name} with {value!r}")
    def _fill(self, target: Target, value: str) -> None:
        self._act(target, lambda timeout: target.locator.fill(value, timeout=timeout))

    def _act(self, target: Target, action) -> None:
        """Do `action` on `target`; if it never shows up, say so and what is there instead."""
        try:
            action(PATIENCE.arrival(target.locator, self.page))
        except (Missing, PlaywrightTimeoutError):
            if target.locator.count():
                raise ControlNotFound(f"{target.name} is on {where_shown(self.page)} but could not "
                                      f"be used (hidden or disabled)") from None
            raise ControlNotFound(not_found(target, self.page)) from None

    def _wait_for(self, condition, what: str, timeout_ms: float = 5000) -> None:
        """Let the page run until `condition()` holds (route handlers run meanwhile)."""
        waited = 0.0
        while not condition():
            if waited >= timeout_ms:
                raise TimeoutError(f"waited {timeout_ms / 1000:g} s for {what}")
            self.page.wait_for_timeout(20)
            waited += 20

    @narrated("choose {what!r} in {choice.field.name}")
    def _choose(self, choice: "Choice", what: str, *texts: str | re.Pattern) -> None:
        """Choose the option of `choice` that reads one of `texts` (whole, or a pattern):
        select it, check its radio button, or click the control in its card."""
        wanted = "|".join(regex_body(text) for text in texts)
        reading = re.compile(rf"^\s*(?:{spaced(wanted)})\s*$")
        option = Target(f"option {what!r} in {choice.field.name}",
                        choice.options.locator.filter(has_text=reading).first, Among("options", choice.options.locator))
        if choice.spec.style == "select":
            label: list[str] = []
            self._act(option, lambda timeout: label.append(option.locator.text_content(timeout=timeout)))
            self._act(choice.field, lambda timeout: choice.field.locator.select_option(label=label[0].strip(),
                                                                                      timeout=timeout))
        elif choice.spec.style == "radio":
            self._act(option, lambda timeout: option.locator.click(timeout=timeout))
        else:
            # The card whose name (its `reads` part, else its whole text) is the option's.
            cards = choice.cards.locator
            part = choice.spec.part
            if part is not None:
                reads = self.profile.part(self.page, part)
                card = cards.filter(has=reads.filter(has_text=reading))
            else:
                card = cards.filter(has_text=re.compile(spaced(wanted)))
            button = Target(f"control of the {what!r} card", self.profile.part(card.first, choice.spec.control),
                            Among("options", choice.options.locator))
            self._click_and_follow(button)


@dataclass(frozen=True)
class Choice:
    """A choice of the page (SPEC §9): the field, its options as a person reads them, and
    (cards) the cards themselves."""

    field: Target
    options: Target
    cards: Target
    spec: Spec

    @classmethod
    def of(cls, screen: Screen, key: str, among: Among) -> "Choice":
        field = screen._target(key, among)
        if isinstance(field.locator, AbsentLocator):
            return cls(field, field, field, Spec("absent"))
        spec = screen.profile.spec(key)
        name = field.name.removesuffix(" field")
        options = Target(f"{name} options", choice_options(field.locator, spec), among)
        return cls(field, options, field, spec)


class AmountsRows:
    """The amounts of the review page and the invoice: facts read by their labels
    ("Subtotal", "Tax (10%)", "Total charge for today")."""

    def __init__(self, screen: Screen):
        self._screen = screen
        self._labels = Among("rows", candidates(screen.page.get_by_role("main"), "labels"))
        self.tax_row = self.row("the tax row")  # any tax row, whatever its name and rate
        self.all = screen._target("the amounts rows", self._labels, name="amounts rows")  # each row, in order

    def row(self, key: str, **fields) -> Target:
        """The whole row (or term and value) the profile names `key`."""
        return self._screen._target(key, self._labels, fields=fields, whole=True)

    def value(self, key: str, **fields) -> Target:
        return self._screen._fact(key, None, f"{spoken(key).removesuffix(' row')} amount", self._labels, fields)


@dataclass(frozen=True)
class Items:
    """A list of items the profile names (`items:` rows, cards...), each found by its name
    (the text of its `name:` part): the services of the list, the invoices."""

    all: Target
    names: Target
    _name_part: Locator

    @classmethod
    def of(cls, screen: Screen, key: str, what: str, within: Locator | None = None) -> "Items":
        items = screen._target(key, within=within, name=what)
        if isinstance(items.locator, AbsentLocator):
            return cls(items, items, items.locator)
        part = screen.profile.spec(key).part
        names = screen.profile.part(items.locator, part)
        among = Among(what, names)
        return cls(Target(what, items.locator, among), Target(f"{what} listed", names, among),
                   screen.profile.part(screen.page, part))

    def named(self, name: str, what: str) -> Target:
        """The item whose name reads `name` exactly."""
        reading = self._name_part.filter(has_text=reads_exactly(name))
        return Target(what, self.all.locator.filter(has=reading), self.all.among)
