"""Checks of what the screen shows, worded for the QA engineer who reads a failure.

Each waits like Playwright's web-first `expect`, then says what was expected and
what the screen shows instead; a target that is not there at all is reported
with the elements of its kind that are (the rows, the buttons):

    Total charge for today amount: expected "$2.73", the screen shows "$3.73"
    row of Basic not found on /services/dns; services there: Start, Business (expected "$5.00 / Monthly")
"""
from __future__ import annotations

import re
from contextlib import contextmanager

from playwright.sync_api import expect

from pages.base import Target, not_found, texts_of
from pages.patience import PATIENCE, Missing


def _show(texts: str | list[str] | re.Pattern) -> str:
    if isinstance(texts, re.Pattern):
        return f"/{texts.pattern}/"
    if isinstance(texts, str):
        return f'"{texts}"'
    return ", ".join(_show(text) for text in texts) if texts else "nothing"


@contextmanager
def _explained(target: Target, expectation: str, *, needs_one: bool = True):
    """Run an `expect` on `target`; on failure, say what the screen shows instead. When the
    expectation `needs_one` element, a target the page settles without fails at once
    (pages.patience), and the `expect` gets what is left of the timeout."""
    try:
        yield PATIENCE.arrival(target.locator, target.locator.page) if needs_one else None
    except (Missing, AssertionError):
        if not target.locator.count():
            raise AssertionError(f"{not_found(target, target.locator.page)} ({expectation})") from None
        raise AssertionError(f"{target.name}: {expectation}, the screen shows {_show(texts_of(target))}") from None


def reads(target: Target, expected: str | re.Pattern | list[str | re.Pattern]) -> None:
    """`target` reads `expected`: one text, or one per element it matches."""
    framed = [target.framed(text) for text in expected] if isinstance(expected, list) else target.framed(expected)
    with _explained(target, f"expected {_show(expected)}", needs_one=expected != []) as timeout:
        expect(target.locator).to_have_text(framed, timeout=timeout)


def reads_in_any_order(target: Target, expected: list[str]) -> None:
    """`target` matches one element per text of `expected`, in any order."""
    with _explained(target, f"expected {_show(sorted(expected))}", needs_one=bool(expected)) as timeout:
        expect(target.locator).to_have_count(len(expected), timeout=timeout)
        shown = texts_of(target)
        if sorted(shown) != sorted(expected):
            raise AssertionError(shown)


def says(target: Target, text: str | re.Pattern) -> None:
    """`target` contains `text`."""
    with _explained(target, f"expected it to say {_show(text)}") as timeout:
        expect(target.locator).to_contain_text(text, timeout=timeout)


def shown(target: Target) -> None:
    """`target` is on the screen and visible."""
    with _explained(target, "expected it visible") as timeout:
        expect(target.locator.first).to_be_visible(timeout=timeout)


def absent(target: Target) -> None:
    """`target` is not on the screen."""
    try:
        expect(target.locator).to_have_count(0)
    except AssertionError:
        raise AssertionError(f"{target.name}: expected none, the screen shows "
                             f"{_show(texts_of(target))}") from None


def answered(what: str, status: int, expected: int) -> None:
    """The HTTP status a page was answered with ("the change page answered 200, expected 403")."""
    that(status == expected, f"{what} answered {status}, expected {expected}")


def refused(what: str, status: int) -> None:
    """A refusal whose status the contract leaves open: a client error (4xx) answered at that
    address itself, neither a page served nor a redirect to another one."""
    that(400 <= status < 500, f"{what} answered {status}, expected a refusal (4xx)")


def that(holds: bool, message: str) -> None:
    """A check of something other than the screen (a status code, the back office), failing
    with `message` alone, without pytest's rewrite of the expression."""
    if not holds:
        raise AssertionError(message)
