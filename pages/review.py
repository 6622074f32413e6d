"""SPEC §5.6 Review page: before → after, the amounts rows, the Submit button."""
from __future__ import annotations

from urllib.parse import urljoin

from .base import AmountsRows, Among, Journal, NotDriven, Screen, Target, first_answer
from .narration import narrated
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

    @narrated("click {self.submit_button.name}, the form sent to {url}")
    def submit_to(self, url: str) -> int:
        """Click Submit with the form's address replaced by `url` (a Submit typed, or crafted,
        for another service); returns the status the portal answered with."""
        form_action = self.submit_button.locator.evaluate("b => b.form.action")
        target = urljoin(self.page.url, url)
        self.page.route(form_action, lambda route: route.continue_(url=target) if route.request.method == "POST"
                        else route.fallback())
        try:
            with self.page.expect_navigation(wait_until="domcontentloaded") as navigation:
                self._click(self.submit_button)
        finally:
            self.page.unroute_all(behavior="wait")
        return first_answer(navigation.value.request)

    def sent_fields(self) -> list[list[str]]:
        """The fields its Submit sends, as [name, value] pairs (the button's own included)."""
        return self.submit_button.locator.evaluate("b => [...new FormData(b.form, b)].map(([k, v]) => [k, String(v)])")

    @narrated("click {self.submit_button.name} twice, the portal slow to answer")
    def submit_twice(self) -> None:
        """Click Submit, then again after the portal has answered the first click but before
        that answer reached the page (as on a slow connection): the portal receives both
        submissions, one after the other; the page shows the answer to the second.

        The portal's answer to the first is fetched (the portal issues what it issues) and
        the page is given "204 No Content" instead, which a browser answers by staying on
        the page it shows (HTML: a navigation answered 204 does not navigate). So every
        request is answered before the second click: no request is left held across a
        navigation. (Issue #19's flake: the first request used to be held unanswered while
        the browser navigated on, then aborted; under load the abort could race the
        browser's own cancellation of that request, and `unroute_all` then waited forever
        on the interception it still held: the hang report showed the worker stuck in
        `unroute_all`, killed at the scenario timeout, "a lost xdist worker".)"""
        first: list = []  # the first submission's request, once the portal has answered it
        seen: list[str] = []  # the submissions the browser sent, in order

        def answer_the_first_with_no_content(route) -> None:
            if route.request.method != "POST":
                route.fallback()
                return
            seen.append(route.request.url)
            if len(seen) > 1:
                route.fallback()  # the second goes to the portal; its answer is shown
                return
            route.fetch()  # the portal receives the first Submit and answers it ...
            route.fulfill(status=204)  # ... but the page stays on the review
            first.append(route.request)

        done: list = []  # the first request, once the browser is done with it
        on_done = lambda request: done.append(request)  # noqa: E731
        button = self.submit_button.locator
        self._act(self.submit_button, lambda timeout: button.scroll_into_view_if_needed(timeout=timeout))
        box = button.bounding_box()
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        form_action = button.evaluate("b => b.form.action")
        self.page.route(form_action, answer_the_first_with_no_content)
        self.page.on("requestfinished", on_done)
        self.page.on("requestfailed", on_done)
        try:
            self.page.mouse.click(*middle)
            self._wait_for(lambda: bool(first) and first[0] in done,
                           "the portal to answer the first Submit and the page to stay on the review")
            with self.page.expect_navigation(wait_until="domcontentloaded"):
                self._click(self.submit_button)
        finally:
            self.page.remove_listener("requestfinished", on_done)
            self.page.remove_listener("requestfailed", on_done)
            self.page.unroute_all(behavior="wait")  # every request was answered: nothing to wait for
        if len(seen) != 2:
            raise NotDriven(f"{self.submit_button.name} clicked twice: the browser sent {len(seen)} submissions")
