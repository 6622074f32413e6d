"""How long to wait for a target that is not on the screen yet.

A step waits up to the UI timeout for its target, but not longer than the page takes to
settle without it: once the page has loaded, no request of it is in flight and nothing in
it has changed for `settled_ms`, the target is reported missing. So a control renamed in
the product fails each scenario that needs it in well under a second, against the
embedded simulator or a staging portal, in every worker alike; while a slow portal is
still answering a request or still drawing the page, the step keeps waiting, up to the
timeout, so a slow-but-working portal is not failed early.
"""
from __future__ import annotations

import time
import weakref

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Notes when the document last changed, from its first byte on (installed before any
# script of the page runs, so its own drawing counts).
_WATCH_DOM_JS = """(() => {
  const watch = window.__portalSuiteStill = {since: performance.now()};
  new MutationObserver(() => { watch.since = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})()"""

# Milliseconds the document has not changed: -1 while it is still loading, 0 for one the
# watch was not installed in (it starts counting now).
_STILL_MS_JS = """() => {
  if (document.readyState !== 'complete') return -1;
  if (!window.__portalSuiteStill) { %s; return 0; }
  return performance.now() - window.__portalSuiteStill.since;
}""" % _WATCH_DOM_JS


class Missing(Exception):
    """The target is not on the page: it settled without it, or the timeout passed."""


class PageActivity:
    """The requests of a page still in flight, and when the last one started or ended."""

    def __init__(self, page: Page):
        self._in_flight: set[Request] = set()
        self._last_change = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        self._in_flight.add(request)
        self._last_change = time.monotonic()

    def _ended(self, request: Request) -> None:
        self._in_flight.discard(request)
        self._last_change = time.monotonic()

    def quiet_ms(self) -> float:
        """Milliseconds without a request in flight (0 while one is)."""
        return 0.0 if self._in_flight else (time.monotonic() - self._last_change) * 1000


_ACTIVITY: weakref.WeakKeyDictionary[Page, PageActivity] = weakref.WeakKeyDictionary()


def watch(page: Page) -> None:
    """Follow `page`'s requests and changes from now on: a page object does it when it is
    made, before the page loads anything, so no request in flight goes unseen."""
    if page not in _ACTIVITY:
        _ACTIVITY[page] = PageActivity(page)
        page.add_init_script(_WATCH_DOM_JS)


class Patience:
    """Waits for targets: up to `timeout_ms` (the suite's --ui-timeout), but only until the
    page has been settled for `settled_ms` without the target."""

    def __init__(self, timeout_ms: float = 5000, settled_ms: float = 500, poll_ms: float = 100):
        self.timeout_ms = timeout_ms  # the suite's plugin sets --ui-timeout's here
        # As long as Playwright's own "networkidle". A QA gate wants a broken control to
        # fail at once, not after the timeout once per scenario or per worker; but after
        # that long with no request in flight and no change to the page, nothing more is
        # coming by itself, however slow the portal: its slowness shows as a request in
        # flight, which keeps the step waiting. Only a page drawn later by a timer alone,
        # with no request, would be failed early; portals draw what they fetch.
        self.settled_ms = settled_ms
        self.poll_ms = poll_ms

    def arrival(self, locator: Locator, page: Page) -> float:
        """Wait until `locator` matches an element of `page`; the milliseconds left of the
        timeout for what is then done with it. Missing when the page settles without it
        or the timeout passes first."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        while True:
            left_ms = (deadline - time.monotonic()) * 1000
            if left_ms <= 0:
                raise Missing
            try:
                locator.first.wait_for(state="attached", timeout=min(left_ms, self.poll_ms))
                return max(1.0, (deadline - time.monotonic()) * 1000)
            except PlaywrightTimeoutError:
                # The short wait can run out with the target there (a busy machine answers
                # late): it is missing only if the settled page really has none of it.
                if self._settled_ms(page) >= self.settled_ms:
                    if locator.count():
                        return max(1.0, (deadline - time.monotonic()) * 1000)
                    raise Missing from None

    @staticmethod
    def _settled_ms(page: Page) -> float:
        activity = _ACTIVITY.get(page)
        if activity is None:  # a page no page object watches: its requests are unknown
            return 0.0
        try:
            still_ms = page.evaluate(_STILL_MS_JS)
        except PlaywrightError:  # navigating: the next document is on its way
            return 0.0
        return min(still_ms, activity.quiet_ms())


PATIENCE = Patience()
