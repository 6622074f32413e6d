"""SPEC §5.6 Review page: before → after, the amounts rows, the Submit button."""
from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from .base import AmountsRows, Among, Journal, Screen, Target
from .profile import UiProfile
from .targets import candidates


class ReviewPage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        main = page.get_by_role("main")
        self.comparison = self._target("the before → after table", Among("tables", main.get_by_role("table")))
        self.amounts = AmountsRows(self)
        notes = Among("statements", candidates(main, "notes"))
        self.final_note = self._target("the final calculation statement", notes)
        self.stale_note = self._target("the note that the figures changed", notes, within=main)
        self.submit_button = self._target("the Submit button", Among("buttons", main.get_by_role("button")))
        self._notes = notes
        self._items = Among("items compared", candidates(self.comparison.locator, "labels"))

    def compared(self, key: str) -> Target:
        """The before and after values of the fact `key` ("the Plan row", ...)."""
        return self._fact(key, self.comparison.locator,
                          f"{key.removeprefix('the ').removesuffix(' row')} before → after", self._items)

    def statement(self, text: str) -> Target:
        """A sentence of the page that says `text` (as the portal writes it)."""
        return Target(f"statement “{text}”", self.page.get_by_role("main").get_by_text(text), self._notes)

    def submit(self) -> None:
        """Click Submit and wait for the page it leads to (the invoice, or the review again)."""
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            self._click(self.submit_button)

    def submit_twice(self) -> None:
        """Click Submit, then again while the portal is still answering the first click.

        A browser sends a second submission only once the first is on its way, so the
        portal's answer to the first is held back (as on a slow connection) until the
        second click is made: the portal receives both, the page shows the answer to
        the second."""
        self.journal.append(f"click {self.submit_button.name} twice, the portal slow to answer")
        submissions: list[str] = []
        held = []

        def hold_the_first_answer(route) -> None:
            if route.request.method != "POST":
                route.fallback()
                return
            if not submissions:
                route.fetch()  # the portal gets the first Submit; its answer never reaches the page
                held.append(route)
                submissions.append("first answered")
            else:
                submissions.append("second sent")
                route.continue_()

        button = self.submit_button.locator
        self._act(self.submit_button, lambda timeout: button.scroll_into_view_if_needed(timeout=timeout))
        box = button.bounding_box()
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        form_action = button.evaluate("b => b.form.action")
        self.page.route(form_action, hold_the_first_answer)
        try:
            self.page.mouse.click(*middle)
            self._wait_for(lambda: len(submissions) == 1, "the portal to answer the first Submit")
            self.page.mouse.click(*middle)
            self._wait_for(lambda: len(submissions) == 2, "the second Submit to be sent")
        finally:
            # Let Playwright forget the first request (the browser gave up on it): a route
            # left unanswered keeps its handler running. When the browser has already
            # cancelled it, the abort fails and the route is never handled, so `unroute`
            # (which waits for running handlers) would wait forever: don't wait.
            for route in held:
                try:
                    route.abort()
                except PlaywrightError:
                    pass
            self.page.unroute_all(behavior="ignoreErrors")
